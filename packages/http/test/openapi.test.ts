/**
 * The OpenAPI document, checked by an independent validator (@seriousme/openapi-schema-validator,
 * which implements the OpenAPI 3.1 JSON Schemas), and what it says checked against the table; the
 * reference page; the web handler on stub services for the errors SQLite will not give on demand
 * (ConcurrencyConflict 409, StorageError 503); CORS.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Validator } from "@seriousme/openapi-schema-validator"
import { Effect, Layer } from "effect"
import { ConcurrencyConflict, Intake, StorageError } from "@copkit/core"
import { Api, Authenticator, Endpoints, Problem, Server } from "@copkit/http"
import { Fixtures } from "@copkit/testing"
import type { Running } from "./support.js"
import { start, tokenFor } from "./support.js"

let server: Running
beforeAll(async () => {
  server = await start({ docsPath: "/docs" })
})
afterAll(async () => {
  await server?.close()
})

describe("the OpenAPI document", () => {
  it("is served at /openapi.json without a token and is valid OpenAPI 3.1", async () => {
    const response = await fetch(`${server.url}/openapi.json`)
    expect(response.status).toBe(200)
    const spec = await response.json() as any
    expect(spec.openapi).toBe("3.1.0")
    const validator = new Validator()
    const result = await validator.validate(spec)
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    expect(validator.version).toBe("3.1")
    // the validator is not a rubber stamp: a document without its info is refused
    const { info: _, ...noInfo } = spec
    expect((await new Validator().validate(noInfo)).valid).toBe(false)
  })

  it("has one POST operation per service method, with the core's input and the problems", () => {
    const spec = Api.openApi() as any
    const expected = Endpoints.all().map(([service, method]) => Endpoints.pathOf(service, method)).sort()
    expect(Object.keys(spec.paths).sort()).toEqual(expected)
    // every method of every service, e.g. the intake's eleven
    expect(expected.filter((p) => p.startsWith("/intake/"))).toHaveLength(11)
    for (const [service, method, operation] of Endpoints.all()) {
      const op = spec.paths[Endpoints.pathOf(service, method)].post
      expect(op.operationId).toBe(`${service}.${method}`)
      expect(op.security).toEqual([{ bearer: [] }])
      expect(op.requestBody !== undefined).toBe(operation.input !== null)
      for (const status of ["400", "401", "403", "404", "409", "413", "422", "503"]) {
        expect(Object.keys(op.responses[status].content)).toEqual([Problem.contentType])
      }
    }
    const create = spec.paths["/intake/create"].post
    expect(create.requestBody.content["application/json"].schema.required).toEqual(
      expect.arrayContaining(["region", "contact", "motivation", "urgency", "keyPersons"])
    )
    expect(create.responses["200"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/Application" })
    expect(spec.components.schemas.RuleViolationProblem.required).toEqual(expect.arrayContaining(["type", "title", "status", "detail", "rule"]))
    expect(spec.components.schemas.HttpApiDecodeError).toBeUndefined()
  })

  it("has a reference page", async () => {
    const response = await fetch(`${server.url}/docs`)
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toMatch(/^text\/html/)
    expect(await response.text()).toMatch(/swagger/i)
  })
})

describe("the web handler", () => {
  /** Every service a stub; the intake fails as storage and concurrency do. */
  const stubs = ([
    ...Object.values(Endpoints.services).map((s) => Layer.succeed(s.tag as any, {} as any)),
    Layer.succeed(Intake.Intake, {
      submit: () => Effect.fail(new ConcurrencyConflict({ entity: "Application", id: "app_1", expected: 2, actual: 3 })),
      get: () => Effect.fail(new StorageError({ operation: "read", message: "database is locked" }))
    } as any),
    Authenticator.layerFixed(Fixtures.actors.coordinator)
  ] as Array<Layer.Layer<any>>).reduce((all, one) => Layer.merge(all, one))

  const web = Server.toWebHandler(stubs, { cors: { allowedOrigins: ["https://portal.example"] } })
  afterAll(() => web.dispose())

  const post = (path: string, body: unknown) =>
    web.handler(new Request(`http://localhost${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }))

  it("409: a ConcurrencyConflict names both versions", async () => {
    const response = await post("/intake/submit", { applicationId: "app_1" })
    expect(response.status).toBe(409)
    expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/)
    expect(await response.json()).toMatchObject({ status: 409, title: "Changed in the meantime", entity: "Application", expected: 2, actual: 3 })
  })

  it("503: a StorageError", async () => {
    const response = await post("/intake/get", { applicationId: "app_1" })
    expect(response.status).toBe(503)
    expect(await response.json()).toMatchObject({ status: 503, operation: "read", type: Problem.typeOf("StorageError") })
  })

  it("CORS, when asked for: a preflight from an allowed origin is answered", async () => {
    const response = await web.handler(new Request("http://localhost/intake/get", {
      method: "OPTIONS",
      headers: { origin: "https://portal.example", "access-control-request-method": "POST" }
    }))
    expect(response.headers.get("access-control-allow-origin")).toBe("https://portal.example")
  })

  it("no CORS headers by default", async () => {
    const response = await server.post("/intake/list", {}, tokenFor(Fixtures.actors.coordinator))
    expect(response.headers.get("access-control-allow-origin")).toBeNull()
  })
})
