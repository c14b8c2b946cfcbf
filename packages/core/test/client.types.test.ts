// Type tests: `pnpm typecheck` (tsc over test/) fails if a line marked @ts-expect-error compiles, so
// these show the Promise facade and the Effect API refusing, at compile time, what the run-time
// decoding refuses too. The calls are never run (each sits in a function that is not called).
import { describe, expectTypeOf, it } from "vitest"
import type { Effect } from "effect"
import type { Actor, Application, Client, CommandError, Intake, RuleViolation } from "@copkit/core"

declare const client: Client.Client
declare const intake: Intake.IntakeService

const actor = { _tag: "KeyPerson", personId: "per_1", regionId: "utrecht" } as const
const region = { id: "utrecht", name: "Utrecht", provinces: ["Utrecht"], municipalities: ["Utrecht"] }
const person = { name: "Fleur Jansen", email: "fleur@kvk.example", organisation: "KvK", helixRole: "Intermediary" } as const
const documented = { region, contact: person, motivation: "Energie in de regio.", urgency: "Nu.", keyPersons: [person] }

describe("typed inputs", () => {
  it("the facade accepts the documented example and refuses misspelt, missing and wrong-literal fields", () => {
    const compileOnly = async () => {
      const draft = await client.intake.create(actor, documented)
      expectTypeOf(draft).toEqualTypeOf<Application.Application>()
      await client.intake.submit(actor, { applicationId: draft.id })
      await client.intake.assess(actor, { applicationId: "app_1", criterion: "Urgency", score: 4, note: "Goed." })
      // @ts-expect-error a misspelt field
      await client.intake.submit(actor, { applicationID: "app_1" })
      // @ts-expect-error a missing field
      await client.intake.assess(actor, { applicationId: "app_1", criterion: "Urgency", score: 4 })
      // @ts-expect-error a wrong enum literal
      await client.intake.assess(actor, { applicationId: "app_1", criterion: "Vibes", score: 4, note: "x" })
      // @ts-expect-error a method that does not exist
      await client.intake.remove(actor, { applicationId: "app_1" })
      // @ts-expect-error a service that does not exist
      await client.billing.pay(actor, {})
      // @ts-expect-error the actor comes first
      await client.intake.submit({ applicationId: "app_1" })
      // @ts-expect-error an actor of an unknown kind
      await client.intake.submit({ _tag: "Mayor", personId: "p" }, { applicationId: "app_1" })
    }
    expectTypeOf(compileOnly).toBeFunction()
  })

  it("the Effect API accepts the documented example and refuses misspelt, missing and wrong-literal fields", () => {
    const compileOnly = () => {
      const created = intake.create(documented)
      expectTypeOf(created).toEqualTypeOf<Effect.Effect<Application.Application, CommandError | RuleViolation, Actor.CurrentActor>>()
      intake.decline({ applicationId: "app_1", reason: "Te weinig ondernemers." })
      // @ts-expect-error a misspelt field
      intake.decline({ applicationId: "app_1", reasons: "x" })
      // @ts-expect-error a missing field
      intake.create({ region, contact: person, motivation: "x", urgency: "y" })
      // @ts-expect-error a wrong enum literal (helix role)
      intake.create({ ...documented, contact: { ...person, helixRole: "Banker" } })
      // @ts-expect-error a wrong type
      intake.list({ limit: "ten" })
    }
    expectTypeOf(compileOnly).toBeFunction()
  })
})
