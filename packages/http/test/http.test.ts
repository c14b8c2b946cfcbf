/**
 * The API over a real HTTP server on a loopback port, on SQLite (and on PostgreSQL when
 * COPKIT_TEST_POSTGRES_URL is set), driven with fetch: the intake and a co-design step, every error
 * status with its problem+json body, a key person of another region refused, and missing, expired
 * and forged tokens.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Redacted } from "effect"
import { Application } from "@copkit/core"
import { Tokens } from "@copkit/http"
import { Fixtures } from "@copkit/testing"
import type { Running } from "./support.js"
import { start, stores, tokenFor } from "./support.js"

const { actors, people } = Fixtures
const coordinator = tokenFor(actors.coordinator)
const keyPerson = tokenFor(actors.keyPerson)
const keyPersonTwente = tokenFor(actors.keyPersonTwente)

let server: Running

const json = async (response: Response): Promise<any> => JSON.parse(await response.text())

/** Expects a problem+json answer with the status, and returns its body. */
const problem = async (response: Response, status: number): Promise<any> => {
  const body = await json(response)
  expect({ status: response.status, body }).toMatchObject({ status, body: { status } })
  expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/)
  expect(body).toMatchObject({ type: expect.stringMatching(/^https:\/\//), title: expect.any(String), detail: expect.any(String) })
  return body
}

const submitted = async (): Promise<string> => {
  const created = await server.post("/intake/create", Fixtures.applicationInput(), keyPerson)
  expect(created.status).toBe(200)
  const draft = await json(created)
  expect((await server.post("/intake/submit", { applicationId: draft.id }, keyPerson)).status).toBe(200)
  return draft.id
}

for (const store of stores()) describe(`the services over HTTP on ${store === "sqlite" ? "SQLite" : "PostgreSQL"}`, () => {
  beforeAll(async () => {
    server = await start({ store })
  }, 60_000)
  afterAll(async () => {
    await server?.close()
  })

  it("an intake (create, submit, schedule, assess, accept) and a co-design step", async () => {
    const created = await server.post("/intake/create", Fixtures.applicationInput(), keyPerson)
    expect(created.status).toBe(200)
    expect(created.headers.get("content-type")).toMatch(/^application\/json/)
    const draft = await json(created)
    expect(draft).toMatchObject({ state: "Draft", region: { id: "utrecht" } })
    // the answer is the model encoded: dates as ISO strings
    expect(draft.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/)

    const submitted = await json(await server.post("/intake/submit", { applicationId: draft.id }, keyPerson))
    expect(submitted.state).toBe("Submitted")
    const exploring = await server.post("/intake/schedule-exploration", { applicationId: draft.id, at: "2027-01-12T09:30:00Z", location: "Stadhuis Utrecht" }, coordinator)
    expect((await json(exploring)).state).toBe("Exploring")
    for (const criterion of Application.criteria) {
      const assessed = await server.post("/intake/assess", { applicationId: draft.id, criterion, score: 4, note: `Beoordeling ${criterion}` }, coordinator)
      expect(assessed.status).toBe(200)
    }
    const readiness = await json(await server.post("/intake/readiness", { applicationId: draft.id }, coordinator))
    expect(readiness.ready).toBe(true)
    const accepted = await json(await server.post("/intake/accept", { applicationId: draft.id, reason: "Veel energie en draagvlak." }, coordinator))
    expect(accepted.application.state).toBe("Accepted")
    expect(accepted.programme).toMatchObject({ regionId: "utrecht" })
    const programmeId: string = accepted.programme.id

    // co-design: the key person sets the goals and adds a member; the programme's version moves on
    const goals = await server.post("/co-design/set-goals", {
      programmeId,
      intendedResults: ["Tien ondernemers starten een verbetertraject."],
      whoIsNeeded: ["Ondernemers uit de maakindustrie"]
    }, keyPerson)
    expect(goals.status).toBe(200)
    expect((await json(goals)).goals.intendedResults).toEqual(["Tien ondernemers starten een verbetertraject."])
    const grown = await server.post("/co-design/add-member", { programmeId, person: people.college }, keyPerson)
    expect(grown.status).toBe(200)
    const read = await json(await server.post("/co-design/get", { programmeId }, keyPerson))
    expect(read.version).toBeGreaterThanOrEqual(3)
    expect(read.value.coreTeam.map((m: any) => m.person.id)).toContain(people.college.id)

    // a list with no body: the method's own default input
    const list = await json(await server.post("/intake/list", undefined, coordinator))
    expect(list.map((v: any) => v.value.id)).toContain(draft.id)
  })

  it("every route is a span named after it, around the service's own span", async () => {
    await server.post("/intake/list", {}, coordinator)
    const spans = server.spans.getFinishedSpans()
    const route = spans.find((s) => s.name === "POST /intake/list")
    expect(route?.attributes).toMatchObject({ "copkit.service": "Intake", "copkit.method": "list" })
    const method = spans.find((s) => s.name === "Intake.list")
    expect(method).toBeDefined()
    expect(route).toBeDefined()
    expect(method?.parentSpanContext?.spanId ?? (method as any)?.parentSpanId).toBe(route?.spanContext().spanId)
  })

  it("400: a ValidationError with the field and the rule; a body that is not JSON", async () => {
    const { motivation: _, ...noMotivation } = Fixtures.applicationInput()
    const missing = await problem(await server.post("/intake/create", noMotivation, keyPerson), 400)
    expect(missing).toMatchObject({ field: "motivation", rule: expect.any(String), title: "The input is not valid" })
    expect(missing.issues.length).toBeGreaterThanOrEqual(1)

    const notJson = await problem(await server.post("/intake/create", "{ not json", keyPerson), 400)
    expect(notJson).toMatchObject({ rule: "json" })
  })

  it("401: no token, a forged token, a tampered token, an expired token", async () => {
    expect(await problem(await server.post("/intake/list", {}), 401)).toMatchObject({ reason: "missing" })
    const forged = Tokens.make({ key: Redacted.make("another key, also more than thirty-two bytes long") })
      .sign(actors.coordinator, new Date(Date.now() + 60_000))
    expect(await problem(await server.post("/intake/list", {}, forged), 401)).toMatchObject({ reason: "signature" })
    // a key person's token whose payload is swapped for a coordinator's, keeping the signature
    const [, signature] = keyPerson.split(".")
    const [payload] = coordinator.split(".")
    expect(await problem(await server.post("/intake/list", {}, `${payload}.${signature}`), 401)).toMatchObject({ reason: "signature" })
    const expired = (await import("./support.js")).tokens.sign(actors.coordinator, new Date(Date.now() - 1000))
    expect(await problem(await server.post("/intake/list", {}, expired), 401)).toMatchObject({ reason: "expired" })
    expect(await problem(await server.post("/intake/list", {}, "garbage"), 401)).toMatchObject({ reason: "malformed" })
  })

  it("401 carries WWW-Authenticate: Bearer (RFC 6750), with invalid_token only where a token was given", async () => {
    const none = await server.post("/intake/list", {})
    expect(none.status).toBe(401)
    expect(none.headers.get("www-authenticate")).toBe(`Bearer realm="copkit"`)
    const expired = (await import("./support.js")).tokens.sign(actors.coordinator, new Date(Date.now() - 1000))
    const bad = await server.post("/intake/list", {}, expired)
    expect(bad.status).toBe(401)
    expect(bad.headers.get("www-authenticate")).toMatch(/^Bearer realm="copkit", error="invalid_token"/)
    const ok = await server.post("/intake/list", {}, coordinator)
    expect(ok.status).toBe(200)
    expect(ok.headers.get("www-authenticate")).toBeNull()
  })

  it("403: a key person of Twente is refused Utrecht's application", async () => {
    const applicationId = await submitted()
    const refused = await problem(await server.post("/intake/get", { applicationId }, keyPersonTwente), 403)
    expect(refused).toMatchObject({ action: "application.read", actor: expect.stringContaining("twente") })
    // and may not change it either
    await problem(await server.post("/intake/withdraw", { applicationId, reason: "Niet van ons" }, keyPersonTwente), 403)
  })

  it("404: an application that does not exist", async () => {
    expect(await problem(await server.post("/intake/get", { applicationId: "app_missing" }, coordinator), 404))
      .toMatchObject({ entity: expect.any(String), id: "app_missing" })
  })

  it("409: a step the state does not allow (InvalidTransition)", async () => {
    const applicationId = await submitted()
    expect(await problem(await server.post("/intake/submit", { applicationId }, keyPerson), 409))
      .toMatchObject({ from: "Submitted", to: "Submitted" })
  })

  it("413: a body larger than the limit (1 MiB by default)", async () => {
    const big = { ...Fixtures.applicationInput(), motivation: "x".repeat(2 * 1024 * 1024) }
    expect(await problem(await server.post("/intake/create", big, keyPerson), 413)).toMatchObject({ limit: 1024 * 1024 })
  })

  it("422: a rule refuses (accept before every criterion is assessed), naming the rule", async () => {
    const applicationId = await submitted()
    await server.post("/intake/schedule-exploration", { applicationId, at: "2027-01-12T09:30:00Z" }, coordinator)
    await server.post("/intake/assess", { applicationId, criterion: "Urgency", score: 5, note: "Urgent" }, coordinator)
    expect(await problem(await server.post("/intake/accept", { applicationId, reason: "Te vroeg" }, coordinator), 422))
      .toMatchObject({ rule: "assessment-complete" })
  })

  it("evaluations: the questions are set over HTTP; a bad score is a 400 naming the field; another region is refused", async () => {
    const applicationId = await submitted()
    await server.post("/intake/schedule-exploration", { applicationId, at: "2027-01-12T09:30:00Z" }, coordinator)
    for (const criterion of Application.criteria) await server.post("/intake/assess", { applicationId, criterion, score: 4, note: "Goed" }, coordinator)
    const { programme } = await json(await server.post("/intake/accept", { applicationId, reason: "Veel energie." }, coordinator))
    const questions = [{ key: "value", kind: "Scale", text: { nl: "Waardevol?", en: "Valuable?" } }]
    const set = await server.post("/evaluations/set-questions", { programmeId: programme.id, questions }, keyPerson)
    expect(set.status).toBe(200)
    expect((await json(set)).evaluationQuestions).toEqual(questions)
    await problem(await server.post("/evaluations/set-questions", { programmeId: programme.id, questions }, keyPersonTwente), 403)
    expect(await problem(await server.post("/evaluations/answer", { sessionId: "ses_1", scores: { value: 9 } }, tokenFor(actors.participant)), 400))
      .toMatchObject({ field: "scores.value" })
    expect(await problem(await server.post("/evaluations/record-verdict", { programmeId: programme.id, resultIndex: 0, verdict: "Reached", note: "x" }, keyPerson), 409))
      .toMatchObject({ from: "CoDesign" })
  })
})
