import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, TestClock } from "effect"
import { Actor, EventLog, Events, Intake, Notification, Repository, SessionNotifications, Sessions, Settings } from "@copkit/core"
import { Fixtures, Inspector, Memory } from "@copkit/testing"
import {
  coordinator,
  enrolAll,
  keyPerson,
  keyPersonTwente,
  organiser,
  participant,
  people,
  regions,
  seedProgramme,
  TestLayer,
  utrechtGroup
} from "./sessions.fixtures.js"

const service = Sessions.Sessions

const eventTypes = Effect.flatMap(Inspector.Inspector, (i) => i.events()).pipe(Effect.map((es) => es.map((e) => e.type)))

/** Reads one recorded event by its position. */
const readEvent = (position: number) =>
  Effect.gen(function*() {
    const log = yield* EventLog.EventLog
    const [event] = yield* log.read({ after: position - 1, limit: 1 })
    return event!
  })

/** The notifications the last recorded event of the given type calls for. */
const notificationsOf = (type: string) =>
  Effect.gen(function*() {
    const log = yield* Effect.flatMap(Inspector.Inspector, (i) => i.events())
    const last = [...log].reverse().find((e) => e.type === type)
    if (last === undefined) throw new Error(`no ${type} event`)
    const source = yield* Notification.NotificationSource
    return yield* source.forEvent(yield* readEvent(last.position))
  })

const start = new Date("2027-03-02T13:00:00Z") // 14:00 in Amsterdam
const end = new Date("2027-03-02T16:00:00Z")

/** Utrecht's programme with its group enrolled and the sessions created; returns the first session. */
const ready = Effect.gen(function*() {
  yield* TestClock.setTime(new Date("2027-01-04T09:00:00Z").getTime())
  const programme = yield* seedProgramme(regions.utrecht, "prg_utrecht")
  yield* enrolAll(programme.id, utrechtGroup)
  const s = yield* service
  const created = yield* s.createFromPlan({ programmeId: programme.id }).pipe(keyPerson)
  return { programme, created, first: created[0]! }
})

const scheduledAndInvited = Effect.gen(function*() {
  const r = yield* ready
  const s = yield* service
  yield* s.schedule({
    sessionId: r.first.id,
    start: start.toISOString(),
    end: end.toISOString(),
    venue: { name: "Stadskantoor", city: "Utrecht" },
    host: "Gemeente Utrecht"
  }).pipe(keyPerson)
  const invited = yield* s.invite({ sessionId: r.first.id }).pipe(organiser)
  return { ...r, invited }
})

describe("Sessions: participants", () => {
  it.effect("enrols a group and a reserve list, reports size and helix mix", () =>
    Effect.gen(function*() {
      const programme = yield* seedProgramme(regions.utrecht, "prg_utrecht")
      const active = yield* enrolAll(programme.id, utrechtGroup)
      expect(active.map((e) => e.status)).toEqual(["Active", "Active", "Active", "Active"])
      const reserves = yield* enrolAll(programme.id, [people.alderman, people.civilServant], true)
      expect(reserves.map((e) => [e.status, e.reservePosition])).toEqual([["Reserve", 1], ["Reserve", 2]])
      const group = yield* (yield* service).group({ programmeId: programme.id }).pipe(organiser)
      expect(group.size).toBe(4)
      expect(group.target).toBe(20)
      expect(group.reserve.map((e) => e.person.name)).toEqual(["Ahmed El Amrani", "Joost Bakker"])
      expect(group.helixMix).toEqual({ Entrepreneur: 2, Government: 0, Intermediary: 1, Knowledge: 1 })
      expect(group.helixMissing).toEqual(["Government"])
      expect(group.warnings.map((w) => w.rule)).toEqual(["group-below-minimum", "helix-missing"])
      expect(yield* eventTypes).toEqual(Array(6).fill("ParticipantEnrolled"))
    }).pipe(Effect.provide(TestLayer)))

  it.effect("refuses a person enrolled twice (same id or same e-mail), storing nothing", () =>
    Effect.gen(function*() {
      const programme = yield* seedProgramme(regions.utrecht, "prg_utrecht")
      yield* enrolAll(programme.id, [people.baker])
      const s = yield* service
      const twice = yield* s.enrol({ programmeId: programme.id, participant: people.baker, reserve: true }).pipe(keyPerson, Effect.flip)
      expect(twice).toMatchObject({ _tag: "RuleViolation", rule: "participant-once" })
      const sameMail = yield* s.enrol({
        programmeId: programme.id,
        participant: { ...people.baker, id: "per_other", email: "ILSE@bakkerijmulder.nl" }
      }).pipe(keyPerson, Effect.flip)
      expect(sameMail).toMatchObject({ _tag: "RuleViolation", rule: "participant-once" })
      expect(yield* Effect.flatMap(Inspector.Inspector, (i) => i.count("enrolments"))).toBe(1)
    }).pipe(Effect.provide(TestLayer)))

  it.effect("when a participant leaves, the first reserve takes the place", () =>
    Effect.gen(function*() {
      const programme = yield* seedProgramme(regions.utrecht, "prg_utrecht")
      const [baker] = yield* enrolAll(programme.id, [people.baker, people.entrepreneur])
      yield* enrolAll(programme.id, [people.alderman, people.civilServant], true)
      const s = yield* service
      const { left, promoted } = yield* s.leave({ enrolmentId: baker!.id, reason: "Nieuwe baan." }).pipe(keyPerson)
      expect(left.status).toBe("Left")
      expect(promoted?.person.name).toBe("Ahmed El Amrani")
      expect(promoted?.status).toBe("Active")
      expect(promoted?.reservePosition).toBeUndefined()
      const group = yield* s.group({ programmeId: programme.id }).pipe(keyPerson)
      expect(group.active.map((e) => e.person.name)).toEqual(["Sanne de Vries", "Ahmed El Amrani"])
      expect(group.reserve.map((e) => e.person.name)).toEqual(["Joost Bakker"])
      const again = yield* s.leave({ enrolmentId: baker!.id, reason: "Nog eens." }).pipe(keyPerson, Effect.flip)
      expect(again).toMatchObject({ _tag: "InvalidTransition", from: "Left", to: "Left" })
      // a person who left may enrol again
      const back = yield* s.enrol({ programmeId: programme.id, participant: people.baker, reserve: true }).pipe(keyPerson)
      expect(back.status).toBe("Reserve")
      expect((yield* eventTypes).slice(4)).toEqual(["ParticipantLeft", "ReservePromoted", "ParticipantEnrolled"])
    }).pipe(Effect.provide(TestLayer)))

  it.effect("bad input names the field; nothing is stored", () =>
    Effect.gen(function*() {
      const programme = yield* seedProgramme(regions.utrecht, "prg_utrecht")
      const s = yield* service
      const noMail = yield* s.enrol({ programmeId: programme.id, participant: { ...people.baker, email: "geen-adres" } }).pipe(
        keyPerson,
        Effect.flip
      )
      expect(noMail).toMatchObject({ _tag: "ValidationError", field: "participant.email", rule: "email" })
      const { organisation: _, ...withoutOrganisation } = people.baker
      // @ts-expect-error a participant without an organisation is a compile error, and refused at run time
      const noOrg = yield* s.enrol({ programmeId: programme.id, participant: withoutOrganisation }).pipe(keyPerson, Effect.flip)
      expect(noOrg).toMatchObject({ _tag: "ValidationError", field: "participant.organisation", rule: "required" })
      expect(yield* Effect.flatMap(Inspector.Inspector, (i) => i.count("enrolments"))).toBe(0)
      expect(yield* eventTypes).toEqual([])
    }).pipe(Effect.provide(TestLayer)))

  it.effect("participants enrol in an open programme only", () =>
    Effect.gen(function*() {
      const programme = yield* seedProgramme(regions.utrecht, "prg_utrecht", "Completed")
      const error = yield* (yield* service).enrol({ programmeId: programme.id, participant: people.baker }).pipe(keyPerson, Effect.flip)
      expect(error).toMatchObject({ _tag: "RuleViolation", rule: "programme-open" })
    }).pipe(Effect.provide(TestLayer)))

  it.effect("another region's key person may not enrol or read the group", () =>
    Effect.gen(function*() {
      const programme = yield* seedProgramme(regions.utrecht, "prg_utrecht")
      const s = yield* service
      const enrol = yield* s.enrol({ programmeId: programme.id, participant: people.baker }).pipe(keyPersonTwente, Effect.flip)
      expect(enrol._tag).toBe("Forbidden")
      const read = yield* s.group({ programmeId: programme.id }).pipe(keyPersonTwente, Effect.flip)
      expect(read._tag).toBe("Forbidden")
      const asParticipant = yield* s.group({ programmeId: programme.id }).pipe(participant, Effect.flip)
      expect(asParticipant._tag).toBe("Forbidden")
    }).pipe(Effect.provide(TestLayer)))
})

describe("Sessions: the lifecycle", () => {
  it.effect("creates drafts from the approved plan, once", () =>
    Effect.gen(function*() {
      const { created, programme } = yield* ready
      expect(created.map((s) => [s.state, s.role, s.title])).toEqual([
        ["Draft", "KickOff", "Aftrap: Personeelstekorten"],
        ["Draft", "Regular", "Bijeenkomst 2: Personeelstekorten"],
        ["Draft", "Closing", "Afsluiting: Personeelstekorten"]
      ])
      const stored = yield* Effect.flatMap(Repository.ProgrammeRepository, (r) => Repository.get(r, programme.id))
      expect(stored.value.plan.map((i) => i.sessionId)).toEqual(created.map((s) => s.id))
      const again = yield* (yield* service).createFromPlan({ programmeId: programme.id }).pipe(keyPerson)
      expect(again).toEqual([])
    }).pipe(Effect.provide(TestLayer)))

  it.effect("refuses to create sessions before the plan is approved", () =>
    Effect.gen(function*() {
      const programme = yield* seedProgramme(regions.utrecht, "prg_utrecht", "CoDesign")
      const error = yield* (yield* service).createFromPlan({ programmeId: programme.id }).pipe(keyPerson, Effect.flip)
      expect(error).toMatchObject({ _tag: "RuleViolation", rule: "plan-approved" })
      expect(yield* Effect.flatMap(Inspector.Inspector, (i) => i.count("sessions"))).toBe(0)
    }).pipe(Effect.provide(TestLayer)))

  it.effect("Draft → Scheduled → Invited → Held, with answers, minutes and insights", () =>
    Effect.gen(function*() {
      const { first, invited } = yield* scheduledAndInvited
      const s = yield* service
      expect(invited.state).toBe("Invited")
      expect(invited.venue?.name).toBe("Stadskantoor")
      expect(invited.host).toBe("Gemeente Utrecht")
      expect(invited.invitations.map((i) => [i.name, i.language, i.answer])).toEqual([
        ["Ilse Mulder", "nl", "NeedsAction"],
        ["Sanne de Vries", "nl", "NeedsAction"],
        ["Mark Visser", "en", "NeedsAction"],
        ["Fleur Jansen", "nl", "NeedsAction"]
      ])
      // the participant answers for themselves
      const answered = yield* s.answer({ sessionId: first.id, personId: people.baker.id, answer: "Accepted" }).pipe(participant)
      expect(answered.invitations[0]?.answer).toBe("Accepted")
      yield* s.answer({ sessionId: first.id, personId: people.college.id, answer: "Tentative" }).pipe(organiser)
      yield* s.answer({ sessionId: first.id, personId: people.chamber.id, answer: "Declined" }).pipe(organiser)
      // after the session
      yield* TestClock.setTime(new Date("2027-03-02T16:30:00Z").getTime())
      const held = yield* s.recordAttendance({
        sessionId: first.id,
        attendance: [{ personId: people.baker.id, present: true }, { personId: people.chamber.id, present: false }]
      }).pipe(organiser)
      expect(held.state).toBe("Held")
      expect(held.attendance.map((a) => [a.personId, a.present])).toEqual([["per_ilse", true], ["per_fleur", false]])
      const corrected = yield* s.recordAttendance({
        sessionId: first.id,
        attendance: [{ personId: people.entrepreneur.id, present: true }]
      }).pipe(organiser)
      expect(corrected.attendance).toHaveLength(3)
      const draft = yield* s.writeMinutes({ sessionId: first.id, text: "Concept-verslag." }).pipe(keyPerson)
      expect(draft.minutes?.state).toBe("Draft")
      const amended = yield* s.writeMinutes({ sessionId: first.id, text: "Verslag, aangevuld." }).pipe(organiser)
      expect(amended.minutes?.text).toBe("Verslag, aangevuld.")
      expect(amended.minutes?.updatedBy).toBe(people.civilServant.id)
      const published = yield* s.publishMinutes({ sessionId: first.id }).pipe(keyPerson)
      expect(published.minutes?.state).toBe("Published")
      expect(published.minutes?.publishedAt?.toISOString()).toBe("2027-03-02T16:30:00.000Z")
      const insight = yield* s.recordInsight({
        sessionId: first.id,
        kind: "PracticeExample",
        title: "Gedeelde personeelspool",
        text: "Drie bedrijven delen een flexpool.",
        tags: ["personeel"]
      }).pipe(keyPerson)
      expect(insight.themeIds).toEqual(["thm_1"])
      expect(insight.regionId).toBe("utrecht")
      expect(yield* eventTypes).toEqual([
        ...Array(4).fill("ParticipantEnrolled"),
        "PlanSessionsCreated",
        "SessionCreated",
        "SessionCreated",
        "SessionCreated",
        "SessionScheduled",
        "SessionInvitationsSent",
        "SessionInvitationAnswered",
        "SessionInvitationAnswered",
        "SessionInvitationAnswered",
        "SessionHeld",
        "SessionAttendanceRecorded",
        "ProgrammeStarted",
        "SessionAttendanceRecorded",
        "SessionMinutesDrafted",
        "SessionMinutesDrafted",
        "SessionMinutesPublished",
        "InsightRecorded"
      ])
    }).pipe(Effect.provide(TestLayer)))

  it.effect("invitations: one per participant, Dutch by default and English per person, with a stable uid", () =>
    Effect.gen(function*() {
      const { first } = yield* scheduledAndInvited
      const notifications = yield* notificationsOf("SessionInvitationsSent")
      expect(notifications.map((n) => [n.kind, n.calendarMethod, n.recipient.email, n.recipient.language])).toEqual([
        ["Invitation", "REQUEST", "ilse@bakkerijmulder.nl", "nl"],
        ["Invitation", "REQUEST", "sanne@devries-metaal.nl", "nl"],
        ["Invitation", "REQUEST", "m.visser@hu.nl", "en"],
        ["Invitation", "REQUEST", "fleur.jansen@kvk.nl", "nl"]
      ])
      const n = notifications[0]!
      expect(n.session?.uid).toBe(`${first.id}@copkit`)
      expect(n.session?.sequence).toBe(0)
      expect(n.session?.venue).toBe("Stadskantoor, Utrecht")
      expect(n.session?.start.toISOString()).toBe(start.toISOString())
      expect(n.session?.timeZone).toBe("Europe/Amsterdam")
      expect(n.programmeName).toBe("Regio Utrecht")
      expect(n.organizer).toEqual({ name: "Kennisnetwerk brede mkb", email: "kennisnetwerk@example.nl" })
      expect(n.session?.url).toBeUndefined()
      const linked = yield* notificationsOf("SessionInvitationsSent").pipe(
        Effect.provide(Settings.layer({
          sessions: { sessionUrl: "https://cop.example.nl/sessies/{sessionId}", organizer: { name: "Platform31", email: "cop@platform31.nl" } }
        }))
      )
      expect(linked[0]?.session?.url).toBe(`https://cop.example.nl/sessies/${first.id}`)
      expect(linked[0]?.organizer.email).toBe("cop@platform31.nl")
      // a new participant later gets an invitation of their own; the others are not invited twice
      yield* enrolAll("prg_utrecht", [people.alderman])
      const more = yield* (yield* service).invite({ sessionId: first.id }).pipe(organiser)
      expect(more.invitations).toHaveLength(5)
      const second = yield* notificationsOf("SessionInvitationsSent")
      expect(second.map((x) => x.recipient.email)).toEqual(["a.elamrani@utrecht.nl"])
      const nobody = yield* (yield* service).invite({ sessionId: first.id }).pipe(organiser, Effect.flip)
      expect(nobody).toMatchObject({ _tag: "RuleViolation", rule: "nobody-to-invite" })
    }).pipe(Effect.provide(TestLayer)))

  it.effect("reschedule: everyone invited gets an update and the sequence rises; cancel: everyone gets a cancellation", () =>
    Effect.gen(function*() {
      const { first } = yield* scheduledAndInvited
      const s = yield* service
      yield* s.answer({ sessionId: first.id, personId: people.baker.id, answer: "Accepted" }).pipe(participant)
      const moved = yield* s.reschedule({
        sessionId: first.id,
        start: "2027-03-09T13:00:00Z",
        end: "2027-03-09T16:00:00Z"
      }).pipe(keyPerson)
      expect(moved.state).toBe("Invited")
      expect(moved.sequence).toBe(1)
      expect(moved.venue?.name).toBe("Stadskantoor")
      // an answer was for the old time: everyone is asked again
      expect(moved.invitations.map((i) => i.answer)).toEqual(Array(4).fill("NeedsAction"))
      expect(moved.invitations[0]?.answeredAt).toBeUndefined()
      const updates = yield* notificationsOf("SessionRescheduled")
      expect(updates).toHaveLength(4)
      expect(updates.every((n) => n.kind === "Update" && n.calendarMethod === "REQUEST")).toBe(true)
      expect(updates[0]?.session?.sequence).toBe(1)
      expect(updates[0]?.session?.uid).toBe(`${first.id}@copkit`)
      expect(updates[0]?.session?.start.toISOString()).toBe("2027-03-09T13:00:00.000Z")
      const cancelled = yield* s.cancel({ sessionId: first.id, reason: "De zaal is niet beschikbaar." }).pipe(keyPerson)
      expect(cancelled.state).toBe("Cancelled")
      expect(cancelled.sequence).toBe(2)
      const cancellations = yield* notificationsOf("SessionCancelled")
      expect(cancellations.map((n) => [n.kind, n.calendarMethod, n.session?.sequence])).toEqual(
        Array(4).fill(["Cancellation", "CANCEL", 2])
      )
      expect(cancellations[0]?.session?.cancellationReason).toBe("De zaal is niet beschikbaar.")
      // the update raised before the cancellation is not sent after it
      const log = yield* Effect.flatMap(Inspector.Inspector, (i) => i.events())
      const rescheduled = log.find((e) => e.type === "SessionRescheduled")!
      const stale = yield* Effect.flatMap(Notification.NotificationSource, (src) =>
        Effect.flatMap(readEvent(rescheduled.position), src.forEvent))
      expect(stale).toEqual([])
    }).pipe(Effect.provide(TestLayer)))

  it.effect("refuses transitions the state does not allow, changing nothing", () =>
    Effect.gen(function*() {
      const { first, created } = yield* ready
      const s = yield* service
      const slot = { sessionId: first.id, start: start.toISOString(), end: end.toISOString() }
      expect(yield* s.reschedule(slot).pipe(keyPerson, Effect.flip)).toMatchObject({ _tag: "InvalidTransition", from: "Draft" })
      expect(yield* s.invite({ sessionId: first.id }).pipe(keyPerson, Effect.flip)).toMatchObject({
        _tag: "InvalidTransition",
        from: "Draft",
        to: "Invited"
      })
      expect(yield* s.writeMinutes({ sessionId: first.id, text: "x" }).pipe(keyPerson, Effect.flip)).toMatchObject({
        _tag: "InvalidTransition"
      })
      yield* s.schedule(slot).pipe(keyPerson)
      expect(yield* s.schedule(slot).pipe(keyPerson, Effect.flip)).toMatchObject({ _tag: "InvalidTransition", from: "Scheduled" })
      expect(
        yield* s.answer({ sessionId: first.id, personId: people.baker.id, answer: "Accepted" }).pipe(keyPerson, Effect.flip)
      ).toMatchObject({ _tag: "InvalidTransition", from: "Scheduled" })
      expect(
        yield* s.recordAttendance({ sessionId: first.id, attendance: [{ personId: people.baker.id, present: true }] }).pipe(
          keyPerson,
          Effect.flip
        )
      ).toMatchObject({ _tag: "InvalidTransition", from: "Scheduled" })
      yield* s.invite({ sessionId: first.id }).pipe(keyPerson)
      // before the start
      expect(
        yield* s.recordAttendance({ sessionId: first.id, attendance: [{ personId: people.baker.id, present: true }] }).pipe(
          keyPerson,
          Effect.flip
        )
      ).toMatchObject({ _tag: "RuleViolation", rule: "session-started" })
      expect(
        yield* s.answer({ sessionId: first.id, personId: people.alderman.id, answer: "Accepted" }).pipe(keyPerson, Effect.flip)
      ).toMatchObject({ _tag: "RuleViolation", rule: "not-invited" })
      expect(
        yield* s.recordInsight({ sessionId: first.id, kind: "Lesson", title: "t", text: "x" }).pipe(keyPerson, Effect.flip)
      ).toMatchObject({ _tag: "InvalidTransition", to: "Insight" })
      yield* TestClock.setTime(new Date("2027-03-02T17:00:00Z").getTime())
      expect(
        yield* s.recordAttendance({ sessionId: first.id, attendance: [{ personId: people.alderman.id, present: true }] }).pipe(
          keyPerson,
          Effect.flip
        )
      ).toMatchObject({ _tag: "RuleViolation", rule: "attendee-invited" })
      yield* s.recordAttendance({ sessionId: first.id, attendance: [{ personId: people.baker.id, present: true }] }).pipe(keyPerson)
      expect(yield* s.cancel({ sessionId: first.id, reason: "Te laat." }).pipe(keyPerson, Effect.flip)).toMatchObject({
        _tag: "InvalidTransition",
        from: "Held",
        to: "Cancelled"
      })
      expect(yield* s.publishMinutes({ sessionId: first.id }).pipe(keyPerson, Effect.flip)).toMatchObject({
        _tag: "InvalidTransition",
        to: "Minutes.Published"
      })
      yield* s.writeMinutes({ sessionId: first.id, text: "Verslag." }).pipe(keyPerson)
      yield* s.publishMinutes({ sessionId: first.id }).pipe(keyPerson)
      expect(yield* s.writeMinutes({ sessionId: first.id, text: "Nog iets." }).pipe(keyPerson, Effect.flip)).toMatchObject({
        _tag: "InvalidTransition",
        to: "Minutes.Draft"
      })
      expect(yield* s.publishMinutes({ sessionId: first.id }).pipe(keyPerson, Effect.flip)).toMatchObject({
        _tag: "InvalidTransition"
      })
      // a cancelled session stays cancelled
      const other = created[1]!
      yield* s.cancel({ sessionId: other.id, reason: "Niet nodig." }).pipe(keyPerson)
      expect(yield* s.cancel({ sessionId: other.id, reason: "Nog eens." }).pipe(keyPerson, Effect.flip)).toMatchObject({
        _tag: "InvalidTransition",
        from: "Cancelled"
      })
      expect(yield* s.schedule({ ...slot, sessionId: other.id }).pipe(keyPerson, Effect.flip)).toMatchObject({
        _tag: "InvalidTransition",
        from: "Cancelled"
      })
    }).pipe(Effect.provide(TestLayer)))

  it.effect("bad input: ValidationError naming the field, the session unchanged and no event", () =>
    Effect.gen(function*() {
      const { first } = yield* ready
      const s = yield* service
      const before = yield* eventTypes
      const badStart = yield* s.schedule({ sessionId: first.id, start: "morgen", end: end.toISOString() }).pipe(keyPerson, Effect.flip)
      expect(badStart).toMatchObject({ _tag: "ValidationError", field: "start" })
      const badVenue = yield* s.schedule({ sessionId: first.id, start: start.toISOString(), end: end.toISOString(), venue: { name: "" } })
        .pipe(keyPerson, Effect.flip)
      expect(badVenue).toMatchObject({ _tag: "ValidationError", field: "venue.name" })
      // @ts-expect-error an unknown field is a compile error, and refused at run time
      const extra = yield* s.cancel({ sessionId: first.id, reason: "x", notify: false }).pipe(keyPerson, Effect.flip)
      expect(extra).toMatchObject({ _tag: "ValidationError", field: "notify", rule: "not-allowed" })
      // @ts-expect-error a wrong enum literal is a compile error, and refused at run time
      const badAnswer = yield* s.answer({ sessionId: first.id, personId: people.baker.id, answer: "Maybe" }).pipe(participant, Effect.flip)
      expect(badAnswer).toMatchObject({ _tag: "ValidationError", field: "answer" })
      // rules the schema cannot state
      const backwards = yield* s.schedule({ sessionId: first.id, start: end.toISOString(), end: start.toISOString() }).pipe(
        keyPerson,
        Effect.flip
      )
      expect(backwards).toMatchObject({ _tag: "RuleViolation", rule: "end-after-start" })
      const past = yield* s.schedule({ sessionId: first.id, start: "2027-01-01T13:00:00Z", end: "2027-01-01T16:00:00Z" }).pipe(
        keyPerson,
        Effect.flip
      )
      expect(past).toMatchObject({ _tag: "RuleViolation", rule: "start-in-future" })
      const tooShort = yield* s.schedule({ sessionId: first.id, start: start.toISOString(), end: "2027-03-02T14:00:00Z" }).pipe(
        keyPerson,
        Effect.flip
      )
      expect(tooShort).toMatchObject({ _tag: "RuleViolation", rule: "agenda-fits" })
      const stored = yield* Effect.flatMap(Inspector.Inspector, (i) => i.entity("sessions", first.id))
      expect(Option.map(stored, (x) => [x.state, x.version])).toEqual(Option.some(["Draft", 1]))
      expect(yield* eventTypes).toEqual(before)
    }).pipe(Effect.provide(TestLayer)))
})

describe("Sessions: leaving during the programme", () => {
  it.effect("the one who left is taken off upcoming sessions with a cancellation; the reserve is invited", () =>
    Effect.gen(function*() {
      const { created, first } = yield* scheduledAndInvited
      const s = yield* service
      yield* s.schedule({ sessionId: created[1]!.id, start: "2027-04-06T12:00:00Z", end: "2027-04-06T15:00:00Z" }).pipe(keyPerson)
      const [reserve] = yield* enrolAll("prg_utrecht", [people.alderman], true)
      const group = yield* s.group({ programmeId: "prg_utrecht" }).pipe(keyPerson)
      const baker = group.active.find((e) => e.person.id === people.baker.id)!
      const { promoted } = yield* s.leave({ enrolmentId: baker.id, reason: "Verhuisd." }).pipe(keyPerson)
      expect(promoted?.id).toBe(reserve!.id)
      const invited = (yield* s.get({ sessionId: first.id }).pipe(keyPerson)).value
      expect(invited.invitations.map((i) => i.name)).toEqual(["Sanne de Vries", "Mark Visser", "Fleur Jansen", "Ahmed El Amrani"])
      // the scheduled (not yet invited) session: nobody was invited, nothing changes
      expect((yield* s.get({ sessionId: created[1]!.id }).pipe(keyPerson)).value.invitations).toEqual([])
      const cancellation = yield* notificationsOf("SessionInvitationWithdrawn")
      expect(cancellation.map((n) => [n.kind, n.calendarMethod, n.recipient.email, n.session?.uid])).toEqual([
        ["Cancellation", "CANCEL", "ilse@bakkerijmulder.nl", `${first.id}@copkit`]
      ])
      const invitation = yield* notificationsOf("SessionInvitationsSent")
      expect(invitation.map((n) => [n.kind, n.recipient.email])).toEqual([["Invitation", "a.elamrani@utrecht.nl"]])
      // the one who left no longer sees the session
      expect((yield* s.get({ sessionId: first.id }).pipe(participant, Effect.flip))._tag).toBe("Forbidden")
      expect((yield* eventTypes).slice(-4)).toEqual(["ParticipantLeft", "ReservePromoted", "SessionInvitationWithdrawn", "SessionInvitationsSent"])
    }).pipe(Effect.provide(TestLayer)))
})

describe("Sessions: administrators and guests", () => {
  it.effect("the kick-off invites the administrators of the application; any session its guest experts, once", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(new Date("2027-01-04T09:00:00Z").getTime())
      const application = yield* Effect.flatMap(Intake.Intake, (i) => i.create(Fixtures.applicationInput())).pipe(keyPerson)
      const programme = yield* seedProgramme(regions.utrecht, "prg_utrecht", "Planned", application.id)
      yield* enrolAll(programme.id, [people.baker])
      const s = yield* service
      const [kickOff, regular] = yield* s.createFromPlan({ programmeId: programme.id }).pipe(keyPerson)
      for (const x of [kickOff!, regular!]) {
        yield* s.schedule({ sessionId: x.id, start: start.toISOString(), end: end.toISOString() }).pipe(keyPerson)
      }
      const guest = { name: "Dr. Eva Smit", email: "e.smit@tno.nl", organisation: "TNO", helixRole: "Knowledge", language: "en" } as const
      const invited = yield* s.invite({ sessionId: kickOff!.id, guests: [guest] }).pipe(keyPerson)
      expect(invited.invitations.map((i) => [i.name, i.language])).toEqual([
        ["Ilse Mulder", "nl"],
        ["Ahmed El Amrani", "nl"],
        ["Dr. Eva Smit", "en"]
      ])
      // the same guest again (no id, same address in another case) is not invited twice
      const again = yield* s.invite({ sessionId: kickOff!.id, guests: [{ ...guest, email: "E.Smit@tno.nl" }] }).pipe(keyPerson, Effect.flip)
      expect(again).toMatchObject({ _tag: "RuleViolation", rule: "nobody-to-invite" })
      const regularInvited = yield* s.invite({ sessionId: regular!.id }).pipe(keyPerson)
      expect(regularInvited.invitations.map((i) => i.name)).toEqual(["Ilse Mulder"])
      const badGuest = yield* s.invite({ sessionId: regular!.id, guests: [{ ...guest, email: "geen" }] }).pipe(keyPerson, Effect.flip)
      expect(badGuest).toMatchObject({ _tag: "ValidationError", field: "guests[0].email" })
    }).pipe(Effect.provide(Layer.merge(TestLayer, Intake.layer.pipe(Layer.provide(Memory.layer))))))
})

describe("Sessions: cross-regional", () => {
  it.effect("belongs to several programmes and invites each one's participants", () =>
    Effect.gen(function*() {
      const utrecht = yield* seedProgramme(regions.utrecht, "prg_utrecht")
      const twente = yield* seedProgramme(regions.twente, "prg_twente")
      yield* enrolAll(utrecht.id, [people.baker, people.college])
      const s = yield* service
      yield* s.enrol({
        programmeId: twente.id,
        participant: { name: "Bram Nijhuis", email: "bram@nijhuis-textiel.nl", organisation: "Nijhuis Textiel", helixRole: "Entrepreneur" }
      }).pipe(keyPersonTwente)
      const refused = yield* s.createCrossRegional({ programmeIds: [utrecht.id, twente.id], title: "Automatisering" }).pipe(
        keyPerson,
        Effect.flip
      )
      expect(refused._tag).toBe("Forbidden")
      const one = yield* s.createCrossRegional({ programmeIds: [utrecht.id, utrecht.id], title: "Automatisering" }).pipe(
        coordinator,
        Effect.flip
      )
      expect(one).toMatchObject({ _tag: "RuleViolation", rule: "several-programmes" })
      const session = yield* s.createCrossRegional({ programmeIds: [utrecht.id, twente.id], title: "Automatisering in het mkb" }).pipe(
        coordinator
      )
      expect(session.regionIds).toEqual(["utrecht", "twente"])
      yield* s.schedule({ sessionId: session.id, start: start.toISOString(), end: end.toISOString() }).pipe(coordinator)
      const invited = yield* s.invite({ sessionId: session.id }).pipe(coordinator)
      expect(invited.invitations.map((i) => [i.name, i.programmeId])).toEqual([
        ["Ilse Mulder", "prg_utrecht"],
        ["Mark Visser", "prg_utrecht"],
        ["Bram Nijhuis", "prg_twente"]
      ])
      const notifications = yield* notificationsOf("SessionInvitationsSent")
      expect(notifications.map((n) => n.programmeName)).toEqual(["Regio Utrecht", "Regio Utrecht", "Twente"])
      // a region's key person may read it but not run it
      expect((yield* s.get({ sessionId: session.id }).pipe(keyPersonTwente)).value.id).toBe(session.id)
      const cancel = yield* s.cancel({ sessionId: session.id, reason: "Wij willen niet." }).pipe(keyPerson, Effect.flip)
      expect(cancel._tag).toBe("Forbidden")
    }).pipe(Effect.provide(TestLayer)))
})

describe("Sessions: permissions", () => {
  it.effect("a participant sees only the sessions they are invited to, and answers only for themselves", () =>
    Effect.gen(function*() {
      const { created, first } = yield* ready
      const s = yield* service
      // nothing is visible before the invitations
      expect(yield* s.list({}).pipe(participant)).toEqual([])
      expect((yield* s.get({ sessionId: first.id }).pipe(participant, Effect.flip))._tag).toBe("Forbidden")
      yield* s.schedule({ sessionId: first.id, start: start.toISOString(), end: end.toISOString() }).pipe(keyPerson)
      yield* s.invite({ sessionId: first.id }).pipe(keyPerson)
      const visible = yield* s.list().pipe(participant)
      expect(visible.map((v) => v.value.id)).toEqual([first.id])
      expect((yield* s.get({ sessionId: first.id }).pipe(participant)).value.id).toBe(first.id)
      expect((yield* s.get({ sessionId: created[1]!.id }).pipe(participant, Effect.flip))._tag).toBe("Forbidden")
      // the region sees all its sessions; another region none
      expect((yield* s.list({ programmeId: "prg_utrecht" }).pipe(organiser)).length).toBe(3)
      expect(yield* s.list({}).pipe(keyPersonTwente)).toEqual([])
      expect((yield* s.get({ sessionId: first.id }).pipe(keyPersonTwente, Effect.flip))._tag).toBe("Forbidden")
      // answers
      const forOther = yield* s.answer({ sessionId: first.id, personId: people.entrepreneur.id, answer: "Declined" }).pipe(
        participant,
        Effect.flip
      )
      expect(forOther._tag).toBe("Forbidden")
      const mine = yield* s.answer({ sessionId: first.id, personId: people.baker.id, answer: "Declined" }).pipe(participant)
      expect(mine.invitations.find((i) => i.personId === people.baker.id)?.answer).toBe("Declined")
      // running the session is the region's
      const attempts: ReadonlyArray<Effect.Effect<unknown, { readonly _tag: string }, Actor.CurrentActor>> = [
        s.cancel({ sessionId: first.id, reason: "Ik kan niet." }),
        s.reschedule({ sessionId: first.id, start: start.toISOString(), end: end.toISOString() }),
        s.createFromPlan({ programmeId: "prg_utrecht" }),
        s.sendDueReminders()
      ]
      for (const attempt of attempts) {
        expect((yield* attempt.pipe(participant, Effect.flip))._tag).toBe("Forbidden")
      }
      expect((yield* s.cancel({ sessionId: first.id, reason: "x" }).pipe(keyPersonTwente, Effect.flip))._tag).toBe("Forbidden")
    }).pipe(Effect.provide(TestLayer)))
})

describe("Sessions: calendar feeds", () => {
  it.effect("a programme's feed for the region, a person's feed for that person, with the invitations' uid", () =>
    Effect.gen(function*() {
      const { created, first } = yield* scheduledAndInvited
      const s = yield* service
      yield* s.schedule({ sessionId: created[1]!.id, start: "2027-04-06T12:00:00Z", end: "2027-04-06T15:00:00Z" }).pipe(keyPerson)
      yield* s.cancel({ sessionId: created[1]!.id, reason: "Vervalt." }).pipe(keyPerson)
      const programmeFeed = yield* s.feedEvents({ programmeId: "prg_utrecht" }).pipe(organiser)
      expect(programmeFeed.map((e) => [e.uid, e.sequence, e.status, e.language])).toEqual([
        [`${first.id}@copkit`, 0, "CONFIRMED", "nl"],
        [`${created[1]!.id}@copkit`, 1, "CANCELLED", "nl"]
      ])
      expect(programmeFeed[0]?.location).toBe("Stadskantoor, Utrecht")
      expect(programmeFeed[0]?.alarmsMinutesBefore).toEqual([24 * 60])
      expect(programmeFeed[0]?.description).toContain("Intervisie (90 min)")
      const mine = yield* s.feedEvents({ personId: people.college.id }).pipe(Actor.as({ _tag: "Participant", personId: people.college.id, regionId: regions.utrecht.id }))
      expect(mine.map((e) => [e.uid, e.language])).toEqual([[`${first.id}@copkit`, "en"]])
      expect((yield* s.feedEvents({ programmeId: "prg_utrecht" }).pipe(participant, Effect.flip))._tag).toBe("Forbidden")
      expect((yield* s.feedEvents({ personId: people.college.id }).pipe(participant, Effect.flip))._tag).toBe("Forbidden")
      expect((yield* s.feedEvents({ programmeId: "prg_utrecht" }).pipe(keyPersonTwente, Effect.flip))._tag).toBe("Forbidden")
      expect(yield* s.feedEvents({ personId: people.baker.id }).pipe(participant)).toHaveLength(1)
    }).pipe(Effect.provide(TestLayer)))
})

describe("SessionNotifications: composition", () => {
  it.effect("answers None for events that are not its own, so that sources compose", () =>
    Effect.gen(function*() {
      yield* scheduledAndInvited
      const log = yield* Effect.flatMap(Inspector.Inspector, (i) => i.events())
      const created = yield* readEvent(log.find((e) => e.type === "SessionCreated")!.position)
      const invited = yield* readEvent(log.find((e) => e.type === "SessionInvitationsSent")!.position)
      expect(yield* SessionNotifications.forSessionEvent(created)).toEqual(Option.some([]))
      const foreign = new Events.RecordedEvent({
        ...created,
        event: Events.ProgrammeCreated.make({
          programmeId: "prg_utrecht" as never,
          regionId: "utrecht" as never,
          applicationId: "app_1" as never,
          coreTeam: []
        })
      })
      expect(yield* SessionNotifications.forSessionEvent(foreign)).toEqual(Option.none())
      const other: SessionNotifications.Handler = (e) =>
        Effect.succeed(e.event._tag === "ProgrammeCreated" ? Option.some([]) : Option.none())
      const both = SessionNotifications.combine(other, SessionNotifications.forSessionEvent)
      expect(yield* both(foreign)).toEqual([])
      expect((yield* both(invited)).length).toBe(4)
    }).pipe(Effect.provide(TestLayer)))
})
