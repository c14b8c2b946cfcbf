/**
 * The sessions of a programme: its fixed group of participants, the date planner, and each
 * session's life from draft to held — invitations, answers, reminders, attendance, minutes and
 * insights. The service appends events; the dispatcher sends the messages they call for
 * (see `SessionNotifications`).
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Schema } from "effect"
import * as Actor from "./Actor.js"
import type { CalendarEvent, CalendarImportLimitError } from "./Calendar.js"
import * as Command from "./Command.js"
import { Instant, Line, LongText, Paragraph } from "./Common.js"
import { Enrolment } from "./Enrolment.js"
import type { CommandError } from "./Errors.js"
import { InvalidTransition, RuleViolation } from "./Errors.js"
import { PersonId, ProgrammeId, SessionId, ThemeId } from "./Ids.js"
import { Insight, InsightKind, Visibility } from "./Insight.js"
import * as Participants from "./Participants.js"
import * as Permissions from "./Permissions.js"
import * as Planner from "./Planner.js"
import { AgendaItem } from "./Programme.js"
import type { Versioned } from "./Repository.js"
import {
  ApplicationRepository,
  EnrolmentRepository,
  InsightRepository,
  ProgrammeRepository,
  SessionRepository
} from "./Repository.js"
import * as Session from "./Session.js"
import * as SessionsContext from "./internal/sessionsContext.js"
import * as SessionsLife from "./internal/sessionsLife.js"
import * as SessionsParticipants from "./internal/sessionsParticipants.js"
import * as SessionsPlanning from "./internal/sessionsPlanning.js"
import * as SessionsReading from "./internal/sessionsReading.js"
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
  host: Schema.optional(Line),
  /** At the venue, online or hybrid; the session's own (at first `OnSite`) when not given. */
  format: Schema.optional(Session.SessionFormat),
  /** The link to join an online or hybrid session; it goes into the invitations only. */
  joinUrl: Schema.optional(Session.JoinUrl)
})

/** Input of {@link SessionsService.addMaterial}. @category inputs */
export const AddMaterial = Schema.Struct({
  sessionId: SessionId,
  title: Line,
  url: Session.Material.fields.url,
  kind: Schema.optionalWith(Session.MaterialKind, { default: () => "Link" as const })
})

/** Input of {@link SessionsService.removeMaterial}. @category inputs */
export const RemoveMaterial = Schema.Struct({ sessionId: SessionId, materialId: Schema.String.pipe(Schema.maxLength(100)) })

/** Input of {@link SessionsService.changeJoinLink}. @category inputs */
export const ChangeJoinLink = Schema.Struct({
  sessionId: SessionId,
  format: Session.SessionFormat,
  /** Required online and hybrid, absent at the venue. */
  joinUrl: Schema.optional(Session.JoinUrl)
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
export const WriteMinutes = Schema.Struct({
  sessionId: SessionId,
  text: LongText,
  /** Who may find the minutes in the network search once published (default: as before, else `Region`). */
  visibility: Schema.optional(Visibility)
})

/** Input of {@link SessionsService.publishMinutes}. @category inputs */
export const PublishMinutes = Schema.Struct({
  sessionId: SessionId,
  /** Who may find the minutes in the network search (default: as the draft says). */
  visibility: Schema.optional(Visibility)
})

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
  tags: Schema.optionalWith(Schema.Array(Line).pipe(Schema.maxItems(30)), { default: () => [] }),
  /** Who may find it in the network search: `Region`, `Network` (default) or `Public`. */
  visibility: Schema.optionalWith(Visibility, { default: () => "Network" as const })
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
  /**
   * Enrols a participant in the programme's fixed group, or on its reserve list. A person enrolled twice is refused.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Sessions } from "@copkit/core"
   *
   * const organiser = Actor.make({ _tag: "RegionalOrganiser", personId: "per_fatima-el-amrani", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const sessions = yield* Sessions.Sessions
   *   const enrolment = yield* sessions.enrol({
   *     programmeId: "prg_twente",
   *     participant: {
   *       name: "Sanne Visser",
   *       email: "sanne@visser-installatie.example.nl",
   *       organisation: "Visser Installatietechniek",
   *       helixRole: "Entrepreneur"
   *     }
   *   })
   *   console.log(enrolment.id)
   * }).pipe(Actor.as(organiser))
   * ```
   */
  readonly enrol: (input: typeof Participants.Enrol.Encoded) => Effect.Effect<Enrolment, CommandError | RuleViolation, Actor.CurrentActor>
  /**
   * A participant leaves; the first on the reserve list takes the place (unless told not to). The
   * one who left is taken off upcoming sessions (they get a cancellation); the one who took the
   * place is invited to the upcoming sessions whose invitations went out.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Sessions } from "@copkit/core"
   *
   * const organiser = Actor.make({ _tag: "RegionalOrganiser", personId: "per_fatima-el-amrani", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const sessions = yield* Sessions.Sessions
   *   const { left, promoted } = yield* sessions.leave({
   *     enrolmentId: "enr_sanne-visser",
   *     reason: "Heeft een nieuwe baan buiten de regio."
   *   })
   *   console.log(left.id, promoted?.id)
   * }).pipe(Actor.as(organiser))
   * ```
   */
  readonly leave: (input: typeof Participants.Leave.Encoded) => Effect.Effect<LeaveResult, CommandError | TransitionError, Actor.CurrentActor>
  /**
   * The group: size against the settings, reserve list, helix mix and warnings.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Sessions } from "@copkit/core"
   *
   * const organiser = Actor.make({ _tag: "RegionalOrganiser", personId: "per_fatima-el-amrani", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const sessions = yield* Sessions.Sessions
   *   const group = yield* sessions.group({ programmeId: "prg_twente" })
   *   console.log(`${group.size} of ${group.target}`, group.reserve.length, group.helixMix)
   * }).pipe(Actor.as(organiser))
   * ```
   */
  readonly group: (input: typeof ProgrammeRef.Encoded) => Effect.Effect<Participants.GroupReport, CommandError, Actor.CurrentActor>
  /**
   * Proposes dates for every session of the approved plan (changes nothing). Sessions already
   * scheduled stay where they are (the others keep their gaps to them); cancelled ones are left out.
   * A feed that cannot be read fails with a `ValidationError` naming it (`feeds[i]`); all the
   * feeds together past `Settings.calendarImport`'s `maxTotalBytes`, `maxTotalOccurrences` or
   * `totalTimeBudgetMillis` fail with a `CalendarImportLimitError` naming the bound.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Sessions } from "@copkit/core"
   *
   * const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke-jansen" })
   *
   * const program = Effect.gen(function*() {
   *   const sessions = yield* Sessions.Sessions
   *   const result = yield* sessions.plan({
   *     programmeId: "prg_twente",
   *     from: "2027-03-01",
   *     until: "2027-12-17",
   *     schoolHolidayZone: "Middle",
   *     preferredWeekdays: [2, 4],
   *     preferredWindow: { from: "13:00", until: "17:00" },
   *     keyPersonUnavailable: [{ name: "Jan Bakker", dates: ["2027-04-13", "2027-04-15"] }]
   *   })
   *   if (result.status === "Blocked") console.log(result.blocking)
   *   else for (const session of result.sessions) console.log(session.key, session.start)
   * }).pipe(Actor.as(coordinator))
   * ```
   */
  readonly plan: (
    input: typeof PlanSessions.Encoded
  ) => Effect.Effect<Planner.PlanResult, CommandError | RuleViolation | CalendarImportLimitError, Actor.CurrentActor>
  /**
   * Creates a `Draft` session for every item of the approved plan that has none yet.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Sessions } from "@copkit/core"
   *
   * const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke-jansen" })
   *
   * const program = Effect.gen(function*() {
   *   const sessions = yield* Sessions.Sessions
   *   const drafts = yield* sessions.createFromPlan({ programmeId: "prg_twente" })
   *   console.log(drafts.map((session) => session.state)) // ["Draft", "Draft", "Draft"]
   * }).pipe(Actor.as(coordinator))
   * ```
   */
  readonly createFromPlan: (input: typeof ProgrammeRef.Encoded) => Effect.Effect<ReadonlyArray<Session.Session>, CommandError | RuleViolation, Actor.CurrentActor>
  /**
   * Creates a cross-regional session that belongs to several programmes. Coordinator only.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Sessions } from "@copkit/core"
   *
   * const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke-jansen" })
   *
   * const program = Effect.gen(function*() {
   *   const sessions = yield* Sessions.Sessions
   *   yield* sessions.createCrossRegional({
   *     programmeIds: ["prg_twente", "prg_zeeland"],
   *     title: "Energiedelen op bedrijventerreinen",
   *     goal: "Twee regio's leren van elkaars energiehubs.",
   *     workForms: ["PracticeExample", "Intervision"]
   *   })
   * }).pipe(Actor.as(coordinator))
   * ```
   */
  readonly createCrossRegional: (input: typeof CreateCrossRegional.Encoded) => Effect.Effect<Session.Session, CommandError | RuleViolation, Actor.CurrentActor>
  /**
   * Schedules the programme's draft sessions at the planner's proposals (`key` is the plan item's
   * id), all or none; a venue and host given here apply to every one that has none yet.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Sessions } from "@copkit/core"
   *
   * const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke-jansen" })
   *
   * const program = Effect.gen(function*() {
   *   const sessions = yield* Sessions.Sessions
   *   const proposal = yield* sessions.plan({ programmeId: "prg_twente", from: "2027-03-01" })
   *   yield* sessions.scheduleFromPlan({
   *     programmeId: "prg_twente",
   *     sessions: proposal.sessions.map(({ key, start, end }) => ({ key, start: start.toISOString(), end: end.toISOString() })),
   *     venue: { name: "Innovatiecentrum Kennispark", address: "Hengelosestraat 500", city: "Enschede" }
   *   })
   * }).pipe(Actor.as(coordinator))
   * ```
   */
  readonly scheduleFromPlan: (input: typeof ScheduleFromPlan.Encoded) => Effect.Effect<ReadonlyArray<Session.Session>, CommandError | TransitionError, Actor.CurrentActor>
  /**
   * `Draft → Scheduled`: date, time, venue, host.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Sessions } from "@copkit/core"
   *
   * const organiser = Actor.make({ _tag: "RegionalOrganiser", personId: "per_fatima-el-amrani", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const sessions = yield* Sessions.Sessions
   *   yield* sessions.schedule({
   *     sessionId: "ses_twente-1",
   *     start: "2027-03-16T13:30:00+01:00",
   *     end: "2027-03-16T17:00:00+01:00",
   *     venue: { name: "Mulder Metaal", address: "Industrieweg 12", city: "Hengelo" },
   *     host: "Mulder Metaal"
   *   })
   * }).pipe(Actor.as(organiser))
   * ```
   */
  readonly schedule: (input: typeof ScheduleSession.Encoded) => Effect.Effect<Session.Session, CommandError | TransitionError, Actor.CurrentActor>
  /**
   * Moves a scheduled or invited session; every invitee gets an update.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Sessions } from "@copkit/core"
   *
   * const organiser = Actor.make({ _tag: "RegionalOrganiser", personId: "per_fatima-el-amrani", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const sessions = yield* Sessions.Sessions
   *   yield* sessions.reschedule({
   *     sessionId: "ses_twente-1",
   *     start: "2027-03-23T13:30:00+01:00",
   *     end: "2027-03-23T17:00:00+01:00"
   *   })
   * }).pipe(Actor.as(organiser))
   * ```
   */
  readonly reschedule: (input: typeof ScheduleSession.Encoded) => Effect.Effect<Session.Session, CommandError | TransitionError, Actor.CurrentActor>
  /**
   * Makes a scheduled or invited session online, hybrid or at the venue, or changes its join link;
   * every invitee gets an update carrying the link (e-mail and calendar item, `CONFERENCE`).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Sessions } from "@copkit/core"
   *
   * const organiser = Actor.make({ _tag: "RegionalOrganiser", personId: "per_anouk-smit", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const sessions = yield* Sessions.Sessions
   *   const session = yield* sessions.changeJoinLink({
   *     sessionId: "ses_twente-2",
   *     format: "Hybrid",
   *     joinUrl: "https://meet.example.nl/kennisnetwerk/twente-2"
   *   })
   *   console.log(session.sequence) // raised: the invitees get an update
   * }).pipe(Actor.as(organiser))
   * ```
   */
  readonly changeJoinLink: (input: typeof ChangeJoinLink.Encoded) => Effect.Effect<Session.Session, CommandError | TransitionError, Actor.CurrentActor>
  /**
   * Attaches a titled link (slides, a case, a recording) to a session; the session's region (or the coordinator).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Sessions } from "@copkit/core"
   *
   * const organiser = Actor.make({ _tag: "RegionalOrganiser", personId: "per_anouk-smit", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const sessions = yield* Sessions.Sessions
   *   const session = yield* sessions.addMaterial({
   *     sessionId: "ses_twente-1",
   *     title: "Presentatie: vakmensen vinden en binden",
   *     url: "https://kennisnetwerk.example.nl/materiaal/twente-1.pdf",
   *     kind: "Slides"
   *   })
   *   console.log(session.materials.length)
   * }).pipe(Actor.as(organiser))
   * ```
   */
  readonly addMaterial: (input: typeof AddMaterial.Encoded) => Effect.Effect<Session.Session, CommandError | TransitionError, Actor.CurrentActor>
  /**
   * Takes a material off a session.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Sessions } from "@copkit/core"
   *
   * const organiser = Actor.make({ _tag: "RegionalOrganiser", personId: "per_anouk-smit", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const sessions = yield* Sessions.Sessions
   *   yield* sessions.removeMaterial({ sessionId: "ses_twente-1", materialId: "mat_1" })
   * }).pipe(Actor.as(organiser))
   * ```
   */
  readonly removeMaterial: (input: typeof RemoveMaterial.Encoded) => Effect.Effect<Session.Session, CommandError | TransitionError, Actor.CurrentActor>
  /**
   * Cancels an open session; every invitee gets a cancellation.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Sessions } from "@copkit/core"
   *
   * const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke-jansen" })
   *
   * const program = Effect.gen(function*() {
   *   const sessions = yield* Sessions.Sessions
   *   const cancelled = yield* sessions.cancel({ sessionId: "ses_twente-2", reason: "De gastspreker is ziek; we plannen opnieuw." })
   *   console.log(cancelled.state) // "Cancelled"
   * }).pipe(Actor.as(coordinator))
   * ```
   */
  readonly cancel: (input: typeof CancelSession.Encoded) => Effect.Effect<Session.Session, CommandError | TransitionError, Actor.CurrentActor>
  /**
   * Invites every active participant of the session's programmes not yet invited (for a kick-off
   * or closing whose plan item says so, also the administrators named in the region's
   * application, and any guest experts given): `Scheduled → Invited`.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Sessions } from "@copkit/core"
   *
   * const organiser = Actor.make({ _tag: "RegionalOrganiser", personId: "per_fatima-el-amrani", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const sessions = yield* Sessions.Sessions
   *   yield* sessions.invite({
   *     sessionId: "ses_twente-1",
   *     guests: [{ name: "Dr. Pieter Smit", email: "p.smit@tno.example.nl", organisation: "TNO", helixRole: "Knowledge" }]
   *   })
   * }).pipe(Actor.as(organiser))
   * ```
   */
  readonly invite: (input: typeof InviteSession.Encoded) => Effect.Effect<Session.Session, CommandError | TransitionError, Actor.CurrentActor>
  /**
   * Records an invitee's answer (the invitee themselves, or the region).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Sessions } from "@copkit/core"
   *
   * const participant = Actor.make({ _tag: "Participant", personId: "per_sanne-visser", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const sessions = yield* Sessions.Sessions
   *   yield* sessions.answer({ sessionId: "ses_twente-1", personId: "per_sanne-visser", answer: "Accepted" })
   * }).pipe(Actor.as(participant))
   * ```
   */
  readonly answer: (input: typeof AnswerInvitation.Encoded) => Effect.Effect<Session.Session, CommandError | TransitionError, Actor.CurrentActor>
  /**
   * Records who was there: `Invited → Held`.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Sessions } from "@copkit/core"
   *
   * const organiser = Actor.make({ _tag: "RegionalOrganiser", personId: "per_fatima-el-amrani", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const sessions = yield* Sessions.Sessions
   *   const held = yield* sessions.recordAttendance({
   *     sessionId: "ses_twente-1",
   *     attendance: [
   *       { personId: "per_sanne-visser", present: true },
   *       { personId: "per_eva-mulder", present: true },
   *       { personId: "per_ahmed-yilmaz", present: false }
   *     ]
   *   })
   *   console.log(held.state) // "Held"
   * }).pipe(Actor.as(organiser))
   * ```
   */
  readonly recordAttendance: (input: typeof RecordAttendance.Encoded) => Effect.Effect<Session.Session, CommandError | TransitionError, Actor.CurrentActor>
  /**
   * Writes or amends the draft minutes.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Sessions } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const sessions = yield* Sessions.Sessions
   *   yield* sessions.writeMinutes({
   *     sessionId: "ses_twente-1",
   *     text: "Opening door wethouder De Vries. Mulder Metaal liet zien hoe zij met buren een energiehub opzetten."
   *   })
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly writeMinutes: (input: typeof WriteMinutes.Encoded) => Effect.Effect<Session.Session, CommandError | TransitionError, Actor.CurrentActor>
  /**
   * Publishes the minutes: `Draft → Published`.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Sessions } from "@copkit/core"
   *
   * const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke-jansen" })
   *
   * const program = Effect.gen(function*() {
   *   const sessions = yield* Sessions.Sessions
   *   // found by key persons and organisers of every region in the network search
   *   yield* sessions.publishMinutes({ sessionId: "ses_twente-1", visibility: "Network" })
   * }).pipe(Actor.as(coordinator))
   * ```
   */
  readonly publishMinutes: (input: typeof PublishMinutes.Encoded) => Effect.Effect<Session.Session, CommandError | TransitionError, Actor.CurrentActor>
  /**
   * Records an insight of a held session, tagged by theme.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Sessions } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const sessions = yield* Sessions.Sessions
   *   const insight = yield* sessions.recordInsight({
   *     sessionId: "ses_twente-1",
   *     kind: "PracticeExample",
   *     title: "Energiehub op bedrijventerrein Westermaat",
   *     text: "Vijf bedrijven delen één netaansluiting en een batterij; de gemeente regelde de vergunning in zes weken.",
   *     tags: ["netcongestie", "energiehub"]
   *   })
   *   console.log(insight.id)
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly recordInsight: (input: typeof RecordInsight.Encoded) => Effect.Effect<Insight, CommandError | TransitionError, Actor.CurrentActor>
  /**
   * One session (a participant sees only the sessions they are invited to).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Sessions } from "@copkit/core"
   *
   * const participant = Actor.make({ _tag: "Participant", personId: "per_sanne-visser", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const sessions = yield* Sessions.Sessions
   *   const { value: session } = yield* sessions.get({ sessionId: "ses_twente-1" })
   *   console.log(session.title, session.state)
   * }).pipe(Actor.as(participant))
   * ```
   */
  readonly get: (input: typeof SessionRef.Encoded) => Effect.Effect<SessionView, CommandError, Actor.CurrentActor>
  /**
   * The sessions the actor may see.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Sessions } from "@copkit/core"
   *
   * const organiser = Actor.make({ _tag: "RegionalOrganiser", personId: "per_fatima-el-amrani", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const sessions = yield* Sessions.Sessions
   *   const upcoming = yield* sessions.list({ programmeId: "prg_twente", state: ["Scheduled", "Invited"] })
   *   for (const { value } of upcoming) console.log(value.title, value.state)
   * }).pipe(Actor.as(organiser))
   * ```
   */
  readonly list: (input?: typeof ListSessions.Encoded) => Effect.Effect<ReadonlyArray<SessionView>, CommandError, Actor.CurrentActor>
  /**
   * The events of a subscribable feed: every dated session of a programme (the region), or every
   * session a person is invited to (that person). Render them with the `CalendarRenderer`'s `feed`.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Sessions } from "@copkit/core"
   *
   * const participant = Actor.make({ _tag: "Participant", personId: "per_sanne-visser", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const sessions = yield* Sessions.Sessions
   *   const events = yield* sessions.feedEvents({ personId: "per_sanne-visser" })
   *   console.log(events.length)
   * }).pipe(Actor.as(participant))
   * ```
   */
  readonly feedEvents: (input: typeof FeedRef.Encoded) => Effect.Effect<ReadonlyArray<CalendarEvent>, CommandError, Actor.CurrentActor>
  /**
   * The reminder job, run by the host application with the current time of its Clock: appends a
   * reminder event for every session, offset and start whose time has come, once.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Sessions } from "@copkit/core"
   *
   * const system = Actor.make({ _tag: "System", name: "nightly-jobs" })
   *
   * const program = Effect.gen(function*() {
   *   const sessions = yield* Sessions.Sessions
   *   const sent = yield* sessions.sendDueReminders()
   *   for (const reminder of sent) console.log(reminder.sessionId, reminder.kind, reminder.personIds.length)
   * }).pipe(Actor.as(system))
   * ```
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


/** Builds the sessions service from its ports. @category constructors */
export const make: Effect.Effect<SessionsService, never, Dependencies> = Effect.gen(function*() {
  const context = yield* SessionsContext.context
  const method = yield* Command.methods<Dependencies>("Sessions")
  const { enrol, leave, group } = SessionsParticipants.build(context)
  const { plan, createFromPlan, createCrossRegional } = SessionsPlanning.build(context)
  const { schedule, scheduleFromPlan, reschedule, changeJoinLink, addMaterial, removeMaterial, cancel, invite, answer, recordAttendance, writeMinutes, publishMinutes, recordInsight } = SessionsLife.build(context)
  const { getSession, list, feedEvents, sendDueReminders } = SessionsReading.build(context)

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
    changeJoinLink: method("changeJoinLink", changeJoinLink),
    addMaterial: method("addMaterial", addMaterial),
    removeMaterial: method("removeMaterial", removeMaterial),
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
