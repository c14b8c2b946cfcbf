// The models' constructors check their input with a parser compiled once per class (see
// src/internal/schemaClass.ts). A user relies on `new X(props)` behaving exactly as Effect's own
// `Schema.Class` does: the same instances for good input (defaults filled in, unknown keys dropped),
// a thrown ParseError for bad input, and `new X(props, true)` taking the props as they are.
import { describe, expect, it } from "@effect/vitest"
import { Equal, ParseResult, Schema } from "effect"
import fc from "fast-check"
import { Mailer, Outbox } from "@copkit/core"
import { Class } from "../src/internal/schemaClass.js"

const fields = {
  name: Schema.String.pipe(Schema.minLength(1)),
  at: Schema.DateFromSelf,
  tags: Schema.Array(Schema.Literal("a", "b")),
  address: Schema.optional(Mailer.Address),
  attempts: Schema.optionalWith(Schema.Int.pipe(Schema.positive()), { default: () => 1 })
}
class Effects extends Schema.Class<Effects>("Sample")(fields) {}
class Ours extends Class<Ours>("Sample")(fields) {}

const outcome = (make: () => object) => {
  try {
    return { ok: true as const, value: { ...make() } }
  } catch (e) {
    return { ok: false as const, parseError: ParseResult.isParseError(e) }
  }
}

const input = fc.record({
  name: fc.oneof(fc.string({ maxLength: 5 }), fc.integer()),
  at: fc.oneof(fc.date({ noInvalidDate: true }), fc.constant("2027-01-01")),
  tags: fc.array(fc.constantFrom("a", "b", "c"), { maxLength: 3 }),
  address: fc.option(fc.constantFrom<unknown>(new Mailer.Address({ address: "a@b.nl" as never }), { address: "a@b.nl" }), { nil: undefined }),
  attempts: fc.option(fc.integer({ min: -2, max: 5 }), { nil: undefined }),
  extra: fc.option(fc.string(), { nil: undefined })
}, { requiredKeys: ["name", "at", "tags"] })

describe("model constructors", () => {
  it("accept and refuse exactly what Effect's Schema.Class does, with the same instance", () => {
    fc.assert(
      fc.property(input, (props) => {
        const ours = outcome(() => new Ours(props as never))
        const theirs = outcome(() => new Effects(props as never))
        expect(ours).toEqual(theirs)
        if (ours.ok) {
          expect(Object.keys(ours.value)).not.toContain("extra")
          expect((ours.value as { attempts: number }).attempts).toBe(props.attempts ?? 1)
        }
      }),
      { numRuns: 500 }
    )
  })

  it("throw a ParseError naming the class for bad input", () => {
    expect(() => new Ours({ name: "", at: new Date(), tags: [] })).toThrow(/Sample \(Constructor\)/)
    expect(() => new Outbox.DeliveryRecord({ key: "k", eventId: "evt_1", channel: "sms", messageId: "<a@b>", status: "Sent", attempts: 1, updatedAt: new Date() } as never))
      .toThrow(ParseResult.ParseError)
  })

  it("build the same instance as Effect's with validation switched off: defaults filled in, props copied, the class's own fields and getters kept", () => {
    class EffectsSub extends Schema.Class<EffectsSub>("Sample")(fields) {
      readonly own = "own"
      get shout() {
        return String(this.name).toUpperCase()
      }
    }
    class OursSub extends Class<OursSub>("Sample")(fields) {
      readonly own = "own"
      get shout() {
        return String(this.name).toUpperCase()
      }
    }
    fc.assert(
      fc.property(input, fc.constantFrom<unknown>(true, { disableValidation: true }), (props, off) => {
        const ours = new OursSub(props as never, off as never)
        const theirs = new EffectsSub(props as never, off as never)
        expect(ours).toBeInstanceOf(OursSub)
        expect(Object.getPrototypeOf(ours)).toBe(OursSub.prototype)
        expect({ ...ours }).toEqual({ ...theirs })
        expect(Object.keys(ours)).toEqual(Object.keys(theirs))
        expect(ours.shout).toBe(theirs.shout)
        expect(ours.own).toBe("own")
        // a copy: changing the props afterwards changes nothing
        const before = { ...ours }
        ;(props as Record<string, unknown>).name = "changed"
        expect({ ...ours }).toEqual(before)
      }),
      { numRuns: 300 }
    )
    // equal as Effect's data are: by value
    const at = new Date(0)
    const tags: Array<"a" | "b"> = ["a"]
    expect(Equal.equals(new Ours({ name: "x", at, tags }, true), new Ours({ name: "x", at, tags }, true))).toBe(true)
    expect(Equal.equals(new Ours({ name: "x", at, tags }, true), new Ours({ name: "y", at, tags }, true))).toBe(false)
  })

  it("take the props as given when validation is switched off, as decoding does", () => {
    const unchecked = new Ours({ name: "", at: new Date(0), tags: [] }, true)
    expect(unchecked.name).toBe("")
    const decoded = Schema.decodeUnknownSync(Ours)({ name: "x", at: new Date(0), tags: ["a"] })
    expect(decoded).toBeInstanceOf(Ours)
    expect({ ...decoded }).toEqual({ ...new Ours({ name: "x", at: new Date(0), tags: ["a"] }) })
  })
})
