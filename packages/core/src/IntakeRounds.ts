/**
 * The intake rounds service: the coordinator opens a round with a capacity and a deadline, closes
 * it, and compares its applications ranked by readiness. Regions apply within a round with
 * `Intake.create({ ..., roundId })`; `Intake.accept` keeps to the round's capacity unless the
 * coordinator gives `overrideCapacity`. The rules are {@link IntakeRound}'s.
 *
 * @since 0.2.0
 */
import { Context, Effect, Layer, Schema } from "effect"
import type * as Actor from "./Actor.js"
import * as Command from "./Command.js"
import { Instant, Line } from "./Common.js"
import type { CommandError, InvalidTransition, RuleViolation } from "./Errors.js"
import { IdGenerator, RoundId } from "./Ids.js"
import * as IntakeRound from "./IntakeRound.js"
import * as Permissions from "./Permissions.js"
import type { Versioned } from "./Repository.js"
import { ApplicationRepository, get, IntakeRoundRepository } from "./Repository.js"
import { Settings } from "./Settings.js"
import { decode } from "./Validation.js"

/** Input of {@link IntakeRoundsService.open}. @category inputs */
export const OpenRound = Schema.Struct({
  name: Line,
  /** How many regions can start (default 4). */
  capacity: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 100)), { default: () => IntakeRound.defaultCapacity }),
  /** Applications are submitted by then. */
  deadline: Instant
})

/** Input of the steps that name only the round. @category inputs */
export const RoundRef = Schema.Struct({ roundId: RoundId })

/** The intake rounds service. Every method runs as the {@link Actor.CurrentActor}. @category services */
export interface IntakeRoundsService {
  /**
   * Opens a round (coordinator).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, IntakeRounds } from "@copkit/core"
   *
   * const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke-jansen" })
   *
   * const program = Effect.gen(function*() {
   *   const rounds = yield* IntakeRounds.IntakeRounds
   *   const round = yield* rounds.open({ name: "Voorjaar 2027", capacity: 4, deadline: "2027-03-31T23:59:00+02:00" })
   *   console.log(round.id, round.state) // "Open"
   * }).pipe(Actor.as(coordinator))
   * ```
   */
  readonly open: (input: typeof OpenRound.Encoded) => Effect.Effect<IntakeRound.IntakeRound, CommandError | RuleViolation, Actor.CurrentActor>
  /**
   * Closes a round: no more applications join it (coordinator).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, IntakeRounds } from "@copkit/core"
   *
   * const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke-jansen" })
   *
   * const program = Effect.gen(function*() {
   *   const rounds = yield* IntakeRounds.IntakeRounds
   *   yield* rounds.close({ roundId: "rnd_voorjaar-2027" })
   * }).pipe(Actor.as(coordinator))
   * ```
   */
  readonly close: (input: typeof RoundRef.Encoded) => Effect.Effect<IntakeRound.IntakeRound, CommandError | InvalidTransition, Actor.CurrentActor>
  /**
   * Every round, newest deadline first: the coordinator, and the regions' key persons and
   * organisers (to apply within one).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, IntakeRounds } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const rounds = yield* IntakeRounds.IntakeRounds
   *   const open = (yield* rounds.list()).filter((r) => r.value.state === "Open")
   *   console.log(open.map((r) => r.value.name))
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly list: () => Effect.Effect<ReadonlyArray<Versioned<IntakeRound.IntakeRound>>, CommandError, Actor.CurrentActor>
  /**
   * The round's applications ranked by readiness, each with its findings, and the places left
   * (coordinator).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, IntakeRounds } from "@copkit/core"
   *
   * const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke-jansen" })
   *
   * const program = Effect.gen(function*() {
   *   const rounds = yield* IntakeRounds.IntakeRounds
   *   const { entries, remaining } = yield* rounds.compare({ roundId: "rnd_voorjaar-2027" })
   *   for (const e of entries) console.log(e.rank, e.regionName, e.readiness.score, e.readiness.ready)
   *   console.log(`${remaining} places left`)
   * }).pipe(Actor.as(coordinator))
   * ```
   */
  readonly compare: (input: typeof RoundRef.Encoded) => Effect.Effect<IntakeRound.RoundComparison, CommandError, Actor.CurrentActor>
}

/** The intake rounds service tag. @category services */
export class IntakeRounds extends Context.Tag("@copkit/core/IntakeRounds")<IntakeRounds, IntakeRoundsService>() {}

/** The ports the service needs. @category models */
export type Dependencies = IntakeRoundRepository | ApplicationRepository | Command.Ports

/** Builds the service from its ports. @category constructors */
export const make: Effect.Effect<IntakeRoundsService, never, Dependencies> = Effect.gen(function*() {
  const rounds = yield* IntakeRoundRepository
  const applications = yield* ApplicationRepository
  const ids = yield* IdGenerator
  const method = yield* Command.methods<Dependencies>("IntakeRounds")
  const network = (): Permissions.Scope => ({ regionIds: [] })

  const decodeOpen = decode(OpenRound)
  const open = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeOpen(raw)
      const actor = yield* Permissions.authorize("round.manage", network())
      const opened = yield* IntakeRound.open({
        id: (yield* ids.next("round")) as RoundId,
        name: input.name,
        capacity: input.capacity,
        deadline: input.deadline,
        openedBy: ("personId" in actor ? actor.personId : "per_system") as IntakeRound.IntakeRound["openedBy"]
      }, yield* Command.now)
      yield* Command.commit([Command.change(rounds, opened.value, 0, opened.events)])
      return opened.value
    })

  const decodeRef = decode(RoundRef)
  const close = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeRef(raw)
      yield* Permissions.authorize("round.manage", network())
      const current = yield* get(rounds, input.roundId)
      const closed = yield* IntakeRound.close(current.value, yield* Command.now)
      yield* Command.commit([Command.change(rounds, closed.value, current.version, closed.events)])
      return closed.value
    })

  const list = () =>
    Effect.gen(function*() {
      yield* Permissions.authorizeAny("round.read")
      const all = yield* rounds.list()
      return [...all].sort((a, b) => b.value.deadline.getTime() - a.value.deadline.getTime() || (a.value.id < b.value.id ? -1 : 1))
    })

  const compare = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeRef(raw)
      yield* Permissions.authorize("round.manage", network())
      const round = yield* get(rounds, input.roundId)
      const all = yield* applications.list()
      const settings = yield* Settings
      return IntakeRound.compare(round.value, all.map((a) => a.value), settings.readiness)
    })

  return IntakeRounds.of({
    open: method("open", open),
    close: method("close", close),
    list: method("list", list),
    compare: method("compare", compare)
  })
})

/** The intake rounds service, built from the ports in the context. @category layers */
export const layer: Layer.Layer<IntakeRounds, never, Dependencies> = Layer.effect(IntakeRounds, make)
