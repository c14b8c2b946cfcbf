/**
 * Party readers (participants, administrators, guest experts, and another region's key person)
 * see names and organisations, never another person's address: a matrix over every read method of
 * the follow-up, network and personal-data services x those roles, own and other region.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Schema, TestClock } from "effect"
import type { Ids } from "@copkit/core"
import { Actor, Entity, FollowUp, Network, PersonalData, Repository } from "@copkit/core"
import { Fixtures } from "@copkit/testing"
import { at, runningProgramme, saveInsight, TestLayer } from "./followup.support.js"

const { actors, people } = Fixtures

const readers: ReadonlyArray<readonly [string, Actor.Actor, string | undefined]> = [
  ["participant (own region)", actors.participant, people.baker.email],
  ["administrator (own region)", actors.administrator, people.alderman.email],
  ["participant (other region)", { _tag: "Participant", personId: "per_twente_p" as Ids.PersonId, regionId: Fixtures.regions.twente.id }, undefined],
  ["administrator (other region)", { _tag: "Administrator", personId: "per_twente_a" as Ids.PersonId, regionId: Fixtures.regions.twente.id }, undefined],
  ["guest expert", { _tag: "GuestExpert", personId: "per_expert" as Ids.PersonId }, undefined],
  ["key person (other region)", actors.keyPersonTwente, undefined]
]

const emailPattern = /[^\s"'<>;,()\\]+@[^\s"'<>;,()\\]+\.[a-z]{2,}/gi

describe("Privacy: what party readers get from the follow-up, network and personal-data reads", () => {
  it.effect("no result and no error a party reader gets holds another person's e-mail address", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(at("2027-05-12T10:00:00Z").getTime())
      const { programme, kickoff } = yield* runningProgramme()
      yield* saveInsight(programme, { id: "ins_privacy", sessionId: kickoff.id, title: "Wat werkte", text: "Kleine groepen werkten." })
      const followUp = yield* FollowUp.FollowUp
      const network = yield* Network.Network
      const personalData = yield* PersonalData.PersonalData
      const keyPerson = Actor.as(actors.keyPerson)
      const measure = yield* followUp.defineMeasure({ programmeId: programme.id, title: "Loket", organisations: ["Kamer van Koophandel"] }).pipe(keyPerson)
      const bakers = yield* followUp.recordAgreement({
        programmeId: programme.id,
        action: "Kassa-sessie organiseren.",
        owner: { personId: people.baker.id },
        dueDate: "2027-06-30",
        measureId: measure.id
      }).pipe(keyPerson)
      const chambers = yield* followUp.recordAgreement({
        programmeId: programme.id,
        action: "Loket inrichten.",
        owner: { personId: people.chamber.id },
        dueDate: "2027-07-30"
      }).pipe(keyPerson)
      const aldermans = yield* followUp.recordAgreement({
        programmeId: programme.id,
        action: "Budget vrijmaken.",
        owner: { personId: people.alderman.id, name: people.alderman.name, organisation: "Gemeente Utrecht" },
        dueDate: "2027-08-30"
      }).pipe(keyPerson)

      // Every address stored anywhere.
      const store = yield* Repository.EntityStore
      const stored = new Set<string>()
      for (const kind of Entity.kinds) {
        const encode = Schema.encodeSync(kind.schema as Schema.Schema<unknown, unknown>)
        for (const v of yield* store.repository(kind).list()) {
          for (const m of JSON.stringify(encode(v.value)).match(emailPattern) ?? []) stored.add(m.toLowerCase())
        }
      }
      expect(stored.size).toBeGreaterThanOrEqual(8)

      const p = programme.id
      const reads: ReadonlyArray<readonly [string, (actor: Actor.Actor) => Effect.Effect<unknown, unknown>]> = [
        ["FollowUp.getAgreement (baker's)", (a) => followUp.getAgreement({ agreementId: bakers.id }).pipe(Actor.as(a))],
        ["FollowUp.getAgreement (chamber's)", (a) => followUp.getAgreement({ agreementId: chambers.id }).pipe(Actor.as(a))],
        ["FollowUp.getAgreement (alderman's)", (a) => followUp.getAgreement({ agreementId: aldermans.id }).pipe(Actor.as(a))],
        ["FollowUp.listAgreements", (a) => followUp.listAgreements().pipe(Actor.as(a))],
        ["FollowUp.listAgreements (programme)", (a) => followUp.listAgreements({ programmeId: p }).pipe(Actor.as(a))],
        ["FollowUp.listMeasures", (a) => followUp.listMeasures({ programmeId: p }).pipe(Actor.as(a))],
        ["FollowUp.synergy", (a) => followUp.synergy({ programmeId: p }).pipe(Actor.as(a))],
        ["FollowUp.closeReadiness", (a) => followUp.closeReadiness({ programmeId: p }).pipe(Actor.as(a))],
        ["FollowUp.report", (a) => followUp.report({ programmeId: p }).pipe(Actor.as(a))],
        ["FollowUp.exportCsv participants", (a) => followUp.exportCsv({ programmeId: p, table: "participants" }).pipe(Actor.as(a))],
        ["FollowUp.exportCsv attendance", (a) => followUp.exportCsv({ programmeId: p, table: "attendance" }).pipe(Actor.as(a))],
        ["FollowUp.exportCsv agreements", (a) => followUp.exportCsv({ programmeId: p, table: "agreements" }).pipe(Actor.as(a))],
        ["Network.overview", (a) => network.overview().pipe(Actor.as(a))],
        ["Network.search", (a) => network.search({}).pipe(Actor.as(a))],
        ["Network.search (utrecht)", (a) => network.search({ regionId: "utrecht" }).pipe(Actor.as(a))],
        ["PersonalData.exportPerson (self)", (a) => personalData.exportPerson({ personId: Actor.personOf(a) ?? "per_none" }).pipe(Actor.as(a))],
        ["PersonalData.exportPerson (baker)", (a) => personalData.exportPerson({ personId: people.baker.id }).pipe(Actor.as(a))]
      ]

      let allowed = 0
      for (const [who, actor, own] of readers) {
        for (const [what, read] of reads) {
          const exit = yield* Effect.exit(read(actor))
          const shown = Exit.isSuccess(exit) ? exit.value : exit.cause
          if (Exit.isSuccess(exit)) allowed++
          else expect(exit.cause._tag, `${who} x ${what} fails typed`).toBe("Fail")
          const found = (JSON.stringify(shown).match(emailPattern) ?? []).map((m) => m.toLowerCase())
          const foreign = found.filter((m) => m !== own?.toLowerCase() && stored.has(m))
          expect(foreign, `${who} x ${what}`).toEqual([])
        }
      }
      // Not a vacuous matrix: party readers do read their own agreements, the search and their own data.
      expect(allowed).toBeGreaterThanOrEqual(10)
      const own = yield* followUp.getAgreement({ agreementId: bakers.id }).pipe(Actor.as(actors.participant))
      expect(own.value.owner).toEqual({ personId: people.baker.id, name: people.baker.name, organisation: people.baker.organisation })
    }).pipe(Effect.provide(TestLayer)))
})
