/**
 * Serving the API: on Node's `http` server through `@effect/platform-node` ({@link layer}), or as a
 * web handler `(Request) => Promise<Response>` for any server or framework that speaks the Fetch
 * API ({@link toWebHandler}).
 *
 * ```ts
 * const server = Server.layer({ port: 8080 }).pipe(
 *   Layer.provide(Authenticator.layerTokens),
 *   Layer.provide(Tokens.layer({ key: Redacted.make(process.env.COPKIT_TOKEN_KEY!) })),
 *   Layer.provide(services) // Services.layer on the storage, ids and settings
 * )
 * Layer.launch(server).pipe(NodeRuntime.runMain)
 * ```
 *
 * @since 0.1.0
 */
import { createServer } from "node:http"
import { HttpApiBuilder, HttpServer } from "@effect/platform"
import type { HttpServerError } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Config, Effect, Layer } from "effect"
import type { ConfigError } from "effect"
import type { Services } from "@copkit/core"
import * as Api from "./Api.js"
import type { Authenticator } from "./Authenticator.js"
import { withChallenge } from "./internal/challenge.js"

/** Where to listen, and the API's options. @category models */
export interface Options extends Api.Options {
  /** The port; `0` picks a free one (read it from `HttpServer.HttpServer`'s `address`). */
  readonly port: number
  /** The address to listen on. Default: every address (`::` or `0.0.0.0`). */
  readonly host?: string | undefined
}

/**
 * The API served on Node's `http` server. The layer gives the platform's `HttpServer` (its
 * `address` says the port chosen) and closes the server when released.
 *
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<HttpServer.HttpServer, HttpServerError.ServeError, Services.Services | Authenticator> =>
  HttpApiBuilder.serve(withChallenge).pipe(
    Layer.provide(Api.layer(options)),
    Layer.provideMerge(NodeHttpServer.layer(createServer, {
      port: options.port,
      ...(options.host === undefined ? {} : { host: options.host })
    }))
  )

/** {@link layer} with its options read from configuration. @category layers */
export const layerConfig = (
  config: Config.Config.Wrap<Options>
): Layer.Layer<HttpServer.HttpServer, HttpServerError.ServeError | ConfigError.ConfigError, Services.Services | Authenticator> =>
  Layer.unwrapEffect(Effect.map(Config.unwrap(config), layer))

/** A web handler and how to release what it holds. @category models */
export interface WebHandler {
  readonly handler: (request: Request) => Promise<Response>
  readonly dispose: () => Promise<void>
}

/**
 * The API as a web handler: give it the services and the authenticator as one layer (built on the
 * first request, released by `dispose`).
 *
 * @category constructors
 */
export const toWebHandler = <E>(
  services: Layer.Layer<Services.Services | Authenticator, E>,
  options: Api.Options = {}
): WebHandler => {
  const { dispose, handler } = HttpApiBuilder.toWebHandler(
    Layer.mergeAll(Api.layer(options).pipe(Layer.provide(services)), HttpServer.layerContext),
    { middleware: withChallenge }
  )
  return { handler: (request) => handler(request), dispose }
}
