/**
 * Who performs a call. Every service call runs as an actor, read from the context.
 *
 * @since 0.1.0
 */
import { Context, Effect, Either, Schema } from "effect"
import { Line } from "./Common.js"
import { PersonId, RegionId } from "./Ids.js"
import { decodeEither } from "./Validation.js"

/** Staff of the institute that runs the network: sees and changes everything. @category models */
export const NetworkCoordinator = Schema.TaggedStruct("NetworkCoordinator", { personId: PersonId })
/** One of the 3-4 people per region who co-design its programme. @category models */
export const KeyPerson = Schema.TaggedStruct("KeyPerson", { personId: PersonId, regionId: RegionId })
/** The region's own contact: venue, catering, participants, follow-up. @category models */
export const RegionalOrganiser = Schema.TaggedStruct("RegionalOrganiser", { personId: PersonId, regionId: RegionId })
/** A member of a region's fixed group: sees the sessions they are invited to and their own actions. @category models */
export const Participant = Schema.TaggedStruct("Participant", { personId: PersonId, regionId: RegionId })
/** A regional administrator (alderman, deputy, board member): like a participant. @category models */
export const Administrator = Schema.TaggedStruct("Administrator", { personId: PersonId, regionId: RegionId })
/** An expert invited to a session: sees the sessions they are invited to. @category models */
export const GuestExpert = Schema.TaggedStruct("GuestExpert", { personId: PersonId })
/** The library's own background work (dispatcher, reminders, retention), run by the host application. @category models */
export const System = Schema.TaggedStruct("System", { name: Line })

/** Every kind of actor. @category models */
export const Actor = Schema.Union(
  NetworkCoordinator,
  KeyPerson,
  RegionalOrganiser,
  Participant,
  Administrator,
  GuestExpert,
  System
)
/** @category models */
export type Actor = typeof Actor.Type

const decodeActor = decodeEither(Actor)


/**
 * An actor from plain data (ids as plain strings), as a login system gives it. Throws a
 * `ValidationError` naming the field when the data is not an actor.
 *
 * @category constructors
 */
export const make = (input: typeof Actor.Encoded): Actor => Either.getOrThrowWith(decodeActor(input), (error) => error)

/** The actor of the current call. Provide it with {@link as}. @category services */
export class CurrentActor extends Context.Tag("@copkit/core/CurrentActor")<CurrentActor, Actor>() {}

/** Runs an effect as the given actor. @category combinators */
export const as: {
  (actor: Actor): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, Exclude<R, CurrentActor>>
  <A, E, R>(self: Effect.Effect<A, E, R>, actor: Actor): Effect.Effect<A, E, Exclude<R, CurrentActor>>
} = function() {
  if (arguments.length === 1) {
    const actor = arguments[0] as Actor
    return (self: Effect.Effect<unknown, unknown, unknown>) => Effect.provideService(self, CurrentActor, actor)
  }
  return Effect.provideService(arguments[0], CurrentActor, arguments[1])
} as never

/** The region an actor belongs to, if any. @category accessors */
export const regionOf = (actor: Actor): RegionId | undefined => ("regionId" in actor ? actor.regionId : undefined)

/** The person an actor is, if any. @category accessors */
export const personOf = (actor: Actor): PersonId | undefined => ("personId" in actor ? actor.personId : undefined)

/** A short description for errors and logs, as `KeyPerson per_1 of region utrecht`. @category accessors */
export const describe = (actor: Actor): string => {
  switch (actor._tag) {
    case "System":
      return `System ${actor.name}`
    case "NetworkCoordinator":
    case "GuestExpert":
      return `${actor._tag} ${actor.personId}`
    default:
      return `${actor._tag} ${actor.personId} of region ${actor.regionId}`
  }
}
