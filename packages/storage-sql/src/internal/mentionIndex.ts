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

/**
 * The index's tables. On PostgreSQL one row per entity with its terms as a `text[]` under a GIN
 * index; on SQLite one row per entity (its `seq` the rowid) and a contentless FTS5 table of the
 * terms (`detail=none`: which rows hold a term, nothing more).
 *
 * @internal
 */
export const tables = { entities: "mention_entities", terms: "mention_terms" } as const

/**
 * A term as stored: a 53-bit hash of it in base 36 (cyrb53). The index holds no name or address
 * in clear, and every term is one plain token to either database; two terms with one hash only
 * make the selection larger, which the erasure's rule then narrows.
 */
export const hashOf = (term: string): string => {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < term.length; i++) {
    const c = term.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 2654435761)
    h2 = Math.imul(h2 ^ c, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return `h${(4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36)}`
}

const parse = (document: unknown): unknown => (typeof document === "string" ? JSON.parse(document) : document)

/** The index's writes and its selection. @internal */
export const make = (n: Names, client: SqlClient.SqlClient) => {
  const sql = client.withoutTransforms()
  const isPg = sql.onDialectOrElse({ pg: () => true, orElse: () => false })
  const entities = sql(n.table(tables.entities))
  const terms = sql(n.table(tables.terms))

  /** Replaces an entity's terms by those of its document (the JSON as stored) and person ids. `fresh`: a new entity. */
  const write = (
    entity: string,
    id: string,
    document: unknown,
    personIds: ReadonlyArray<string>,
    fresh: boolean
  ): Effect.Effect<void, SqlError.SqlError> =>
    Effect.suspend(() => {
      const hashes = [...new Set(PersonalData.indexTerms(parse(document), personIds).map(hashOf))]
      if (isPg) {
        return Effect.asVoid(sql`INSERT INTO ${entities} (entity, id, terms) VALUES (${entity}, ${id}, ${hashes}::text[])
          ON CONFLICT (id, entity) DO UPDATE SET terms = excluded.terms`)
      }
      return Effect.gen(function*() {
        const rows = yield* sql<{ readonly seq: unknown }>`INSERT INTO ${entities} (entity, id) VALUES (${entity}, ${id})
          ON CONFLICT (entity, id) DO UPDATE SET entity = excluded.entity RETURNING seq`
        const seq = Number(rows[0]!.seq)
        if (!fresh) yield* sql`DELETE FROM ${terms} WHERE rowid = ${seq}`
        yield* sql`INSERT INTO ${terms} (rowid, terms) VALUES (${seq}, ${hashes.join(" ")})`
      })
    })

  /**
   * The condition a `mentioning` query adds for an entity table: the rows that hold the person's
   * term, or every term of one of the mentions; `undefined` when a mention has no term (the
   * caller then reads the documents).
   */
  const clause = (entity: string, mentioning: NonNullable<Repository.Query["mentioning"]>): Statement.Fragment | undefined => {
    const wanted = PersonalData.mentionTerms(mentioning)
    if (wanted === undefined) return undefined
    const groups = [[wanted.person], ...wanted.texts].map((group) => [...new Set(group.map(hashOf))])
    if (isPg) {
      return sql`id IN (SELECT id FROM ${entities} WHERE entity = ${entity} AND (${
        sql.or(groups.map((group) => sql`terms @> ${group}::text[]`))
      }))`
    }
    const match = groups.map((group) => `(${group.map((h) => `"${h}"`).join(" AND ")})`).join(" OR ")
    return sql`id IN (SELECT id FROM ${entities} WHERE entity = ${entity} AND seq IN (SELECT rowid FROM ${terms} WHERE ${terms} MATCH ${match}))`
  }

  return { write, clause }
}

/**
 * Migration 0008: the tables, and the terms of every entity already stored (each entity table, as
 * migrations 0001 to 0005 made them).
 *
 * @internal
 */
export const migrate = (n: Names): Effect.Effect<void, unknown, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const isPg = sql.onDialectOrElse({ pg: () => true, orElse: () => false })
    const entities = sql(n.table(tables.entities))
    if (isPg) {
      yield* sql`CREATE TABLE ${entities} (
        entity text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        terms text[] NOT NULL,
        PRIMARY KEY (id, entity)
      )`
      // the key by id first: a selection by entity and terms then goes through the GIN index (by
      // entity it would read every row of the kind); a short pending list: a selection reads it whole
      yield* sql`CREATE INDEX ${sql(n.index(`${tables.entities}_terms_idx`))} ON ${entities} USING gin (terms) WITH (gin_pending_list_limit = 256)`
    } else {
      yield* sql`CREATE TABLE ${entities} (
        seq INTEGER PRIMARY KEY,
        entity TEXT NOT NULL,
        id TEXT NOT NULL,
        UNIQUE (entity, id)
      )`
      yield* sql.unsafe(`CREATE VIRTUAL TABLE "${n.table(tables.terms)}" USING fts5(terms, content='', contentless_delete=1, detail=none)`)
    }
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
