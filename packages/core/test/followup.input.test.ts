import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, TestClock } from "effect"
import fc from "fast-check"
import { Actor, FollowUp, Network, PersonalData } from "@copkit/core"
import { Fixtures, Inspector } from "@copkit/testing"
import { at, runningProgramme, TestLayer } from "./followup.support.js"

const coordinator = Actor.as(Fixtures.actors.coordinator)

/** What the store holds: the rows of the tables these services write, and the number of events. */
const snapshot = Effect.gen(function*() {
  const inspector = yield* Inspector.Inspector
  const out: Record<string, number> = {}
  for (const table of ["programmes", "sessions", "enrolments", "insights", "agreements", "measures", "applications"]) {
    out[table] = yield* inspector.count(table)
  }
  out["events"] = (yield* inspector.events()).length
  return out
})

/** A value of any shape, including the awkward ones. */
const junk = fc.oneof(
  fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true }),
  fc.string(),
  fc.constantFrom("", " ", "\u0000", "x".repeat(20_000), "2027-13-45", "not-an-id !", "\r\nBcc: x@y.nl", -1, 0, 1.5, NaN)
)

/** No field at all: `undefined`, or an object without own keys (a Map, a Set and a Date included, as a Struct sees them). */
const isEmpty = (v: unknown) => v === undefined || (typeof v === "object" && v !== null && Object.keys(v).length === 0)

/** Methods whose input is all optional: an empty object (or nothing) is a valid call. */
const allOptional = new Set(["listAgreements", "overview", "search", "searchMinutes"])
/** Methods that take no input. */
const noInput = new Set(["runReminders", "applyRetention"])

describe("FollowUp, Network, PersonalData: bad input", () => {
  it.effect("every method refuses junk with a ValidationError, never a defect, and writes nothing", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(at("2027-05-12T10:00:00Z").getTime())
      yield* runningProgramme()
      const services: ReadonlyArray<[string, Record<string, unknown>]> = [
        ["FollowUp", (yield* FollowUp.FollowUp) as unknown as Record<string, unknown>],
        ["Network", (yield* Network.Network) as unknown as Record<string, unknown>],
        ["PersonalData", (yield* PersonalData.PersonalData) as unknown as Record<string, unknown>]
      ]
      const samples = fc.sample(junk, { numRuns: 80, seed: 42 })
      let calls = 0
      for (const [name, service] of services) {
        for (const method of Object.keys(service).filter((m) => !noInput.has(m))) {
          for (const value of samples) {
            if (allOptional.has(method) && isEmpty(value)) continue
            const before = yield* snapshot
            const call = service[method] as (input: unknown) => Effect.Effect<unknown, unknown, Actor.CurrentActor>
            const exit = yield* Effect.exit(coordinator(call(value)))
            calls++
            expect(Exit.isFailure(exit), `${name}.${method}(${fc.stringify(value)}) should fail`).toBe(true)
            if (Exit.isFailure(exit)) {
              expect(Cause.isDie(exit.cause), `${name}.${method} died on ${fc.stringify(value)}`).toBe(false)
              const failure = Cause.failureOption(exit.cause)
              expect(failure._tag === "Some" ? (failure.value as { _tag: string })._tag : "none").toBe("ValidationError")
            }
            expect(yield* snapshot).toEqual(before)
          }
        }
      }
      expect(calls).toBeGreaterThan(1000)
    }).pipe(Effect.provide(TestLayer)))

  it.effect("an agreement with one field replaced by junk is recorded whole or refused with a typed error, storing nothing", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(at("2027-05-12T10:00:00Z").getTime())
      const { programme, closing } = yield* runningProgramme()
      const service = yield* FollowUp.FollowUp
      const valid = {
        programmeId: programme.id,
        action: "Een kassa-sessie organiseren.",
        owner: { personId: Fixtures.people.baker.id, name: "Ilse Mulder", organisation: "Bakkerij Mulder" },
        dueDate: "2027-06-30",
        sessionId: closing.id
      }
      const fields = ["programmeId", "action", "owner", "owner.personId", "owner.name", "owner.organisation", "dueDate", "sessionId", "measureId"]
      const cases = fc.sample(fc.tuple(fc.constantFrom(...fields), junk), { numRuns: 300, seed: 7 })
      let refused = 0
      for (const [field, value] of cases) {
        const input = structuredClone(valid) as Record<string, any>
        const [head, tail] = field.split(".")
        if (tail === undefined) input[head!] = value
        else input[head!][tail] = value
        const before = yield* snapshot
        const exit = yield* Effect.exit(service.recordAgreement(input as never).pipe(coordinator))
        if (Exit.isFailure(exit)) {
          refused++
          expect(Cause.isDie(exit.cause), `died on ${field} = ${fc.stringify(value)}`).toBe(false)
          const failure = Cause.failureOption(exit.cause)
          expect(failure._tag).toBe("Some")
          if (failure._tag === "Some") expect(["ValidationError", "NotFound"]).toContain((failure.value as { _tag: string })._tag)
          expect(yield* snapshot).toEqual(before)
        }
      }
      expect(refused).toBeGreaterThan(200)
    }).pipe(Effect.provide(TestLayer)))
})
