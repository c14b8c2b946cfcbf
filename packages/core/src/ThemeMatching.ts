/**
 * Matching the cross-regional themes of all programmes, so that the coordinator can plan one shared
 * session for the regions that chose the same or closely related themes.
 *
 * The method: every cross-regional theme (not withdrawn) of a programme that is still open is
 * resolved to an entry of the coordinator's {@link ThemeCatalogue}: by its own `catalogueKey`, or,
 * when it has none (or an unknown one), by the entry whose tags it shares most (at least
 * `minSharedTags`; ties go to the smaller key). Two themes are linked when they resolve to the same
 * entry, to entries the catalogue marks as related, when they share at least `minSharedTags` tags,
 * or when their titles are the same. Tags and titles are compared case- and space-insensitively.
 * The linked themes form groups (connected components); every group that spans at least
 * `minRegions` regions becomes one proposed shared session. The result does not depend on the
 * order of the programmes, their themes or the catalogue's entries.
 *
 * @since 0.1.0
 */
import { Class } from "./internal/schemaClass.js"
import { Schema } from "effect"
import { Line } from "./Common.js"
import type { ProgrammeId, RegionId, ThemeId } from "./Ids.js"
import type { Programme, ProgrammeState, Theme } from "./Programme.js"

/** One theme of the coordinator's catalogue. @category models */
export class CatalogueEntry extends Class<CatalogueEntry>("CatalogueEntry")({
  /** The stable key themes refer to with `catalogueKey`, as `digitalisering`. */
  key: Line,
  title: Line,
  tags: Schema.optionalWith(Schema.Array(Line).pipe(Schema.maxItems(50)), { default: () => [] }),
  /** Keys of closely related entries (the relation is symmetric: naming it on one side is enough). */
  related: Schema.optionalWith(Schema.Array(Line).pipe(Schema.maxItems(50)), { default: () => [] })
}) {}

/** The coordinator's catalogue of themes, the common vocabulary of the network. @category models */
export class ThemeCatalogue extends Class<ThemeCatalogue>("ThemeCatalogue")({
  entries: Schema.Array(CatalogueEntry).pipe(Schema.maxItems(1000))
}) {}

/** The thresholds of the matching. @category models */
export interface MatchingSettings {
  /** How many tags two themes (or a theme and a catalogue entry) must share to count as related. */
  readonly minSharedTags: number
  /** How many regions a group needs to become a proposed shared session. */
  readonly minRegions: number
}

/** Why themes were grouped together. @category models */
export type MatchReason = "SameCatalogueTheme" | "RelatedCatalogueThemes" | "SharedTags" | "SameTitle"

/** A theme in a proposed shared session. @category models */
export interface MatchedTheme {
  readonly programmeId: ProgrammeId
  readonly regionId: RegionId
  readonly themeId: ThemeId
  readonly title: string
  /** The catalogue entry the theme resolved to, if any. */
  readonly catalogueKey: string | undefined
  /** True when the entry was found by the theme's tags rather than named by the theme. */
  readonly inferred: boolean
}

/** One proposed cross-regional session: the regions that chose the same or closely related themes. @category models */
export interface SharedSessionProposal {
  /** A stable name of the group: its smallest catalogue key, else `theme:` and its smallest theme id. */
  readonly key: string
  /** The title to propose: the catalogue entry most of the themes resolved to, else a theme's title. */
  readonly title: string
  readonly regionIds: ReadonlyArray<RegionId>
  readonly programmeIds: ReadonlyArray<ProgrammeId>
  readonly catalogueKeys: ReadonlyArray<string>
  /** Tags (normalised) that themes of at least two regions of the group carry. */
  readonly sharedTags: ReadonlyArray<string>
  readonly reasons: ReadonlyArray<MatchReason>
  /** The themes, ordered by region, programme and theme id. */
  readonly themes: ReadonlyArray<MatchedTheme>
}

/** The programme states whose themes are matched: co-design, planned and running. @category constants */
export const matchedStates: ReadonlyArray<ProgrammeState> = ["CoDesign", "Planned", "Running"]

/** Normalises a tag or title for comparison: trimmed, lower case, single spaces. @category rules */
export const normalise = (s: string): string => s.trim().toLowerCase().replace(/\s+/g, " ")

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const sortedUnique = (xs: Iterable<string>): Array<string> => [...new Set(xs)].sort(compareStrings)

const sharedCount = (a: ReadonlySet<string>, b: ReadonlySet<string>): number => {
  let n = 0
  for (const x of a) if (b.has(x)) n++
  return n
}

/**
 * The catalogue's entries, one per key, ordered by key. When a key is given twice, the first by
 * title (then tags) counts, so that the order of the entries never matters.
 *
 * @category rules
 */
export const canonicalEntries = (catalogue: ThemeCatalogue): ReadonlyArray<CatalogueEntry> => {
  const sorted = catalogue.entries.slice().sort((a, b) =>
    compareStrings(a.key, b.key) || compareStrings(a.title, b.title) ||
    compareStrings(a.tags.join("\u0000"), b.tags.join("\u0000")) ||
    compareStrings(a.related.join("\u0000"), b.related.join("\u0000"))
  )
  return sorted.filter((e, i) => i === 0 || sorted[i - 1]!.key !== e.key)
}

const resolveIn = (
  theme: Pick<Theme, "catalogueKey" | "tags">,
  entries: ReadonlyArray<CatalogueEntry>,
  settings: Pick<MatchingSettings, "minSharedTags">
): { readonly entry: CatalogueEntry; readonly inferred: boolean } | undefined => {
  if (theme.catalogueKey !== undefined) {
    const named = entries.find((e) => e.key === theme.catalogueKey)
    if (named !== undefined) return { entry: named, inferred: false }
  }
  const tags = new Set(theme.tags.map(normalise))
  let best: { entry: CatalogueEntry; shared: number } | undefined
  // `entries` is ordered by key, so on a tie the smaller key stays.
  for (const entry of entries) {
    const shared = sharedCount(tags, new Set(entry.tags.map(normalise)))
    if (shared < Math.max(1, settings.minSharedTags)) continue
    if (best === undefined || shared > best.shared) best = { entry, shared }
  }
  return best === undefined ? undefined : { entry: best.entry, inferred: true }
}

/**
 * The catalogue entry a theme resolves to: the one it names, else the one sharing most tags with it
 * (at least `minSharedTags`, ties to the smaller key), else none.
 *
 * @category rules
 */
export const resolveEntry = (
  theme: Pick<Theme, "catalogueKey" | "tags">,
  catalogue: ThemeCatalogue,
  settings: Pick<MatchingSettings, "minSharedTags">
): { readonly entry: CatalogueEntry; readonly inferred: boolean } | undefined =>
  resolveIn(theme, canonicalEntries(catalogue), settings)

interface Candidate {
  readonly theme: MatchedTheme
  readonly tags: ReadonlySet<string>
  readonly title: string
}

const relatedPairs = (catalogue: ThemeCatalogue): ReadonlySet<string> => {
  const pairs = new Set<string>()
  for (const e of catalogue.entries) {
    for (const r of e.related) {
      if (r === e.key) continue
      pairs.add(`${e.key}\u0000${r}`)
      pairs.add(`${r}\u0000${e.key}`)
    }
  }
  return pairs
}

/** Why two candidates are linked, or undefined when they are not. */
const linkOf = (
  a: Candidate,
  b: Candidate,
  related: ReadonlySet<string>,
  settings: MatchingSettings
): MatchReason | undefined => {
  const ka = a.theme.catalogueKey
  const kb = b.theme.catalogueKey
  if (ka !== undefined && ka === kb) return "SameCatalogueTheme"
  if (ka !== undefined && kb !== undefined && related.has(`${ka}\u0000${kb}`)) return "RelatedCatalogueThemes"
  if (sharedCount(a.tags, b.tags) >= Math.max(1, settings.minSharedTags)) return "SharedTags"
  if (a.title === b.title) return "SameTitle"
  return undefined
}

const compareThemes = (a: MatchedTheme, b: MatchedTheme): number =>
  compareStrings(a.regionId, b.regionId) || compareStrings(a.programmeId, b.programmeId) || compareStrings(a.themeId, b.themeId)

/**
 * Proposes shared cross-regional sessions from the themes of all programmes. A pure function; see
 * the module for the method. Proposals come with the most regions first, then by key.
 *
 * @category rules
 */
export const proposeSharedSessions = (
  programmes: ReadonlyArray<Programme>,
  catalogue: ThemeCatalogue,
  settings: MatchingSettings
): ReadonlyArray<SharedSessionProposal> => {
  const canonical = canonicalEntries(catalogue)
  const candidates: Array<Candidate> = []
  for (const p of programmes) {
    if (!matchedStates.includes(p.state)) continue
    for (const t of p.themes) {
      if (t.withdrawn || t.scope !== "CrossRegional") continue
      const resolved = resolveIn(t, canonical, settings)
      candidates.push({
        theme: {
          programmeId: p.id,
          regionId: p.regionId,
          themeId: t.id,
          title: t.title,
          catalogueKey: resolved?.entry.key,
          inferred: resolved?.inferred ?? false
        },
        tags: new Set(t.tags.map(normalise)),
        title: normalise(t.title)
      })
    }
  }
  // A canonical order, so that the groups and everything derived from them do not depend on the input's order.
  candidates.sort((a, b) => compareThemes(a.theme, b.theme))
  const related = relatedPairs(catalogue)
  const parent = candidates.map((_, i) => i)
  const find = (i: number): number => {
    let root = i
    while (parent[root] !== root) root = parent[root]!
    parent[i] = root
    return root
  }
  const reasons = new Map<number, Set<MatchReason>>()
  const links: Array<readonly [number, number, MatchReason]> = []
  for (let i = 0; i < candidates.length; i++) {
    for (let j = i + 1; j < candidates.length; j++) {
      const reason = linkOf(candidates[i]!, candidates[j]!, related, settings)
      if (reason === undefined) continue
      links.push([i, j, reason])
      const ri = find(i)
      const rj = find(j)
      if (ri !== rj) parent[Math.max(ri, rj)] = Math.min(ri, rj)
    }
  }
  for (const [i, , reason] of links) {
    const root = find(i)
    const set = reasons.get(root) ?? new Set<MatchReason>()
    set.add(reason)
    reasons.set(root, set)
  }
  const groups = new Map<number, Array<Candidate>>()
  candidates.forEach((c, i) => {
    const root = find(i)
    const group = groups.get(root) ?? []
    group.push(c)
    groups.set(root, group)
  })
  const entries = new Map(canonical.map((e) => [e.key, e] as const))
  const proposals: Array<SharedSessionProposal> = []
  for (const [root, group] of groups) {
    const regionIds = sortedUnique(group.map((c) => c.theme.regionId)) as Array<RegionId>
    if (regionIds.length < Math.max(2, settings.minRegions)) continue
    const themes = group.map((c) => c.theme).sort(compareThemes)
    const catalogueKeys = sortedUnique(themes.flatMap((t) => (t.catalogueKey === undefined ? [] : [t.catalogueKey])))
    const keyCounts = new Map<string, number>()
    for (const t of themes) if (t.catalogueKey !== undefined) keyCounts.set(t.catalogueKey, (keyCounts.get(t.catalogueKey) ?? 0) + 1)
    const mainKey = [...keyCounts.entries()].sort((a, b) => b[1] - a[1] || compareStrings(a[0], b[0]))[0]?.[0]
    const firstTheme = themes.slice().sort((a, b) => compareStrings(a.themeId, b.themeId) || compareStrings(a.programmeId, b.programmeId))[0]!
    const tagRegions = new Map<string, Set<string>>()
    for (const c of group) {
      for (const tag of c.tags) {
        const set = tagRegions.get(tag) ?? new Set<string>()
        set.add(c.theme.regionId)
        tagRegions.set(tag, set)
      }
    }
    proposals.push({
      key: catalogueKeys[0] ?? `theme:${firstTheme.themeId}`,
      title: (mainKey === undefined ? undefined : entries.get(mainKey)?.title) ?? firstTheme.title,
      regionIds,
      programmeIds: sortedUnique(themes.map((t) => t.programmeId)) as Array<ProgrammeId>,
      catalogueKeys,
      sharedTags: sortedUnique([...tagRegions.entries()].filter(([, rs]) => rs.size >= 2).map(([tag]) => tag)),
      reasons: sortedUnique(reasons.get(root) ?? []) as Array<MatchReason>,
      themes
    })
  }
  return proposals.sort((a, b) => b.regionIds.length - a.regionIds.length || compareStrings(a.key, b.key))
}
