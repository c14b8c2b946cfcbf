/**
 * A real copkit HTTP server for the tests: Node's http server on a loopback port chosen by the
 * system, the services on a SQLite file in a temporary folder (or, when COPKIT_TEST_POSTGRES_URL
 * is set, on PostgreSQL in a schema of its own), signed bearer tokens, answer links, private feeds
 * rendered by @copkit/calendar-ical, and every span recorded by OpenTelemetry's in-memory exporter.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { NodeSdk } from "@effect/opentelemetry"
import { HttpServer } from "@effect/platform"
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
import { Effect, Layer, ManagedRuntime, Redacted } from "effect"
import { SqlClient } from "@effect/sql"
import type { Actor, Repository } from "@copkit/core"
import { Ids, Services, Settings } from "@copkit/core"
import { ICalendar } from "@copkit/calendar-ical"
import type { Api } from "@copkit/http"
import { Authenticator, Server, Tokens } from "@copkit/http"
import { PgStore } from "@copkit/storage-postgres"
import { SqliteStore } from "@copkit/storage-sqlite"

export const key = Redacted.make("a test key that is long enough for HMAC-SHA256, 32+ bytes")
export const tokens = Tokens.make({ key })

/** A token for the actor, valid for an hour. */
export const tokenFor = (actor: Actor.Actor | typeof Actor.Actor.Encoded): string =>
  tokens.sign(actor, new Date(Date.now() + 60 * 60 * 1000))

/** The key of the answer links the test server checks. */
export const linkKey = Redacted.make("the answer links' test key, also longer than 32 bytes")

/** The PostgreSQL server of the tests, from the environment; the PostgreSQL runs are skipped without it. */
export const postgresUrl = process.env["COPKIT_TEST_POSTGRES_URL"]

export const postgresSkipReason =
  "@copkit/http's PostgreSQL runs skipped: COPKIT_TEST_POSTGRES_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test)"

/** The stores the HTTP tests run on: SQLite always, PostgreSQL when COPKIT_TEST_POSTGRES_URL is set. */
export type StoreKind = "sqlite" | "postgres"

/** The stores to run on, printing why PostgreSQL is left out when it is. */
export const stores = (): ReadonlyArray<StoreKind> => {
  if (postgresUrl === undefined) {
    console.warn(postgresSkipReason)
    return ["sqlite"]
  }
  return ["sqlite", "postgres"]
}

export interface Running {
  readonly url: string
  readonly spans: InMemorySpanExporter
  readonly post: (path: string, body: unknown, token?: string) => Promise<Response>
  /** Runs an effect on the server's own services and storage (to seed what HTTP has no endpoint for). */
  readonly run: <A, E>(effect: Effect.Effect<A, E, Services.Services | Repository.StoragePorts>) => Promise<A>
  readonly close: () => Promise<void>
}

/** The services on a SQLite file in a fresh temporary folder. */
export const sqliteServices = (filename: string) =>
  Services.layer.pipe(
    Layer.provideMerge(Layer.mergeAll(SqliteStore.layer({ filename }), Ids.layerRandom, Settings.layer({})))
  ) as Layer.Layer<Services.Services, unknown>

/** The services on PostgreSQL, in a schema of their own that is dropped when the layer is released. */
export const postgresServices = (schema: string) => {
  const drop = Layer.scopedDiscard(Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* Effect.addFinalizer(() => Effect.ignore(sql`DROP SCHEMA IF EXISTS ${sql(schema)} CASCADE`))
  }))
  const store = drop.pipe(Layer.provideMerge(PgStore.layer({ url: Redacted.make(postgresUrl ?? ""), schema })))
  return Services.layer.pipe(
    Layer.provideMerge(Layer.mergeAll(store, Ids.layerRandom, Settings.layer({})))
  ) as unknown as Layer.Layer<Services.Services, unknown>
}

export const start = async (options: Api.Options & { readonly store?: StoreKind } = {}): Promise<Running> => {
  const dir = mkdtempSync(join(tmpdir(), "copkit-http-"))
  const { store = "sqlite", ...apiOptions } = options
  const services = store === "postgres"
    ? postgresServices(`copkit_http_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`)
    : sqliteServices(join(dir, "copkit.db"))
  const spans = new InMemorySpanExporter()
  const tracing = NodeSdk.layer(() => ({
    resource: { serviceName: "copkit-http-test" },
    spanProcessor: new SimpleSpanProcessor(spans)
  }))
  const server = Server.layer({ ...apiOptions, port: 0, host: "127.0.0.1" }).pipe(
    Layer.provide(Authenticator.layerTokens),
    Layer.provide(Tokens.layer({ key })),
    // the services stay in the runtime (for `run`); the feeds are rendered by @copkit/calendar-ical
    Layer.provideMerge(Layer.merge(services, ICalendar.layer)),
    Layer.provide(tracing)
  )
  const runtime = ManagedRuntime.make(server)
  const address = await runtime.runPromise(Effect.map(HttpServer.HttpServer, (s) => s.address))
  if (address._tag !== "TcpAddress") throw new Error("expected a TCP address")
  const url = `http://127.0.0.1:${address.port}`
  return {
    url,
    spans,
    post: (path, body, token) =>
      fetch(`${url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
        ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) })
      }),
    run: (effect) => runtime.runPromise(effect as Effect.Effect<any, any, any>),
    close: async () => {
      await runtime.dispose()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
