/**
 * The copkit HTTP API on `@effect/platform`'s `HttpApi`: one group per core service, one
 * `POST /<service>/<method>` endpoint per method, built from the table in `Endpoints`. The body is
 * the method's plain input as JSON (the core's input schema, decoded by the core itself so that a
 * bad input answers 400 with the field and the rule); the answer is the method's result encoded
 * with the core's model schema. Every request is authenticated by the `Authenticator` and the call
 * runs as that actor (`Actor.CurrentActor`). Errors are `application/problem+json` (see `Problem`).
 *
 * @since 0.1.0
 */
import {
  HttpApi,
  HttpApiBuilder,
  HttpApiEndpoint,
  HttpApiGroup,
  HttpApiMiddleware,
  HttpApiSecurity,
  HttpApiSwagger,
  HttpServerRequest,
  OpenApi
} from "@effect/platform"
import type { HttpApiError } from "@effect/platform"
import { Effect, Layer, Stream } from "effect"
import { Actor } from "@copkit/core"
import type { Services } from "@copkit/core"
import { Authenticator } from "./Authenticator.js"
import * as Endpoints from "./Endpoints.js"
import * as Routes from "./internal/routes.js"
import * as Links from "./Links.js"
import * as Problem from "./Problem.js"

/** What the API accepts and offers besides the service endpoints. @category models */
export interface Options {
  /** The largest request body accepted, in bytes; larger ones answer 413. Default 1 MiB. */
  readonly maxBodySize?: number | undefined
  /**
   * Cross-origin requests: `true` allows every origin, or give the origins (and more) as
   * `@effect/platform`'s CORS options. Off by default.
   */
  readonly cors?: boolean | Parameters<typeof HttpApiBuilder.middlewareCors>[0] | undefined
  /** Where the OpenAPI 3.1 document is served. Default `/openapi.json`. */
  readonly openApiPath?: `/${string}` | undefined
  /** Where the reference page (Swagger UI) is served, or `false` for none. Default `/docs`. */
  readonly docsPath?: `/${string}` | false | undefined
  /** The API's title and version in the OpenAPI document. */
  readonly title?: string | undefined
  readonly version?: string | undefined
  /**
   * Answers by link: the key that signs them and the server's public address (see `Links`). With
   * it, `GET` and `POST /links/answer/<token>` are served; without it, those routes are not.
   * Private feeds (`GET /feeds/<token>.ics`) are served whenever a `CalendarRenderer` is provided
   * (`ICalendar.layer` of `@copkit/calendar-ical`).
   */
  readonly links?: Links.Options | undefined
}

/** The default largest request body: 1 MiB. @category constants */
export const defaultMaxBodySize = 1024 * 1024

/** The options of the {@link Authentication} middleware, written out so that its declaration can be emitted. */
interface AuthenticationOptions {
  readonly failure: typeof Problem.UnauthorizedProblem
  readonly provides: typeof Actor.CurrentActor
  readonly security: { readonly bearer: HttpApiSecurity.Bearer }
}

const authenticationOptions: AuthenticationOptions = {
  failure: Problem.UnauthorizedProblem,
  provides: Actor.CurrentActor,
  security: { bearer: HttpApiSecurity.bearer }
}

/**
 * The authentication of every endpoint: the `Authenticator` turns the request into the actor the
 * call runs as. Documented as a bearer token; an authenticator of your own may read anything else.
 *
 * @category middleware
 */
export class Authentication extends HttpApiMiddleware.Tag<Authentication>()("@copkit/http/Authentication", authenticationOptions) {}

/** The middleware layer of {@link Authentication}, asking the `Authenticator`. @category layers */
export const layerAuthentication: Layer.Layer<Authentication, never, Authenticator> = Layer.effect(
  Authentication,
  Effect.map(Authenticator, (authenticator) =>
    Authentication.of({
      bearer: () => Effect.flatMap(HttpServerRequest.HttpServerRequest, authenticator.authenticate)
    }))
)

/** A group of the API: one service's endpoints, all authenticated. @category models */
export type Group = HttpApiGroup.HttpApiGroup<string, HttpApiEndpoint.HttpApiEndpoint.Any, any, Authentication>

/** The API's type: its groups are built from data, so their names are strings. @category models */
export type CopkitApi = HttpApi.HttpApi<"copkit", Group, HttpApiError.HttpApiDecodeError, never>

const groupOf = (service: Endpoints.ServiceName): Group => {
  const entry = Endpoints.services[service]
  let group: HttpApiGroup.HttpApiGroup<string, any, any, any> = HttpApiGroup.make(service) as any
  for (const [method, operation] of Object.entries(entry.operations as Record<string, Endpoints.Operation>)) {
    let endpoint: HttpApiEndpoint.HttpApiEndpoint.Any = HttpApiEndpoint.post(method, Endpoints.pathOf(service, method))
      .addSuccess(operation.success)
      .annotate(OpenApi.Summary, `${entry.title}.${method}`)
    if (operation.input !== null) endpoint = (endpoint as any).setPayload(operation.input)
    group = group.add(endpoint)
  }
  for (const problem of Problem.endpointProblems) group = group.addError(problem)
  return group
    .middleware(Authentication)
    .annotate(OpenApi.Description, `The ${entry.title} service of @copkit/core: one endpoint per method.`) as Group
}

/**
 * Mends what the generator says of errors: where two problems share a status (409) it lists them
 * as `application/json`, whereas each is sent as `application/problem+json`; and it lists the
 * platform's `HttpApiDecodeError` at 400, which this API never sends (the handlers decode nothing
 * through the platform: the core decodes the input and answers a `ValidationError`).
 */
const problemsOnly = (spec: Record<string, any>): Record<string, any> => {
  const decodeError = "#/components/schemas/HttpApiDecodeError"
  for (const path of Object.values(spec["paths"] ?? {}) as Array<Record<string, any>>) {
    for (const operation of Object.values(path)) {
      for (const [status, response] of Object.entries(operation?.responses ?? {}) as Array<[string, any]>) {
        const json = response?.content?.["application/json"]
        if (Number(status) < 400 || json === undefined) continue
        let schema = json.schema
        if (Array.isArray(schema?.anyOf)) {
          const rest = schema.anyOf.filter((s: any) => s?.$ref !== decodeError)
          schema = rest.length === 1 ? rest[0] : { ...schema, anyOf: rest }
        }
        delete response.content["application/json"]
        response.content[Problem.contentType] = { ...json, schema }
        if (status === "400") response.description = "The input is not valid"
      }
    }
  }
  const schemas = spec["components"]?.["schemas"]
  if (schemas !== undefined) {
    delete schemas["HttpApiDecodeError"]
    if (!JSON.stringify(spec).includes("#/components/schemas/Issue\"")) delete schemas["Issue"]
  }
  return spec
}

/**
 * Builds the API's description (no handlers): every group and endpoint of the table, with the
 * OpenAPI title and version.
 *
 * @category constructors
 */
export const make = (options: Pick<Options, "title" | "version"> = {}): CopkitApi => {
  let api: HttpApi.HttpApi<"copkit", any, any, any> = HttpApi.make("copkit")
  for (const service of Object.keys(Endpoints.services) as Array<Endpoints.ServiceName>) api = api.add(groupOf(service))
  return api.annotateContext(OpenApi.annotations({
    transform: problemsOnly,
    title: options.title ?? "copkit",
    version: options.version ?? "0.1.0",
    description: "Every service of copkit over HTTP. Each endpoint takes the method's input as JSON and answers with its result; errors are application/problem+json (RFC 9457)."
  })) as CopkitApi
}

/** The API with the default title and version. @category constructors */
export const api: CopkitApi = make()

/** The OpenAPI 3.1 document of an API. @category accessors */
export const openApi = (self: CopkitApi = api): OpenApi.OpenAPISpec => OpenApi.fromApi(self)

/**
 * Reads the body as JSON, refusing more than `limit` bytes (413) and anything that is not JSON
 * (400). An empty body is no input.
 */
const readJson = (request: HttpServerRequest.HttpServerRequest, limit: number) =>
  Effect.gen(function*() {
    const declared = Number(request.headers["content-length"] ?? Number.NaN)
    if (declared > limit) return yield* Effect.fail(new Problem.PayloadTooLarge({ limit }))
    const chunks: Array<Uint8Array> = []
    let size = 0
    yield* Stream.runForEachWhile(request.stream, (chunk) =>
      Effect.sync(() => {
        size += chunk.length
        if (size > limit) return false
        chunks.push(chunk)
        return true
      })).pipe(Effect.catchAll((e) => Effect.fail(Problem.notJson(`the body could not be read (${e.reason})`))))
    if (size > limit) return yield* Effect.fail(new Problem.PayloadTooLarge({ limit }))
    let text: string
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks))
    } catch {
      return yield* Effect.fail(Problem.notJson("it is not UTF-8"))
    }
    if (text.trim() === "") return undefined
    try {
      return JSON.parse(text) as unknown
    } catch (e) {
      return yield* Effect.fail(Problem.notJson(e instanceof Error ? e.message : String(e)))
    }
  })

type AnyMethod = (input?: unknown) => Effect.Effect<unknown, unknown, Actor.CurrentActor>

/**
 * The handlers of every group: each reads the body, calls the service's method as the
 * authenticated actor, and is a span named after its route (`POST /intake/create`).
 *
 * @category layers
 */
export const layerHandlers = (
  self: CopkitApi = api,
  options: Pick<Options, "maxBodySize"> = {}
): Layer.Layer<HttpApiGroup.ApiGroup<"copkit", string>, never, Services.Services> => {
  const limit = options.maxBodySize ?? defaultMaxBodySize
  const layers = (Object.keys(Endpoints.services) as Array<Endpoints.ServiceName>).map((service) =>
    HttpApiBuilder.group(self, service, (handlers) => {
      const entry = Endpoints.services[service]
      let built: any = handlers
      for (const [method, operation] of Object.entries(entry.operations as Record<string, Endpoints.Operation>)) {
        const route = `POST ${Endpoints.pathOf(service, method)}`
        built = built.handleRaw(method, ({ request }: { readonly request: HttpServerRequest.HttpServerRequest }) =>
          Effect.gen(function*() {
            const implementation = (yield* (entry.tag as any)) as Record<string, AnyMethod>
            const call = implementation[method]!
            if (operation.input === null) return yield* call()
            return yield* call(yield* readJson(request, limit))
          }).pipe(Effect.withSpan(route, {
            kind: "server",
            attributes: { "http.route": Endpoints.pathOf(service, method), "copkit.service": entry.title, "copkit.method": method }
          })))
      }
      return built
    }) as unknown as Layer.Layer<HttpApiGroup.ApiGroup<"copkit", string>, never, Services.Services>
  )
  return Layer.mergeAll(layers[0]!, ...layers.slice(1))
}

/**
 * The whole API, ready to serve (with `HttpApiBuilder.serve` or `HttpApiBuilder.toWebHandler`, as
 * `Server` does): the handlers, the authentication, the OpenAPI document, the reference page and,
 * when asked for, CORS.
 *
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<HttpApi.Api, never, Services.Services | Authenticator> => {
  const self = make(options)
  const apiLayer = HttpApiBuilder.api(self).pipe(
    Layer.provide(layerHandlers(self, options)),
    Layer.provide(layerAuthentication)
  ) as Layer.Layer<HttpApi.Api, never, Services.Services | Authenticator>
  const extras: Array<Layer.Layer<never, never, HttpApi.Api | Services.Services>> = [
    HttpApiBuilder.middlewareOpenApi({ path: options.openApiPath ?? "/openapi.json" }),
    Routes.layer(options.links === undefined ? undefined : Links.make(options.links))
  ]
  if (options.docsPath !== false) extras.push(HttpApiSwagger.layer({ path: options.docsPath ?? "/docs" }))
  if (options.cors !== undefined && options.cors !== false) {
    extras.push(HttpApiBuilder.middlewareCors(options.cors === true ? undefined : options.cors))
  }
  return Layer.mergeAll(extras[0]!, ...extras.slice(1)).pipe(Layer.provideMerge(apiLayer))
}
