/**
 * The sessions' summaries (`Summary.Summaries`) in the SQL store: computed from the documents
 * inside the database, and kept beside each session as it is saved (the `summary` column,
 * migration 0008), so that a fresh process reads them without having each document parsed again.
 *
 * @internal
 */
import { Effect } from "effect"
import { SqlClient } from "@effect/sql"
import { Common, Summary } from "@copkit/core"
import type { Session } from "@copkit/core"
import type { Names } from "./names.js"

/** A summary with the version of the session it summarises. @internal */
export interface Versioned {
  readonly version: number
  readonly summary: Summary.SessionSummary
}

/**
 * One row per session and element of its `programmeIds` (in its order), with what
 * `Summary.sessionSummary` reads, the attendance counted as `Report.sessionAttendance` counts
 * it (held sessions only), from the document inside the database: no document leaves it.
 * `column IN (count placeholders)` selects the sessions.
 *
 * @internal
 */
export const summaryText = (options: {
  readonly isPg: boolean
  readonly sessionsTable: string
  readonly placeholders: (from: number, count: number) => string
}, column: "id" | "state", count: number): string => {
  const { isPg, placeholders, sessionsTable } = options
  const filter = `${isPg ? "" : "s."}${column} IN (${placeholders(1, count)})`
  return isPg
    ? `WITH s AS MATERIALIZED (SELECT id, version, state, date, document::jsonb AS d FROM ${sessionsTable} WHERE ${filter})
      SELECT s.id, s.version, s.state, s.date, s.d ->> 'timeZone' AS time_zone, p.value AS programme_id,
        CASE WHEN s.state <> 'Held' THEN NULL
          WHEN jsonb_array_length(s.d -> 'programmeIds') = 1 THEN (SELECT COUNT(*) FROM jsonb_array_elements(s.d -> 'invitations') i)
          ELSE (SELECT COUNT(*) FROM jsonb_array_elements(s.d -> 'invitations') i WHERE i ->> 'programmeId' = p.value) END AS invited,
        CASE WHEN s.state <> 'Held' THEN NULL
          WHEN jsonb_array_length(s.d -> 'programmeIds') = 1
            THEN (SELECT COUNT(*) FROM jsonb_array_elements(s.d -> 'attendance') a WHERE a -> 'present' = 'true'::jsonb)
          ELSE (SELECT COUNT(*) FROM jsonb_array_elements(s.d -> 'attendance') a WHERE a -> 'present' = 'true'::jsonb
            AND EXISTS (SELECT 1 FROM jsonb_array_elements(s.d -> 'invitations') i
              WHERE i ->> 'programmeId' = p.value AND i ->> 'personId' = a ->> 'personId')) END AS present
      FROM s CROSS JOIN LATERAL jsonb_array_elements_text(s.d -> 'programmeIds') WITH ORDINALITY AS p(value, ord)
      ORDER BY s.id, p.ord`
    : `SELECT s.id, s.version, s.state, s.date, json_extract(s.document, '$.timeZone') AS time_zone, p.value AS programme_id,
        CASE WHEN s.state <> 'Held' THEN NULL
          WHEN json_array_length(s.document, '$.programmeIds') = 1 THEN (SELECT COUNT(*) FROM json_each(s.document, '$.invitations') i)
          ELSE (SELECT COUNT(*) FROM json_each(s.document, '$.invitations') i WHERE i.value ->> '$.programmeId' = p.value) END AS invited,
        CASE WHEN s.state <> 'Held' THEN NULL
          WHEN json_array_length(s.document, '$.programmeIds') = 1
            THEN (SELECT COUNT(*) FROM json_each(s.document, '$.attendance') a WHERE json_type(a.value, '$.present') = 'true')
          ELSE (SELECT COUNT(*) FROM json_each(s.document, '$.attendance') a WHERE json_type(a.value, '$.present') = 'true'
            AND EXISTS (SELECT 1 FROM json_each(s.document, '$.invitations') i
              WHERE i.value ->> '$.programmeId' = p.value AND i.value ->> '$.personId' = a.value ->> '$.personId')) END AS present
      FROM ${sessionsTable} s, json_each(s.document, '$.programmeIds') p
      WHERE ${filter}
      ORDER BY s.id, p.key`
}

/** A row of {@link summaryText}. @internal */
export interface SummaryRow {
  readonly id: unknown
  readonly version: unknown
  readonly state: unknown
  readonly date: unknown
  readonly time_zone: unknown
  readonly programme_id: unknown
  readonly invited: unknown
  readonly present: unknown
}

/** The summaries of the rows (ordered by id, then programme), with their versions. @internal */
export const summariesOf = (rows: ReadonlyArray<SummaryRow>): Map<string, Versioned> => {
  const out = new Map<string, Versioned>()
  let current: { id: string; version: number; state: string; start: Date | undefined; timeZone: string; programmeIds: Array<string>; attendance: Array<Summary.ProgrammeAttendance> } | undefined
  const flush = () => {
    if (current === undefined) return
    out.set(current.id, {
      version: current.version,
      summary: {
        id: current.id,
        state: current.state,
        programmeIds: current.programmeIds,
        start: current.start,
        timeZone: current.timeZone,
        attendance: current.attendance
      } as unknown as Summary.SessionSummary
    })
  }
  for (const row of rows) {
    const id = String(row.id)
    if (current?.id !== id) {
      flush()
      current = {
        id,
        version: Number(row.version),
        state: String(row.state),
        start: row.date === null || row.date === undefined ? undefined : new Date(row.date instanceof Date ? row.date.getTime() : String(row.date)),
        timeZone: row.time_zone === null || row.time_zone === undefined ? Common.defaultTimeZone : String(row.time_zone),
        programmeIds: [],
        attendance: []
      }
    }
    current.programmeIds.push(String(row.programme_id))
    if (current.state === "Held") {
      current.attendance.push({
        programmeId: String(row.programme_id) as Summary.ProgrammeAttendance["programmeId"],
        invited: Number(row.invited ?? 0),
        present: Number(row.present ?? 0)
      })
    }
  }
  flush()
  return out
}

/**
 * The `summary` column of a session saved at `version`: its summary (`Summary.sessionSummary`, the
 * pure rule) as JSON, with that version. A few hundred bytes beside a document of kilobytes.
 *
 * @internal
 */
export const stored = (session: Session.Session, version: number): string => storedSummary(Summary.sessionSummary(session), version)

/** {@link stored} from the summary. @internal */
export const storedSummary = (summary: Summary.SessionSummary, version: number): string =>
  JSON.stringify({
    version,
    id: summary.id,
    state: summary.state,
    programmeIds: summary.programmeIds,
    start: summary.start?.toISOString(),
    timeZone: summary.timeZone,
    attendance: summary.attendance.map((a) => [a.programmeId, a.invited, a.present])
  })

/**
 * The summary in a `summary` column when it is that of the row's version; else (none, written
 * before migration 0008 by a process that did not keep it, or not parsable) undefined: the
 * caller computes it from the document.
 *
 * @internal
 */
export const fromStored = (column: unknown, version: number): Summary.SessionSummary | undefined => {
  if (typeof column !== "string") return undefined
  let parsed: {
    readonly version?: unknown
    readonly id: string
    readonly state: string
    readonly programmeIds: ReadonlyArray<string>
    readonly start?: string
    readonly timeZone: string
    readonly attendance: ReadonlyArray<readonly [string, number, number]>
  }
  try {
    parsed = JSON.parse(column)
  } catch {
    return undefined
  }
  if (parsed === null || typeof parsed !== "object" || parsed.version !== version) return undefined
  return {
    id: parsed.id,
    state: parsed.state,
    programmeIds: parsed.programmeIds,
    start: parsed.start === undefined ? undefined : new Date(parsed.start),
    timeZone: parsed.timeZone,
    attendance: parsed.attendance.map(([programmeId, invited, present]) => ({ programmeId, invited, present }))
  } as unknown as Summary.SessionSummary
}

/**
 * Migration 0008: the `summary` column of the sessions, filled for the sessions already stored
 * (from their documents, {@link summaryText}), 500 at a time.
 *
 * @internal
 */
export const migrate = (n: Names): Effect.Effect<void, unknown, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const isPg = sql.onDialectOrElse({ pg: () => true, orElse: () => false })
    const table = sql(n.table("sessions"))
    const sessionsTable = sql`${table}`.compile()[0]
    const placeholders = (from: number, count: number): string =>
      Array.from({ length: count }, (_, k) => (isPg ? `$${from + k}` : "?")).join(", ")
    yield* sql`ALTER TABLE ${table} ADD COLUMN summary ${sql.literal(isPg ? "text" : "TEXT")}`
    // SQLite keeps a row's columns in order, the document first: reaching the summary (or even
    // the version) of a session reads its pages of document. An index that holds what the
    // overview lists is read instead (PostgreSQL keeps large documents apart: its rows are small).
    if (!isPg) {
      yield* sql`CREATE INDEX ${sql(n.index("sessions_summary_idx"))} ON ${table} (state, id, version, summary)`
    }
    const ids = (yield* sql<{ readonly id: unknown }>`SELECT id FROM ${table} ORDER BY id`).map((row) => String(row.id))
    for (let from = 0; from < ids.length; from += 500) {
      const chunk = ids.slice(from, from + 500)
      const rows = yield* sql.unsafe<SummaryRow>(summaryText({ isPg, sessionsTable, placeholders }, "id", chunk.length), chunk)
      for (const [id, entry] of summariesOf(rows)) {
        yield* sql`UPDATE ${table} SET summary = ${storedSummary(entry.summary, entry.version)} WHERE id = ${id} AND version = ${entry.version}`
      }
    }
  })
