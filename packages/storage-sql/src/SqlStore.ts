/**
 * Every storage port of @copkit/core written once on `@effect/sql`: the entity store (and so every
 * repository), the event log, the transaction boundary, the outbox and the delivery records.
 * SQLite and PostgreSQL differ only where `sql.onDialectOrElse` says so.
 *
 * Each entity kind has its own table (`<prefix><EntityKind.table>`) with the columns other teams
 * query (id, version, state, region, programme and person ids as JSON arrays, date, created and
 * updated) beside the encoded JSON document.
 *
 * @since 0.1.0
 */
import { Clock, Context, Effect, Either, Exit, Layer, Option, Schema, Scope } from "effect"
import type { SqlConnection, SqlError, Statement } from "@effect/sql"
import { SqlClient } from "@effect/sql"
import { ConcurrencyConflict, Entity, Events, Outbox, Repository, StorageError, Summary } from "@copkit/core"
import type { EventLog as EventLogNs } from "@copkit/core"
import { isSqlError, storageError } from "./internal/errors.js"
import { escapeLike, globOf, needlesOf, patternsOf, regexOf } from "./internal/mentions.js"
import * as Documents from "./internal/documents.js"
import * as names from "./internal/names.js"
import * as ProgrammeSummaries from "./internal/programmeSummaries.js"
import * as SessionSummaries from "./internal/sessionSummaries.js"
import * as searchSql from "./internal/searchSql.js"
import * as Migrations from "./Migrations.js"

/** Where the tables live: a prefix (default `copkit_`) and, on PostgreSQL, a schema. @category models */
export type Options = Migrations.Options

/** Every port the SQL store provides. @category models */
export type StoragePorts = Repository.StoragePorts

/** The services of the SQL store, one per port. @category models */
export type Store = Repository.Storage

const parseJson = (value: unknown): unknown => (typeof value === "string" ? JSON.parse(value) : value)

const iso = (date: Date | undefined): string | null => (date === undefined ? null : date.toISOString())

const encodeEvent = Schema.encodeEither(Events.RecordedEvent)
const decodeEvent = Schema.decodeUnknownEither(Events.RecordedEvent)
const encodeDelivery = Schema.encodeEither(Outbox.DeliveryRecord)
const decodeDelivery = Schema.decodeUnknownEither(Outbox.DeliveryRecord)

/** Decodes a stored JSON document with a schema; a document that does not decode is a StorageError. */
const decoder = <A>(operation: string, decode: (u: unknown) => Either.Either<A, unknown>) => (document: unknown): Effect.Effect<A, StorageError> =>
  Effect.suspend(() => {
    let parsed: unknown
    try {
      parsed = parseJson(document)
    } catch (e) {
      return Effect.fail(storageError(operation, e))
    }
    return Either.match(decode(parsed), {
      onLeft: (e) => Effect.fail(new StorageError({ operation, message: `A stored document does not decode: ${String(e)}` })),
      onRight: Effect.succeed
    })
  })

/** A value that would not encode: refused, nothing written. */
const notEncoded = (operation: string, cause: unknown): StorageError =>
  new StorageError({ operation, message: `The value does not encode: ${String(cause)}` })

const encoder = <A>(operation: string, encode: (a: A) => Either.Either<unknown, unknown>) => (value: A): Effect.Effect<string, StorageError> =>
  Effect.suspend(() =>
    Either.match(encode(value), {
      onLeft: (e) => Effect.fail(notEncoded(operation, e)),
      onRight: (encoded) => Effect.succeed(JSON.stringify(encoded))
    })
  )

/**
 * What the outermost running transaction does once it has committed: fill the entity cache with
 * what it wrote (never before: a rolled-back write must not be cached), and, when personal data
 * was erased in it (the delivery records of an address), clear what the erased values left
 * behind in the files.
 */
class Committing extends Context.Tag("@copkit/storage-sql/Committing")<Committing, {
  erased: boolean
  readonly onCommit: Array<() => void>
}>() {}

/**
 * How many decoded entities of a kind the store keeps, by id, to skip decoding an unchanged row:
 * every programme and application of a national network (one or a few per region; the network
 * overview reads them all, each time it is asked), and the last thousand of every other kind
 * (those are read a programme, a session or a person at a time).
 */
const cacheSizeOf = (kind: Entity.EntityKind<any, any>): number =>
  kind === Entity.ProgrammeKind || kind === Entity.ApplicationKind ? 20_000 : 1_000

/** How many session summaries the store keeps, by id (each a few numbers: a national network's sessions fit). */
const summaryCacheSize = 200_000

/** Above this many sessions not in the summary cache, their summaries are read by the state filter rather than by id. */
const summaryMissesById = 500

/** Keeps an entry as the newest of a cache of at most `size` entries (the oldest go first). */
const keep = <V>(cache: Map<string, V>, size: number, id: string, value: V): void => {
  cache.delete(id)
  cache.set(id, value)
  if (cache.size > size) cache.delete(cache.keys().next().value!)
}

/** Runs `f` once what was read or written is committed: at once outside a transaction, on commit inside one. */
const afterCommit = (f: () => void): Effect.Effect<void> =>
  // the context read and the step in one (rather than serviceOption and a map): this runs on every save
  Effect.contextWith((context: Context.Context<never>) => {
    const committing = Context.getOption(context, Committing)
    if (Option.isSome(committing)) committing.value.onCommit.push(f)
    else f()
  })

const orStorageError = (operation: string) => <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, Exclude<E, { readonly _tag: "SqlError" }> | StorageError, R> =>
  Effect.mapError(self, (e) => (isSqlError(e) ? storageError(operation, e) : e)) as never

/**
 * Builds the store on the `SqlClient` in the context. Run {@link Migrations.run} first (the
 * {@link layer} does).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { SqlClient } from "@effect/sql"
 * import { Migrations, SqlStore } from "@copkit/storage-sql"
 *
 * // on any @effect/sql client in the context (the one of your own dialect adapter)
 * const store: Effect.Effect<SqlStore.Store, unknown, SqlClient.SqlClient> = Effect.zipRight(
 *   Migrations.run({ prefix: "copkit_" }),
 *   SqlStore.make({ prefix: "copkit_" })
 * )
 * ```
 *
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<Store, StorageError, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const n = yield* Either.match(names.make(options), { onLeft: Effect.fail, onRight: Effect.succeed })
    const sql = (yield* SqlClient.SqlClient).withoutTransforms()
    const isPg = sql.onDialectOrElse({ pg: () => true, orElse: () => false })

    /**
     * After an erasure has committed: on SQLite, a checkpoint that copies the WAL into the database
     * file and truncates the WAL (with `secure_delete` on, the file's freed space is zeroed), so
     * that the erased values are in neither file. PostgreSQL keeps dead row versions until VACUUM
     * (see the personal-data guide). A checkpoint that cannot run (another process reading) is
     * left to the next one: the erasure itself has committed.
     */
    const clearErased: Effect.Effect<void> = sql.onDialectOrElse({
      sqlite: () =>
        Effect.ignore(Effect.zipRight(
          // the search's full-text indexes merged into one segment each: the erased text's trigrams gone
          Effect.forEach([searchSql.tables.insightsFts, searchSql.tables.minutesFts], (fts) =>
            sql.unsafe(`INSERT INTO ${ident(n.table(fts))} (${ident(n.table(fts))}) VALUES ('optimize')`), { discard: true }),
          sql.unsafe("PRAGMA wal_checkpoint(TRUNCATE)")
        )),
      orElse: () => Effect.void
    })

    /** The network search's index (migration 0007), kept with the insights, sessions and programmes. */
    const searchIndex = searchSql.make(n, sql)
    const indexer = <A, I>(kind: Entity.EntityKind<A, I>): ((value: A) => Effect.Effect<void, SqlError.SqlError>) | undefined =>
      (kind as Entity.EntityKind<any, any>) === Entity.InsightKind
        ? searchIndex.insight as never
        : (kind as Entity.EntityKind<any, any>) === Entity.SessionKind
        ? searchIndex.session as never
        : (kind as Entity.EntityKind<any, any>) === Entity.ProgrammeKind
        ? searchIndex.programme as never
        : undefined

    /** Runs an effect in a transaction, or joins the one that is running. */
    const inTransaction = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E | StorageError, R> =>
      Effect.contextWithEffect((context: Context.Context<never>): Effect.Effect<A, E | StorageError, R> => {
        if (Context.getOption(context, SqlClient.TransactionConnection)._tag === "Some") return self
        const committing: Context.Tag.Service<Committing> = { erased: false, onCommit: [] }
        return Effect.matchEffect(transact(self, committing), {
          onFailure: (e) => Effect.fail(isSqlError(e) ? storageError("transaction", e) : e as E),
          onSuccess: (a) => {
            for (const f of committing.onCommit) f()
            return committing.erased ? Effect.as(clearErased, a) : Effect.succeed(a)
          }
        })
      })

    /**
     * A transaction on a connection of its own: what `sql.withTransaction` does for an outermost
     * transaction (BEGIN, the effect with the connection as the TransactionConnection, COMMIT or
     * ROLLBACK, the connection given back), with BEGIN and COMMIT as prepared statements and
     * without the client's span. A failing COMMIT rolls back and fails the transaction. A failing
     * ROLLBACK (a connection that died mid-transaction) is ignored: the transaction fails with the
     * statement's own error, typed, and the server rolls back a transaction whose connection is gone.
     */
    const transact = <A, E, R>(self: Effect.Effect<A, E, R>, committing: Context.Tag.Service<Committing>): Effect.Effect<A, E | SqlError.SqlError, R> =>
      Effect.uninterruptibleMask((restore) =>
        Effect.flatMap(Scope.make(), (scope) =>
          Effect.onExit(
            Effect.flatMap(Scope.extend(sql.reserve, scope), (conn) =>
              Effect.zipRight(
                conn.execute("BEGIN", [], undefined),
                Effect.flatMap(Effect.exit(restore(Effect.provide(self, transactionContext(conn, committing)))), (exit) =>
                  Exit.isSuccess(exit)
                    ? Effect.zipRight(Effect.tapError(conn.execute("COMMIT", [], undefined), () => Effect.ignore(conn.execute("ROLLBACK", [], undefined))), exit)
                    : Effect.zipRight(Effect.ignore(conn.execute("ROLLBACK", [], undefined)), exit))
              )),
            (exit) => Scope.close(scope, exit)
          )))

    /** The connection and the commit hooks of a transaction, provided together (one context switch rather than two). */
    const transactionContext = (conn: SqlConnection.Connection, committing: Context.Tag.Service<Committing>) =>
      Context.make(SqlClient.TransactionConnection, [conn, 0] as const).pipe(Context.add(Committing, committing))

    /** A name, escaped for the dialect. */
    const ident = (name: string): string => sql`${sql(name)}`.compile()[0]
    /** The placeholders from..from+count-1, comma separated: `?` on SQLite, `$n` on PostgreSQL. */
    const placeholders = (from: number, count: number): string =>
      Array.from({ length: count }, (_, k) => (isPg ? `$${from + k}` : "?")).join(", ")

    /**
     * Runs a statement written once (its text built when the store is made, its parameters in
     * order). In a transaction it goes straight to the transaction's connection, which saves the
     * client's per-statement work (a span, a scope, the connection lock) on the command path.
     */
    const exec = <A extends object>(text: string, params: ReadonlyArray<unknown>): Effect.Effect<ReadonlyArray<A>, SqlError.SqlError> =>
      Effect.contextWithEffect((context: Context.Context<never>) => {
        const outer = Context.getOption(context, SqlClient.TransactionConnection)
        return Option.isSome(outer) ? outer.value[0].execute(text, params, undefined) as Effect.Effect<ReadonlyArray<A>, SqlError.SqlError> : sql.unsafe<A>(text, params)
      })

    /** A statement text per number of events, built once (for up to 16 events, the batches a command writes). */
    const perCount = (build: (count: number) => string) => {
      const texts = new Map<number, string>()
      return (count: number): string => {
        let text = texts.get(count)
        if (text === undefined) {
          text = build(count)
          if (count <= 16) texts.set(count, text)
        }
        return text
      }
    }

    /** A JSON array column holds the value. */
    const contains = (column: string, value: string): Statement.Fragment =>
      isPg
        ? sql`${sql(column)} @> ${JSON.stringify([value])}::jsonb`
        : column === "region_ids" || column === "programme_ids"
        // the indexes of migration 0006: the first id, or one of several
        ? sql`(json_extract(${sql(column)}, '$[0]') = ${value} OR (json_array_length(${sql(column)}) > 1 AND EXISTS (SELECT 1 FROM json_each(${sql(column)}) WHERE value = ${value})))`
        : sql`EXISTS (SELECT 1 FROM json_each(${sql(column)}) WHERE value = ${value})`

    const page = (limit: number | undefined, offset: number | undefined): Statement.Fragment => {
      if (limit === undefined && offset === undefined) return sql.literal("")
      const l = limit === undefined ? (isPg ? null : -1) : Math.max(0, Math.floor(limit))
      return sql`LIMIT ${l} OFFSET ${Math.max(0, Math.floor(offset ?? 0))}`
    }

    // --- entities --------------------------------------------------------------------------

    const repositories = new Map<string, Repository.Repository<any>>()

    const makeRepository = <A, I>(kind: Entity.EntityKind<A, I>): Repository.Repository<A> => {
      const table = sql(n.table(kind.table))
      const t = ident(n.table(kind.table))
      // a session and a programme keep their summaries beside them (migration 0008): the overview
      // reads those, not the documents
      const summarised: ((value: A, version: number) => string) | undefined = (kind as Entity.EntityKind<any, any>) === Entity.SessionKind
        ? SessionSummaries.stored as unknown as (value: A, version: number) => string
        : (kind as Entity.EntityKind<any, any>) === Entity.ProgrammeKind
        ? ProgrammeSummaries.stored as unknown as (value: A, version: number) => string
        : undefined
      const indexColumns = ["state", "region_ids", "programme_ids", "person_ids", "date", "created_at", "updated_at", "document", ...(summarised === undefined ? [] : ["summary"])]
      // The document only when the stored version is not the one in the cache (-1 when none is).
      const findText = `SELECT version, CASE WHEN version = ${placeholders(1, 1)} THEN NULL ELSE document END AS document
        FROM ${t} WHERE id = ${placeholders(2, 1)}`
      const versionText = `SELECT version FROM ${t} WHERE id = ${placeholders(1, 1)}`
      const insertText = `INSERT INTO ${t} (${["id", "version", ...indexColumns].map(ident).join(", ")})
        VALUES (${placeholders(1, 1)}, 1, ${placeholders(2, indexColumns.length)}) ON CONFLICT (id) DO NOTHING RETURNING version`
      const updateText = `UPDATE ${t} SET ${indexColumns.map((c, i) => `${ident(c)} = ${placeholders(i + 1, 1)}`).join(", ")}, version = version + 1
        WHERE id = ${placeholders(indexColumns.length + 1, 1)} AND version = ${placeholders(indexColumns.length + 2, 1)} RETURNING version`
      // PostgreSQL: each write with the append of its events, as one statement (see saveWithEvents)
      const insertWithEventsText = perCount((count) => pgEventsText(count, 1 + indexColumns.length, insertText))
      const updateWithEventsText = perCount((count) => pgEventsText(count, indexColumns.length + 2, updateText))
      const decode = decoder(`${kind.name}.decode`, Schema.decodeUnknownEither(kind.schema))
      const encodeDocument = Documents.make(kind.schema)
      const encodeOperation = `${kind.name}.encode`
      const findOperation = `${kind.name}.find`

      /**
       * id -> the last committed version this instance read or wrote, decoded. A version is
       * committed once (every save raises it, in one transaction), so a cached entry whose version
       * is the stored one is the stored value, whichever instance or process wrote it; a write is
       * cached only once its transaction has committed. The oldest entries go first.
       */
      const cache = new Map<string, Repository.Versioned<A>>()
      const cacheSize = cacheSizeOf(kind)
      /** Caches a read or a write: at once outside a transaction, on commit inside one. */
      const rememberCommitted = (id: string, versioned: Repository.Versioned<A>) =>
        afterCommit(() => keep(cache, cacheSize, id, versioned))

      const view = (row: { readonly version: unknown; readonly document: unknown }) => {
        const version = Number(row.version)
        return Effect.map(decode(row.document), (value): Repository.Versioned<A> => ({ value, version }))
      }
      /** A listed row: from the cache when it holds this version; else decoded, and kept (a list of a few read again decodes nothing). */
      const viewCached = (row: { readonly id: unknown; readonly version: unknown; readonly document: unknown }) => {
        const version = Number(row.version)
        const id = String(row.id)
        const cached = cache.get(id)
        return cached !== undefined && cached.version === version
          ? Effect.succeed(cached)
          : Effect.tap(view(row), (found) => rememberCommitted(id, found))
      }

      /**
       * The document as text on PostgreSQL too: the driver would parse every listed document,
       * also those the cache holds; as text only a row not in the cache is parsed (and decoded).
       */
      const listedDocument = sql.literal(isPg ? "document::text AS document" : "document")

      const byRegionOrProgramme = (query: Repository.Query): boolean => query.regionId !== undefined || query.programmeId !== undefined
      /**
       * By id; on SQLite `+id` when a region or programme is asked for, so that it finds the rows
       * by their index (migration 0006) and sorts them, rather than reading every row in id order.
       */
      const orderBy = (query: Repository.Query): Statement.Fragment =>
        sql.literal(!isPg && byRegionOrProgramme(query) ? "ORDER BY +id" : "ORDER BY id")

      /**
       * The rows that name a person in their `person_ids`. On SQLite, the index of migration 0009
       * is read first (a row's few ids, where its local part of a long document fills a page), and
       * the ids it finds as the array's JSON spells them are checked element by element.
       */
      const naming = (personId: string): Statement.Fragment =>
        isPg
          ? contains("person_ids", personId)
          : sql`(rowid IN (SELECT rowid FROM ${table} WHERE instr(person_ids, ${JSON.stringify(personId)}) > 0) AND ${contains("person_ids", personId)})`

      const where = (query: Repository.Query): Statement.Fragment => {
        const clauses: Array<Statement.Fragment> = []
        if (query.state !== undefined) {
          // SQLite without statistics would pick the state index over the region or programme
          // one (migration 0006): `+state` keeps it from using the state index then
          const state = !isPg && byRegionOrProgramme(query) ? "+state" : "state"
          clauses.push(
            typeof query.state === "string"
              ? sql`${sql.literal(state)} = ${query.state}`
              : query.state.length === 0
              ? sql.literal("1 = 0")
              : sql`${sql.literal(state)} IN ${sql.in(query.state)}`
          )
        }
        if (query.regionId !== undefined) clauses.push(contains("region_ids", query.regionId))
        if (query.programmeId !== undefined) clauses.push(contains("programme_ids", query.programmeId))
        if (query.personId !== undefined) clauses.push(naming(query.personId))
        if (query.ids !== undefined) clauses.push(query.ids.length === 0 ? sql.literal("1 = 0") : sql.in("id", query.ids))
        if (query.mentioning !== undefined) {
          // a superset (the caller's rule decides): the person ids, or the document's text
          const texts = query.mentioning.texts
          const personId = query.mentioning.personId
          if (isPg) {
            const needles = needlesOf(texts)
            if (needles !== undefined) {
              clauses.push(sql.or([
                naming(personId),
                texts.length === 0
                  ? sql`strpos(CAST(document AS TEXT), ${personId}) > 0`
                  // The document as text once (a json column: each cast would decompress it again), its
                  // ASCII letters lowered once (the "C" collation: a byte loop, where the database's
                  // collation would fold every character, and in some locales fold "I" to a dotless
                  // i), then each text by strpos (cheaper than LIKE), then as a whole word at its
                  // end. The OFFSET 0 keeps the planner from inlining each step (and redoing it).
                  : sql`EXISTS (SELECT FROM (SELECT CAST(document AS TEXT) AS d OFFSET 0) AS raw
                      CROSS JOIN LATERAL (SELECT LOWER(raw.d COLLATE "C") AS l OFFSET 0) AS lowered
                      WHERE strpos(raw.d, ${personId}) > 0
                        OR (EXISTS (SELECT FROM unnest(${needles}::text[]) AS needle WHERE strpos(lowered.l, needle) > 0)
                          AND raw.d ~ ANY (${texts.map(regexOf)}::text[])))`
              ]))
            }
          } else {
            const patterns = patternsOf(texts)
            if (patterns !== undefined) {
              clauses.push(sql.or([
                naming(personId),
                // LIKE rather than instr: a byte loop where instr counts characters (a third of the time)
                sql`document LIKE ${`%${escapeLike(personId)}%`} ESCAPE '\\'`,
                ...(texts.length === 0 ? [] : [
                  sql.or(texts.map((text, i) => sql`(document LIKE ${patterns[i]!} ESCAPE '\\' AND document GLOB ${globOf(text)})`))
                ])
              ]))
            }
          }
        }
        return sql.and(clauses)
      }

      const versionOf = (id: string) =>
        Effect.map(exec<{ readonly version: unknown }>(versionText, [id]), (rows) => rows[0] === undefined ? 0 : Number(rows[0].version))

      /** The parameters of {@link insertText} (a new entity) or {@link updateText}, in their order. */
      const entityParams = (id: string, value: A, expectedVersion: number, document: string): Array<unknown> => {
        const index = kind.index(value)
        const params: Array<unknown> = expectedVersion === 0 ? [id] : []
        // in the order of indexColumns
        params.push(
          index.state,
          JSON.stringify(index.regionIds),
          JSON.stringify(index.programmeIds),
          JSON.stringify(index.personIds),
          iso(index.date),
          iso(index.createdAt),
          iso(index.updatedAt),
          document
        )
        if (summarised !== undefined) params.push(summarised(value, expectedVersion + 1))
        if (expectedVersion !== 0) params.push(id, expectedVersion)
        return params
      }

      /** A save that found another version than the expected one: it wrote nothing. */
      const conflict = (id: string, expectedVersion: number) => {
        cache.delete(id)
        return Effect.flatMap(versionOf(id), (actual) => Effect.fail(new ConcurrencyConflict({ entity: kind.name, id, expected: expectedVersion, actual })))
      }
      const searchRows = indexer(kind)
      /** What a save does once its statement has run: a conflict when no row was written, else the index rows and the cache. */
      const saved = (id: string, value: A, expectedVersion: number, rows: ReadonlyArray<{ readonly version: unknown }>) => {
        const row = rows[0]
        if (row === undefined) return conflict(id, expectedVersion)
        const versioned: Repository.Versioned<A> = { value, version: Number(row.version) }
        const remembered = Effect.as(rememberCommitted(id, versioned), versioned)
        return searchRows === undefined ? remembered : Effect.zipRight(searchRows(value), remembered)
      }
      // a chain of flatMaps rather than a generator: this runs on every command
      const save = (value: A, expectedVersion: number) =>
        Effect.suspend((): Effect.Effect<Repository.Versioned<A>, StorageError | ConcurrencyConflict | SqlError.SqlError> => {
          const id = kind.idOf(value)
          // the fields that differ from the last value read or written (known to encode), else the whole value
          const encoded = encodeDocument(value, cache.get(id)?.value)
          if (Either.isLeft(encoded)) {
            return Effect.fail(notEncoded(encodeOperation, encoded.left))
          }
          const params = entityParams(id, value, expectedVersion, encoded.right)
          const written = exec<{ readonly version: unknown }>(expectedVersion === 0 ? insertText : updateText, params)
          return Effect.flatMap(written, (rows) => saved(id, value, expectedVersion, rows))
        }).pipe(
          // with its index rows, in one transaction
          (self) => (searchRows === undefined ? self : inTransaction(self)),
          orStorageError(`${kind.name}.save`)
        )

      /**
       * PostgreSQL, a kind without search rows: the entity's write, the counter and the events in
       * one statement (see {@link pgEventsText}), atomic on its own. The new version is
       * `expectedVersion + 1` (the write sets `version = version + 1` where it was the expected one).
       */
      const saveWithEvents = <R>(
        value: A,
        expectedVersion: number,
        eventsOf: (version: number) => Effect.Effect<ReadonlyArray<Events.NewEvent>, never, R>
      ): Effect.Effect<Repository.SavedWithEvents<A>, ConcurrencyConflict | StorageError, R> =>
        Effect.suspend((): Effect.Effect<Repository.SavedWithEvents<A>, ConcurrencyConflict | StorageError | SqlError.SqlError, R> => {
          const id = kind.idOf(value)
          const encoded = encodeDocument(value, cache.get(id)?.value)
          if (Either.isLeft(encoded)) return Effect.fail(notEncoded(encodeOperation, encoded.left))
          const params = entityParams(id, value, expectedVersion, encoded.right)
          const version = expectedVersion + 1
          return Effect.flatMap(eventsOf(version), (newEvents): Effect.Effect<Repository.SavedWithEvents<A>, ConcurrencyConflict | StorageError | SqlError.SqlError> => {
            if (newEvents.length === 0) return Effect.map(save(value, expectedVersion), (saved) => ({ saved, events: [] }))
            const refused = pushPgEventParams(newEvents, params)
            if (refused !== undefined) return Effect.fail(refused)
            const text = (expectedVersion === 0 ? insertWithEventsText : updateWithEventsText)(newEvents.length)
            return Effect.flatMap(exec<{ readonly position: unknown }>(text, params), (rows) => {
              // no row: the entity's write found another version (and so nothing moved)
              if (rows.length !== newEvents.length) return conflict(id, expectedVersion)
              const versioned: Repository.Versioned<A> = { value, version }
              return Effect.as(rememberCommitted(id, versioned), { saved: versioned, events: recordedAt(newEvents, rows) })
            })
          })
        }).pipe(orStorageError(`${kind.name}.save`))

      return {
        kind,
        ...(isPg && searchRows === undefined ? { saveWithEvents } : {}),
        find: (id) => {
          const cached = cache.get(id)
          // the error's mapping and the next step in one match: this runs on every update
          return Effect.matchEffect(exec<{ readonly version: unknown; readonly document: unknown }>(findText, [cached?.version ?? -1, id]), {
            onFailure: (e) => Effect.fail(storageError(findOperation, e)),
            onSuccess: (rows): Effect.Effect<Option.Option<Repository.Versioned<A>>, StorageError> => {
              const row = rows[0]
              if (row === undefined) {
                cache.delete(id)
                return Effect.succeedNone
              }
              if (cached !== undefined && Number(row.version) === cached.version) return Effect.succeed(Option.some(cached))
              return Effect.flatMap(view(row), (found) => Effect.as(rememberCommitted(id, found), Option.some(found)))
            }
          })
        },
        save,
        list: (query = {}) =>
          sql<{ readonly id: unknown; readonly version: unknown; readonly document: unknown }>`SELECT id, version, ${listedDocument} FROM ${table}
            WHERE ${where(query)} ${orderBy(query)} ${page(query.limit, query.offset)}`.pipe(
            orStorageError(`${kind.name}.list`),
            Effect.flatMap((rows) => Effect.forEach(rows, viewCached))
          ),
        count: (query = {}) =>
          sql<{ readonly n: unknown }>`SELECT COUNT(*) AS n FROM ${table} WHERE ${where(query)}`.pipe(
            orStorageError(`${kind.name}.count`),
            Effect.map((rows) => Number(rows[0]?.n ?? 0))
          )
      }
    }

    const store: Store["store"] = {
      repository: <A, I>(kind: Entity.EntityKind<A, I>): Repository.Repository<A> => {
        let repository = repositories.get(kind.table)
        if (repository === undefined || repository.kind !== kind) {
          repository = makeRepository(kind)
          repositories.set(kind.table, repository)
        }
        return repository as Repository.Repository<A>
      }
    }

    // --- the overview's narrow reads --------------------------------------------------------

    const sessionsTable = ident(n.table(Entity.SessionKind.table))
    const agreementsTable = ident(n.table(Entity.AgreementKind.table))
    const summaryText = (column: "id" | "state", count: number): string =>
      SessionSummaries.summaryText({ isPg, sessionsTable, placeholders }, column, count)
    /**
     * id -> the summary of the last committed version read: a version is committed once, so a
     * summary whose version is the stored one is the stored session's. Only the sessions whose
     * version is not here are summarised again (a read inside a transaction is kept once it commits).
     */
    const summaryCache = new Map<string, SessionSummaries.Versioned>()
    const rememberSummaries = (fresh: ReadonlyMap<string, SessionSummaries.Versioned>) =>
      afterCommit(() => {
        for (const [id, entry] of fresh) keep(summaryCache, summaryCacheSize, id, entry)
      })

    const byProgrammeAndStatus = (a: Summary.AgreementTally, b: Summary.AgreementTally): number =>
      a.programmeId < b.programmeId ? -1 : a.programmeId > b.programmeId ? 1 : a.status < b.status ? -1 : a.status > b.status ? 1 : 0

    /**
     * The narrow read of a kind that the overview reads every one of (programmes, applications):
     * each document decoded with the summary's schema (only the fields the overview reads, each
     * with its own field schema), kept by id and version as the session summaries are. The ids and
     * versions first; then the documents of those not kept (all of them, past `summaryMissesById`).
     */
    const narrowReader = <S>(
      kind: Entity.EntityKind<any, any>,
      schema: Schema.Schema<S, any>,
      operation: string,
      /** The summary kept beside each row (its `summary` column), when the kind keeps one. */
      fromStored?: (column: unknown, version: number) => S | undefined
    ) => {
      const t = ident(n.table(kind.table))
      const document = isPg ? "document::text AS document" : "document"
      const decodeNarrow = decoder(`${operation}.decode`, Schema.decodeUnknownEither(schema))
      const kept = new Map<string, { readonly version: number; readonly summary: S }>()
      type Row = { readonly id: unknown; readonly version: unknown } & Record<string, unknown>
      /** The rows of `column` for these ids (at most `summaryMissesById` of them, in one statement), or of every row. */
      const rowsOf = (column: string, ids: ReadonlyArray<string>): Effect.Effect<ReadonlyArray<Row>, SqlError.SqlError> =>
        ids.length > summaryMissesById
          ? exec<Row>(`SELECT id, version, ${column} FROM ${t}`, [])
          : exec<Row>(`SELECT id, version, ${column} FROM ${t} WHERE id IN (${placeholders(1, ids.length)})`, ids)
      return (): Effect.Effect<ReadonlyArray<S>, StorageError> =>
        Effect.gen(function*() {
          const listed = yield* exec<{ readonly id: unknown; readonly version: unknown }>(`SELECT id, version FROM ${t} ORDER BY id`, [])
          const misses: Array<string> = []
          for (const row of listed) {
            if (kept.get(String(row.id))?.version !== Number(row.version)) misses.push(String(row.id))
          }
          const fresh = new Map<string, { readonly version: number; readonly summary: S }>()
          if (misses.length > 0 && fromStored !== undefined) {
            for (const row of yield* rowsOf("summary", misses)) {
              const version = Number(row.version)
              const summary = fromStored(row.summary, version)
              if (summary !== undefined) fresh.set(String(row.id), { version, summary })
            }
          }
          // the rest from their documents (a row saved before migration 0008, or by an older release)
          const undecided = misses.filter((id) => !fresh.has(id))
          if (undecided.length > 0) {
            for (const row of yield* rowsOf(document, undecided)) {
              if (fresh.has(String(row.id))) continue
              fresh.set(String(row.id), { version: Number(row.version), summary: yield* decodeNarrow(row.document) })
            }
          }
          yield* afterCommit(() => {
            for (const [id, entry] of fresh) keep(kept, summaryCacheSize, id, entry)
          })
          const out: Array<S> = []
          for (const row of listed) {
            const id = String(row.id)
            // a row that changed in between: its summary as read now
            const entry = fresh.get(id) ?? kept.get(id)
            if (entry !== undefined) out.push(entry.summary)
          }
          return out as ReadonlyArray<S>
        }).pipe(orStorageError(operation))
    }

    const summaries: Summary.Summaries["Type"] = {
      programmes: narrowReader(Entity.ProgrammeKind, Summary.ProgrammeSummary, "Summaries.programmes", ProgrammeSummaries.fromStored),
      applications: narrowReader(Entity.ApplicationKind, Summary.ApplicationSummary, "Summaries.applications"),
      sessions: ({ state }) =>
        state.length === 0 ? Effect.succeed([]) : Effect.gen(function*() {
          const states = placeholders(1, state.length)
          const listed = yield* exec<{ readonly id: unknown; readonly version: unknown }>(
            `SELECT id, version FROM ${sessionsTable} WHERE state IN (${states}) ORDER BY id`,
            state
          )
          const cachedMisses: Array<string> = []
          for (const row of listed) {
            if (summaryCache.get(String(row.id))?.version !== Number(row.version)) cachedMisses.push(String(row.id))
          }
          const fresh = new Map<string, SessionSummaries.Versioned>()
          // first the summaries kept beside the sessions as they were saved (a fresh process has none cached)
          const keptRows = cachedMisses.length === 0
            ? []
            : cachedMisses.length > summaryMissesById
            ? yield* exec<{ readonly id: unknown; readonly version: unknown; readonly summary: unknown }>(
              `SELECT id, version, summary FROM ${sessionsTable} WHERE state IN (${states})`,
              state
            )
            : yield* exec<{ readonly id: unknown; readonly version: unknown; readonly summary: unknown }>(
              `SELECT id, version, summary FROM ${sessionsTable} WHERE id IN (${placeholders(1, cachedMisses.length)})`,
              cachedMisses
            )
          for (const row of keptRows) {
            const version = Number(row.version)
            const summary = SessionSummaries.fromStored(row.summary, version)
            // a session that changed in between counts in its new state, if still asked for
            if (summary !== undefined && state.includes(summary.state)) fresh.set(String(row.id), { version, summary })
          }
          // then those with none of their version (saved before migration 0008, or by an older
          // release): computed from their documents inside the database
          const misses = cachedMisses.filter((id) => !fresh.has(id))
          if (misses.length > summaryMissesById) {
            for (const [id, entry] of SessionSummaries.summariesOf(yield* exec<SessionSummaries.SummaryRow>(summaryText("state", state.length), state))) {
              if (!fresh.has(id)) fresh.set(id, entry)
            }
          } else {
            for (let from = 0; from < misses.length; from += summaryMissesById) {
              const ids = misses.slice(from, from + summaryMissesById)
              for (const [id, entry] of SessionSummaries.summariesOf(yield* exec<SessionSummaries.SummaryRow>(summaryText("id", ids.length), ids))) {
                if (state.includes(entry.summary.state)) fresh.set(id, entry)
              }
            }
          }
          yield* rememberSummaries(fresh)
          const out: Array<Summary.SessionSummary> = []
          for (const row of listed) {
            const id = String(row.id)
            const entry = fresh.get(id) ?? summaryCache.get(id)
            if (entry !== undefined) out.push(entry.summary)
          }
          return out as ReadonlyArray<Summary.SessionSummary>
        }).pipe(orStorageError("Summaries.sessions")),
      agreements: () =>
        exec<{ readonly programme_id: unknown; readonly state: unknown; readonly n: unknown }>(
          isPg
            ? `SELECT programme_ids ->> 0 AS programme_id, state, COUNT(*) AS n FROM ${agreementsTable} GROUP BY 1, 2`
            : `SELECT json_extract(programme_ids, '$[0]') AS programme_id, state, COUNT(*) AS n FROM ${agreementsTable} GROUP BY 1, 2`,
          []
        ).pipe(
          orStorageError("Summaries.agreements"),
          Effect.map((rows) =>
            rows.map((row) => ({ programmeId: String(row.programme_id), status: String(row.state), count: Number(row.n) }) as Summary.AgreementTally)
              .sort(byProgrammeAndStatus)
          )
        )
    }

    // --- events ----------------------------------------------------------------------------

    const events = sql(n.table("events"))
    const counterText = `UPDATE ${ident(n.table("sequences"))} SET value = value + ${placeholders(1, 1)} WHERE name = 'events' RETURNING value`
    const eventColumns = ["position", "id", "type", "entity", "entity_id", "entity_version", "region_ids", "occurred_at", "document"]
    /** SQLite: the INSERT of `count` events, their positions taken from the counter beforehand. */
    const appendText = perCount((count) => {
      const rows = Array.from({ length: count }, (_, r) => `(${placeholders(r * eventColumns.length + 1, eventColumns.length)})`)
      return `INSERT INTO ${ident(n.table("events"))} (${eventColumns.map(ident).join(", ")}) VALUES ${rows.join(", ")}`
    })
    /**
     * PostgreSQL: the counter's update and the INSERT of `count` events in one statement (one round
     * trip fewer per command): the positions come from the counter in the statement, and each
     * document (the encoded event without its position) gets `"position":N` appended as its last
     * key, so that it is the same text as the encoded event's JSON. `before` parameters come first
     * (those of `entity`); then the count, then the events' columns.
     * With `entity`, an entity's write (its INSERT or UPDATE, returning its row) as the WITH `w`:
     * the counter and the events move only when it wrote its row (no row comes back when it found
     * another version), and a counter that is missing then fails the whole statement (a position
     * that is NULL), so that the row is never written without them.
     */
    const pgEventsText = (count: number, before: number, entity: string | undefined): string => {
      const width = eventColumns.length - 1
      const c = `$${before + 1}::bigint`
      const rows = Array.from({ length: count }, (_, r) => {
        const p = (k: number) => `$${before + 2 + r * width + k}`
        return `(${r}, ${p(0)}::text, ${p(1)}::text, ${p(2)}::text, ${p(3)}::text, ${p(4)}::integer, ${p(5)}::jsonb, ${p(6)}::timestamptz, ${p(7)}::text)`
      })
      const counter = `UPDATE ${ident(n.table("sequences"))} SET value = value + ${c} WHERE name = 'events'`
      const [ctes, from, value] = entity === undefined
        ? [`s AS (${counter} RETURNING value)`, "s", "s.value"]
        : [`w AS (${entity}), s AS (${counter} AND EXISTS (SELECT FROM w) RETURNING value)`, "w", "(SELECT value FROM s)"]
      const position = `${value} - ${c} + 1 + v.k`
      return `WITH ${ctes}
        INSERT INTO ${ident(n.table("events"))} (${eventColumns.map(ident).join(", ")})
        SELECT ${position}, v.id, v.type, v.entity, v.entity_id, v.entity_version, v.region_ids, v.occurred_at,
          (left(v.document, -1) || ',"position":' || (${position}) || '}')::json
        FROM ${from}, (VALUES ${rows.join(", ")}) AS v (k, id, type, entity, entity_id, entity_version, region_ids, occurred_at, document)
        RETURNING position`
    }
    const pgAppendText = perCount((count) => pgEventsText(count, 0, undefined))
    /** An event's columns after its position, in the order of eventColumns, the document last. */
    const eventValues = (e: Events.NewEvent, document: unknown): ReadonlyArray<unknown> =>
      [e.id, e.event._tag, e.entity, e.entityId, e.entityVersion, JSON.stringify(e.regionIds), e.occurredAt.toISOString(), JSON.stringify(document)]
    const toEvent = decoder("EventLog.decode", decodeEvent)
    const counterMissing = () =>
      new StorageError({ operation: "EventLog.append", message: "The event counter is missing: were the migrations run?" })

    /**
     * PostgreSQL: pushes the events' count and each event's columns after its position (the
     * document without its position) to `params`, checking every event by encoding it (with a
     * stand-in position); a StorageError for one that would not encode.
     */
    const pushPgEventParams = (newEvents: ReadonlyArray<Events.NewEvent>, params: Array<unknown>): StorageError | undefined => {
      params.push(newEvents.length)
      for (const e of newEvents) {
        const encoded = encodeEvent(new Events.RecordedEvent({ ...e, position: 1 }, true))
        if (Either.isLeft(encoded)) return notEncoded("EventLog.encode", encoded.left)
        const { position: _, ...document } = encoded.right
        params.push(...eventValues(e, document))
      }
      return undefined
    }
    /** The events with the positions the statement returned (consecutive, in order). */
    const recordedAt = (newEvents: ReadonlyArray<Events.NewEvent>, rows: ReadonlyArray<{ readonly position: unknown }>) => {
      let first = Number.POSITIVE_INFINITY
      for (const row of rows) first = Math.min(first, Number(row.position))
      return newEvents.map((e, i) => new Events.RecordedEvent({ ...e, position: first + i }, true))
    }

    /** PostgreSQL: checks every event by encoding it, then writes them with {@link pgAppendText}. */
    const appendPg = (newEvents: ReadonlyArray<Events.NewEvent>): Effect.Effect<ReadonlyArray<Events.RecordedEvent>, StorageError | SqlError.SqlError> =>
      Effect.suspend(() => {
        const params: Array<unknown> = []
        const refused = pushPgEventParams(newEvents, params)
        if (refused !== undefined) return Effect.fail(refused)
        return Effect.flatMap(exec<{ readonly position: unknown }>(pgAppendText(newEvents.length), params), (rows) =>
          rows.length !== newEvents.length ? Effect.fail(counterMissing()) : Effect.succeed(recordedAt(newEvents, rows)))
      })

    /** SQLite: the positions from the counter, then the events with them (the writer holds the lock in between). */
    const appendSqlite = (newEvents: ReadonlyArray<Events.NewEvent>): Effect.Effect<ReadonlyArray<Events.RecordedEvent>, StorageError | SqlError.SqlError> =>
      // a chain of flatMaps rather than a generator, and the encode as an Either: this runs on every command
      Effect.flatMap(exec<{ readonly value: unknown }>(counterText, [newEvents.length]), ([counter]): Effect.Effect<ReadonlyArray<Events.RecordedEvent>, StorageError | SqlError.SqlError> => {
        if (counter === undefined) return Effect.fail(counterMissing())
        const first = Number(counter.value) - newEvents.length + 1
        const recorded = newEvents.map((e, i) => new Events.RecordedEvent({ ...e, position: first + i }, true))
        const params: Array<unknown> = []
        for (const r of recorded) {
          const encoded = encodeEvent(r)
          if (Either.isLeft(encoded)) return Effect.fail(notEncoded("EventLog.encode", encoded.left))
          params.push(r.position, ...eventValues(r, encoded.right))
        }
        return Effect.as(exec(appendText(recorded.length), params), recorded as ReadonlyArray<Events.RecordedEvent>)
      })

    const appendEvents = isPg ? appendPg : appendSqlite
    const append: Store["eventLog"]["append"] = (newEvents) =>
      newEvents.length === 0 ? Effect.succeed([]) : inTransaction(appendEvents(newEvents)).pipe(orStorageError("EventLog.append"))

    const read: Store["eventLog"]["read"] = (query: EventLogNs.EventQuery = {}) => {
      const clauses: Array<Statement.Fragment> = []
      if (query.after !== undefined) clauses.push(sql`position > ${query.after}`)
      if (query.entityId !== undefined) clauses.push(sql`entity_id = ${query.entityId}`)
      if (query.regionId !== undefined) clauses.push(contains("region_ids", query.regionId))
      return sql<{ readonly document: unknown }>`SELECT document FROM ${events} WHERE ${sql.and(clauses)}
        ORDER BY position ${page(query.limit, undefined)}`.pipe(
        orStorageError("EventLog.read"),
        Effect.flatMap((rows) => Effect.forEach(rows, (row) => toEvent(row.document)))
      )
    }

    // --- transaction -----------------------------------------------------------------------

    const transaction: Store["transaction"] = { run: inTransaction }

    // --- outbox ----------------------------------------------------------------------------

    const skipLocked = isPg ? sql.literal("FOR UPDATE SKIP LOCKED") : sql.literal("")

    const outbox: Store["outbox"] = {
      claim: ({ consumer, leaseMillis, limit }) =>
        limit <= 0
          ? Effect.succeed([])
          : Effect.gen(function*() {
            const now = yield* Clock.currentTimeMillis
            const token = `${consumer}:${globalThis.crypto.randomUUID()}`
            const rows = yield* sql<{ readonly position: unknown; readonly document: unknown; readonly claims: unknown }>`
              UPDATE ${events} SET claim_token = ${token}, lease_until = ${now + Math.max(0, Math.floor(leaseMillis))}, claims = claims + 1
              WHERE position IN (
                SELECT position FROM ${events}
                WHERE done = 0
                  AND (lease_until IS NULL OR lease_until <= ${now})
                  AND (not_before IS NULL OR not_before <= ${now})
                ORDER BY position LIMIT ${Math.floor(limit)} ${skipLocked}
              )
              RETURNING position, document, claims`
            const sorted = [...rows].sort((a, b) => Number(a.position) - Number(b.position))
            return yield* Effect.forEach(sorted, (row) =>
              Effect.map(toEvent(row.document), (event): Outbox.ClaimedEvent => ({
                event,
                claimToken: token,
                previousClaims: Number(row.claims) - 1
              })))
          }).pipe(orStorageError("Outbox.claim")),
      complete: (eventId, claimToken) =>
        sql`UPDATE ${events} SET done = 1, claim_token = NULL, lease_until = NULL
          WHERE id = ${eventId} AND claim_token = ${claimToken}`.pipe(Effect.asVoid, orStorageError("Outbox.complete")),
      release: (eventId, claimToken, notBefore) =>
        sql`UPDATE ${events} SET claim_token = NULL, lease_until = NULL, not_before = ${notBefore.getTime()}
          WHERE id = ${eventId} AND claim_token = ${claimToken}`.pipe(Effect.asVoid, orStorageError("Outbox.release")),
      // One statement per claim token (a batch shares one); a claim taken over has another token.
      renew: (claims, leaseMillis) =>
        claims.length === 0
          ? Effect.succeed([])
          : Effect.gen(function*() {
            const now = yield* Clock.currentTimeMillis
            const until = now + Math.max(0, Math.floor(leaseMillis))
            const byToken = new Map<string, Array<string>>()
            for (const c of claims) byToken.set(c.claimToken, [...(byToken.get(c.claimToken) ?? []), c.eventId])
            const held: Array<Events.RecordedEvent["id"]> = []
            for (const [token, ids] of byToken) {
              const rows = yield* sql<{ readonly id: unknown }>`
                UPDATE ${events} SET lease_until = ${until}
                WHERE claim_token = ${token} AND done = 0 AND ${sql.in("id", ids)}
                RETURNING id`
              for (const row of rows) held.push(String(row.id) as Events.RecordedEvent["id"])
            }
            return held as ReadonlyArray<Events.RecordedEvent["id"]>
          }).pipe(orStorageError("Outbox.renew"))
    }

    // --- deliveries ------------------------------------------------------------------------

    const deliveriesTable = sql(n.table("deliveries"))
    const toDelivery = decoder("Deliveries.decode", decodeDelivery)
    const fromDelivery = encoder("Deliveries.encode", encodeDelivery)

    const deliveries: Store["deliveries"] = {
      find: (key) =>
        sql<{ readonly document: unknown }>`SELECT document FROM ${deliveriesTable} WHERE delivery_key = ${key}`.pipe(
          orStorageError("Deliveries.find"),
          Effect.flatMap((rows) => (rows[0] === undefined ? Effect.succeedNone : Effect.asSome(toDelivery(rows[0].document))))
        ),
      record: (record) =>
        Effect.flatMap(fromDelivery(record), (document) =>
          sql`INSERT INTO ${deliveriesTable} ${
            sql.insert({
              delivery_key: record.key,
              event_id: record.eventId,
              recipient: record.recipient ?? "", // none for a calendar publication
              channel: record.channel,
              message_id: record.messageId,
              status: record.status,
              attempts: record.attempts,
              next_attempt_at: iso(record.nextAttemptAt),
              updated_at: record.updatedAt.toISOString(),
              document
            })
          } ON CONFLICT (delivery_key) DO UPDATE SET
              event_id = excluded.event_id, recipient = excluded.recipient, channel = excluded.channel,
              message_id = excluded.message_id, status = excluded.status, attempts = excluded.attempts,
              next_attempt_at = excluded.next_attempt_at, updated_at = excluded.updated_at, document = excluded.document`).pipe(
          Effect.asVoid,
          orStorageError("Deliveries.record")
        ),
      list: (filter = {}) => {
        const clauses: Array<Statement.Fragment> = []
        if (filter.eventId !== undefined) clauses.push(sql`event_id = ${filter.eventId}`)
        if (filter.status !== undefined) clauses.push(sql`status = ${filter.status}`)
        return sql<{ readonly document: unknown }>`SELECT document FROM ${deliveriesTable} WHERE ${sql.and(clauses)} ORDER BY delivery_key`.pipe(
          orStorageError("Deliveries.list"),
          Effect.flatMap((rows) => Effect.forEach(rows, (row) => toDelivery(row.document)))
        )
      },
      // The recipient column and the document both hold the address; LIKE may select too much (`_`), the rule decides.
      eraseRecipient: (recipient, replacement) =>
        inTransaction(Effect.gen(function*() {
          const address = recipient.toLowerCase()
          const rows = yield* sql<{ readonly document: unknown }>`SELECT document FROM ${deliveriesTable}
            WHERE LOWER(recipient) = ${address} OR LOWER(CAST(document AS TEXT)) LIKE ${`%${address}%`}`.pipe(
            orStorageError("Deliveries.eraseRecipient")
          )
          let changed = 0
          for (const row of rows) {
            const record = yield* toDelivery(row.document)
            const erased = Outbox.eraseRecipientIn(record, recipient, replacement)
            if (erased === record) continue
            const document = yield* fromDelivery(erased)
            yield* sql`UPDATE ${deliveriesTable} SET recipient = ${erased.recipient ?? ""}, document = ${document}
              WHERE delivery_key = ${erased.key}`.pipe(orStorageError("Deliveries.eraseRecipient"))
            changed++
          }
          return changed
        }))
    }

    /** The erasure of an address marks its transaction, or clears the files at once outside one. */
    const eraseRecipient: Store["deliveries"]["eraseRecipient"] = (recipient, replacement) =>
      Effect.flatMap(Effect.serviceOption(Committing), (committing) =>
        Effect.tap(deliveries.eraseRecipient(recipient, replacement), () => {
          if (Option.isNone(committing)) return clearErased
          committing.value.erased = true
          return Effect.void
        }))

    const search: Store["search"] = {
      insights: (query) => searchIndex.insights(query).pipe(orStorageError("SearchIndex.insights")),
      minutes: (query) => searchIndex.minutes(query).pipe(orStorageError("SearchIndex.minutes"))
    }

    return { store, eventLog: { append, read }, transaction, outbox, deliveries: { ...deliveries, eraseRecipient }, summaries, search }
  })

/**
 * Provides every port of a {@link Store}.
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { SqlClient } from "@effect/sql"
 * import { SqlStore } from "@copkit/storage-sql"
 *
 * // the ports of a store built once, e.g. to share it between two layers
 * const storage = Layer.unwrapEffect(Effect.map(SqlStore.make(), SqlStore.layerStore))
 * ```
 *
 * @category layers
 */
export const layerStore: (store: Store) => Layer.Layer<StoragePorts> = Repository.layerStorage

/**
 * Runs the migrations, then provides every storage port (the entity store, all repositories, the
 * event log, the transaction boundary, the outbox and the delivery records) on the `SqlClient`.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { Services } from "@copkit/core"
 * import { SqlStore } from "@copkit/storage-sql"
 * import { SqliteClient } from "@effect/sql-sqlite-node"
 *
 * // runs the migrations, then provides every storage port, on an @effect/sql client
 * const storage = SqlStore.layer({ prefix: "copkit_" }).pipe(Layer.provide(SqliteClient.layer({ filename: "copkit.db" })))
 * const app = Services.layer.pipe(Layer.provideMerge(storage))
 * ```
 *
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<StoragePorts, StorageError, SqlClient.SqlClient> =>
  Layer.unwrapEffect(Effect.map(Effect.zipRight(Migrations.run(options), make(options)), layerStore))
