/**
 * People and their helix role.
 *
 * @since 0.1.0
 */
import { Class } from "./internal/schemaClass.js"
import { Schema } from "effect"
import { Email, Language, Line } from "./Common.js"
import { PersonId } from "./Ids.js"

/**
 * The helix a person's organisation belongs to: SME (entrepreneurs), government, intermediary
 * organisations (chamber of commerce, development agency, trade association) and knowledge institutions.
 *
 * @category models
 */
export const HelixRole = Schema.Literal("Entrepreneur", "Government", "Intermediary", "Knowledge")
/** @category models */
export type HelixRole = typeof HelixRole.Type

/** Every helix role, in the order reports show them. @category constants */
export const helixRoles: ReadonlyArray<HelixRole> = HelixRole.literals

/** The three helices the source text names for key persons; knowledge institutions are welcome too. @category constants */
export const tripleHelix: ReadonlyArray<HelixRole> = ["Entrepreneur", "Government", "Intermediary"]

/** A person named in the domain: contact, key person, administrator, participant. @category models */
export class Person extends Class<Person>("Person")({
  id: PersonId,
  name: Line,
  email: Schema.optional(Email),
  organisation: Schema.optional(Line),
  /** A job title or position, as `wethouder Economische Zaken`. */
  position: Schema.optional(Line),
  helixRole: HelixRole,
  /** The language of the messages this person receives. */
  language: Schema.optionalWith(Language, { default: () => "nl" as const })
}) {}

/** A person as callers give them: the id is optional and minted when absent. @category inputs */
export const PersonInput = Schema.Struct({
  id: Schema.optional(PersonId),
  name: Line,
  email: Schema.optional(Email),
  organisation: Schema.optional(Line),
  position: Schema.optional(Line),
  helixRole: HelixRole,
  language: Schema.optional(Language)
})
/** @category inputs */
export type PersonInput = typeof PersonInput.Type

/** The helix roles covered by a group of people, and the triple-helix roles it lacks. @category rules */
export const helixCoverage = (people: ReadonlyArray<{ readonly helixRole: HelixRole }>) => {
  const counts = Object.fromEntries(helixRoles.map((r) => [r, 0])) as Record<HelixRole, number>
  for (const p of people) counts[p.helixRole] += 1
  const missing = tripleHelix.filter((r) => counts[r] === 0)
  return { counts, covered: helixRoles.filter((r) => counts[r] > 0), missing }
}

/** How long personal data is kept. @category models */
export interface PersonalDataSettings {
  /**
   * Months after a programme completes (or is withdrawn or cancelled), or an application without a
   * programme is declined or withdrawn, after which the personal fields of its people are erased.
   */
  readonly retentionMonthsAfterCompletion: number
}

/** The default: two years after a programme completes. @category constants */
export const defaultPersonalDataSettings: PersonalDataSettings = {
  retentionMonthsAfterCompletion: 24
}
