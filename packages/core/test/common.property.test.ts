import { describe, expect, it } from "@effect/vitest"
import { isEmailValid } from "@sideway/address"
import { Arbitrary, Either, FastCheck, JSONSchema, ParseResult, Pretty, Schema } from "effect"
import fc from "fast-check"
import { Common, Ids, Validation } from "@copkit/core"

// The texts, ids, addresses and dates as they were defined before they were checked by one function
// each: a chain of filters. They are the oracle: the schemas of core must accept and refuse what these
// do, and refuse with the same error, field, rule and message.
const OldText = (max: number) =>
  Schema.String.pipe(
    Schema.filter((s) => s.trim().length > 0, { message: () => "must not be empty", identifier: "nonEmpty" }),
    Schema.filter((s) => s.length <= max, { message: () => `must be at most ${max} characters`, identifier: "maxLength" }),
    Schema.filter((s) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(s), {
      message: () => "must not contain control characters",
      identifier: "noControlCharacters"
    })
  )
const OldLine = OldText(200).pipe(
  Schema.filter((s) => !/[\r\n\u2028\u2029]/.test(s), { message: () => "must be a single line", identifier: "singleLine" })
)
const oldIdString = Schema.String.pipe(
  Schema.minLength(1, { message: () => "must not be empty" }),
  Schema.maxLength(200, { message: () => "must be at most 200 characters" }),
  Schema.pattern(/^[A-Za-z0-9_.:-]+$/, { message: () => "may hold only letters, digits and _ . : -" })
)
const OldPersonId = oldIdString.pipe(Schema.brand("PersonId"))
const OldEmail = Schema.String.pipe(
  Schema.filter(
    (s) => s.length <= 254 && !/[\u0000-\u001f\u007f\u0085\u2028\u2029]/.test(s) && isEmailValid(s, { minDomainSegments: 2, allowUnicode: true }),
    { message: () => "must be an e-mail address like name@example.nl", identifier: "email" }
  ),
  Schema.brand("Email")
)
const isRealDate = (s: string): boolean => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(y, mo - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d
}
const OldLocalDate = Schema.String.pipe(
  Schema.filter(isRealDate, { message: () => "must be a date as YYYY-MM-DD", identifier: "localDate" }),
  Schema.brand("LocalDate")
)

type S = Schema.Schema<string, string, never>
const pairs: ReadonlyArray<readonly [string, S, S]> = [
  ["Line", Common.Line, OldLine],
  ["Text(12)", Common.Text(12), OldText(12)],
  ["Evaluation's Text(2000)", Common.Text(2000), OldText(2000)],
  ["Paragraph", Common.Paragraph, OldText(10_000)],
  ["LongText", Common.LongText, OldText(200_000)],
  ["PersonId", Ids.PersonId as unknown as S, OldPersonId as unknown as S],
  ["Email", Common.Email as unknown as S, OldEmail as unknown as S],
  ["LocalDate", Common.LocalDate as unknown as S, OldLocalDate as unknown as S]
]

/** Everything a caller can see of one decode or encode: the value, or the error as each way tells it. */
const outcome = (schema: S, input: unknown) => {
  const inField = Validation.decodeEither(Schema.Struct({ field: Schema.Array(schema) }))({ field: ["x", input] })
  const alone = Schema.decodeUnknownEither(schema, { errors: "all" })(input)
  const encoded = Schema.encodeUnknownEither(schema)(input)
  const validated = Schema.validateEither(schema)(input)
  const tell = <A>(e: Either.Either<A, ParseResult.ParseError>) => Either.match(e, { onLeft: (error) => ({ refused: error.message }), onRight: (value) => ({ value }) })
  return {
    inField: Either.match(inField, { onLeft: (error) => ({ refused: { ...error } }), onRight: (value) => ({ value }) }),
    alone: tell(alone),
    encoded: tell(encoded),
    validated: tell(validated),
    is: Schema.is(schema)(input)
  }
}

const interesting = fc.oneof(
  { arbitrary: fc.string({ maxLength: 30 }), weight: 3 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 30 }), weight: 2 },
  {
    arbitrary: fc.array(fc.oneof(fc.constantFrom(" ", "\t", "\n", "\r", "\u000b", "\u0000", "\u007f", "\u0085", "\u00a0", "\u2028", "\u2029", "\ufeff", "a", "é", "😀", "-", ".", ":", "@", "_"), fc.string({ maxLength: 4 })), { maxLength: 14 }).map((parts) => parts.join("")),
    weight: 4
  },
  { arbitrary: fc.tuple(fc.constantFrom("a", " ", "\n", "é"), fc.constantFrom(11, 12, 13, 199, 200, 201, 1999, 2000, 2001, 10_000, 10_001, 200_000, 200_001)).map(([c, n]) => c.repeat(n)), weight: 1 },
  { arbitrary: fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(([y, m, d]) => `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`), weight: 1 },
  { arbitrary: fc.constantFrom("info@müller.nl", "a@b", "fleur.jansen@kvk.nl", "a@b.nl\r\nBcc: x@y.nl", "per_1", "app:x.y-z"), weight: 1 }
)
const notAString = fc.oneof(fc.constant(null), fc.constant(undefined), fc.integer(), fc.boolean(), fc.constant({}), fc.constant(["a"]))

describe("Common texts, ids, addresses and dates", () => {
  it("accept and refuse exactly what their chains of filters did, with the same error", () => {
    for (const [name, schema, old] of pairs) {
      fc.assert(
        fc.property(fc.oneof({ arbitrary: interesting, weight: 9 }, { arbitrary: notAString, weight: 1 }), (input) => {
          expect(outcome(schema, input), name).toEqual(outcome(old, input))
        }),
        { numRuns: 400 }
      )
    }
  })

  it("refuse each rule by name, in the order the rules were given", () => {
    const refused = <A>(schema: Schema.Schema<A, string>, input: unknown) => Either.flip(Validation.decodeEither(Schema.Struct({ name: schema }))({ name: input }))
    const rules = <A>(schema: Schema.Schema<A, string>, input: unknown) => Either.map(refused(schema, input), (e) => [e.field, e.rule, e.message])
    expect(rules(Common.Line, " \n ")).toEqual(Either.right(["name", "nonEmpty", "name: must not be empty"]))
    expect(rules(Common.Line, `${"a".repeat(201)}\u0000`)).toEqual(Either.right(["name", "maxLength", "name: must be at most 200 characters"]))
    expect(rules(Common.Line, "a\u0000\n")).toEqual(Either.right(["name", "noControlCharacters", "name: must not contain control characters"]))
    expect(rules(Common.Line, "twee\nregels")).toEqual(Either.right(["name", "singleLine", "name: must be a single line"]))
    expect(rules(Common.Paragraph, "twee\nregels")).toEqual(Either.left({ name: "twee\nregels" }))
    expect(rules(Ids.PersonId, "per 1")).toEqual(Either.right(["name", "pattern", "name: may hold only letters, digits and _ . : -"]))
    expect(rules(Ids.PersonId, "")).toEqual(Either.right(["name", "minLength", "name: must not be empty"]))
    expect(rules(Common.LocalDate, "2027-02-29")).toEqual(Either.right(["name", "localDate", "name: must be a date as YYYY-MM-DD"]))
    expect(rules(Common.Email, "a@b")).toEqual(Either.right(["name", "email", "name: must be an e-mail address like name@example.nl"]))
    expect(rules(Common.Line, 42)).toEqual(Either.right(["name", "type", "name: Expected string, actual 42"]))
  })

  it("describe themselves, and derive JSON Schema, arbitraries and printers, as their chains did", () => {
    for (const [name, schema, old] of pairs) {
      expect(String(schema.ast), name).toBe(String(old.ast))
      const struct = Schema.Struct({ a: schema, b: Schema.optional(Schema.Array(schema)) })
      const oldStruct = Schema.Struct({ a: old, b: Schema.optional(Schema.Array(old)) })
      expect(String(struct.ast), name).toBe(String(oldStruct.ast))
      expect(JSONSchema.make(struct), name).toEqual(JSONSchema.make(oldStruct))
      expect(Pretty.make(schema)("x"), name).toBe(Pretty.make(old)("x"))
      // (an address or a date is rarely a random string: their arbitraries filter for ever, before as now)
      if (name !== "Email" && name !== "LocalDate") {
        FastCheck.assert(FastCheck.property(Arbitrary.make(schema), (value) => Schema.is(old)(value)), { numRuns: 20 })
      }
    }
    expect(Schema.equivalence(Common.Line)("a", "a")).toBe(true)
  })
})
