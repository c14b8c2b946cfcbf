import { mkdtempSync, readdirSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import Database from "better-sqlite3"
import ICAL from "ical.js"
import { simpleParser } from "mailparser"
import { describe, expect, it } from "vitest"
import { main } from "../src/quickstart.mjs"

describe("the quickstart", () => {
  it("runs the whole lifecycle on a SQLite file and writes the e-mails and the report", async () => {
    const directory = mkdtempSync(join(tmpdir(), "copkit-quickstart-"))
    const summary = await main(directory)

    expect(summary.applicationReady).toBe(true)
    expect(summary.sessions).toHaveLength(3)
    expect(summary.sessions[0]).toMatch(/^KickOff 2027-/)

    // What the store holds, read with the raw driver.
    const db = new Database(join(directory, "copkit.db"), { readonly: true })
    const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n
    expect(count("copkit_applications")).toBe(1)
    expect(count("copkit_programmes")).toBe(1)
    expect(count("copkit_sessions")).toBe(3)
    expect(count("copkit_enrolments")).toBe(5)
    expect(count("copkit_agreements")).toBe(1)
    const programme = db.prepare("SELECT state FROM copkit_programmes").get() as { state: string }
    expect(programme.state).toBe("Running")
    db.close()

    // Every invitation is an .eml with an iMIP calendar part; none was written twice.
    const files = readdirSync(join(directory, "outbox")).filter((f) => f.endsWith(".eml"))
    expect(files.length).toBe(summary.messagesSent)
    expect(files.length).toBeGreaterThanOrEqual(15)
    const mails = await Promise.all(files.map(async (f) => simpleParser(readFileSync(join(directory, "outbox", f)))))
    const toMark = mails.filter((m) => m.to && !Array.isArray(m.to) && m.to.value[0]?.address === "mark@saxion.example")
    expect(toMark).toHaveLength(3)
    const toIlse = mails.filter((m) => m.to && !Array.isArray(m.to) && m.to.value[0]?.address === "ilse@bakkerij.example")
    expect(toIlse).toHaveLength(3)
    const ics = toIlse[0]!.attachments.find((a) => a.contentType.startsWith("text/calendar"))
    expect(ics).toBeDefined()
    const event = new ICAL.Component(ICAL.parse(ics!.content.toString("utf8"))).getFirstSubcomponent("vevent")!
    expect(event.getFirstPropertyValue("summary")).toBeTruthy()
    expect(String(event.getFirstPropertyValue("location"))).toContain("Kennispark")
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(mails.length)

    // The report is a page a person can read.
    const html = readFileSync(join(directory, "report.html"), "utf8")
    expect(html.trimStart().toLowerCase().startsWith("<!doctype html>")).toBe(true)
    expect(html).toContain("Twente")
    expect(html).toContain("Opzet leerwerkplaats uitwerken met drie bedrijven")
  })
})
