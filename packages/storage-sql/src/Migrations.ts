/**
 * The numbered migrations of the SQL store. Each entry is released once and never edited; a change
 * of the tables is a new entry. They run with `Migrator.fromRecord` from `@effect/sql`, recorded in
 * the table `<prefix>migrations`.
 *
 * @since 0.1.0
 */
import { Effect, Either } from "effect"
import { Migrator, SqlClient } from "@effect/sql"
import type { StorageError } from "@copkit/core"
import { storageError } from "./internal/errors.js"
import type { Names } from "./internal/names.js"
import * as names from "./internal/names.js"
import * as searchSql from "./internal/searchSql.js"
import * as programmeSummaries from "./internal/programmeSummaries.js"
import * as sessionSummaries from "./internal/sessionSummaries.js"

/** Where the tables live. @category models */
export interface Options {
  /** Put before every table name; letters, digits and `_`. Default `copkit_`. */
  readonly prefix?: string | undefined
  /** PostgreSQL only: the schema that holds the tables (created if missing). Default: the search path. */
  readonly schema?: string | undefined
}

/** The entity tables of the first release, one per entity kind (`EntityKind.table`). @category constants */
export const entityTables: ReadonlyArray<string> = [
  "applications",
  "programmes",
  "sessions",
  "enrolments",
  "insights",
  "agreements",
  "measures"
]

/** Column types per dialect: PostgreSQL types, or SQLite's. @internal */
const types = (sql: SqlClient.SqlClient) =>
  sql.onDialectOrElse({
    pg: () => ({
      id: "text COLLATE \"C\"",
      ids: "jsonb",
      time: "timestamptz",
      document: "json",
      big: "bigint",
      int: "integer",
      text: "text"
    }),
    orElse: () => ({
      id: "TEXT",
      ids: "TEXT",
      time: "TEXT",
      document: "TEXT",
      big: "INTEGER",
      int: "INTEGER",
      text: "TEXT"
    })
  })

/** Creates the table of one entity kind with its indexes. Later migrations use it for new kinds. @category migrations */
export const createEntityTable = (n: Names, table: string): Effect.Effect<void, unknown, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const t = types(sql)
    const name = sql(n.table(table))
    yield* sql`CREATE TABLE ${name} (
      id ${sql.literal(t.id)} PRIMARY KEY NOT NULL,
      version ${sql.literal(t.int)} NOT NULL,
      state ${sql.literal(t.text)} NOT NULL,
      region_ids ${sql.literal(t.ids)} NOT NULL,
      programme_ids ${sql.literal(t.ids)} NOT NULL,
      person_ids ${sql.literal(t.ids)} NOT NULL,
      date ${sql.literal(t.time)},
      created_at ${sql.literal(t.time)} NOT NULL,
      updated_at ${sql.literal(t.time)} NOT NULL,
      document ${sql.literal(t.document)} NOT NULL
    )`
    yield* sql`CREATE INDEX ${sql(n.index(`${table}_state_idx`))} ON ${name} (state)`
    yield* sql`CREATE INDEX ${sql(n.index(`${table}_date_idx`))} ON ${name} (date)`
    yield* sql.onDialectOrElse({
      pg: () =>
        Effect.forEach(["region_ids", "programme_ids", "person_ids"], (column) =>
          sql`CREATE INDEX ${sql(n.index(`${table}_${column}_idx`))} ON ${name} USING gin (${sql(column)} jsonb_path_ops)`, { discard: true }),
      orElse: () => Effect.void
    })
  })

/**
 * SQLite only: the indexes that let a list by region or programme find its rows without reading
 * every row's JSON array: one on the array's first id (most entities belong to one region and one
 * programme) and one on its length (the few that belong to several). The store's region and
 * programme filters are written so that SQLite can use both (`first = ? OR (length > 1 AND ...)`).
 * And one on the person ids (migration 0009): the rows that name a person are found in it.
 * Migrations 0006 and 0009 add them to every entity table; a later migration that creates an entity table
 * adds them with this function. Nothing on PostgreSQL (its GIN indexes serve those filters).
 *
 * @category migrations
 */
export const createScaleIndexes = (n: Names, table: string): Effect.Effect<void, unknown, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql.onDialectOrElse({
      pg: () => Effect.void,
      orElse: () =>
        Effect.forEach(["region_ids", "programme_ids"], (column) =>
          Effect.zipRight(
            sql`CREATE INDEX IF NOT EXISTS ${sql(n.index(`${table}_${column}_first_idx`))} ON ${sql(n.table(table))} (json_extract(${sql(column)}, '$[0]'))`,
            sql`CREATE INDEX IF NOT EXISTS ${sql(n.index(`${table}_${column}_count_idx`))} ON ${sql(n.table(table))} (json_array_length(${sql(column)}))`
          ), { discard: true }).pipe(
            // the rows that name a person (an erasure, a person's export) found in the index of
            // the few ids each row names, not by reading every row (migration 0009)
            Effect.zipRight(sql`CREATE INDEX IF NOT EXISTS ${sql(n.index(`${table}_person_ids_idx`))} ON ${sql(n.table(table))} (person_ids)`)
          )
    })
  })

/** SQLite: {@link createScaleIndexes} on every entity table there is, whichever migration made it. */
const scaleIndexesEverywhere = (n: Names): Effect.Effect<void, unknown, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql.onDialectOrElse({
      pg: () => Effect.void,
      orElse: () =>
        Effect.gen(function*() {
          const tables = yield* sql<{ readonly name: string }>`SELECT name FROM sqlite_master
            WHERE type = 'table' AND sql LIKE '%programme_ids%' AND sql LIKE '%person_ids%' ORDER BY name`
          for (const { name } of tables) {
            if (!name.startsWith(n.prefix)) continue
            yield* createScaleIndexes(n, name.slice(n.prefix.length))
          }
        })
    })
  })

/** The migrations, numbered, for the given table names. @category migrations */
export const migrations = (n: Names): Record<string, Effect.Effect<void, unknown, SqlClient.SqlClient>> => ({
  "0001_create_tables": Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const t = types(sql)
    const lit = sql.literal
    yield* Effect.forEach(entityTables, (table) => createEntityTable(n, table), { discard: true })

    const events = sql(n.table("events"))
    yield* sql`CREATE TABLE ${events} (
      position ${lit(t.big)} PRIMARY KEY NOT NULL,
      id ${lit(t.id)} NOT NULL UNIQUE,
      type ${lit(t.text)} NOT NULL,
      entity ${lit(t.text)} NOT NULL,
      entity_id ${lit(t.id)} NOT NULL,
      entity_version ${lit(t.int)} NOT NULL,
      region_ids ${lit(t.ids)} NOT NULL,
      occurred_at ${lit(t.time)} NOT NULL,
      document ${lit(t.document)} NOT NULL,
      done ${lit(t.int)} NOT NULL DEFAULT 0,
      claim_token ${lit(t.text)},
      lease_until ${lit(t.big)},
      not_before ${lit(t.big)},
      claims ${lit(t.int)} NOT NULL DEFAULT 0
    )`
    yield* sql`CREATE INDEX ${sql(n.index("events_entity_idx"))} ON ${events} (entity_id, position)`
    yield* sql`CREATE INDEX ${sql(n.index("events_pending_idx"))} ON ${events} (position) WHERE done = 0`
    yield* sql.onDialectOrElse({
      pg: () => sql`CREATE INDEX ${sql(n.index("events_region_ids_idx"))} ON ${events} USING gin (region_ids jsonb_path_ops)`,
      orElse: () => Effect.void
    })

    const sequences = sql(n.table("sequences"))
    yield* sql`CREATE TABLE ${sequences} (
      name ${lit(t.id)} PRIMARY KEY NOT NULL,
      value ${lit(t.big)} NOT NULL
    )`
    yield* sql`INSERT INTO ${sequences} (name, value) VALUES ('events', 0)`

    const deliveries = sql(n.table("deliveries"))
    yield* sql`CREATE TABLE ${deliveries} (
      delivery_key ${lit(t.id)} PRIMARY KEY NOT NULL,
      event_id ${lit(t.id)} NOT NULL,
      recipient ${lit(t.text)} NOT NULL,
      channel ${lit(t.text)} NOT NULL,
      message_id ${lit(t.text)} NOT NULL,
      status ${lit(t.text)} NOT NULL,
      attempts ${lit(t.int)} NOT NULL,
      next_attempt_at ${lit(t.time)},
      updated_at ${lit(t.time)} NOT NULL,
      document ${lit(t.document)} NOT NULL
    )`
    yield* sql`CREATE INDEX ${sql(n.index("deliveries_event_idx"))} ON ${deliveries} (event_id)`
    yield* sql`CREATE INDEX ${sql(n.index("deliveries_status_idx"))} ON ${deliveries} (status)`
  }),
  // intake rounds (wave 2): a table of their own, like every entity kind
  "0002_intake_rounds": createEntityTable(n, "intake_rounds"),
  // session evaluations (answers are personal data: a table of their own, erased with the person)
  "0003_evaluations": createEntityTable(n, "evaluations"),
  // the opt-in directory (entries are personal data: cleared on withdrawal and with the person)
  "0004_directory_entries": createEntityTable(n, "directory_entries"),
  // private feed tokens (personal data: revoked and their secret removed with the person)
  "0005_feed_tokens": createEntityTable(n, "feed_tokens"),
  // at the scale of a national network: lists by region and by
  // programme use an index on SQLite (every entity table there is, whichever migration made it)
  "0006_scale": scaleIndexesEverywhere(n),
  // the network search in the store: each insight's, held session's minutes' and programme theme's
  // text folded as the search compares it, with a full-text index (FTS5 trigrams on SQLite, a
  // tsvector with GIN on PostgreSQL), filled from what is stored
  "0007_search": searchSql.migrate(n),
  // each session's and programme's summary for the network overview (Summary.Summaries), kept
  // beside it as it is saved, so that the overview's first read in a process parses no session
  // document and decodes no programme; filled for those already stored
  "0008_overview_summaries": Effect.zipRight(sessionSummaries.migrate(n), programmeSummaries.migrate(n)),
  // SQLite: an index of each entity table's person ids, so that an erasure and a person's export
  // find the rows that name them without reading every row (PostgreSQL's GIN index serves them)
  "0009_person_index": scaleIndexesEverywhere(n)
})

const migrator = Migrator.make({})

/**
 * Runs the migrations not yet run (on PostgreSQL, creating the schema first). Returns the ids and
 * names of the ones it ran.
 *
 * @category migrations
 */
export const run = (
  options: Options = {}
): Effect.Effect<ReadonlyArray<readonly [id: number, name: string]>, StorageError, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const n = yield* Either.match(names.make(options), { onLeft: Effect.fail, onRight: Effect.succeed })
    const sql = yield* SqlClient.SqlClient
    if (options.schema !== undefined) {
      yield* sql.onDialectOrElse({
        pg: () => sql`CREATE SCHEMA IF NOT EXISTS ${sql(options.schema!)}`.pipe(
          Effect.retry({ times: 3 }),
          Effect.mapError((e) => storageError("migrate", e))
        ),
        orElse: () => Effect.void
      })
    }
    return yield* migrator({ loader: Migrator.fromRecord(migrations(n)), table: n.migrations }).pipe(
      Effect.mapError((e) => storageError("migrate", e)),
      Effect.catchAllDefect((d) => Effect.fail(storageError("migrate", d))),
      // instances starting together on a fresh database race to create the schema and the
      // migrations table; the loser's next try finds them (the migrations themselves run under a lock)
      Effect.retry({ times: 3 })
    )
  })
