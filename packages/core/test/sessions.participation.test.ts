import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Schema, TestClock } from "effect"
import { Calendar, Dispatcher, EventLog, Notification, Person, Programme, Repository, Sessions, Settings } from "@copkit/core"
import { Memory } from "@copkit/testing"
import { enrolAll, keyPerson, people, regions, seedProgramme, TestLayer, utrechtGroup } from "./sessions.fixtures.js"

// Active participation ("actieve deelname"): a fixed participant who misses sessions in a row is
// noticed once per streak — the core team gets a message, the group report warns and shows each
// participant's attendance.

const rendering = Layer.mergeAll(
  Layer.succeed(Notification.MessageTemplates, {
    render: (n) =>
      Effect.succeed({
        subject: `${n.kind} ${n.absence?.participant.name ?? n.session?.title ?? ""} ${n.absence?.sessions.length ?? ""}`.trim(),
        text: "Hallo",
        html: "<p>Hallo</p>"
      })
  }),
  Layer.succeed(Calendar.CalendarRenderer, {
    invitation: (event) => Effect.succeed(`BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:${event.uid}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`),
    feed: () => Effect.succeed("")
  })
)

const World = Layer.merge(TestLayer, rendering)

const days = (n: number) => new Date(Date.parse("2027-03-01T13:00:00Z") + n * 24 * 3_600_000)

describe("Active participation", () => {
  it.effect("two missed sessions in a row: the core team is told once, the group report warns; a session attended ends the streak", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2027-02-01T09:00:00Z"))
      const seeded = yield* seedProgramme(regions.utrecht, "prg_utrecht")
      // the core team: the chamber's key person (with an address) gets the notice
      const programmes = yield* Repository.ProgrammeRepository
      const chamber = Schema.decodeUnknownSync(Person.Person)({ ...people.chamber, language: "nl" })
      yield* programmes.save(
        new Programme.Programme({ ...seeded, coreTeam: [new Programme.CoreTeamMember({ person: chamber, joinedAt: days(-60) })] }),
        1
      )
      yield* enrolAll(seeded.id, utrechtGroup)
      const s = yield* Sessions.Sessions
      const created = yield* s.createFromPlan({ programmeId: seeded.id }).pipe(keyPerson)
      for (const [n, session] of created.entries()) {
        yield* s.schedule({ sessionId: session.id, start: days(7 * n).toISOString(), end: new Date(days(7 * n).getTime() + 3 * 3_600_000).toISOString() })
          .pipe(keyPerson)
        yield* s.invite({ sessionId: session.id }).pipe(keyPerson)
      }
      const dispatcher = yield* Dispatcher.make({ consumer: "test", from: { address: "noreply@copkit.example" } })
      yield* dispatcher.runOnce
      const mailer = yield* Memory.MemoryMailer
      const before = (yield* mailer.sent).length

      const baker = people.baker.id
      const everyoneBut = (absent: ReadonlyArray<string>) =>
        utrechtGroup.map((p) => ({ personId: p.id!, present: !absent.includes(p.id!) }))
      const log = yield* EventLog.EventLog
      const noticesIn = Effect.map(log.read(), (events) => events.filter((e) => e.event._tag === "ParticipantMissedSessions"))

      // session 1: the baker is there; session 2: not (one missed: nothing yet)
      yield* TestClock.setTime(days(0).getTime() + 4 * 3_600_000)
      yield* s.recordAttendance({ sessionId: created[0]!.id, attendance: everyoneBut([]) }).pipe(keyPerson)
      yield* TestClock.setTime(days(7).getTime() + 4 * 3_600_000)
      yield* s.recordAttendance({ sessionId: created[1]!.id, attendance: everyoneBut([baker]) }).pipe(keyPerson)
      expect(yield* noticesIn).toHaveLength(0)

      // session 3: the baker misses again, and the college's participant has no entry at all (absent too)
      yield* TestClock.setTime(days(14).getTime() + 4 * 3_600_000)
      const college = people.college.id
      yield* s.recordAttendance({
        sessionId: created[2]!.id,
        attendance: everyoneBut([baker]).filter((a) => a.personId !== college)
      }).pipe(keyPerson)
      const notices = yield* noticesIn
      expect(notices).toHaveLength(1)
      expect(notices[0]!.event).toMatchObject({ personId: baker, sessionIds: [created[1]!.id, created[2]!.id] })

      yield* dispatcher.runOnce
      const sent = (yield* mailer.sent).slice(before).filter((m) => m.subject.startsWith("MissedSessions"))
      expect(sent.map((m) => [m.to[0]?.address, m.subject])).toEqual([[people.chamber.email, `MissedSessions ${people.baker.name} 2`]])

      // a correction of the attendance does not tell the team again
      yield* s.recordAttendance({ sessionId: created[2]!.id, attendance: everyoneBut([baker]) }).pipe(keyPerson)
      expect(yield* noticesIn).toHaveLength(1)

      // the group report: the warning, and each participant's attendance
      const group = yield* s.group({ programmeId: seeded.id }).pipe(keyPerson)
      expect(group.warnings.filter((w) => w.rule === "participant-missing").map((w) => w.message)).toEqual([
        `${people.baker.name} missed the last 2 sessions in a row.`
      ])
      const bakerRow = group.attendance.find((a) => a.personId === baker)
      expect(bakerRow).toMatchObject({ invited: 3, present: 1, missedInARow: 2 })
      expect(group.attendance.find((a) => a.personId === people.entrepreneur.id)).toMatchObject({ invited: 3, present: 3, missedInARow: 0 })
    }).pipe(Effect.provide(World)))

  it.effect("the setting: 0 turns the notice off", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2027-02-01T09:00:00Z"))
      const seeded = yield* seedProgramme(regions.utrecht, "prg_utrecht")
      yield* enrolAll(seeded.id, utrechtGroup)
      const s = yield* Sessions.Sessions
      const created = yield* s.createFromPlan({ programmeId: seeded.id }).pipe(keyPerson)
      for (const [n, session] of created.entries()) {
        yield* s.schedule({ sessionId: session.id, start: days(7 * n).toISOString(), end: new Date(days(7 * n).getTime() + 3 * 3_600_000).toISOString() })
          .pipe(keyPerson)
        yield* s.invite({ sessionId: session.id }).pipe(keyPerson)
      }
      for (const [n, session] of created.entries()) {
        yield* TestClock.setTime(days(7 * n).getTime() + 4 * 3_600_000)
        yield* s.recordAttendance({ sessionId: session.id, attendance: [{ personId: people.baker.id, present: false }] }).pipe(keyPerson)
      }
      const log = yield* EventLog.EventLog
      expect((yield* log.read()).filter((e) => e.event._tag === "ParticipantMissedSessions")).toHaveLength(0)
      const group = yield* s.group({ programmeId: seeded.id }).pipe(keyPerson)
      expect(group.warnings.some((w) => w.rule === "participant-missing")).toBe(false)
    }).pipe(Effect.provide(World), Effect.provide(Settings.layer({ participants: { missedInARow: 0 } }))))
})
