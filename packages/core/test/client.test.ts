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
})
