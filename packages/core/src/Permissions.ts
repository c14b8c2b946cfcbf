/**
 * The permission rules of the domain, one table, checked on every service call.
 *
 * - `coordinator`: the network coordinator (and the library's own System jobs) only;
 * - `region`: also the key persons and organisers of the region the resource belongs to;
 * - `regionOrParty`: also the people the resource names as a party (an invited participant,
 *   the owner of an agreement).
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import type { Actor } from "./Actor.js"
import { CurrentActor, describe } from "./Actor.js"
import { Forbidden } from "./Errors.js"
import type { PersonId, RegionId } from "./Ids.js"

/** Who may do a thing. @category models */
export type Access = "coordinator" | "region" | "regionOrParty"

/** Every action a service checks, with who may do it. @category constants */
export const actions = {
  "application.create": "region",
  "application.read": "region",
  "application.update": "region",
  "application.submit": "region",
  "application.withdraw": "region",
  "application.scheduleExploration": "coordinator",
  "application.assess": "coordinator",
  "application.decide": "coordinator",
  "programme.read": "region",
  "programme.codesign": "region",
  "programme.approvePlan": "coordinator",
  "programme.withdraw": "region",
  "agreement.read": "regionOrParty",
  "agreement.record": "region",
  "agreement.update": "regionOrParty",
  "measure.read": "region",
  "measure.manage": "region",
  "programme.close": "coordinator",
  "programme.report": "region",
  "programme.export": "region",
  "followUp.remind": "coordinator",
  "network.overview": "coordinator",
  "network.search": "regionOrParty",
  "personalData.export": "regionOrParty",
  "personalData.erase": "coordinator",
  "personalData.retention": "coordinator",
  "participant.read": "region",
  "participant.manage": "region",
  "session.read": "regionOrParty",
  "session.plan": "region",
  "session.manage": "region",
  "session.createCrossRegional": "coordinator",
  "session.answer": "regionOrParty",
  "session.remind": "coordinator",
  "insight.record": "region",
  "network.coordinate": "coordinator",
  "programme.cancel": "coordinator",
  "programme.amendPlan": "region",
  "task.manage": "region",
  "task.coordinate": "coordinator",
  "task.complete": "regionOrParty",
  "task.remind": "coordinator",
  "round.manage": "coordinator",
  "round.read": "region",
  "directory.join": "regionOrParty",
  "directory.manage": "regionOrParty",
  "directory.search": "regionOrParty",
  "evaluation.configure": "region", "evaluation.answer": "regionOrParty", "evaluation.read": "region", "goal.verdict": "region", "checkIn.record": "region",
  "feed.manage": "regionOrParty"
} as const satisfies Record<string, Access>

/** The name of an action. @category models */
export type Action = keyof typeof actions

/** What a permission is checked against: the regions a resource belongs to and the people it names as parties. @category models */
export interface Scope {
  readonly regionIds: ReadonlyArray<RegionId>
  readonly partyIds?: ReadonlyArray<PersonId>
}

const regionRoles = new Set<Actor["_tag"]>(["KeyPerson", "RegionalOrganiser"])

/** Whether the actor may perform the action on a resource of that scope. A pure rule. @category rules */
export const allows = (actor: Actor, action: Action, scope: Scope): boolean => {
  if (actor._tag === "NetworkCoordinator" || actor._tag === "System") return true
  const access = actions[action] as Access
  if (access === "coordinator") return false
  if (regionRoles.has(actor._tag) && "regionId" in actor && scope.regionIds.includes(actor.regionId)) return true
  if (access === "regionOrParty" && "personId" in actor) return (scope.partyIds ?? []).includes(actor.personId)
  return false
}

const reasonFor = (actor: Actor, action: Action): string => {
  const access = actions[action] as Access
  if (access === "coordinator") return "only the network coordinator may do this"
  if (regionRoles.has(actor._tag)) return "the resource belongs to another region"
  return access === "regionOrParty"
    ? "only the region's key persons and organisers, the coordinator, or the people it concerns may do this"
    : "only the region's key persons and organisers, and the coordinator, may do this"
}

/** The error for an actor refused an action. @category constructors */
export const forbidden = (actor: Actor, action: Action): Forbidden =>
  new Forbidden({ actor: describe(actor), action, reason: reasonFor(actor, action) })

/** Checks the current actor's right, failing with {@link Forbidden}. @category checks */
export const authorize = (action: Action, scope: Scope): Effect.Effect<Actor, Forbidden, CurrentActor> =>
  Effect.flatMap(CurrentActor, (actor) =>
    allows(actor, action, scope) ? Effect.succeed(actor) : Effect.fail(forbidden(actor, action)))

/** Checks that the current actor may perform the action at all (on some resource), before anything is read. @category checks */
export const authorizeAny = (action: Action): Effect.Effect<Actor, Forbidden, CurrentActor> =>
  Effect.flatMap(CurrentActor, (actor) => {
    const scope: Scope = {
      regionIds: "regionId" in actor ? [actor.regionId] : [],
      partyIds: "personId" in actor ? [actor.personId] : []
    }
    return allows(actor, action, scope) ? Effect.succeed(actor) : Effect.fail(forbidden(actor, action))
  })
