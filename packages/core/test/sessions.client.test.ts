import { describe, expect, it } from "vitest"
import { Layer } from "effect"
import { Client, Forbidden, InvalidTransition, RuleViolation, Services, ValidationError } from "@copkit/core"
import { Fixtures, Memory } from "@copkit/testing"
import { regions, seedProgramme, utrechtGroup } from "./sessions.fixtures.js"

const { actors, people } = Fixtures

/** Every service, with Utrecht's planned programme stored before the first call. */
const layer = Layer.mergeAll(Services.layer, Layer.effectDiscard(seedProgramme(regions.utrecht, "prg_utrecht"))).pipe(
  Layer.provideMerge(Memory.layer)
)

describe("the Promise facade: sessions", () => {
  it("plans, creates, schedules, invites and answers; failures keep their class and fields", async () => {
    const copkit = Client.make(layer)
    try {
      for (const participant of utrechtGroup) {
        await copkit.sessions.enrol(actors.keyPerson, { programmeId: "prg_utrecht", participant })
      }
      const twice = await copkit.sessions.enrol(actors.keyPerson, { programmeId: "prg_utrecht", participant: people.baker })
        .catch((e: unknown) => e)
      expect(twice).toBeInstanceOf(RuleViolation)
      expect(twice).toMatchObject({ rule: "participant-once" })

      // the clock is real here: plan a year from now
      const from = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10)
      const plan = await copkit.sessions.plan(actors.keyPerson, { programmeId: "prg_utrecht", from })
      expect(plan.sessions).toHaveLength(3)
      const created = await copkit.sessions.createFromPlan(actors.keyPerson, { programmeId: "prg_utrecht" })
      const scheduled = await copkit.sessions.scheduleFromPlan(actors.keyPerson, {
        programmeId: "prg_utrecht",
        sessions: plan.sessions.map(({ end, key, start }) => ({ key, start: start.toISOString(), end: end.toISOString() }))
      })
      expect(scheduled.map((s) => s.state)).toEqual(["Scheduled", "Scheduled", "Scheduled"])
      const invited = await copkit.sessions.invite(actors.organiser, { sessionId: created[0]!.id })
      expect(invited.invitations).toHaveLength(4)
      const answered = await copkit.sessions.answer(actors.participant, {
        sessionId: created[0]!.id,
        personId: people.baker.id,
        answer: "Tentative"
      })
      expect(answered.invitations[0]?.answer).toBe("Tentative")
      const visible = await copkit.sessions.list(actors.participant, {})
      expect(visible.map((v) => v.value.id)).toEqual([created[0]!.id])

      const forbidden = await copkit.sessions.cancel(actors.participant, { sessionId: created[0]!.id, reason: "Nee." })
        .catch((e: unknown) => e)
      expect(forbidden).toBeInstanceOf(Forbidden)
      expect(forbidden).toMatchObject({ action: "session.manage" })
      const invalid = await copkit.sessions.schedule(actors.keyPerson, { sessionId: created[0]!.id, start: "gisteren", end: "morgen" })
        .catch((e: unknown) => e)
      expect(invalid).toBeInstanceOf(ValidationError)
      expect(invalid).toMatchObject({ field: "start" })
      await copkit.sessions.cancel(actors.keyPerson, { sessionId: created[1]!.id, reason: "Vervalt." })
      const again = await copkit.sessions.cancel(actors.keyPerson, { sessionId: created[1]!.id, reason: "Vervalt." })
        .catch((e: unknown) => e)
      expect(again).toBeInstanceOf(InvalidTransition)
      expect(again).toMatchObject({ from: "Cancelled", to: "Cancelled" })
      expect(await copkit.sessions.sendDueReminders(actors.system)).toEqual([])
    } finally {
      await copkit.dispose()
    }
  })
})
