import { describe, expect, it } from "vitest"
import { Layer } from "effect"
import { Client, Forbidden, InvalidTransition, Services, ValidationError } from "@copkit/core"
import { Fixtures, Memory } from "@copkit/testing"

const layer = Services.layer.pipe(Layer.provideMerge(Memory.layer))

describe("the Promise facade", () => {
  it("runs the intake as async functions whose failures are instanceof-able with their fields", async () => {
    const copkit = Client.make(layer)
    try {
      const draft = await copkit.intake.create(Fixtures.actors.keyPerson, Fixtures.applicationInput())
      expect(draft.state).toBe("Draft")
      const submitted = await copkit.intake.submit(Fixtures.actors.keyPerson, { applicationId: draft.id })
      expect(submitted.state).toBe("Submitted")

      const invalid = await copkit.intake.assess(Fixtures.actors.coordinator, { applicationId: draft.id, criterion: "Urgency", score: 9, note: "x" })
        .catch((e: unknown) => e)
      expect(invalid).toBeInstanceOf(ValidationError)
      expect(invalid).toBeInstanceOf(Error)
      expect(invalid).toMatchObject({ field: "score", rule: "between" })

      const forbidden = await copkit.intake.assess(Fixtures.actors.participant, { applicationId: draft.id, criterion: "Urgency", score: 3, note: "x" })
        .catch((e: unknown) => e)
      expect(forbidden).toBeInstanceOf(Forbidden)
      expect((forbidden as Forbidden).action).toBe("application.assess")

      const refused = await copkit.intake.submit(Fixtures.actors.keyPerson, { applicationId: draft.id }).catch((e: unknown) => e)
      expect(refused).toBeInstanceOf(InvalidTransition)
      expect(refused).toMatchObject({ from: "Submitted", to: "Submitted" })

      const listed = await copkit.intake.list(Fixtures.actors.coordinator, {})
      expect(listed.map((v) => v.version)).toEqual([2])
    } finally {
      await copkit.dispose()
    }
  })

  it("reads the time from `now` when given: every moment it records is the story's, which moves when `now` does", async () => {
    let now = Date.parse("2026-01-05T09:00:00Z")
    const copkit = Client.make({ storage: Memory.layerStorage, now: () => new Date(now) })
    try {
      const draft = await copkit.intake.create(Fixtures.actors.keyPerson, Fixtures.applicationInput())
      expect(draft.createdAt.toISOString()).toBe("2026-01-05T09:00:00.000Z")
      const at = "2026-01-20T10:00:00.000Z"
      await copkit.intake.submit(Fixtures.actors.keyPerson, { applicationId: draft.id })
      const explored = await copkit.intake.scheduleExploration(Fixtures.actors.coordinator, { applicationId: draft.id, at })
      expect(explored.exploration?.at.toISOString()).toBe(at)
      now = Date.parse("2026-02-01T09:00:00Z")
      const assessed = await copkit.intake.assess(Fixtures.actors.coordinator, { applicationId: draft.id, criterion: "Urgency", score: 4, note: "x" })
      expect(assessed.updatedAt.toISOString()).toBe("2026-02-01T09:00:00.000Z")
    } finally {
      await copkit.dispose()
    }
  })
})
