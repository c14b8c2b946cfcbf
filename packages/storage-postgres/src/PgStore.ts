/**
 * copkit on PostgreSQL through `@effect/sql-pg`: several application instances on one database.
 * Claims of the outbox use `FOR UPDATE SKIP LOCKED`, so dispatchers can run side by side.
 *
 * @since 0.1.0
 */
import { Config, Context, Duration, Effect, Layer, Redacted } from "effect"
import type { ConfigError, Scope } from "effect"
import * as Reactivity from "@effect/experimental/Reactivity"
import { SqlClient, SqlError } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { StorageError } from "@copkit/core"
import { Migrations, SqlStore } from "@copkit/storage-sql"
import Pg from "pg"

/** Where the database is and where the tables live. @category models */
export interface Options {
  /**
   * The connection URL, as `postgres://user:password@host:5432/database`. A secret: keep it
   * `Redacted` (as `Redacted.make(url)` or `Config.redacted("DATABASE_URL")`); a plain string is
   * accepted too.
   */
  readonly url: Redacted.Redacted | string
  /** Put before every table name. Default `copkit_`. */
  readonly prefix?: string | undefined
  /** The schema that holds the tables, created if missing. Default: the connection's search path (`public`). */
  readonly schema?: string | undefined
  /** How long to wait for a connection before failing with a StorageError. Default 5 seconds. */
  readonly connectTimeout?: Duration.DurationInput | undefined
  /** The size of the connection pool. Default 10. */
  readonly maxConnections?: number | undefined
  /**
   * How long the server lets one statement run before it cancels it (PostgreSQL's
   * `statement_timeout`); the command fails with a StorageError. Default 30 seconds.
   */
  readonly statementTimeout?: Duration.DurationInput | undefined
  /**
   * How long the client waits for the answer to a statement before it gives up on it, for a
   * network that goes silent (the server never hears the cancel); the command fails with a
   * StorageError. Default: the statement timeout plus 5 seconds.
   */
  readonly queryTimeout?: Duration.DurationInput | undefined
  /** The name the connections show in `pg_stat_activity`. Default `copkit`. */
  readonly applicationName?: string | undefined
  /**
   * Whether a statement sent a second time (with parameters) goes to the server as a named,
   * prepared statement from then on, parsed and planned once per connection rather than on every
   * call: the store's statements are a fixed set, so this saves the server most of its work per
   * command. At most 500 statements are named. Default `true`; set it `false` behind a connection
   * pooler that does not keep prepared statements across transactions (PgBouncer in transaction
   * mode before 1.21).
   */
  readonly preparedStatements?: boolean | undefined
}

/** The ports the PostgreSQL store provides: every storage port, and the SqlClient for queries of your own. @category models */
export type Provided = SqlStore.StoragePorts | SqlClient.SqlClient

const describe = (cause: unknown): string => {
  if (cause instanceof AggregateError && cause.errors.length > 0) return cause.errors.map(describe).join("; ")
  if (cause instanceof Error) {
    const code = (cause as { readonly code?: unknown }).code
    return cause.message === "" && typeof code === "string" ? code : cause.message
  }
  return String(cause)
}

const millis = (duration: Duration.DurationInput | undefined, fallback: Duration.DurationInput): number =>
  Math.max(1, Math.floor(Duration.toMillis(Duration.decode(duration ?? fallback))))

/** How many distinct statements a pool names at most (each connection keeps a plan of each it runs). */
const maxNamedStatements = 500

/**
 * A pg client that sends a statement with parameters as a named (prepared) statement from its
 * second use on, so that each connection parses and plans it once. The names are the pool's, one
 * per text; statements without parameters (BEGIN, DDL, several statements in one text) are left
 * as they are.
 */
const preparingClient = (): typeof Pg.Client => {
  const names = new Map<string, string>()
  // texts seen once (bounded: a text built anew on every call never fills the names)
  const seenOnce = new Set<string>()
  return class extends Pg.Client {
    override query(config: any, values?: any, callback?: any): any {
      if (typeof config === "string" && Array.isArray(values) && values.length > 0) {
        let name = names.get(config)
        if (name === undefined && names.size < maxNamedStatements) {
          if (seenOnce.delete(config)) {
            name = `copkit_${names.size + 1}`
            names.set(config, name)
          } else if (seenOnce.size < maxNamedStatements * 4) {
            seenOnce.add(config)
          }
        }
        if (name !== undefined) return super.query({ name, text: config, values }, callback)
      }
      return super.query(config, values, callback)
    }
  } as typeof Pg.Client
}

/** The pool, with the timeouts set; closed when the scope closes. */
const pool = (options: Options, connectMillis: number): Effect.Effect<Pg.Pool, SqlError.SqlError, Scope.Scope> => {
  const statementMillis = millis(options.statementTimeout, Duration.seconds(30))
  const queryMillis = options.queryTimeout === undefined ? statementMillis + 5_000 : millis(options.queryTimeout, 0)
  return Effect.acquireRelease(
    Effect.sync(() => {
      const p = new Pg.Pool({
        connectionString: typeof options.url === "string" ? options.url : Redacted.value(options.url),
        connectionTimeoutMillis: connectMillis,
        max: options.maxConnections ?? 10,
        application_name: options.applicationName ?? "copkit",
        statement_timeout: statementMillis,
        query_timeout: queryMillis,
        keepAlive: true,
        ...(options.preparedStatements === false ? {} : { Client: preparingClient() })
      })
      // A connection that dies while idle in the pool: the pool drops it; the next statement gets another.
      p.on("error", () => {})
      return p
    }),
    (p) => Effect.promise(() => p.end()).pipe(Effect.interruptible, Effect.timeoutOption(1000))
  ).pipe(
    Effect.tap((p) =>
      Effect.tryPromise({
        try: () => p.query("SELECT 1"),
        catch: (cause) => new SqlError.SqlError({ cause, message: "PgClient: Failed to connect" })
      }).pipe(Effect.timeoutFail({
        duration: connectMillis,
        onTimeout: () => new SqlError.SqlError({ cause: new Error("Connection timed out"), message: "PgClient: Connection timed out" })
      })))
  )
}

/**
 * Connects, failing with a StorageError within the connect timeout when the database cannot be reached.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { PgStore } from "@copkit/storage-postgres"
 *
 * const health = Effect.scoped(
 *   Effect.gen(function*() {
 *     const sql = yield* PgStore.makeClient({ url: Redacted.make("postgres://copkit@db.example.nl:5432/copkit"), connectTimeout: "3 seconds" })
 *     return yield* sql`SELECT 1`
 *   })
 * )
 * ```
 *
 * @category constructors
 */
export const makeClient = (options: Options): Effect.Effect<PgClient.PgClient, StorageError, Scope.Scope> =>
  PgClient.fromPool({ acquire: pool(options, millis(options.connectTimeout, Duration.seconds(5))), applicationName: options.applicationName ?? "copkit" }).pipe(
    Effect.provide(Reactivity.layer),
    Effect.mapError((e) => new StorageError({ operation: "connect", message: `${e.message}: ${describe(e.cause)}` })),
    Effect.catchAllDefect((d) => Effect.fail(new StorageError({ operation: "connect", message: describe(d) })))
  )

/**
 * Connects, runs the migrations and builds every port. Closes the pool when the scope closes.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { PgStore } from "@copkit/storage-postgres"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function*() {
 *     const store = yield* PgStore.make({ url: Redacted.make("postgres://copkit@db.example.nl:5432/copkit"), schema: "copkit" })
 *     // store.store, store.eventLog, store.outbox, ...: the ports; store.client: queries of your own
 *     const [row] = yield* store.client<{ n: number }>`SELECT count(*)::int AS n FROM copkit.copkit_events`
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
    const tables = { prefix: options.prefix, schema: options.schema }
    const store = yield* Effect.provideService(Effect.zipRight(Migrations.run(tables), SqlStore.make(tables)), SqlClient.SqlClient, client)
    return { ...store, client }
  })

/**
 * A ready store on PostgreSQL: every storage port, and the SqlClient.
 *
 * @example
 * ```ts
 * import { Layer, Redacted } from "effect"
 * import { Services } from "@copkit/core"
 * import { PgStore } from "@copkit/storage-postgres"
 *
 * const storage = PgStore.layer({
 *   url: Redacted.make("postgres://copkit@db.example.nl:5432/copkit"),
 *   schema: "copkit",
 *   maxConnections: 10,
 *   statementTimeout: "30 seconds"
 * })
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
 * {@link layer} with its options read from configuration, as `Config.redacted("DATABASE_URL")` for the URL.
 *
 * @example
 * ```ts
 * import { Config } from "effect"
 * import { PgStore } from "@copkit/storage-postgres"
 *
 * // DATABASE_URL=postgres://copkit@db.example.nl:5432/copkit
 * const storage = PgStore.layerConfig({
 *   url: Config.redacted("DATABASE_URL"),
 *   schema: Config.string("COPKIT_SCHEMA").pipe(Config.withDefault("copkit"))
 * })
 * ```
 *
 * @category layers
 */
export const layerConfig = (config: Config.Config.Wrap<Options>): Layer.Layer<Provided, StorageError | ConfigError.ConfigError> =>
  Layer.unwrapEffect(Effect.map(Config.unwrap(config), layer))
