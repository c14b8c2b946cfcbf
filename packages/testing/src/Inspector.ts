/**
 * The raw inspection hook the contract suites check writes through: it reads what an adapter
 * actually stored (plain SQL, the in-memory maps), not what the adapter's own reads return.
 *
 * @since 0.1.0
 */
import { Context } from "effect"
import type { Effect, Option } from "effect"

/** An entity as stored: its version, its document (JSON as written) and its indexed columns. @category models */
export interface StoredEntity {
  readonly id: string
  readonly version: number
  readonly document: unknown
  readonly state: string
  readonly regionIds: ReadonlyArray<string>
  readonly programmeIds: ReadonlyArray<string>
}

/** An event as stored. @category models */
export interface StoredEvent {
  readonly position: number
  readonly id: string
  readonly type: string
  readonly entity: string
  readonly entityId: string
  readonly entityVersion: number
  readonly document: unknown
}

/** A delivery record as stored. @category models */
export interface StoredDelivery {
  readonly key: string
  readonly status: string
  readonly attempts: number
  readonly recipient: string
  readonly document: unknown
}

/** The raw inspection hook of a storage adapter. @category ports */
export class Inspector extends Context.Tag("@copkit/testing/Inspector")<Inspector, {
  /** The stored row of one entity in a table (as `applications`). */
  readonly entity: (table: string, id: string) => Effect.Effect<Option.Option<StoredEntity>>
  /** How many rows a table holds. */
  readonly count: (table: string) => Effect.Effect<number>
  /** Every stored event, in order of position. */
  readonly events: () => Effect.Effect<ReadonlyArray<StoredEvent>>
  /** Every stored delivery record, as written: its columns (the recipient as stored) and its raw stored document. */
  readonly deliveries: () => Effect.Effect<ReadonlyArray<StoredDelivery>>
}>() {}
