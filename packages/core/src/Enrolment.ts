/**
 * A participant's place in a programme's fixed group, or on its reserve list.
 *
 * @since 0.1.0
 */
import { Class } from "./internal/schemaClass.js"
import { Schema } from "effect"
import { Instant, Paragraph } from "./Common.js"
import { EnrolmentId, ProgrammeId, RegionId } from "./Ids.js"
import { Person } from "./Person.js"

/** `Active` in the fixed group, `Reserve` on the reserve list, or `Left`. @category models */
export const EnrolmentStatus = Schema.Literal("Active", "Reserve", "Left")
/** @category models */
export type EnrolmentStatus = typeof EnrolmentStatus.Type

/** A participant's enrolment in a programme. @category models */
export class Enrolment extends Class<Enrolment>("Enrolment")({
  id: EnrolmentId,
  programmeId: ProgrammeId,
  regionId: RegionId,
  person: Person,
  status: EnrolmentStatus,
  /** Order on the reserve list (lower first). */
  reservePosition: Schema.optional(Schema.Int),
  enrolledAt: Instant,
  leftAt: Schema.optional(Instant),
  leftReason: Schema.optional(Paragraph)
}) {}
