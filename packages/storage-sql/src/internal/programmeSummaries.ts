/**
 * The programmes' summaries (`Summary.programmeSummary`) kept beside them as they are saved (the
 * `summary` column, migration 0008): the overview's first read in a process takes them rather
 * than decoding every programme's document.
 *
 * @internal
 */
import { Effect, Either, Schema } from "effect"
import { SqlClient } from "@effect/sql"
import { Programme, Summary } from "@copkit/core"
import type { Names } from "./names.js"

/** The `summary` column of a programme saved at `version`: its summary as JSON, with that version. @internal */
export const stored = (programme: Programme.Programme, version: number): string => storedSummary(Summary.programmeSummary(programme), version)

/** {@link stored} from the summary. @internal */
export const storedSummary = (summary: Summary.ProgrammeSummary, version: number): string => JSON.stringify({ version, summary })

const decodeQuestions = Schema.decodeUnknownEither(Schema.Array(Programme.EvaluationQuestion))

/**
 * The summary in a `summary` column when it is that of the row's version; else undefined (the
 * caller decodes the document). It was written from the very value that was saved, which had
 * been checked then: only its dates and evaluation questions are made values again.
 *
 * @internal
 */
export const fromStored = (column: unknown, version: number): Summary.ProgrammeSummary | undefined => {
  if (typeof column !== "string") return undefined
  let parsed: { readonly version?: unknown; readonly summary?: Record<string, unknown> }
  try {
    parsed = JSON.parse(column)
  } catch {
    return undefined
  }
  if (parsed === null || typeof parsed !== "object" || parsed.version !== version || typeof parsed.summary !== "object") return undefined
  const { createdAt, evaluationQuestions, ...rest } = parsed.summary
  const createdOn = new Date(String(createdAt))
  if (Number.isNaN(createdOn.getTime())) return undefined
  if (evaluationQuestions === undefined) return { ...rest, createdAt: createdOn } as unknown as Summary.ProgrammeSummary
  const questions = decodeQuestions(evaluationQuestions)
  return Either.isLeft(questions)
    ? undefined
    : { ...rest, evaluationQuestions: questions.right, createdAt: createdOn } as unknown as Summary.ProgrammeSummary
}

const decodeSummary = Schema.decodeUnknownEither(Summary.ProgrammeSummary)

/**
 * Migration 0008: the `summary` column of the programmes, filled for those already stored (a
 * document that does not decode is left without one: its read fails as before).
 *
 * @internal
 */
export const migrate = (n: Names): Effect.Effect<void, unknown, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const isPg = sql.onDialectOrElse({ pg: () => true, orElse: () => false })
    const table = sql(n.table("programmes"))
    yield* sql`ALTER TABLE ${table} ADD COLUMN summary ${sql.literal(isPg ? "text" : "TEXT")}`
    const rows = yield* sql<{ readonly id: unknown; readonly version: unknown; readonly document: unknown }>`SELECT id, version, ${
      sql.literal(isPg ? "document::text AS document" : "document")
    } FROM ${table}`
    for (const row of rows) {
      const summary = decodeSummary(JSON.parse(String(row.document)))
      if (Either.isLeft(summary)) continue
      yield* sql`UPDATE ${table} SET summary = ${storedSummary(summary.right, Number(row.version))} WHERE id = ${String(row.id)} AND version = ${Number(row.version)}`
    }
  })
