/**
 * The erasure's prefilter (`internal/mayRedact`): an entity whose JSON it rules out is one that
 * `PersonalData.redact` leaves as it is. Over documents whose texts hold the mentions in any case,
 * next to line breaks, quotes, backslashes, dots, digits and letters, and as the start of longer
 * words; and the persons' own objects. With a schema, over mentions that equal a fixed value of the
 * document (a state, a word of its time zone): those stay, the texts lose the mentions.
 */
import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { Schema } from "effect"
import { Common, PersonalData } from "@copkit/core"
import { mayRedact } from "../src/internal/mayRedact.js"
import { fixedValue } from "../src/internal/redaction.js"

const edge = fc.constantFrom("", " ", "\n", "\"", "\\", ".", ".x", "-", "_", "@", "3", "a", "é", "\u212A", "\t", "/", "\u2028")
const name = fc.constantFrom("Jan de Vries", "Deelnemer 6 van regio 3", "Ærø \"Bo\"", "Kees\\Klaas", "ſara", "li.wu@example.nl", "Zoë", "Held", "Amsterdam", "open")
const casing = (s: string) => fc.constantFrom(s, s.toUpperCase(), s.toLowerCase())

const text = (mentions: ReadonlyArray<string>) =>
  fc.array(
    fc.oneof(
      fc.string({ maxLength: 8 }),
      edge,
      fc.constantFrom(...mentions).chain(casing),
      fc.constantFrom(...mentions).map((m) => `${m}0`)
    ),
    { maxLength: 8 }
  ).map((parts) => parts.join(""))

const world = fc.uniqueArray(name, { minLength: 1, maxLength: 3 }).chain((mentions) =>
  fc.record({
    mentions: fc.constant(mentions),
    person: fc.boolean(),
    texts: fc.array(text(mentions), { maxLength: 4 }),
    state: fc.constantFrom("Held", "Invited", "Open"),
    timeZone: fc.constantFrom("Europe/Amsterdam", "Europe/Brussels", "held")
  })
)

/** A document's schema: free texts, and fixed values (a state, a time zone, an instant, a date, ids) beside them. */
const Document = Schema.Struct({
  id: Schema.String,
  title: Schema.String,
  notes: Schema.Array(Schema.String),
  state: Schema.Literal("Held", "Invited", "Open"),
  timeZone: Schema.String.annotations(fixedValue),
  start: Schema.Date,
  dueDate: Common.LocalDate,
  participant: Schema.optional(Schema.Struct({ personId: Schema.String, name: Schema.String, email: Common.Email })),
  invitations: Schema.Array(Schema.Struct({ personId: Schema.String, name: Schema.String }))
})

describe("the erasure's prefilter", () => {
  it("never rules out an entity that the redaction changes", () => {
    fc.assert(
      fc.property(world, ({ mentions, person, texts }) => {
        const document = {
          id: "ses_1",
          title: texts[0] ?? "",
          notes: texts.slice(1),
          ...(person ? { participant: { personId: "per_erased", name: "Iemand", email: "iemand@example.nl" } } : {}),
          invitations: [{ personId: "per_other", name: "Ander" }]
        }
        const target = { personIds: new Set(["per_erased"]), mentions }
        const changed = JSON.stringify(PersonalData.redact(document, target)) !== JSON.stringify(document)
        const kept = mentions.map((m) => m.trim()).filter((m) => m.length >= 3)
        if (changed) expect(mayRedact(target.personIds, kept)(JSON.stringify(document))).toBe(true)
      }),
      { numRuns: 2000 }
    )
  })

  it("with the document's schema, leaves fixed values equal to a mention and still scrubs the texts, and the prefilter still finds what changes", () => {
    fc.assert(
      fc.property(world, ({ mentions, person, state, texts, timeZone }) => {
        const document = {
          id: "ses_1",
          title: texts[0] ?? "",
          notes: texts.slice(1),
          state,
          timeZone,
          start: "2027-03-02T13:00:00.000Z",
          dueDate: "2027-06-30",
          ...(person ? { participant: { personId: "per_erased", name: "Iemand", email: "iemand@example.nl" } } : {}),
          invitations: [{ personId: "per_other", name: "Ander" }]
        }
        const target = { personIds: new Set(["per_erased"]), mentions }
        const redacted = PersonalData.redact(document, target, Document) as typeof document
        const scrub = PersonalData.scrubber(mentions)
        expect(redacted).toEqual({
          ...document,
          title: scrub(document.title),
          notes: document.notes.map(scrub),
          ...(person ? { participant: { personId: "per_erased", name: PersonalData.marker, email: PersonalData.placeholderEmail } } : {})
        })
        const kept = mentions.map((m) => m.trim()).filter((m) => m.length >= 3)
        if (JSON.stringify(redacted) !== JSON.stringify(document)) expect(mayRedact(target.personIds, kept)(JSON.stringify(document))).toBe(true)
      }),
      { numRuns: 2000 }
    )
  })

  it("rules out a name that only starts a longer one", () => {
    const test = mayRedact(["per_3_6"], ["Deelnemer 6 van regio 3"])
    expect(test(JSON.stringify({ name: "Deelnemer 6 van regio 30" }))).toBe(false)
    expect(test(JSON.stringify({ text: "met Deelnemer 6 van regio 3.\nDank" }))).toBe(true)
    expect(test(JSON.stringify({ personId: "per_3_6" }))).toBe(true)
  })
})
