/**
 * The network search's index on PostgreSQL (read committed) when a programme's themes are
 * retitled while an insight or a session's minutes of that programme are saved in another
 * transaction: whichever commits second, the index shows the new title (the rows copy it).
 */
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Fiber } from "effect"
import type { Ids } from "@copkit/core"
import { Insight, Network, Person, Programme, Region, Repository, SearchIndex, Session, Transaction } from "@copkit/core"
import { freshSchema, skipReason, storeLayer, url } from "./support.js"

const at = new Date("2027-03-04T13:30:00.000Z")
const person = (id: string) => new Person.Person({ id: id as Ids.PersonId, name: `Persoon ${id}`, helixRole: "Entrepreneur", language: "nl" })

const programme = (id: string, themeTitle: string) =>
  new Programme.Programme({
    id: id as Ids.ProgrammeId,
    region: new Region.Region({ id: "reg-race" as Ids.RegionId, name: "Regio", provinces: [], municipalities: [] }),
    regionId: "reg-race" as Ids.RegionId,
    applicationId: `app-of-${id}` as Ids.ApplicationId,
    state: "CoDesign",
    coreTeam: [new Programme.CoreTeamMember({ person: person(`core-${id}`), joinedAt: at })],
    goals: Programme.emptyGoals(),
    themes: [
      new Programme.Theme({
        id: `${id}-thm` as Ids.ThemeId,
        title: themeTitle,
        scope: "Regional",
        tags: [],
        proposedBy: "per-key" as Ids.PersonId,
        proposedAt: at,
        votes: [],
        withdrawn: false
      })
    ],
    plan: [],
    createdAt: at,
    updatedAt: at
  })

const insight = (id: string, programmeId: string) =>
  new Insight.Insight({
    id: id as Ids.InsightId,
    sessionId: `ses-of-${id}` as Ids.SessionId,
    programmeId: programmeId as Ids.ProgrammeId,
    regionId: "reg-race" as Ids.RegionId,
    kind: "Lesson",
    title: "Samen inkopen werkt",
    text: "Gedeelde inkoop van energie.",
    themeIds: [`${programmeId}-thm` as Ids.ThemeId],
    tags: [],
    author: "per-author" as Ids.PersonId,
    recordedAt: at,
    visibility: "Network"
  })

const heldSession = (id: string, programmeId: string) =>
  new Session.Session({
    id: id as Ids.SessionId,
    programmeIds: [programmeId as Ids.ProgrammeId],
    regionIds: ["reg-race" as Ids.RegionId],
    title: "Leerwerksessie",
    themeId: `${programmeId}-thm` as Ids.ThemeId,
    workForms: [],
    agenda: [],
    start: at,
    end: new Date(at.getTime() + 3_600_000),
    state: "Held",
    sequence: 0,
    invitations: [],
    attendance: [],
    minutes: new Session.Minutes({
      state: "Published",
      text: "Verslag van de sessie.",
      updatedBy: "per-author" as Ids.PersonId,
      updatedAt: at,
      publishedAt: at,
      visibility: "Network"
    }),
    createdAt: at,
    updatedAt: at
  })

const byTheme = (theme: string) => ({
  words: [],
  theme: Network.fold(theme),
  access: { _tag: "All" } as const,
  limit: 10,
  offset: 0
})

if (url === undefined) {
  console.warn(skipReason)
  it.skipIf(true)(`PostgreSQL: the search index under concurrent saves (${skipReason})`, () => Effect.void)
} else {
  describe("PostgreSQL: the search index under concurrent saves", () => {
    it.layer(storeLayer(freshSchema("race")), { timeout: "60 seconds" })((it) => {
      /**
       * `first` runs in a transaction that waits, after its save, until `second` (another
       * transaction, forked) has had time to run; then both commit.
       */
      const race = <A, B>(first: Effect.Effect<A, any, any>, second: Effect.Effect<B, any, any>) =>
        Effect.gen(function*() {
          const saved = yield* Deferred.make<void>()
          const release = yield* Deferred.make<void>()
          const one = yield* Effect.fork(Transaction.run(Effect.gen(function*() {
            yield* first
            yield* Deferred.succeed(saved, undefined)
            yield* Deferred.await(release)
          })))
          yield* Deferred.await(saved)
          const two = yield* Effect.fork(Transaction.run(second))
          // real time (the test clock does not move by itself): the second transaction runs meanwhile
          yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 300)))
          yield* Deferred.succeed(release, undefined)
          yield* Fiber.join(one)
          yield* Fiber.join(two)
        })

      it.effect("a programme retitled while an insight of it is saved: the insight is found by the new title", () =>
        Effect.gen(function*() {
          const programmes = yield* Repository.ProgrammeRepository
          const insights = yield* Repository.InsightRepository
          const index = yield* SearchIndex.SearchIndex
          const p = programme("prg-race-1", "Oude titel")
          yield* programmes.save(p, 0)
          yield* race(programmes.save(programme(p.id, "Warmtenet"), 1), insights.save(insight("ins-race-1", p.id), 0))
          expect(yield* index.insights(byTheme("Warmtenet"))).toEqual(["ins-race-1"])
          expect(yield* index.insights(byTheme("Oude titel"))).toEqual([])
        }))

      it.effect("an insight saved while its programme is retitled: the insight is found by the new title", () =>
        Effect.gen(function*() {
          const programmes = yield* Repository.ProgrammeRepository
          const insights = yield* Repository.InsightRepository
          const index = yield* SearchIndex.SearchIndex
          const p = programme("prg-race-2", "Oude titel twee")
          yield* programmes.save(p, 0)
          yield* race(insights.save(insight("ins-race-2", p.id), 0), programmes.save(programme(p.id, "Zonnedaken"), 1))
          expect(yield* index.insights(byTheme("Zonnedaken"))).toEqual(["ins-race-2"])
        }))

      it.effect("published minutes saved while their programme is retitled: found by the new title", () =>
        Effect.gen(function*() {
          const programmes = yield* Repository.ProgrammeRepository
          const sessions = yield* Repository.SessionRepository
          const index = yield* SearchIndex.SearchIndex
          const p = programme("prg-race-3", "Oude titel drie")
          yield* programmes.save(p, 0)
          yield* race(sessions.save(heldSession("ses-race-3", p.id), 0), programmes.save(programme(p.id, "Waterstof"), 1))
          expect(yield* index.minutes(byTheme("Waterstof"))).toEqual(["ses-race-3"])
          const q = programme(p.id, "Waterstof")
          yield* race(programmes.save(programme(p.id, "Biogas"), 2), sessions.save(heldSession("ses-race-4", q.id), 0))
          expect(yield* index.minutes(byTheme("Biogas"))).toEqual(["ses-race-3", "ses-race-4"].sort())
        }))
    })
  })
}
