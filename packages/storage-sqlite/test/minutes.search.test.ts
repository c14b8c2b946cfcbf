/**
 * Minutes carry a visibility, as insights do, and the network search of minutes respects it: on
 * the in-memory store and on a real SQLite file. Minutes are written and published through the
 * Sessions service; the search runs as people of several regions and roles.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll } from "vitest"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Layer, Schema, TestClock } from "effect"
import { Actor, Ids, Network, Programme, Repository, Session, Sessions } from "@copkit/core"
import { SqliteStore } from "@copkit/storage-sqlite"
import { Fixtures, Memory } from "@copkit/testing"

const { actors, people, regions } = Fixtures
const dir = mkdtempSync(join(tmpdir(), "copkit-minutes-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const world = <ROut, E>(storage: Layer.Layer<ROut, E>) =>
  Layer.mergeAll(Sessions.layer, Network.layer).pipe(Layer.provideMerge(Layer.mergeAll(storage, Memory.layerMailer, Ids.layerSequential)))

const t0 = new Date("2027-02-01T09:00:00Z")
const theme = { id: "thm_energie" as Ids.ThemeId, title: "Energie en warmte" }

const programmeOf = (id: string, region: (typeof regions)[keyof typeof regions]) =>
  new Programme.Programme({
    id: id as Ids.ProgrammeId,
    region: Schema.decodeUnknownSync(Programme.Programme.fields.region)(region),
    regionId: region.id,
    applicationId: `app_${region.id}` as Ids.ApplicationId,
    state: "Running",
    coreTeam: [],
    goals: new Programme.Goals({ intendedResults: ["Regio's leren van elkaar."], whoIsNeeded: [], whoCanContribute: [] }),
    themes: [
      new Programme.Theme({
        id: theme.id,
        title: theme.title,
        scope: "Regional",
        tags: [],
        proposedBy: people.chamber.id,
        proposedAt: t0,
        votes: [],
        withdrawn: false
      })
    ],
    plan: [],
    createdAt: t0,
    updatedAt: t0
  })

const heldSession = (id: string, programme: Programme.Programme, title: string) =>
  new Session.Session({
    id: id as Ids.SessionId,
    programmeIds: [programme.id],
    regionIds: [programme.regionId],
    title,
    themeId: theme.id,
    workForms: ["Intervision"],
    agenda: [],
    start: new Date("2027-03-02T13:00:00Z"),
    end: new Date("2027-03-02T16:00:00Z"),
    timeZone: "Europe/Amsterdam",
    state: "Held",
    sequence: 0,
    invitations: [],
    attendance: [],
    createdAt: t0,
    updatedAt: t0
  })

/** Three held sessions, Utrecht's minutes at each visibility, Twente's at Region; all published through the service. */
const seed = Effect.gen(function*() {
  yield* TestClock.setTime(new Date("2027-03-03T10:00:00Z").getTime())
  const utrecht = programmeOf("prg_utrecht", regions.utrecht)
  const twente = programmeOf("prg_twente", regions.twente)
  const programmes = yield* Repository.ProgrammeRepository
  yield* programmes.save(utrecht, 0)
  yield* programmes.save(twente, 0)
  const repo = yield* Repository.SessionRepository
  yield* repo.save(heldSession("ses_u_region", utrecht, "Warmtenet in de wijk"), 0)
  yield* repo.save(heldSession("ses_u_network", utrecht, "Energiehub bedrijventerrein"), 0)
  yield* repo.save(heldSession("ses_u_public", utrecht, "Zonnepanelen op daken"), 0)
  yield* repo.save(heldSession("ses_t_region", twente, "Energiecoöperatie Twente"), 0)
  const sessions = yield* Sessions.Sessions
  const utrechtKeyPerson = Actor.as(actors.keyPerson)
  const twenteKeyPerson = Actor.as(actors.keyPersonTwente)
  // written without a visibility: Region, and published as such
  yield* sessions.writeMinutes({ sessionId: "ses_u_region", text: "Verslag warmtenet: Ilse Mulder vertelde." }).pipe(utrechtKeyPerson)
  yield* sessions.publishMinutes({ sessionId: "ses_u_region" }).pipe(utrechtKeyPerson)
  // chosen when writing, kept when publishing
  yield* sessions.writeMinutes({ sessionId: "ses_u_network", text: "Verslag energiehub.", visibility: "Network" }).pipe(utrechtKeyPerson)
  yield* sessions.publishMinutes({ sessionId: "ses_u_network" }).pipe(utrechtKeyPerson)
  // chosen when publishing
  yield* sessions.writeMinutes({ sessionId: "ses_u_public", text: "Verslag zonnepanelen en energie." }).pipe(utrechtKeyPerson)
  yield* sessions.publishMinutes({ sessionId: "ses_u_public", visibility: "Public" }).pipe(utrechtKeyPerson)
  yield* sessions.writeMinutes({ sessionId: "ses_t_region", text: "Verslag coöperatie, energie." }).pipe(twenteKeyPerson)
  yield* sessions.publishMinutes({ sessionId: "ses_t_region" }).pipe(twenteKeyPerson)
})

const found = (actor: Actor.Actor, input: Parameters<Network.NetworkService["searchMinutes"]>[0] = {}) =>
  Effect.flatMap(Network.Network, (n) => n.searchMinutes(input)).pipe(
    Actor.as(actor),
    Effect.map((hits) => hits.map((h) => h.sessionId as string).sort())
  )

const guestExpert = Actor.make({ _tag: "GuestExpert", personId: "per_gast" })

const cases = (name: string, storage: () => Layer.Layer<any, any>) =>
  describe(`minutes in the network search (${name})`, () => {
    it.effect("finds published minutes only by their visibility, per role and region", () =>
      Effect.gen(function*() {
        yield* seed
        const sessions = yield* Sessions.Sessions
        const minutes = (yield* sessions.get({ sessionId: "ses_u_network" }).pipe(Actor.as(actors.keyPerson))).value.minutes
        expect(minutes).toMatchObject({ state: "Published", visibility: "Network" })
        expect(yield* found(actors.coordinator)).toEqual(["ses_t_region", "ses_u_network", "ses_u_public", "ses_u_region"])
        // the region's own people find all of its minutes
        expect(yield* found(actors.keyPerson)).toEqual(["ses_u_network", "ses_u_public", "ses_u_region"])
        expect(yield* found(actors.participant)).toEqual(["ses_u_network", "ses_u_public", "ses_u_region"])
        // another region's key person: Network and Public
        expect(yield* found(actors.keyPersonTwente)).toEqual(["ses_t_region", "ses_u_network", "ses_u_public"])
        // a guest expert: Public only
        expect(yield* found(guestExpert)).toEqual(["ses_u_public"])
      }).pipe(Effect.provide(world(storage()))))

    it.effect("searches text accent-insensitively and by theme, best first", () =>
      Effect.gen(function*() {
        yield* seed
        const hits = yield* Effect.flatMap(Network.Network, (n) => n.searchMinutes({ text: "ENERGIE" })).pipe(Actor.as(actors.coordinator))
        // a word in the title counts more than one in the minutes
        expect(hits.map((h) => [h.sessionId, h.score])).toEqual([
          ["ses_t_region", 3],
          ["ses_u_network", 3],
          ["ses_u_public", 1],
          ["ses_u_region", 1]
        ])
        expect(hits[0]).toMatchObject({ regionNames: [regions.twente.name], theme: theme.title, title: "Energiecoöperatie Twente" })
        expect(yield* found(actors.coordinator, { text: "cooperatie" })).toEqual(["ses_t_region"])
        expect(yield* found(actors.coordinator, { theme: "warmte", regionId: regions.utrecht.id })).toEqual(["ses_u_network", "ses_u_public", "ses_u_region"])
        expect(yield* found(actors.coordinator, { text: "energie", limit: 1, offset: 1 })).toHaveLength(1)
      }).pipe(Effect.provide(world(storage()))))

    it.effect("leaves draft minutes out and refuses a bad visibility, naming the field", () =>
      Effect.gen(function*() {
        yield* seed
        const sessions = yield* Sessions.Sessions
        const programme = programmeOf("prg_utrecht", regions.utrecht)
        yield* Effect.flatMap(Repository.SessionRepository, (r) => r.save(heldSession("ses_u_draft", programme, "Concept"), 0))
        yield* sessions.writeMinutes({ sessionId: "ses_u_draft", text: "Nog niet af.", visibility: "Public" }).pipe(Actor.as(actors.keyPerson))
        expect(yield* found(guestExpert)).toEqual(["ses_u_public"])
        const bad = yield* Effect.exit(
          sessions.writeMinutes({ sessionId: "ses_u_draft", text: "x", visibility: "Everyone" as never }).pipe(Actor.as(actors.keyPerson))
        )
        expect(Exit.isFailure(bad) && JSON.stringify(bad.cause)).toContain("visibility")
        const kept = yield* sessions.get({ sessionId: "ses_u_draft" }).pipe(Actor.as(actors.keyPerson))
        expect(kept.value.minutes).toMatchObject({ text: "Nog niet af.", visibility: "Public", state: "Draft" })
      }).pipe(Effect.provide(world(storage()))))
  })

cases("memory", () => Memory.layerStorage)
let files = 0
cases("SQLite", () => SqliteStore.layer({ filename: join(dir, `minutes-${++files}.db`) }))

describe("minutes stored before visibility existed", () => {
  it("read as Region", () => {
    const minutes = Schema.decodeUnknownSync(Session.Minutes)({
      state: "Published",
      text: "Oud verslag.",
      updatedBy: people.chamber.id,
      updatedAt: "2027-01-01T00:00:00.000Z"
    })
    expect(minutes.visibility).toBe("Region")
  })
})
