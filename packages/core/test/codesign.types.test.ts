/**
 * The typed service methods of the intake, co-design and programmes: each takes its schema's
 * encoded input, so a misspelt field, a missing field or a wrong literal is a compile error, and the
 * documented examples compile. Checked by `pnpm --filter @copkit/core run typecheck` (the
 * `@ts-expect-error` lines fail the typecheck when the error they expect is gone).
 */
import { describe, expect, expectTypeOf, it } from "vitest"
import type { Effect } from "effect"
import { CoDesign, Intake, Programmes } from "@copkit/core"
import type { Programme } from "@copkit/core"
import { Fixtures } from "@copkit/testing"

/** The calls, type-checked only: the function is never run. */
const calls = (intake: Intake.IntakeService, coDesign: CoDesign.CoDesignService, programmes: Programmes.ProgrammesService) => {
  const programmeId = "prg_utrecht"

  // --- Intake: the documented examples compile ---
  intake.create(Fixtures.applicationInput())
  intake.submit({ applicationId: "app_1" })
  intake.assess({ applicationId: "app_1", criterion: "Urgency", score: 4, note: "Goed" })
  intake.accept({ applicationId: "app_1", reason: "Veel energie." })
  intake.list({ state: ["Submitted", "Exploring"] })
  intake.list()

  // @ts-expect-error misspelt field: applicationID
  intake.submit({ applicationID: "app_1" })
  // @ts-expect-error missing field: the reason of a decision
  intake.decline({ applicationId: "app_1" })
  // @ts-expect-error wrong enum literal: no criterion "Enthusiasm"
  intake.assess({ applicationId: "app_1", criterion: "Enthusiasm", score: 4, note: "Goed" })
  // @ts-expect-error wrong enum literal: no application state "Open"
  intake.list({ state: "Open" })
  // @ts-expect-error missing field: an application names its key persons
  intake.create({ ...Fixtures.applicationInput(), keyPersons: undefined })

  // --- CoDesign: the documented examples (guides/co-design.md) compile ---
  coDesign.setGoals({ programmeId, intendedResults: ["Eén loket voor het mkb"] })
  coDesign.proposeTheme({ programmeId, title: "Personeelstekorten", scope: "CrossRegional", tags: ["arbeidsmarkt"] })
  coDesign.vote({ programmeId, themeId: "thm_1", points: 8 })
  coDesign.setPlan({ programmeId, items: [{ role: "KickOff", goal: "Kennismaken", workForms: ["GuestExpert"], durationMinutes: 180 }] })
  coDesign.validatePlan({ programmeId })
  coDesign.approvePlan({ programmeId })
  coDesign.addMember({ programmeId, person: { name: "Anna de Boer", helixRole: "Knowledge" } })

  // @ts-expect-error misspelt field: programmeID
  coDesign.approvePlan({ programmeID: programmeId })
  // @ts-expect-error misspelt field: intendedResult
  coDesign.setGoals({ programmeId, intendedResult: ["Eén loket"] })
  // @ts-expect-error missing field: a theme's scope
  coDesign.proposeTheme({ programmeId, title: "Personeelstekorten" })
  // @ts-expect-error missing field: the points of a vote
  coDesign.vote({ programmeId, themeId: "thm_1" })
  // @ts-expect-error wrong enum literal: no theme scope "National"
  coDesign.proposeTheme({ programmeId, title: "Personeelstekorten", scope: "National" })
  // @ts-expect-error wrong enum literal: no session role "Opening"
  coDesign.setPlan({ programmeId, items: [{ role: "Opening", goal: "Kennismaken", workForms: [], durationMinutes: 180 }] })
  // @ts-expect-error wrong enum literal: no helix role "Farmer"
  coDesign.addMember({ programmeId, person: { name: "Anna de Boer", helixRole: "Farmer" } })

  // --- Programmes ---
  programmes.withdraw({ programmeId, reason: "De gemeente trekt zich terug." })
  programmes.amendPlan({ programmeId, amendment: { _tag: "DropSession", planItemId: "pli_2", reason: "De spreker kan niet." } })
  programmes.amendPlan({ programmeId, amendment: { _tag: "MoveSession", planItemId: "pli_2", start: "2027-03-23T13:00:00Z", end: "2027-03-23T16:00:00Z" } })
  // @ts-expect-error missing field: the reason of a withdrawal
  programmes.withdraw({ programmeId })
  // @ts-expect-error wrong literal: no amendment "SwapSession"
  programmes.amendPlan({ programmeId, amendment: { _tag: "SwapSession", planItemId: "pli_2" } })
  // @ts-expect-error misspelt field: planItem
  programmes.amendPlan({ programmeId, amendment: { _tag: "DropSession", planItem: "pli_2", reason: "Weg." } })
}

describe("typed service methods", () => {
  it("take their schema's encoded input and return the model", () => {
    expectTypeOf(calls).toBeFunction()
    expectTypeOf<Parameters<Intake.IntakeService["create"]>[0]>().toEqualTypeOf<typeof Intake.CreateApplication.Encoded>()
    expectTypeOf<Parameters<CoDesign.CoDesignService["setPlan"]>[0]>().toEqualTypeOf<typeof CoDesign.SetPlan.Encoded>()
    expectTypeOf<Parameters<Programmes.ProgrammesService["amendPlan"]>[0]>().toEqualTypeOf<typeof Programmes.AmendPlan.Encoded>()
    expectTypeOf<ReturnType<CoDesign.CoDesignService["setGoals"]>>().toMatchTypeOf<Effect.Effect<Programme.Programme, unknown, unknown>>()
    expectTypeOf<ReturnType<CoDesign.CoDesignService["proposeTheme"]>>().toMatchTypeOf<Effect.Effect<Programme.Theme, unknown, unknown>>()
    // the schemas the types come from are the ones that decode at run time
    expect(CoDesign.SetGoals.fields.programmeId).toBeDefined()
  })
})
