import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { Programme, ThemeMatching, ThemeRanking, type Ids } from "@copkit/core"
import { ballot, programme, theme } from "./codesign.support.js"

const voters = ["per_1", "per_2", "per_3", "per_4", "per_5"] as const

/** Themes with distinct ids, each with votes from distinct voters. */
const themesArb = fc
  .uniqueArray(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 })
  .chain((ids) =>
    fc.tuple(
      ...ids.map((n) =>
        fc.record({
          votes: fc.uniqueArray(fc.record({ voter: fc.constantFrom(...voters), points: fc.integer({ min: 0, max: 10 }) }), {
            selector: (v) => v.voter,
            maxLength: voters.length
          }),
          day: fc.integer({ min: 1, max: 3 }),
          withdrawn: fc.integer({ min: 0, max: 6 }).map((n) => n === 0)
        }).map((r) =>
          theme(`thm_${n}`, {
            votes: r.votes.map((v) => ballot(v.voter, v.points)),
            proposedAt: new Date(Date.UTC(2027, 0, r.day)),
            withdrawn: r.withdrawn
          })
        )
      )
    )
  )

const shuffled = <A>(xs: ReadonlyArray<A>) =>
  fc.shuffledSubarray(xs as Array<A>, { minLength: xs.length, maxLength: xs.length })

describe("ThemeRanking: properties", () => {
  it("the order of the themes and of their votes does not change the ranking", () => {
    fc.assert(
      fc.property(themesArb, fc.infiniteStream(fc.integer()), (themes, seeds) => {
        const reference = ThemeRanking.rank(themes)
        const seedIt = seeds[Symbol.iterator]()
        const permute = <A>(xs: ReadonlyArray<A>): Array<A> =>
          xs.map((x) => [seedIt.next().value as number, x] as const).sort((a, b) => a[0] - b[0]).map(([, x]) => x)
        const scrambled = permute(themes).map((t) => new Programme.Theme({ ...t, votes: permute(t.votes) }))
        expect(ThemeRanking.rank(scrambled)).toEqual(reference)
      }),
      { numRuns: 150 }
    )
  })

  it("adding a vote for a theme never lowers its rank", () => {
    fc.assert(
      fc.property(themesArb, fc.nat(), fc.integer({ min: 0, max: 10 }), (themes, pick, points) => {
        const live = themes.filter((t) => !t.withdrawn)
        fc.pre(live.length > 0)
        const target = live[pick % live.length]!
        const before = ThemeRanking.rank(themes).find((r) => r.themeId === target.id)!.rank
        const newVoter = `per_new_${pick}`
        const after = ThemeRanking.rank(
          themes.map((t) => (t.id === target.id ? new Programme.Theme({ ...t, votes: [...t.votes, ballot(newVoter, points)] }) : t))
        ).find((r) => r.themeId === target.id)!.rank
        expect(after).toBeLessThanOrEqual(before)
      }),
      { numRuns: 150 }
    )
  })

  it("raising a voter's points for a theme never lowers its rank, and ranks are 1..n", () => {
    fc.assert(
      fc.property(themesArb, fc.nat(), (themes, pick) => {
        const ranking = ThemeRanking.rank(themes)
        expect(ranking.map((r) => r.rank)).toEqual(ranking.map((_, i) => i + 1))
        const voted = themes.filter((t) => !t.withdrawn && t.votes.some((v) => v.points < 10))
        fc.pre(voted.length > 0)
        const target = voted[pick % voted.length]!
        const raised = themes.map((t) =>
          t.id === target.id
            ? new Programme.Theme({ ...t, votes: t.votes.map((v, i) => (i === t.votes.findIndex((w) => w.points < 10) ? ballot(v.voter, 10) : v)) })
            : t
        )
        const rankOf = (ts: ReadonlyArray<Programme.Theme>) => ThemeRanking.rank(ts).find((r) => r.themeId === target.id)!.rank
        expect(rankOf(raised)).toBeLessThanOrEqual(rankOf(themes))
      }),
      { numRuns: 150 }
    )
  })
})

const catalogue = new ThemeMatching.ThemeCatalogue({
  entries: [
    new ThemeMatching.CatalogueEntry({ key: "digitalisering", title: "Digitalisering", tags: ["ai", "data", "digitaal"], related: ["cyber"] }),
    new ThemeMatching.CatalogueEntry({ key: "cyber", title: "Cyberveiligheid", tags: ["security", "data"] }),
    new ThemeMatching.CatalogueEntry({ key: "arbeidsmarkt", title: "Arbeidsmarkt", tags: ["personeel", "scholing"] }),
    new ThemeMatching.CatalogueEntry({ key: "energie", title: "Energietransitie", tags: ["energie", "netcongestie"] })
  ]
})
const keys = ["digitalisering", "cyber", "arbeidsmarkt", "energie", "onbekend"] as const
const tagPool = ["ai", "data", "digitaal", "security", "personeel", "scholing", "energie", "netcongestie", "export", "zorg"] as const

const programmesArb = fc
  .uniqueArray(fc.constantFrom("utrecht", "twente", "groningen", "zuid-limburg", "drenthe", "fryslan", "zeeland"), { minLength: 1, maxLength: 7 })
  .chain((regions) =>
    fc.tuple(
      ...regions.map((region, r) =>
        fc.record({
          state: fc.constantFrom<Programme.ProgrammeState>("CoDesign", "Planned", "Running", "Withdrawn"),
          themes: fc.array(
            fc.record({
              scope: fc.constantFrom<Programme.ThemeScope>("CrossRegional", "CrossRegional", "Regional"),
              key: fc.option(fc.constantFrom(...keys), { nil: undefined }),
              tags: fc.uniqueArray(fc.constantFrom(...tagPool), { maxLength: 4 }),
              title: fc.constantFrom("Digitaal", "Personeel", "Groei", "Export"),
              withdrawn: fc.boolean()
            }),
            { maxLength: 4 }
          )
        }).map((p) =>
          programme({
            id: `prg_${region}`,
            regionId: region,
            state: p.state,
            themes: p.themes.map((t, i) =>
              theme(`thm_${r}_${i}`, {
                scope: t.scope,
                tags: t.tags,
                title: t.title,
                withdrawn: t.withdrawn && i % 2 === 0,
                ...(t.key === undefined ? {} : { catalogueKey: t.key })
              })
            )
          })
        )
      )
    )
  )

describe("ThemeMatching: properties", () => {
  const settings = { minSharedTags: 2, minRegions: 2 }

  it("the order of programmes, their themes and the catalogue's entries does not change the proposals", () => {
    fc.assert(
      fc.property(
        programmesArb.chain((ps) =>
          fc.tuple(
            fc.constant(ps),
            shuffled(ps).chain((order) =>
              fc.tuple(...order.map((p) => shuffled(p.themes).map((themes) => new Programme.Programme({ ...p, themes }))))
            ),
            shuffled(catalogue.entries)
          )
        ),
        ([original, reordered, entries]) => {
          const reference = ThemeMatching.proposeSharedSessions(original, catalogue, settings)
          const other = ThemeMatching.proposeSharedSessions(reordered, new ThemeMatching.ThemeCatalogue({ entries }), settings)
          expect(other).toEqual(reference)
        }
      ),
      { numRuns: 150 }
    )
  })

  it("every proposal spans at least minRegions regions, and a theme is in at most one proposal", () => {
    fc.assert(
      fc.property(programmesArb, (ps) => {
        const proposals = ThemeMatching.proposeSharedSessions(ps, catalogue, settings)
        const seen = new Set<Ids.ThemeId>()
        for (const p of proposals) {
          expect(new Set(p.themes.map((t) => t.regionId)).size).toBeGreaterThanOrEqual(2)
          expect(p.regionIds.length).toBeGreaterThanOrEqual(2)
          for (const t of p.themes) {
            expect(seen.has(t.themeId)).toBe(false)
            seen.add(t.themeId)
          }
        }
      }),
      { numRuns: 100 }
    )
  })

  it("two open programmes choosing the same catalogue theme cross-regionally always share a proposal", () => {
    fc.assert(
      fc.property(programmesArb, fc.constantFrom("digitalisering", "cyber", "arbeidsmarkt", "energie"), (ps, key) => {
        const a = programme({ id: "prg_x1", regionId: "x1", themes: [theme("thm_x1", { scope: "CrossRegional", catalogueKey: key })] })
        const b = programme({ id: "prg_x2", regionId: "x2", themes: [theme("thm_x2", { scope: "CrossRegional", catalogueKey: key })] })
        const proposals = ThemeMatching.proposeSharedSessions([...ps, a, b], catalogue, settings)
        const withA = proposals.find((p) => p.themes.some((t) => t.themeId === "thm_x1"))
        expect(withA?.themes.some((t) => t.themeId === "thm_x2")).toBe(true)
      }),
      { numRuns: 100 }
    )
  })
})
