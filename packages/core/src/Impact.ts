/**
 * Impact, beyond the sessions: a verdict per intended result of the goals at closing (reached,
 * partly, not reached, with a note; closing is refused while one is missing, rule
 * `goal-verdicts`), indicators of measures (name, unit, baseline, target) with dated values, and
 * the outcomes the 3- and 6-month check-ins record per open agreement and measure. Pure rules,
 * each returning the new value and its events; the service is `Evaluations`.
 *
 * @since 0.3.0
 */
import { Either } from "effect"
import type { Agreement } from "./Agreement.js"
import { isOpen } from "./Agreement.js"
import type { Transitioned } from "./Command.js"
import type { LocalDate } from "./Common.js"
import type { ValidationError } from "./Errors.js"
import { InvalidTransition, RuleViolation } from "./Errors.js"
import type { AgreementId, MeasureId, PersonId } from "./Ids.js"
import { plusMonths } from "./internal/dates.js"
import type { IndicatorId } from "./Measure.js"
import { Indicator, IndicatorValue, Measure } from "./Measure.js"
import type { CheckInOutcome, Verdict } from "./ProgrammeModel.js"
import { CheckInRecord, GoalVerdict, Programme } from "./ProgrammeModel.js"
import { invalid } from "./Validation.js"

export {
  /** Where an agreement or measure stands at a check-in. */
  CheckInOutcome,
  /** What a check-in recorded. */
  CheckInRecord,
  /** The verdict on one intended result. */
  GoalVerdict,
  /** Reached, partly, not reached. */
  Verdict
} from "./ProgrammeModel.js"

/** The programme states in which verdicts are given: from the approved plan until it closes. @category constants */
export const verdictStates: ReadonlyArray<Programme["state"]> = ["Planned", "Running", "FollowUp"]

const refuse = (programme: Programme, to: string, reason: string) =>
  Either.left(new InvalidTransition({ entity: "Programme", id: programme.id, from: programme.state, to, reason }))

// ---------------------------------------------------------------------------------------------
// Goal verdicts
// ---------------------------------------------------------------------------------------------

/** A verdict as given: which intended result (its position), the verdict and a note. @category models */
export interface VerdictFields {
  readonly resultIndex: number
  readonly verdict: Verdict
  readonly note: string
}

/**
 * Gives (or revises) the verdict on one intended result, with its `GoalVerdictRecorded` event.
 * Only from the approved plan until closing; `resultIndex` must name one of the goals' intended
 * results (`ValidationError`, rule `goalKnown`).
 *
 * @category rules
 */
export const recordVerdict = (
  programme: Programme,
  fields: VerdictFields,
  by: PersonId,
  now: Date
): Either.Either<Transitioned<Programme>, InvalidTransition | ValidationError> => {
  if (!verdictStates.includes(programme.state)) {
    return refuse(programme, "GoalVerdict", `verdicts are given while the programme is ${verdictStates.join(", ")}`)
  }
  const result = programme.goals.intendedResults[fields.resultIndex]
  if (result === undefined) {
    return Either.left(invalid("resultIndex", "goalKnown", `the goals have ${programme.goals.intendedResults.length} intended result(s), counted from 0`))
  }
  const verdict = new GoalVerdict({ resultIndex: fields.resultIndex, result, verdict: fields.verdict, note: fields.note, recordedBy: by, recordedAt: now })
  const verdicts = [...(programme.verdicts ?? []).filter((v) => v.resultIndex !== fields.resultIndex), verdict]
    .sort((a, b) => a.resultIndex - b.resultIndex)
  return Either.right({
    value: new Programme({ ...programme, verdicts, updatedAt: now }),
    events: [{ _tag: "GoalVerdictRecorded", programmeId: programme.id, resultIndex: fields.resultIndex, verdict: fields.verdict }]
  })
}

/** The verdict on each intended result, `undefined` where none was given (or the result changed since). @category rules */
export const verdictsOf = <V extends Pick<GoalVerdict, "resultIndex" | "result"> = GoalVerdict>(programme: {
  readonly goals: { readonly intendedResults: ReadonlyArray<string> }
  readonly verdicts?: ReadonlyArray<V> | undefined
}): ReadonlyArray<{ readonly result: string; readonly verdict: V | undefined }> =>
  programme.goals.intendedResults.map((result, i) => ({
    result,
    verdict: (programme.verdicts ?? []).find((v) => v.resultIndex === i && v.result === result)
  }))

/** The intended results still without a verdict, as messages. Empty when every one has one. @category rules */
export const missingVerdicts = (programme: Programme): ReadonlyArray<string> =>
  verdictsOf(programme).flatMap((v, i) => (v.verdict === undefined ? [`goal verdict: intended result ${i} ("${v.result}") has none`] : []))

/** Refuses closing while an intended result has no verdict (rule `goal-verdicts`, each missing one in `details`). @category rules */
export const checkVerdicts = (programme: Programme): Either.Either<void, RuleViolation> => {
  const missing = missingVerdicts(programme)
  return missing.length === 0 ? Either.void : Either.left(
    new RuleViolation({
      rule: "goal-verdicts",
      message: `${missing.length} intended result(s) of the goals have no verdict yet: give each one (reached, partly, not reached) before closing.`,
      details: missing
    })
  )
}

// ---------------------------------------------------------------------------------------------
// Indicators
// ---------------------------------------------------------------------------------------------

/** An indicator as defined. @category models */
export interface IndicatorFields {
  readonly name: string
  readonly unit: string
  readonly baseline: number
  readonly target: number
}

/** The most indicators a measure has. @category constants */
export const maxIndicators = 20

/** Adds an indicator to a measure (ids `ind_1`, `ind_2`, ...), with its `IndicatorDefined` event. @category rules */
export const defineIndicator = (
  measure: Measure,
  fields: IndicatorFields,
  now: Date
): Either.Either<Transitioned<Measure>, ValidationError> => {
  if (measure.indicators.length >= maxIndicators) {
    return Either.left(invalid("measureId", "maxIndicators", `a measure has at most ${maxIndicators} indicators`))
  }
  const n = Math.max(0, ...measure.indicators.map((i) => Number(i.id.slice(4)))) + 1
  const indicator = new Indicator({ id: `ind_${n}` as IndicatorId, ...fields, values: [] })
  return Either.right({
    value: new Measure({ ...measure, indicators: [...measure.indicators, indicator], updatedAt: now }),
    events: [{ _tag: "IndicatorDefined", measureId: measure.id, indicatorId: indicator.id }]
  })
}

/** A dated value as recorded. @category models */
export interface ValueFields {
  readonly date: LocalDate
  readonly value: number
  readonly note?: string | undefined
}

/**
 * Records an indicator's value on a date, with its `IndicatorValueRecorded` event; a value on a
 * date that has one replaces it (a correction). Values are kept oldest first.
 *
 * @category rules
 */
export const recordValue = (
  measure: Measure,
  indicatorId: string,
  fields: ValueFields,
  now: Date
): Either.Either<Transitioned<Measure>, ValidationError> => {
  const indicator = measure.indicators.find((i) => i.id === indicatorId)
  if (indicator === undefined) {
    return Either.left(invalid("indicatorId", "indicatorKnown", `is not an indicator of measure ${measure.id} (${measure.indicators.map((i) => i.id).join(", ") || "none"})`))
  }
  const value = new IndicatorValue({ date: fields.date, value: fields.value, ...(fields.note === undefined ? {} : { note: fields.note }), recordedAt: now })
  const values = [...indicator.values.filter((v) => v.date !== fields.date), value].sort((a, b) => a.date.localeCompare(b.date))
  if (values.length > 1000) return Either.left(invalid("date", "maxValues", "an indicator keeps at most 1000 values"))
  const next = new Indicator({ ...indicator, values })
  return Either.right({
    value: new Measure({ ...measure, indicators: measure.indicators.map((i) => (i.id === indicatorId ? next : i)), updatedAt: now }),
    events: [{ _tag: "IndicatorValueRecorded", measureId: measure.id, indicatorId, date: fields.date }]
  })
}

/** An indicator's progress: its latest value and how far it came from the baseline to the target. @category models */
export interface IndicatorProgress {
  readonly measureId: MeasureId
  readonly measure: string
  readonly indicatorId: string
  readonly name: string
  readonly unit: string
  readonly baseline: number
  readonly target: number
  readonly values: ReadonlyArray<{ readonly date: string; readonly value: number }>
  readonly latest?: { readonly date: string; readonly value: number } | undefined
  /** The share of the way from baseline to target the latest value covers (1 = reached; may be below 0 or above 1); absent without a value or when baseline equals target. */
  readonly progress?: number | undefined
}

/** The progress of every indicator of the measures. A pure function. @category rules */
export const progressOf = (measures: ReadonlyArray<Measure>): ReadonlyArray<IndicatorProgress> =>
  measures.flatMap((m) =>
    m.indicators.map((i) => {
      const values = i.values.map((v) => ({ date: v.date, value: v.value }))
      const latest = values.at(-1)
      const span = i.target - i.baseline
      const progress = latest === undefined || span === 0 ? undefined : Math.round(((latest.value - i.baseline) / span) * 100) / 100
      return {
        measureId: m.id,
        measure: m.title,
        indicatorId: i.id,
        name: i.name,
        unit: i.unit,
        baseline: i.baseline,
        target: i.target,
        values,
        ...(latest === undefined ? {} : { latest }),
        ...(progress === undefined ? {} : { progress })
      }
    })
  )

// ---------------------------------------------------------------------------------------------
// Check-ins
// ---------------------------------------------------------------------------------------------

/** One outcome as given at a check-in. @category models */
export interface OutcomeFields<Id> {
  readonly outcome: CheckInOutcome
  readonly note?: string | undefined
  readonly id: Id
}

/** A check-in as given. @category models */
export interface CheckInFields {
  readonly monthsAfterClosing: number
  readonly agreements: ReadonlyArray<OutcomeFields<AgreementId>>
  readonly measures: ReadonlyArray<OutcomeFields<MeasureId>>
}

/**
 * Records a follow-up check-in of a completed programme: an outcome per agreement still open
 * (`Open`, `InProgress`) and per measure, with its `CheckInRecorded` event. The months must be one
 * of the settings' check-ins (`ValidationError`, rule `checkInMonth`) and have come (rule
 * `check-in-due`); every open agreement and every measure needs an outcome (rule
 * `check-in-complete`, the missing ones in `details`); an id that is not the programme's is a
 * `ValidationError` (rule `belongsToProgramme`). Recording the same check-in again replaces it.
 *
 * @category rules
 */
export const recordCheckIn = (
  programme: Programme,
  fields: CheckInFields,
  agreements: ReadonlyArray<Agreement>,
  measures: ReadonlyArray<Measure>,
  settings: { readonly checkInMonthsAfterClosing: ReadonlyArray<number>; readonly timeZone: string },
  by: PersonId,
  now: Date
): Either.Either<Transitioned<Programme>, InvalidTransition | RuleViolation | ValidationError> => {
  if (programme.state !== "Completed" || programme.closedAt === undefined) {
    return refuse(programme, "CheckIn", "check-ins are recorded after the programme closed (Completed)")
  }
  const months = fields.monthsAfterClosing
  if (!settings.checkInMonthsAfterClosing.includes(months)) {
    return Either.left(invalid("monthsAfterClosing", "checkInMonth", `must be one of the check-ins: ${settings.checkInMonthsAfterClosing.join(", ")} months`))
  }
  const due = plusMonths(programme.closedAt, months, settings.timeZone)
  if (due.getTime() > now.getTime()) {
    return Either.left(new RuleViolation({
      rule: "check-in-due",
      message: `The ${months}-month check-in is due from ${due.toISOString()}.`,
      details: []
    }))
  }
  const own = agreements.filter((a) => a.programmeId === programme.id)
  const ownMeasures = measures.filter((m) => m.programmeId === programme.id)
  for (const [field, given, known] of [
    ["agreements", fields.agreements, new Set<string>(own.map((a) => a.id))],
    ["measures", fields.measures, new Set<string>(ownMeasures.map((m) => m.id))]
  ] as const) {
    const seen = new Set<string>()
    for (const [i, o] of given.entries()) {
      if (!known.has(o.id)) return Either.left(invalid(`${field}[${i}]`, "belongsToProgramme", `${o.id} is not one of programme ${programme.id}'s ${field}`))
      if (seen.has(o.id)) return Either.left(invalid(`${field}[${i}]`, "unique", `${o.id} has two outcomes`))
      seen.add(o.id)
    }
  }
  const givenAgreements = new Set<string>(fields.agreements.map((o) => o.id))
  const givenMeasures = new Set<string>(fields.measures.map((o) => o.id))
  const missing = [
    ...own.filter((a) => isOpen(a) && !givenAgreements.has(a.id)).map((a) => `agreement ${a.id} ("${a.action.slice(0, 80)}") is open and has no outcome`),
    ...ownMeasures.filter((m) => !givenMeasures.has(m.id)).map((m) => `measure ${m.id} ("${m.title}") has no outcome`)
  ]
  if (missing.length > 0) {
    return Either.left(new RuleViolation({
      rule: "check-in-complete",
      message: `The check-in records an outcome per open agreement and per measure; ${missing.length} missing.`,
      details: missing
    }))
  }
  const outcome = <Id>(o: OutcomeFields<Id>) => ({ outcome: o.outcome, ...(o.note === undefined ? {} : { note: o.note }) })
  const record = new CheckInRecord({
    monthsAfterClosing: months,
    agreements: fields.agreements.map((o) => ({ agreementId: o.id, ...outcome(o) })),
    measures: fields.measures.map((o) => ({ measureId: o.id, ...outcome(o) })),
    recordedBy: by,
    recordedAt: now
  })
  const checkIns = [...(programme.checkIns ?? []).filter((c) => c.monthsAfterClosing !== months), record]
    .sort((a, b) => a.monthsAfterClosing - b.monthsAfterClosing)
  return Either.right({
    value: new Programme({ ...programme, checkIns, updatedAt: now }),
    events: [{
      _tag: "CheckInRecorded",
      programmeId: programme.id,
      monthsAfterClosing: months,
      agreements: record.agreements.length,
      measures: record.measures.length
    }]
  })
}
