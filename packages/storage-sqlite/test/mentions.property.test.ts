/**
 * The erasure's selection in SQL (`internal/mentions.ts`): for every document in which the rule
 * (`PersonalData.scrub`) finds a mention, the LIKE pattern and the GLOB pattern select the
 * document's JSON. Mentions next to characters that JSON escapes (a line break, a quote, a
 * backslash), dots, digits, letters, in any case and with the Kelvin sign and the long s; and as
 * the start of a longer name, which the GLOB pattern leaves out.
 */
import { describe, expect, it } from "@effect/vitest"
import Database from "better-sqlite3"
import fc from "fast-check"
import { PersonalData } from "@copkit/core"
import { globOf, patternOf } from "../../storage-sql/src/internal/mentions.js"
import { mentionSample as sample } from "../../storage-sql/test/mentionSamples.js"

describe("the erasure's selection patterns", () => {
  it("select every document the rule finds a mention in (SQLite LIKE and GLOB)", () => {
    const db = new Database(":memory:")
    const select = db.prepare("SELECT (? LIKE ? ESCAPE '\\') AND (? GLOB ?) AS hit")
    try {
      fc.assert(
        fc.property(sample, ({ mention, text }) => {
          const json = JSON.stringify({ id: "ses_1", notes: [text] })
          if (PersonalData.scrub(text, [mention]) === text) return
          const like = patternOf(mention)
          if (like === undefined) return // no pattern: the store selects every row
          expect({ mention, text, hit: (select.get(json, like, json, globOf(mention)) as { hit: number }).hit }).toEqual({ mention, text, hit: 1 })
        }),
        { numRuns: 3000 }
      )
    } finally {
      db.close()
    }
  })

  it("leave out a document that names only a longer name (SQLite GLOB)", () => {
    const db = new Database(":memory:")
    const glob = (json: string, text: string) => (db.prepare("SELECT ? GLOB ? AS hit").get(json, globOf(text)) as { hit: number }).hit
    expect(glob(JSON.stringify({ name: "Deelnemer 6 van regio 30" }), "Deelnemer 6 van regio 3")).toBe(0)
    expect(glob(JSON.stringify({ text: "Met deelnemer 6 van regio 3.\nDank" }), "Deelnemer 6 van regio 3")).toBe(1)
    db.close()
  })
})
