/**
 * Session evaluations: after a session is held, each attendee may answer a short evaluation (the
 * programme's questions: scores from 1 to 5 and open questions, in Dutch and English). One answer
 * per person per session: a second one is refused (rule `evaluation-once`), so that an answer, once
 * given, is never rewritten and a result never moves by one person changing their mind. Only
 * people recorded as present at a held session may answer (rule `evaluation-attendee`).
 *
 * Results are shown only in aggregate ({@link aggregate}): the number of answers always, a
 * question's average only once at least `evaluation.minAnswers` (default 5) people scored it, and
 * the open answers only once at least that many gave one, unattributed and sorted; results grow in
 * whole batches of that minimum, so that no single answer can be traced back, not even by
 * comparing the results before and after it. The pure rules are here; the service is `Evaluations`.
 *
 * @since 0.3.0
 */
import { Class } from "./internal/schemaClass.js"
import { Either, Schema } from "effect"
import type { Transitioned } from "./Command.js"
import { Instant, Text } from "./Common.js"
import { RuleViolation } from "./Errors.js"
import type { ValidationError } from "./Errors.js"
import { PersonId, ProgrammeId, RegionId, SessionId } from "./Ids.js"
import type { Programme } from "./ProgrammeModel.js"
import { EvaluationQuestion, QuestionKey } from "./ProgrammeModel.js"
import type { Session } from "./Session.js"
import { invalid } from "./Validation.js"

export {
  /** One question of a session's evaluation, in Dutch and English. */
  EvaluationQuestion,
  /** The key of an evaluation question. */
  QuestionKey
} from "./ProgrammeModel.js"

/** A score: a whole number from 1 to 5. @category models */
export const Score = Schema.Int.pipe(Schema.between(1, 5))

/** An open answer: at most 2,000 characters. @category models */
export const OpenAnswer = Text(2000)

/** The id of an evaluation answer: derived from the session and the person, so that there is one per person per session. @category models */
export const EvaluationId = Schema.String.pipe(Schema.pattern(/^evl_[0-9a-f]{28}$/), Schema.brand("EvaluationId"))
/** @category models */
export type EvaluationId = typeof EvaluationId.Type

/** `Answered`, or `Erased` when the person's personal data was erased (scores and open answers gone). @category models */
export const AnswerState = Schema.Literal("Answered", "Erased")

/** One person's evaluation of one session. Personal data: exported and erased with the person. @category models */
export class EvaluationAnswer extends Class<EvaluationAnswer>("EvaluationAnswer")({
  id: EvaluationId,
  sessionId: SessionId,
  /** The programme whose questions were answered (the attendee's own, for a cross-regional session). */
  programmeId: ProgrammeId,
  regionId: RegionId,
  personId: PersonId,
  state: AnswerState,
  scores: Schema.Array(Schema.Struct({ key: QuestionKey, score: Score })),
  openAnswers: Schema.Array(Schema.Struct({ key: QuestionKey, text: OpenAnswer })),
  answeredAt: Instant
}) {}

/** Session evaluations. @category models */
export interface EvaluationSettings {
  /** The fewest answers from which a result (an average, the open answers) is shown. */
  readonly minAnswers: number
  /** Whether the attendees of a held session get an evaluation request (by e-mail). */
  readonly requestAfterSession: boolean
  /** The link to the evaluation form in the host application, `{sessionId}` replaced by the session's id (none by default). */
  readonly answerUrl?: string | undefined
  /** The questions of a programme that has set none. */
  readonly defaultQuestions: ReadonlyArray<EvaluationQuestion>
}

/** The default questions: three scores (value, use in practice, network) and one open question. @category constants */
export const defaultQuestions: ReadonlyArray<EvaluationQuestion> = [
  new EvaluationQuestion({
    key: "value",
    kind: "Scale",
    text: { nl: "Hoe waardevol was deze bijeenkomst voor je werk?", en: "How valuable was this session for your work?" }
  }),
  new EvaluationQuestion({
    key: "practice",
    kind: "Scale",
    text: { nl: "Hoe goed kun je het geleerde in de praktijk brengen?", en: "How well can you put what you learned into practice?" }
  }),
  new EvaluationQuestion({
    key: "network",
    kind: "Scale",
    text: { nl: "Hoeveel heeft de bijeenkomst je netwerk in de regio versterkt?", en: "How much did the session strengthen your network in the region?" }
  }),
  new EvaluationQuestion({
    key: "remarks",
    kind: "Open",
    text: { nl: "Wat neem je mee, en wat kan beter?", en: "What do you take away, and what could be better?" }
  })
]

/** The defaults: results from 5 answers, a request after every held session, the default questions. @category constants */
export const defaultEvaluationSettings: EvaluationSettings = {
  minAnswers: 5,
  requestAfterSession: true,
  defaultQuestions
}

/**
 * A programme's questions as a list: 1 to 12 questions with distinct keys. What
 * `Evaluations.setQuestions` takes.
 *
 * @category models
 */
export const Questions = Schema.Array(EvaluationQuestion).pipe(
  Schema.minItems(1),
  Schema.maxItems(12),
  Schema.filter((qs) => new Set(qs.map((q) => q.key)).size === qs.length || "every question has its own key", {
    identifier: "UniqueKeys"
  })
)

/** The questions a programme's evaluations ask: its own, or the settings' defaults. @category rules */
export const questionsOf = (
  programme: Pick<Programme, "evaluationQuestions">,
  settings: Pick<EvaluationSettings, "defaultQuestions">
): ReadonlyArray<EvaluationQuestion> => programme.evaluationQuestions ?? settings.defaultQuestions

// ---------------------------------------------------------------------------------------------
// The id, one per person per session
// ---------------------------------------------------------------------------------------------

/** A 53-bit string hash (cyrb53), as 14 hex digits. */
const hash53 = (text: string, seed: number): string => {
  let h1 = 0xdeadbeef ^ seed
  let h2 = 0x41c6ce57 ^ seed
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 2654435761)
    h2 = Math.imul(h2 ^ c, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, "0")
}

/**
 * The id of a person's answer to a session: the same for every attempt, so that storage keeps one
 * (a second save of a new entity with that id fails, even from two instances at once).
 *
 * @category rules
 */
export const evaluationIdOf = (sessionId: string, personId: string): EvaluationId => {
  const key = `${sessionId}\u0000${personId}`
  return `evl_${hash53(key, 1)}${hash53(key, 2)}` as EvaluationId
}

// ---------------------------------------------------------------------------------------------
// Answering
// ---------------------------------------------------------------------------------------------

/** An answer as decoded: scores and open answers by question key. @category models */
export interface AnswerFields {
  readonly scores: Readonly<Record<string, number>>
  readonly openAnswers: Readonly<Record<string, string>>
}

/** Whether the person was recorded as present at the held session. @category rules */
export const attended = (session: Session, personId: string): boolean =>
  session.state === "Held" && session.attendance.some((a) => a.personId === personId && a.present)

/**
 * The programme whose questions a person answers for a session: the programme of their
 * invitation (a cross-regional session invites people of several programmes).
 *
 * @category rules
 */
export const programmeOfAttendee = (session: Session, personId: string): ProgrammeId | undefined =>
  session.invitations.find((i) => i.personId === personId)?.programmeId ??
    (session.programmeIds.length === 1 ? session.programmeIds[0] : undefined)

/**
 * Checks an answer against the questions: every key is a question's, a score answers a `Scale`
 * question and a text an `Open` one, and at least one question is answered. A `ValidationError`
 * naming the field (`scores.<key>`, `openAnswers.<key>`) and the rule (`questionKnown`,
 * `questionKind`, `nonEmpty`).
 *
 * @category rules
 */
export const checkAnswer = (
  questions: ReadonlyArray<EvaluationQuestion>,
  fields: AnswerFields
): Either.Either<void, ValidationError> => {
  const byKey = new Map(questions.map((q) => [q.key, q]))
  for (const [field, kind, record] of [["scores", "Scale", fields.scores], ["openAnswers", "Open", fields.openAnswers]] as const) {
    for (const key of Object.keys(record)) {
      const q = byKey.get(key)
      if (q === undefined) return Either.left(invalid(`${field}.${key}`, "questionKnown", `is not a question of this evaluation (${[...byKey.keys()].join(", ")})`))
      if (q.kind !== kind) return Either.left(invalid(`${field}.${key}`, "questionKind", `is a question of kind ${q.kind}`))
    }
  }
  const openGiven = Object.values(fields.openAnswers).some((t) => t.trim() !== "")
  if (Object.keys(fields.scores).length === 0 && !openGiven) {
    return Either.left(invalid("scores", "nonEmpty", "answer at least one question"))
  }
  return Either.void
}

/**
 * Records a person's answer to a held session they attended (rule `evaluation-attendee`), with its
 * `EvaluationAnswered` event. The input is checked first ({@link checkAnswer}). The event names
 * no score: what was answered stays in the answer, which an erasure clears.
 *
 * @category rules
 */
export const answer = (
  session: Session,
  programme: Pick<Programme, "id" | "regionId" | "evaluationQuestions">,
  personId: PersonId,
  fields: AnswerFields,
  settings: Pick<EvaluationSettings, "defaultQuestions">,
  now: Date
): Either.Either<Transitioned<EvaluationAnswer>, ValidationError | RuleViolation> =>
  Either.flatMap(checkAnswer(questionsOf(programme, settings), fields), () => {
    if (!attended(session, personId)) {
      return Either.left(
        new RuleViolation({
          rule: "evaluation-attendee",
          message: session.state === "Held"
            ? `Only the people recorded as present at session ${session.id} may evaluate it.`
            : `Session ${session.id} is ${session.state}: it is evaluated once it is held, by those who were there.`,
          details: []
        })
      )
    }
    const id = evaluationIdOf(session.id, personId)
    const value = new EvaluationAnswer({
      id,
      sessionId: session.id,
      programmeId: programme.id,
      regionId: programme.regionId,
      personId,
      state: "Answered",
      scores: Object.entries(fields.scores).map(([key, score]) => ({ key, score })),
      openAnswers: Object.entries(fields.openAnswers).filter(([, text]) => text.trim() !== "").map(([key, text]) => ({ key, text: text.trim() })),
      answeredAt: now
    })
    return Either.right({
      value,
      events: [{ _tag: "EvaluationAnswered", evaluationId: id, sessionId: session.id, programmeId: programme.id }]
    })
  })

/** The refusal of a second answer by the same person to the same session. @category constructors */
export const answeredOnce = (sessionId: string): RuleViolation =>
  new RuleViolation({
    rule: "evaluation-once",
    message: `You have already evaluated session ${sessionId}: an evaluation is given once.`,
    details: []
  })

/**
 * What an erasure leaves of an answer by one of the erased people: the ids alone, marked `Erased`,
 * without scores or open answers (it no longer counts in any result). Other answers are unchanged.
 *
 * @category rules
 */
export const erase = (answer: EvaluationAnswer, personIds: ReadonlySet<string>): EvaluationAnswer =>
  personIds.has(answer.personId) && answer.state !== "Erased"
    ? new EvaluationAnswer({ ...answer, state: "Erased", scores: [], openAnswers: [] })
    : answer

// ---------------------------------------------------------------------------------------------
// Results: only in aggregate
// ---------------------------------------------------------------------------------------------

/** One question's result. `average` and `answers` are left out below the minimum. @category models */
export interface QuestionResult {
  readonly key: string
  readonly kind: "Scale" | "Open"
  readonly text: { readonly nl: string; readonly en: string }
  /** How many scores (or open answers) the result counts: a multiple of the minimum; left out below it. */
  readonly count?: number | undefined
  /** The average score, to one decimal (Scale questions at or above the minimum). */
  readonly average?: number | undefined
  /** The open answers, sorted, unattributed (Open questions at or above the minimum). */
  readonly openAnswers?: ReadonlyArray<string> | undefined
}

/** A session's evaluation for one programme, in aggregate. @category models */
export interface SessionEvaluation {
  readonly sessionId: string
  readonly programmeId: string
  /** How many people answered. */
  readonly answers: number
  /** The minimum from which results are shown. */
  readonly minAnswers: number
  /** Whether any result is shown (at least `minAnswers` answers). */
  readonly shown: boolean
  readonly questions: ReadonlyArray<QuestionResult>
}

const round1 = (n: number): number => Math.round(n * 10) / 10

/** The largest multiple of `size` that is at most `n`: how many of `n` values a result counts. */
const wholeBatches = (n: number, size: number): number => Math.floor(n / size) * size

/**
 * A session's evaluation in aggregate, from the answers of one programme's attendees: below
 * `minAnswers` answers only their number; a question's average or open answers only once at least
 * `minAnswers` people gave one (open answers sorted, so their order tells nothing). Erased answers
 * and answers of other sessions or programmes do not count. A pure function.
 *
 * Results grow in whole batches of `minAnswers`: a question's average counts the first 5, 10,
 * 15, ... scores (by the time they were given) and leaves the rest waiting for a full batch, and so
 * do the open answers. One more answer therefore never changes a shown result on its own: comparing
 * the results before and after it tells nothing about what that person answered.
 *
 * @category rules
 */
export const aggregate = (
  sessionId: string,
  programmeId: string,
  questions: ReadonlyArray<EvaluationQuestion>,
  answers: ReadonlyArray<EvaluationAnswer>,
  minAnswers: number
): SessionEvaluation => {
  const own = answers
    .filter((a) => a.sessionId === sessionId && a.programmeId === programmeId && a.state === "Answered")
    .sort((a, b) => a.answeredAt.getTime() - b.answeredAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const min = Math.max(1, Math.floor(minAnswers))
  const shown = own.length >= min
  return {
    sessionId,
    programmeId,
    answers: own.length,
    minAnswers: min,
    shown,
    questions: questions.map((q) => {
      const base = { key: q.key, kind: q.kind, text: { nl: q.text.nl, en: q.text.en } }
      if (!shown) return base
      if (q.kind === "Scale") {
        const all = own.flatMap((a) => a.scores.filter((s) => s.key === q.key).map((s) => s.score))
        const scores = all.slice(0, wholeBatches(all.length, min))
        return scores.length === 0
          ? base
          : { ...base, count: scores.length, average: round1(scores.reduce((x, y) => x + y, 0) / scores.length) }
      }
      const all = own.flatMap((a) => a.openAnswers.filter((o) => o.key === q.key).map((o) => o.text))
      const texts = all.slice(0, wholeBatches(all.length, min))
      return texts.length === 0 ? base : { ...base, count: texts.length, openAnswers: [...texts].sort((a, b) => a.localeCompare(b, "nl")) }
    })
  }
}

/** The average of a session's shown Scale averages, or `undefined` when none is shown. @category rules */
export const overallAverage = (evaluation: SessionEvaluation): number | undefined => {
  const averages = evaluation.questions.flatMap((q) => (q.average === undefined ? [] : [q.average]))
  return averages.length === 0 ? undefined : round1(averages.reduce((x, y) => x + y, 0) / averages.length)
}
