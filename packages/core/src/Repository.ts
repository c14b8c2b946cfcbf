/**
 * The storage ports: a repository per aggregate, all built from one generic {@link EntityStore}
 * that an adapter implements once.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Option } from "effect"
import type { Agreement } from "./Agreement.js"
import type { Application } from "./Application.js"
import type { Enrolment } from "./Enrolment.js"
import type { EntityKind } from "./Entity.js"
import {
  AgreementKind,
  ApplicationKind,
  EnrolmentKind,
  DirectoryKind,
  EvaluationKind,
  FeedTokenKind,
  InsightKind,
  IntakeRoundKind,
  MeasureKind,
  ProgrammeKind,
  SessionKind
} from "./Entity.js"
import type { ConcurrencyConflict, StorageError } from "./Errors.js"
import type { NewEvent, RecordedEvent } from "./Events.js"
import { EventLog } from "./EventLog.js"
import { Deliveries, Outbox } from "./Outbox.js"
import { Transaction } from "./Transaction.js"
import { SearchIndex } from "./SearchIndex.js"
import { NotFound } from "./Errors.js"
import type { DirectoryEntry } from "./Directory.js"
import type { EvaluationAnswer } from "./Evaluation.js"
import type { FeedToken } from "./FeedToken.js"
import type { Insight } from "./Insight.js"
import type { IntakeRound } from "./IntakeRound.js"
import type { Measure } from "./Measure.js"
import type { Programme } from "./Programme.js"
import type { Session } from "./Session.js"
import { fromRepositories, Summaries } from "./Summary.js"

/** A stored value with its version: 1 after the first save, raised by one on every save. @category models */
export interface Versioned<A> {
  readonly value: A
  readonly version: number
}

/** A filter over the indexed columns. Every given field must match; results are ordered by id. @category models */
export interface Query {
  readonly state?: string | ReadonlyArray<string> | undefined
  readonly regionId?: string | undefined
  readonly programmeId?: string | undefined
  readonly personId?: string | undefined
  /** Only the entities with one of these ids (none: no entity). */
  readonly ids?: ReadonlyArray<string> | undefined
  /**
   * The entities that may name a person: whose person ids hold `personId`, or whose stored
   * document holds the id or one of `texts` (any case). An adapter may return more (a superset:
   * the caller's rule decides), never fewer; one that ignores this field returns every entity.
   * What an erasure reads instead of every entity of every kind.
   */
  readonly mentioning?: { readonly personId: string; readonly texts: ReadonlyArray<string> } | undefined
  readonly limit?: number | undefined
  readonly offset?: number | undefined
}

/**
 * An entity as an adapter stored it: its version, its document (JSON as written) and its indexed
 * columns. What an {@link Inspection} reads, for the contract suites. @category inspection
 */
export interface StoredEntity {
  readonly id: string
  readonly version: number
  readonly document: unknown
  readonly state: string
  readonly regionIds: ReadonlyArray<string>
  readonly programmeIds: ReadonlyArray<string>
}

/** An event as an adapter stored it. @category inspection */
export interface StoredEvent {
  readonly position: number
  readonly id: string
  readonly type: string
  readonly entity: string
  readonly entityId: string
  readonly entityVersion: number
  readonly document: unknown
}

/** A delivery record as an adapter stored it: its columns (the recipient as stored) and its raw document. @category inspection */
export interface StoredDelivery {
  readonly key: string
  readonly status: string
  readonly attempts: number
  readonly recipient: string
  readonly document: unknown
}

/**
 * The raw inspection hook of a storage adapter: reads what it actually stored (plain SQL, the
 * in-memory maps), not what its own reads return. `@copkit/testing`'s `Inspector` port has this
 * shape. @category inspection
 */
export interface Inspection {
  /** The stored row of one entity in a table (as `applications`). */
  readonly entity: (table: string, id: string) => Effect.Effect<Option.Option<StoredEntity>>
  /** How many rows a table holds. */
  readonly count: (table: string) => Effect.Effect<number>
  /** Every stored event, in order of position. */
  readonly events: () => Effect.Effect<ReadonlyArray<StoredEvent>>
  /** Every stored delivery record, in order of key. */
  readonly deliveries: () => Effect.Effect<ReadonlyArray<StoredDelivery>>
}

/** What {@link Repository.saveWithEvents} wrote: the value with its new version, and the events with their positions. @category models */
export interface SavedWithEvents<A> {
  readonly saved: Versioned<A>
  readonly events: ReadonlyArray<RecordedEvent>
}

/** A repository of one entity kind. @category models */
export interface Repository<A> {
  readonly kind: EntityKind<A, any>
  /** Reads one entity with its version, or `None`. */
  readonly find: (id: string) => Effect.Effect<Option.Option<Versioned<A>>, StorageError>
  /**
   * Saves a value. `expectedVersion` is the version it was read at, 0 for a new entity. When the
   * stored version differs, fails with `ConcurrencyConflict` and writes nothing.
   */
  readonly save: (value: A, expectedVersion: number) => Effect.Effect<Versioned<A>, ConcurrencyConflict | StorageError>
  /**
   * Optional: saves a value and appends its events as one write, where the adapter can do both in
   * fewer round trips than {@link save} and `EventLog.append` in a transaction (the PostgreSQL
   * adapter: one statement). The same outcome as those two in one `Transaction.run`: the value
   * saved at `expectedVersion + 1`, the events (made by `eventsOf` for that version) appended in
   * order with their positions; a stale `expectedVersion` fails with `ConcurrencyConflict`, a value
   * or event that would not encode with `StorageError`, and then nothing is written. Inside a
   * running transaction it joins it. The command path uses it for a change of one entity when
   * present; an adapter without it is used through `save` and `append`.
   */
  readonly saveWithEvents?: <R>(
    value: A,
    expectedVersion: number,
    eventsOf: (version: number) => Effect.Effect<ReadonlyArray<NewEvent>, never, R>
  ) => Effect.Effect<SavedWithEvents<A>, ConcurrencyConflict | StorageError, R>
  /** Lists the entities matching a query. */
  readonly list: (query?: Query) => Effect.Effect<ReadonlyArray<Versioned<A>>, StorageError>
  /** Counts the entities matching a query (limit and offset are ignored). */
  readonly count: (query?: Query) => Effect.Effect<number, StorageError>
}

/**
 * The one thing a storage adapter implements: a repository for any entity kind. Writes made
 * inside {@link Transaction.run} commit or roll back with it.
 *
 * @category ports
 */
export class EntityStore extends Context.Tag("@copkit/core/EntityStore")<
  EntityStore,
  { readonly repository: <A, I>(kind: EntityKind<A, I>) => Repository<A> }
>() {}

/** Reads one entity, failing with `NotFound`. @category accessors */
export const get = <A>(repository: Repository<A>, id: string): Effect.Effect<Versioned<A>, NotFound | StorageError> =>
  Effect.flatMap(repository.find(id), Option.match({
    onNone: () => Effect.fail(new NotFound({ entity: repository.kind.name, id })),
    onSome: Effect.succeed
  }))

/** @category ports */
export class ApplicationRepository extends Context.Tag("@copkit/core/ApplicationRepository")<ApplicationRepository, Repository<Application>>() {}
/** @category ports */
export class ProgrammeRepository extends Context.Tag("@copkit/core/ProgrammeRepository")<ProgrammeRepository, Repository<Programme>>() {}
/** @category ports */
export class SessionRepository extends Context.Tag("@copkit/core/SessionRepository")<SessionRepository, Repository<Session>>() {}
/** @category ports */
export class EnrolmentRepository extends Context.Tag("@copkit/core/EnrolmentRepository")<EnrolmentRepository, Repository<Enrolment>>() {}
/** @category ports */
export class InsightRepository extends Context.Tag("@copkit/core/InsightRepository")<InsightRepository, Repository<Insight>>() {}
/** @category ports */
export class AgreementRepository extends Context.Tag("@copkit/core/AgreementRepository")<AgreementRepository, Repository<Agreement>>() {}
/** @category ports */
export class MeasureRepository extends Context.Tag("@copkit/core/MeasureRepository")<MeasureRepository, Repository<Measure>>() {}

/** @category ports */
export class IntakeRoundRepository extends Context.Tag("@copkit/core/IntakeRoundRepository")<IntakeRoundRepository, Repository<IntakeRound>>() {}

/** @category ports */
export class EvaluationRepository extends Context.Tag("@copkit/core/EvaluationRepository")<EvaluationRepository, Repository<EvaluationAnswer>>() {}

/** @category ports */
export class DirectoryRepository extends Context.Tag("@copkit/core/DirectoryRepository")<DirectoryRepository, Repository<DirectoryEntry>>() {}

/** @category ports */
export class FeedTokenRepository extends Context.Tag("@copkit/core/FeedTokenRepository")<FeedTokenRepository, Repository<FeedToken>>() {}

/** Every repository tag. @category models */
export type Repositories =
  | ApplicationRepository
  | ProgrammeRepository
  | SessionRepository
  | EnrolmentRepository
  | InsightRepository
  | AgreementRepository
  | MeasureRepository
  | IntakeRoundRepository
  | EvaluationRepository
  | DirectoryRepository
  | FeedTokenRepository

/** Builds every repository from an {@link EntityStore}. @category layers */
export const layer: Layer.Layer<Repositories, never, EntityStore> = Layer.effectContext(
  Effect.map(EntityStore, (store) =>
    Context.make(ApplicationRepository, store.repository(ApplicationKind)).pipe(
      Context.add(ProgrammeRepository, store.repository(ProgrammeKind)),
      Context.add(SessionRepository, store.repository(SessionKind)),
      Context.add(EnrolmentRepository, store.repository(EnrolmentKind)),
      Context.add(InsightRepository, store.repository(InsightKind)),
      Context.add(AgreementRepository, store.repository(AgreementKind)),
      Context.add(MeasureRepository, store.repository(MeasureKind)),
      Context.add(IntakeRoundRepository, store.repository(IntakeRoundKind)),
      Context.add(EvaluationRepository, store.repository(EvaluationKind)),
      Context.add(DirectoryRepository, store.repository(DirectoryKind)),
      Context.add(FeedTokenRepository, store.repository(FeedTokenKind))
    ))
)

/** Every storage port: what a storage adapter provides. @category models */
export type StoragePorts = EntityStore | Repositories | EventLog | Transaction | Outbox | Deliveries | Summaries

/** A storage adapter's implementation of each port, before it becomes a layer. @category models */
export interface Storage {
  readonly store: Context.Tag.Service<EntityStore>
  readonly eventLog: Context.Tag.Service<EventLog>
  readonly transaction: Context.Tag.Service<Transaction>
  readonly outbox: Context.Tag.Service<Outbox>
  readonly deliveries: Context.Tag.Service<Deliveries>
  /** The overview's narrow reads; without them, they are computed from the store's repositories. */
  readonly summaries?: Context.Tag.Service<Summaries> | undefined
  /** The network search in the store, when the adapter keeps a full-text index (else the rule runs in memory). */
  readonly search?: Context.Tag.Service<SearchIndex> | undefined
}

/** Provides every storage port (and every repository, and the overview's summaries) from an adapter's implementations. @category layers */
export const layerStorage = (storage: Storage): Layer.Layer<StoragePorts> =>
  layer.pipe(
    Layer.provideMerge(
      Layer.succeedContext(
        Context.make(EntityStore, storage.store).pipe(
          Context.add(EventLog, storage.eventLog),
          Context.add(Transaction, storage.transaction),
          Context.add(Outbox, storage.outbox),
          Context.add(Deliveries, storage.deliveries),
          Context.add(
            Summaries,
            storage.summaries ?? fromRepositories(
              storage.store.repository(SessionKind),
              storage.store.repository(AgreementKind),
              storage.store.repository(ProgrammeKind),
              storage.store.repository(ApplicationKind)
            )
          ),
          (context) => (storage.search === undefined ? context : Context.add(context, SearchIndex, storage.search))
        )
      )
    )
  )
