/**
 * The erasure's index in SQL (migration 0008): per entity, the terms of `PersonalData.indexTerms`
 * (the ids of the people its document describes, the words and pairs of words of its texts), kept
 * with the entity in the same transaction, so that a `mentioning` query (what
 * `PersonalData.erase` reads) finds its rows by index rather than by reading every document.
 *
 * @internal
 */
import { Effect } from "effect"
import type { SqlError, Statement } from "@effect/sql"
import { SqlClient } from "@effect/sql"
import { Entity, PersonalData } from "@copkit/core"
import type { Repository } from "@copkit/core"
import type { Names } from "./names.js"

/** The index's table: one row per entity table, entity id and term. @internal */
export const table = "mention_terms"

/** Rows per INSERT statement (3 parameters each: well below either database's limit). */
const rowsPerInsert = 300

/** Counting a term's rows stops here: past it, a term is as good as any other that common. */
const countCap = 5_000

const parse = (document: unknown): unknown => (typeof document === "string" ? JSON.parse(document) : document)

/** The index's writes and its selection. @internal */
export const make = (n: Names, client: SqlClient.SqlClient) => {
  const sql = client.withoutTransforms()
  const isPg = sql.onDialectOrElse({ pg: () => true, orElse: () => false })
  const t = sql(n.table(table))
  const values = (from: number, rows: number): string =>
    Array.from({ length: rows }, (_, r) => {
      const k = from + r * 3
      return isPg ? `($${k}, $${k + 1}, $${k + 2})` : "(?, ?, ?)"
    }).join(", ")
  const tableText = sql`${t}`.compile()[0]

  /**
   * Replaces an entity's rows by the terms of its document (the JSON as stored) and person ids.
   * `fresh`: a new entity, with no rows yet.
   */
  const write = (
    entity: string,
    id: string,
    document: unknown,
    personIds: ReadonlyArray<string>,
    fresh: boolean
  ): Effect.Effect<void, SqlError.SqlError> =>
    Effect.gen(function*() {
      const terms = PersonalData.indexTerms(parse(document), personIds)
      if (!fresh) yield* sql`DELETE FROM ${t} WHERE entity = ${entity} AND id = ${id}`
      for (let i = 0; i < terms.length; i += rowsPerInsert) {
        const chunk = terms.slice(i, i + rowsPerInsert)
        const params: Array<string> = []
        for (const term of chunk) params.push(entity, id, term)
        yield* sql.unsafe(`INSERT INTO ${tableText} (entity, id, term) VALUES ${values(1, chunk.length)}`, params)
      }
    })

  /** How many rows hold each term, up to {@link countCap}. */
  const counts = (terms: ReadonlyArray<string>): Effect.Effect<ReadonlyMap<string, number>, SqlError.SqlError> =>
    Effect.map(
      Effect.forEach(terms, (term) =>
        Effect.map(
          sql<{ readonly n: unknown }>`SELECT COUNT(*) AS n FROM (SELECT 1 FROM ${t} WHERE term = ${term} LIMIT ${countCap}) x`,
          (rows) => [term, Number(rows[0]?.n ?? 0)] as const
        )),
      (pairs) => new Map(pairs)
    )

  /**
   * The terms a `mentioning` query is looked up by: the person's, and each mention's rarest;
   * `undefined` when a mention has no term. Chosen once per query object (an erasure passes the
   * same one for every kind and page, so its pages are pages of one selection).
   */
  const chosen = new WeakMap<object, ReadonlyArray<string> | undefined>()
  const lookup = (mentioning: NonNullable<Repository.Query["mentioning"]>): Effect.Effect<ReadonlyArray<string> | undefined, SqlError.SqlError> =>
    Effect.suspend(() => {
      if (chosen.has(mentioning)) return Effect.succeed(chosen.get(mentioning))
      const wanted = PersonalData.mentionTerms(mentioning)
      if (wanted === undefined) {
        chosen.set(mentioning, undefined)
        return Effect.succeed(undefined)
      }
      const all = [...new Set(wanted.texts.flatMap((terms) => terms.length > 1 ? terms : []))]
      return Effect.map(all.length === 0 ? Effect.succeed(new Map<string, number>()) : counts(all), (count) => {
        const terms = new Set<string>([wanted.person])
        for (const options of wanted.texts) {
          let best = options[0]!
          for (const term of options) if ((count.get(term) ?? 0) < (count.get(best) ?? 0)) best = term
          terms.add(best)
        }
        const out = [...terms]
        chosen.set(mentioning, out)
        return out
      })
    })

  /**
   * The condition a `mentioning` query adds for an entity table, or `undefined` when the index
   * cannot select (the caller then reads the documents).
   */
  const clause = (
    entity: string,
    mentioning: NonNullable<Repository.Query["mentioning"]>
  ): Effect.Effect<Statement.Fragment | undefined, SqlError.SqlError> =>
    Effect.map(lookup(mentioning), (terms) =>
      terms === undefined
        ? undefined
        : sql`id IN (SELECT id FROM ${t} WHERE entity = ${entity} AND term IN ${sql.in(terms)})`)

  return { write, clause }
}

/**
 * Migration 0008: the table, its index by term, and the rows of every entity already stored
 * (each entity table, as migrations 0001 to 0005 made them).
 *
 * @internal
 */
export const migrate = (n: Names): Effect.Effect<void, unknown, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const isPg = sql.onDialectOrElse({ pg: () => true, orElse: () => false })
    const id = sql.literal(isPg ? "text COLLATE \"C\"" : "TEXT")
    yield* sql`CREATE TABLE ${sql(n.table(table))} (
      entity ${id} NOT NULL,
      id ${id} NOT NULL,
      term ${id} NOT NULL,
      PRIMARY KEY (entity, id, term)
    )${sql.literal(isPg ? "" : " WITHOUT ROWID")}`
    yield* sql`CREATE INDEX ${sql(n.index(`${table}_term_idx`))} ON ${sql(n.table(table))} (term, entity, id)`
    const index = make(n, sql)
    for (const kind of Entity.kinds) {
      const rows = yield* sql<{ readonly id: string; readonly person_ids: unknown; readonly document: unknown }>`SELECT id, person_ids, ${
        sql.literal(isPg ? "document::text AS document" : "document")
      } FROM ${sql(n.table(kind.table))} ORDER BY id`
      for (const row of rows) {
        const personIds = parse(row.person_ids)
        yield* index.write(kind.table, row.id, row.document, Array.isArray(personIds) ? personIds.map(String) : [], true)
      }
    }
  })
