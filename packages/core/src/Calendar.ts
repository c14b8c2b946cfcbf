/**
 * The calendar ports: render invitations and feeds, publish to a calendar server, and read a
 * region's external events as busy periods.
 *
 * @since 0.1.0
 */
import { Class } from "./internal/schemaClass.js"
import { Context, Schema } from "effect"
import type { Effect } from "effect"
import { Email, Instant, Language, Line } from "./Common.js"
import { Answer } from "./Session.js"

/** An invitee as the calendar sees them. @category models */
export class CalendarAttendee extends Class<CalendarAttendee>("CalendarAttendee")({
  name: Line,
  email: Email,
  answer: Answer
}) {}

/** A session as a calendar event. @category models */
export class CalendarEvent extends Class<CalendarEvent>("CalendarEvent")({
  /** Never changes for a session. */
  uid: Schema.String,
  /** Raised on every change an invitee must hear about. */
  sequence: Schema.Int.pipe(Schema.nonNegative()),
  summary: Line,
  description: Schema.optional(Schema.String),
  location: Schema.optional(Schema.String),
  host: Schema.optional(Line),
  start: Instant,
  end: Instant,
  timeZone: Line,
  organizer: Schema.Struct({ name: Line, email: Email }),
  status: Schema.Literal("CONFIRMED", "TENTATIVE", "CANCELLED"),
  url: Schema.optional(Schema.String),
  /**
   * The link to join an online or hybrid session (RFC 7986 `CONFERENCE`). Renderers write it into
   * invitations only: a feed or a calendar server's copy is seen by more people than the invitees.
   */
  conference: Schema.optional(Schema.String),
  /** Minutes before the start at which an alarm fires. */
  alarmsMinutesBefore: Schema.Array(Schema.Int.pipe(Schema.positive())),
  /** When the event last changed (DTSTAMP of the file is this, in UTC). */
  stamp: Instant,
  language: Language
}) {}

/** A period in which the region has something else on. @category models */
export class BusyPeriod extends Class<BusyPeriod>("BusyPeriod")({
  start: Instant,
  end: Instant,
  summary: Schema.optional(Schema.String),
  /** Where the period came from (feed name, holiday source). */
  source: Schema.optional(Schema.String),
  allDay: Schema.optionalWith(Schema.Boolean, { default: () => false })
}) {}

/** A calendar text that did not parse; nothing of it was used. @category errors */
export class CalendarParseError extends Schema.TaggedError<CalendarParseError>()("CalendarParseError", {
  line: Schema.optional(Schema.Int),
  message: Schema.String
}) {}

/**
 * A calendar text went past a bound of the import (its size, its occurrences or the time budget,
 * see `Settings.calendarImport`); nothing of it was used. @category errors
 */
export class CalendarImportLimitError extends Schema.TaggedError<CalendarImportLimitError>()("CalendarImportLimitError", {
  limit: Schema.Literal("bytes", "occurrences", "time"),
  /** The bound that was passed. */
  max: Schema.Number,
  line: Schema.optional(Schema.Int),
  message: Schema.String
}) {}

/** A calendar server refused or could not be reached. @category errors */
export class CalendarError extends Schema.TaggedError<CalendarError>()("CalendarError", {
  operation: Schema.String,
  temporary: Schema.Boolean,
  message: Schema.String,
  status: Schema.optional(Schema.Int)
}) {}

/** The server's copy changed since we stored its ETag: we did not overwrite it. @category errors */
export class CalendarConflict extends Schema.TaggedError<CalendarConflict>()("CalendarConflict", {
  uid: Schema.String,
  expectedEtag: Schema.optional(Schema.String),
  actualEtag: Schema.optional(Schema.String)
}) {}

/** Renders iCalendar text (RFC 5545/5546). @category ports */
export class CalendarRenderer extends Context.Tag("@copkit/core/CalendarRenderer")<CalendarRenderer, {
  /** An invitation (`REQUEST`) or cancellation (`CANCEL`) for one attendee. */
  readonly invitation: (
    event: CalendarEvent,
    attendee: CalendarAttendee,
    method: "REQUEST" | "CANCEL"
  ) => Effect.Effect<string>
  /** A subscribable feed of events (`PUBLISH`), stable for unchanged data. */
  readonly feed: (name: string, events: ReadonlyArray<CalendarEvent>) => Effect.Effect<string>
}>() {}

/** Reads a region's external calendar as busy periods within a window. @category ports */
export class CalendarImporter extends Context.Tag("@copkit/core/CalendarImporter")<CalendarImporter, {
  readonly busyPeriods: (
    ics: string,
    window: { readonly start: Date; readonly end: Date }
  ) => Effect.Effect<ReadonlyArray<BusyPeriod>, CalendarParseError | CalendarImportLimitError>
}>() {}

/** What a calendar server holds of a published event. @category models */
export interface PublishedEvent {
  readonly uid: string
  readonly url: string
  readonly etag?: string | undefined
}

/** Publishes sessions to a calendar server (CalDAV). @category ports */
export class CalendarPublisher extends Context.Tag("@copkit/core/CalendarPublisher")<CalendarPublisher, {
  readonly publish: (
    event: CalendarEvent,
    previous?: PublishedEvent
  ) => Effect.Effect<PublishedEvent, CalendarError | CalendarConflict>
  readonly remove: (published: PublishedEvent) => Effect.Effect<void, CalendarError | CalendarConflict>
}>() {}

/**
 * The bounds of calendar imports: of one feed read by the `CalendarImporter` (`maxBytes`,
 * `maxOccurrences`, `timeBudgetMillis`), and of all the feeds of one `Sessions.plan` call
 * together (`maxTotalBytes`, `maxTotalOccurrences`, `totalTimeBudgetMillis`), so that many feeds
 * each within the first cannot add up past the second. @category models
 */
export interface CalendarImportSettings {
  /** The largest calendar text read, in UTF-8 bytes. */
  readonly maxBytes: number
  /** The most occurrences (of all events and series together) worked out for one text. */
  readonly maxOccurrences: number
  /** How long one import may take before it fails with a `CalendarImportLimitError`. */
  readonly timeBudgetMillis: number
  /** How long the import works before it lets other work run (timers, I/O). */
  readonly sliceMillis: number
  /**
   * The most UTF-8 bytes of all the feeds of one `Sessions.plan` call together, checked before
   * any feed is read; more fails the call with a `CalendarImportLimitError` (`limit: "bytes"`,
   * `max` this bound).
   */
  readonly maxTotalBytes: number
  /**
   * The most occurrences of all the feeds of one `Sessions.plan` call together: each feed is read
   * with at most what the busy periods of the feeds before it left (and at most `maxOccurrences`).
   * More fails the call with a `CalendarImportLimitError` (`limit: "occurrences"`, `max` this bound).
   */
  readonly maxTotalOccurrences: number
  /**
   * How long the feeds of one `Sessions.plan` call may take together: each feed is read with at
   * most what the feeds before it left (and at most `timeBudgetMillis`). Longer fails the call with
   * a `CalendarImportLimitError` (`limit: "time"`, `max` this bound).
   */
  readonly totalTimeBudgetMillis: number
}

/**
 * The default bounds: per feed 5 MB, 100,000 occurrences, 10 s, in slices of 10 ms; per
 * `Sessions.plan` call 20 MB, 200,000 occurrences, 30 s. @category constants
 */
export const defaultCalendarImportSettings: CalendarImportSettings = {
  maxBytes: 5_000_000,
  maxOccurrences: 100_000,
  timeBudgetMillis: 10_000,
  sliceMillis: 10,
  maxTotalBytes: 20_000_000,
  maxTotalOccurrences: 200_000,
  totalTimeBudgetMillis: 30_000
}
