/**
 * PostgreSQL: the erasure's selection in SQL (`internal/mentions.ts`): for every document in which
 * the rule (`PersonalData.scrub`) finds a mention, the needle is in the document's JSON with its
 * ASCII letters lowered (`LOWER(... COLLATE "C")`, as the store asks) and the regular expression
 * selects the JSON. Mentions next to characters that JSON escapes (a line break, a quote, a backslash), dots,
 * digits, letters, in any case and with the Kelvin sign and the long s; and as the start of a
 * longer name, which the expression leaves out.
 */
import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import pg from "pg"
import { PersonalData } from "@copkit/core"
import { needleOf, regexOf } from "../../storage-sql/src/internal/mentions.js"
import { mentionSample as sample } from "../../storage-sql/test/mentionSamples.js"

const url = process.env["COPKIT_TEST_POSTGRES_URL"]

if (url === undefined) console.warn("PostgreSQL tests skipped: COPKIT_TEST_POSTGRES_URL is not set")

describe("the erasure's selection patterns", () => {
  it.skipIf(url === undefined)("select every document the rule finds a mention in (PostgreSQL expression)", async () => {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      const samples = fc.sample(sample, { numRuns: 2000, seed: 4711 })
        .filter(({ mention, text }) => PersonalData.scrub(text, [mention]) !== text)
      expect(samples.length).toBeGreaterThan(200)
      const jsons = samples.map(({ text }) => JSON.stringify({ id: "ses_1", notes: [text] }))
      const { rows } = await client.query<{ hit: boolean }>(
        "SELECT d ~ r AS hit FROM unnest($1::text[], $2::text[]) AS m(d, r)",
        [jsons, samples.map(({ mention }) => regexOf(mention))]
      )
      const missed = samples.filter((_, i) => rows[i]!.hit !== true)
      expect(missed).toEqual([])
      const needles = samples.map(({ mention }) => needleOf(mention.trim()))
      const found = await client.query<{ hit: boolean }>(
        `SELECT strpos(LOWER(d COLLATE "C"), n) > 0 AS hit FROM unnest($1::text[], $2::text[]) AS m(d, n)`,
        [jsons, needles.map((n) => n ?? "")]
      )
      const notFound = samples.filter((_, i) => needles[i] !== undefined && found.rows[i]!.hit !== true)
      expect(notFound).toEqual([])
      // most mentions have a needle (those of only k, s and other letters select every row)
      expect(needles.filter((n) => n !== undefined).length).toBeGreaterThan(samples.length / 2)
      const longer = await client.query<{ hit: boolean }>("SELECT $1 ~ $2 AS hit", [
        JSON.stringify({ name: "Deelnemer 6 van regio 30" }),
        regexOf("Deelnemer 6 van regio 3")
      ])
      expect(longer.rows[0]!.hit).toBe(false)
    } finally {
      await client.end()
    }
  })
})
