/**
 * Samples for the properties of the erasure's selection patterns (`src/internal/mentions.ts`),
 * checked against SQLite (storage-sqlite's tests) and PostgreSQL (storage-postgres's): a mention
 * and a text that holds it, or others, in any case, with the Kelvin sign and the long s, next to
 * characters that JSON escapes (a line break, a quote, a backslash), dots, digits and letters,
 * and as the start of a longer name.
 */
import fc from "fast-check"

const edge = fc.constantFrom("", " ", "\n", "\"", "\\", ".", ".x", "-", "_", "@", "3", "a", "é", "\u212A", "\u017F", "\t", "/", "*", "?", "[")
const names = ["Jan de Vries", "Deelnemer 6 van regio 3", "Ærø \"Bo\"", "Kees\\Klaas", "ſara", "li.wu@example.nl", "Zoë [x]*?", "Sanne"]
const casing = (s: string) => fc.constantFrom(s, s.toUpperCase(), s.toLowerCase(), s.replace(/k/gi, "\u212A").replace(/s/g, "\u017F"))

/** A mention and a text. */
export const mentionSample: fc.Arbitrary<{ readonly mention: string; readonly text: string }> = fc.constantFrom(...names).chain((mention) =>
  fc.array(fc.oneof(fc.string({ maxLength: 6 }), edge, casing(mention), fc.constantFrom(...names).chain(casing)), { maxLength: 8 })
    .map((parts) => ({ mention, text: parts.join("") }))
)
