import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Option, Schema, TestClock } from "effect"
import * as fc from "fast-check"
import type { Ids } from "@copkit/core"
import { Actor, Application, FollowUp, Network, Repository } from "@copkit/core"
import { Fixtures } from "@copkit/testing"
import { at, hold, participant, runningProgramme, saveInsight, saveProgramme, saveSession, t0, TestLayer } from "./followup.support.js"

const { actors } = Fixtures
const coordinator = Actor.as(actors.coordinator)
const keyPerson = Actor.as(actors.keyPerson)
const baker = Actor.as(actors.participant)
const twente = Actor.as(actors.keyPersonTwente)

const failure = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.exit(self), (exit) => {
    if (Exit.isSuccess(exit)) throw new Error("expected a failure")
    if (exit.cause._tag !== "Fail") throw new Error(`expected a typed failure, got ${exit.cause._tag}`)
    return exit.cause.error as E & { readonly _tag: string }
  })

const saveApplication = (region: (typeof Fixtures.regions)[keyof typeof Fixtures.regions], state: Application.ApplicationState) =>
  Effect.flatMap(Repository.ApplicationRepository, (r) =>
    r.save(
      Schema.decodeUnknownSync(Application.Application)({
        id: `app_${region.id}`,
        ...Fixtures.applicationInput({ region: { ...region, provinces: [...region.provinces], municipalities: [...region.municipalities] } }),
        state,
        assessment: [],
        createdAt: t0.toISOString(),
        updatedAt: t0.toISOString()
      }),
      0
    ))

/** Four regions: Utrecht running, Zuid-Limburg completed, Twente in intake, Groningen declined. */
const network = Effect.gen(function*() {
  yield* TestClock.setTime(at("2027-05-12T10:00:00Z").getTime())
  const utrecht = yield* runningProgramme()
  yield* saveApplication(Fixtures.regions.utrecht, "Accepted")
  const service = yield* FollowUp.FollowUp
  const a = yield* service.recordAgreement({
    programmeId: utrecht.programme.id,
    action: "Loket inrichten",
    owner: { personId: Fixtures.people.chamber.id },
    dueDate: "2027-09-01"
  }).pipe(keyPerson)
  yield* service.completeAgreement({ agreementId: a.id }).pipe(keyPerson)
  yield* service.recordAgreement({
    programmeId: utrecht.programme.id,
    action: "Kassa-sessie",
    owner: { personId: Fixtures.people.baker.id },
    dueDate: "2027-09-01"
  }).pipe(keyPerson)

  const limburg = yield* saveProgramme({
    id: "prg_limburg",
    region: Fixtures.regions.zuidLimburg,
    state: "Completed",
    closedAt: at("2027-04-01T10:00:00Z"),
    themes: [
      { id: "thm_digi_zl", title: "Digitaal ondernemen", catalogueKey: "Digitalisering" },
      { id: "thm_grens", title: "Grensoverschrijdend werven" }
    ]
  })
  const zlGroup = [1, 2, 3, 4].map((n) => participant(n, "zl"))
  yield* saveSession(limburg, { id: "ses_zl_1", state: "Held", start: at("2027-02-10T12:00:00Z"), invitees: zlGroup, present: zlGroup.slice(0, 3) })
  yield* saveInsight(limburg, {
    id: "ins_zl_1",
    sessionId: "ses_zl_1",
    kind: "PracticeExample",
    title: "Webshop voor de slager",
    text: "Een gezamenlijke webshop van drie slagers in Heerlen verdubbelde de omzet buiten de winkel.",
    themeIds: ["thm_digi_zl"],
    recordedAt: at("2027-02-11T10:00:00Z")
  })
  yield* saveInsight(limburg, {
    id: "ins_zl_2",
    sessionId: "ses_zl_1",
    kind: "WhatWorked",
    title: "Werven over de grens",
    text: "Belgische en Duitse vakmensen bereik je via de grensinfopunten.",
    themeIds: ["thm_grens"],
    tags: ["arbeidsmarkt"],
    recordedAt: at("2027-02-12T10:00:00Z")
  })
  yield* saveApplication(Fixtures.regions.twente, "Submitted")
  yield* saveApplication(Fixtures.regions.groningen, "Declined")
  return { utrecht, limburg }
})

describe("Network: the overview", () => {
  it.effect("shows every region's stage, attendance, agreement completion and the themes several regions share", () =>
    Effect.gen(function*() {
      const { utrecht, limburg } = yield* network
      const overview = yield* Effect.flatMap(Network.Network, (s) => s.overview().pipe(coordinator))
      expect(overview.regions.map((r) => [r.regionId, r.stage, r.state])).toEqual([
        ["groningen", "Declined", "Declined"],
        ["twente", "Intake", "Submitted"],
        ["utrecht", "Sessions", "Running"],
        ["zuid-limburg", "Completed", "Completed"]
      ])
      const u = overview.regions.find((r) => r.regionId === "utrecht")!
      expect(u).toMatchObject({
        programmeId: utrecht.programme.id,
        sessionsHeld: 2,
        attendance: { invited: 16, present: 12, rate: 0.75 },
        agreements: { total: 2, done: 1, dropped: 0, completionRate: 0.5 }
      })
      const zl = overview.regions.find((r) => r.regionId === "zuid-limburg")!
      expect(zl).toMatchObject({ programmeId: limburg.id, sessionsHeld: 1, attendance: { invited: 4, present: 3, rate: 0.75 } })
      expect(zl.agreements.completionRate).toBeUndefined()
      expect(overview.byStage).toEqual({ Declined: 1, Intake: 1, Sessions: 1, Completed: 1 })
      expect(overview.attendance).toEqual({ invited: 20, present: 15, rate: 0.75 })
      expect(overview.agreementCompletionRate).toBe(0.5)
      expect(overview.sharedThemes).toEqual([
        {
          key: "digitalisering",
          title: "Digitaal ondernemen",
          titles: ["Digitaal ondernemen", "Digitalisering in het mkb"],
          regions: [
            { regionId: "utrecht", programmeId: utrecht.programme.id, themeId: "thm_digi" },
            { regionId: "zuid-limburg", programmeId: limburg.id, themeId: "thm_digi_zl" }
          ]
        }
      ])
      expect((yield* Effect.flatMap(Network.Network, (s) => s.overview({ minRegions: 3 }).pipe(coordinator))).sharedThemes).toEqual([])
      // Only the coordinator compares regions.
      for (const actor of [keyPerson, baker, twente]) {
        expect((yield* failure(Effect.flatMap(Network.Network, (s) => s.overview().pipe(actor))))._tag).toBe("Forbidden")
      }
      expect(yield* failure(Effect.flatMap(Network.Network, (s) => s.overview({ minRegions: 1 }).pipe(coordinator)))).toMatchObject({
        _tag: "ValidationError",
        field: "minRegions"
      })
    }).pipe(Effect.provide(TestLayer)))

  it.effect("a programme's stage follows its state; a region shows its latest programme", () =>
    Effect.gen(function*() {
      expect(Network.stageOfProgramme("Planned")).toBe("Sessions")
      expect(Network.stageOfProgramme("FollowUp")).toBe("FollowUp")
      expect(Network.stageOfApplication("Exploring")).toBe("Intake")
      yield* TestClock.setTime(at("2027-05-12T10:00:00Z").getTime())
      const { utrecht } = yield* network
      yield* hold(utrecht.closing.id)
      yield* Effect.flatMap(FollowUp.FollowUp, (s) => s.close({ programmeId: utrecht.programme.id }).pipe(coordinator))
      const overview = yield* Effect.flatMap(Network.Network, (s) => s.overview().pipe(coordinator))
      expect(overview.regions.find((r) => r.regionId === "utrecht")!.stage).toBe("Completed")
    }).pipe(Effect.provide(TestLayer)))
})

describe("Network: the search over insights and practice examples", () => {
  const search = (actor: Actor.Actor, input: unknown) => Effect.flatMap(Network.Network, (s) => s.search(input as never).pipe(Actor.as(actor)))
  const expertActor: Actor.Actor = { _tag: "GuestExpert", personId: "per_expert" as Ids.PersonId }

  it.effect("finds insights across regions by theme (id, catalogue key, title words, tag) and by text, best first", () =>
    Effect.gen(function*() {
      yield* network
      const byKey = yield* search(actors.coordinator, { theme: "digitalisering" })
      // Equal scores: the newest first.
      expect(byKey.map((h) => h.insight.id)).toEqual(["ins_zl_1", "ins_prg_utrecht_1"])
      expect(byKey.find((h) => h.insight.id === "ins_zl_1")).toMatchObject({ regionName: "Zuid-Limburg", themes: ["Digitaal ondernemen"] })
      expect((yield* search(actors.coordinator, { theme: "thm_grens" })).map((h) => h.insight.id)).toEqual(["ins_zl_2"])
      expect((yield* search(actors.coordinator, { theme: "arbeidsmarkt" })).map((h) => h.insight.id).sort()).toEqual(["ins_prg_utrecht_2", "ins_zl_2"])
      // Text: every word must occur; accents and case do not matter; a title hit ranks higher.
      expect((yield* search(actors.coordinator, { text: "WEBSHOP slagers" })).map((h) => h.insight.id)).toEqual(["ins_zl_1"])
      expect((yield* search(actors.coordinator, { text: "kassa" })).map((h) => [h.insight.id, h.score])).toEqual([["ins_prg_utrecht_1", 3]])
      expect((yield* search(actors.coordinator, { text: "zonnepanelen" }))).toEqual([])
      expect((yield* search(actors.coordinator, { text: "ÉÉN digitale" })).map((h) => h.insight.id)).toEqual(["ins_prg_utrecht_1"])
      expect((yield* search(actors.coordinator, { kind: "PracticeExample" })).map((h) => h.insight.id).sort()).toEqual(["ins_prg_utrecht_1", "ins_zl_1"])
      expect((yield* search(actors.coordinator, { regionId: "zuid-limburg", limit: 1 })).map((h) => h.insight.id)).toEqual(["ins_zl_2"])
      expect((yield* search(actors.coordinator, { regionId: "zuid-limburg", limit: 1, offset: 1 })).map((h) => h.insight.id)).toEqual(["ins_zl_1"])
    }).pipe(Effect.provide(TestLayer)))

  it.effect("who finds what: key persons and organisers every Network insight, participants their own region's, guest experts only Public ones", () =>
    Effect.gen(function*() {
      yield* network
      expect((yield* search(actors.keyPersonTwente, {})).length).toBe(4)
      expect((yield* search(actors.keyPerson, { regionId: "zuid-limburg" })).length).toBe(2)
      const own = yield* search(actors.participant, {})
      expect(own.map((h) => h.insight.regionId)).toEqual(["utrecht", "utrecht"])
      // another region's insights are Network (the default): not for a participant or a guest expert
      expect(yield* search(actors.participant, { regionId: "zuid-limburg" })).toEqual([])
      expect(yield* search(expertActor, {})).toEqual([])
      expect(yield* failure(search(actors.coordinator, { limit: 0 }))).toMatchObject({ _tag: "ValidationError", field: "limit" })
      expect(yield* failure(search(actors.coordinator, { kind: "Gossip" }))).toMatchObject({ _tag: "ValidationError", field: "kind" })
    }).pipe(Effect.provide(TestLayer)))

  it.effect("visibility: a Region insight stays in its region, a Public one is found by everyone who may search", () =>
    Effect.gen(function*() {
      yield* network
      const limburg = (yield* Effect.flatMap(Repository.ProgrammeRepository, (r) => r.find("prg_limburg"))).pipe(Option.getOrThrow).value
      yield* saveInsight(limburg, { id: "ins_zl_eigen", sessionId: "ses_zl_1", title: "Alleen voor Limburg", text: "Interne les.", visibility: "Region" })
      yield* saveInsight(limburg, { id: "ins_zl_open", sessionId: "ses_zl_1", title: "Voor iedereen", text: "Openbare les.", visibility: "Public" })
      const ids = (hits: ReadonlyArray<Network.SearchHit>) => hits.map((h) => h.insight.id).sort()
      expect(ids(yield* search(actors.coordinator, { regionId: "zuid-limburg" }))).toEqual(["ins_zl_1", "ins_zl_2", "ins_zl_eigen", "ins_zl_open"])
      expect(ids(yield* search(actors.keyPersonTwente, { regionId: "zuid-limburg" }))).toEqual(["ins_zl_1", "ins_zl_2", "ins_zl_open"])
      expect(ids(yield* search(actors.participant, { regionId: "zuid-limburg" }))).toEqual(["ins_zl_open"])
      expect(ids(yield* search(expertActor, {}))).toEqual(["ins_zl_open"])
    }).pipe(Effect.provide(TestLayer)))

  it("fold ignores case, accents and extra spaces; every hit contains every query word (property)", () => {
    expect(Network.fold("  Één   Café ")).toBe("een cafe")
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-zé]{1,6}$/), { maxLength: 3 }), fc.array(fc.stringMatching(/^[a-zé ]{0,30}$/), { maxLength: 6 }), (words, texts) => {
        const insights = texts.map((text, i) => ({
          id: `ins_${i}`,
          programmeId: "prg_1",
          regionId: "utrecht",
          kind: "Lesson",
          title: "t",
          text: text.trim() === "" ? "x" : text,
          themeIds: [],
          tags: [],
          recordedAt: t0
        }))
        const hits = Network.search(insights as never, [], { text: words.join(" ") })
        for (const h of hits) {
          for (const w of words) expect(Network.fold(`${h.insight.title} ${h.insight.text}`)).toContain(Network.fold(w))
        }
        const expected = insights.filter((i) => words.every((w) => Network.fold(`t ${i.text}`).includes(Network.fold(w))))
        expect(hits.length).toBe(expected.length)
      })
    )
  })
})
