/**
 * A learning-work session: when and where, its invitations, attendance and minutes.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { defaultTimeZone, Email, Instant, Language, Line, LongText } from "./Common.js"
import { PersonId, PlanItemId, ProgrammeId, RegionId, SessionId, ThemeId } from "./Ids.js"
import { AgendaItem } from "./Programme.js"
import { WorkForm } from "./WorkForm.js"

/** `Draft → Scheduled → Invited → Held`, plus `Cancelled`. @category models */
export const SessionState = Schema.Literal("Draft", "Scheduled", "Invited", "Held", "Cancelled")
/** @category models */
export type SessionState = typeof SessionState.Type

/** Where a session takes place. @category models */
export class Venue extends Schema.Class<Venue>("Venue")({
  name: Line,
  address: Schema.optional(Line),
  city: Schema.optional(Line)
}) {}

/** An invitee's answer. @category models */
export const Answer = Schema.Literal("NeedsAction", "Accepted", "Declined", "Tentative")
/** @category models */
export type Answer = typeof Answer.Type

/** The invitation of one person to a session, and their answer. @category models */
export class Invitation extends Schema.Class<Invitation>("Invitation")({
  personId: PersonId,
  programmeId: ProgrammeId,
  name: Line,
  email: Email,
  language: Language,
  answer: Answer,
  answeredAt: Schema.optional(Instant),
  invitedAt: Instant
}) {}

/** Whether a person was there. @category models */
export class Attendance extends Schema.Class<Attendance>("Attendance")({
  personId: PersonId,
  present: Schema.Boolean,
  recordedAt: Instant
}) {}

/** Minutes: `Draft → Published`; the core team may amend a draft. @category models */
export class Minutes extends Schema.Class<Minutes>("Minutes")({
  state: Schema.Literal("Draft", "Published"),
  text: LongText,
  updatedBy: PersonId,
  updatedAt: Instant,
  publishedAt: Schema.optional(Instant)
}) {}

/** A session. A cross-regional session belongs to several programmes. @category models */
export class Session extends Schema.Class<Session>("Session")({
  id: SessionId,
  programmeIds: Schema.NonEmptyArray(ProgrammeId),
  regionIds: Schema.NonEmptyArray(RegionId),
  planItemId: Schema.optional(PlanItemId),
  title: Line,
  themeId: Schema.optional(ThemeId),
  goal: Schema.optional(LongText),
  workForms: Schema.Array(WorkForm),
  agenda: Schema.Array(AgendaItem),
  host: Schema.optional(Line),
  venue: Schema.optional(Venue),
  start: Schema.optional(Instant),
  end: Schema.optional(Instant),
  timeZone: Schema.optionalWith(Line, { default: () => defaultTimeZone }),
  state: SessionState,
  /** The iCalendar SEQUENCE: raised on every change an invitee must hear about. */
  sequence: Schema.Int.pipe(Schema.nonNegative()),
  invitations: Schema.Array(Invitation),
  attendance: Schema.Array(Attendance),
  minutes: Schema.optional(Minutes),
  cancellationReason: Schema.optional(LongText),
  createdAt: Instant,
  updatedAt: Instant
}) {}
