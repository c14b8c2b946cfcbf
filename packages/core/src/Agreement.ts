/**
 * An agreement made at the end of the programme: who does what, by when, for which measure.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { Instant, LocalDate, Line, Paragraph } from "./Common.js"
import { AgreementId, MeasureId, PersonId, ProgrammeId, RegionId, SessionId } from "./Ids.js"

/** `Open → InProgress → Done`, or `Dropped` with a reason. @category models */
export const AgreementStatus = Schema.Literal("Open", "InProgress", "Done", "Dropped")
/** @category models */
export type AgreementStatus = typeof AgreementStatus.Type

/** A progress note. @category models */
export class ProgressNote extends Schema.Class<ProgressNote>("ProgressNote")({
  text: Paragraph,
  author: PersonId,
  at: Instant
}) {}

/** An agreement ("vervolgafspraak"). @category models */
export class Agreement extends Schema.Class<Agreement>("Agreement")({
  id: AgreementId,
  programmeId: ProgrammeId,
  regionId: RegionId,
  action: Paragraph,
  owner: Schema.Struct({ personId: PersonId, name: Line, organisation: Line }),
  dueDate: LocalDate,
  measureId: Schema.optional(MeasureId),
  sessionId: Schema.optional(SessionId),
  status: AgreementStatus,
  droppedReason: Schema.optional(Paragraph),
  notes: Schema.Array(ProgressNote),
  /** The reminders already raised for this agreement (`due-7`, `overdue`): each is raised once. */
  remindersSent: Schema.optional(Schema.Array(Schema.String)),
  createdAt: Instant,
  updatedAt: Instant
}) {}
