/**
 * The follow-up of a programme ("concrete vervolgafspraken"): agreements and their progress,
 * measures and the synergy view, closing the programme, and the reminders before due dates and
 * the check-ins after closing. The rules are pure functions; {@link FollowUp} does the I/O.
 *
 * Who may do what:
 * - record agreements, define measures, read measures and the synergy view, build reports and
 *   exports: the region's key persons and organisers, and the coordinator;
 * - update an agreement (status, notes, details): also its owner;
 * - read agreements: also their owner (a participant sees only their own actions);
 * - close a programme and run the reminder job: the coordinator (or a System actor).
 *
 * @since 0.1.0
 */
import { Context, Effect, Either, Layer, Option, Schema } from "effect"
import { DateTime } from "luxon"
import * as Actor from "./Actor.js"
import { Agreement, AgreementStatus, ProgressNote } from "./Agreement.js"
import * as Command from "./Command.js"
import { Email, Line, LocalDate, Paragraph } from "./Common.js"
import type { Enrolment } from "./Enrolment.js"
import type { CommandError, StorageError } from "./Errors.js"
import { ConcurrencyConflict, InvalidTransition, RuleViolation } from "./Errors.js"
import * as Events from "./Events.js"
import type { RecordedEvent } from "./Events.js"
import { AgreementId, IdGenerator, MeasureId, PersonId, ProgrammeId, RegionId, SessionId } from "./Ids.js"
import type { Insight } from "./Insight.js"
import { Measure } from "./Measure.js"
import type { NotificationSource } from "./Notification.js"
import { AgreementDetails, Notification, Recipient } from "./Notification.js"
import * as Permissions from "./Permissions.js"
import type { Person } from "./Person.js"
import type { Programme } from "./Programme.js"
import { Programme as ProgrammeClass } from "./Programme.js"
import * as Report from "./Report.js"
import type { Versioned } from "./Repository.js"
import {
  AgreementRepository,
  EnrolmentRepository,
  get,
  InsightRepository,
  MeasureRepository,
  ProgrammeRepository,
  SessionRepository
} from "./Repository.js"
import type { Session } from "./Session.js"
import type { Handler } from "./SessionNotifications.js"
import { layerWith } from "./SessionNotifications.js"
import type { FollowUpSettings } from "./Settings.js"
import { Settings } from "./Settings.js"
import { decode, invalid } from "./Validation.js"

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

/** An agreement's owner as a caller gives them: name and organisation are looked up when left out. @category inputs */
export const OwnerInput = Schema.Struct({
  personId: PersonId,
  name: Schema.optional(Line),
  organisation: Schema.optional(Line)
})

/** Input of {@link FollowUpService.recordAgreement}. @category inputs */
export const RecordAgreement = Schema.Struct({
  programmeId: ProgrammeId,
  action: Paragraph,
  owner: OwnerInput,
  dueDate: LocalDate,
  measureId: Schema.optional(MeasureId),
  sessionId: Schema.optional(SessionId)
})

/** Input of {@link FollowUpService.reviseAgreement}: the fields to change. @category inputs */
export const ReviseAgreement = Schema.Struct({
  agreementId: AgreementId,
  action: Schema.optional(Paragraph),
  owner: Schema.optional(OwnerInput),
  dueDate: Schema.optional(LocalDate),
  measureId: Schema.optional(MeasureId)
})

/** Input of the steps that name only the agreement. @category inputs */
export const AgreementRef = Schema.Struct({ agreementId: AgreementId })
/** Input of {@link FollowUpService.dropAgreement}. @category inputs */
export const DropAgreement = Schema.Struct({ agreementId: AgreementId, reason: Paragraph })
/** Input of {@link FollowUpService.addNote}. @category inputs */
export const AddNote = Schema.Struct({ agreementId: AgreementId, text: Paragraph })

/** Input of {@link FollowUpService.listAgreements}. @category inputs */
export const ListAgreements = Schema.Struct({
  programmeId: Schema.optional(ProgrammeId),
  regionId: Schema.optional(RegionId),
  status: Schema.optional(Schema.Union(AgreementStatus, Schema.Array(AgreementStatus))),
  ownerId: Schema.optional(PersonId)
})

/** Input of {@link FollowUpService.defineMeasure}. @category inputs */
export const DefineMeasure = Schema.Struct({
  programmeId: ProgrammeId,
  title: Line,
  description: Schema.optional(Paragraph),
  organisations: Schema.Array(Line).pipe(Schema.maxItems(50))
})

/** Input of {@link FollowUpService.reviseMeasure}: the fields to change. @category inputs */
export const ReviseMeasure = Schema.Struct({
  measureId: MeasureId,
  title: Schema.optional(Line),
  description: Schema.optional(Paragraph),
  organisations: Schema.optional(Schema.Array(Line).pipe(Schema.maxItems(50)))
})

/** Input of the steps that name only the programme. @category inputs */
export const ProgrammeRef = Schema.Struct({ programmeId: ProgrammeId })

/** Which CSV export. @category inputs */
export const ExportTable = Schema.Literal("participants", "attendance", "agreements")
/** @category inputs */
export type ExportTable = typeof ExportTable.Type
/** Input of {@link FollowUpService.exportCsv}. @category inputs */
export const ExportCsv = Schema.Struct({ programmeId: ProgrammeId, table: ExportTable })

// ---------------------------------------------------------------------------------------------
// Pure rules: agreements
// ---------------------------------------------------------------------------------------------

/** The steps an agreement's status may take. @category rules */
export const statusSteps: Readonly<Record<AgreementStatus, ReadonlyArray<AgreementStatus>>> = {
  Open: ["InProgress", "Done", "Dropped"],
  InProgress: ["Done", "Dropped"],
  Done: [],
  Dropped: []
}

/** Whether an agreement is still to be done (`Open` or `InProgress`). @category rules */
export const isOpen = (agreement: Agreement): boolean => agreement.status === "Open" || agreement.status === "InProgress"

/**
 * Moves an agreement to another status: `Open → InProgress → Done`, or `Dropped` (with a reason)
 * from either open status. A pure rule.
 *
 * @category rules
 */
export const changeStatus = (
  agreement: Agreement,
  to: AgreementStatus,
  now: Date,
  reason?: string
): Either.Either<Agreement, InvalidTransition | RuleViolation> => {
  if (!statusSteps[agreement.status].includes(to)) {
    return Either.left(
      new InvalidTransition({
        entity: "Agreement",
        id: agreement.id,
        from: agreement.status,
        to,
        reason: statusSteps[agreement.status].length === 0
          ? `a ${agreement.status.toLowerCase()} agreement is final`
          : `only ${statusSteps[agreement.status].join(" or ")} may follow ${agreement.status}`
      })
    )
  }
  if (to === "Dropped" && (reason === undefined || reason.trim() === "")) {
    return Either.left(new RuleViolation({ rule: "dropReasonRequired", message: "An agreement is dropped with a reason.", details: [] }))
  }
  return Either.right(
    new Agreement({
      ...agreement,
      status: to,
      ...(to === "Dropped" && reason !== undefined ? { droppedReason: reason } : {}),
      updatedAt: now
    })
  )
}

/** Adds a progress note. Notes may be added in any status: what happened after is worth keeping too. @category rules */
export const addNote = (agreement: Agreement, note: ProgressNote): Agreement =>
  new Agreement({ ...agreement, notes: [...agreement.notes, note], updatedAt: note.at })

/** Changes an agreement's action, owner, due date or measure; only while it is open. @category rules */
export const revise = (
  agreement: Agreement,
  changes: {
    readonly action?: string | undefined
    readonly owner?: Agreement["owner"] | undefined
    readonly dueDate?: LocalDate | undefined
    readonly measureId?: MeasureId | undefined
  },
  now: Date
): Either.Either<Agreement, InvalidTransition> =>
  isOpen(agreement)
    ? Either.right(
      new Agreement({
        ...agreement,
        ...(changes.action === undefined ? {} : { action: changes.action }),
        ...(changes.owner === undefined ? {} : { owner: changes.owner }),
        ...(changes.dueDate === undefined ? {} : { dueDate: changes.dueDate, remindersSent: [] }),
        ...(changes.measureId === undefined ? {} : { measureId: changes.measureId }),
        updatedAt: now
      })
    )
    : Either.left(
      new InvalidTransition({
        entity: "Agreement",
        id: agreement.id,
        from: agreement.status,
        to: agreement.status,
        reason: "only an open agreement can be revised"
      })
    )

// ---------------------------------------------------------------------------------------------
// Pure rules: the synergy view
// ---------------------------------------------------------------------------------------------

/** What one organisation carries: the measures it is involved in and the actions its people own. @category models */
export interface OrganisationLoad {
  readonly organisation: string
  readonly measures: ReadonlyArray<{ readonly id: MeasureId; readonly title: string; readonly programmeId: ProgrammeId }>
  readonly actions: ReadonlyArray<{
    readonly id: AgreementId
    readonly action: string
    readonly status: AgreementStatus
    readonly dueDate: LocalDate
    readonly measureId?: MeasureId | undefined
  }>
}

const orgKey = (name: string): string => name.trim().replace(/\s+/g, " ").toLocaleLowerCase("nl")

/**
 * The synergy view: per organisation, the measures it is involved in and the actions its people
 * own. Organisation names are matched ignoring case and extra spaces; ordered by name.
 *
 * @category rules
 */
export const synergy = (
  measures: ReadonlyArray<Measure>,
  agreements: ReadonlyArray<Agreement>
): ReadonlyArray<OrganisationLoad> => {
  const map = new Map<string, { organisation: string; measures: Array<OrganisationLoad["measures"][number]>; actions: Array<OrganisationLoad["actions"][number]> }>()
  const entry = (name: string) => {
    const key = orgKey(name)
    let e = map.get(key)
    if (e === undefined) {
      e = { organisation: name.trim().replace(/\s+/g, " "), measures: [], actions: [] }
      map.set(key, e)
    }
    return e
  }
  for (const m of measures) {
    const seen = new Set<string>()
    for (const o of m.organisations) {
      if (seen.has(orgKey(o))) continue
      seen.add(orgKey(o))
      entry(o).measures.push({ id: m.id, title: m.title, programmeId: m.programmeId })
    }
  }
  for (const a of agreements) {
    entry(a.owner.organisation).actions.push({
      id: a.id,
      action: a.action,
      status: a.status,
      dueDate: a.dueDate,
      measureId: a.measureId
    })
  }
  return [...map.values()].sort((a, b) => a.organisation.localeCompare(b.organisation, "nl"))
}

// ---------------------------------------------------------------------------------------------
// Pure rules: closing the programme
// ---------------------------------------------------------------------------------------------

/** The programme states from which it may close. @category constants */
export const closableStates: ReadonlyArray<Programme["state"]> = ["Planned", "Running", "FollowUp"]

/**
 * The programme's closing session: the session of the plan's `Closing` item when one is
 * scheduled, else the programme's last session (by start) that was not cancelled.
 *
 * @category rules
 */
export const closingSession = (programme: Programme, sessions: ReadonlyArray<Session>): Session | undefined => {
  const own = sessions.filter((s) => s.programmeIds.includes(programme.id))
  const item = programme.plan.find((i) => i.role === "Closing")
  if (item !== undefined) {
    const linked = own.find((s) => s.planItemId === item.id || (item.sessionId !== undefined && s.id === item.sessionId))
    if (linked !== undefined && linked.state !== "Cancelled") return linked
  }
  const candidates = own
    .filter((s) => s.state !== "Cancelled")
    .sort((a, b) => (a.start?.getTime() ?? Number.MAX_SAFE_INTEGER) - (b.start?.getTime() ?? Number.MAX_SAFE_INTEGER))
  return candidates.at(-1)
}

/**
 * What a programme still lacks before it may close: the closing session held, and agreements
 * recorded (dropped ones do not count). Empty when it may close.
 *
 * @category rules
 */
export const missingForClose = (
  programme: Programme,
  sessions: ReadonlyArray<Session>,
  agreements: ReadonlyArray<Agreement>,
  settings: Pick<FollowUpSettings, "minAgreementsToClose">
): ReadonlyArray<string> => {
  const missing: Array<string> = []
  const closing = closingSession(programme, sessions)
  if (closing === undefined) missing.push("closing session: no session of this programme is scheduled")
  else if (closing.state !== "Held") missing.push(`closing session: "${closing.title}" (${closing.id}) is ${closing.state}, not Held`)
  const recorded = agreements.filter((a) => a.programmeId === programme.id && a.status !== "Dropped").length
  if (recorded < settings.minAgreementsToClose) {
    missing.push(`agreements: ${recorded} recorded, at least ${settings.minAgreementsToClose} needed`)
  }
  return missing
}

/**
 * Closes the programme: `Completed`, once the closing session is held and agreements are
 * recorded; refused with the rule `programmeCloseReady` naming what is missing otherwise.
 *
 * @category rules
 */
export const close = (
  programme: Programme,
  sessions: ReadonlyArray<Session>,
  agreements: ReadonlyArray<Agreement>,
  settings: Pick<FollowUpSettings, "minAgreementsToClose">,
  now: Date
): Either.Either<{ readonly programme: Programme; readonly closingSession: Session }, InvalidTransition | RuleViolation> => {
  if (!closableStates.includes(programme.state)) {
    return Either.left(
      new InvalidTransition({
        entity: "Programme",
        id: programme.id,
        from: programme.state,
        to: "Completed",
        reason: `only possible from ${closableStates.join(", ")}`
      })
    )
  }
  const missing = missingForClose(programme, sessions, agreements, settings)
  const closing = closingSession(programme, sessions)
  if (missing.length > 0 || closing === undefined) {
    return Either.left(
      new RuleViolation({
        rule: "programmeCloseReady",
        message: `The programme cannot close yet: ${missing.join("; ")}.`,
        details: missing
      })
    )
  }
  return Either.right({
    programme: new ProgrammeClass({ ...programme, state: "Completed", closedAt: now, updatedAt: now }),
    closingSession: closing
  })
}

// ---------------------------------------------------------------------------------------------
// Pure rules: reminders and check-ins
// ---------------------------------------------------------------------------------------------

/** The calendar day of an instant in a zone, as `YYYY-MM-DD`. @category rules */
export const localDate = (at: Date, timeZone: string): LocalDate =>
  (DateTime.fromMillis(at.getTime(), { zone: timeZone }).toISODate() ?? at.toISOString().slice(0, 10)) as LocalDate

/** Days from `from` to `to` (both `YYYY-MM-DD`): positive when `to` is later. @category rules */
export const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)

/** A reminder decision: the event to raise and the reminder keys to mark as raised. @category models */
export interface ReminderDecision<E> {
  readonly event: E
  readonly sent: ReadonlyArray<string>
}

/**
 * Which reminder an agreement calls for on a day: one `AgreementDueSoon` when a reminder offset
 * before the due date has come (only the nearest, when the job missed earlier ones: the others are
 * marked as raised too), or one `AgreementOverdue` after the due date. Never one already raised;
 * none for a done or dropped agreement.
 *
 * @category rules
 */
export const dueReminder = (
  agreement: Agreement,
  today: string,
  settings: Pick<FollowUpSettings, "dueReminderDaysBefore" | "overdueReminder">
): Option.Option<ReminderDecision<typeof Events.AgreementDueSoon.Type | typeof Events.AgreementOverdue.Type>> => {
  if (!isOpen(agreement)) return Option.none()
  const sent = new Set(agreement.remindersSent ?? [])
  const daysLeft = daysBetween(today, agreement.dueDate)
  const dueKeys = settings.dueReminderDaysBefore.map((d) => `due-${d}`)
  if (daysLeft < 0) {
    if (!settings.overdueReminder || sent.has("overdue")) return Option.none()
    return Option.some({
      event: Events.AgreementOverdue.make({ agreementId: agreement.id, dueDate: agreement.dueDate }),
      sent: [...new Set([...sent, ...dueKeys, "overdue"])]
    })
  }
  const come = settings.dueReminderDaysBefore.filter((d) => daysLeft <= d && !sent.has(`due-${d}`))
  if (come.length === 0) return Option.none()
  const nearest = Math.min(...come)
  return Option.some({
    event: Events.AgreementDueSoon.make({ agreementId: agreement.id, dueDate: agreement.dueDate, daysBefore: nearest }),
    sent: [...new Set([...sent, ...come.map((d) => `due-${d}`)])]
  })
}

/**
 * Which follow-up check-in a completed programme calls for at an instant: the latest offset (in
 * months after closing) that has come and was not raised; earlier missed ones are marked raised.
 *
 * @category rules
 */
export const checkIn = (
  programme: Programme,
  now: Date,
  settings: Pick<FollowUpSettings, "checkInMonthsAfterClosing" | "timeZone">
): Option.Option<{ readonly event: typeof Events.FollowUpCheckInDue.Type; readonly sent: ReadonlyArray<number> }> => {
  if (programme.state !== "Completed" || programme.closedAt === undefined) return Option.none()
  const closed = DateTime.fromMillis(programme.closedAt.getTime(), { zone: settings.timeZone })
  const sent = new Set(programme.checkInsSent ?? [])
  const come = settings.checkInMonthsAfterClosing.filter((m) =>
    !sent.has(m) && closed.plus({ months: m }).toMillis() <= now.getTime()
  )
  if (come.length === 0) return Option.none()
  const latest = Math.max(...come)
  return Option.some({
    event: Events.FollowUpCheckInDue.make({ programmeId: programme.id, monthsAfterClosing: latest }),
    sent: [...new Set([...sent, ...come])].sort((a, b) => a - b)
  })
}

// ---------------------------------------------------------------------------------------------
// The service
// ---------------------------------------------------------------------------------------------

/** What one run of the reminder job raised. @category models */
export interface ReminderRun {
  readonly dueSoon: ReadonlyArray<AgreementId>
  readonly overdue: ReadonlyArray<AgreementId>
  readonly checkIns: ReadonlyArray<{ readonly programmeId: ProgrammeId; readonly monthsAfterClosing: number }>
}

/** The follow-up service. Every method runs as the {@link Actor.CurrentActor}. @category services */
export interface FollowUpService {
  /** Records an agreement: action, owner, due date, and the measure and session it belongs to. */
  readonly recordAgreement: (input: unknown) => Effect.Effect<Agreement, CommandError | FollowUp.RuleError, Actor.CurrentActor>
  /** Changes an open agreement's action, owner, due date or measure. */
  readonly reviseAgreement: (input: unknown) => Effect.Effect<Agreement, CommandError | FollowUp.RuleError, Actor.CurrentActor>
  /** `Open → InProgress`. */
  readonly startAgreement: (input: unknown) => Effect.Effect<Agreement, CommandError | FollowUp.RuleError, Actor.CurrentActor>
  /** `Open | InProgress → Done`. */
  readonly completeAgreement: (input: unknown) => Effect.Effect<Agreement, CommandError | FollowUp.RuleError, Actor.CurrentActor>
  /** `Open | InProgress → Dropped`, with a reason. */
  readonly dropAgreement: (input: unknown) => Effect.Effect<Agreement, CommandError | FollowUp.RuleError, Actor.CurrentActor>
  /** Adds a progress note, written by the current actor. */
  readonly addNote: (input: unknown) => Effect.Effect<Agreement, CommandError | FollowUp.RuleError, Actor.CurrentActor>
  /** One agreement with its version. */
  readonly getAgreement: (input: unknown) => Effect.Effect<Versioned<Agreement>, CommandError, Actor.CurrentActor>
  /** The agreements the actor may see: all (coordinator), the region's (key persons, organisers), or their own. */
  readonly listAgreements: (input?: unknown) => Effect.Effect<ReadonlyArray<Versioned<Agreement>>, CommandError, Actor.CurrentActor>
  /** Defines a measure of the programme, with the organisations involved. */
  readonly defineMeasure: (input: unknown) => Effect.Effect<Measure, CommandError | FollowUp.RuleError, Actor.CurrentActor>
  /** Changes a measure's title, description or organisations. */
  readonly reviseMeasure: (input: unknown) => Effect.Effect<Measure, CommandError, Actor.CurrentActor>
  /** The programme's measures. */
  readonly listMeasures: (input: unknown) => Effect.Effect<ReadonlyArray<Versioned<Measure>>, CommandError, Actor.CurrentActor>
  /** The synergy view of a programme: per organisation, the measures and actions it carries. */
  readonly synergy: (input: unknown) => Effect.Effect<ReadonlyArray<OrganisationLoad>, CommandError, Actor.CurrentActor>
  /** What the programme still lacks before it may close (empty when it may). */
  readonly closeReadiness: (input: unknown) => Effect.Effect<ReadonlyArray<string>, CommandError, Actor.CurrentActor>
  /** Closes the programme: `Completed`. Refused (rule `programmeCloseReady`) while something is missing. */
  readonly close: (input: unknown) => Effect.Effect<Programme, CommandError | FollowUp.RuleError, Actor.CurrentActor>
  /**
   * The reminder job: with the Clock's time, raises `AgreementDueSoon`, `AgreementOverdue` and
   * `FollowUpCheckInDue` events, each at most once per agreement (programme) and offset. Run it
   * daily as a System actor; running it twice raises nothing twice.
   */
  readonly runReminders: () => Effect.Effect<ReminderRun, CommandError, Actor.CurrentActor>
  /** The programme report: goals against what happened, sessions, attendance, themes, insights, agreements. */
  readonly report: (input: unknown) => Effect.Effect<Report.ProgrammeReport, CommandError, Actor.CurrentActor>
  /** A CSV export of the programme's participants, attendance or agreements (see {@link Report.toCsv}). */
  readonly exportCsv: (input: unknown) => Effect.Effect<string, CommandError, Actor.CurrentActor>
}

/** The follow-up service tag. @category services */
export class FollowUp extends Context.Tag("@copkit/core/FollowUp")<FollowUp, FollowUpService>() {}

/** @category services */
export declare namespace FollowUp {
  /** The errors of a refused step. */
  export type RuleError = InvalidTransition | RuleViolation
}

/** The ports the follow-up service needs. @category models */
export type Dependencies =
  | ProgrammeRepository
  | SessionRepository
  | EnrolmentRepository
  | InsightRepository
  | AgreementRepository
  | MeasureRepository
  | Command.Ports

const agreementScope = (a: Agreement): Permissions.Scope => ({ regionIds: [a.regionId], partyIds: [a.owner.personId] })
const programmeScope = (p: Programme): Permissions.Scope => ({ regionIds: [p.regionId] })

const seesAll = (actor: Actor.Actor): boolean => actor._tag === "NetworkCoordinator" || actor._tag === "System"
const regionRole = (actor: Actor.Actor): boolean => actor._tag === "KeyPerson" || actor._tag === "RegionalOrganiser"

const actorPersonId = (actor: Actor.Actor): PersonId =>
  Actor.personOf(actor) ?? (`system:${actor._tag === "System" ? actor.name : "unknown"}` as PersonId)

/** A person the programme knows: from its core team or its enrolments. @category accessors */
export const findPerson = (
  programme: Programme,
  enrolments: ReadonlyArray<Enrolment>,
  personId: PersonId
): Person | undefined =>
  programme.coreTeam.find((m) => m.person.id === personId)?.person ??
    enrolments.find((e) => e.person.id === personId && e.programmeId === programme.id)?.person

/** Builds the follow-up service from its ports. @category constructors */
export const make: Effect.Effect<FollowUpService, never, Dependencies> = Effect.gen(function*() {
  const programmes = yield* ProgrammeRepository
  const sessions = yield* SessionRepository
  const enrolments = yield* EnrolmentRepository
  const insights = yield* InsightRepository
  const agreements = yield* AgreementRepository
  const measures = yield* MeasureRepository
  const ids = yield* IdGenerator
  const withPorts = yield* Command.portsOf<Dependencies>()

  const readProgramme = (action: Permissions.Action, programmeId: string) =>
    Command.read(action, programmes, programmeId, programmeScope)

  const resolveOwner = (programme: Programme, owner: typeof OwnerInput.Type, field = "owner") =>
    Effect.gen(function*() {
      const needsLookup = owner.name === undefined || owner.organisation === undefined
      const known = needsLookup
        ? findPerson(programme, (yield* enrolments.list({ programmeId: programme.id, personId: owner.personId })).map((e) => e.value), owner.personId)
        : undefined
      const name = owner.name ?? known?.name
      const organisation = owner.organisation ?? known?.organisation
      if (name === undefined) {
        return yield* Effect.fail(invalid(`${field}.name`, "required", "is required: the person is not in the programme's core team or group"))
      }
      if (organisation === undefined) {
        return yield* Effect.fail(invalid(`${field}.organisation`, "required", "is required: no organisation is known for this person"))
      }
      return { personId: owner.personId, name, organisation }
    })

  const checkMeasure = (programme: Programme, measureId: MeasureId | undefined) =>
    measureId === undefined
      ? Effect.void
      : Effect.flatMap(measures.find(measureId), (found) =>
        Option.isSome(found) && found.value.value.programmeId === programme.id
          ? Effect.void
          : Effect.fail(invalid("measureId", "belongsToProgramme", `measure ${measureId} is not a measure of programme ${programme.id}`)))

  const checkSession = (programme: Programme, sessionId: SessionId | undefined) =>
    sessionId === undefined
      ? Effect.void
      : Effect.flatMap(sessions.find(sessionId), (found) =>
        Option.isSome(found) && found.value.value.programmeIds.includes(programme.id)
          ? Effect.void
          : Effect.fail(invalid("sessionId", "belongsToProgramme", `session ${sessionId} is not a session of programme ${programme.id}`)))

  const openProgrammeStates: ReadonlyArray<Programme["state"]> = ["Planned", "Running", "FollowUp"]

  const decodeRecord = decode(RecordAgreement)
  const recordAgreement = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeRecord(raw)
      yield* Permissions.authorizeAny("agreement.record")
      const programme = (yield* readProgramme("agreement.record", input.programmeId)).value
      if (!openProgrammeStates.includes(programme.state)) {
        return yield* Effect.fail(
          new RuleViolation({
            rule: "programmeOpenForAgreements",
            message: `Agreements are recorded while the programme is ${openProgrammeStates.join(", ")}; it is ${programme.state}.`,
            details: []
          })
        )
      }
      const owner = yield* resolveOwner(programme, input.owner)
      yield* checkMeasure(programme, input.measureId)
      yield* checkSession(programme, input.sessionId)
      const at = yield* Command.now
      const agreement = new Agreement({
        id: (yield* ids.next("agreement")) as AgreementId,
        programmeId: programme.id,
        regionId: programme.regionId,
        action: input.action,
        owner,
        dueDate: input.dueDate,
        ...(input.measureId === undefined ? {} : { measureId: input.measureId }),
        ...(input.sessionId === undefined ? {} : { sessionId: input.sessionId }),
        status: "Open",
        notes: [],
        createdAt: at,
        updatedAt: at
      })
      yield* Command.commit([
        Command.change(agreements, agreement, 0, [
          Events.AgreementRecorded.make({
            agreementId: agreement.id,
            programmeId: programme.id,
            ownerId: owner.personId,
            ...(input.measureId === undefined ? {} : { measureId: input.measureId }),
            ...(input.sessionId === undefined ? {} : { sessionId: input.sessionId })
          })
        ])
      ])
      return agreement
    })

  const decodeRevise = decode(ReviseAgreement)
  const reviseAgreement = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeRevise(raw)
      yield* Permissions.authorizeAny("agreement.update")
      const current = yield* Command.read("agreement.update", agreements, input.agreementId, agreementScope)
      const programme = (yield* get(programmes, current.value.programmeId)).value
      const owner = input.owner === undefined ? undefined : yield* resolveOwner(programme, input.owner)
      yield* checkMeasure(programme, input.measureId)
      const at = yield* Command.now
      const next = yield* revise(current.value, { action: input.action, owner, dueDate: input.dueDate, measureId: input.measureId }, at)
      yield* Command.commit([
        Command.change(agreements, next, current.version, [Events.AgreementUpdated.make({ agreementId: next.id })])
      ])
      return next
    })

  const statusStep = (to: "InProgress" | "Done") =>
    Command.update({
      action: "agreement.update",
      input: AgreementRef,
      repository: AgreementRepository,
      id: (i) => i.agreementId,
      scope: agreementScope,
      apply: (a, _i, { now }) =>
        Either.map(changeStatus(a, to, now), (value) => ({
          value,
          events: [Events.AgreementStatusChanged.make({ agreementId: value.id, from: a.status, to })]
        }))
    })

  const dropStep = Command.update({
    action: "agreement.update",
    input: DropAgreement,
    repository: AgreementRepository,
    id: (i) => i.agreementId,
    scope: agreementScope,
    apply: (a, i, { now }) =>
      Either.map(changeStatus(a, "Dropped", now, i.reason), (value) => ({
        value,
        events: [Events.AgreementStatusChanged.make({ agreementId: value.id, from: a.status, to: "Dropped" })]
      }))
  })

  const decodeNote = decode(AddNote)
  const note = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeNote(raw)
      const actor = yield* Permissions.authorizeAny("agreement.update")
      const current = yield* Command.read("agreement.update", agreements, input.agreementId, agreementScope)
      const at = yield* Command.now
      const author = actorPersonId(actor)
      const next = addNote(current.value, new ProgressNote({ text: input.text, author, at }))
      yield* Command.commit([
        Command.change(agreements, next, current.version, [Events.AgreementNoteAdded.make({ agreementId: next.id, author })])
      ])
      return next
    })

  const decodeRef = decode(AgreementRef)
  const getAgreement = (raw: unknown) =>
    Effect.flatMap(decodeRef(raw), (i) => Command.read("agreement.read", agreements, i.agreementId, agreementScope))

  const decodeList = decode(ListAgreements)
  const listAgreements = (raw: unknown = {}) =>
    Effect.gen(function*() {
      const input = yield* decodeList(raw)
      const actor = yield* Permissions.authorizeAny("agreement.read")
      const own = Actor.regionOf(actor)
      if (!seesAll(actor) && regionRole(actor) && input.regionId !== undefined && input.regionId !== own) {
        return yield* Effect.fail(Permissions.forbidden(actor, "agreement.read"))
      }
      const mine = !seesAll(actor) && !regionRole(actor)
      const ownerId = mine ? Actor.personOf(actor) : input.ownerId
      if (mine && input.ownerId !== undefined && input.ownerId !== ownerId) {
        return yield* Effect.fail(Permissions.forbidden(actor, "agreement.read"))
      }
      const found = yield* agreements.list({
        state: input.status,
        programmeId: input.programmeId,
        regionId: seesAll(actor) ? input.regionId : regionRole(actor) ? own : undefined,
        personId: ownerId
      })
      return found.filter((a) => ownerId === undefined || a.value.owner.personId === ownerId)
    })

  const decodeDefine = decode(DefineMeasure)
  const defineMeasure = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeDefine(raw)
      yield* Permissions.authorizeAny("measure.manage")
      const programme = (yield* readProgramme("measure.manage", input.programmeId)).value
      if (!openProgrammeStates.includes(programme.state)) {
        return yield* Effect.fail(
          new RuleViolation({
            rule: "programmeOpenForAgreements",
            message: `Measures are defined while the programme is ${openProgrammeStates.join(", ")}; it is ${programme.state}.`,
            details: []
          })
        )
      }
      const at = yield* Command.now
      const measure = new Measure({
        id: (yield* ids.next("measure")) as MeasureId,
        programmeId: programme.id,
        regionId: programme.regionId,
        title: input.title,
        ...(input.description === undefined ? {} : { description: input.description }),
        organisations: input.organisations,
        createdAt: at,
        updatedAt: at
      })
      yield* Command.commit([
        Command.change(measures, measure, 0, [Events.MeasureDefined.make({ measureId: measure.id, programmeId: programme.id })])
      ])
      return measure
    })

  const reviseMeasure = Command.update({
    action: "measure.manage",
    input: ReviseMeasure,
    repository: MeasureRepository,
    id: (i) => i.measureId,
    scope: (m) => ({ regionIds: [m.regionId] }),
    apply: (m, i, { now }) =>
      Either.right({
        value: new Measure({
          ...m,
          ...(i.title === undefined ? {} : { title: i.title }),
          ...(i.description === undefined ? {} : { description: i.description }),
          ...(i.organisations === undefined ? {} : { organisations: i.organisations }),
          updatedAt: now
        }),
        events: [Events.MeasureUpdated.make({ measureId: m.id })]
      })
  })

  const decodeProgramme = decode(ProgrammeRef)
  const listMeasures = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeProgramme(raw)
      yield* readProgramme("measure.read", input.programmeId)
      return yield* measures.list({ programmeId: input.programmeId })
    })

  const synergyView = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeProgramme(raw)
      yield* readProgramme("measure.read", input.programmeId)
      const ms = yield* measures.list({ programmeId: input.programmeId })
      const as = yield* agreements.list({ programmeId: input.programmeId })
      return synergy(ms.map((m) => m.value), as.map((a) => a.value))
    })

  const closeData = (programmeId: ProgrammeId) =>
    Effect.all({
      sessions: Effect.map(sessions.list({ programmeId }), (l) => l.map((s) => s.value)),
      agreements: Effect.map(agreements.list({ programmeId }), (l) => l.map((a) => a.value))
    })

  const closeReadiness = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeProgramme(raw)
      const programme = (yield* readProgramme("programme.read", input.programmeId)).value
      const settings = yield* Settings
      const data = yield* closeData(programme.id)
      return missingForClose(programme, data.sessions, data.agreements, settings.followUp)
    })

  const closeProgramme = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeProgramme(raw)
      yield* Permissions.authorizeAny("programme.close")
      const current = yield* readProgramme("programme.close", input.programmeId)
      const settings = yield* Settings
      const data = yield* closeData(current.value.id)
      const at = yield* Command.now
      const closed = yield* close(current.value, data.sessions, data.agreements, settings.followUp, at)
      yield* Command.commit([
        Command.change(programmes, closed.programme, current.version, [
          Events.ProgrammeCompleted.make({
            programmeId: closed.programme.id,
            closingSessionId: closed.closingSession.id,
            agreements: data.agreements.filter((a) => a.status !== "Dropped").length
          })
        ])
      ])
      return closed.programme
    })

  const runReminders = () =>
    Effect.gen(function*() {
      yield* Permissions.authorizeAny("followUp.remind")
      const settings = (yield* Settings).followUp
      const at = yield* Command.now
      const today = localDate(at, settings.timeZone)
      const dueSoon: Array<AgreementId> = []
      const overdue: Array<AgreementId> = []
      const checkIns: Array<{ programmeId: ProgrammeId; monthsAfterClosing: number }> = []
      // Each agreement (programme) is saved with the version read: when two runs race, the loser
      // gets a ConcurrencyConflict and raises nothing, so each reminder is raised once.
      const skipConflict = <A, R>(self: Effect.Effect<A, CommandError, R>) =>
        Effect.catchIf(self, (e): e is ConcurrencyConflict => e instanceof ConcurrencyConflict, () => Effect.void)
      for (const a of yield* agreements.list({ state: ["Open", "InProgress"] })) {
        const decision = dueReminder(a.value, today, settings)
        if (Option.isNone(decision)) continue
        const { event, sent } = decision.value
        yield* skipConflict(
          Effect.tap(
            Command.commit([Command.change(agreements, new Agreement({ ...a.value, remindersSent: sent }), a.version, [event])]),
            () => Effect.sync(() => (event._tag === "AgreementDueSoon" ? dueSoon : overdue).push(a.value.id))
          )
        )
      }
      for (const p of yield* programmes.list({ state: "Completed" })) {
        const decision = checkIn(p.value, at, settings)
        if (Option.isNone(decision)) continue
        const { event, sent } = decision.value
        yield* skipConflict(
          Effect.tap(
            Command.commit([Command.change(programmes, new ProgrammeClass({ ...p.value, checkInsSent: sent }), p.version, [event])]),
            () => Effect.sync(() => checkIns.push({ programmeId: p.value.id, monthsAfterClosing: event.monthsAfterClosing }))
          )
        )
      }
      return { dueSoon, overdue, checkIns } satisfies ReminderRun
    })

  const reportData = (programmeId: string, action: Permissions.Action) =>
    Effect.gen(function*() {
      const programme = (yield* readProgramme(action, programmeId)).value
      const values = <A>(l: ReadonlyArray<Versioned<A>>) => l.map((v) => v.value)
      return {
        programme,
        sessions: values(yield* sessions.list({ programmeId: programme.id })),
        enrolments: values(yield* enrolments.list({ programmeId: programme.id })),
        insights: values(yield* insights.list({ programmeId: programme.id })) as ReadonlyArray<Insight>,
        agreements: values(yield* agreements.list({ programmeId: programme.id })),
        measures: values(yield* measures.list({ programmeId: programme.id })),
        generatedAt: yield* Command.now
      }
    })

  const report = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeProgramme(raw)
      const data = yield* reportData(input.programmeId, "programme.report")
      return Report.build(data)
    })

  const decodeExport = decode(ExportCsv)
  const exportCsv = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeExport(raw)
      const data = yield* reportData(input.programmeId, "programme.export")
      return Report.toCsv(data, input.table)
    })

  return FollowUp.of({
    recordAgreement: withPorts(recordAgreement),
    reviseAgreement: withPorts(reviseAgreement),
    startAgreement: withPorts(statusStep("InProgress")),
    completeAgreement: withPorts(statusStep("Done")),
    dropAgreement: withPorts(dropStep),
    addNote: withPorts(note),
    getAgreement: withPorts(getAgreement),
    listAgreements: withPorts(listAgreements),
    defineMeasure: withPorts(defineMeasure),
    reviseMeasure: withPorts(reviseMeasure),
    listMeasures: withPorts(listMeasures),
    synergy: withPorts(synergyView),
    closeReadiness: withPorts(closeReadiness),
    close: withPorts(closeProgramme),
    runReminders: withPorts(runReminders),
    report: withPorts(report),
    exportCsv: withPorts(exportCsv)
  })
})

/** The follow-up service, built from the ports in the context. @category layers */
export const layer: Layer.Layer<FollowUp, never, Dependencies> = Layer.effect(FollowUp, make)

// ---------------------------------------------------------------------------------------------
// Notifications
// ---------------------------------------------------------------------------------------------

/** The follow-up event types this module's notification source answers. @category constants */
export const notifiedEvents = ["AgreementDueSoon", "AgreementOverdue", "FollowUpCheckInDue"] as const

const recipientOf = (person: Person): Option.Option<Recipient> =>
  person.email === undefined
    ? Option.none()
    : Option.some(new Recipient({ personId: person.id, name: person.name, email: person.email, language: person.language }))

/**
 * The notifications of the follow-up events: a due or overdue reminder to the agreement's owner,
 * and a check-in to the programme's core team. `None` for any other event, so that it composes
 * with the other services' sources. People without an e-mail address (or erased) get nothing.
 *
 * @category notifications
 */
export const forFollowUpEvent: Handler<ProgrammeRepository | EnrolmentRepository | AgreementRepository> = (
  event: RecordedEvent
): Effect.Effect<Option.Option<ReadonlyArray<Notification>>, StorageError, ProgrammeRepository | EnrolmentRepository | AgreementRepository> =>
  Effect.gen(function*() {
    const e = event.event
    if (e._tag !== "AgreementDueSoon" && e._tag !== "AgreementOverdue" && e._tag !== "FollowUpCheckInDue") return Option.none()
    // The same organiser as the session messages: one network, one sender.
    const sender = (yield* Settings).sessions.organizer
    const programmes = yield* ProgrammeRepository
    const organizer = { name: sender.name as typeof Line.Type, email: sender.email as Email }
    if (e._tag === "FollowUpCheckInDue") {
      const programme = yield* programmes.find(e.programmeId)
      if (Option.isNone(programme)) return Option.some([])
      const p = programme.value.value
      return Option.some(
        p.coreTeam.flatMap((m) =>
          Option.toArray(Option.map(recipientOf(m.person), (recipient) =>
            new Notification({
              kind: "FollowUpCheckIn",
              eventId: event.id,
              recipient,
              programmeName: p.region.name,
              organizer,
              monthsAfterClosing: e.monthsAfterClosing
            })))
        )
      )
    }
    const agreements = yield* AgreementRepository
    const found = yield* agreements.find(e.agreementId)
    if (Option.isNone(found)) return Option.some([])
    const agreement = found.value.value
    // A reminder raised before the agreement was done or dropped is not sent after.
    if (!isOpen(agreement)) return Option.some([])
    const programme = yield* programmes.find(agreement.programmeId)
    if (Option.isNone(programme)) return Option.some([])
    const enrolments = yield* EnrolmentRepository
    const enrolled = yield* enrolments.list({ programmeId: agreement.programmeId, personId: agreement.owner.personId })
    const owner = findPerson(programme.value.value, enrolled.map((x) => x.value), agreement.owner.personId)
    if (owner === undefined) return Option.some([])
    return Option.some(
      Option.toArray(Option.map(recipientOf(owner), (recipient) =>
        new Notification({
          kind: e._tag === "AgreementDueSoon" ? "AgreementDue" : "AgreementOverdue",
          eventId: event.id,
          recipient,
          programmeName: programme.value.value.region.name,
          organizer,
          agreement: new AgreementDetails({ action: agreement.action, dueDate: agreement.dueDate })
        })))
    )
  })

/**
 * The notification source of the follow-up events alone. To answer every service's events,
 * combine the handlers: `SessionNotifications.layerWith(forSessionEvent, FollowUp.forFollowUpEvent)`.
 *
 * @category layers
 */
export const notificationLayer: Layer.Layer<NotificationSource, never, ProgrammeRepository | EnrolmentRepository | AgreementRepository> =
  layerWith(forFollowUpEvent)
