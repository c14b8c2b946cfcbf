/**
 * A real copkit HTTP server for the tests: Node's http server on a loopback port chosen by the
 * system, the services on a SQLite file in a temporary folder, signed bearer tokens, and every
 * span recorded by OpenTelemetry's in-memory exporter.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { NodeSdk } from "@effect/opentelemetry"
import { HttpServer } from "@effect/platform"
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
import { Effect, Layer, ManagedRuntime, Redacted } from "effect"
import type { Actor } from "@copkit/core"
import { Ids, Services, Settings } from "@copkit/core"
import type { Api } from "@copkit/http"
import { Authenticator, Server, Tokens } from "@copkit/http"
import { SqliteStore } from "@copkit/storage-sqlite"

export const key = Redacted.make("a test key that is long enough for HMAC-SHA256, 32+ bytes")
export const tokens = Tokens.make({ key })

/** A token for the actor, valid for an hour. */
export const tokenFor = (actor: Actor.Actor | typeof Actor.Actor.Encoded): string =>
  tokens.sign(actor, new Date(Date.now() + 60 * 60 * 1000))

export interface Running {
  readonly url: string
  readonly spans: InMemorySpanExporter
  readonly post: (path: string, body: unknown, token?: string) => Promise<Response>
  readonly close: () => Promise<void>
}

/** The services on a SQLite file in a fresh temporary folder. */
export const sqliteServices = (filename: string) =>
  Services.layer.pipe(
    Layer.provideMerge(Layer.mergeAll(SqliteStore.layer({ filename }), Ids.layerRandom, Settings.layer({})))
  ) as Layer.Layer<Services.Services, unknown>

export const start = async (options: Api.Options = {}): Promise<Running> => {
  const dir = mkdtempSync(join(tmpdir(), "copkit-http-"))
  const spans = new InMemorySpanExporter()
  const tracing = NodeSdk.layer(() => ({
    resource: { serviceName: "copkit-http-test" },
    spanProcessor: new SimpleSpanProcessor(spans)
  }))
  const server = Server.layer({ ...options, port: 0, host: "127.0.0.1" }).pipe(
    Layer.provide(Authenticator.layerTokens),
    Layer.provide(Tokens.layer({ key })),
    Layer.provide(sqliteServices(join(dir, "copkit.db"))),
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
    close: async () => {
      await runtime.dispose()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
