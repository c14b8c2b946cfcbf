import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { Actor, Permissions } from "@copkit/core"
import { Fixtures } from "@copkit/testing"

const actions = Object.keys(Permissions.actions) as Array<Permissions.Action>
const regionIds = ["utrecht", "twente", "zuid-limburg"] as const
const actorArb: fc.Arbitrary<Actor.Actor> = fc.oneof(
  fc.constant(Fixtures.actors.coordinator),
  fc.record({
    _tag: fc.constantFrom("KeyPerson", "RegionalOrganiser", "Participant", "Administrator"),
    personId: fc.constantFrom("per_a", "per_b"),
    regionId: fc.constantFrom(...regionIds)
  }) as fc.Arbitrary<Actor.Actor>,
  fc.record({ _tag: fc.constant("GuestExpert"), personId: fc.constantFrom("per_a", "per_b") }) as fc.Arbitrary<Actor.Actor>
)
const scopeArb = fc.record({
  regionIds: fc.subarray([...regionIds]),
  partyIds: fc.subarray(["per_a", "per_b"])
}) as unknown as fc.Arbitrary<Permissions.Scope>

describe("permissions", () => {
  it("the coordinator may do everything", () => {
    for (const action of actions) expect(Permissions.allows(Fixtures.actors.coordinator, action, { regionIds: [] })).toBe(true)
  })

  it("nobody but the coordinator may do a coordinator action", () => {
    fc.assert(fc.property(actorArb, scopeArb, fc.constantFrom(...actions), (actor, scope, action) => {
      if (Permissions.actions[action] === "coordinator" && actor._tag !== "NetworkCoordinator") {
        expect(Permissions.allows(actor, action, scope)).toBe(false)
      }
    }))
  })

  it("a region's key person or organiser acts on their own region only; participants and experts only where they are a party", () => {
    fc.assert(fc.property(actorArb, scopeArb, fc.constantFrom(...actions), (actor, scope, action) => {
      const allowed = Permissions.allows(actor, action, scope)
      if (actor._tag === "NetworkCoordinator") return
      const inRegion = "regionId" in actor && scope.regionIds.includes(actor.regionId)
      const isParty = "personId" in actor && (scope.partyIds ?? []).includes(actor.personId)
      const access = Permissions.actions[action] as Permissions.Access
      if (actor._tag === "KeyPerson" || actor._tag === "RegionalOrganiser") {
        expect(allowed).toBe(access !== "coordinator" && (inRegion || (access === "regionOrParty" && isParty)))
      } else {
        expect(allowed).toBe(access === "regionOrParty" && isParty)
      }
    }))
  })

  it("a refusal names the actor, the action and why", () => {
    expect(Permissions.forbidden(Fixtures.actors.keyPersonTwente, "application.read")).toMatchObject({
      actor: "KeyPerson per_twente of region twente",
      action: "application.read",
      reason: "the resource belongs to another region"
    })
  })
})
