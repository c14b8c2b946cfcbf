// The Promise facade and the HTTP service table have the evaluation and impact service.
import { describe, expect, it } from "vitest"
import { Layer } from "effect"
import { Application, Client, Forbidden, InvalidTransition, Services, ValidationError } from "@copkit/core"
import { Fixtures, Memory } from "@copkit/testing"

const layer = Services.layer.pipe(Layer.provideMerge(Memory.layer))
const { actors } = Fixtures

describe("the Promise facade: evaluations", () => {
  it("runs the evaluation and impact service as async functions whose failures are instanceof-able", async () => {
    const copkit = Client.make(layer)
    try {
      const draft = await copkit.intake.create(actors.keyPerson, Fixtures.applicationInput())
      await copkit.intake.submit(actors.keyPerson, { applicationId: draft.id })
      await copkit.intake.scheduleExploration(actors.coordinator, { applicationId: draft.id, at: "2027-01-12T09:30:00Z" })
      for (const criterion of Application.criteria) {
        await copkit.intake.assess(actors.coordinator, { applicationId: draft.id, criterion, score: 4, note: "Goed." })
      }
      const { programme } = await copkit.intake.accept(actors.coordinator, { applicationId: draft.id, reason: "Veel energie." })

      const questions = [{ key: "value", kind: "Scale" as const, text: { nl: "Waardevol?", en: "Valuable?" } }]
      const set = await copkit.evaluations.setQuestions(actors.keyPerson, { programmeId: programme.id, questions })
      expect(set.evaluationQuestions?.map((q) => q.key)).toEqual(["value"])
      expect(await copkit.evaluations.setQuestions(actors.keyPersonTwente, { programmeId: programme.id, questions }).catch((e: unknown) => e))
        .toBeInstanceOf(Forbidden)
      // @ts-expect-error a score is a number: the compiler refuses a string, and at run time it is a ValidationError
      const bad = await copkit.evaluations.answer(actors.participant, { sessionId: "ses_1", scores: { value: "vijf" } }).catch((e: unknown) => e)
      expect(bad).toBeInstanceOf(ValidationError)
      // in co-design there are no verdicts yet, and the goals have no intended results
      const early = await copkit.evaluations.recordVerdict(actors.keyPerson, { programmeId: programme.id, resultIndex: 0, verdict: "Reached", note: "x" }).catch((e: unknown) => e)
      expect(early).toBeInstanceOf(InvalidTransition)
      const checkIn = await copkit.evaluations.recordCheckIn(actors.keyPerson, { programmeId: programme.id, monthsAfterClosing: 3, agreements: [], measures: [] }).catch((e: unknown) => e)
      expect(checkIn).toBeInstanceOf(InvalidTransition)
    } finally {
      await copkit.dispose()
    }
  })
})
