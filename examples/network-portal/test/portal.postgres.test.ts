// The portal by configuration: PostgreSQL for storage and a real SMTP server (smtp-server on
// loopback) for the e-mail, driven over HTTP as a browser would, without one.
import { mkdtempSync, rmSync } from "node:fs"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { simpleParser } from "mailparser"
import pg from "pg"
import { SMTPServer } from "smtp-server"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { fromEnv } from "../src/config.mjs"
import { startPortal } from "../src/portal.mjs"

const url = process.env.COPKIT_TEST_POSTGRES_URL
if (!url) console.warn("skipped: the portal's PostgreSQL test needs COPKIT_TEST_POSTGRES_URL (postgres://postgres@127.0.0.1:5432/test; .ci/run sets it)")

describe.skipIf(!url)("the portal on PostgreSQL and SMTP", () => {
  const schema = `portal_${process.pid}_${Date.now()}`
  const received: Array<{ to: ReadonlyArray<string>; raw: string }> = []
  let smtp: SMTPServer
  let portal: Awaited<ReturnType<typeof startPortal>>
  let data: string

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Array<Buffer> = []
        stream.on("data", (c: Buffer) => chunks.push(c))
        stream.on("end", () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8") })
          callback()
        })
      }
    })
    await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve))
    const port = (smtp.server.address() as AddressInfo).port
    data = mkdtempSync(join(tmpdir(), "copkit-portal-pg-"))
    const config = fromEnv({
      COPKIT_PORTAL_DATA: data,
      COPKIT_PORTAL_DATABASE_URL: url,
      COPKIT_PORTAL_PG_SCHEMA: schema,
      COPKIT_PORTAL_SMTP_HOST: "127.0.0.1",
      COPKIT_PORTAL_SMTP_PORT: String(port)
    })
    portal = await startPortal(config, { port: 0, log: () => {} })
  })

  afterAll(async () => {
    await portal?.close()
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()))
    if (data) rmSync(data, { recursive: true, force: true })
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await client.end()
  })

  /** Signs in with fetch, as a browser without JavaScript would: the login form, its CSRF token, the cookie. */
  const signIn = async (username: string) => {
    const form = await fetch(`${portal.url}/login`)
    let cookie = (form.headers.get("set-cookie") ?? "").split(";")[0]!
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!
    const response = await fetch(`${portal.url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: csrf, _form: "login", username, password: "demo-portal" })
    })
    expect(response.status).toBe(303)
    cookie = (response.headers.get("set-cookie") ?? "").split(";")[0]!
    const get = async (path: string) => {
      const r = await fetch(`${portal.url}${path}`, { headers: { cookie } })
      return { status: r.status, text: await r.text() }
    }
    const post = async (path: string, fields: Record<string, string>) => {
      const page = await get(path)
      const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!
      const r = await fetch(`${portal.url}${path}`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ _csrf: token, ...fields })
      })
      return { status: r.status, text: await r.text() }
    }
    return { get, post }
  }

  it("keeps its data in the configured schema and sends the seed's and the portal's e-mail over SMTP", async () => {
    const db = new pg.Client({ connectionString: url })
    await db.connect()
    const tables = await db.query("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1", [schema])
    await db.end()
    expect(tables.rows[0].n).toBeGreaterThan(0)

    const coordinator = await signIn("marieke")
    const network = await coordinator.get("/network")
    expect(network.status).toBe(200)
    expect(network.text).toContain("Regio Utrecht")

    // an organiser enrols a participant, and a bad e-mail address is refused with the field named
    const lotte = await signIn("lotte")
    const group = `/programmes/${portal.seeded!.utrecht.programmeId}/group`
    const bad = await lotte.post(group, { _form: "enrol", "participant.name": "Karin Oost", "participant.email": "geen-adres", "participant.organisation": "Oost", "participant.helixRole": "Knowledge", "participant.language": "nl" })
    expect(bad.status).toBe(422)
    expect(bad.text).toContain('id="enrol-participant-email-error"')
    expect(bad.text).toContain('value="Karin Oost"')
    const good = await lotte.post(group, { _form: "enrol", "participant.name": "Karin Oost", "participant.email": "karin@oost.example", "participant.organisation": "Oost", "participant.helixRole": "Knowledge", "participant.language": "nl" })
    expect(good.status).toBe(303)
    expect((await lotte.get(group)).text).toContain("Karin Oost")

    // the dispatcher delivers the seed's outbox over SMTP: the invitations carry their calendar part
    for (let i = 0; i < 150 && !received.some((m) => m.raw.includes("text/calendar")); i++) await new Promise((r) => setTimeout(r, 200))
    const invitation = received.find((m) => m.raw.includes("text/calendar"))
    expect(invitation, "an invitation over SMTP").toBeDefined()
    const parsed = await simpleParser(invitation!.raw)
    expect(parsed.attachments.some((a) => a.contentType === "text/calendar" && a.content.toString("utf8").includes("BEGIN:VEVENT"))).toBe(true)
  })
})
