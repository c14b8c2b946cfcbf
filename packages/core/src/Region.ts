/**
 * A Dutch region that takes part in the network.
 *
 * @since 0.1.0
 */
import { Class } from "./internal/schemaClass.js"
import { Schema } from "effect"
import { Line } from "./Common.js"
import { RegionId } from "./Ids.js"
import { fixedValue } from "./internal/redaction.js"

/** The school-holiday zone of the Netherlands a region lies in (noord, midden, zuid). @category models */
export const SchoolHolidayZone = Schema.Literal("North", "Middle", "South")
/** @category models */
export type SchoolHolidayZone = typeof SchoolHolidayZone.Type

/** A place name: checked as a `Line`, never taken for a mention of a person by an erasure ("Utrecht" the person is not Utrecht the city). */
const PlaceName = Line.annotations(fixedValue)

/** A region: its name, provinces and municipalities. @category models */
export class Region extends Class<Region>("Region")({
  id: RegionId,
  name: PlaceName,
  provinces: Schema.Array(PlaceName).pipe(Schema.maxItems(12)),
  municipalities: Schema.Array(PlaceName).pipe(Schema.maxItems(400)),
  schoolHolidayZone: Schema.optional(SchoolHolidayZone)
}) {}
