import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Layer } from "effect"
import fc from "fast-check"
import { Actor, Application, Intake } from "@copkit/core"
import { Fixtures, Inspector, Memory } from "@copkit/testing"

const TestLayer = Intake.layer.pipe(Layer.provideMerge(Memory.layer))
const coordinator = Actor.as(Fixtures.actors.coordinator)

/** What the store holds: every table's row count and the number of events. */
const snapshot = Effect.gen(function*() {
  const inspector = yield* Inspector.Inspector
  return {
    applications: yield* inspector.count("applications"),
    programmes: yield* inspector.count("programmes"),
    events: (yield* inspector.events()).length
  }
})

/** A value of any shape, including the awkward ones. */
const junk = fc.oneof(
  fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true }),
  fc.string(),
  fc.constantFrom("", " ", "\u0000", "x".repeat(20_000), "2027-13-45", "not-an-id !", "\r\nBcc: x@y.nl", -1, 0, 6, 1.5, NaN)
)

/** A valid application input with one field (at any depth) replaced by junk. */
const mutatedApplication = fc.tuple(fc.nat(), junk).map(([n, value]) => {
  const input = structuredClone(Fixtures.applicationInput()) as unknown as Record<string, unknown>
  const paths: Array<Array<string | number>> = []
  const walk = (v: unknown, path: Array<string | number>) => {
    paths.push(path)
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]))
    else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, [...path, k])
  }
  walk(input, [])
  const path = paths[1 + (n % (paths.length - 1))]!
  let target: any = input
  for (const key of path.slice(0, -1)) target = target[key]
  target[path.at(-1)!] = value
  return { input, field: path.join(".") }
})

const expectedFailures = new Set(["ValidationError", "Forbidden", "NotFound", "InvalidTransition", "RuleViolation", "ConcurrencyConflict"])

describe("Intake: bad input", () => {
  it.effect("every method refuses junk with a ValidationError, never a defect, and writes nothing", () =>
    Effect.gen(function*() {
      const service = yield* Intake.Intake
      const draft = yield* service.create(Fixtures.applicationInput()).pipe(coordinator)
      const methods = Object.keys(service) as Array<keyof Intake.IntakeService>
      const samples = fc.sample(junk, { numRuns: 150, seed: 42 })
      for (const method of methods) {
        for (const value of samples) {
          const before = yield* snapshot
          const call = service[method] as (input: unknown) => Effect.Effect<unknown, unknown, Actor.CurrentActor>
          const exit = yield* Effect.exit(coordinator(call(value)))
          if (method === "list" && (value === undefined || (typeof value === "object" && value !== null && Object.keys(value).length === 0))) continue
          expect(Exit.isFailure(exit), `${method}(${fc.stringify(value)}) should fail`).toBe(true)
          if (Exit.isFailure(exit)) {
            expect(Cause.isDie(exit.cause), `${method} died on ${fc.stringify(value)}`).toBe(false)
            const failure = Cause.failureOption(exit.cause)
            expect(failure._tag).toBe("Some")
            if (failure._tag === "Some") expect((failure.value as { _tag: string })._tag).toBe("ValidationError")
          }
          expect(yield* snapshot).toEqual(before)
        }
      }
      expect(draft.state).toBe("Draft")
    }).pipe(Effect.provide(TestLayer)))

  it.effect("a create with one field replaced by junk either succeeds whole or fails with ValidationError naming a field, storing nothing", () =>
    Effect.gen(function*() {
      const service = yield* Intake.Intake
      const cases = fc.sample(mutatedApplication, { numRuns: 300, seed: 7 })
      let refused = 0
      for (const { input } of cases) {
        const before = yield* snapshot
        const exit = yield* Effect.exit(service.create(input as never).pipe(coordinator))
        if (Exit.isSuccess(exit)) {
          expect((yield* snapshot).applications).toBe(before.applications + 1)
          continue
        }
        expect(Cause.isDie(exit.cause)).toBe(false)
        const failure = Cause.failureOption(exit.cause)
        expect(failure._tag).toBe("Some")
        if (failure._tag === "Some") {
          const error = failure.value as { _tag: string; field?: string; rule?: string }
          expect(expectedFailures.has(error._tag)).toBe(true)
          if (error._tag === "ValidationError") {
            refused++
            expect(error.field).not.toBe("")
            expect(error.rule).not.toBe("")
          }
        }
        expect(yield* snapshot).toEqual(before)
      }
      expect(refused).toBeGreaterThan(100)
    }).pipe(Effect.provide(TestLayer)))

  it.effect("names the field and the rule", () =>
    Effect.gen(function*() {
      const service = yield* Intake.Intake
      const bad = { ...Fixtures.applicationInput(), contact: { ...Fixtures.people.alderman, email: "no-at-sign" } }
      expect(yield* Effect.flip(service.create(bad).pipe(coordinator)))
        .toMatchObject({ _tag: "ValidationError", field: "contact.email", rule: "email" })
      expect(yield* Effect.flip(service.assess({ applicationId: "app_1", criterion: "Urgency", score: 6, note: "x" }).pipe(coordinator)))
        .toMatchObject({ _tag: "ValidationError", field: "score", rule: "between" })
      // @ts-expect-error a criterion that does not exist is a compile error, and refused at run time
      expect(yield* Effect.flip(service.assess({ applicationId: "app_1", criterion: "Vibes", score: 3, note: "x" }).pipe(coordinator)))
        .toMatchObject({ _tag: "ValidationError", field: "criterion", rule: "type" })
      // @ts-expect-error a missing field is a compile error, and refused at run time
      expect(yield* Effect.flip(service.submit({}).pipe(coordinator)))
        .toMatchObject({ _tag: "ValidationError", field: "applicationId", rule: "required" })
      // @ts-expect-error an unknown field is a compile error, and refused at run time
      expect(yield* Effect.flip(service.submit({ applicationId: "app_1", extra: 1 }).pipe(coordinator)))
        .toMatchObject({ _tag: "ValidationError", field: "extra", rule: "not-allowed" })
      const titled = { ...Fixtures.applicationInput(), region: { ...Fixtures.regions.utrecht, provinces: [], municipalities: [], name: "Utrecht\r\nX-Injected: 1" } }
      expect(yield* Effect.flip(service.create(titled).pipe(coordinator)))
        .toMatchObject({ _tag: "ValidationError", field: "region.name" })
    }).pipe(Effect.provide(TestLayer)))
})

describe("Application rules (pure)", () => {
  const base = (overrides: Partial<ConstructorParameters<typeof Application.Application>[0]> = {}) =>
    new Application.Application({
      id: "app_1" as never,
      region: new (class {})() as never,
      contact: undefined as never,
      motivation: "m",
      urgency: "u",
      administrators: [],
      entrepreneurs: [],
      keyPersons: [],
      commitments: new Application.Commitments({ venue: true, catering: true, participantSelection: true, activeParticipation: true, followUp: true }),
      state: "Exploring",
      assessment: [],
      createdAt: new Date(0),
      updatedAt: new Date(0),
      ...overrides
    }, { disableValidation: true })

  it("readiness never calls a region ready while a criterion is unassessed or an essential one scores low", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ criterion: fc.constantFrom(...Application.criteria), score: fc.integer({ min: 1, max: 5 }) }), { maxLength: 12 }),
        (scores) => {
          const app = base({
            assessment: scores.map((s, i) =>
              new Application.CriterionAssessment({ ...s, note: "n", assessedBy: "per_c" as never, assessedAt: new Date(i) })
            )
          })
          const r = Application.readiness(app)
          const latest = Application.latestAssessment(app)
          const allAssessed = Application.criteria.every((c) => latest.has(c))
          const essentialLow = Application.defaultReadinessSettings.essential.some((c) => (latest.get(c)?.score ?? 5) < 3)
          if (!allAssessed || essentialLow) expect(r.ready).toBe(false)
          if (r.score !== undefined) {
            expect(r.score).toBeGreaterThanOrEqual(1)
            expect(r.score).toBeLessThanOrEqual(5)
          }
        }
      )
    )
  })

  it("the order of earlier assessments does not change the readiness; the latest per criterion counts", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...Application.criteria)),
        fc.integer({ min: 1, max: 5 }),
        (criteria, score) => {
          const assessments = criteria.map((c, i) =>
            new Application.CriterionAssessment({ criterion: c, score, note: "n", assessedBy: "per_c" as never, assessedAt: new Date(i) })
          )
          const a = Application.readiness(base({ assessment: assessments }))
          const b = Application.readiness(base({ assessment: [...assessments].reverse() }))
          expect(a.ready).toBe(b.ready)
          expect(a.score).toBe(b.score)
          expect(a.findings.map((f) => f.code).sort()).toEqual(b.findings.map((f) => f.code).sort())
        }
      )
    )
  })
})
