/**
 * RFC 6750, section 3: every 401 carries `WWW-Authenticate: Bearer realm="copkit"`, with
 * `error="invalid_token"` when the request did send a bearer token (bad, tampered or expired).
 * Set by a pre-response handler: the server writes the response before a middleware sees it.
 */
import { Effect } from "effect"
import { HttpApp, HttpServerResponse } from "@effect/platform"
import type { HttpServerRequest } from "@effect/platform"

const challenge = (request: HttpServerRequest.HttpServerRequest, response: HttpServerResponse.HttpServerResponse) => {
  if (response.status !== 401) return response
  const given = /^bearer\s+\S/i.test(request.headers["authorization"] ?? "")
  return HttpServerResponse.setHeader(
    response,
    "www-authenticate",
    given
      ? `Bearer realm="copkit", error="invalid_token", error_description="The access token is invalid or has expired"`
      : `Bearer realm="copkit"`
  )
}

/** The served app, its 401 responses carrying the challenge. */
export const withChallenge = (app: HttpApp.Default): HttpApp.Default =>
  Effect.zipRight(HttpApp.appendPreResponseHandler((request, response) => Effect.succeed(challenge(request, response))), app)
