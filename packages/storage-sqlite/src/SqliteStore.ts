/**
 * The embedded default store: a SQLite file (WAL mode) through `@effect/sql-sqlite-node`
 * (better-sqlite3), with the migrations run. One call with a file path gives a ready store.
 *
 * @since 0.1.0
 */
import { Config, Context, Duration, Effect, Layer } from "effect"
import type { ConfigError, Scope } from "effect"
import * as Reactivity from "@effect/experimental/Reactivity"
import { SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { StorageError } from "@copkit/core"
import { Migrations, SqlStore } from "@copkit/storage-sql"

/** Where the store lives and how long a write waits for a lock. @category models */
export interface Options {
  /** The database file, created if missing; `:memory:` for a store that lives as long as its scope. */
  readonly filename: string
  /** Put before every table name. Default `copkit_`. */
  readonly prefix?: string | undefined
  /**
   * How long a statement waits for another connection's lock before it fails with a
   * StorageError (SQLite's busy timeout). Default 5 seconds.
   */
  readonly busyTimeout?: Duration.Duration | undefined
}

/** The ports the SQLite store provides: every storage port, and the SqlClient for queries of your own. @category models */
export type Provided = SqlStore.StoragePorts | SqlClient.SqlClient

const message = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause))

/**
 * Opens the database with WAL and the busy timeout set; any failure is a StorageError.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { SqliteStore } from "@copkit/storage-sqlite"
 *
 * // a client for a query of your own; no migrations are run
 * const count = Effect.scoped(
 *   Effect.gen(function*() {
 *     const sql = yield* SqliteStore.makeClient({ filename: "./data/copkit.db" })
 *     return yield* sql<{ n: number }>`SELECT count(*) AS n FROM copkit_events`
 *   })
 * )
 * ```
 *
 * @category constructors
 */
export const makeClient = (options: Options): Effect.Effect<SqliteClient.SqliteClient, StorageError, Scope.Scope> =>
  Effect.gen(function*() {
    const client = yield* SqliteClient.make({ filename: options.filename })
    const busy = Duration.toMillis(options.busyTimeout ?? Duration.seconds(5))
    yield* client.unsafe(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(busy))}`)
    yield* client.unsafe("PRAGMA synchronous = NORMAL")
    // Deleted and overwritten content is zeroed, so that erased personal data leaves no trace in free pages.
    yield* client.unsafe("PRAGMA secure_delete = ON")
    return client
  }).pipe(
    Effect.provide(Reactivity.layer),
    Effect.mapError((e) => new StorageError({ operation: "open", message: `${e.message}: ${message(e.cause)}` })),
    // better-sqlite3 throws while opening (a missing folder, a locked file): a StorageError, not a defect
    Effect.catchAllDefect((d) => Effect.fail(new StorageError({ operation: "open", message: `Cannot open ${options.filename}: ${message(d)}` })))
  )

/**
 * Opens the database, runs the migrations and builds every port. Closes the file when the scope closes.
 *
 * @example
 * ```ts
 * import { Duration, Effect } from "effect"
 * import { SqliteStore } from "@copkit/storage-sqlite"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function*() {
 *     const store = yield* SqliteStore.make({ filename: "./data/copkit.db", busyTimeout: Duration.seconds(10) })
 *     // store.store, store.eventLog, store.outbox, ...: the ports; store.client: queries of your own
 *     const [row] = yield* store.client<{ n: number }>`SELECT count(*) AS n FROM copkit_events`
 *     console.log(row?.n)
 *   })
 * )
 * ```
 *
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<SqlStore.Store & { readonly client: SqlClient.SqlClient }, StorageError, Scope.Scope> =>
  Effect.gen(function*() {
    const client = yield* makeClient(options)
    const prefix = { prefix: options.prefix }
    const store = yield* Effect.provideService(Effect.zipRight(Migrations.run(prefix), SqlStore.make(prefix)), SqlClient.SqlClient, client)
    return { ...store, client }
  })

/**
 * A ready store on a SQLite file: every storage port, and the SqlClient.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { Services } from "@copkit/core"
 * import { SqliteStore } from "@copkit/storage-sqlite"
 *
 * const storage = SqliteStore.layer({ filename: "./data/copkit.db" })
 * const app = Services.layer.pipe(Layer.provideMerge(storage))
 * ```
 *
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<Provided, StorageError> =>
  Layer.unwrapScoped(
    Effect.map(make(options), ({ client, ...store }) =>
      Layer.merge(SqlStore.layerStore(store), Layer.succeedContext(Context.make(SqlClient.SqlClient, client))))
  )

/**
 * {@link layer} with its options read from configuration.
 *
 * @example
 * ```ts
 * import { Config } from "effect"
 * import { SqliteStore } from "@copkit/storage-sqlite"
 *
 * // COPKIT_DB=./data/copkit.db
 * const storage = SqliteStore.layerConfig({
 *   filename: Config.string("COPKIT_DB").pipe(Config.withDefault("./data/copkit.db"))
 * })
 * ```
 *
 * @category layers
 */
export const layerConfig = (config: Config.Config.Wrap<Options>): Layer.Layer<Provided, StorageError | ConfigError.ConfigError> =>
  Layer.unwrapEffect(Effect.map(Config.unwrap(config), layer))
