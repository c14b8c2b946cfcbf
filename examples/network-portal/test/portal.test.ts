// The portal end to end in Debian's Chromium: one path per role, on a real SQLite file and the file
// mailer, with screenshots of the main pages (test/artifacts/, not committed) and axe-core on each.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { simpleParser } from "mailparser"
import { chromium } from "playwright-core"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startPortal } from "../src/portal.mjs"

const executablePath = "/usr/bin/chromium"
const hasChromium = existsSync(executablePath)
if (!hasChromium) console.warn(`skipped: the portal's browser tests need Debian's chromium at ${executablePath} (apt-get install -y chromium; .ci/run installs it)`)

const artifacts = fileURLToPath(new URL("./artifacts/", import.meta.url))
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8")

describe.skipIf(!hasChromium)("the network portal in a real browser", () => {
  let browser: Browser
  let portal: Awaited<ReturnType<typeof startPortal>>
  let data: string
  let ids: NonNullable<Awaited<ReturnType<typeof startPortal>>["seeded"]>

  beforeAll(async () => {
    data = mkdtempSync(join(tmpdir(), "copkit-portal-"))
    mkdirSync(artifacts, { recursive: true })
    portal = await startPortal(
      { dataDirectory: data, databaseUrl: undefined, pgSchema: undefined, smtp: undefined, from: "portal@kennisnetwerk.example" },
      { port: 0, log: () => {} }
    )
    ids = portal.seeded!
    browser = await chromium.launch({
      executablePath,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
    })
  })

  afterAll(async () => {
    await browser?.close()
    await portal?.close()
    if (data) rmSync(data, { recursive: true, force: true })
  })

  const signIn = async (username: string): Promise<Page> => {
    const page = await (await browser.newContext({ acceptDownloads: true })).newPage()
    await page.goto(`${portal.url}/login`)
    await page.fill("#login-username", username)
    await page.fill("#login-password", "demo-portal")
    await page.click("#form-login button[type=submit]")
    return page
  }

  /** A screenshot kept as an artefact, and axe-core's serious and critical findings, which must be none. */
  const check = async (page: Page, name: string) => {
    await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true })
    await page.evaluate(axeSource)
    const violations: Array<{ id: string; impact: string; targets: Array<string> }> = await page.evaluate(`
      axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "best-practice"] }).then((result) =>
        result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(" ")).slice(0, 3) })))
    `)
    expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical"), name).toEqual([])
    // headings in order: one h1, and no level skipped
    const levels = await page.$$eval("h1, h2, h3, h4", (hs) => hs.map((h) => Number(h.tagName.slice(1))))
    expect(levels.filter((l) => l === 1), name).toHaveLength(1)
    levels.forEach((level, i) => expect(level - (levels[i - 1] ?? 0), `${name}: heading ${i}`).toBeLessThanOrEqual(1))
  }

  const submit = (page: Page, form: string) => page.click(`#form-${form} button[type=submit]`)

  it("the coordinator takes Twente from its application to its first session invited, and the invitation arrives with its calendar part", async () => {
    const page = await signIn("marieke")
    await expect(page.locator("h1").textContent()).resolves.toBe("Het netwerk")
    await expect(page.locator("#overview tbody tr").count()).resolves.toBe(4)
    await check(page, "coordinator-network")

    await page.click("text=Instroomrondes")
    await check(page, "coordinator-rounds")
    await page.click("#rounds a")
    await expect(page.locator("#comparison tbody tr").count()).resolves.toBe(3)
    await check(page, "coordinator-round-comparison")

    await page.goto(`${portal.url}/applications/${ids.twente.applicationId}`)
    await expect(page.locator("#state").textContent()).resolves.toBe("Ingediend")
    await page.fill("#explore-at", "2027-01-12T10:00")
    await submit(page, "explore")
    await expect(page.locator("#state").textContent()).resolves.toBe("Verkenning")
    for (const criterion of ["EnergyAndEnthusiasm", "AdministrativeDrive", "Urgency", "EntrepreneurInvolvement", "PioneersAvailable", "CommitmentsConfirmed"]) {
      await page.selectOption("#assess-criterion", criterion)
      await page.fill("#assess-score", "4")
      await page.fill("#assess-note", "Besproken in het gesprek.")
      await submit(page, "assess")
    }
    await expect(page.locator("#ready").textContent()).resolves.toContain("Klaar voor een besluit")
    await check(page, "coordinator-application")
    await page.fill("#decide-reason", "Veel energie en ondernemers aan boord.")
    await submit(page, "decide")

    // the programme: a theme, a plan of two sessions, approved
    await expect(page.locator("h1").textContent()).resolves.toBe("Twente")
    await page.fill("#goals-intendedResults", "Meer leerlingen kiezen techniek\nBedrijven openen hun werkplaats")
    await submit(page, "goals")
    await page.fill("#propose-theme-title", "Techniek in de klas")
    await submit(page, "propose-theme")
    for (const [role, forms] of [["KickOff", ["GuestExpert", "Intervision"]], ["Closing", ["ProjectVisit", "Simulation"]]] as const) {
      await page.selectOption("#add-item-role", role)
      await page.selectOption("#add-item-themeId", { label: "Techniek in de klas" })
      await page.fill("#add-item-goal", role === "KickOff" ? "Aftrap met bestuurders" : "Afspraken maken")
      for (const form of forms) await page.check(`#form-add-item input[name=workForms][value=${form}]`)
      await page.check("#add-item-administratorsInvited")
      await submit(page, "add-item")
    }
    expect(await page.locator("#plan-checks li.failed").allTextContents()).toEqual([])
    await expect(page.locator("#plan-valid").textContent()).resolves.toContain("voldoet")
    await submit(page, "approve")
    await expect(page.locator(".notice").textContent()).resolves.toContain("goedgekeurd")

    // a participant in the group, the sessions made from the plan, the first scheduled and invited
    await page.click("nav[aria-label=Programma] >> text=Groep")
    await page.fill("#enrol-participant-name", "Gerrit Tuinman")
    await page.fill("#enrol-participant-email", "gerrit@tuinman.example")
    await page.fill("#enrol-participant-organisation", "Tuinman Techniek")
    await submit(page, "enrol")
    await page.click("nav[aria-label=Programma] >> text=Bijeenkomsten")
    await submit(page, "create-from-plan")
    await page.locator("#sessions tbody a").first().click()
    const start = new Date(Date.now() + 30 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10)
    await page.fill("#schedule-start", `${start}T13:00`)
    await page.fill("#schedule-end", `${start}T16:00`)
    await page.fill("#schedule-venue-name", "Kennispark")
    await page.fill("#schedule-venue-address", "Hengelosestraat 500")
    await page.fill("#schedule-venue-city", "Enschede")
    await submit(page, "schedule")
    await submit(page, "invite")
    await expect(page.locator("#state").textContent()).resolves.toBe("Uitgenodigd")
    await check(page, "coordinator-session")

    // the dispatcher runs in the background: the invitation arrives in the outbox, with its calendar part
    const outbox = join(data, "outbox")
    let mail: Awaited<ReturnType<typeof simpleParser>> | undefined
    for (let i = 0; i < 100 && mail === undefined; i++) {
      for (const file of readdirSync(outbox).filter((f) => f.endsWith(".eml"))) {
        const text = readFileSync(join(outbox, file), "utf8")
        if (text.includes("gerrit@tuinman.example") && text.includes("text/calendar")) mail = await simpleParser(text)
      }
      if (mail === undefined) await new Promise((r) => setTimeout(r, 200))
    }
    expect(mail, "the invitation to gerrit@tuinman.example").toBeDefined()
    const calendarPart = mail!.attachments.find((a) => a.contentType === "text/calendar")
    expect(calendarPart, "the invitation's text/calendar part").toBeDefined()
    const ics = calendarPart!.content.toString("utf8")
    expect(ics).toContain("METHOD:REQUEST")
    expect(ics).toContain("Kennispark")
  })

  it("a key person proposes a theme, votes on it, sees the ranking and the plan's validation", async () => {
    const page = await signIn("henk")
    await page.click("text=Achterhoek >> nth=1")
    await expect(page.locator("h1").textContent()).resolves.toBe("Achterhoek")
    await page.fill("#propose-theme-title", "Circulair bouwen")
    await page.selectOption("#propose-theme-scope", "CrossRegional")
    await submit(page, "propose-theme")
    await page.selectOption("#vote-themeId", { label: "Circulair bouwen" })
    await page.fill("#vote-points", "7")
    await submit(page, "vote")
    await expect(page.locator("#ranking tbody tr").first().textContent()).resolves.toMatch(/Circulair bouwen.*7/)
    // one session, a kick-off without administrators: the validation names what is missing
    await page.selectOption("#add-item-role", "KickOff")
    await page.fill("#add-item-goal", "Kennismaken")
    await page.check("#form-add-item input[name=workForms][value=GuestExpert]")
    await submit(page, "add-item")
    await expect(page.locator("#plan-valid").textContent()).resolves.toMatch(/blokkerende eis/)
    await expect(page.locator("#plan-checks li.failed").count()).resolves.toBeGreaterThan(0)
    // a key person may not approve: the page offers no button for it
    await expect(page.locator("#form-approve").count()).resolves.toBe(0)
    await check(page, "keyperson-codesign")

    // another region's lessons: Utrecht's insight and its minutes, shared with the network
    await page.click("text=Kennis uit het netwerk")
    await page.fill("#knowledge-text", "leerwerkplaats")
    await page.click("#form-knowledge button[type=submit]")
    await expect(page.locator("#insights li").first().textContent()).resolves.toContain("Gedeelde leerwerkplaats")
    await page.fill("#knowledge-text", "personeelstekorten")
    await page.click("#form-knowledge button[type=submit]")
    await expect(page.locator("#minutes-found li").count()).resolves.toBeGreaterThan(0)
    await check(page, "keyperson-knowledge")
  })

  it("an organiser records the attendance of a held session and an agreement", async () => {
    const page = await signIn("lotte")
    const programme = `${portal.url}/programmes/${ids.utrecht.programmeId}`
    await page.goto(`${programme}/group`)
    await expect(page.locator("#reserve tbody tr").count()).resolves.toBe(2)
    await check(page, "organiser-group")
    await page.goto(`${programme}/sessions?from=${new Date().toISOString().slice(0, 10)}&preferredWeekdays=2&preferredWeekdays=4`)
    await expect(page.locator("#proposal").count()).resolves.toBe(1)
    await check(page, "organiser-planner")

    await page.goto(`${portal.url}/sessions/${ids.second}`)
    await expect(page.locator("#state").textContent()).resolves.toBe("Uitgenodigd")
    await page.uncheck("#present-0")
    await submit(page, "attendance")
    await expect(page.locator("#state").textContent()).resolves.toBe("Gehouden")
    await expect(page.locator(".notice").textContent()).resolves.toMatch(/aanwezig/)
    await page.fill("#minutes-text", "Acht deelnemers deelden hun aanpak van energiebesparing.")
    await submit(page, "minutes")
    await submit(page, "publish")
    await page.fill("#insight-title", "Energiescan")
    await page.fill("#insight-text", "Een gezamenlijke energiescan scheelt elk bedrijf een dag werk.")
    await submit(page, "insight")
    await check(page, "organiser-session")

    await page.goto(`${programme}/follow-up`)
    await page.fill("#agreement-action", "Energiescan aanbieden aan tien bedrijven")
    await page.selectOption("#agreement-owner-personId", { label: "Lotte Smit" })
    await page.fill("#agreement-dueDate", "2027-06-30")
    await submit(page, "agreement")
    await expect(page.locator("#agreements tbody").textContent()).resolves.toContain("Energiescan aanbieden aan tien bedrijven")
    await check(page, "organiser-follow-up")
  })

  it("a participant answers an invitation, evaluates a session, downloads their data and asks for erasure", async () => {
    const page = await signIn("ilse")
    await expect(page.locator("h1").textContent()).resolves.toBe("Mijn bijeenkomsten")
    const closing = `#form-answer-${ids.closing}`
    await page.selectOption(`${closing} select`, "Declined")
    await page.click(`${closing} button[type=submit]`)
    await expect(page.locator(".notice").textContent()).resolves.toContain("opgeslagen")

    const evaluate = `#form-evaluate-${ids.utrecht.sessionIds[0]}`
    await page.locator(`${evaluate} select`).first().selectOption("5")
    await page.fill(`${evaluate} textarea`, "Sterke gastspreker.")
    await page.click(`${evaluate} button[type=submit]`)
    await expect(page.locator(".notice").textContent()).resolves.toContain("evaluatie")
    // answered once: the form gives way to a thank-you
    await expect(page.locator(evaluate).count()).resolves.toBe(0)

    await page.click("text=Toon mijn agenda-link")
    const feed = await page.locator("#feed-link").getAttribute("href")
    const ics = await (await fetch(`${portal.url}${feed}`)).text()
    expect(ics).toContain("BEGIN:VCALENDAR")

    const download = page.waitForEvent("download")
    await page.click("text=Download alles wat over mij is vastgelegd (JSON)")
    const file = await (await download).path()
    const exported = JSON.parse(readFileSync(file!, "utf8"))
    expect(exported.personId).toBe("per_ilse")
    await check(page, "participant-me")

    await submit(page, "erasure")
    await expect(page.locator(".notice").textContent()).resolves.toContain("coördinator")

    // in English too
    await page.click("text=English")
    await expect(page.locator("h1").textContent()).resolves.toBe("My sessions")
    await check(page, "participant-me-en")

    // the coordinator sees the request and erases
    const coordinator = await signIn("marieke")
    await coordinator.goto(`${portal.url}/privacy/requests`)
    await coordinator.click("#form-erase button[type=submit]")
    await expect(coordinator.locator(".notice").textContent()).resolves.toMatch(/Gewist: \d+ records/)
  })

  it("a key person of another region is refused the programme's pages", async () => {
    const page = await signIn("anouk")
    for (const path of [`/programmes/${ids.utrecht.programmeId}`, `/programmes/${ids.utrecht.programmeId}/group`, `/sessions/${ids.second}`, `/applications/${ids.twente.applicationId}`]) {
      const response = await page.goto(`${portal.url}${path}`)
      expect(response?.status(), path).toBe(403)
      await expect(page.locator("h1").textContent()).resolves.toBe("Geen toegang")
    }
    await check(page, "refused")
  })

  it("a form with bad input shows the error next to the field and keeps what was typed", async () => {
    const page = await signIn("lotte")
    await page.goto(`${portal.url}/programmes/${ids.utrecht.programmeId}/group`)
    await page.fill("#enrol-participant-name", "Karin Oost")
    await page.fill("#enrol-participant-email", "geen-adres")
    await page.fill("#enrol-participant-organisation", "Oost Advies")
    await submit(page, "enrol")
    await expect(page.locator("#enrol-participant-email-error").textContent()).resolves.toMatch(/email/i)
    await expect(page.locator("#enrol-participant-email").getAttribute("aria-invalid")).resolves.toBe("true")
    await expect(page.locator("#enrol-participant-name").inputValue()).resolves.toBe("Karin Oost")
    await expect(page.locator("#enrol-participant-email").inputValue()).resolves.toBe("geen-adres")
    await check(page, "bad-input")
  })

  it("refuses a form without its CSRF token and an oversized body, and sets the session cookie HttpOnly and SameSite", async () => {
    const login = await fetch(`${portal.url}/login`)
    const cookie = login.headers.get("set-cookie") ?? ""
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Lax/)
    const response = await fetch(`${portal.url}/login`, {
      method: "POST",
      headers: { cookie: cookie.split(";")[0]!, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _form: "login", username: "marieke", password: "demo-portal" })
    })
    expect(response.status).toBe(403)
    // a body larger than any form is refused before it is read to the end
    const huge = await fetch(`${portal.url}/login`, {
      method: "POST",
      headers: { cookie: cookie.split(";")[0]!, "content-type": "application/x-www-form-urlencoded" },
      body: `username=${"x".repeat(300_000)}`
    })
    expect(huge.status).toBe(413)
  })
})
