/** The ports and helpers every part of the sessions service shares: not API. */
import { Effect } from "effect"
import * as Actor from "../Actor.js"
import { CalendarImporter } from "../Calendar.js"
import { IdGenerator, PersonId } from "../Ids.js"
import * as Permissions from "../Permissions.js"
import { PlanItem, Programme } from "../Programme.js"
import {
  ApplicationRepository,
  EnrolmentRepository,
  InsightRepository,
  ProgrammeRepository,
  SessionRepository
} from "../Repository.js"
import * as Session from "../Session.js"

/** Reads the ports once, when the service is built. */
export const context = Effect.gen(function*() {
  const sessions = yield* SessionRepository
  const programmes = yield* ProgrammeRepository
  const enrolments = yield* EnrolmentRepository
  const insights = yield* InsightRepository
  const applications = yield* ApplicationRepository
  const ids = yield* IdGenerator
  // optional: only `plan` with feeds needs it
  const importer = yield* Effect.serviceOption(CalendarImporter)

  const enrolmentsOf = (programmeId: string) => enrolments.list({ programmeId })
  return { sessions, programmes, enrolments, insights, applications, ids, importer, enrolmentsOf }
})

/** What {@link context} gives. */
export type SessionsContext = Effect.Effect.Success<typeof context>

export const programmeScope = (p: Programme): Permissions.Scope => ({ regionIds: [p.regionId] })

/** Cross-regional sessions are run by the coordinator; a region's own by the region. */
export const manageAction = (s: Session.Session): Permissions.Action =>
  s.programmeIds.length > 1 ? "session.createCrossRegional" : "session.manage"

export const actorPersonId = (actor: Actor.Actor): PersonId =>
  Actor.personOf(actor) ?? (`system:${actor._tag === "System" ? actor.name : "unknown"}` as PersonId)

export const titleOf = (programme: Programme, item: PlanItem, index: number): string => {
  const theme = item.themeId === undefined ? undefined : programme.themes.find((t) => t.id === item.themeId)
  const base = item.role === "KickOff" ? "Aftrap" : item.role === "Closing" ? "Afsluiting" : `Bijeenkomst ${index + 1}`
  return theme === undefined ? base : `${base}: ${theme.title}`.slice(0, 200)
}
