import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, TestClock } from "effect"
import { Calendar, Dispatcher, Notification, Report, ReportRender, Sessions } from "@copkit/core"
import { enrolAll, keyPerson, participant, regions, seedProgramme, TestLayer, utrechtGroup } from "./sessions.fixtures.js"

// Online and hybrid sessions: the join link reaches the invitees (the message and the calendar
// item) and nobody else (no feed, no report), and changing it sends an update.

const link = "https://meet.example.nl/kennisnetwerk/utrecht-aftrap?pwd=abc123"
const newLink = "https://meet.example.nl/kennisnetwerk/utrecht-aftrap-2"

/** What the dispatcher hands the templates and the renderer, kept to look at. */
const seen: { notifications: Array<Notification.Notification>; events: Array<Calendar.CalendarEvent> } = {
  notifications: [],
  events: []
}

const rendering = Layer.mergeAll(
  Layer.succeed(Notification.MessageTemplates, {
    render: (n) =>
      Effect.sync(() => {
        seen.notifications.push(n)
        return { subject: `${n.kind} ${n.session?.title ?? ""}`, text: `Hallo ${n.recipient.name}`, html: `<p>Hallo</p>` }
      })
  }),
  Layer.succeed(Calendar.CalendarRenderer, {
    invitation: (event, _attendee, method) =>
      Effect.sync(() => {
        seen.events.push(event)
        return `BEGIN:VCALENDAR\r\nMETHOD:${method}\r\nBEGIN:VEVENT\r\nUID:${event.uid}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`
      }),
    feed: () => Effect.succeed("")
  })
)

const World = Layer.merge(TestLayer, rendering)

describe("Online and hybrid sessions", () => {
  it.effect("an online session needs a join link, one at the venue has none; bad links are refused naming the field", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(new Date("2027-02-01T09:00:00Z").getTime())
      const programme = yield* seedProgramme(regions.utrecht, "prg_utrecht")
      const s = yield* Sessions.Sessions
      const [first] = yield* s.createFromPlan({ programmeId: programme.id }).pipe(keyPerson)
      const slot = { sessionId: first!.id, start: "2027-03-02T13:00:00Z", end: "2027-03-02T16:00:00Z" }

      const missing = yield* s.schedule({ ...slot, format: "Online" }).pipe(keyPerson, Effect.flip)
      expect(missing).toMatchObject({ _tag: "RuleViolation", rule: "join-link-required" })
      const onSite = yield* s.schedule({ ...slot, joinUrl: link }).pipe(keyPerson, Effect.flip)
      expect(onSite).toMatchObject({ _tag: "RuleViolation", rule: "join-link-online-only" })
      for (const bad of ["http://meet.example.nl/x", "javascript:alert(1)", "https://", "https://meet.example.nl/a b"]) {
        const error = yield* s.schedule({ ...slot, format: "Online", joinUrl: bad }).pipe(keyPerson, Effect.flip)
        expect(error._tag).toBe("ValidationError")
        expect(JSON.stringify(error)).toContain("joinUrl")
      }
      // nothing of the refused calls was stored
      expect((yield* s.get({ sessionId: first!.id }).pipe(keyPerson)).value.state).toBe("Draft")

      const hybrid = yield* s.schedule({ ...slot, format: "Hybrid", joinUrl: link, venue: { name: "Stadskantoor" } }).pipe(keyPerson)
      expect(hybrid).toMatchObject({ format: "Hybrid", joinUrl: link, state: "Scheduled" })
      // moved without naming the format: it stays hybrid with its link
      const moved = yield* s.reschedule({ ...slot, start: "2027-03-09T13:00:00Z", end: "2027-03-09T16:00:00Z" }).pipe(keyPerson)
      expect(moved).toMatchObject({ format: "Hybrid", joinUrl: link })
      // back to the venue: the link goes
      const back = yield* s.changeJoinLink({ sessionId: first!.id, format: "OnSite" }).pipe(keyPerson)
      expect(back.format).toBe("OnSite")
      expect(back.joinUrl).toBeUndefined()
    }).pipe(Effect.provide(World)))

  it.effect("the link reaches the invitees' messages and calendar items, an update carries a new link, and no feed or report shows it", () =>
    Effect.gen(function*() {
      seen.notifications.length = 0
      seen.events.length = 0
      yield* TestClock.setTime(new Date("2027-02-01T09:00:00Z").getTime())
      const programme = yield* seedProgramme(regions.utrecht, "prg_utrecht")
      yield* enrolAll(programme.id, utrechtGroup)
      const s = yield* Sessions.Sessions
      const [first] = yield* s.createFromPlan({ programmeId: programme.id }).pipe(keyPerson)
      yield* s.schedule({ sessionId: first!.id, start: "2027-03-02T13:00:00Z", end: "2027-03-02T16:00:00Z", format: "Online", joinUrl: link })
        .pipe(keyPerson)
      yield* s.invite({ sessionId: first!.id }).pipe(keyPerson)
      const dispatcher = yield* Dispatcher.make({ consumer: "test", from: { address: "noreply@copkit.example" } })
      yield* dispatcher.runOnce
      expect(seen.notifications).toHaveLength(4)
      expect(seen.notifications.every((n) => n.kind === "Invitation" && n.session?.joinUrl === link && n.session.format === "Online")).toBe(true)
      expect(seen.events.every((e) => e.conference === link)).toBe(true)

      const changed = yield* s.changeJoinLink({ sessionId: first!.id, format: "Online", joinUrl: newLink }).pipe(keyPerson)
      expect(changed.sequence).toBe(1)
      yield* dispatcher.runOnce
      const updates = seen.notifications.slice(4)
      expect(updates).toHaveLength(4)
      expect(updates.every((n) => n.kind === "Update" && n.session?.joinUrl === newLink && n.session.sequence === 1)).toBe(true)
      expect(seen.events.slice(4).every((e) => e.conference === newLink && e.sequence === 1)).toBe(true)

      // the feeds of the programme and of a person, and the report: no link anywhere
      const programmeFeed = yield* s.feedEvents({ programmeId: programme.id }).pipe(keyPerson)
      const personFeed = yield* s.feedEvents({ personId: utrechtGroup[0]!.id! }).pipe(participant)
      expect(programmeFeed.length).toBeGreaterThan(0)
      expect(JSON.stringify([programmeFeed, personFeed])).not.toContain("meet.example.nl")

      yield* s.cancel({ sessionId: first!.id, reason: "De spreker is ziek." }).pipe(keyPerson)
      yield* dispatcher.runOnce
      // a cancellation's calendar item carries no link
      expect(seen.events.slice(8).every((e) => e.conference === undefined && e.status === "CANCELLED")).toBe(true)
      const sessions = (yield* s.list({ programmeId: programme.id }).pipe(keyPerson)).map((v) => v.value)
      const report = Report.build({ programme, sessions, enrolments: [], agreements: [], measures: [], insights: [], generatedAt: new Date() })
      expect(report.sessions.length).toBeGreaterThan(0)
      expect(JSON.stringify(report) + ReportRender.toHtml(report) + ReportRender.toMarkdown(report)).not.toContain("meet.example.nl")
    }).pipe(Effect.provide(World)))
})
