/**
 * The sessions of a programme: its fixed group of participants, the date planner, and each
 * session's life from draft to held — invitations, answers, reminders, attendance, minutes and
 * insights. The service appends events; the dispatcher sends the messages they call for
 * (see `SessionNotifications`).
 *
 * @since 0.1.0
 */
import { Context, Effect, Either, Layer, Option, Schema } from "effect"
import { DateTime } from "luxon"
import * as Actor from "./Actor.js"
import type { CalendarEvent } from "./Calendar.js"
import { CalendarImporter } from "./Calendar.js"
import * as Command from "./Command.js"
import { Instant, Line, LongText, Paragraph } from "./Common.js"
import { Enrolment } from "./Enrolment.js"
import type { CommandError } from "./Errors.js"
import { ConcurrencyConflict, InvalidTransition, RuleViolation } from "./Errors.js"
import * as Events from "./Events.js"
import { EnrolmentId, IdGenerator, InsightId, PersonId, ProgrammeId, SessionId, ThemeId } from "./Ids.js"
import { Insight, InsightKind } from "./Insight.js"
import * as Participants from "./Participants.js"
import * as Permissions from "./Permissions.js"
import { Person } from "./Person.js"
import * as Planner from "./Planner.js"
import { AgendaItem, PlanItem, Programme } from "./Programme.js"
import type { Versioned } from "./Repository.js"
import {
  ApplicationRepository,
  EnrolmentRepository,
  get,
  InsightRepository,
  ProgrammeRepository,
  SessionRepository
} from "./Repository.js"
import * as Session from "./Session.js"
import * as SessionNotifications from "./SessionNotifications.js"
import { Settings } from "./Settings.js"
import { decode, invalid } from "./Validation.js"
import { WorkForm } from "./WorkForm.js"

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

/** Input of the steps that name only the programme. @category inputs */
export const ProgrammeRef = Schema.Struct({ programmeId: ProgrammeId })
/** Input of the steps that name only the session. @category inputs */
export const SessionRef = Schema.Struct({ sessionId: SessionId })

/** Input of {@link SessionsService.createCrossRegional}. @category inputs */
export const CreateCrossRegional = Schema.Struct({
  programmeIds: Schema.Array(ProgrammeId).pipe(Schema.minItems(2), Schema.maxItems(50)),
  title: Line,
  themeId: Schema.optional(ThemeId),
  goal: Schema.optional(LongText),
  workForms: Schema.optionalWith(Schema.Array(WorkForm).pipe(Schema.maxItems(20)), { default: () => [] }),
  agenda: Schema.optionalWith(Schema.Array(AgendaItem).pipe(Schema.maxItems(100)), { default: () => [] })
})

/** A venue as callers give it. @category inputs */
export const VenueInput = Schema.Struct(Session.Venue.fields)

/** Input of {@link SessionsService.schedule} and {@link SessionsService.reschedule}. @category inputs */
export const ScheduleSession = Schema.Struct({
  sessionId: SessionId,
  start: Instant,
  end: Instant,
  venue: Schema.optional(VenueInput),
  host: Schema.optional(Line)
})

/** Input of {@link SessionsService.scheduleFromPlan}: the planner's proposals (key = plan item id) to take over. @category inputs */
export const ScheduleFromPlan = Schema.Struct({
  programmeId: ProgrammeId,
  sessions: Schema.Array(Schema.Struct({ key: Line, start: Instant, end: Instant })).pipe(Schema.minItems(1), Schema.maxItems(100)),
  venue: Schema.optional(VenueInput),
  host: Schema.optional(Line)
})

/** Input of {@link SessionsService.invite}: the session, and guest experts invited to it alone. @category inputs */
export const InviteSession = Schema.Struct({
  sessionId: SessionId,
  guests: Schema.optionalWith(
    Schema.Array(Schema.Struct({ ...Participants.ParticipantInput.fields, organisation: Schema.optional(Line) })).pipe(Schema.maxItems(20)),
    { default: () => [] }
  )
})

/** Input of {@link SessionsService.cancel}. @category inputs */
export const CancelSession = Schema.Struct({ sessionId: SessionId, reason: Paragraph })

/** Input of {@link SessionsService.answer}. @category inputs */
export const AnswerInvitation = Schema.Struct({
  sessionId: SessionId,
  personId: PersonId,
  answer: Schema.Literal("Accepted", "Declined", "Tentative")
})

/** Input of {@link SessionsService.recordAttendance}. @category inputs */
export const RecordAttendance = Schema.Struct({
  sessionId: SessionId,
  attendance: Schema.Array(Schema.Struct({ personId: PersonId, present: Schema.Boolean })).pipe(Schema.minItems(1), Schema.maxItems(500))
})

/** Input of {@link SessionsService.writeMinutes}. @category inputs */
export const WriteMinutes = Schema.Struct({ sessionId: SessionId, text: LongText })

/** Input of {@link SessionsService.recordInsight}. @category inputs */
export const RecordInsight = Schema.Struct({
  sessionId: SessionId,
  /** Which of the session's programmes it belongs to (default: the first). */
  programmeId: Schema.optional(ProgrammeId),
  kind: InsightKind,
  title: Line,
  text: Paragraph,
  /** The themes it is tagged with (default: the session's theme). */
  themeIds: Schema.optional(Schema.Array(ThemeId).pipe(Schema.maxItems(20))),
  tags: Schema.optionalWith(Schema.Array(Line).pipe(Schema.maxItems(30)), { default: () => [] })
})

/** Input of {@link SessionsService.plan}: the programme and the constraints of the round. @category inputs */
export const PlanSessions = Schema.Struct({
  programmeId: ProgrammeId,
  ...Planner.PlanConstraints.fields,
  /** The region's calendar feeds (iCalendar text): their events become busy periods, through the `CalendarImporter` port. */
  feeds: Schema.optionalWith(Schema.Array(Schema.String.pipe(Schema.maxLength(5_000_000))).pipe(Schema.maxItems(20)), {
    default: () => []
  })
})

/** Input of {@link SessionsService.feedEvents}: a programme's feed, or a person's. @category inputs */
export const FeedRef = Schema.Union(Schema.Struct({ programmeId: ProgrammeId }), Schema.Struct({ personId: PersonId }))

/** Input of {@link SessionsService.list}. @category inputs */
export const ListSessions = Schema.Struct({
  programmeId: Schema.optional(ProgrammeId),
  state: Schema.optional(Schema.Union(Session.SessionState, Schema.Array(Session.SessionState))),
  limit: Schema.optional(Schema.Int.pipe(Schema.between(1, 1000))),
  offset: Schema.optional(Schema.Int.pipe(Schema.nonNegative()))
})

// ---------------------------------------------------------------------------------------------
// The service
// ---------------------------------------------------------------------------------------------

/** What {@link SessionsService.leave} did: who left, and who took the place. @category models */
export interface LeaveResult {
  readonly left: Enrolment
  readonly promoted: Enrolment | undefined
}

/** A reminder event appended by {@link SessionsService.sendDueReminders}. @category models */
export interface SentReminder {
  readonly sessionId: SessionId
  readonly kind: Session.ReminderKind
  readonly daysBefore: number
  readonly personIds: ReadonlyArray<PersonId>
}

/** A session with the version it was read at. @category models */
export type SessionView = Versioned<Session.Session>

/** The errors of a refused step. @category errors */
export type TransitionError = InvalidTransition | RuleViolation

/** The sessions service. Every method runs as the {@link Actor.CurrentActor}. @category services */
export interface SessionsService {
  /** Enrols a participant in the programme's fixed group, or on its reserve list. A person enrolled twice is refused. */
  readonly enrol: (input: typeof Participants.Enrol.Encoded) => Effect.Effect<Enrolment, CommandError | RuleViolation, Actor.CurrentActor>
  /**
   * A participant leaves; the first on the reserve list takes the place (unless told not to). The
   * one who left is taken off upcoming sessions (they get a cancellation); the one who took the
   * place is invited to the upcoming sessions whose invitations went out.
   */
  readonly leave: (input: typeof Participants.Leave.Encoded) => Effect.Effect<LeaveResult, CommandError | TransitionError, Actor.CurrentActor>
  /** The group: size against the settings, reserve list, helix mix and warnings. */
  readonly group: (input: typeof ProgrammeRef.Encoded) => Effect.Effect<Participants.GroupReport, CommandError, Actor.CurrentActor>
  /**
   * Proposes dates for every session of the approved plan (changes nothing). Sessions already
   * scheduled stay where they are (the others keep their gaps to them); cancelled ones are left out.
   */
  readonly plan: (input: typeof PlanSessions.Encoded) => Effect.Effect<Planner.PlanResult, CommandError | RuleViolation, Actor.CurrentActor>
  /** Creates a `Draft` session for every item of the approved plan that has none yet. */
  readonly createFromPlan: (input: typeof ProgrammeRef.Encoded) => Effect.Effect<ReadonlyArray<Session.Session>, CommandError | RuleViolation, Actor.CurrentActor>
  /** Creates a cross-regional session that belongs to several programmes. Coordinator only. */
  readonly createCrossRegional: (input: typeof CreateCrossRegional.Encoded) => Effect.Effect<Session.Session, CommandError | RuleViolation, Actor.CurrentActor>
  /**
   * Schedules the programme's draft sessions at the planner's proposals (`key` is the plan item's
   * id), all or none; a venue and host given here apply to every one that has none yet.
   */
  readonly scheduleFromPlan: (input: typeof ScheduleFromPlan.Encoded) => Effect.Effect<ReadonlyArray<Session.Session>, CommandError | TransitionError, Actor.CurrentActor>
  /** `Draft → Scheduled`: date, time, venue, host. */
  readonly schedule: (input: typeof ScheduleSession.Encoded) => Effect.Effect<Session.Session, CommandError | TransitionError, Actor.CurrentActor>
  /** Moves a scheduled or invited session; every invitee gets an update. */
  readonly reschedule: (input: typeof ScheduleSession.Encoded) => Effect.Effect<Session.Session, CommandError | TransitionError, Actor.CurrentActor>
  /** Cancels an open session; every invitee gets a cancellation. */
  readonly cancel: (input: typeof CancelSession.Encoded) => Effect.Effect<Session.Session, CommandError | TransitionError, Actor.CurrentActor>
  /**
   * Invites every active participant of the session's programmes not yet invited (for a kick-off
   * or closing whose plan item says so, also the administrators named in the region's
   * application, and any guest experts given): `Scheduled → Invited`.
   */
  readonly invite: (input: typeof InviteSession.Encoded) => Effect.Effect<Session.Session, CommandError | TransitionError, Actor.CurrentActor>
  /** Records an invitee's answer (the invitee themselves, or the region). */
  readonly answer: (input: typeof AnswerInvitation.Encoded) => Effect.Effect<Session.Session, CommandError | TransitionError, Actor.CurrentActor>
  /** Records who was there: `Invited → Held`. */
  readonly recordAttendance: (input: typeof RecordAttendance.Encoded) => Effect.Effect<Session.Session, CommandError | TransitionError, Actor.CurrentActor>
  /** Writes or amends the draft minutes. */
  readonly writeMinutes: (input: typeof WriteMinutes.Encoded) => Effect.Effect<Session.Session, CommandError | TransitionError, Actor.CurrentActor>
  /** Publishes the minutes: `Draft → Published`. */
  readonly publishMinutes: (input: typeof SessionRef.Encoded) => Effect.Effect<Session.Session, CommandError | TransitionError, Actor.CurrentActor>
  /** Records an insight of a held session, tagged by theme. */
  readonly recordInsight: (input: typeof RecordInsight.Encoded) => Effect.Effect<Insight, CommandError | TransitionError, Actor.CurrentActor>
  /** One session (a participant sees only the sessions they are invited to). */
  readonly get: (input: typeof SessionRef.Encoded) => Effect.Effect<SessionView, CommandError, Actor.CurrentActor>
  /** The sessions the actor may see. */
  readonly list: (input?: typeof ListSessions.Encoded) => Effect.Effect<ReadonlyArray<SessionView>, CommandError, Actor.CurrentActor>
  /**
   * The events of a subscribable feed: every dated session of a programme (the region), or every
   * session a person is invited to (that person). Render them with the `CalendarRenderer`'s `feed`.
   */
  readonly feedEvents: (input: typeof FeedRef.Encoded) => Effect.Effect<ReadonlyArray<CalendarEvent>, CommandError, Actor.CurrentActor>
  /**
   * The reminder job, run by the host application with the current time of its Clock: appends a
   * reminder event for every session, offset and start whose time has come, once.
   */
  readonly sendDueReminders: () => Effect.Effect<ReadonlyArray<SentReminder>, CommandError, Actor.CurrentActor>
}

/** The sessions service tag. @category services */
export class Sessions extends Context.Tag("@copkit/core/Sessions")<Sessions, SessionsService>() {}

/** The ports the sessions service needs. @category models */
export type Dependencies =
  | SessionRepository
  | ProgrammeRepository
  | EnrolmentRepository
  | InsightRepository
  | ApplicationRepository
  | Command.Ports

/** What a permission of a session is checked against: its regions and its invitees. @category accessors */
export const scopeOf = (s: Session.Session): Permissions.Scope => ({
  regionIds: s.regionIds,
  partyIds: s.invitations.map((i) => i.personId)
})

/** The programme states in which participants may enrol. @category constants */
export const openProgrammeStates: ReadonlyArray<Programme["state"]> = ["CoDesign", "Planned", "Running", "FollowUp"]

const programmeScope = (p: Programme): Permissions.Scope => ({ regionIds: [p.regionId] })

/** Cross-regional sessions are run by the coordinator; a region's own by the region. */
const manageAction = (s: Session.Session): Permissions.Action =>
  s.programmeIds.length > 1 ? "session.createCrossRegional" : "session.manage"

const actorPersonId = (actor: Actor.Actor): PersonId =>
  Actor.personOf(actor) ?? (`system:${actor._tag === "System" ? actor.name : "unknown"}` as PersonId)

const titleOf = (programme: Programme, item: PlanItem, index: number): string => {
  const theme = item.themeId === undefined ? undefined : programme.themes.find((t) => t.id === item.themeId)
  const base = item.role === "KickOff" ? "Aftrap" : item.role === "Closing" ? "Afsluiting" : `Bijeenkomst ${index + 1}`
  return theme === undefined ? base : `${base}: ${theme.title}`.slice(0, 200)
}

/** Builds the sessions service from its ports. @category constructors */
export const make: Effect.Effect<SessionsService, never, Dependencies> = Effect.gen(function*() {
  const sessions = yield* SessionRepository
  const programmes = yield* ProgrammeRepository
  const enrolments = yield* EnrolmentRepository
  const insights = yield* InsightRepository
  const applications = yield* ApplicationRepository
  const ids = yield* IdGenerator
  const method = yield* Command.methods<Dependencies>("Sessions")
  // optional: only `plan` with feeds needs it
  const importer = yield* Effect.serviceOption(CalendarImporter)

  const enrolmentsOf = (programmeId: string) => enrolments.list({ programmeId })

  // --- participants ---------------------------------------------------------------------------

  const decodeEnrol = decode(Participants.Enrol)
  const enrol = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeEnrol(raw)
      yield* Permissions.authorizeAny("participant.manage")
      const programme = yield* Command.read("participant.manage", programmes, input.programmeId, programmeScope)
      if (!openProgrammeStates.includes(programme.value.state)) {
        return yield* Effect.fail(new RuleViolation({
          rule: "programme-open",
          message: `Participants enrol in an open programme; this one is ${programme.value.state}.`,
          details: []
        }))
      }
      const existing = yield* enrolmentsOf(input.programmeId)
      const p = input.participant
      const personId = p.id ?? ((yield* ids.next("person")) as PersonId)
      yield* Participants.checkNotEnrolled(existing.map((e) => e.value), { id: personId, email: p.email })
      const at = yield* Command.now
      const status = input.reserve ? "Reserve" as const : "Active" as const
      const enrolment = new Enrolment({
        id: (yield* ids.next("enrolment")) as EnrolmentId,
        programmeId: input.programmeId,
        regionId: programme.value.regionId,
        person: new Person({ ...p, id: personId, language: p.language ?? "nl" }),
        status,
        ...(input.reserve ? { reservePosition: Participants.nextReservePosition(existing.map((e) => e.value)) } : {}),
        enrolledAt: at
      })
      yield* Command.commit([
        Command.change(enrolments, enrolment, 0, [
          Events.ParticipantEnrolled.make({ enrolmentId: enrolment.id, programmeId: enrolment.programmeId, personId, status })
        ])
      ])
      return enrolment
    })

  const decodeLeave = decode(Participants.Leave)
  const leave = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeLeave(raw)
      yield* Permissions.authorizeAny("participant.manage")
      const current = yield* Command.read("participant.manage", enrolments, input.enrolmentId, (e) => ({ regionIds: [e.regionId] }))
      const e = current.value
      if (e.status === "Left") {
        return yield* Effect.fail(new InvalidTransition({
          entity: "Enrolment",
          id: e.id,
          from: e.status,
          to: "Left",
          reason: "the participant has left already"
        }))
      }
      const at = yield* Command.now
      const left = new Enrolment({ ...e, status: "Left", leftAt: at, leftReason: input.reason })
      const changes: Array<Command.Change<any>> = [
        Command.change(enrolments, left, current.version, [
          Events.ParticipantLeft.make({ enrolmentId: e.id, programmeId: e.programmeId, personId: e.person.id, reason: input.reason })
        ])
      ]
      let promoted: Enrolment | undefined
      if (e.status === "Active" && input.promoteReserve) {
        const all = yield* enrolmentsOf(e.programmeId)
        const first = Participants.reserveList(all.map((x) => x.value))[0]
        const version = all.find((x) => x.value.id === first?.id)?.version
        if (first !== undefined && version !== undefined) {
          const { reservePosition: _, ...rest } = first
          promoted = new Enrolment({ ...rest, status: "Active" })
          changes.push(Command.change(enrolments, promoted, version, [
            Events.ReservePromoted.make({ enrolmentId: first.id, programmeId: first.programmeId, personId: first.person.id, replacing: e.id })
          ]))
        }
      }
      // upcoming sessions: the one who left is taken off (and gets a cancellation); the one who
      // took the place is invited where the others are
      const upcoming = (yield* sessions.list({ programmeId: e.programmeId, state: ["Scheduled", "Invited"] }))
        .filter(({ value }) => value.start !== undefined && value.start.getTime() > at.getTime())
      for (const { value: session, version } of upcoming) {
        let next = Session.withdrawInvitation(session, e.person.id, at)
        const events: Array<Events.DomainEvent> = next === undefined
          ? []
          : [Events.SessionInvitationWithdrawn.make({ sessionId: session.id, personId: e.person.id, programmeId: e.programmeId })]
        if (promoted !== undefined && promoted.person.email !== undefined && session.state === "Invited") {
          const invited = Session.invite(next ?? session, [
            new Session.Invitation({
              personId: promoted.person.id,
              programmeId: e.programmeId,
              name: promoted.person.name,
              email: promoted.person.email,
              language: promoted.person.language,
              answer: "NeedsAction",
              invitedAt: at
            })
          ], at)
          if (Either.isRight(invited)) {
            next = invited.right.session
            events.push(Events.SessionInvitationsSent.make({ sessionId: session.id, personIds: [promoted.person.id], sequence: next.sequence }))
          }
        }
        if (next !== undefined) changes.push(Command.change(sessions, next, version, events))
      }
      yield* Command.commit(changes)
      return { left, promoted }
    })

  const decodeProgrammeRef = decode(ProgrammeRef)
  const group = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeProgrammeRef(raw)
      yield* Command.read("participant.read", programmes, input.programmeId, programmeScope)
      const all = yield* enrolmentsOf(input.programmeId)
      const settings = yield* Settings
      return Participants.report(input.programmeId, all.map((e) => e.value), settings.participants)
    })

  // --- planning and creation ------------------------------------------------------------------

  const approved = (programme: Programme) =>
    programme.state === "Planned" || programme.state === "Running"
      ? Effect.void
      : Effect.fail(new RuleViolation({
        rule: "plan-approved",
        message: `The programme's plan is not approved (the programme is ${programme.state}).`,
        details: []
      }))

  const decodePlan = decode(PlanSessions)
  const plan = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodePlan(raw)
      yield* Permissions.authorizeAny("session.plan")
      const found = yield* Command.read("session.plan", programmes, input.programmeId, programmeScope)
      const programme = found.value
      yield* approved(programme)
      if (programme.plan.length === 0) {
        return yield* Effect.fail(new RuleViolation({ rule: "plan-not-empty", message: "The programme's plan has no sessions.", details: [] }))
      }
      const { feeds, programmeId: _, ...constraints } = input
      // sessions already scheduled stay where they are; cancelled ones and those before `from` are left out
      const existing = new Map((yield* sessions.list({ programmeId: programme.id })).map(({ value }) => [value.id, value]))
      const settings = yield* Settings
      const gapWeeks = constraints.maxGapWeeks ?? settings.planner.maxGapWeeks
      const lastDay = constraints.until ??
        DateTime.fromISO(constraints.from, { zone: "UTC" }).plus({ weeks: programme.plan.length * gapWeeks }).toISODate()!
      const items = programme.plan.flatMap((item) => {
        const session = item.sessionId === undefined ? undefined : existing.get(item.sessionId)
        const base = { key: item.id, role: item.role, durationMinutes: item.durationMinutes }
        if (session === undefined || session.state === "Draft") return [base]
        if (session.state === "Cancelled" || session.start === undefined || session.end === undefined) return []
        const day = DateTime.fromJSDate(session.start, { zone: session.timeZone }).toISODate()!
        if (day < constraints.from || day > lastDay) return []
        return [{ ...base, fixed: { start: session.start, end: session.end } }]
      })
      if (items.length === 0) {
        return yield* Effect.fail(new RuleViolation({ rule: "plan-not-empty", message: "No session of the plan is left to plan.", details: [] }))
      }
      const [first, ...rest] = items
      const imported: Array<Planner.BusyInput> = []
      if (feeds.length > 0) {
        if (Option.isNone(importer)) {
          return yield* Effect.fail(invalid("feeds", "calendarImporter", "cannot be read: no CalendarImporter is provided"))
        }
        const from = new Date(`${constraints.from}T00:00:00Z`)
        const until = constraints.until === undefined
          ? new Date(from.getTime() + (programme.plan.length * gapWeeks * 7 + 1) * 86_400_000)
          : new Date(new Date(`${constraints.until}T00:00:00Z`).getTime() + 2 * 86_400_000)
        for (const [i, ics] of feeds.entries()) {
          const periods = yield* importer.value.busyPeriods(ics, { start: new Date(from.getTime() - 86_400_000), end: until }).pipe(
            Effect.mapError((e) => invalid(`feeds[${i}]`, "iCalendar", `${e.line === undefined ? "" : `line ${e.line}: `}${e.message}`))
          )
          imported.push(...periods)
        }
      }
      return yield* Planner.plan({
        ...constraints,
        busy: imported.length === 0 ? constraints.busy : [...constraints.busy, ...imported],
        schoolHolidayZone: constraints.schoolHolidayZone ?? programme.region.schoolHolidayZone,
        sessions: [first!, ...rest]
      }, settings.planner)
    })

  const createFromPlan = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeProgrammeRef(raw)
      yield* Permissions.authorizeAny("session.manage")
      const found = yield* Command.read("session.manage", programmes, input.programmeId, programmeScope)
      const programme = found.value
      yield* approved(programme)
      const at = yield* Command.now
      const created: Array<Session.Session> = []
      const plan: Array<PlanItem> = []
      for (const [index, item] of programme.plan.entries()) {
        if (item.sessionId !== undefined) {
          plan.push(item)
          continue
        }
        const session = new Session.Session({
          id: (yield* ids.next("session")) as SessionId,
          programmeIds: [programme.id],
          regionIds: [programme.regionId],
          planItemId: item.id,
          title: titleOf(programme, item, index),
          ...(item.themeId === undefined ? {} : { themeId: item.themeId }),
          goal: item.goal,
          workForms: item.workForms,
          agenda: item.agenda,
          ...(item.host === undefined ? {} : { host: item.host }),
          state: "Draft",
          sequence: 0,
          invitations: [],
          attendance: [],
          role: item.role,
          remindersSent: [],
          createdAt: at,
          updatedAt: at
        })
        created.push(session)
        plan.push(new PlanItem({ ...item, sessionId: session.id }))
      }
      if (created.length === 0) return []
      yield* Command.commit([
        Command.change(programmes, new Programme({ ...programme, plan, updatedAt: at }), found.version, [
          Events.PlanSessionsCreated.make({ programmeId: programme.id, sessionIds: created.map((s) => s.id) })
        ]),
        ...created.map((s) =>
          Command.change(sessions, s, 0, [
            Events.SessionCreated.make({ sessionId: s.id, programmeIds: s.programmeIds, planItemId: s.planItemId })
          ])
        )
      ])
      return created
    })

  const decodeCross = decode(CreateCrossRegional)
  const createCrossRegional = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeCross(raw)
      yield* Permissions.authorizeAny("session.createCrossRegional")
      const found = yield* Effect.forEach([...new Set(input.programmeIds)], (id) =>
        Command.read("session.createCrossRegional", programmes, id, programmeScope))
      if (found.length < 2) {
        return yield* Effect.fail(new RuleViolation({
          rule: "several-programmes",
          message: "A cross-regional session belongs to at least two different programmes.",
          details: []
        }))
      }
      for (const p of found) yield* approved(p.value)
      const at = yield* Command.now
      const programmeIds = found.map((p) => p.value.id)
      const regionIds = [...new Set(found.map((p) => p.value.regionId))]
      const session = new Session.Session({
        id: (yield* ids.next("session")) as SessionId,
        programmeIds: [programmeIds[0]!, ...programmeIds.slice(1)],
        regionIds: [regionIds[0]!, ...regionIds.slice(1)],
        title: input.title,
        ...(input.themeId === undefined ? {} : { themeId: input.themeId }),
        ...(input.goal === undefined ? {} : { goal: input.goal }),
        workForms: input.workForms,
        agenda: input.agenda,
        state: "Draft",
        sequence: 0,
        invitations: [],
        attendance: [],
        role: "Regular",
        remindersSent: [],
        createdAt: at,
        updatedAt: at
      })
      yield* Command.commit([
        Command.change(sessions, session, 0, [Events.SessionCreated.make({ sessionId: session.id, programmeIds: session.programmeIds })])
      ])
      return session
    })

  // --- the session's life ---------------------------------------------------------------------

  /** Loads a session, checks the right to manage it (coordinator for cross-regional ones) and commits the transition. */
  const manage = <I extends { readonly sessionId: SessionId }, E>(
    schema: Schema.Schema<I, any, never>,
    apply: (
      s: Session.Session,
      input: I,
      context: Command.TransitionContext
    ) => Either.Either<Command.Transitioned<Session.Session>, E> | Effect.Effect<Command.Transitioned<Session.Session>, E | CommandError>
  ) => {
    const decodeInput = decode(schema)
    return (raw: unknown) =>
      Effect.gen(function*() {
        const input = yield* decodeInput(raw)
        const actor = yield* Permissions.authorizeAny("session.manage")
        const current = yield* get(sessions, input.sessionId)
        yield* Permissions.authorize(manageAction(current.value), scopeOf(current.value))
        const at = yield* Command.now
        const result = apply(current.value, input, { actor, now: at })
        const next = Either.isEither(result) ? yield* result : yield* result
        yield* Command.commit([Command.change(sessions, next.value, current.version, next.events)])
        return next.value
      })
  }

  const slotOf = (i: typeof ScheduleSession.Type): Session.Slot => ({
    start: i.start,
    end: i.end,
    venue: i.venue === undefined ? undefined : new Session.Venue(i.venue),
    host: i.host
  })

  const schedule = manage(ScheduleSession, (s, i, { now }) =>
    Either.map(Session.schedule(s, slotOf(i), now), (value) => ({
      value,
      events: [Events.SessionScheduled.make({ sessionId: value.id, start: i.start, end: i.end })]
    })))

  const decodeFromPlan = decode(ScheduleFromPlan)
  const scheduleFromPlan = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeFromPlan(raw)
      yield* Permissions.authorizeAny("session.manage")
      const programme = (yield* Command.read("session.manage", programmes, input.programmeId, programmeScope)).value
      const at = yield* Command.now
      const keys = input.sessions.map((p) => p.key)
      const twice = keys.find((k, i) => keys.indexOf(k) !== i)
      if (twice !== undefined) {
        return yield* Effect.fail(new RuleViolation({ rule: "plan-item-once", message: `Plan item ${twice} is given twice.`, details: [] }))
      }
      const changes: Array<Command.Change<Session.Session>> = []
      for (const proposal of input.sessions) {
        const item = programme.plan.find((i) => i.id === proposal.key)
        if (item === undefined) {
          return yield* Effect.fail(new RuleViolation({
            rule: "plan-item-known",
            message: `The programme's plan has no item ${proposal.key}.`,
            details: []
          }))
        }
        if (item.sessionId === undefined) {
          return yield* Effect.fail(new RuleViolation({
            rule: "session-created",
            message: `No session was created for plan item ${item.id} yet (createFromPlan).`,
            details: []
          }))
        }
        const current = yield* get(sessions, item.sessionId)
        yield* Permissions.authorize(manageAction(current.value), scopeOf(current.value))
        const next = yield* Session.schedule(current.value, {
          start: proposal.start,
          end: proposal.end,
          venue: current.value.venue ?? (input.venue === undefined ? undefined : new Session.Venue(input.venue)),
          host: current.value.host ?? input.host
        }, at)
        changes.push(Command.change(sessions, next, current.version, [
          Events.SessionScheduled.make({ sessionId: next.id, start: proposal.start, end: proposal.end })
        ]))
      }
      yield* Command.commit(changes)
      return changes.map((c) => c.value)
    })

  const reschedule = manage(ScheduleSession, (s, i, { now }) =>
    Either.map(Session.reschedule(s, slotOf(i), now), (value) => ({
      value,
      events: [
        Events.SessionRescheduled.make({
          sessionId: value.id,
          start: i.start,
          end: i.end,
          previousStart: s.start,
          sequence: value.sequence
        })
      ]
    })))

  const cancel = manage(CancelSession, (s, i, { now }) =>
    Either.map(Session.cancel(s, i.reason, now), (value) => ({
      value,
      events: [Events.SessionCancelled.make({ sessionId: value.id, reason: i.reason, sequence: value.sequence })]
    })))

  const invite = manage(InviteSession, (s, i, { now }) =>
    Effect.gen(function*() {
      const invitations: Array<Session.Invitation> = []
      const add = (person: Person, programmeId: ProgrammeId) => {
        if (person.email === undefined) return
        invitations.push(new Session.Invitation({
          personId: person.id,
          programmeId,
          name: person.name,
          email: person.email,
          language: person.language,
          answer: "NeedsAction",
          invitedAt: now
        }))
      }
      for (const programmeId of s.programmeIds) {
        const rows = yield* enrolments.list({ programmeId, state: "Active" })
        for (const { value: e } of rows) add(e.person, programmeId)
        // the kick-off and the closing: the administrators named in the region's application too
        const programme = yield* get(programmes, programmeId)
        const item = programme.value.plan.find((p) => p.id === s.planItemId)
        if (item?.administratorsInvited === true && item.role !== "Regular") {
          const application = yield* applications.find(programme.value.applicationId)
          if (Option.isSome(application)) for (const a of application.value.value.administrators) add(a, programmeId)
        }
      }
      for (const guest of i.guests) {
        const id = guest.id ?? ((yield* ids.next("person")) as PersonId)
        add(new Person({ ...guest, id, language: guest.language ?? "nl" }), s.programmeIds[0])
      }
      const { added, session } = yield* Session.invite(s, invitations, now)
      return {
        value: session,
        events: [
          Events.SessionInvitationsSent.make({ sessionId: session.id, personIds: added.map((a) => a.personId), sequence: session.sequence })
        ]
      }
    }))

  const decodeAnswer = decode(AnswerInvitation)
  const answer = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeAnswer(raw)
      yield* Permissions.authorizeAny("session.answer")
      const current = yield* get(sessions, input.sessionId)
      const s = current.value
      const invited = s.invitations.some((i) => i.personId === input.personId)
      // the invitee answers for themselves; the region (or coordinator) may record anyone's answer
      yield* Permissions.authorize("session.answer", { regionIds: s.regionIds, partyIds: invited ? [input.personId] : [] })
      const at = yield* Command.now
      const next = yield* Session.answer(s, input.personId, input.answer, at)
      yield* Command.commit([
        Command.change(sessions, next, current.version, [
          Events.SessionInvitationAnswered.make({ sessionId: s.id, personId: input.personId, answer: input.answer })
        ])
      ])
      return Session.viewFor(yield* Actor.CurrentActor, next)
    })

  /**
   * The programme's stage follows its sessions: the first session held moves it from `Planned`
   * to `Running`, the closing session held moves it on to `FollowUp`.
   */
  const stageAfterHeld = (programme: Programme, session: Session.Session): Command.Transitioned<Programme> | undefined => {
    const ref = { programmeId: programme.id, sessionId: session.id }
    if (session.role === "Closing" && (programme.state === "Planned" || programme.state === "Running")) {
      return {
        value: new Programme({ ...programme, state: "FollowUp", updatedAt: session.updatedAt }, { disableValidation: true }),
        events: [
          ...(programme.state === "Planned" ? [Events.ProgrammeStarted.make(ref)] : []),
          Events.ProgrammeInFollowUp.make(ref)
        ]
      }
    }
    if (programme.state === "Planned") {
      return {
        value: new Programme({ ...programme, state: "Running", updatedAt: session.updatedAt }, { disableValidation: true }),
        events: [Events.ProgrammeStarted.make(ref)]
      }
    }
    return undefined
  }

  const decodeAttendance = decode(RecordAttendance)
  const recordAttendance = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeAttendance(raw)
      yield* Permissions.authorizeAny("session.manage")
      const current = yield* get(sessions, input.sessionId)
      const s = current.value
      yield* Permissions.authorize(manageAction(s), scopeOf(s))
      const at = yield* Command.now
      const value = yield* Session.recordAttendance(s, input.attendance, at)
      const present = value.attendance.filter((a) => a.present).length
      const changes: Array<Command.Change<any>> = [
        Command.change(sessions, value, current.version, [
          ...(s.state === "Held" ? [] : [Events.SessionHeld.make({ sessionId: value.id })]),
          Events.SessionAttendanceRecorded.make({ sessionId: value.id, present, absent: value.attendance.length - present })
        ])
      ]
      if (s.state !== "Held") {
        for (const programmeId of value.programmeIds) {
          const programme = yield* get(programmes, programmeId)
          const next = stageAfterHeld(programme.value, value)
          if (next !== undefined) changes.push(Command.change(programmes, next.value, programme.version, next.events))
        }
      }
      yield* Command.commit(changes)
      return value
    })

  const writeMinutes = manage(WriteMinutes, (s, i, { actor, now }) =>
    Either.map(Session.draftMinutes(s, i.text, actorPersonId(actor), now), (value) => ({
      value,
      events: [Events.SessionMinutesDrafted.make({ sessionId: value.id })]
    })))

  const publishMinutes = manage(SessionRef, (s, _i, { actor, now }) =>
    Either.map(Session.publishMinutes(s, actorPersonId(actor), now), (value) => ({
      value,
      events: [Events.SessionMinutesPublished.make({ sessionId: value.id })]
    })))

  const decodeInsight = decode(RecordInsight)
  const recordInsight = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeInsight(raw)
      const actor = yield* Permissions.authorizeAny("insight.record")
      const current = yield* get(sessions, input.sessionId)
      const s = current.value
      const programmeId = input.programmeId ?? s.programmeIds[0]
      if (!s.programmeIds.includes(programmeId)) {
        return yield* Effect.fail(new RuleViolation({
          rule: "insight-programme",
          message: `The session does not belong to programme ${programmeId}.`,
          details: []
        }))
      }
      const programme = yield* get(programmes, programmeId)
      yield* Permissions.authorize("insight.record", { regionIds: [programme.value.regionId] })
      if (s.state !== "Held") {
        return yield* Effect.fail(new InvalidTransition({
          entity: "Session",
          id: s.id,
          from: s.state,
          to: "Insight",
          reason: "insights are recorded once the session is held"
        }))
      }
      const at = yield* Command.now
      const insight = new Insight({
        id: (yield* ids.next("insight")) as InsightId,
        sessionId: s.id,
        programmeId,
        regionId: programme.value.regionId,
        kind: input.kind,
        title: input.title,
        text: input.text,
        themeIds: input.themeIds ?? (s.themeId === undefined ? [] : [s.themeId]),
        tags: input.tags,
        author: actorPersonId(actor),
        recordedAt: at
      })
      yield* Command.commit([
        Command.change(insights, insight, 0, [
          Events.InsightRecorded.make({ insightId: insight.id, sessionId: s.id, programmeId, themeIds: insight.themeIds })
        ])
      ])
      return insight
    })

  // --- reading --------------------------------------------------------------------------------

  const decodeSessionRef = decode(SessionRef)
  const getSession = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeSessionRef(raw)
      const found = yield* Command.read("session.read", sessions, input.sessionId, scopeOf)
      const actor = yield* Actor.CurrentActor
      return { ...found, value: Session.viewFor(actor, found.value) }
    })

  const decodeList = decode(ListSessions)
  const list = (raw: unknown = {}) =>
    Effect.gen(function*() {
      const input = yield* decodeList(raw)
      const actor = yield* Permissions.authorizeAny("session.read")
      const base = { programmeId: input.programmeId, state: input.state, limit: input.limit, offset: input.offset }
      if (actor._tag === "NetworkCoordinator" || actor._tag === "System") return yield* sessions.list(base)
      if (actor._tag === "KeyPerson" || actor._tag === "RegionalOrganiser") {
        return yield* sessions.list({ ...base, regionId: actor.regionId })
      }
      // participants, administrators and guests: the sessions they are invited to, without the other invitees' addresses
      const invited = yield* sessions.list({ ...base, personId: actor.personId })
      return invited.map((row) => ({ ...row, value: Session.viewFor(actor, row.value) }))
    })

  const decodeFeed = decode(FeedRef)
  const feedEvents = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeFeed(raw)
      const settings = yield* Settings
      const options = {
        organizer: settings.sessions.organizer,
        alarmsMinutesBefore: settings.dispatcher.invitationAlarmsMinutesBefore,
        sessionUrl: settings.sessions.sessionUrl
      }
      if ("programmeId" in input) {
        yield* Command.read("session.read", programmes, input.programmeId, programmeScope)
        const rows = yield* sessions.list({ programmeId: input.programmeId })
        return rows.flatMap(({ value }) => {
          const event = SessionNotifications.calendarEventOf(value, options)
          return event === undefined ? [] : [event]
        })
      }
      yield* Permissions.authorize("session.read", { regionIds: [], partyIds: [input.personId] })
      const rows = yield* sessions.list({ personId: input.personId })
      return rows.flatMap(({ value }) => {
        const language = value.invitations.find((i) => i.personId === input.personId)?.language
        const event = SessionNotifications.calendarEventOf(value, { ...options, language })
        return event === undefined ? [] : [event]
      })
    })

  // --- reminders ------------------------------------------------------------------------------

  const sendDueReminders = () =>
    Effect.gen(function*() {
      yield* Permissions.authorizeAny("session.remind")
      const settings = (yield* Settings).sessions
      const at = yield* Command.now
      const open = yield* sessions.list({ state: "Invited" })
      const sent: Array<SentReminder> = []
      for (const { value: s, version } of open) {
        const marks = Session.dueReminders(s, settings, at)
        if (marks.length === 0) continue
        const reminders = marks.filter((m) => m.sent).map((m) => ({
          sessionId: s.id,
          kind: m.kind,
          daysBefore: m.daysBefore,
          personIds: Session.reminderRecipients(s, m.kind).map((i) => i.personId)
        }))
        const outcome = yield* Command.commit([
          Command.change(
            sessions,
            Session.markReminders(s, marks, at),
            version,
            reminders.map((r) => Events.SessionReminderDue.make({ ...r, start: s.start! }))
          )
        ]).pipe(
          // a session changed meanwhile: its reminders are looked at again on the next run
          Effect.map(() => true),
          Effect.catchIf((e): e is ConcurrencyConflict => e instanceof ConcurrencyConflict, () => Effect.succeed(false))
        )
        if (outcome) sent.push(...reminders)
      }
      return sent
    })

  return Sessions.of({
    enrol: method("enrol", enrol),
    leave: method("leave", leave),
    group: method("group", group),
    plan: method("plan", plan),
    createFromPlan: method("createFromPlan", createFromPlan),
    createCrossRegional: method("createCrossRegional", createCrossRegional),
    schedule: method("schedule", schedule),
    scheduleFromPlan: method("scheduleFromPlan", scheduleFromPlan),
    reschedule: method("reschedule", reschedule),
    cancel: method("cancel", cancel),
    invite: method("invite", invite),
    answer: method("answer", answer),
    recordAttendance: method("recordAttendance", recordAttendance),
    writeMinutes: method("writeMinutes", writeMinutes),
    publishMinutes: method("publishMinutes", publishMinutes),
    recordInsight: method("recordInsight", recordInsight),
    get: method("get", getSession),
    list: method("list", list),
    feedEvents: method("feedEvents", feedEvents),
    sendDueReminders: method("sendDueReminders", sendDueReminders)
  })
})

/** The sessions service, built from the ports in the context. @category layers */
export const layer: Layer.Layer<Sessions, never, Dependencies> = Layer.effect(Sessions, make)
