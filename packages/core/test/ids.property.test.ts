// The ids `Ids.layerRandom` mints (src/internal/uuid7.ts): a user relies on them being valid ids of
// their kind, unique, unguessable, and (what lets a store's index take new rows at its end) ordered
// by the time they were minted.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import fc from "fast-check"
import { Ids } from "@copkit/core"
import { uuid7Of } from "../src/internal/uuid7.js"

const uuid7Shape = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const millis = fc.integer({ min: 0, max: 0xffff_ffff_ffff })
const bytes = fc.uint8Array({ minLength: 10, maxLength: 10 })

describe("Ids.layerRandom", () => {
  it("a UUID of version 7 holds its time in its first 48 bits, whatever the random bytes", () =>
    fc.assert(fc.property(millis, bytes, (ms, random) => {
      const id = uuid7Of(ms, random)
      expect(id).toMatch(uuid7Shape)
      expect(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(ms)
    }), { numRuns: 2000 }))

  it("an id of a later millisecond sorts after one of an earlier millisecond, whatever the random bytes", () =>
    fc.assert(fc.property(millis, millis, bytes, bytes, (a, b, ra, rb) => {
      fc.pre(a !== b)
      const [earlier, later] = a < b ? [uuid7Of(a, ra), uuid7Of(b, rb)] : [uuid7Of(b, rb), uuid7Of(a, ra)]
      expect(earlier < later).toBe(true)
    }), { numRuns: 2000 }))

  it.effect("mints valid, distinct ids of each kind in the order of time, with 74 random bits each", () =>
    Effect.gen(function*() {
      const ids = yield* Ids.IdGenerator
      const started = Date.now()
      const minted = yield* Effect.forEach(Array.from({ length: 20_000 }), () => ids.next("application"))
      const ended = Date.now()
      expect(new Set(minted).size).toBe(minted.length)
      for (const id of minted) {
        expect(id.startsWith("app_")).toBe(true)
        expect(id.slice(4)).toMatch(uuid7Shape)
        expect(Schema.is(Ids.ApplicationId)(id)).toBe(true)
        const at = Number.parseInt(id.slice(4, 12) + id.slice(13, 17), 16)
        expect(at >= started && at <= ended).toBe(true)
      }
      // minted one after the other: never earlier than the one before, to the millisecond
      for (let i = 1; i < minted.length; i++) expect(minted[i]!.slice(0, 17) >= minted[i - 1]!.slice(0, 17)).toBe(true)
      // the random part is spread: every hex digit appears in each of its 18 free positions
      const free = [15, 16, 17, 20, 21, 22, ...Array.from({ length: 12 }, (_, k) => 24 + k)].map((k) => k + "app_".length)
      for (const k of free) expect(new Set(minted.map((id) => id[k])).size).toBe(16)
      expect(new Set(minted.map((id) => id[19 + "app_".length])).size).toBe(4) // the variant's two free bits
      const kinds = yield* Effect.forEach(Object.keys(Ids.prefixes) as Array<Ids.IdKind>, (kind) => ids.next(kind))
      expect(kinds.map((id) => id.split("_")[0])).toEqual(Object.values(Ids.prefixes))
    }).pipe(Effect.provide(Ids.layerRandom)))
})
