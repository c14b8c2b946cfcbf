/**
 * The outbox read side and delivery records: how the dispatcher turns the event log into
 * e-mails and calendar updates without losing or repeating one.
 *
 * @since 0.1.0
 */
import { Class } from "./internal/schemaClass.js"
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

/**
 * The outcome of a delivery. `Conflict` (calendar channel only): the calendar server's copy was
 * changed by someone else; it is left for a person, never overwritten.
 *
 * @category models
 */
export const DeliveryStatus = Schema.Literal("Sent", "Retrying", "Dead", "Conflict")
/** @category models */
export type DeliveryStatus = typeof DeliveryStatus.Type

/** The record of one message for one event and one recipient. @category models */
export class DeliveryRecord extends Class<DeliveryRecord>("DeliveryRecord")({
  /**
   * E-mail: `eventId/personId/email`, one record, one message, ever. Calendar:
   * `calendar/programmeId/sessionId`, one record per session in a programme's calendar, kept up to
   * date by every event of the session.
   */
  key: Schema.String,
  /** The event delivered (calendar: the last event of the session handled). */
  eventId: EventId,
  /** The address the message went to; none for a calendar publication. */
  recipient: Schema.optional(Email),
  channel: Schema.Literal("email", "calendar"),
  /** The deterministic Message-ID (or calendar UID) of the message. */
  messageId: Schema.String,
  status: DeliveryStatus,
  /** Calendar channel: where the session is on the server, its ETag, and what was published (`revision`). */
  calendar: Schema.optional(Schema.Struct({
    url: Schema.optional(Schema.String),
    etag: Schema.optional(Schema.String),
    /** `published/<sequence>` or `removed/<sequence>`: the session's state the server holds. */
    revision: Schema.String
  })),
  /** Calendar channel, status `Conflict`: the ETag we held and the one the server has. */
  conflict: Schema.optional(Schema.Struct({
    expectedEtag: Schema.optional(Schema.String),
    actualEtag: Schema.optional(Schema.String),
    /** The revision that was not written. */
    revision: Schema.String
  })),
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
  const address = record.recipient !== undefined && record.recipient.toLowerCase() === recipient.toLowerCase()
    ? replacement
    : record.recipient
  if (address === record.recipient && lastError === record.lastError) return record
  return new DeliveryRecord({
    ...record,
    ...(address === undefined ? {} : { recipient: address }),
    ...(lastError === undefined ? {} : { lastError })
  })
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
