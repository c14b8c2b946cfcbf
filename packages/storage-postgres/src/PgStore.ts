/**
 * copkit on PostgreSQL through `@effect/sql-pg`: several application instances on one database.
 * Claims of the outbox use `FOR UPDATE SKIP LOCKED`, so dispatchers can run side by side.
 *
 * @since 0.1.0
 */
import { Config, Context, Duration, Effect, Layer } from "effect"
import type { ConfigError, Redacted, Scope } from "effect"
import * as Reactivity from "@effect/experimental/Reactivity"
import { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { StorageError } from "@copkit/core"
import { Migrations, SqlStore } from "@copkit/storage-sql"

/** Where the database is and where the tables live. @category models */
export interface Options {
  /** The connection URL, as `postgres://user:password@host:5432/database`. A secret: keep it `Redacted`. */
  readonly url: Redacted.Redacted
  /** Put before every table name. Default `copkit_`. */
  readonly prefix?: string | undefined
  /** The schema that holds the tables, created if missing. Default: the connection's search path (`public`). */
  readonly schema?: string | undefined
  /** How long to wait for a connection before failing with a StorageError. Default 5 seconds. */
  readonly connectTimeout?: Duration.Duration | undefined
  /** The size of the connection pool. Default 10. */
  readonly maxConnections?: number | undefined
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

/** Connects, failing with a StorageError within the connect timeout when the database cannot be reached. @category constructors */
export const makeClient = (options: Options): Effect.Effect<PgClient.PgClient, StorageError, Scope.Scope> => {
  const timeout = options.connectTimeout ?? Duration.seconds(5)
  return PgClient.make({
    url: options.url,
    connectTimeout: timeout,
    maxConnections: options.maxConnections ?? 10,
    applicationName: "copkit"
  }).pipe(
    Effect.provide(Reactivity.layer),
    Effect.mapError((e) => new StorageError({ operation: "connect", message: `${e.message}: ${describe(e.cause)}` })),
    Effect.catchAllDefect((d) => Effect.fail(new StorageError({ operation: "connect", message: describe(d) })))
  )
}

/** Connects, runs the migrations and builds every port. Closes the pool when the scope closes. @category constructors */
export const make = (options: Options): Effect.Effect<SqlStore.Store & { readonly client: SqlClient.SqlClient }, StorageError, Scope.Scope> =>
  Effect.gen(function*() {
    const client = yield* makeClient(options)
    const tables = { prefix: options.prefix, schema: options.schema }
    const store = yield* Effect.provideService(Effect.zipRight(Migrations.run(tables), SqlStore.make(tables)), SqlClient.SqlClient, client)
    return { ...store, client }
  })

/** A ready store on PostgreSQL: every storage port, and the SqlClient. @category layers */
export const layer = (options: Options): Layer.Layer<Provided, StorageError> =>
  Layer.unwrapScoped(
    Effect.map(make(options), ({ client, ...store }) =>
      Layer.merge(SqlStore.layerStore(store), Layer.succeedContext(Context.make(SqlClient.SqlClient, client))))
  )

/** {@link layer} with its options read from configuration, as `Config.redacted("DATABASE_URL")` for the URL. @category layers */
export const layerConfig = (config: Config.Config.Wrap<Options>): Layer.Layer<Provided, StorageError | ConfigError.ConfigError> =>
  Layer.unwrapEffect(Effect.map(Config.unwrap(config), layer))
