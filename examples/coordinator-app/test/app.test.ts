import { existsSync } from "node:fs"
import type { AddressInfo } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Layer } from "effect"
import { chromium } from "playwright-core"
import type { Browser } from "playwright-core"
import { Client, Services } from "@copkit/core"
import { Fixtures, Memory } from "@copkit/testing"
import { createApp } from "../src/app.mjs"

const executablePath = "/usr/bin/chromium"
const hasChromium = existsSync(executablePath)
if (!hasChromium) console.warn(`skipped: the browser test needs Debian's chromium at ${executablePath} (apt-get install -y chromium; .ci/run installs it)`)

describe.skipIf(!hasChromium)("the coordinator app in a real browser", () => {
  let browser: Browser
  let base: string
  let client: Client.Client
  let server: ReturnType<typeof createApp>
  let applicationId: string

  beforeAll(async () => {
    client = Client.make(Services.layer.pipe(Layer.provideMerge(Memory.layer)))
    const input = Fixtures.applicationInput({
      region: { ...Fixtures.regions.utrecht, provinces: ["Utrecht"], municipalities: ["Utrecht"], name: "Regio <b>Utrecht</b> & co" }
    })
    const draft = await client.intake.create(Fixtures.actors.keyPerson, input)
    await client.intake.submit(Fixtures.actors.keyPerson, { applicationId: draft.id })
    applicationId = draft.id
    server = createApp({ client, actor: Fixtures.actors.coordinator })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    browser = await chromium.launch({
      executablePath,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
    })
  })

  afterAll(async () => {
    await browser?.close()
    await new Promise((resolve) => server?.close(resolve))
    await client?.dispose()
  })

  it("lists the application with the region's name escaped, explores, refuses a bad score, assesses and accepts", async () => {
    const page = await browser.newPage()
    await page.goto(base)
    const link = page.getByRole("link", { name: "Regio <b>Utrecht</b> & co" })
    await expect(link.count()).resolves.toBe(1)
    await link.click()
    await expect(page.locator("#state").textContent()).resolves.toBe("Ingediend")

    await page.fill("input[name=at]", "2027-01-12T10:00")
    await page.click("text=Plannen")
    await expect(page.locator("#state").textContent()).resolves.toBe("Verkenning")

    await page.selectOption("select[name=criterion]", "Urgency")
    await page.fill("input[name=score]", "9")
    await page.fill("input[name=note]", "Te hoog")
    await page.click("text=Beoordelen")
    await expect(page.getByRole("alert").textContent()).resolves.toContain("Ongeldige invoer in score (between)")

    for (const criterion of ["EnergyAndEnthusiasm", "AdministrativeDrive", "Urgency", "EntrepreneurInvolvement", "PioneersAvailable", "CommitmentsConfirmed"]) {
      await page.selectOption("select[name=criterion]", criterion)
      await page.fill("input[name=score]", "4")
      await page.fill("input[name=note]", `<script>alert("${criterion}")</script>`)
      await page.click("text=Beoordelen")
    }
    await expect(page.locator("#ready").textContent()).resolves.toBe("Klaar voor een besluit · score 4")
    await expect(page.locator("td", { hasText: "<script>" }).count()).resolves.toBe(6)

    await page.fill("input[name=reason]", "Veel energie")
    await page.click("text=Toelaten")
    await expect(page.locator("#state").textContent()).resolves.toBe("Toegelaten")
    const stored = await client.intake.get(Fixtures.actors.coordinator, { applicationId })
    expect(stored.value.state).toBe("Accepted")
    expect(stored.value.decision?.reason).toBe("Veel energie")
  })
})
