/**
 * @copkit/http: every copkit service over HTTP on `@effect/platform`'s HttpApi, with an OpenAPI 3.1
 * document, signed bearer tokens, and errors as `application/problem+json`.
 *
 * @since 0.1.0
 * @module @copkit/http
 */

/** The API: one group per service, one endpoint per method, the handlers and the served layer. */
export * as Api from "./Api.js"
/** Who calls: the port that turns a request into an actor, and its bearer-token implementation. */
export * as Authenticator from "./Authenticator.js"
/** Every service method as an endpoint, as data checked against the services' interfaces. */
export * as Endpoints from "./Endpoints.js"
/** Answer links and private feed links, signed for the routes the API serves. */
export * as Links from "./Links.js"
/** Errors as `application/problem+json` (RFC 9457), with their statuses. */
export * as Problem from "./Problem.js"
/** Serving the API on Node's http server, or as a web handler. */
export * as Server from "./Server.js"
/** Signed bearer tokens (HMAC-SHA256, with an expiry) that name an actor. */
export * as Tokens from "./Tokens.js"
