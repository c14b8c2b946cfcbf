/**
 * The Promise facade, for teams that do not use Effect: the same services as async functions
 * taking the actor first. A failure rejects with the same error class the Effect API fails with
 * (`ValidationError`, `Forbidden`, ...), so `instanceof` and the error's fields work as usual.
 *
 * ```ts
 * const copkit = Client.make(layer)
 * const draft = await copkit.intake.create(actor, { region, contact, ... })
 * ```
 *
 * @since 0.1.0
 */
import { Cause, Context, Effect, Exit, ManagedRuntime } from "effect"
import type { Layer } from "effect"
import type { Actor } from "./Actor.js"
import { as } from "./Actor.js"
import { CoDesign } from "./CoDesign.js"
import { FollowUp } from "./FollowUp.js"
import { Intake } from "./Intake.js"
import { Network } from "./Network.js"
import { PersonalData } from "./PersonalData.js"
import { Sessions } from "./Sessions.js"

/**
 * The services the facade exposes, by the name they have on the client. Every service whose
 * methods return `Effect<A, E, CurrentActor>` can be listed here.
 *
 * @category models
 */
export const services = {
  intake: Intake,
  coDesign: CoDesign,
  sessions: Sessions,
  followUp: FollowUp,
  network: Network,
  personalData: PersonalData
} as const

/** The tags of the services the facade needs. @category models */
export type Services = Context.Tag.Identifier<(typeof services)[keyof typeof services]>

/** A service's methods as async functions taking the actor first. @category models */
export type Promised<S> = {
  readonly [K in keyof S]: S[K] extends (...args: infer Args) => Effect.Effect<infer A, any, any>
    ? (actor: Actor, ...args: Args) => Promise<A>
    : never
}

/** The Promise client. @category models */
export type Client =
  & { readonly [K in keyof typeof services]: Promised<Context.Tag.Service<(typeof services)[K]>> }
  & {
    /** Releases what the layer acquired (database connections, servers). */
    readonly dispose: () => Promise<void>
  }

const toError = (cause: Cause.Cause<unknown>): unknown => {
  const failure = Cause.failureOption(cause)
  if (failure._tag === "Some") return failure.value
  return Cause.squash(cause)
}

/**
 * Builds a client from a layer that provides the services (`Services.layer` on top of the
 * adapters' layers). The layer is built once, on the first call.
 *
 * @category constructors
 */
export const make = <E>(layer: Layer.Layer<Services, E, never>): Client => {
  const runtime = ManagedRuntime.make(layer)
  const run = <A>(effect: Effect.Effect<A, unknown, never>): Promise<A> =>
    runtime.runPromiseExit(effect).then((exit) => {
      if (Exit.isSuccess(exit)) return exit.value
      throw toError(exit.cause)
    })
  const client: Record<string, unknown> = {
    dispose: () => runtime.dispose()
  }
  for (const [name, tag] of Object.entries(services)) {
    client[name] = new Proxy({}, {
      get: (_, method) =>
        typeof method !== "string" || method === "then"
          ? undefined
          : (actor: Actor, ...args: ReadonlyArray<unknown>) =>
            run(
              Effect.flatMap(tag as unknown as Context.Tag<any, Record<string, (...a: ReadonlyArray<unknown>) => Effect.Effect<unknown, unknown, any>>>, (service) => {
                const f = service[method]
                if (typeof f !== "function") return Effect.dieMessage(`${name}.${method} is not a method of the service`)
                return as(f(...args), actor)
              }) as Effect.Effect<unknown, unknown, never>
            )
    })
  }
  return client as Client
}
