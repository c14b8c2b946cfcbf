/**
 * Builders shared by the co-design tests: programmes, themes, votes and plans as plain domain values.
 */
import { Schema } from "effect"
import { CoDesignRules, Person, Programme, Region, type Ids } from "@copkit/core"
import { Fixtures } from "@copkit/testing"

export const at = (iso: string): Date => new Date(iso)
export const t0 = at("2027-02-01T09:00:00Z")

export const personOf = (p: typeof Fixtures.people[keyof typeof Fixtures.people]) =>
  Schema.decodeUnknownSync(Person.Person)(p)

export const member = (p: typeof Fixtures.people[keyof typeof Fixtures.people]) =>
  new Programme.CoreTeamMember({ person: personOf(p), joinedAt: t0 })

export const theme = (
  id: string,
  fields: Partial<{
    title: string
    scope: Programme.ThemeScope
    catalogueKey: string
    tags: ReadonlyArray<string>
    votes: ReadonlyArray<Programme.Vote>
    proposedAt: Date
    withdrawn: boolean
  }> = {}
) =>
  new Programme.Theme({
    id: id as Ids.ThemeId,
    title: fields.title ?? `Thema ${id}`,
    scope: fields.scope ?? "Regional",
    tags: fields.tags ?? [],
    proposedBy: Fixtures.people.chamber.id,
    proposedAt: fields.proposedAt ?? t0,
    votes: fields.votes ?? [],
    withdrawn: fields.withdrawn ?? false,
    ...(fields.catalogueKey === undefined ? {} : { catalogueKey: fields.catalogueKey })
  })

export const ballot = (voter: string, points: number, castAt: Date = t0) =>
  new Programme.Vote({ voter: voter as Ids.PersonId, points, castAt })

export const planItem = (
  id: string,
  fields: Partial<{
    role: Programme.SessionRole
    themeId: string
    workForms: ReadonlyArray<Programme.PlanItem["workForms"][number]>
    durationMinutes: number
    agenda: ReadonlyArray<{ title: string; minutes: number }>
    administratorsInvited: boolean
    checklist: ReadonlyArray<Programme.ChecklistTask>
  }> = {}
) => {
  const workForms = fields.workForms ?? ["Intervision"]
  return new Programme.PlanItem({
    id: id as Ids.PlanItemId,
    role: fields.role ?? "Regular",
    goal: `Doel van ${id}`,
    workForms,
    durationMinutes: fields.durationMinutes ?? 180,
    agenda: (fields.agenda ?? [{ title: "Nieuws van de dag", minutes: 30 }]).map((a) => new Programme.AgendaItem(a)),
    administratorsInvited: fields.administratorsInvited ?? false,
    checklist: fields.checklist ?? CoDesignRules.checklistFor(workForms),
    ...(fields.themeId === undefined ? {} : { themeId: fields.themeId as Ids.ThemeId })
  })
}

export const programme = (
  fields: Partial<{
    id: string
    regionId: string
    state: Programme.ProgrammeState
    coreTeam: ReadonlyArray<Programme.CoreTeamMember>
    themes: ReadonlyArray<Programme.Theme>
    plan: ReadonlyArray<Programme.PlanItem>
    goals: Programme.Goals
  }> = {}
) => {
  const regionId = (fields.regionId ?? "utrecht") as Ids.RegionId
  return new Programme.Programme({
    id: (fields.id ?? `prg_${regionId}`) as Ids.ProgrammeId,
    region: new Region.Region({ id: regionId, name: `Regio ${regionId}`, provinces: [], municipalities: [] }),
    regionId,
    applicationId: `app_${regionId}` as Ids.ApplicationId,
    state: fields.state ?? "CoDesign",
    coreTeam: fields.coreTeam ?? [member(Fixtures.people.entrepreneur), member(Fixtures.people.civilServant), member(Fixtures.people.chamber)],
    goals: fields.goals ?? new Programme.Goals({ intendedResults: ["Meer mkb-ondernemers vinden personeel"], whoIsNeeded: [], whoCanContribute: [] }),
    themes: fields.themes ?? [],
    plan: fields.plan ?? [],
    createdAt: t0,
    updatedAt: t0
  })
}

/** A plan that passes every check: kick-off, two themed sessions, closing; all three kinds of learning. */
export const goodPlan = (themeIds: readonly [string, string]) => [
  planItem("pli_a", { role: "KickOff", workForms: ["GuestExpert"], administratorsInvited: true }),
  planItem("pli_b", { themeId: themeIds[0], workForms: ["Intervision", "PracticeExample"] }),
  planItem("pli_c", { themeId: themeIds[1], workForms: ["ProjectVisit"] }),
  planItem("pli_d", { role: "Closing", workForms: ["InteractiveForm"], administratorsInvited: true })
]
