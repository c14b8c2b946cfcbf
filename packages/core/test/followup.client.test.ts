import { describe, expect, it } from "vitest"
import { Layer } from "effect"
import { Application, Client, Forbidden, RuleViolation, Services, ValidationError } from "@copkit/core"
import { Fixtures, Memory } from "@copkit/testing"

const layer = Services.layer.pipe(Layer.provideMerge(Memory.layer))
const { actors, people } = Fixtures

describe("the Promise facade: follow-up, network, personal data", () => {
  it("runs the three services as async functions whose failures are instanceof-able", async () => {
    const copkit = Client.make(layer)
    try {
      const draft = await copkit.intake.create(actors.keyPerson, Fixtures.applicationInput())
      await copkit.intake.submit(actors.keyPerson, { applicationId: draft.id })
      await copkit.intake.scheduleExploration(actors.coordinator, { applicationId: draft.id, at: "2027-01-12T09:30:00Z" })
      for (const criterion of Application.criteria) {
        await copkit.intake.assess(actors.coordinator, { applicationId: draft.id, criterion, score: 4, note: "Goed." })
      }
      const { programme } = await copkit.intake.accept(actors.coordinator, { applicationId: draft.id, reason: "Veel energie." })

      // A programme in co-design takes no agreements yet.
      const early = await copkit.followUp.recordAgreement(actors.keyPerson, {
        programmeId: programme.id,
        action: "Iets doen.",
        owner: { personId: people.chamber.id },
        dueDate: "2027-06-30"
      }).catch((e: unknown) => e)
      expect(early).toBeInstanceOf(RuleViolation)
      expect(early).toMatchObject({ rule: "programme-open-for-agreements" })
      const closing = await copkit.followUp.close(actors.coordinator, { programmeId: programme.id }).catch((e: unknown) => e)
      expect(closing).toMatchObject({ _tag: "InvalidTransition", from: "CoDesign", to: "Completed" })
      // @ts-expect-error programmeId is a string: the compiler refuses it, and at run time it is a ValidationError
      const bad = await copkit.followUp.report(actors.coordinator, { programmeId: 7 }).catch((e: unknown) => e)
      expect(bad).toBeInstanceOf(ValidationError)
      expect(bad).toMatchObject({ field: "programmeId" })
      const report = await copkit.followUp.report(actors.keyPerson, { programmeId: programme.id })
      expect(report.summary.sessionsHeld).toBe(0)
      expect(await copkit.followUp.runReminders(actors.system)).toEqual({ dueSoon: [], overdue: [], checkIns: [] })

      const overview = await copkit.network.overview(actors.coordinator)
      expect(overview.regions.map((r) => [r.regionId, r.stage])).toEqual([["utrecht", "CoDesign"]])
      const refused = await copkit.network.overview(actors.keyPerson).catch((e: unknown) => e)
      expect(refused).toBeInstanceOf(Forbidden)
      expect(await copkit.network.search(actors.keyPersonTwente, { text: "kassa" })).toEqual([])

      const exported = await copkit.personalData.exportPerson(actors.coordinator, { personId: people.civilServant.id })
      expect(Object.keys(exported.entities).sort()).toEqual(["Application", "Programme"])
      const erased = await copkit.personalData.erase(actors.coordinator, { personId: people.civilServant.id })
      expect(erased.changed).toEqual({ Application: 1, Programme: 1 })
      expect(JSON.stringify(await copkit.personalData.exportPerson(actors.coordinator, { personId: people.civilServant.id }))).not.toContain(
        people.civilServant.email
      )
      expect(await copkit.personalData.applyRetention(actors.system)).toEqual({ programmes: [], applications: [] })
    } finally {
      await copkit.dispose()
    }
  })
})
