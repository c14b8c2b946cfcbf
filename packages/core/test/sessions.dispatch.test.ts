import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, TestClock } from "effect"
import { Calendar, Dispatcher, Notification, Sessions } from "@copkit/core"
import { Memory } from "@copkit/testing"
import { enrolAll, keyPerson, participant, people, regions, seedProgramme, system, TestLayer, utrechtGroup } from "./sessions.fixtures.js"

/** Templates and a renderer just rich enough to see what was sent. */
const rendering = Layer.mergeAll(
  Layer.succeed(Notification.MessageTemplates, {
    render: (n) =>
      Effect.succeed({
        subject: `${n.kind} [${n.recipient.language}] ${n.session?.title ?? ""}`,
        text: `Hallo ${n.recipient.name}`,
        html: `<p>Hallo ${n.recipient.name}</p>`
      })
  }),
  Layer.succeed(Calendar.CalendarRenderer, {
    invitation: (event, attendee, method) =>
      Effect.succeed(
        `BEGIN:VCALENDAR\r\nMETHOD:${method}\r\nBEGIN:VEVENT\r\nUID:${event.uid}\r\nSEQUENCE:${event.sequence}\r\nSTATUS:${event.status}\r\nDTSTART:${event.start.toISOString()}\r\nATTENDEE:mailto:${attendee.email}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`
      ),
    feed: () => Effect.succeed("")
  })
)

const World = Layer.merge(TestLayer, rendering)

const sent = Effect.flatMap(Memory.MemoryMailer, (m) => m.sent)

describe("Sessions through the dispatcher", () => {
  it.effect("invitations, updates, reminders and cancellations go out once per event and person", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(new Date("2027-02-01T09:00:00Z").getTime())
      const programme = yield* seedProgramme(regions.utrecht, "prg_utrecht")
      yield* enrolAll(programme.id, utrechtGroup)
      const s = yield* Sessions.Sessions
      const [first] = yield* s.createFromPlan({ programmeId: programme.id }).pipe(keyPerson)
      yield* s.schedule({ sessionId: first!.id, start: "2027-03-02T13:00:00Z", end: "2027-03-02T16:00:00Z", venue: { name: "Stadskantoor" } })
        .pipe(keyPerson)
      yield* s.invite({ sessionId: first!.id }).pipe(keyPerson)
      const dispatcher = yield* Dispatcher.make({ consumer: "test", from: { name: "Copkit", address: "noreply@copkit.example" } })

      yield* dispatcher.runOnce
      const invitations = yield* sent
      // a batch is sent concurrently: the order of arrival is not fixed
      const byAddress = (rows: ReadonlyArray<ReadonlyArray<unknown>>) => [...rows].sort((a, b) => String(a[0]).localeCompare(String(b[0])))
      expect(byAddress(invitations.map((m) => [m.to[0]?.address, m.subject, m.calendar?.method]))).toEqual(byAddress([
        ["ilse@bakkerijmulder.nl", "Invitation [nl] Aftrap: Personeelstekorten", "REQUEST"],
        ["sanne@devries-metaal.nl", "Invitation [nl] Aftrap: Personeelstekorten", "REQUEST"],
        ["m.visser@hu.nl", "Invitation [en] Aftrap: Personeelstekorten", "REQUEST"],
        ["fleur.jansen@kvk.nl", "Invitation [nl] Aftrap: Personeelstekorten", "REQUEST"]
      ]))
      expect(invitations[0]?.calendar?.ics).toContain(`UID:${first!.id}@copkit`)
      expect(invitations[0]?.calendar?.ics).toContain("SEQUENCE:0")
      expect(invitations[0]?.replyTo?.address).toBe("kennisnetwerk@example.nl")

      // a second run sends nothing again
      yield* dispatcher.runOnce
      expect((yield* sent).length).toBe(4)

      yield* s.reschedule({ sessionId: first!.id, start: "2027-03-09T13:00:00Z", end: "2027-03-09T16:00:00Z" }).pipe(keyPerson)
      yield* dispatcher.runOnce
      const updates = (yield* sent).slice(4)
      expect(updates).toHaveLength(4)
      expect(updates.every((m) => m.subject.startsWith("Update") && m.calendar?.method === "REQUEST")).toBe(true)
      expect(updates[0]?.calendar?.ics).toContain("SEQUENCE:1")
      expect(updates[0]?.calendar?.ics).toContain("DTSTART:2027-03-09T13:00:00.000Z")

      // a week before: the answer reminder to those who have not answered, the reminder to those who did not decline
      yield* s.answer({ sessionId: first!.id, personId: people.baker.id, answer: "Declined" }).pipe(participant)
      yield* s.answer({ sessionId: first!.id, personId: people.chamber.id, answer: "Accepted" }).pipe(keyPerson)
      yield* TestClock.setTime(new Date("2027-03-02T13:00:00Z").getTime())
      yield* s.sendDueReminders().pipe(system)
      yield* dispatcher.runOnce
      const reminders = (yield* sent).slice(8)
      const byKindAndAddress = (rows: ReadonlyArray<ReadonlyArray<unknown>>) => [...rows].sort((a, b) => `${a[0]} ${a[1]}`.localeCompare(`${b[0]} ${b[1]}`))
      expect(byKindAndAddress(reminders.map((m) => [m.subject.split(" ")[0], m.to[0]?.address, m.calendar]))).toEqual(byKindAndAddress([
        ["AnswerReminder", "sanne@devries-metaal.nl", undefined],
        ["AnswerReminder", "m.visser@hu.nl", undefined],
        ["Reminder", "sanne@devries-metaal.nl", undefined],
        ["Reminder", "m.visser@hu.nl", undefined],
        ["Reminder", "fleur.jansen@kvk.nl", undefined]
      ]))

      yield* s.cancel({ sessionId: first!.id, reason: "Te weinig aanmeldingen." }).pipe(keyPerson)
      yield* dispatcher.runOnce
      yield* dispatcher.runOnce
      const cancellations = (yield* sent).slice(13)
      expect(cancellations.map((m) => [m.subject.split(" ")[0], m.calendar?.method])).toEqual(Array(4).fill(["Cancellation", "CANCEL"]))
      expect(cancellations[0]?.calendar?.ics).toContain("SEQUENCE:2")
      expect(cancellations[0]?.calendar?.ics).toContain("STATUS:CANCELLED")
    }).pipe(Effect.provide(World)))
})
