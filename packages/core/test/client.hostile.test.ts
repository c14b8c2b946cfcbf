import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Layer } from "effect"
import {
  Client,
  ConcurrencyConflict,
  Forbidden,
  InvalidTransition,
  NotFound,
  RuleViolation,
  Services,
  StorageError,
  ValidationError
} from "@copkit/core"
import { Fixtures, Memory } from "@copkit/testing"

const typed = [ValidationError, Forbidden, NotFound, InvalidTransition, RuleViolation, ConcurrencyConflict, StorageError]
const isTyped = (e: unknown): boolean => typed.some((C) => e instanceof C)

/** Values a hostile or careless caller may pass: each must give a typed rejection, never a raw throw. */
const hostile = (): ReadonlyArray<unknown> => [
  null,
  undefined,
  0,
  Number.NaN,
  "x".repeat(100_000),
  Symbol("s"),
  () => 1,
  [],
  new Date(Number.NaN),
  Object.create(null),
  { get applicationId(): string { throw new Error("getter") } },
  { get programmeId(): string { throw new TypeError("getter") } },
  new Proxy({}, { ownKeys: () => { throw new Error("ownKeys") } }),
  new Proxy({}, { get: () => { throw new Error("get") }, has: () => { throw new Error("has") } }),
  new Proxy({ sessionId: "ses_1" }, { getOwnPropertyDescriptor: () => { throw new Error("descriptor") } }),
  { __proto__: { applicationId: "app_1" } },
  JSON.parse("{\"__proto__\": {\"polluted\": true}, \"applicationId\": \"app_1\"}"),
  { applicationId: "app_1", reason: { toString: () => { throw new Error("toString") } } }
]

const hostileActors = (): ReadonlyArray<unknown> => [
  null,
  undefined,
  {},
  { _tag: "Mayor", personId: "p" },
  { get _tag(): string { throw new Error("getter") } },
  new Proxy({}, { ownKeys: () => { throw new Error("ownKeys") } })
]

describe("the facade under hostile values", () => {
  it("every method of every service rejects hostile input and hostile actors with a typed error", async () => {
    const copkit = Client.make(Services.layer.pipe(Layer.provideMerge(Memory.layer)))
    const untyped: Array<string> = []
    let calls = 0
    const call = async (label: string, f: () => Promise<unknown>) => {
      calls++
      try {
        await f()
      } catch (e) {
        if (!isTyped(e)) untyped.push(`${label}: ${String((e as Error)?.message ?? e).slice(0, 120)}`)
      }
    }
    try {
      const services = Object.keys(Client.services) as Array<Client.ServiceName>
      for (const service of services) {
        const methods = copkit[service] as unknown as Record<string, (actor: unknown, input?: unknown) => Promise<unknown>>
        for (const method of Object.keys(methods)) {
          for (const [i, input] of hostile().entries()) {
            await call(`${service}.${method} input#${i}`, () => methods[method]!(Fixtures.actors.coordinator, input))
          }
          for (const [i, actor] of hostileActors().entries()) {
            await call(`${service}.${method} actor#${i}`, async () => {
              const rejected = await methods[method]!(actor, {}).then(() => undefined, (e: unknown) => e)
              if (!(rejected instanceof Forbidden)) throw new Error(`not Forbidden: ${String(rejected)}`)
            })
          }
        }
      }
      // and arbitrary JSON-like values, for every method
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...services),
          fc.anything({ withNullPrototype: true, withObjectString: true, withBigInt: true, withDate: true, withMap: true, withSet: true }),
          async (service, input) => {
            const methods = copkit[service] as unknown as Record<string, (actor: unknown, input?: unknown) => Promise<unknown>>
            for (const method of Object.keys(methods)) {
              await call(`${service}.${method} arbitrary`, () => methods[method]!(Fixtures.actors.coordinator, input))
            }
          }
        ),
        { numRuns: 60, seed: 11 }
      )
    } finally {
      await copkit.dispose()
    }
    expect(calls).toBeGreaterThan(1000)
    expect(untyped).toEqual([])
  }, 120_000)
})
