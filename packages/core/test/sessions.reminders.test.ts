import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import { DateTime } from "luxon"
import { EventLog, Notification, Session, Sessions, Settings } from "@copkit/core"
import { enrolAll, keyPerson, organiser, participant, people, regions, seedProgramme, system, TestLayer, utrechtGroup } from "./sessions.fixtures.js"

const service = Sessions.Sessions
const zone = "Europe/Amsterdam"
const local = (iso: string) => DateTime.fromISO(iso, { zone }).toJSDate()
const setTime = (iso: string) => TestClock.setTime(new Date(iso).getTime())

/** A session on Tuesday 30 March 2027, 14:00 in Amsterdam: two days after the change to summer time. */
const invitedAcrossDst = Effect.gen(function*() {
  yield* setTime("2027-03-01T09:00:00Z")
  const programme = yield* seedProgramme(regions.utrecht, "prg_utrecht")
  yield* enrolAll(programme.id, utrechtGroup)
  const s = yield* service
  const [first] = yield* s.createFromPlan({ programmeId: programme.id }).pipe(keyPerson)
  yield* s.schedule({
    sessionId: first!.id,
    start: local("2027-03-30T14:00").toISOString(),
    end: local("2027-03-30T17:00").toISOString()
  }).pipe(keyPerson)
  return yield* s.invite({ sessionId: first!.id }).pipe(keyPerson)
})

const reminderEvents = Effect.gen(function*() {
  const log = yield* EventLog.EventLog
  return (yield* log.read()).filter((e) => e.event._tag === "SessionReminderDue")
})

describe("Sessions: reminders", () => {
  it.effect("sends each reminder once, at the same clock time across the daylight-saving change", () =>
    Effect.gen(function*() {
      const session = yield* invitedAcrossDst
      expect(session.start?.toISOString()).toBe("2027-03-30T12:00:00.000Z") // CEST, UTC+2
      const s = yield* service
      yield* s.answer({ sessionId: session.id, personId: people.baker.id, answer: "Accepted" }).pipe(participant)
      yield* s.answer({ sessionId: session.id, personId: people.chamber.id, answer: "Declined" }).pipe(organiser)

      // the answer reminder, 14 days before: 16 March 14:00 CET = 13:00Z
      yield* setTime("2027-03-16T12:59:00Z")
      expect(yield* s.sendDueReminders().pipe(system)).toEqual([])
      yield* setTime("2027-03-16T13:00:00Z")
      const answerReminders = yield* s.sendDueReminders().pipe(system)
      expect(answerReminders).toEqual([
        { sessionId: session.id, kind: "AnswerReminder", daysBefore: 14, personIds: [people.entrepreneur.id, people.college.id] }
      ])
      expect(yield* s.sendDueReminders().pipe(system)).toEqual([])

      // 7 days before: 23 March 14:00 CET = 13:00Z (not 12:00Z, the start's UTC time)
      yield* setTime("2027-03-23T12:00:00Z")
      expect(yield* s.sendDueReminders().pipe(system)).toEqual([])
      yield* setTime("2027-03-23T13:00:00Z")
      const week = yield* s.sendDueReminders().pipe(system)
      expect(week.map((r) => [r.kind, r.daysBefore, r.personIds])).toEqual([
        ["Reminder", 7, [people.baker.id, people.entrepreneur.id, people.college.id]]
      ])
      // 1 day before: 29 March 14:00 CEST = 12:00Z
      yield* setTime("2027-03-29T11:59:00Z")
      expect(yield* s.sendDueReminders().pipe(system)).toEqual([])
      yield* setTime("2027-03-29T12:00:00Z")
      expect((yield* s.sendDueReminders().pipe(system)).map((r) => r.daysBefore)).toEqual([1])
      expect(yield* s.sendDueReminders().pipe(system)).toEqual([])
      // after the start nothing more
      yield* setTime("2027-03-30T12:30:00Z")
      expect(yield* s.sendDueReminders().pipe(system)).toEqual([])

      const events = yield* reminderEvents
      expect(events.map((e) => e.event._tag === "SessionReminderDue" && [e.event.kind, e.event.daysBefore])).toEqual([
        ["AnswerReminder", 14],
        ["Reminder", 7],
        ["Reminder", 1]
      ])
      const source = yield* Notification.NotificationSource
      const weekNotes = yield* source.forEvent(events[1]!)
      expect(weekNotes.map((n) => [n.kind, n.calendarMethod, n.recipient.email, n.recipient.language])).toEqual([
        ["Reminder", undefined, "ilse@bakkerijmulder.nl", "nl"],
        ["Reminder", undefined, "sanne@devries-metaal.nl", "nl"],
        ["Reminder", undefined, "m.visser@hu.nl", "en"]
      ])
      const answerNotes = yield* source.forEvent(events[0]!)
      expect(answerNotes.map((n) => n.kind)).toEqual(["AnswerReminder", "AnswerReminder"])
    }).pipe(Effect.provide(TestLayer)))

  it.effect("reminders move with a reschedule; a reminder raised for the old start is not sent", () =>
    Effect.gen(function*() {
      const session = yield* invitedAcrossDst
      const s = yield* service
      yield* setTime("2027-03-23T13:00:00Z")
      expect((yield* s.sendDueReminders().pipe(system)).map((r) => [r.kind, r.daysBefore])).toEqual([
        ["AnswerReminder", 14],
        ["Reminder", 7]
      ])
      // moved a week later: the 7-day reminder is due again, for the new start, on 30 March
      yield* s.reschedule({
        sessionId: session.id,
        start: local("2027-04-06T14:00").toISOString(),
        end: local("2027-04-06T17:00").toISOString()
      }).pipe(keyPerson)
      const stale = (yield* reminderEvents)[1]!
      expect(yield* Effect.flatMap(Notification.NotificationSource, (src) => src.forEvent(stale))).toEqual([])
      expect((yield* s.sendDueReminders().pipe(system)).map((r) => [r.kind, r.daysBefore])).toEqual([["AnswerReminder", 14]])
      yield* setTime("2027-03-30T11:59:00Z")
      expect(yield* s.sendDueReminders().pipe(system)).toEqual([])
      yield* setTime("2027-03-30T12:00:00Z")
      expect((yield* s.sendDueReminders().pipe(system)).map((r) => [r.kind, r.daysBefore])).toEqual([["Reminder", 7]])
    }).pipe(Effect.provide(TestLayer)))

  it.effect("a job that did not run sends only the nearest reminder; offsets come from the settings", () =>
    Effect.gen(function*() {
      const session = yield* invitedAcrossDst
      const s = yield* service
      yield* setTime("2027-03-29T18:00:00Z")
      const sent = yield* s.sendDueReminders().pipe(system)
      expect(sent.map((r) => [r.kind, r.daysBefore])).toEqual([["AnswerReminder", 14], ["Reminder", 1]])
      const stored = yield* Effect.flatMap(service, (x) => x.get({ sessionId: session.id })).pipe(keyPerson)
      expect(stored.value.remindersSent.map((m) => [m.kind, m.daysBefore, m.sent])).toEqual([
        ["AnswerReminder", 14, true],
        ["Reminder", 1, true],
        ["Reminder", 7, false]
      ])
    }).pipe(Effect.provide(TestLayer)))

  it.effect("reminder offsets are settings", () =>
    Effect.gen(function*() {
      yield* invitedAcrossDst
      const s = yield* service
      yield* setTime("2027-03-27T13:00:00Z")
      expect((yield* s.sendDueReminders().pipe(system)).map((r) => [r.kind, r.daysBefore])).toEqual([["Reminder", 3]])
    }).pipe(
      Effect.provide(TestLayer),
      Effect.provide(Settings.layer({ sessions: { reminderDaysBefore: [3], answerReminderDaysBefore: [] } }))
    ))
})

describe("Session reminder rules (pure)", () => {
  it("a reminder keeps the local clock time across the change to summer and to winter time", () => {
    const spring = local("2027-03-30T14:00")
    expect(Session.reminderTime(spring, 7, zone).toISOString()).toBe("2027-03-23T13:00:00.000Z")
    const autumn = local("2027-11-02T10:00") // CET; a week before is CEST
    expect(Session.reminderTime(autumn, 7, zone).toISOString()).toBe("2027-10-26T08:00:00.000Z")
    expect(autumn.toISOString()).toBe("2027-11-02T09:00:00.000Z")
    expect(Session.reminderTime(local("2027-10-31T10:00"), 1, zone).toISOString()).toBe("2027-10-30T08:00:00.000Z")
  })
})


