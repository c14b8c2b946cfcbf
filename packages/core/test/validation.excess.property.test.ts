// Every input is decoded by `Validation.decode`: unknown fields refused, every problem named. Input
// that a walk over its keys shows to have no unknown field is decoded without Effect's own (costly)
// check of them (src/internal/excess.ts). A user relies on the outcome being exactly the strict
// decode's: the same value for good input, the same ValidationError (field, rule, every issue) for
// bad input, an unknown field refused wherever it is. Compared here on schemas of every shape the
// walk knows (structs, optional fields with defaults, arrays, tuples, unions of structs, records,
// classes, recursion) and on the real inputs of a service, with valid input, valid input with an
// unknown key put into one of its objects, and arbitrary values.
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Either, FastCheck as fc, Schema } from "effect"
import { Intake, Sessions, Validation } from "@copkit/core"
import { excessFree } from "../src/internal/excess.js"

interface Tree {
  readonly label: string
  readonly children: ReadonlyArray<Tree>
}
const Tree: Schema.Schema<Tree> = Schema.Struct({
  label: Schema.String,
  children: Schema.Array(Schema.suspend(() => Tree))
})
class Place extends Schema.Class<Place>("Place")({ city: Schema.String, zip: Schema.optional(Schema.String) }) {}

const Shapes = Schema.Struct({
  name: Schema.String.pipe(Schema.minLength(1)),
  count: Schema.optionalWith(Schema.Int, { default: () => 0 }),
  when: Schema.optional(Schema.Date),
  person: Schema.Struct({ name: Schema.String, email: Schema.optional(Schema.String) }),
  people: Schema.Array(Schema.Struct({ name: Schema.String, role: Schema.Literal("a", "b") })),
  pair: Schema.Tuple(Schema.String, Schema.Struct({ n: Schema.Number })),
  ref: Schema.Union(Schema.Struct({ programmeId: Schema.String }), Schema.Struct({ personId: Schema.String })),
  // a field that may be left out although it is not optional (a missing field decodes as undefined)
  loose: Schema.optional(Schema.Union(Schema.Struct({ note: Schema.UndefinedOr(Schema.String) }), Schema.Struct({ code: Schema.Number }))),
  stateOrStates: Schema.optional(Schema.Union(Schema.Literal("x", "y"), Schema.Array(Schema.Literal("x", "y")))),
  objectOrText: Schema.optional(Schema.Union(Schema.String, Schema.Struct({ text: Schema.String }))),
  scores: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Struct({ score: Schema.Number }) })),
  place: Schema.optional(Place),
  tree: Schema.optional(Tree),
  extra: Schema.optional(Schema.Unknown)
})

/** The strict decode the quick one must equal: Effect's own check of unknown fields on every input. */
const strictly = <A, I>(schema: Schema.Schema<A, I>) => {
  const run = Schema.decodeUnknownEither(schema, { errors: "all", onExcessProperty: "error" })
  return (input: unknown) => Either.mapLeft(run(input), Validation.fromParseError)
}

/** The input with `key` (holding `value`) put into its `at`-th object (counting depth first), if it has that many. */
const withKey = (input: unknown, at: number, key: PropertyKey, value: unknown): unknown => {
  let seen = 0
  const go = (u: unknown): unknown => {
    if (typeof u !== "object" || u === null) return u
    const mine = seen++
    if (Array.isArray(u)) return u.map(go)
    const copy: Record<PropertyKey, unknown> = {}
    for (const k of Reflect.ownKeys(u)) copy[k] = go((u as Record<PropertyKey, unknown>)[k])
    if (mine === at) copy[key] = value
    return copy
  }
  return go(input)
}

// unknown keys, and the fields of other members of a union (so that an object meets another member)
const keys = fc.constantFrom<PropertyKey>("surplus", "personId", "programmeId", "name", "code", "note", "text", "n", "__proto__x", Symbol.for("copkit.surplus"))
const values = fc.constantFrom<unknown>("surplus", 5, undefined, { n: 1 }, ["x"])

const sameAsStrict = <A, I>(schema: Schema.Schema<A, I>, runs: number, valid: fc.Arbitrary<unknown> = Arbitrary.make(schema).map((a) => Schema.encodeSync(schema)(a) as unknown)) => {
  const quick = Validation.decodeEither(schema)
  const strict = strictly(schema)
  fc.assert(
    fc.property(
      fc.oneof(
        valid,
        fc.tuple(valid, fc.nat({ max: 40 }), keys, values).map(([v, at, key, value]) => withKey(v, at, key, value)),
        fc.anything()
      ),
      (input) => {
        expect(quick(input)).toEqual(strict(input))
      }
    ),
    { numRuns: runs }
  )
}

describe("Validation.decode without Effect's check of unknown fields where the input has none", () => {
  it("decodes exactly as the strict decode: structs, defaults, arrays, tuples, unions, records, classes, recursion", () => {
    sameAsStrict(Shapes, 1500)
  })

  it("decodes a union of structs exactly as the strict decode, whichever member's fields an object has", () => {
    // a member that takes a missing field (it decodes as undefined) accepts an object of another member's fields
    const Loose = Schema.Union(
      Schema.Struct({ note: Schema.UndefinedOr(Schema.String) }),
      Schema.Struct({ code: Schema.Number }),
      Schema.Struct({ programmeId: Schema.String, code: Schema.optional(Schema.Number) })
    )
    const objects = fc.dictionary(fc.constantFrom("note", "code", "programmeId", "personId", "surplus"), values, { maxKeys: 3 })
    sameAsStrict(Loose, 1000, objects)
    sameAsStrict(Schema.Struct({ loose: Loose, list: Schema.Array(Loose) }), 500, fc.record({ loose: objects, list: fc.array(objects, { maxLength: 3 }) }))
  })

  it("decodes a service's inputs exactly as the strict decode", () => {
    // an application as a region writes it, with optional parts left out or given
    const person = fc.record({
      name: fc.constantFrom("Joost Bakker", "Sanne de Vries", "", "x".repeat(300)),
      email: fc.constantFrom("j.bakker@provincie-utrecht.nl", "sanne@devries-metaal.nl", "not an address"),
      organisation: fc.constantFrom("Provincie Utrecht", "Bakkerij Mulder"),
      helixRole: fc.constantFrom("Government", "Entrepreneur", "Intermediary", "Knowledge", "Astronaut")
    }, { requiredKeys: ["name", "helixRole"] })
    const application = fc.record({
      region: fc.record({
        id: fc.constantFrom("utrecht", "twente"),
        name: fc.constantFrom("Regio Utrecht", "Twente"),
        provinces: fc.array(fc.constantFrom("Utrecht", "Overijssel"), { maxLength: 2 }),
        municipalities: fc.array(fc.constantFrom("Utrecht", "Zeist", "Enschede"), { maxLength: 3 }),
        schoolHolidayZone: fc.constantFrom("Middle", "North", "South")
      }),
      contact: person,
      motivation: fc.constantFrom("Veel energie bij ondernemers en gemeenten.", ""),
      urgency: fc.constantFrom("Personeelstekorten vragen nu om betere mkb-ondersteuning."),
      administrators: fc.array(person, { maxLength: 2 }),
      entrepreneurs: fc.array(person, { maxLength: 3 }),
      entrepreneurInvolvement: fc.constantFrom("Twee ondernemers doen actief mee."),
      keyPersons: fc.array(person, { maxLength: 3 }),
      commitments: fc.record({ venue: fc.boolean(), catering: fc.boolean(), followUp: fc.constantFrom<unknown>(true, "yes") }, { requiredKeys: [] })
    }, { requiredKeys: ["region", "contact", "motivation", "urgency", "keyPersons"] })
    sameAsStrict(Intake.CreateApplication, 400, application)
    sameAsStrict(Sessions.FeedRef, 300)
  })

  it("refuses an unknown field deep in the input with its path, and takes the quick path for clean input", () => {
    const decode = Validation.decodeEither(Shapes)
    const clean = {
      name: "n",
      person: { name: "p" },
      people: [{ name: "a", role: "a" }],
      pair: ["s", { n: 1 }],
      ref: { personId: "per_1" }
    }
    // the union of two structs: the other member lacks its required field, so it refuses the input anyway
    expect(excessFree(Shapes.ast)(clean)).toBe(true)
    expect(Either.isRight(decode(clean))).toBe(true)
    const deep = { ...clean, people: [{ name: "a", role: "a", nickname: "x" }] }
    expect(excessFree(Shapes.ast)(deep)).toBe(false)
    const error = Either.getLeft(decode(deep))
    expect(error._tag).toBe("Some")
    if (error._tag === "Some") {
      expect(error.value.field).toBe("people[0].nickname")
      expect(error.value.rule).toBe("not-allowed")
    }
  })
})
