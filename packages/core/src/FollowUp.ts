/**
 * The follow-up service ("concrete vervolgafspraken"): agreements and their progress, measures and
 * the synergy view, closing the programme, the reminder job, and the programme's report and CSV
 * exports. The rules live in their model modules ({@link Agreement}, {@link Measure},
 * `FollowUpClosing`, `FollowUpReminders`); the messages in `FollowUpNotifications`. This module
 * does the I/O.
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
import * as Actor from "./Actor.js"
import * as Agreement from "./Agreement.js"
import * as Command from "./Command.js"
import { Line, LocalDate, Paragraph } from "./Common.js"
import type { CommandError } from "./Errors.js"
import { ConcurrencyConflict, InvalidTransition, RuleViolation } from "./Errors.js"
import { close, stillMissing } from "./FollowUpClosing.js"
import { checkIn, dueReminder } from "./FollowUpReminders.js"
import { AgreementId, IdGenerator, MeasureId, PersonId, ProgrammeId, RegionId, SessionId } from "./Ids.js"
import type { Insight } from "./Insight.js"
import { localDate } from "./internal/dates.js"
import { findPerson } from "./internal/people.js"
import * as Measure from "./Measure.js"
import * as Permissions from "./Permissions.js"
import type { Programme } from "./Programme.js"
import * as Report from "./Report.js"
import * as ReportRender from "./ReportRender.js"
import type { Versioned } from "./Repository.js"
import {
  AgreementRepository,
  EnrolmentRepository,
  EvaluationRepository,
  get,
  InsightRepository,
  MeasureRepository,
  ProgrammeRepository,
  SessionRepository
} from "./Repository.js"
import { Settings } from "./Settings.js"
import { decode, invalid } from "./Validation.js"

const AgreementStatus = Agreement.AgreementStatus

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
// The service
// ---------------------------------------------------------------------------------------------

/** What one run of the reminder job raised. @category models */
export interface ReminderRun {
  readonly dueSoon: ReadonlyArray<AgreementId>
  readonly overdue: ReadonlyArray<AgreementId>
  readonly checkIns: ReadonlyArray<{ readonly programmeId: ProgrammeId; readonly monthsAfterClosing: number }>
}

type Result<A, E = never> = Effect.Effect<A, CommandError | E, Actor.CurrentActor>

/** The follow-up service. Every method runs as the {@link Actor.CurrentActor}. @category services */
export interface FollowUpService {
  /**
   * Records an agreement: action, owner, due date, and the measure and session it belongs to.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, FollowUp } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const followUp = yield* FollowUp.FollowUp
   *   const agreement = yield* followUp.recordAgreement({
   *     programmeId: "prg_twente",
   *     action: "Een eerste bijeenkomst organiseren met de netbeheerder en vijf bedrijven van Westermaat.",
   *     owner: { personId: "per_eva-mulder", name: "Eva Mulder", organisation: "Mulder Metaal" },
   *     dueDate: "2027-10-01",
   *     measureId: "msr_energieloket",
   *     sessionId: "ses_twente-3"
   *   })
   *   console.log(agreement.status) // "Open"
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly recordAgreement: (input: typeof RecordAgreement.Encoded) => Result<Agreement.Agreement, FollowUp.RuleError>
  /**
   * Changes an open agreement's action, owner, due date or measure.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, FollowUp } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const followUp = yield* FollowUp.FollowUp
   *   yield* followUp.reviseAgreement({ agreementId: "agr_westermaat", dueDate: "2027-11-15" })
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly reviseAgreement: (input: typeof ReviseAgreement.Encoded) => Result<Agreement.Agreement, FollowUp.RuleError>
  /**
   * `Open → InProgress`.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, FollowUp } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const followUp = yield* FollowUp.FollowUp
   *   yield* followUp.startAgreement({ agreementId: "agr_westermaat" })
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly startAgreement: (input: typeof AgreementRef.Encoded) => Result<Agreement.Agreement, FollowUp.RuleError>
  /**
   * `Open | InProgress → Done`.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, FollowUp } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const followUp = yield* FollowUp.FollowUp
   *   const done = yield* followUp.completeAgreement({ agreementId: "agr_westermaat" })
   *   console.log(done.status) // "Done"
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly completeAgreement: (input: typeof AgreementRef.Encoded) => Result<Agreement.Agreement, FollowUp.RuleError>
  /**
   * `Open | InProgress → Dropped`, with a reason.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, FollowUp } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const followUp = yield* FollowUp.FollowUp
   *   yield* followUp.dropAgreement({
   *     agreementId: "agr_westermaat",
   *     reason: "De netbeheerder neemt dit op in het provinciale programma."
   *   })
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly dropAgreement: (input: typeof DropAgreement.Encoded) => Result<Agreement.Agreement, FollowUp.RuleError>
  /**
   * Adds a progress note, written by the current actor.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, FollowUp } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const followUp = yield* FollowUp.FollowUp
   *   yield* followUp.addNote({
   *     agreementId: "agr_westermaat",
   *     text: "Eerste gesprek met de netbeheerder gevoerd; vervolgafspraak in november."
   *   })
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly addNote: (input: typeof AddNote.Encoded) => Result<Agreement.Agreement, FollowUp.RuleError>
  /**
   * One agreement with its version.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, FollowUp } from "@copkit/core"
   *
   * const participant = Actor.make({ _tag: "Participant", personId: "per_sanne-visser", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const followUp = yield* FollowUp.FollowUp
   *   const { value: agreement, version } = yield* followUp.getAgreement({ agreementId: "agr_westermaat" })
   *   console.log(agreement.action, agreement.status, version)
   * }).pipe(Actor.as(participant))
   * ```
   */
  readonly getAgreement: (input: typeof AgreementRef.Encoded) => Result<Versioned<Agreement.Agreement>>
  /**
   * The agreements the actor may see: all (coordinator), the region's (key persons, organisers), or their own.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, FollowUp } from "@copkit/core"
   *
   * const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke-jansen" })
   *
   * const program = Effect.gen(function*() {
   *   const followUp = yield* FollowUp.FollowUp
   *   const open = yield* followUp.listAgreements({ regionId: "twente", status: ["Open", "InProgress"] })
   *   for (const { value } of open) console.log(value.dueDate, value.action)
   * }).pipe(Actor.as(coordinator))
   * ```
   */
  readonly listAgreements: (input?: typeof ListAgreements.Encoded) => Result<ReadonlyArray<Versioned<Agreement.Agreement>>>
  /**
   * Defines a measure of the programme, with the organisations involved.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, FollowUp } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const followUp = yield* FollowUp.FollowUp
   *   const measure = yield* followUp.defineMeasure({
   *     programmeId: "prg_twente",
   *     title: "Regionaal energieloket voor het mkb",
   *     description: "Eén plek waar ondernemers terechtkunnen met vragen over netcapaciteit en verduurzaming.",
   *     organisations: ["Regio Twente", "KvK Oost", "Enexis"]
   *   })
   *   console.log(measure.id)
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly defineMeasure: (input: typeof DefineMeasure.Encoded) => Result<Measure.Measure, FollowUp.RuleError>
  /**
   * Changes a measure's title, description or organisations.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, FollowUp } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const followUp = yield* FollowUp.FollowUp
   *   yield* followUp.reviseMeasure({
   *     measureId: "msr_energieloket",
   *     organisations: ["Regio Twente", "KvK Oost", "Enexis", "Saxion"]
   *   })
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly reviseMeasure: (input: typeof ReviseMeasure.Encoded) => Result<Measure.Measure>
  /**
   * The programme's measures.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, FollowUp } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const followUp = yield* FollowUp.FollowUp
   *   const measures = yield* followUp.listMeasures({ programmeId: "prg_twente" })
   *   for (const { value } of measures) console.log(value.title, value.organisations)
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly listMeasures: (input: typeof ProgrammeRef.Encoded) => Result<ReadonlyArray<Versioned<Measure.Measure>>>
  /**
   * The synergy view of a programme: per organisation, the measures and actions it carries.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, FollowUp } from "@copkit/core"
   *
   * const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke-jansen" })
   *
   * const program = Effect.gen(function*() {
   *   const followUp = yield* FollowUp.FollowUp
   *   const loads = yield* followUp.synergy({ programmeId: "prg_twente" })
   *   console.log(loads)
   * }).pipe(Actor.as(coordinator))
   * ```
   */
  readonly synergy: (input: typeof ProgrammeRef.Encoded) => Result<ReadonlyArray<Measure.OrganisationLoad>>
  /**
   * What the programme still lacks before it may close (empty when it may).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, FollowUp } from "@copkit/core"
   *
   * const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke-jansen" })
   *
   * const program = Effect.gen(function*() {
   *   const followUp = yield* FollowUp.FollowUp
   *   const missing = yield* followUp.closeReadiness({ programmeId: "prg_twente" })
   *   if (missing.length > 0) console.log("Nog niet klaar:", missing)
   * }).pipe(Actor.as(coordinator))
   * ```
   */
  readonly closeReadiness: (input: typeof ProgrammeRef.Encoded) => Result<ReadonlyArray<string>>
  /**
   * Closes the programme: `Completed`. Refused (rule `programme-close-ready`) while something is missing,
   * and (rule `goal-verdicts`) while an intended result of the goals has no verdict (see `Evaluations.recordVerdict`).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, FollowUp } from "@copkit/core"
   *
   * const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke-jansen" })
   *
   * const program = Effect.gen(function*() {
   *   const followUp = yield* FollowUp.FollowUp
   *   const programme = yield* followUp.close({ programmeId: "prg_twente" })
   *   console.log(programme.state) // "Completed"
   * }).pipe(Actor.as(coordinator))
   * ```
   */
  readonly close: (input: typeof ProgrammeRef.Encoded) => Result<Programme, FollowUp.RuleError>
  /**
   * The reminder job: with the Clock's time, raises `AgreementDueSoon`, `AgreementOverdue` and
   * `FollowUpCheckInDue` events, each at most once per agreement (programme) and offset. Run it
   * daily as a System actor; running it twice raises nothing twice.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, FollowUp } from "@copkit/core"
   *
   * const system = Actor.make({ _tag: "System", name: "nightly-jobs" })
   *
   * const program = Effect.gen(function*() {
   *   const followUp = yield* FollowUp.FollowUp
   *   const run = yield* followUp.runReminders()
   *   console.log(run.dueSoon.length, run.overdue.length, run.checkIns)
   * }).pipe(Actor.as(system))
   * ```
   */
  readonly runReminders: () => Result<ReminderRun>
  /**
   * The programme report: goals against what happened, sessions, attendance, themes, insights, agreements.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, FollowUp } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const followUp = yield* FollowUp.FollowUp
   *   const report = yield* followUp.report({ programmeId: "prg_twente" })
   *   console.log(report)
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly report: (input: typeof ProgrammeRef.Encoded) => Result<Report.ProgrammeReport>
  /**
   * A CSV export of the programme's participants, attendance or agreements (see `ReportRender.toCsv`).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, FollowUp } from "@copkit/core"
   *
   * const organiser = Actor.make({ _tag: "RegionalOrganiser", personId: "per_fatima-el-amrani", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const followUp = yield* FollowUp.FollowUp
   *   const csv = yield* followUp.exportCsv({ programmeId: "prg_twente", table: "attendance" })
   *   console.log(csv.split("\n")[0]) // the header row
   * }).pipe(Actor.as(organiser))
   * ```
   */
  readonly exportCsv: (input: typeof ExportCsv.Encoded) => Result<string>
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
  | EvaluationRepository
  | Command.Ports

const agreementScope = (a: Agreement.Agreement): Permissions.Scope => ({ regionIds: [a.regionId], partyIds: [a.owner.personId] })
const programmeScope = (p: Programme): Permissions.Scope => ({ regionIds: [p.regionId] })

const seesAll = (actor: Actor.Actor): boolean => actor._tag === "NetworkCoordinator" || actor._tag === "System"
const regionRole = (actor: Actor.Actor): boolean => actor._tag === "KeyPerson" || actor._tag === "RegionalOrganiser"

const actorPersonId = (actor: Actor.Actor): PersonId =>
  Actor.personOf(actor) ?? (`system:${actor._tag === "System" ? actor.name : "unknown"}` as PersonId)

/** The owner of an agreement with name and organisation, looked up in the programme when left out. */
const resolveOwner = (programme: Programme, owner: typeof OwnerInput.Type, field = "owner") =>
  Effect.gen(function*() {
    const needsLookup = owner.name === undefined || owner.organisation === undefined
    const enrolments = yield* EnrolmentRepository
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

const belongs = <A>(field: string, found: Option.Option<Versioned<A>>, ok: (a: A) => boolean, what: string) =>
  Option.isSome(found) && ok(found.value.value) ? Effect.void : Effect.fail(invalid(field, "belongsToProgramme", what))

/** Checks that a measure named by an agreement is one of the programme's. */
const checkMeasure = (programme: Programme, measureId: MeasureId | undefined) =>
  measureId === undefined ? Effect.void : Effect.flatMap(MeasureRepository, (measures) =>
    Effect.flatMap(measures.find(measureId), (found) =>
      belongs("measureId", found, (m) => m.programmeId === programme.id, `measure ${measureId} is not a measure of programme ${programme.id}`)))

/** Checks that a session named by an agreement is one of the programme's. */
const checkSession = (programme: Programme, sessionId: SessionId | undefined) =>
  sessionId === undefined ? Effect.void : Effect.flatMap(SessionRepository, (sessions) =>
    Effect.flatMap(sessions.find(sessionId), (found) =>
      belongs("sessionId", found, (s) => s.programmeIds.includes(programme.id), `session ${sessionId} is not a session of programme ${programme.id}`)))

/** Builds the follow-up service from its ports. @category constructors */
export const make: Effect.Effect<FollowUpService, never, Dependencies> = Effect.gen(function*() {
  const programmes = yield* ProgrammeRepository
  const sessions = yield* SessionRepository
  const enrolments = yield* EnrolmentRepository
  const insights = yield* InsightRepository
  const agreements = yield* AgreementRepository
  const measures = yield* MeasureRepository
  const ids = yield* IdGenerator
  const method = yield* Command.methods<Dependencies>("FollowUp")

  const readProgramme = (action: Permissions.Action, programmeId: string) =>
    Command.read(action, programmes, programmeId, programmeScope)

  const decodeRecord = decode(RecordAgreement)
  const recordAgreement = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeRecord(raw)
      yield* Permissions.authorizeAny("agreement.record")
      const programme = (yield* readProgramme("agreement.record", input.programmeId)).value
      yield* Agreement.checkProgrammeOpen(programme, "Agreements")
      const owner = yield* resolveOwner(programme, input.owner)
      yield* checkMeasure(programme, input.measureId)
      yield* checkSession(programme, input.sessionId)
      const id = (yield* ids.next("agreement")) as AgreementId
      const recorded = yield* Agreement.record(programme, { ...input, id, owner }, yield* Command.now)
      yield* Command.commit([Command.change(agreements, recorded.value, 0, recorded.events)])
      return recorded.value
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
      const next = yield* Agreement.revise(current.value, { ...input, owner }, yield* Command.now)
      yield* Command.commit([Command.change(agreements, next.value, current.version, next.events)])
      return next.value
    })

  const statusStep = <I extends { readonly agreementId: AgreementId; readonly reason?: string }>(
    input: Schema.Schema<I, any>,
    to: "InProgress" | "Done" | "Dropped"
  ) =>
    Command.update({
      action: "agreement.update",
      input,
      repository: AgreementRepository,
      id: (i) => i.agreementId,
      scope: agreementScope,
      apply: (a, i, { now }) => Agreement.changeStatus(a, to, now, i.reason)
    })

  const addNote = Command.update({
    action: "agreement.update",
    input: AddNote,
    repository: AgreementRepository,
    id: (i) => i.agreementId,
    scope: agreementScope,
    apply: (a, i, { actor, now }) =>
      Either.right(Agreement.addNote(a, new Agreement.ProgressNote({ text: i.text, author: actorPersonId(actor), at: now })))
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
      yield* Agreement.checkProgrammeOpen(programme, "Measures")
      const id = (yield* ids.next("measure")) as MeasureId
      const defined = yield* Measure.define(programme, id, input, yield* Command.now)
      yield* Command.commit([Command.change(measures, defined.value, 0, defined.events)])
      return defined.value
    })

  const reviseMeasure = Command.update({
    action: "measure.manage",
    input: ReviseMeasure,
    repository: MeasureRepository,
    id: (i) => i.measureId,
    scope: (m) => ({ regionIds: [m.regionId] }),
    apply: (m, i, { now }) => Either.right(Measure.revise(m, i, now))
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
      return Measure.synergy(ms.map((m) => m.value), as.map((a) => a.value))
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
      return stillMissing(programme, data.sessions, data.agreements, settings.followUp)
    })

  const closeProgramme = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeProgramme(raw)
      yield* Permissions.authorizeAny("programme.close")
      const current = yield* readProgramme("programme.close", input.programmeId)
      const settings = yield* Settings
      const data = yield* closeData(current.value.id)
      const closed = yield* close(current.value, data.sessions, data.agreements, settings.followUp, yield* Command.now)
      yield* Command.commit([Command.change(programmes, closed.value, current.version, closed.events)])
      return closed.value
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
      const raise = <A>(repository: Parameters<typeof Command.change<A>>[0], version: number, decided: { readonly value: A; readonly events: ReadonlyArray<any> }, done: () => void) =>
        Effect.catchIf(
          Effect.tap(Command.commit([Command.change(repository, decided.value, version, decided.events)]), () => Effect.sync(done)),
          (e): e is ConcurrencyConflict => e instanceof ConcurrencyConflict,
          () => Effect.void
        )
      for (const a of yield* agreements.list({ state: ["Open", "InProgress"] })) {
        const decision = dueReminder(a.value, today, settings)
        if (Option.isNone(decision)) continue
        const { event } = decision.value
        yield* raise(agreements, a.version, decision.value, () => (event._tag === "AgreementDueSoon" ? dueSoon : overdue).push(a.value.id))
      }
      for (const p of yield* programmes.list({ state: "Completed" })) {
        const decision = checkIn(p.value, at, settings)
        if (Option.isNone(decision)) continue
        const { event } = decision.value
        yield* raise(programmes, p.version, decision.value, () => checkIns.push({ programmeId: p.value.id, monthsAfterClosing: event.monthsAfterClosing }))
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
        evaluations: values(yield* Effect.flatMap(EvaluationRepository, (r) => r.list({ programmeId: programme.id }))),
        evaluationSettings: (yield* Settings).evaluation,
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
      return ReportRender.toCsv(data, input.table)
    })

  return FollowUp.of({
    recordAgreement: method("recordAgreement", recordAgreement),
    reviseAgreement: method("reviseAgreement", reviseAgreement),
    startAgreement: method("startAgreement", statusStep(AgreementRef, "InProgress")),
    completeAgreement: method("completeAgreement", statusStep(AgreementRef, "Done")),
    dropAgreement: method("dropAgreement", statusStep(DropAgreement, "Dropped")),
    addNote: method("addNote", addNote),
    getAgreement: method("getAgreement", getAgreement),
    listAgreements: method("listAgreements", listAgreements),
    defineMeasure: method("defineMeasure", defineMeasure),
    reviseMeasure: method("reviseMeasure", reviseMeasure),
    listMeasures: method("listMeasures", listMeasures),
    synergy: method("synergy", synergyView),
    closeReadiness: method("closeReadiness", closeReadiness),
    close: method("close", closeProgramme),
    runReminders: method("runReminders", runReminders),
    report: method("report", report),
    exportCsv: method("exportCsv", exportCsv)
  })
})

/** The follow-up service, built from the ports in the context. @category layers */
export const layer: Layer.Layer<FollowUp, never, Dependencies> = Layer.effect(FollowUp, make)
