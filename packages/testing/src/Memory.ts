/**
 * In-memory adapters for every port of @copkit/core: the storage ports (entities, event log,
 * transaction, outbox, delivery records), a mailer that keeps what it is given, and ids.
 * Values are stored encoded, as a real store would, so a value that does not survive its schema's
 * round trip fails here as it would in SQL.
 *
 * @since 0.1.0
 */
import { Clock, Context, Effect, Either, FiberRef, Layer, Option, Ref, Schema } from "effect"
import {
  ConcurrencyConflict,
  Events,
  Ids,
  Mailer,
  Outbox,
  Repository,
  StorageError
} from "@copkit/core"
import type { Entity, EventLog as EventLogNs } from "@copkit/core"
import { Inspector } from "./Inspector.js"

interface Row {
  readonly version: number
  readonly document: unknown
  readonly index: Entity.EntityIndex
}

interface Claim {
  readonly token: string
  readonly until: number
}

interface State {
  readonly tables: Map<string, Map<string, Row>>
  readonly events: Array<{ readonly recorded: Events.RecordedEvent; readonly document: unknown }>
  readonly done: Set<string>
  readonly claims: Map<string, Claim>
  readonly claimCounts: Map<string, number>
  readonly notBefore: Map<string, number>
  readonly deliveries: Map<string, unknown>
}

const encodeEvent = Schema.encodeSync(Events.RecordedEvent)
const decodeEvent = Schema.decodeUnknownSync(Events.RecordedEvent)
const encodeDelivery = Schema.encodeSync(Outbox.DeliveryRecord)
const decodeDelivery = Schema.decodeUnknownSync(Outbox.DeliveryRecord)

/** Whether a document may name the person ({@link Repository.Query}'s `mentioning`): exact, never fewer than the rule finds. */
const mentions = (index: Entity.EntityIndex, document: unknown, mentioning: NonNullable<Repository.Query["mentioning"]>): boolean => {
  if (index.personIds.includes(mentioning.personId)) return true
  const text = JSON.stringify(document)
  if (text.includes(mentioning.personId)) return true
  // any case, as the rule compares (Unicode), on the text as the JSON spells it
  return mentioning.texts.some((t) => new RegExp(JSON.stringify(t).slice(1, -1).replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "iu").test(text))
}

const matches = (index: Entity.EntityIndex, query: Repository.Query, document?: unknown): boolean => {
  if (query.mentioning !== undefined && !mentions(index, document, query.mentioning)) return false
  if (query.state !== undefined) {
    const states = typeof query.state === "string" ? [query.state] : query.state
    if (!states.includes(index.state)) return false
  }
  if (query.regionId !== undefined && !index.regionIds.includes(query.regionId)) return false
  if (query.programmeId !== undefined && !index.programmeIds.includes(query.programmeId)) return false
  if (query.personId !== undefined && !index.personIds.includes(query.personId)) return false
  return true
}

/** The ports the in-memory store implements. @category models */
export interface MemoryPorts extends Repository.Storage {
  readonly inspector: Context.Tag.Service<Inspector>
}

/**
 * The in-memory store: one recipe, so an `Effect.Service`. Its layer provides every storage port
 * and the {@link Inspector}.
 *
 * @category services
 */
export class MemoryStore extends Effect.Service<MemoryStore>()("@copkit/testing/MemoryStore", {
  scoped: Effect.gen(function*() {
    const state: State = {
      tables: new Map(),
      events: [],
      done: new Set(),
      claims: new Map(),
      claimCounts: new Map(),
      notBefore: new Map(),
      deliveries: new Map()
    }
    // One writer at a time; a transaction holds the lock for its whole run and keeps an undo journal.
    const lock = yield* Effect.makeSemaphore(1)
    /** Whether a transaction holds the lock (it may wait in between: a single write must wait for it). */
    let inTransaction = false
    /**
     * A write of one synchronous step: at once when no transaction holds the lock (the check and
     * the step run in one call, so nothing runs in between), else after the transaction, with the lock.
     */
    const exclusive = <A, E>(step: () => Effect.Effect<A, E>): Effect.Effect<A, E> =>
      Effect.suspend(() => (inTransaction ? lock.withPermits(1)(Effect.suspend(step)) : step()))
    /** A step of {@link exclusive} that cannot fail. */
    const sync = <A>(f: () => A) => (): Effect.Effect<A> => Effect.succeed(f())
    const journal = yield* FiberRef.make<Array<() => void> | undefined>(undefined)
    let tokens = 0

    /** Runs a write: inside a transaction it joins it (with its undo), else as one {@link exclusive} step. */
    const write = <A, E>(f: () => { readonly result: A; readonly undo: () => void } | { readonly error: E }) =>
      Effect.flatMap(FiberRef.get(journal), (undos) => {
        const step = () => {
          const outcome = f()
          if ("error" in outcome) return Effect.fail(outcome.error)
          undos?.push(outcome.undo)
          return Effect.succeed(outcome.result)
        }
        return undos === undefined ? exclusive(step) : Effect.suspend(step)
      })

    const table = (name: string) => {
      let t = state.tables.get(name)
      if (t === undefined) {
        t = new Map()
        state.tables.set(name, t)
      }
      return t
    }

    const repository = <A, I>(kind: Entity.EntityKind<A, I>): Repository.Repository<A> => {
      const decode = Schema.decodeUnknownSync(kind.schema)
      const rows = () => table(kind.table)
      const view = (row: Row): Repository.Versioned<A> => ({ value: decode(row.document), version: row.version })
      const select = (query: Repository.Query) =>
        (query.ids === undefined ? [...rows().entries()] : [...new Set(query.ids)].flatMap((id) => {
          const row = rows().get(id)
          return row === undefined ? [] : [[id, row] as const]
        }))
          .filter(([, row]) => matches(row.index, query, row.document))
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      return {
        kind,
        find: (id) => Effect.sync(() => Option.map(Option.fromNullable(rows().get(id)), view)),
        save: (value, expectedVersion) =>
          write<Repository.Versioned<A>, ConcurrencyConflict | StorageError>(() => {
            const id = kind.idOf(value)
            const previous = rows().get(id)
            const actual = previous?.version ?? 0
            if (actual !== expectedVersion) {
              return { error: new ConcurrencyConflict({ entity: kind.name, id, expected: expectedVersion, actual }) }
            }
            const encoded = Schema.encodeEither(kind.schema)(value)
            if (Either.isLeft(encoded)) {
              return { error: new StorageError({ operation: `${kind.name}.save`, message: `The value does not encode: ${String(encoded.left)}` }) }
            }
            const row: Row = { version: actual + 1, document: structuredClone(encoded.right), index: kind.index(value) }
            rows().set(id, row)
            return {
              result: { value, version: row.version },
              undo: () => (previous === undefined ? rows().delete(id) : rows().set(id, previous))
            }
          }),
        list: (query = {}) =>
          Effect.sync(() => {
            const offset = query.offset ?? 0
            const all = select(query).slice(offset)
            return (query.limit === undefined ? all : all.slice(0, query.limit)).map(([, row]) => view(row))
          }),
        count: (query = {}) => Effect.sync(() => select(query).length)
      }
    }

    const append = (events: ReadonlyArray<Events.NewEvent>) =>
      write<ReadonlyArray<Events.RecordedEvent>, never>(() => {
        const start = state.events.length
        const recorded = events.map((e, i) => new Events.RecordedEvent({ ...e, position: start + i + 1 }))
        for (const r of recorded) state.events.push({ recorded: r, document: encodeEvent(r) })
        return { result: recorded, undo: () => void state.events.splice(start) }
      })

    const read = (query: EventLogNs.EventQuery = {}) =>
      Effect.sync(() => {
        const out: Array<Events.RecordedEvent> = []
        for (const { document } of state.events) {
          if (query.limit !== undefined && out.length >= query.limit) break
          const e = decodeEvent(document)
          if (query.after !== undefined && e.position <= query.after) continue
          if (query.entityId !== undefined && e.entityId !== query.entityId) continue
          if (query.regionId !== undefined && !e.regionIds.includes(query.regionId as never)) continue
          out.push(e)
        }
        return out as ReadonlyArray<Events.RecordedEvent>
      })

    const transaction = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
      Effect.flatMap(FiberRef.get(journal), (outer) => {
        if (outer !== undefined) return self
        return lock.withPermits(1)(
          Effect.suspend(() => {
            const undos: Array<() => void> = []
            inTransaction = true
            return Effect.locally(self, journal, undos).pipe(
              Effect.onExit((exit) =>
                Effect.sync(() => {
                  if (exit._tag === "Failure") for (const undo of undos.reverse()) undo()
                  inTransaction = false
                })
              )
            )
          })
        )
      })

    const claim: Context.Tag.Service<Outbox.Outbox>["claim"] = (options) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        exclusive(sync(() => {
          const out: Array<Outbox.ClaimedEvent> = []
          for (const { document, recorded } of state.events) {
            if (out.length >= options.limit) break
            // done events are passed over without decoding them (a long log would cost one decode each)
            if (state.done.has(recorded.id)) continue
            const event = decodeEvent(document)
            const held = state.claims.get(event.id)
            if (held !== undefined && held.until > now) continue
            if ((state.notBefore.get(event.id) ?? 0) > now) continue
            const previousClaims = state.claimCounts.get(event.id) ?? 0
            const token = `${options.consumer}:${++tokens}`
            state.claims.set(event.id, { token, until: now + options.leaseMillis })
            state.claimCounts.set(event.id, previousClaims + 1)
            out.push({ event, claimToken: token, previousClaims })
          }
          return out as ReadonlyArray<Outbox.ClaimedEvent>
        })))

    const holds = (eventId: string, token: string) => state.claims.get(eventId)?.token === token

    const outbox: Context.Tag.Service<Outbox.Outbox> = {
      claim,
      complete: (eventId, token) =>
        exclusive(sync(() => {
          if (!holds(eventId, token)) return
          state.done.add(eventId)
          state.claims.delete(eventId)
        })),
      release: (eventId, token, notBefore) =>
        exclusive(sync(() => {
          if (!holds(eventId, token)) return
          state.claims.delete(eventId)
          state.notBefore.set(eventId, notBefore.getTime())
        })),
      renew: (claims, leaseMillis) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          exclusive(sync(() => {
            const held: Array<Outbox.ClaimedEvent["event"]["id"]> = []
            for (const { claimToken, eventId } of claims) {
              if (!holds(eventId, claimToken)) continue
              state.claims.set(eventId, { token: claimToken, until: now + leaseMillis })
              held.push(eventId)
            }
            return held as ReadonlyArray<Outbox.ClaimedEvent["event"]["id"]>
          })))
    }

    const deliveries: Context.Tag.Service<Outbox.Deliveries> = {
      find: (key) => Effect.sync(() => Option.map(Option.fromNullable(state.deliveries.get(key)), decodeDelivery)),
      record: (record) =>
        write<void, never>(() => {
          const previous = state.deliveries.get(record.key)
          state.deliveries.set(record.key, encodeDelivery(record))
          return {
            result: undefined,
            undo: () => (previous === undefined ? state.deliveries.delete(record.key) : state.deliveries.set(record.key, previous))
          }
        }),
      list: (filter = {}) =>
        Effect.sync(() =>
          [...state.deliveries.values()]
            .map((d) => decodeDelivery(d))
            .filter((d) => (filter.eventId === undefined || d.eventId === filter.eventId) &&
              (filter.status === undefined || d.status === filter.status))
            .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
        ),
      eraseRecipient: (recipient, replacement) =>
        write<number, never>(() => {
          const previous = new Map(state.deliveries)
          let changed = 0
          for (const [key, document] of state.deliveries) {
            const record = decodeDelivery(document)
            const erased = Outbox.eraseRecipientIn(record, recipient, replacement)
            if (erased === record) continue
            state.deliveries.set(key, encodeDelivery(erased))
            changed++
          }
          return {
            result: changed,
            undo: () => {
              state.deliveries.clear()
              for (const [key, document] of previous) state.deliveries.set(key, document)
            }
          }
        })
    }

    const inspector: Context.Tag.Service<Inspector> = {
      entity: (name, id) =>
        Effect.sync(() =>
          Option.map(Option.fromNullable(table(name).get(id)), (row) => ({
            id,
            version: row.version,
            document: row.document,
            state: row.index.state,
            regionIds: row.index.regionIds,
            programmeIds: row.index.programmeIds
          }))
        ),
      count: (name) => Effect.sync(() => table(name).size),
      events: () =>
        Effect.sync(() =>
          state.events.map(({ recorded, document }) => ({
            position: recorded.position,
            id: recorded.id,
            type: recorded.event._tag,
            entity: recorded.entity,
            entityId: recorded.entityId,
            entityVersion: recorded.entityVersion,
            document
          }))
        ),
      deliveries: () =>
        Effect.sync(() =>
          [...state.deliveries.values()].map((d) => {
            const r = decodeDelivery(d)
            return { key: r.key, status: r.status, attempts: r.attempts, recipient: r.recipient ?? "", document: d }
          })
        )
    }

    const ports: MemoryPorts = {
      store: { repository },
      eventLog: { append, read },
      transaction: { run: transaction },
      outbox,
      deliveries,
      inspector
    }
    return ports
  })
}) {}

/** The storage ports the in-memory store provides. @category models */
export type StoragePorts = Repository.StoragePorts | Inspector

/**
 * Every storage port, in memory, plus the {@link Inspector}. A fresh, empty store per build.
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { Actor, Ids, Intake } from "@copkit/core"
 * import { Fixtures, Inspector, Memory } from "@copkit/testing"
 *
 * const layer = Intake.layer.pipe(Layer.provideMerge(Layer.merge(Memory.layerStorage, Ids.layerSequential)))
 *
 * const program = Effect.gen(function*() {
 *   const intake = yield* Intake.Intake
 *   yield* intake.create(Fixtures.applicationInput()).pipe(Actor.as(Fixtures.actors.keyPerson))
 *   const inspector = yield* Inspector.Inspector
 *   console.log(yield* inspector.events()) // [ApplicationCreated]
 * }).pipe(Effect.provide(layer))
 * ```
 *
 * @category layers
 */
export const layerStorage: Layer.Layer<StoragePorts> = Layer.unwrapEffect(
  Effect.map(MemoryStore, (m) => Layer.merge(Repository.layerStorage(m), Layer.succeed(Inspector, m.inspector)))
).pipe(Layer.provide(MemoryStore.Default))

// ---------------------------------------------------------------------------------------------
// Mailer
// ---------------------------------------------------------------------------------------------

/** What the memory mailer does with the next message: deliver it, or fail as told. @category models */
export type MailerScript = (message: Mailer.OutgoingMessage, attempt: number) => Option.Option<Mailer.DeliveryError>

/** A mailer that keeps every message it accepts, and can be told to fail. @category services */
export class MemoryMailer extends Effect.Service<MemoryMailer>()("@copkit/testing/MemoryMailer", {
  effect: Effect.gen(function*() {
    const sent = yield* Ref.make<ReadonlyArray<Mailer.OutgoingMessage>>([])
    const script = yield* Ref.make<MailerScript>(() => Option.none())
    const attempts = yield* Ref.make(0)
    const send = (message: Mailer.OutgoingMessage) =>
      Effect.gen(function*() {
        const attempt = yield* Ref.updateAndGet(attempts, (n) => n + 1)
        const failure = (yield* Ref.get(script))(message, attempt)
        if (Option.isSome(failure)) return yield* Effect.fail(failure.value)
        yield* Ref.update(sent, (all) => [...all, message])
        return new Mailer.DeliveryReceipt({
          messageId: message.messageId,
          accepted: message.to.map((a) => a.address),
          rejected: [],
          response: "250 kept in memory"
        })
      })
    return {
      mailer: { send } as Context.Tag.Service<Mailer.Mailer>,
      /** Every message accepted so far, in order. */
      sent: Ref.get(sent),
      /** Sets how the next sends behave. */
      script: (f: MailerScript) => Ref.set(script, f)
    } as const
  })
}) {}

/**
 * The memory mailer as the core's Mailer port, with {@link MemoryMailer} to look at what was sent.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Memory } from "@copkit/testing"
 *
 * const sent = Effect.gen(function*() {
 *   const mailer = yield* Memory.MemoryMailer
 *   return yield* mailer.sent // every message the Mailer port accepted, in order
 * }).pipe(Effect.provide(Memory.layerMailer))
 * ```
 *
 * @category layers
 */
export const layerMailer: Layer.Layer<Mailer.Mailer | MemoryMailer> = Layer.effect(
  Mailer.Mailer,
  Effect.map(MemoryMailer, (m) => m.mailer)
).pipe(Layer.provideMerge(MemoryMailer.Default))

/**
 * Everything in memory: storage, mailer and sequential ids.
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { Actor, Services, Sessions } from "@copkit/core"
 * import { Fixtures, Memory } from "@copkit/testing"
 *
 * // every service on in-memory storage, mailer and sequential ids: for tests and prototypes
 * const app = Services.layer.pipe(Layer.provideMerge(Memory.layer))
 *
 * const program = Effect.gen(function*() {
 *   const sessions = yield* Sessions.Sessions
 *   return yield* sessions.list({})
 * }).pipe(Actor.as(Fixtures.actors.coordinator), Effect.provide(app))
 * ```
 *
 * @category layers
 */
export const layer: Layer.Layer<StoragePorts | Mailer.Mailer | MemoryMailer | Ids.IdGenerator> = Layer.mergeAll(
  layerStorage,
  layerMailer,
  Ids.layerSequential
)
