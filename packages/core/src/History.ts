/**
 * The history of one entity: the events recorded for it, oldest first, read through the same
 * permission rules as the entity itself (who may read a session may read its history, and no one
 * else).
 *
 * ```ts
 * const events = yield* history.ofEntity({ entity: "Application", id: application.id })
 * ```
 *
 * @since 0.2.0
 */
import { Context, Effect, Layer, Schema } from "effect"
import type * as Actor from "./Actor.js"
import * as Command from "./Command.js"
import type { CommandError } from "./Errors.js"
import { EventLog } from "./EventLog.js"
import type { RecordedEvent } from "./Events.js"
import type { Action, Scope } from "./Permissions.js"
import { authorize, authorizeAny } from "./Permissions.js"
import type { Repository } from "./Repository.js"
import {
  AgreementRepository,
  ApplicationRepository,
  EnrolmentRepository,
  get,
  InsightRepository,
  MeasureRepository,
  ProgrammeRepository,
  SessionRepository
} from "./Repository.js"
import { scopeOf as SessionsScope } from "./Sessions.js"
import { decode } from "./Validation.js"

/** The kinds of entity that have a history. @category models */
export const EntityName = Schema.Literal("Application", "Programme", "Session", "Enrolment", "Insight", "Agreement", "Measure")
/** @category models */
export type EntityName = typeof EntityName.Type

/** Input of {@link HistoryService.ofEntity}. @category inputs */
export const OfEntity = Schema.Struct({
  entity: EntityName,
  id: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200)),
  /** Only events after this log position. */
  after: Schema.optional(Schema.Int.pipe(Schema.nonNegative())),
  limit: Schema.optional(Schema.Int.pipe(Schema.between(1, 1000)))
})

/** The history service. @category services */
export interface HistoryService {
  /**
   * The events of one entity, oldest first, for an actor who may read the entity.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, History } from "@copkit/core"
   *
   * const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke-jansen" })
   *
   * const program = Effect.gen(function*() {
   *   const history = yield* History.History
   *   const events = yield* history.ofEntity({ entity: "Programme", id: "prg_twente", limit: 100 })
   *   for (const event of events) console.log(event)
   * }).pipe(Actor.as(coordinator))
   * ```
   */
  readonly ofEntity: (
    input: typeof OfEntity.Encoded
  ) => Effect.Effect<ReadonlyArray<RecordedEvent>, CommandError, Actor.CurrentActor>
}

/** The history service tag. @category services */
export class History extends Context.Tag("@copkit/core/History")<History, HistoryService>() {}

/** The ports the history service needs. @category models */
export type Dependencies =
  | ApplicationRepository
  | ProgrammeRepository
  | SessionRepository
  | EnrolmentRepository
  | InsightRepository
  | AgreementRepository
  | MeasureRepository
  | Command.Ports

/** How each kind is read: the repository, the action, and the scope the action is checked on. */
interface Reader {
  readonly repository: Repository<any>
  readonly action: Action
  readonly scope: (value: any) => Scope
}

/** Builds the history service from its ports. @category constructors */
export const make: Effect.Effect<HistoryService, never, Dependencies> = Effect.gen(function*() {
  const log = yield* EventLog
  const readers: Record<EntityName, Reader> = {
    Application: {
      repository: yield* ApplicationRepository,
      action: "application.read",
      scope: (a) => ({ regionIds: [a.region.id] })
    },
    Programme: { repository: yield* ProgrammeRepository, action: "programme.read", scope: (p) => ({ regionIds: [p.regionId] }) },
    Session: {
      repository: yield* SessionRepository,
      action: "session.read",
      scope: SessionsScope
    },
    Enrolment: { repository: yield* EnrolmentRepository, action: "participant.read", scope: (e) => ({ regionIds: [e.regionId] }) },
    Insight: { repository: yield* InsightRepository, action: "programme.read", scope: (i) => ({ regionIds: [i.regionId] }) },
    Agreement: {
      repository: yield* AgreementRepository,
      action: "agreement.read",
      scope: (a) => ({ regionIds: [a.regionId], partyIds: [a.owner.personId] })
    },
    Measure: { repository: yield* MeasureRepository, action: "measure.read", scope: (m) => ({ regionIds: [m.regionId] }) }
  }
  const method = yield* Command.methods<Dependencies>("History")
  const decodeOfEntity = decode(OfEntity)

  const ofEntity = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeOfEntity(raw)
      const reader = readers[input.entity]
      yield* authorizeAny(reader.action)
      const found = yield* get(reader.repository, input.id)
      yield* authorize(reader.action, reader.scope(found.value))
      const events = yield* log.read({ entityId: input.id, after: input.after, limit: input.limit })
      return events.filter((e) => e.entity === input.entity)
    })

  return History.of({ ofEntity: method("ofEntity", ofEntity) })
})

/** The history service, built from the ports in the context. @category layers */
export const layer: Layer.Layer<History, never, Dependencies> = Layer.effect(History, make)
