/**
 * The network search's store-side port: a storage adapter that keeps a full-text index (FTS5 on
 * SQLite, `tsvector` with GIN on PostgreSQL) answers `Network.search` and `Network.searchMinutes`
 * with the ids of one page of hits, in the order of the rule, without reading every insight or
 * session. An adapter without it leaves the port out: the network service then applies the rule
 * in memory to every insight or session (`Network.search`, `Network.searchMinutes`). Whatever an
 * adapter returns must be exactly what the rule returns: the contract suite compares the two.
 *
 * @since 0.2.0
 */
import { Context } from "effect"
import type { Effect } from "effect"
import type { StorageError } from "./Errors.js"
import type { InsightKind, Visibility } from "./Insight.js"

/** Lower case, accents removed, spaces collapsed: how the search compares text. @category rules */
export const fold = (s: string): string =>
  s.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase("nl").replace(/\s+/g, " ").trim()

/** The words of a search text, folded ({@link fold}), in order, duplicates kept (each one counts). @category rules */
export const wordsOf = (text: string | undefined): ReadonlyArray<string> =>
  text === undefined ? [] : fold(text).split(" ").filter((w) => w.length > 0)

/**
 * Whether a store can answer a query of these folded words and theme: not when one holds a lone
 * surrogate (half of a character, which a database cannot store); the rule answers those in memory.
 *
 * @category rules
 */
export const storable = (words: ReadonlyArray<string>, theme: string | undefined): boolean =>
  !words.some((w) => /\p{Cs}/u.test(w)) && (theme === undefined || !/\p{Cs}/u.test(theme))

/**
 * What an actor may find, by visibility: everything (`all`), or what belongs to `regionId` (when
 * given) and what has one of `visibilities`. A session of several regions counts as each one's.
 *
 * @category models
 */
export type Access =
  | { readonly _tag: "All" }
  | { readonly _tag: "Limited"; readonly regionId?: string | undefined; readonly visibilities: ReadonlyArray<Visibility> }

/** The common part of the two queries: folded words and theme, paging. @category models */
export interface PageQuery {
  /** Folded words ({@link wordsOf}); every one must occur. Empty: no text filter. */
  readonly words: ReadonlyArray<string>
  /** The folded theme; `undefined` or `""`: no theme filter. */
  readonly theme?: string | undefined
  readonly regionId?: string | undefined
  readonly access: Access
  readonly limit: number
  readonly offset: number
}

/** A page of the insight search ({@link SearchIndex}'s `insights`). @category models */
export interface InsightQuery extends PageQuery {
  readonly kind?: InsightKind | undefined
}

/** The port. Each method returns the ids of one page of hits, best first, as the rule orders them. @category ports */
export class SearchIndex extends Context.Tag("@copkit/core/SearchIndex")<SearchIndex, {
  /** The ids of the insights `Network.search` finds (and the actor may find), that page of them. */
  readonly insights: (query: InsightQuery) => Effect.Effect<ReadonlyArray<string>, StorageError>
  /** The ids of the held sessions whose published minutes `Network.searchMinutes` finds, that page of them. */
  readonly minutes: (query: PageQuery) => Effect.Effect<ReadonlyArray<string>, StorageError>
}>() {}
