/**
 * The rows of the network search's index (migration 0007): each insight, each held session's
 * published minutes and each programme's themes, with their text folded as the rule folds it
 * (`SearchIndex.fold`), so that a plain substring test in SQL (`instr`, `strpos`) is the rule's
 * own `includes`. The full-text indexes (FTS5 trigrams on SQLite, a `tsvector` of each word's
 * substrings of up to 3 characters on PostgreSQL) only narrow the rows that test reads.
 *
 * @internal
 */
import { SearchIndex } from "@copkit/core"
import type { Insight, Programme, Session } from "@copkit/core"

/**
 * Folded as the rule folds, with each lone surrogate (which a database cannot store as such) made
 * a line break: no folded word or theme of a query holds one (folding makes every space one
 * plain space), and a query that holds a lone surrogate is answered by the rule in memory.
 */
const fold = (s: string): string => SearchIndex.fold(s).replace(/\p{Cs}/gu, "\n")

/** The index row of an insight. @internal */
export interface InsightRow {
  readonly id: string
  readonly programmeId: string
  readonly regionId: string
  readonly kind: string
  readonly visibility: string
  readonly recordedAt: number
  readonly themeIds: string
  readonly themeIdsFolded: string
  readonly tagsFolded: string
  readonly title: string
  readonly body: string
}

/** The rule's title and body of an insight, without its themes' titles (those are the programme's rows). @internal */
export const insightRow = (i: Insight.Insight): InsightRow => ({
  id: i.id,
  programmeId: i.programmeId,
  regionId: i.regionId,
  kind: i.kind,
  visibility: i.visibility,
  recordedAt: i.recordedAt.getTime(),
  themeIds: JSON.stringify(i.themeIds),
  themeIdsFolded: JSON.stringify(i.themeIds.map(fold)),
  tagsFolded: JSON.stringify(i.tags.map(fold)),
  title: fold(i.title),
  body: fold([i.text, ...i.tags].join(" "))
})

/** The index row of a session's minutes, or `undefined` when the search cannot find them (not held, not published). @internal */
export interface MinutesRow {
  readonly id: string
  readonly programmeIds: string
  readonly regionIds: string
  readonly themeId: string | null
  readonly themeIdFolded: string | null
  readonly visibility: string
  readonly at: number
  readonly title: string
  readonly body: string
}

/** @internal */
export const minutesRow = (s: Session.Session): MinutesRow | undefined => {
  const minutes = s.minutes
  if (s.state !== "Held" || minutes === undefined || minutes.state !== "Published") return undefined
  return {
    id: s.id,
    programmeIds: JSON.stringify(s.programmeIds),
    regionIds: JSON.stringify(s.regionIds),
    themeId: s.themeId ?? null,
    themeIdFolded: s.themeId === undefined ? null : fold(s.themeId),
    visibility: minutes.visibility,
    at: (minutes.publishedAt ?? s.start)?.getTime() ?? 0,
    title: fold(s.title),
    body: fold(minutes.text)
  }
}

/** The index rows of a programme's themes, in its order (withdrawn ones too: the rule reads them). @internal */
export interface ThemeRow {
  readonly programmeId: string
  readonly position: number
  readonly themeId: string
  readonly key: string
  readonly title: string
}

/** @internal */
export const themeRows = (p: Programme.Programme): ReadonlyArray<ThemeRow> =>
  p.themes.map((t, position) => ({ programmeId: p.id, position, themeId: t.id, key: fold(t.catalogueKey ?? ""), title: fold(t.title) }))

/** Characters, not UTF-16 units. */
const chars = (s: string): ReadonlyArray<string> => Array.from(s)

/** A lexeme no word's piece can be (pieces have at most 3 characters): the rows too large to index. @internal */
export const unindexed = "<unindexed>"

/** At most this many lexemes in a row's `tsvector` (PostgreSQL caps one at 1 MB); past that the row is {@link unindexed}. */
const maxLexemes = 50_000

/**
 * PostgreSQL: the lexemes of a folded text: every piece of 1 to 3 characters of each word (a word
 * holds a searched word only if it holds each of its pieces), as a JSON array.
 *
 * @internal
 */
export const lexemesOf = (...texts: ReadonlyArray<string>): string => {
  const out = new Set<string>()
  for (const text of texts) {
    for (const word of text.split(" ")) {
      const c = chars(word)
      for (let i = 0; i < c.length; i++) {
        let piece = ""
        for (let k = i; k < Math.min(c.length, i + 3); k++) {
          piece += c[k]
          out.add(piece)
        }
      }
      if (out.size > maxLexemes) return JSON.stringify([unindexed])
    }
  }
  return JSON.stringify([...out])
}

const quoteLexeme = (s: string): string => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`

/**
 * PostgreSQL: the `tsquery` that a row holding the folded word matches: the word itself when it
 * has up to 3 characters, else all of its 3-character pieces; or an unindexed row.
 *
 * @internal
 */
export const tsqueryOf = (word: string): string => {
  const c = chars(word)
  const pieces = c.length <= 3 ? [word] : [...new Set(c.slice(0, -2).map((_, i) => c.slice(i, i + 3).join("")))]
  return `(${pieces.map(quoteLexeme).join(" & ")}) | ${quoteLexeme(unindexed)}`
}

/** SQLite: the FTS5 phrase of a folded word (trigram tokenizer), or `undefined` when it is too short to use the index. @internal */
export const ftsPhraseOf = (word: string): string | undefined =>
  chars(word).length < 3 ? undefined : `"${word.replace(/"/g, "\"\"")}"`
