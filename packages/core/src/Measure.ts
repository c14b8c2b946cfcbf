/**
 * A measure ("maatregel"): what the region needs so that SMEs move forward; and the synergy view
 * (per organisation, the measures and actions it carries). The rules are pure; each change
 * returns the new measure and its events.
 *
 * @since 0.1.0
 */
import { Class } from "./internal/schemaClass.js"
import { Either, Schema } from "effect"
import type { Agreement, AgreementStatus } from "./Agreement.js"
import { checkProgrammeOpen } from "./Agreement.js"
import type { Transitioned } from "./Command.js"
import type { LocalDate } from "./Common.js"
import { Instant, Line, LocalDate as LocalDateSchema, Paragraph } from "./Common.js"
import type { RuleViolation } from "./Errors.js"
import * as Events from "./Events.js"
import type { AgreementId } from "./Ids.js"
import { MeasureId, ProgrammeId, RegionId } from "./Ids.js"
import type { Programme } from "./Programme.js"

/** The id of an indicator within its measure, as `ind_1`. @category models */
export const IndicatorId = Schema.String.pipe(Schema.pattern(/^ind_[0-9]{1,4}$/), Schema.brand("IndicatorId"))
/** @category models */
export type IndicatorId = typeof IndicatorId.Type

/** A finite number (no NaN or infinity), as an indicator's baseline, target or value. @category models */
export const IndicatorNumber = Schema.Number.pipe(Schema.finite(), Schema.between(-1e12, 1e12))

/** A dated value of an indicator. @category models */
export class IndicatorValue extends Class<IndicatorValue>("IndicatorValue")({
  date: LocalDateSchema,
  value: IndicatorNumber,
  note: Schema.optional(Paragraph),
  recordedAt: Instant
}) {}

/** What a measure's effect is measured by: a name, a unit, a baseline and a target, and dated values (oldest first). @category models */
export class Indicator extends Class<Indicator>("Indicator")({
  id: IndicatorId,
  name: Line,
  unit: Line,
  baseline: IndicatorNumber,
  target: IndicatorNumber,
  values: Schema.Array(IndicatorValue).pipe(Schema.maxItems(1000))
}) {}

/** A measure, with the organisations involved. @category models */
export class Measure extends Class<Measure>("Measure")({
  id: MeasureId,
  programmeId: ProgrammeId,
  regionId: RegionId,
  title: Line,
  description: Schema.optional(Paragraph),
  organisations: Schema.Array(Line),
  /** What its effect is measured by (see `Evaluations.defineIndicator`). */
  indicators: Schema.optionalWith(Schema.Array(Indicator).pipe(Schema.maxItems(20)), { default: () => [] }),
  createdAt: Instant,
  updatedAt: Instant
}) {}

// ---------------------------------------------------------------------------------------------
// Pure rules
// ---------------------------------------------------------------------------------------------

/** What a measure is made of (decoded input). @category models */
export interface MeasureFields {
  readonly title: string
  readonly description?: string | undefined
  readonly organisations: ReadonlyArray<string>
}

/**
 * Defines a measure of an open programme (rule `programme-open-for-agreements`), with its
 * `MeasureDefined` event.
 *
 * @category rules
 */
export const define = (
  programme: Programme,
  id: MeasureId,
  fields: MeasureFields,
  now: Date
): Either.Either<Transitioned<Measure>, RuleViolation> =>
  Either.map(checkProgrammeOpen(programme, "Measures"), () => ({
    value: new Measure({
      id,
      programmeId: programme.id,
      regionId: programme.regionId,
      title: fields.title,
      ...(fields.description === undefined ? {} : { description: fields.description }),
      organisations: fields.organisations,
      createdAt: now,
      updatedAt: now
    }),
    events: [Events.MeasureDefined.make({ measureId: id, programmeId: programme.id })]
  }))

/** Changes a measure's title, description or organisations, with its `MeasureUpdated` event. @category rules */
export const revise = (
  measure: Measure,
  changes: { readonly [K in keyof MeasureFields]?: MeasureFields[K] | undefined },
  now: Date
): Transitioned<Measure> => ({
  value: new Measure({
    ...measure,
    ...(changes.title === undefined ? {} : { title: changes.title }),
    ...(changes.description === undefined ? {} : { description: changes.description }),
    ...(changes.organisations === undefined ? {} : { organisations: changes.organisations }),
    updatedAt: now
  }),
  events: [Events.MeasureUpdated.make({ measureId: measure.id })]
})

/** What one organisation carries: the measures it is involved in and the actions its people own. @category models */
export interface OrganisationLoad {
  readonly organisation: string
  readonly measures: ReadonlyArray<{ readonly id: MeasureId; readonly title: string; readonly programmeId: ProgrammeId }>
  readonly actions: ReadonlyArray<{
    readonly id: AgreementId
    readonly action: string
    readonly status: AgreementStatus
    readonly dueDate: LocalDate
    readonly measureId?: MeasureId | undefined
  }>
}

const orgKey = (name: string): string => name.trim().replace(/\s+/g, " ").toLocaleLowerCase("nl")

/**
 * The synergy view: per organisation, the measures it is involved in and the actions its people
 * own. Organisation names are matched ignoring case and extra spaces; ordered by name.
 *
 * @category rules
 */
export const synergy = (
  measures: ReadonlyArray<Measure>,
  agreements: ReadonlyArray<Agreement>
): ReadonlyArray<OrganisationLoad> => {
  const map = new Map<string, { organisation: string; measures: Array<OrganisationLoad["measures"][number]>; actions: Array<OrganisationLoad["actions"][number]> }>()
  const entry = (name: string) => {
    const key = orgKey(name)
    let e = map.get(key)
    if (e === undefined) {
      e = { organisation: name.trim().replace(/\s+/g, " "), measures: [], actions: [] }
      map.set(key, e)
    }
    return e
  }
  for (const m of measures) {
    const seen = new Set<string>()
    for (const o of m.organisations) {
      if (seen.has(orgKey(o))) continue
      seen.add(orgKey(o))
      entry(o).measures.push({ id: m.id, title: m.title, programmeId: m.programmeId })
    }
  }
  for (const a of agreements) {
    entry(a.owner.organisation).actions.push({
      id: a.id,
      action: a.action,
      status: a.status,
      dueDate: a.dueDate,
      measureId: a.measureId
    })
  }
  return [...map.values()].sort((a, b) => a.organisation.localeCompare(b.organisation, "nl"))
}
