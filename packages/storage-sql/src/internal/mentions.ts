/**
 * The LIKE patterns (SQLite) and the needles (PostgreSQL) that select the rows whose stored
 * document may mention a text, for the `mentioning` filter of a query: a superset of what the erasure's rule (a Unicode, any-case
 * match on the parsed strings) finds, never fewer.
 *
 * @internal
 */

/** Escapes `%`, `_` and `\` for `LIKE ... ESCAPE '\'`. @internal */
export const escapeLike = (s: string): string => s.replace(/[\\%_]/g, "\\$&")

/**
 * The part of one text that selects rows, or `undefined` when no part of it can select rows
 * safely. The text is searched as the JSON of the document spells it (`"` and `\` escaped), by its
 * longest run of ASCII characters that no other character matches in any case (`k` and `s` are
 * left out: the Kelvin sign and the long s match them), lower case: a document in which the rule
 * finds the text holds this run with its ASCII letters in some case, so folding the document's
 * ASCII letters alone (SQLite's LIKE; PostgreSQL's `LOWER(... COLLATE "C")`) finds it.
 *
 * @internal
 */
export const needleOf = (text: string): string | undefined => {
  const spelled = JSON.stringify(text).slice(1, -1)
  let longest = ""
  for (const run of spelled.split(/[^\x00-\x7f]|[ks]/i)) if (run.length > longest.length) longest = run
  return longest.length === 0 ? undefined : longest.toLowerCase()
}

/**
 * The needles of every text (PostgreSQL: for `strpos` in the document with its ASCII letters
 * lowered), or `undefined` when one of them cannot select (then every row may mention it).
 *
 * @internal
 */
export const needlesOf = (texts: ReadonlyArray<string>): ReadonlyArray<string> | undefined => {
  const out: Array<string> = []
  for (const t of texts) {
    const needle = needleOf(t)
    if (needle === undefined) return undefined
    out.push(needle)
  }
  return out
}

/** SQLite: the LIKE pattern that finds a needle anywhere. */
const likeOf = (needle: string): string => `%${escapeLike(needle)}%`

/** SQLite: the LIKE pattern of one text ({@link needleOf}), or `undefined` when it cannot select rows. @internal */
export const patternOf = (text: string): string | undefined => {
  const needle = needleOf(text)
  return needle === undefined ? undefined : likeOf(needle)
}

/** The patterns of every text, or `undefined` when one of them cannot select (then every row may mention it). @internal */
export const patternsOf = (texts: ReadonlyArray<string>): ReadonlyArray<string> | undefined =>
  needlesOf(texts)?.map(likeOf)

/** The characters the rule's match refuses right after a mention that are ASCII (it refuses every letter and digit). */
const refusedAfter = "0-9A-Za-z@_"

/**
 * The text as the JSON of a document spells it, a character at a time, for a pattern that also
 * checks the character after it: each ASCII letter in either case (`k` and `s` as any character:
 * the Kelvin sign and the long s match them), each other non-ASCII character as any character.
 */
const spelledChars = (text: string): ReadonlyArray<{ readonly char: string; readonly kind: "letter" | "any" | "other" }> =>
  Array.from(JSON.stringify(text.trim()).slice(1, -1), (char) => ({
    char,
    kind: /^[ks]$/i.test(char) || char.codePointAt(0)! > 0x7f ? "any" : /^[a-z]$/i.test(char) ? "letter" : "other"
  }))

/**
 * SQLite: a GLOB pattern that a document matches whenever the rule finds the text in it as a
 * whole word at its end (the character after it is no ASCII letter, digit, `@` or `_`; the check
 * before it is left out): with the LIKE pattern it keeps a name from selecting every document with
 * a longer name it starts ("regio 3" in "regio 30"). A superset of the rule's matches.
 *
 * @internal
 */
export const globOf = (text: string): string =>
  `*${
    spelledChars(text).map(({ char, kind }) =>
      kind === "any" ? "?" : kind === "letter" ? `[${char.toLowerCase()}${char.toUpperCase()}]` : /[*?[]/.test(char) ? `[${char}]` : char
    ).join("")
  }[^${refusedAfter}]*`

/**
 * PostgreSQL: the same as {@link globOf}, as a regular expression (`~`, case by the classes).
 *
 * @internal
 */
export const regexOf = (text: string): string =>
  `${
    spelledChars(text).map(({ char, kind }) =>
      kind === "any" ? "." : kind === "letter" ? `[${char.toLowerCase()}${char.toUpperCase()}]` : /[0-9]/.test(char) ? char : `\\${char}`
    ).join("")
  }[^${refusedAfter}]`
