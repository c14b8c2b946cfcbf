/**
 * The outbox read side and delivery records: how the dispatcher turns the event log into
 * e-mails and calendar updates without losing or repeating one.
 *
 * @since 0.1.0
 */
import { Context, Schema } from "effect"
import type { Effect, Option } from "effect"
import { Email, Instant } from "./Common.js"
import type { StorageError } from "./Errors.js"
import { EventId } from "./Ids.js"
import type { RecordedEvent } from "./Events.js"

/** An event claimed by one dispatcher until `leaseUntil`; after that another may claim it. @category models */
export interface ClaimedEvent {
  readonly event: RecordedEvent
  /** Identifies this claim; completing with a stale token does nothing. */
  readonly claimToken: string
  /** How many times this event was claimed before (0 the first time). */
  readonly previousClaims: number
}

/** The outbox port. With PostgreSQL, claims use `FOR UPDATE SKIP LOCKED`: two dispatchers never claim the same event. @category ports */
export class Outbox extends Context.Tag("@copkit/core/Outbox")<Outbox, {
  /** Claims up to `limit` events that no live claim holds and that are not done, oldest first. */
  readonly claim: (options: {
    readonly consumer: string
    readonly limit: number
    readonly leaseMillis: number
  }) => Effect.Effect<ReadonlyArray<ClaimedEvent>, StorageError>
  /** Marks an event done for good (all its deliveries recorded). */
  readonly complete: (eventId: EventId, claimToken: string) => Effect.Effect<void, StorageError>
  /** Gives the claim back so that the event is claimed again no earlier than `notBefore`. */
  readonly release: (eventId: EventId, claimToken: string, notBefore: Date) => Effect.Effect<void, StorageError>
  /**
   * Extends the lease of claims this dispatcher still holds to `leaseMillis` from now; returns the
   * ids of the events whose claim was still held (a claim taken over or finished is left alone).
   */
  readonly renew: (
    claims: ReadonlyArray<{ readonly eventId: EventId; readonly claimToken: string }>,
    leaseMillis: number
  ) => Effect.Effect<ReadonlyArray<EventId>, StorageError>
}>() {}

/** The outcome of a delivery. @category models */
export const DeliveryStatus = Schema.Literal("Sent", "Retrying", "Dead")
/** @category models */
export type DeliveryStatus = typeof DeliveryStatus.Type

/** The record of one message for one event and one recipient. @category models */
export class DeliveryRecord extends Schema.Class<DeliveryRecord>("DeliveryRecord")({
  /** `eventId/personId/channel`: one record, one message, ever. */
  key: Schema.String,
  eventId: EventId,
  recipient: Email,
  channel: Schema.Literal("email", "calendar"),
  /** The deterministic Message-ID (or calendar UID) of the message. */
  messageId: Schema.String,
  status: DeliveryStatus,
  attempts: Schema.Int.pipe(Schema.nonNegative()),
  lastError: Schema.optional(Schema.String),
  nextAttemptAt: Schema.optional(Instant),
  updatedAt: Instant
}) {}

/**
 * Replaces every occurrence of an address (any case) in a delivery record's recipient and last
 * error by `replacement`; the record itself when the address is not in it. A pure function.
 *
 * @category rules
 */
export const eraseRecipientIn = (record: DeliveryRecord, recipient: Email, replacement: Email): DeliveryRecord => {
  const pattern = new RegExp(recipient.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi")
  const replace = (text: string): string => text.replace(pattern, () => replacement)
  const lastError = record.lastError === undefined ? undefined : replace(record.lastError)
  const address = record.recipient.toLowerCase() === recipient.toLowerCase() ? replacement : record.recipient
  if (address === record.recipient && lastError === record.lastError) return record
  return new DeliveryRecord({ ...record, recipient: address, ...(lastError === undefined ? {} : { lastError }) })
}

/** The delivery records port. @category ports */
export class Deliveries extends Context.Tag("@copkit/core/Deliveries")<Deliveries, {
  readonly find: (key: string) => Effect.Effect<Option.Option<DeliveryRecord>, StorageError>
  /** Inserts or replaces the record with this key. */
  readonly record: (record: DeliveryRecord) => Effect.Effect<void, StorageError>
  readonly list: (filter?: {
    readonly eventId?: EventId | undefined
    readonly status?: DeliveryStatus | undefined
  }) => Effect.Effect<ReadonlyArray<DeliveryRecord>, StorageError>
  /** Replaces an address (any case) by `replacement` in every record that holds it (recipient, last error); returns how many records changed. */
  readonly eraseRecipient: (recipient: Email, replacement: Email) => Effect.Effect<number, StorageError>
}>() {}
