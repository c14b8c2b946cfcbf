/**
 * Who calls: a port that turns a request into an `Actor`. The HTTP API asks it on every request and
 * runs the service call as that actor; a failure answers 401. Ship your own for a session cookie or
 * a header set by a gateway; {@link layerTokens} checks signed bearer tokens (see `Tokens`).
 *
 * @since 0.1.0
 */
import { HttpServerRequest } from "@effect/platform"
import { Context, Effect, Layer } from "effect"
import type { Actor } from "@copkit/core"
import { Unauthorized } from "./Problem.js"
import * as Tokens from "./Tokens.js"

/** Turns a request into the actor who makes it. @category models */
export interface AuthenticatorService {
  readonly authenticate: (request: HttpServerRequest.HttpServerRequest) => Effect.Effect<Actor.Actor, Unauthorized>
}

/** The authenticator port. @category services */
export class Authenticator extends Context.Tag("@copkit/http/Authenticator")<Authenticator, AuthenticatorService>() {}

/** The token of an `Authorization: Bearer <token>` header, if there is one. @category accessors */
export const bearerToken = (request: HttpServerRequest.HttpServerRequest): string | undefined => {
  const header = request.headers["authorization"]
  if (header === undefined) return undefined
  const match = /^Bearer +(\S+) *$/i.exec(header)
  return match?.[1]
}

/** Signed bearer tokens: no token, a bad signature or an expired token is refused. @category layers */
export const layerTokens: Layer.Layer<Authenticator, never, Tokens.Tokens> = Layer.effect(
  Authenticator,
  Effect.map(Tokens.Tokens, (tokens) =>
    Authenticator.of({
      authenticate: (request) => {
        const token = bearerToken(request)
        if (token === undefined) {
          return Effect.fail(new Unauthorized({ reason: "missing", message: "The request has no Authorization: Bearer token" }))
        }
        return Effect.provideService(Tokens.verify(token), Tokens.Tokens, tokens)
      }
    }))
)

/** An authenticator that answers every request with one actor: for tests and trusted local tools only. @category layers */
export const layerFixed = (actor: Actor.Actor): Layer.Layer<Authenticator> =>
  Layer.succeed(Authenticator, Authenticator.of({ authenticate: () => Effect.succeed(actor) }))
