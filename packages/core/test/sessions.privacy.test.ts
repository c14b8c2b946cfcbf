/**
 * Party readers (participants, administrators, guest experts, another region's people) see the
 * invitees' names, never another person's address: a matrix over every sessions read x those
 * roles, own and other region. The region's key persons and the coordinator still see addresses.
 */
import { describe, expect, it } from "vitest"
import { Layer } from "effect"
import type { Actor, Ids } from "@copkit/core"
import { Client, Services, Session } from "@copkit/core"
import { Fixtures, Memory } from "@copkit/testing"
import { regions, seedProgramme, utrechtGroup } from "./sessions.fixtures.js"

const { actors, people } = Fixtures

const layer = Layer.mergeAll(Services.layer, Layer.effectDiscard(seedProgramme(regions.utrecht, "prg_utrecht"))).pipe(
  Layer.provideMerge(Memory.layer)
)

const guest = { name: "Dr. Eva Smit", email: "e.smit@tno.example", organisation: "TNO", helixRole: "Knowledge" } as const

const readers: ReadonlyArray<readonly [string, Actor.Actor, string | undefined]> = [
  ["participant (own region, invited)", actors.participant, people.baker.email],
  ["administrator (own region)", actors.administrator, undefined],
  ["participant (other region)", { _tag: "Participant", personId: "per_twente_p" as Ids.PersonId, regionId: regions.twente.id }, undefined],
  ["administrator (other region)", { _tag: "Administrator", personId: "per_twente_a" as Ids.PersonId, regionId: regions.twente.id }, undefined],
  ["guest expert", { _tag: "GuestExpert", personId: "per_expert" as Ids.PersonId }, undefined],
  ["key person (other region)", actors.keyPersonTwente, undefined]
]

const addresses = /[^\s"'<>;,()\\]+@[^\s"'<>;,()\\]+\.[a-z]{2,}/gi

describe("Privacy: what party readers get from the sessions reads", () => {
  it("no sessions read a party reader gets holds another person's e-mail address; the region still sees them", async () => {
    const copkit = Client.make(layer)
    try {
      for (const participant of utrechtGroup) await copkit.sessions.enrol(actors.keyPerson, { programmeId: "prg_utrecht", participant })
      const [kickOff] = await copkit.sessions.createFromPlan(actors.keyPerson, { programmeId: "prg_utrecht" })
      const start = new Date(Date.now() + 30 * 86_400_000)
      await copkit.sessions.schedule(actors.keyPerson, {
        sessionId: kickOff!.id,
        start: start.toISOString(),
        end: new Date(start.getTime() + 3 * 3_600_000).toISOString()
      })
      await copkit.sessions.invite(actors.organiser, { sessionId: kickOff!.id, guests: [guest] })
      const everyone = [...utrechtGroup.map((p) => p.email), guest.email].map((e) => e.toLowerCase())

      // the region and the coordinator see every invitee's address
      for (const actor of [actors.keyPerson, actors.organiser, actors.coordinator]) {
        const seen = JSON.stringify(await copkit.sessions.get(actor, { sessionId: kickOff!.id })).toLowerCase()
        for (const e of everyone) expect(seen).toContain(e)
      }

      let checked = 0
      for (const [label, actor, own] of readers) {
        const results: Array<unknown> = []
        const attempt = async (f: () => Promise<unknown>) => results.push(await f().catch((e: unknown) => e))
        await attempt(() => copkit.sessions.get(actor, { sessionId: kickOff!.id }))
        await attempt(() => copkit.sessions.list(actor, {}))
        await attempt(() => copkit.sessions.list(actor, { programmeId: "prg_utrecht" }))
        await attempt(() => copkit.sessions.group(actor, { programmeId: "prg_utrecht" }))
        await attempt(() => copkit.sessions.feedEvents(actor, { programmeId: "prg_utrecht" }))
        if ("personId" in actor) await attempt(() => copkit.sessions.feedEvents(actor, { personId: actor.personId }))
        if (own !== undefined && "personId" in actor) {
          await attempt(() => copkit.sessions.answer(actor, { sessionId: kickOff!.id, personId: actor.personId, answer: "Accepted" }))
        }
        for (const result of results) {
          const found = (JSON.stringify(result ?? null).match(addresses) ?? []).map((e) => e.toLowerCase())
          const others = found.filter((e) => e !== own?.toLowerCase() && e !== Session.hiddenEmail && everyone.includes(e))
          expect(others, `${label} saw ${others.join(", ")}`).toEqual([])
          checked++
        }
      }
      expect(checked).toBeGreaterThanOrEqual(30)
      // the participant does see the session, with the names and their own address
      const own = await copkit.sessions.get(actors.participant, { sessionId: kickOff!.id })
      expect(own.value.invitations.map((i) => i.name)).toContain(guest.name)
      expect(own.value.invitations.find((i) => i.personId === people.baker.id)?.email).toBe(people.baker.email)
    } finally {
      await copkit.dispose()
    }
  })
})
