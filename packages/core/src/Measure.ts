/**
 * A measure ("maatregel"): what the region needs so that SMEs move forward.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { Instant, Line, Paragraph } from "./Common.js"
import { MeasureId, ProgrammeId, RegionId } from "./Ids.js"

/** A measure, with the organisations involved. @category models */
export class Measure extends Schema.Class<Measure>("Measure")({
  id: MeasureId,
  programmeId: ProgrammeId,
  regionId: RegionId,
  title: Line,
  description: Schema.optional(Paragraph),
  organisations: Schema.Array(Line),
  createdAt: Instant,
  updatedAt: Instant
}) {}
