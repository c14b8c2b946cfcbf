/**
 * Looking people up in a programme. Not API.
 *
 * @internal
 */
import type { Enrolment } from "../Enrolment.js"
import type { PersonId } from "../Ids.js"
import type { Person } from "../Person.js"
import type { Programme } from "../Programme.js"

/** A person the programme knows: from its core team or its enrolments. */
export const findPerson = (
  programme: Programme,
  enrolments: ReadonlyArray<Enrolment>,
  personId: PersonId
): Person | undefined =>
  programme.coreTeam.find((m) => m.person.id === personId)?.person ??
    enrolments.find((e) => e.person.id === personId && e.programmeId === programme.id)?.person
