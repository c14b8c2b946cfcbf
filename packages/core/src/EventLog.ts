/**
 * The event log port: append-only, read in order of position.
 *
 * @since 0.1.0
 */
import { Context } from "effect"
import type { Effect } from "effect"
import type { StorageError } from "./Errors.js"
import type { NewEvent, RecordedEvent } from "./Events.js"

/** Which events to read. @category models */
export interface EventQuery {
  /** Only events after this position (exclusive). */
  readonly after?: number | undefined
  readonly entityId?: string | undefined
  readonly regionId?: string | undefined
  readonly limit?: number | undefined
}

/** The append-only log of domain events. Appends inside `Transaction.run` commit with it. @category ports */
export class EventLog extends Context.Tag("@copkit/core/EventLog")<EventLog, {
  /** Appends events in order; returns them with their positions. */
  readonly append: (events: ReadonlyArray<NewEvent>) => Effect.Effect<ReadonlyArray<RecordedEvent>, StorageError>
  /** Reads events in order of position. */
  readonly read: (query?: EventQuery) => Effect.Effect<ReadonlyArray<RecordedEvent>, StorageError>
}>() {}
