import { describe, expect, it } from "vitest"
import { ICalendar } from "@copkit/calendar-ical"
import { Application, Client } from "@copkit/core"
import { FileMailer, Templates } from "@copkit/email-smtp"
import { Fixtures, Memory } from "@copkit/testing"
import ICAL from "ical.js"
import { simpleParser } from "mailparser"
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

// The messages the intake owes people, as a team would see them: built from plain options with the
// Promise facade, sent by the dispatcher into .eml files, read back with mailparser and ical.js.

interface Received {
  readonly file: string
  readonly to: string
  readonly subject: string
  readonly text: string
  readonly ics?: { readonly method: string; readonly uid: string; readonly sequence: number; readonly start: number; readonly end: number; readonly status: string }
}

const readAll = async (directory: string, seen: Set<string>): Promise<ReadonlyArray<Received>> => {
  const out: Array<Received> = []
  for (const file of readdirSync(directory).filter((f) => f.endsWith(".eml") && !seen.has(f)).sort()) {
    seen.add(file)
    const mail = await simpleParser(readFileSync(join(directory, file)))
    const part = mail.attachments.find((a) => a.contentType.startsWith("text/calendar"))
    let ics: Received["ics"]
    if (part !== undefined) {
      const calendar = new ICAL.Component(ICAL.parse(part.content.toString("utf8")))
      const v = calendar.getFirstSubcomponent("vevent")!
      ics = {
        method: String(calendar.getFirstPropertyValue("method")),
        uid: String(v.getFirstPropertyValue("uid")),
        sequence: Number(v.getFirstPropertyValue("sequence")),
        start: (v.getFirstPropertyValue("dtstart") as InstanceType<typeof ICAL.Time>).toUnixTime() * 1000,
        end: (v.getFirstPropertyValue("dtend") as InstanceType<typeof ICAL.Time>).toUnixTime() * 1000,
        status: String(v.getFirstPropertyValue("status"))
      }
    }
    const to = Array.isArray(mail.to) ? mail.to[0]!.value[0]!.address! : mail.to!.value[0]!.address!
    out.push({ file, to, subject: mail.subject ?? "", text: mail.text ?? "", ...(ics === undefined ? {} : { ics }) })
  }
  return out.sort((a, b) => a.to.localeCompare(b.to))
}

const setUp = () => {
  const directory = mkdtempSync(join(tmpdir(), "copkit-intake-mail-"))
  const client = Client.make({
    storage: Memory.layer,
    dispatcher: {
      from: { name: "Kennisnetwerk brede mkb", address: "noreply@kennisnetwerk.example" },
      mailer: FileMailer.layer({ directory }),
      templates: Templates.layer,
      calendar: ICalendar.layer
    }
  })
  return { directory, client, seen: new Set<string>() }
}

const { actors } = Fixtures
const input = Fixtures.applicationInput()
const addresses = [...new Set([input.contact, ...input.keyPersons].map((p) => p.email!.toLowerCase()))].sort()

describe("The messages of the intake", () => {
  it("a receipt on submission; the exploratory conversation invited, moved and cancelled by the decline, with the reason", async () => {
    const { client, directory, seen } = setUp()
    try {
      const draft = await client.intake.create(actors.keyPerson, input)
      await client.intake.submit(actors.keyPerson, { applicationId: draft.id })
      await client.dispatcher.runOnce()
      const receipts = await readAll(directory, seen)
      expect(receipts.map((m) => [m.to, m.subject])).toEqual([[input.contact.email, "Aanmelding ontvangen: Regio Utrecht"]])

      const at = "2027-01-12T10:00:00+01:00"
      await client.intake.scheduleExploration(actors.coordinator, { applicationId: draft.id, at, location: "Provinciehuis Utrecht" })
      await client.dispatcher.runOnce()
      const invitations = await readAll(directory, seen)
      // the contact and every key person, once each
      expect(invitations.map((m) => m.to.toLowerCase())).toEqual(addresses)
      for (const m of invitations) {
        expect(m.subject).toMatch(/^(Uitnodiging verkenningsgesprek|Invitation to an exploratory conversation): Regio Utrecht/)
        expect(m.text).toContain("Provinciehuis Utrecht")
        expect(m.ics).toMatchObject({ method: "REQUEST", uid: `${draft.id}.exploration@copkit`, sequence: 0, status: "CONFIRMED" })
        expect(m.ics!.start).toBe(Date.parse(at))
        expect(m.ics!.end - m.ics!.start).toBe(90 * 60_000)
      }

      const moved = "2027-01-19T14:00:00+01:00"
      await client.intake.scheduleExploration(actors.coordinator, { applicationId: draft.id, at: moved, durationMinutes: 60 })
      await client.dispatcher.runOnce()
      const updates = await readAll(directory, seen)
      expect(updates).toHaveLength(addresses.length)
      for (const m of updates) {
        expect(m.ics).toMatchObject({ method: "REQUEST", uid: `${draft.id}.exploration@copkit`, sequence: 1 })
        expect(m.ics!.start).toBe(Date.parse(moved))
        expect(m.ics!.end - m.ics!.start).toBe(60 * 60_000)
      }

      const reason = "Er zijn nog te weinig ondernemers betrokken bij de aanmelding."
      await client.intake.decline(actors.coordinator, { applicationId: draft.id, reason })
      await client.dispatcher.runOnce()
      const decisions = await readAll(directory, seen)
      expect(decisions.map((m) => m.to.toLowerCase())).toEqual(addresses)
      for (const m of decisions) {
        expect(m.text).toContain(reason)
        // declined before the conversation: its calendar item is cancelled with a higher sequence
        expect(m.ics).toMatchObject({ method: "CANCEL", uid: `${draft.id}.exploration@copkit`, sequence: 2, status: "CANCELLED" })
      }
      // nothing is sent twice
      await client.dispatcher.runOnce()
      expect(await readAll(directory, seen)).toEqual([])
    } finally {
      await client.dispose()
      rmSync(directory, { recursive: true, force: true })
    }
  })

  it("a withdrawal before the conversation cancels it; an acceptance tells everyone, with the reason", async () => {
    const { client, directory, seen } = setUp()
    try {
      const withdrawn = await client.intake.create(actors.keyPerson, input)
      await client.intake.submit(actors.keyPerson, { applicationId: withdrawn.id })
      await client.intake.scheduleExploration(actors.coordinator, { applicationId: withdrawn.id, at: "2027-01-12T10:00:00+01:00" })
      await client.dispatcher.runOnce()
      await readAll(directory, seen)
      await client.intake.withdraw(actors.keyPerson, { applicationId: withdrawn.id, reason: "De regio kiest eerst voor een eigen traject." })
      await client.dispatcher.runOnce()
      const cancellations = await readAll(directory, seen)
      expect(cancellations.map((m) => m.to.toLowerCase())).toEqual(addresses)
      expect(cancellations.every((m) => m.ics?.method === "CANCEL" && m.ics.sequence === 1)).toBe(true)

      const accepted = await client.intake.create(actors.keyPerson, input)
      await client.intake.submit(actors.keyPerson, { applicationId: accepted.id })
      await client.intake.scheduleExploration(actors.coordinator, { applicationId: accepted.id, at: "2027-02-10T10:00:00+01:00" })
      for (const criterion of Application.criteria) {
        await client.intake.assess(actors.coordinator, { applicationId: accepted.id, criterion, score: 4, note: "Voldoende onderbouwd." })
      }
      await client.dispatcher.runOnce()
      await readAll(directory, seen)
      const reason = "Veel energie bij ondernemers en gemeenten; de drie helices doen mee."
      await client.intake.accept(actors.coordinator, { applicationId: accepted.id, reason })
      await client.dispatcher.runOnce()
      const decisions = await readAll(directory, seen)
      expect(decisions.map((m) => m.to.toLowerCase())).toEqual(addresses)
      expect(decisions.every((m) => m.text.includes(reason) && m.ics === undefined)).toBe(true)
    } finally {
      await client.dispose()
      rmSync(directory, { recursive: true, force: true })
    }
  })
})
