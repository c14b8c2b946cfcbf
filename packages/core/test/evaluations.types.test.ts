/**
 * The evaluation and impact methods are typed from their input schemas: a misspelt field, a missing
 * field or a wrong literal does not compile; the documented calls do. Checked by
 * `pnpm --filter @copkit/core run typecheck` (each `@ts-expect-error` fails the typecheck when the
 * error it expects goes away); the calls are built, never run.
 */
import { describe, expectTypeOf, it } from "@effect/vitest"
import type { Effect } from "effect"
import type { Evaluation, Evaluations, Measure, Programme } from "@copkit/core"

type Success<T> = T extends Effect.Effect<infer A, any, any> ? A : never

/** The calls of the evaluation guide, and their refused misspellings. Never run. */
export const evaluationCalls = (s: Evaluations.EvaluationsService) => [
  s.setQuestions({ programmeId: "prg_utrecht", questions: [{ key: "value", kind: "Scale", text: { nl: "Waardevol?", en: "Valuable?" } }] }),
  // @ts-expect-error a wrong literal: the kinds are Scale and Open
  s.setQuestions({ programmeId: "prg_utrecht", questions: [{ key: "value", kind: "Stars", text: { nl: "Waardevol?", en: "Valuable?" } }] }),
  // @ts-expect-error a question has its text in Dutch and English
  s.setQuestions({ programmeId: "prg_utrecht", questions: [{ key: "value", kind: "Scale", text: "Waardevol?" }] }),
  s.questions({ sessionId: "ses_1" }),
  s.answer({ sessionId: "ses_1", scores: { value: 5 }, openAnswers: { remarks: "Leerzaam." } }),
  s.answer({ sessionId: "ses_1", openAnswers: { remarks: "Alleen een opmerking." } }),
  // @ts-expect-error a score is a number
  s.answer({ sessionId: "ses_1", scores: { value: "5" } }),
  // @ts-expect-error a misspelt field: `score` is `scores`
  s.answer({ sessionId: "ses_1", score: { value: 5 } }),
  s.results({ sessionId: "ses_1" }),
  s.recordVerdict({ programmeId: "prg_utrecht", resultIndex: 0, verdict: "Partly", note: "Op weg." }),
  // @ts-expect-error a wrong literal: the verdicts are Reached, Partly and NotReached
  s.recordVerdict({ programmeId: "prg_utrecht", resultIndex: 0, verdict: "Maybe", note: "x" }),
  // @ts-expect-error a verdict needs its note
  s.recordVerdict({ programmeId: "prg_utrecht", resultIndex: 0, verdict: "Reached" }),
  s.defineIndicator({ measureId: "msr_1", name: "Bereik", unit: "ondernemers", baseline: 10, target: 40 }),
  // @ts-expect-error a missing field: `target`
  s.defineIndicator({ measureId: "msr_1", name: "Bereik", unit: "ondernemers", baseline: 10 }),
  s.recordIndicatorValue({ measureId: "msr_1", indicatorId: "ind_1", date: "2027-09-30", value: 22 }),
  s.recordCheckIn({ programmeId: "prg_utrecht", monthsAfterClosing: 3, agreements: [{ agreementId: "agr_1", outcome: "OnTrack" }], measures: [] }),
  // @ts-expect-error a wrong literal: the outcomes are Achieved, OnTrack, Delayed and Stopped
  s.recordCheckIn({ programmeId: "prg_utrecht", monthsAfterClosing: 3, agreements: [{ agreementId: "agr_1", outcome: "Fine" }], measures: [] })
]

describe("Evaluations: typed inputs and results", () => {
  it("gives back the models", () => {
    expectTypeOf<Success<ReturnType<Evaluations.EvaluationsService["answer"]>>>().toEqualTypeOf<Evaluation.EvaluationAnswer>()
    expectTypeOf<Success<ReturnType<Evaluations.EvaluationsService["results"]>>>().toEqualTypeOf<ReadonlyArray<Evaluation.SessionEvaluation>>()
    expectTypeOf<Success<ReturnType<Evaluations.EvaluationsService["recordVerdict"]>>>().toEqualTypeOf<Programme.Programme>()
    expectTypeOf<Success<ReturnType<Evaluations.EvaluationsService["defineIndicator"]>>>().toEqualTypeOf<Measure.Measure>()
  })
})
