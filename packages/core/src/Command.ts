/**
 * The path of a command, written once and used by every service:
 *
 * 1. decode the caller's plain data with the command's schema (`ValidationError`);
 * 2. check the actor's right (`Forbidden`);
 * 3. load the entity with its version;
 * 4. apply a pure transition: new state and domain events, or a typed error;
 * 5. save with the version read and append the events, in one transaction (`ConcurrencyConflict`),
 *    or, for a change of one entity whose repository offers `saveWithEvents`, as that one write.
 *
 * @since 0.1.0
 */
import { Context, Effect, Either, Option, Tracer } from "effect"
import type { Schema } from "effect"
import type { Actor } from "./Actor.js"
import { CurrentActor } from "./Actor.js"
import type { CommandError } from "./Errors.js"
import { EventLog } from "./EventLog.js"
import type { DomainEvent, RecordedEvent } from "./Events.js"
import { NewEvent } from "./Events.js"
import type { EventId } from "./Ids.js"
import { IdGenerator } from "./Ids.js"
import type { Action, Scope } from "./Permissions.js"
import { authorize, authorizeAny } from "./Permissions.js"
import type { Repository, Versioned } from "./Repository.js"
import { get } from "./Repository.js"
import { Transaction } from "./Transaction.js"
import { decode } from "./Validation.js"

/** One entity to save, with the version it was read at (0 for a new one) and the events of the change. @category models */
export interface Change<A> {
  readonly repository: Repository<A>
  readonly value: A
  readonly expectedVersion: number
  readonly events: ReadonlyArray<DomainEvent>
}

/** Builds a {@link Change}. @category constructors */
export const change = <A>(
  repository: Repository<A>,
  value: A,
  expectedVersion: number,
  events: ReadonlyArray<DomainEvent>
): Change<A> => ({ repository, value, expectedVersion, events })

/** What a committed change gives back. @category models */
export interface Committed {
  readonly saved: ReadonlyArray<Versioned<unknown>>
  readonly events: ReadonlyArray<RecordedEvent>
}

/** The ports every command needs besides its repositories. @category models */
export type Ports = EventLog | Transaction | IdGenerator

/** The services a command needs besides its repositories. @category models */
export type CommandContext = CurrentActor | Ports

/**
 * Captures a service's ports when it is built, and returns a wrapper that makes each method a span
 * named `Service.method` (with the actor's kind and the entity's id as attributes) and provides
 * the ports to it, so that a method needs only the {@link CurrentActor}.
 *
 * ```ts
 * const method = yield* Command.methods<Dependencies>("Intake")
 * return Intake.of({ create: method("create", create), ... })
 * ```
 *
 * @category constructors
 */
export const methods = <Deps>(service: string) =>
  Effect.map(Effect.context<Deps>(), (context) =>
    <Args extends ReadonlyArray<any>, A, E, R>(name: string, f: (...args: Args) => Effect.Effect<A, E, R>) => {
      const spanName = `${service}.${name}`
      // `Effect.withSpan` would provide the span in a context switch of its own: the span and the
      // ports are provided together instead (this runs on every call)
      return (...args: Args): Effect.Effect<A, E, Exclude<R, Deps>> =>
        Effect.contextWithEffect((current: Context.Context<never>) =>
          Effect.useSpan(
            spanName,
            { attributes: spanAttributes(Context.getOption(current, CurrentActor), args[0]), captureStackTrace: false },
            (span) => Effect.provide(Effect.suspend(() => f(...args)), Context.add(context, Tracer.ParentSpan, span) as Context.Context<Deps>)
          ))
    })

/** The span attributes of a call: the actor's kind and person, and the first `…Id` field of the input. */
const spanAttributes = (actor: Option.Option<Actor>, input: unknown): Record<string, string> => {
  const attributes: Record<string, string> = { "copkit.actor.kind": Option.isSome(actor) ? String(actor.value?._tag) : "none" }
  const id = entityIdOf(input)
  if (id !== undefined) {
    attributes["copkit.entity.id"] = id.value
    attributes["copkit.entity.field"] = id.field
  }
  return attributes
}

/** The first `…Id` string field of a plain input (never throws, whatever the input is). */
const entityIdOf = (raw: unknown): { readonly field: string; readonly value: string } | undefined => {
  try {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return undefined
    for (const key of Object.keys(raw)) {
      if (!key.endsWith("Id")) continue
      const value = (raw as Record<string, unknown>)[key]
      if (typeof value === "string") return { field: key, value: value.slice(0, 200) }
    }
  } catch {
    // hostile input (a throwing getter, a Proxy): the decode that follows reports it
  }
  return undefined
}

/** The current time as a Date, from Effect's Clock (so that tests control it). @category accessors */
export const now: Effect.Effect<Date> = Effect.clockWith((clock) => Effect.succeed(new Date(clock.unsafeCurrentTimeMillis())))

/**
 * Saves the changes with their expected versions and appends their events, in one transaction
 * (a change of one entity whose repository offers `saveWithEvents`: as that one write, which is
 * atomic on its own). A version that moved on fails with `ConcurrencyConflict` and nothing is written.
 *
 * @category combinators
 */
export const commit = (
  changes: ReadonlyArray<Change<any>>
): Effect.Effect<Committed, CommandError, CommandContext> => Effect.flatMap(now, (occurredAt) => commitAt(changes, occurredAt))

/** {@link commit}, its events stamped `occurredAt` (the time the transition was given). */
const commitAt = (
  changes: ReadonlyArray<Change<any>>,
  occurredAt: Date
): Effect.Effect<Committed, CommandError, CommandContext> =>
  // a chain of flatMaps rather than a generator: this runs on every command
  Effect.contextWithEffect((context: Context.Context<CommandContext>) => {
    const actor = Context.get(context, CurrentActor)
    const log = Context.get(context, EventLog)
    const ids = Context.get(context, IdGenerator)
    const tx = Context.get(context, Transaction)
    for (const c of changes) {
      if (c.events.length === 0) {
        // a saved change without an event would let the entity's version and its history drift apart
        return Effect.dieMessage(`A change of ${c.repository.kind.name} ${c.repository.kind.idOf(c.value)} was saved without an event`)
      }
    }
    /** The events of a change saved at `version`, pushed to `into`; their ids are minted in order. */
    const eventsOf = (c: Change<any>, version: number, into: Array<NewEvent>): Effect.Effect<void> => {
      const kind = c.repository.kind
      const entityId = kind.idOf(c.value)
      const regionIds = kind.index(c.value).regionIds as NewEvent["regionIds"]
      const eventOf = (event: DomainEvent) =>
        Effect.map(ids.next("event"), (id) => {
          into.push(
            new NewEvent({
              id: id as EventId,
              entity: kind.name,
              entityId,
              entityVersion: version,
              regionIds,
              actor,
              occurredAt,
              event
            }, { disableValidation: true }) // every field is built here from decoded values; the log encodes (and so checks) it
          )
        })
      // most changes have one event: no loop for it
      return c.events.length === 1 ? eventOf(c.events[0]!) : Effect.forEach(c.events, eventOf, { discard: true })
    }
    // One change, and a store that writes a value with its events at once (one statement on
    // PostgreSQL, atomic on its own): no transaction of its own, so no BEGIN and COMMIT round trips.
    const single = changes.length === 1 ? changes[0]! : undefined
    const saveWithEvents = single?.repository.saveWithEvents
    if (single !== undefined && saveWithEvents !== undefined) {
      return Effect.map(
        saveWithEvents(single.value, single.expectedVersion, (version) => {
          const events: Array<NewEvent> = []
          return Effect.as(eventsOf(single, version, events), events)
        }),
        (written): Committed => ({ saved: [written.saved], events: written.events })
      )
    }
    const saved: Array<Versioned<unknown>> = []
    const events: Array<NewEvent> = []
    /** Saves one change and builds its events; their ids are minted in order, after the save. */
    const saveOne = (c: Change<any>) =>
      Effect.flatMap(c.repository.save(c.value, c.expectedVersion), (result) => {
        saved.push(result)
        return eventsOf(c, result.version, events)
      })
    return tx.run(
      Effect.flatMap(
        changes.length === 1 ? saveOne(changes[0]!) : Effect.forEach(changes, saveOne, { discard: true }),
        () => events.length > 0 ? Effect.map(log.append(events), (recorded): Committed => ({ saved, events: recorded })) : Effect.succeed({ saved, events: [] })
      )
    )
  })

/** What a transition returns: the new state and its events. @category models */
export interface Transitioned<A> {
  readonly value: A
  readonly events: ReadonlyArray<DomainEvent>
}

/** What a transition is given besides the state and the input. @category models */
export interface TransitionContext {
  readonly actor: Actor
  readonly now: Date
}

/**
 * The whole command path for a change of one entity. Returns a function of the caller's plain data.
 *
 * `action` is the right checked, either one action or a function of the current entity (a
 * cross-regional session is managed by the coordinator, a regional one by its region). With a
 * function, `anyAction` is checked before anything is read (defaults to nothing).
 *
 * @category constructors
 */
export const update = <I, IE, A, E, R = never>(spec: {
  readonly action: Action | ((current: A, input: I) => Action)
  readonly anyAction?: Action
  readonly input: Schema.Schema<I, IE, never>
  readonly repository: Context.Tag<any, Repository<A>>
  readonly id: (input: I) => string
  readonly scope: (current: A) => Scope
  readonly apply: (
    current: A,
    input: I,
    context: TransitionContext
  ) => Either.Either<Transitioned<A>, E> | Effect.Effect<Transitioned<A>, E, R>
}) => {
  const decodeInput = decode(spec.input)
  const anyAction = typeof spec.action === "string" ? spec.action : spec.anyAction
  return (raw: unknown): Effect.Effect<A, E | CommandError, R | CommandContext | Context.Tag.Identifier<typeof spec.repository>> => {
    // a chain of flatMaps rather than a generator: this runs on every command
    const loaded = (input: I) =>
      Effect.flatMap(spec.repository, (repository) =>
        Effect.flatMap(get(repository, spec.id(input)), (current) => {
          const action = typeof spec.action === "string" ? spec.action : spec.action(current.value, input)
          return Effect.flatMap(authorize(action, spec.scope(current.value)), (actor) =>
            Effect.flatMap(now, (at) => {
              const result = spec.apply(current.value, input, { actor, now: at })
              return Effect.flatMap(result as Effect.Effect<Transitioned<A>, E, R>, (next) =>
                Effect.as(commitAt([change(repository, next.value, current.version, next.events)], at), next.value))
            }))
        }))
    return Effect.flatMap(decodeInput(raw), (input) =>
      anyAction === undefined ? loaded(input) : Effect.zipRight(authorizeAny(anyAction), loaded(input)))
  }
}

/**
 * Loads an entity for reading, checking the actor's right on it.
 *
 * @category constructors
 */
export const read = <A>(
  action: Action,
  repository: Repository<A>,
  id: string,
  scope: (value: A) => Scope
): Effect.Effect<Versioned<A>, CommandError, CurrentActor> =>
  Effect.gen(function*() {
    yield* authorizeAny(action)
    const found = yield* get(repository, id)
    yield* authorize(action, scope(found.value))
    return found
  })
