/**
 * The LIKE patterns that select the rows whose stored document may mention a text, for the
 * `mentioning` filter of a query: a superset of what the erasure's rule (a Unicode, any-case
 * match on the parsed strings) finds, never fewer.
 *
 * @internal
 */

/** Escapes `%`, `_` and `\` for `LIKE ... ESCAPE '\'`. @internal */
export const escapeLike = (s: string): string => s.replace(/[\\%_]/g, "\\$&")

/**
 * The pattern for one text, or `undefined` when no part of it can select rows safely. The text is
 * searched as the JSON of the document spells it (`"` and `\` escaped), by its longest run of
 * ASCII characters that no other character matches in any case (`k` and `s` are left out: the
 * Kelvin sign and the long s match them), lower case (SQLite's LIKE folds ASCII; on PostgreSQL the
 * document is lowered).
 *
 * @internal
 */
export const patternOf = (text: string): string | undefined => {
  const spelled = JSON.stringify(text).slice(1, -1)
  let longest = ""
  for (const run of spelled.split(/[^\x00-\x7f]|[ks]/i)) if (run.length > longest.length) longest = run
  return longest.length === 0 ? undefined : `%${escapeLike(longest.toLowerCase())}%`
}

/** The patterns of every text, or `undefined` when one of them cannot select (then every row may mention it). @internal */
export const patternsOf = (texts: ReadonlyArray<string>): ReadonlyArray<string> | undefined => {
  const out: Array<string> = []
  for (const t of texts) {
    const p = patternOf(t)
    if (p === undefined) return undefined
    out.push(p)
  }
  return out
}
