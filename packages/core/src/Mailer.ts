/**
 * The mailer port: send one message with its attachments.
 *
 * @since 0.1.0
 */
import { Class } from "./internal/schemaClass.js"
import { Context, Schema } from "effect"
import type { Effect } from "effect"
import { Email, Language, Line } from "./Common.js"

/** A mailbox: a display name and an address, always kept apart (never one string). @category models */
export class Address extends Class<Address>("Address")({
  name: Schema.optional(Line),
  address: Email
}) {}

/** A file attached to a message. @category models */
export class Attachment extends Class<Attachment>("Attachment")({
  filename: Line,
  contentType: Line,
  content: Schema.String
}) {}

/** An iCalendar part of an iMIP message (RFC 6047): its method equals the file's METHOD. @category models */
export class CalendarPart extends Class<CalendarPart>("CalendarPart")({
  method: Schema.Literal("REQUEST", "CANCEL", "PUBLISH", "REPLY"),
  ics: Schema.String
}) {}

/** A message to send. @category models */
export class OutgoingMessage extends Class<OutgoingMessage>("OutgoingMessage")({
  /** A deterministic `<...@...>` Message-ID: the same event and recipient give the same id. */
  messageId: Schema.String,
  from: Address,
  to: Schema.NonEmptyArray(Address),
  replyTo: Schema.optional(Address),
  subject: Line,
  text: Schema.String,
  html: Schema.String,
  language: Language,
  calendar: Schema.optional(CalendarPart),
  attachments: Schema.Array(Attachment)
}) {}

/** What the mail server said when it took the message. @category models */
export class DeliveryReceipt extends Class<DeliveryReceipt>("DeliveryReceipt")({
  messageId: Schema.String,
  accepted: Schema.Array(Schema.String),
  rejected: Schema.Array(Schema.String),
  response: Schema.String
}) {}

/** A message was not sent. `temporary` failures are retried; permanent ones are not. @category errors */
export class DeliveryError extends Schema.TaggedError<DeliveryError>()("DeliveryError", {
  temporary: Schema.Boolean,
  message: Schema.String,
  /** The SMTP reply code, when the server gave one. */
  code: Schema.optional(Schema.Number)
}) {}

/** The mailer port. @category ports */
export class Mailer extends Context.Tag("@copkit/core/Mailer")<Mailer, {
  readonly send: (message: OutgoingMessage) => Effect.Effect<DeliveryReceipt, DeliveryError>
}>() {}
