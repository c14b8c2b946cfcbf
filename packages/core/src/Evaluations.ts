/**
 * The evaluation and impact service: the questions of a programme's session evaluations, the
 * attendees' answers and their results (only in aggregate, see {@link Evaluation}), the verdict on
 * each intended result of the goals at closing, indicators of measures with dated values, and the
 * outcomes of the follow-up check-ins (see {@link Impact}). This module does the I/O.
 *
 * Who may do what:
 * - set the questions, read the results, give verdicts, define indicators and record their
 *   values, record check-ins: the region's key persons and organisers, and the coordinator;
 * - answer a session's evaluation: the person themself, once, if they were recorded as present;
 * - read a session's questions: whoever may read the session (its invitees too).
 *
 * @since 0.3.0
 */
import { Context, Effect, Either, Layer, Option, Schema } from "effect"
import * as Actor from "./Actor.js"
import * as Command from "./Command.js"
import { Line, LocalDate, Paragraph } from "./Common.js"
import type { CommandError, InvalidTransition, RuleViolation } from "./Errors.js"
import { ConcurrencyConflict } from "./Errors.js"
import * as Evaluation from "./Evaluation.js"
import { AgreementId, MeasureId, PersonId, ProgrammeId, SessionId } from "./Ids.js"
import * as Impact from "./Impact.js"
import { IndicatorNumber } from "./Measure.js"
import type { Measure } from "./Measure.js"
import * as Permissions from "./Permissions.js"
import type { Programme } from "./Programme.js"
import * as ProgrammeLife from "./Programme.js"
import { CheckInOutcome, EvaluationQuestion, QuestionKey, Verdict } from "./ProgrammeModel.js"
import {
  AgreementRepository,
  EvaluationRepository,
  get,
  MeasureRepository,
  ProgrammeRepository,
  SessionRepository
} from "./Repository.js"
import type { Session } from "./Session.js"
import { Settings } from "./Settings.js"
import { decode } from "./Validation.js"

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

/** Input of {@link EvaluationsService.setQuestions}. @category inputs */
export const SetQuestions = Schema.Struct({ programmeId: ProgrammeId, questions: Evaluation.Questions })

/** Input of the steps that name only the session. @category inputs */
export const SessionRef = Schema.Struct({ sessionId: SessionId })

/** Input of {@link EvaluationsService.answer}: scores (1-5) and open answers, by question key. @category inputs */
export const AnswerEvaluation = Schema.Struct({
  sessionId: SessionId,
  scores: Schema.optionalWith(Schema.Record({ key: QuestionKey, value: Evaluation.Score }), { default: () => ({}) }),
  openAnswers: Schema.optionalWith(Schema.Record({ key: QuestionKey, value: Evaluation.OpenAnswer }), { default: () => ({}) })
})

/** Input of {@link EvaluationsService.recordVerdict}. @category inputs */
export const RecordVerdict = Schema.Struct({
  programmeId: ProgrammeId,
  /** The intended result, by its position in the goals' `intendedResults` (from 0). */
  resultIndex: Schema.Int.pipe(Schema.between(0, 49)),
  verdict: Verdict,
  note: Paragraph
})

/** Input of {@link EvaluationsService.defineIndicator}. @category inputs */
export const DefineIndicator = Schema.Struct({
  measureId: MeasureId,
  name: Line,
  unit: Line,
  baseline: IndicatorNumber,
  target: IndicatorNumber
})

/** Input of {@link EvaluationsService.recordIndicatorValue}. @category inputs */
export const RecordIndicatorValue = Schema.Struct({
  measureId: MeasureId,
  indicatorId: Schema.String.pipe(Schema.maxLength(20)),
  date: LocalDate,
  value: IndicatorNumber,
  note: Schema.optional(Paragraph)
})

/** Input of {@link EvaluationsService.recordCheckIn}: an outcome per open agreement and per measure. @category inputs */
export const RecordCheckIn = Schema.Struct({
  programmeId: ProgrammeId,
  monthsAfterClosing: Schema.Int.pipe(Schema.between(1, 120)),
  agreements: Schema.Array(Schema.Struct({ agreementId: AgreementId, outcome: CheckInOutcome, note: Schema.optional(Paragraph) }))
    .pipe(Schema.maxItems(500)),
  measures: Schema.Array(Schema.Struct({ measureId: MeasureId, outcome: CheckInOutcome, note: Schema.optional(Paragraph) }))
    .pipe(Schema.maxItems(500))
})

/** The questions a session's evaluation asks a person, and the programme they belong to. @category models */
export interface SessionQuestions {
  readonly sessionId: SessionId
  readonly programmeId: ProgrammeId
  readonly questions: ReadonlyArray<EvaluationQuestion>
  /**
   * Whether the person asking has answered this session's evaluation already (a second answer is
   * refused, rule `evaluation-once`): a form can show "thank you" instead. Absent for an actor who is
   * not a person (a System job).
   */
  readonly answered?: boolean | undefined
}

type Result<A, E = never> = Effect.Effect<A, CommandError | E, Actor.CurrentActor>

// ---------------------------------------------------------------------------------------------
// The service
// ---------------------------------------------------------------------------------------------

/** The evaluation and impact service. Every method runs as the {@link Actor.CurrentActor}. @category services */
export interface EvaluationsService {
  /**
   * Sets the questions of a programme's session evaluations: 1 to 12, each a `Scale` (1-5) or
   * `Open` question with its Dutch and English text (key person, organiser or coordinator).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Evaluations } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const evaluations = yield* Evaluations.Evaluations
   *   yield* evaluations.setQuestions({
   *     programmeId: "prg_twente",
   *     questions: [
   *       { key: "value", kind: "Scale", text: { nl: "Hoe waardevol was de bijeenkomst?", en: "How valuable was the session?" } },
   *       { key: "remarks", kind: "Open", text: { nl: "Wat kan beter?", en: "What could be better?" } }
   *     ]
   *   })
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly setQuestions: (input: typeof SetQuestions.Encoded) => Result<Programme, InvalidTransition>
  /**
   * The questions a session's evaluation asks the actor (the programme of their invitation).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Evaluations } from "@copkit/core"
   *
   * const participant = Actor.make({ _tag: "Participant", personId: "per_sanne-visser", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const evaluations = yield* Evaluations.Evaluations
   *   const form = yield* evaluations.questions({ sessionId: "ses_twente-1" })
   *   for (const q of form.questions) console.log(q.key, q.text.nl)
   * }).pipe(Actor.as(participant))
   * ```
   */
  readonly questions: (input: typeof SessionRef.Encoded) => Result<SessionQuestions>
  /**
   * Answers a held session's evaluation, as the person who was there: scores from 1 to 5 and open
   * answers by question key. Once per person per session (rule `evaluation-once`); only people
   * recorded as present (rule `evaluation-attendee`).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Evaluations } from "@copkit/core"
   *
   * const participant = Actor.make({ _tag: "Participant", personId: "per_sanne-visser", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const evaluations = yield* Evaluations.Evaluations
   *   yield* evaluations.answer({
   *     sessionId: "ses_twente-1",
   *     scores: { value: 5, practice: 4, network: 4 },
   *     openAnswers: { remarks: "Het projectbezoek maakte het concreet." }
   *   })
   * }).pipe(Actor.as(participant))
   * ```
   */
  readonly answer: (input: typeof AnswerEvaluation.Encoded) => Result<Evaluation.EvaluationAnswer, RuleViolation>
  /**
   * A session's evaluation in aggregate, one per programme of the session the actor may read:
   * averages and open answers only from `evaluation.minAnswers` answers (default 5), counted in
   * whole batches of that minimum (see `Evaluation.aggregate`).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Evaluations } from "@copkit/core"
   *
   * const organiser = Actor.make({ _tag: "RegionalOrganiser", personId: "per_fatima-el-amrani", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const evaluations = yield* Evaluations.Evaluations
   *   for (const result of yield* evaluations.results({ sessionId: "ses_twente-1" })) {
   *     console.log(result.answers, result.shown ? result.questions.map((q) => q.average) : "te weinig antwoorden")
   *   }
   * }).pipe(Actor.as(organiser))
   * ```
   */
  readonly results: (input: typeof SessionRef.Encoded) => Result<ReadonlyArray<Evaluation.SessionEvaluation>>
  /**
   * Gives (or revises) the verdict on one intended result of the goals: `Reached`, `Partly` or
   * `NotReached`, with a note. Closing needs one for each (rule `goal-verdicts`).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Evaluations } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const evaluations = yield* Evaluations.Evaluations
   *   yield* evaluations.recordVerdict({
   *     programmeId: "prg_twente",
   *     resultIndex: 0,
   *     verdict: "Partly",
   *     note: "Twaalf ondernemers vonden de weg; het loket volgt in het voorjaar."
   *   })
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly recordVerdict: (input: typeof RecordVerdict.Encoded) => Result<Programme, InvalidTransition>
  /**
   * Adds an indicator to a measure: name, unit, baseline and target.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Evaluations } from "@copkit/core"
   *
   * const organiser = Actor.make({ _tag: "RegionalOrganiser", personId: "per_fatima-el-amrani", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const evaluations = yield* Evaluations.Evaluations
   *   const measure = yield* evaluations.defineIndicator({
   *     measureId: "msr_loket",
   *     name: "Ondernemers geholpen door het loket",
   *     unit: "ondernemers per kwartaal",
   *     baseline: 10,
   *     target: 40
   *   })
   *   console.log(measure.indicators.at(-1)?.id) // "ind_1"
   * }).pipe(Actor.as(organiser))
   * ```
   */
  readonly defineIndicator: (input: typeof DefineIndicator.Encoded) => Result<Measure>
  /**
   * Records an indicator's value on a date (a second value on the same date replaces the first).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Evaluations } from "@copkit/core"
   *
   * const organiser = Actor.make({ _tag: "RegionalOrganiser", personId: "per_fatima-el-amrani", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const evaluations = yield* Evaluations.Evaluations
   *   yield* evaluations.recordIndicatorValue({ measureId: "msr_loket", indicatorId: "ind_1", date: "2027-09-30", value: 22 })
   * }).pipe(Actor.as(organiser))
   * ```
   */
  readonly recordIndicatorValue: (input: typeof RecordIndicatorValue.Encoded) => Result<Measure>
  /**
   * Records a follow-up check-in (3 or 6 months after closing, by default) of a completed
   * programme: an outcome per open agreement and per measure (rules `check-in-due`, `check-in-complete`).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Evaluations } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const evaluations = yield* Evaluations.Evaluations
   *   yield* evaluations.recordCheckIn({
   *     programmeId: "prg_twente",
   *     monthsAfterClosing: 3,
   *     agreements: [{ agreementId: "agr_loket", outcome: "OnTrack" }],
   *     measures: [{ measureId: "msr_loket", outcome: "Delayed", note: "De financiering volgt in juni." }]
   *   })
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly recordCheckIn: (input: typeof RecordCheckIn.Encoded) => Result<Programme, InvalidTransition | RuleViolation>
}

/** The evaluation and impact service tag. @category services */
export class Evaluations extends Context.Tag("@copkit/core/Evaluations")<Evaluations, EvaluationsService>() {}

/** The ports the service needs. @category models */
export type Dependencies =
  | ProgrammeRepository
  | SessionRepository
  | AgreementRepository
  | MeasureRepository
  | EvaluationRepository
  | Command.Ports

const programmeScope = (p: Programme): Permissions.Scope => ({ regionIds: [p.regionId] })
const sessionScope = (s: Session): Permissions.Scope => ({ regionIds: s.regionIds, partyIds: s.invitations.map((i) => i.personId) })

/** Who gave a verdict or recorded a check-in: the actor's person, or the System job's name. */
const actorPersonId = (actor: Actor.Actor): PersonId =>
  Actor.personOf(actor) ?? (`system:${actor._tag === "System" ? actor.name : "unknown"}` as PersonId)

/** Builds the service from its ports. @category constructors */
export const make: Effect.Effect<EvaluationsService, never, Dependencies> = Effect.gen(function*() {
  const programmes = yield* ProgrammeRepository
  const sessions = yield* SessionRepository
  const agreements = yield* AgreementRepository
  const measures = yield* MeasureRepository
  const evaluations = yield* EvaluationRepository
  const method = yield* Command.methods<Dependencies>("Evaluations")

  const setQuestions = Command.update({
    action: "evaluation.configure",
    input: SetQuestions,
    repository: ProgrammeRepository,
    id: (i) => i.programmeId,
    scope: programmeScope,
    apply: (p, i, { now }) =>
      Either.map(ProgrammeLife.inState(p, ProgrammeLife.openStates, "EvaluationQuestions"), () => ({
        value: new ProgrammeLife.Programme({ ...p, evaluationQuestions: i.questions, updatedAt: now }),
        events: [{ _tag: "EvaluationQuestionsSet" as const, programmeId: p.id, keys: i.questions.map((q) => q.key) }]
      }))
  })

  /** The programme whose questions the actor sees for a session: their invitation's, else their region's, else the first. */
  const programmeFor = (session: Session, actor: Actor.Actor): ProgrammeId => {
    const personId = Actor.personOf(actor)
    const invited = personId === undefined ? undefined : Evaluation.programmeOfAttendee(session, personId)
    if (invited !== undefined) return invited
    const region = Actor.regionOf(actor)
    const i = region === undefined ? -1 : session.regionIds.indexOf(region)
    return session.programmeIds[Math.max(0, i)] ?? session.programmeIds[0]
  }

  const decodeSession = decode(SessionRef)
  const questions = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeSession(raw)
      const session = (yield* Command.read("session.read", sessions, input.sessionId, sessionScope)).value
      const actor = yield* Actor.CurrentActor
      const programme = (yield* get(programmes, programmeFor(session, actor))).value
      const settings = (yield* Settings).evaluation
      const personId = Actor.personOf(actor)
      const answered = personId === undefined ? undefined : Option.isSome(yield* evaluations.find(Evaluation.evaluationIdOf(session.id, personId)))
      return {
        sessionId: session.id,
        programmeId: programme.id,
        questions: Evaluation.questionsOf(programme, settings),
        ...(answered === undefined ? {} : { answered })
      } satisfies SessionQuestions
    })

  const decodeAnswer = decode(AnswerEvaluation)
  const answer = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeAnswer(raw)
      const actor = yield* Permissions.authorizeAny("evaluation.answer")
      const personId = Actor.personOf(actor)
      // an answer is always the actor's own: a System job has none to give
      if (personId === undefined) return yield* Effect.fail(Permissions.forbidden(actor, "evaluation.answer"))
      const session = (yield* Command.read("evaluation.answer", sessions, input.sessionId, sessionScope)).value
      const programme = (yield* get(programmes, programmeFor(session, actor))).value
      const settings = (yield* Settings).evaluation
      const decided = yield* Evaluation.answer(session, programme, personId, input, settings, yield* Command.now)
      if (Option.isSome(yield* evaluations.find(decided.value.id))) return yield* Effect.fail(Evaluation.answeredOnce(session.id))
      // two answers at once: the store keeps the first, the second finds the id taken
      yield* Command.commit([Command.change(evaluations, decided.value, 0, decided.events)]).pipe(
        Effect.catchIf((e): e is ConcurrencyConflict => e instanceof ConcurrencyConflict, () => Effect.fail(Evaluation.answeredOnce(session.id)))
      )
      return decided.value
    })

  const results = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeSession(raw)
      const actor = yield* Permissions.authorizeAny("evaluation.read")
      const session = (yield* get(sessions, input.sessionId)).value
      yield* Permissions.authorize("evaluation.read", { regionIds: session.regionIds })
      const settings = (yield* Settings).evaluation
      const out: Array<Evaluation.SessionEvaluation> = []
      for (const programmeId of session.programmeIds) {
        const programme = (yield* get(programmes, programmeId)).value
        if (!Permissions.allows(actor, "evaluation.read", programmeScope(programme))) continue
        const answers = (yield* evaluations.list({ programmeId })).map((v) => v.value)
        out.push(Evaluation.aggregate(session.id, programmeId, Evaluation.questionsOf(programme, settings), answers, settings.minAnswers))
      }
      return out as ReadonlyArray<Evaluation.SessionEvaluation>
    })

  const recordVerdict = Command.update({
    action: "goal.verdict",
    input: RecordVerdict,
    repository: ProgrammeRepository,
    id: (i) => i.programmeId,
    scope: programmeScope,
    apply: (p, i, { actor, now }) => Impact.recordVerdict(p, i, actorPersonId(actor), now)
  })

  const defineIndicator = Command.update({
    action: "measure.manage",
    input: DefineIndicator,
    repository: MeasureRepository,
    id: (i) => i.measureId,
    scope: (m) => ({ regionIds: [m.regionId] }),
    apply: (m, i, { now }) => Impact.defineIndicator(m, i, now)
  })

  const recordIndicatorValue = Command.update({
    action: "measure.manage",
    input: RecordIndicatorValue,
    repository: MeasureRepository,
    id: (i) => i.measureId,
    scope: (m) => ({ regionIds: [m.regionId] }),
    apply: (m, i, { now }) => Impact.recordValue(m, i.indicatorId, i, now)
  })

  const decodeCheckIn = decode(RecordCheckIn)
  const recordCheckIn = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeCheckIn(raw)
      const actor = yield* Permissions.authorizeAny("checkIn.record")
      const current = yield* Command.read("checkIn.record", programmes, input.programmeId, programmeScope)
      const settings = (yield* Settings).followUp
      const own = (yield* agreements.list({ programmeId: current.value.id })).map((a) => a.value)
      const ms = (yield* measures.list({ programmeId: current.value.id })).map((m) => m.value)
      const fields: Impact.CheckInFields = {
        monthsAfterClosing: input.monthsAfterClosing,
        agreements: input.agreements.map((o) => ({ id: o.agreementId, outcome: o.outcome, note: o.note })),
        measures: input.measures.map((o) => ({ id: o.measureId, outcome: o.outcome, note: o.note }))
      }
      const next = yield* Impact.recordCheckIn(current.value, fields, own, ms, settings, actorPersonId(actor), yield* Command.now)
      yield* Command.commit([Command.change(programmes, next.value, current.version, next.events)])
      return next.value
    })

  return Evaluations.of({
    setQuestions: method("setQuestions", setQuestions),
    questions: method("questions", questions),
    answer: method("answer", answer),
    results: method("results", results),
    recordVerdict: method("recordVerdict", recordVerdict),
    defineIndicator: method("defineIndicator", defineIndicator),
    recordIndicatorValue: method("recordIndicatorValue", recordIndicatorValue),
    recordCheckIn: method("recordCheckIn", recordCheckIn)
  })
})

/** The evaluation and impact service, built from the ports in the context. @category layers */
export const layer: Layer.Layer<Evaluations, never, Dependencies> = Layer.effect(Evaluations, make)
