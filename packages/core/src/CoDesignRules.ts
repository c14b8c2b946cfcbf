/**
 * The pure rules of co-design: the core team and its helix coverage, the goals, the themes and the
 * votes on them, the session plan and its approval. Each transition is a function of the programme
 * and its input that returns the new programme *and its events* (a `Command.Transitioned`) or a
 * typed error; the `CoDesign` service only loads, decides and commits. The ranking lives in `ThemeRanking`, the matching across regions in
 * `ThemeMatching`, the plan's checks in `PlanValidation`.
 *
 * @since 0.1.0
 */
import { Either } from "effect"
import type { Actor } from "./Actor.js"
import { personOf } from "./Actor.js"
import type { ValidationError } from "./Errors.js"
import type { DomainEvent } from "./Events.js"
import { InvalidTransition, NotFound, RuleViolation } from "./Errors.js"
import type { PersonId, ThemeId } from "./Ids.js"
import type { HelixRole, Person } from "./Person.js"
import { helixRoles, tripleHelix } from "./Person.js"
import type { PlanCheckSettings } from "./PlanValidation.js"
import { planCheckNames } from "./PlanValidation.js"
import type { Transitioned } from "./Command.js"
import type { Approved } from "./Programme.js"
import * as ProgrammeLife from "./Programme.js"
import type { Goals, TaskOwner, ThemeScope, Vote } from "./ProgrammeModel.js"
import { ChecklistTask, CoreTeamMember, PlanItem, Programme, Theme } from "./ProgrammeModel.js"
import { invalid } from "./Validation.js"
import type { WorkForm } from "./WorkForm.js"

// ---------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------

/** A task of the default checklist. @category models */
export interface ChecklistTemplate {
  readonly key: string
  readonly title: string
  readonly owner: TaskOwner
  readonly dueDaysBefore: number
  /** When set, the task is added only to sessions with this work form. */
  readonly onlyWith?: WorkForm
}

/** The thresholds of co-design (section `coDesign` of the settings). @category models */
export interface CoDesignSettings extends PlanCheckSettings {
  /** The smallest core team that works (default 3); smaller gets a warning. */
  readonly minCoreTeam: number
  /** The largest core team that works (default 4); larger gets a warning. */
  readonly maxCoreTeam: number
  /** The helix roles the core team should cover (default entrepreneurs, government, intermediaries). */
  readonly requiredHelixRoles: ReadonlyArray<HelixRole>
  /** The checklist a session gets when none is given. */
  readonly defaultChecklist: ReadonlyArray<ChecklistTemplate>
  /** Tags two themes must share to count as closely related across regions (default 2). */
  readonly minSharedTags: number
  /** Regions a group of matching themes needs to become a proposed shared session (default 2). */
  readonly minRegionsPerSharedSession: number
}

/** The default checklist: venue, catering and invitations by the region, guest expert and materials by the coordinator. @category constants */
export const defaultChecklist: ReadonlyArray<ChecklistTemplate> = [
  { key: "venue", title: "Venue booked", owner: "Region", dueDaysBefore: 42 },
  { key: "invite-participants", title: "Participants selected and invited", owner: "Region", dueDaysBefore: 28 },
  { key: "guest-expert-confirmed", title: "Guest expert confirmed", owner: "Coordinator", dueDaysBefore: 21, onlyWith: "GuestExpert" },
  { key: "catering", title: "Catering ordered", owner: "Region", dueDaysBefore: 14 },
  { key: "materials", title: "Materials prepared and sent", owner: "Coordinator", dueDaysBefore: 3 }
]

/** The defaults of DOMAIN.md section 2. @category constants */
export const defaultCoDesignSettings: CoDesignSettings = {
  minCoreTeam: 3,
  maxCoreTeam: 4,
  requiredHelixRoles: tripleHelix,
  minSessions: 2,
  minWorkFormsPerSession: 1,
  requiredLearningKinds: ["Inspiration", "LearningTogether", "Practice"],
  administratorsAtKickOffAndClosing: true,
  requiredTaskKeys: ["venue", "catering", "invite-participants", "materials"],
  blockingChecks: planCheckNames.filter((c) => c !== "learning-mix" && c !== "theme-per-session"),
  defaultChecklist,
  minSharedTags: 2,
  minRegionsPerSharedSession: 2
}

/** The checklist for a session with the given work forms, from the settings' default checklist. @category constructors */
export const checklistFor = (
  workForms: ReadonlyArray<WorkForm>,
  settings: Pick<CoDesignSettings, "defaultChecklist"> = defaultCoDesignSettings
): ReadonlyArray<ChecklistTask> =>
  settings.defaultChecklist
    .filter((t) => t.onlyWith === undefined || workForms.includes(t.onlyWith))
    .map((t) => new ChecklistTask({ key: t.key, title: t.title, owner: t.owner, dueDaysBefore: t.dueDaysBefore, done: false }))

// ---------------------------------------------------------------------------------------------
// Core team
// ---------------------------------------------------------------------------------------------

/** A remark on the core team: it does not stop co-design. @category models */
export interface CoreTeamWarning {
  readonly code: "core-team-too-small" | "core-team-too-large" | "helix-role-missing"
  readonly message: string
  readonly helixRole?: HelixRole
}

/** The core team, the helix roles it covers, and what it lacks. @category models */
export interface CoreTeamReport {
  readonly members: ReadonlyArray<Person>
  readonly size: number
  readonly counts: Readonly<Record<HelixRole, number>>
  readonly covered: ReadonlyArray<HelixRole>
  /** The required helix roles nobody in the team has. */
  readonly missing: ReadonlyArray<HelixRole>
  readonly warnings: ReadonlyArray<CoreTeamWarning>
}

/** Reports the core team's size and helix coverage with its warnings. A pure function. @category rules */
export const coreTeamReport = (
  programme: Programme,
  settings: CoDesignSettings = defaultCoDesignSettings
): CoreTeamReport => {
  const members = programme.coreTeam.map((m) => m.person)
  const counts = Object.fromEntries(helixRoles.map((r) => [r, 0])) as Record<HelixRole, number>
  for (const p of members) counts[p.helixRole] += 1
  const missing = settings.requiredHelixRoles.filter((r) => counts[r] === 0)
  const warnings: Array<CoreTeamWarning> = []
  if (members.length < settings.minCoreTeam) {
    warnings.push({
      code: "core-team-too-small",
      message: `The core team has ${members.length} key person(s); ${settings.minCoreTeam} to ${settings.maxCoreTeam} work best.`
    })
  } else if (members.length > settings.maxCoreTeam) {
    warnings.push({
      code: "core-team-too-large",
      message: `The core team has ${members.length} key persons; ${settings.minCoreTeam} to ${settings.maxCoreTeam} work best.`
    })
  }
  for (const role of missing) {
    warnings.push({ code: "helix-role-missing", helixRole: role, message: `Nobody in the core team is from the ${role} helix.` })
  }
  return {
    members,
    size: members.length,
    counts,
    covered: helixRoles.filter((r) => counts[r] > 0),
    missing,
    warnings
  }
}

/** Whether a person is in the programme's core team. @category rules */
export const isCoreTeamMember = (programme: Programme, personId: PersonId): boolean =>
  programme.coreTeam.some((m) => m.person.id === personId)

// ---------------------------------------------------------------------------------------------
// Transitions: pure functions of state and input
// ---------------------------------------------------------------------------------------------

/** The errors a co-design step can be refused with. @category models */
export type CoDesignError = InvalidTransition | RuleViolation | NotFound | ValidationError

/** Co-design changes the programme only while it is in `CoDesign`. @category rules */
export const inCoDesign = (programme: Programme, to: string = programme.state): Either.Either<void, InvalidTransition> =>
  programme.state === "CoDesign"
    ? Either.void
    : Either.left(
      new InvalidTransition({
        entity: "Programme",
        id: programme.id,
        from: programme.state,
        to,
        reason: "co-design is only possible while the programme is in CoDesign"
      })
    )

const touched = (programme: Programme, fields: Partial<typeof Programme.Type>, now: Date): Programme =>
  new Programme({ ...programme, ...fields, updatedAt: now })

const changed = (programme: Programme, fields: Partial<typeof Programme.Type>, now: Date, event: DomainEvent): Transitioned<Programme> => ({
  value: touched(programme, fields, now),
  events: [event]
})

/** Adds a key person to the core team; a person is in a core team at most once (rule `core-team-once`). @category transitions */
export const addMember = (
  programme: Programme,
  person: Person,
  now: Date
): Either.Either<Transitioned<Programme>, InvalidTransition | RuleViolation> =>
  Either.flatMap(inCoDesign(programme), () =>
    isCoreTeamMember(programme, person.id)
      ? Either.left(
        new RuleViolation({
          rule: "core-team-once",
          message: `${person.id} is already in the core team.`,
          details: []
        })
      )
      : Either.right({
        value: touched(programme, { coreTeam: [...programme.coreTeam, new CoreTeamMember({ person, joinedAt: now })] }, now),
        events: [{ _tag: "CoreTeamMemberAdded", programmeId: programme.id, personId: person.id, helixRole: person.helixRole }]
      }))

/** Removes a key person from the core team, with their votes. @category transitions */
export const removeMember = (
  programme: Programme,
  personId: PersonId,
  now: Date
): Either.Either<Transitioned<Programme>, InvalidTransition | NotFound> =>
  Either.flatMap(inCoDesign(programme), () =>
    !isCoreTeamMember(programme, personId)
      ? Either.left(new NotFound({ entity: "CoreTeamMember", id: personId }))
      : Either.right(changed(programme, {
        coreTeam: programme.coreTeam.filter((m) => m.person.id !== personId),
        themes: programme.themes.map((t) =>
          t.votes.some((v) => v.voter === personId)
            ? new Theme({ ...t, votes: t.votes.filter((v) => v.voter !== personId) })
            : t
        )
      }, now, { _tag: "CoreTeamMemberRemoved", programmeId: programme.id, personId })))

/** Records the goals set beforehand, replacing the previous ones. @category transitions */
export const setGoals = (programme: Programme, goals: Goals, now: Date): Either.Either<Transitioned<Programme>, InvalidTransition> =>
  Either.map(inCoDesign(programme), () => changed(programme, { goals }, now, { _tag: "GoalsSet", programmeId: programme.id }))

/**
 * Proposing, editing, withdrawing and voting on themes is for the core team and the coordinator
 * (rule `core-team-member`). Returns the person who acts.
 *
 * @category rules
 */
export const themeParticipant = (programme: Programme, actor: Actor): Either.Either<PersonId, RuleViolation> => {
  const personId = personOf(actor)
  if (personId !== undefined && (actor._tag === "NetworkCoordinator" || isCoreTeamMember(programme, personId))) {
    return Either.right(personId)
  }
  return Either.left(
    new RuleViolation({
      rule: "core-team-member",
      message: "Only members of the programme's core team and the coordinator may propose, change and vote on themes.",
      details: []
    })
  )
}

const findTheme = (programme: Programme, themeId: ThemeId): Either.Either<Theme, NotFound> => {
  const theme = programme.themes.find((t) => t.id === themeId)
  return theme === undefined ? Either.left(new NotFound({ entity: "Theme", id: themeId })) : Either.right(theme)
}

const liveTheme = (programme: Programme, themeId: ThemeId): Either.Either<Theme, NotFound | RuleViolation> =>
  Either.flatMap(findTheme(programme, themeId), (theme) =>
    theme.withdrawn
      ? Either.left(new RuleViolation({ rule: "theme-not-withdrawn", message: `The theme ${themeId} was withdrawn.`, details: [] }))
      : Either.right(theme))

const replaceTheme = (programme: Programme, theme: Theme, now: Date, event: DomainEvent): Transitioned<Programme> =>
  changed(programme, { themes: programme.themes.map((t) => (t.id === theme.id ? theme : t)) }, now, event)

/** Adds a proposed theme (its id is new to the programme). @category transitions */
export const proposeTheme = (
  programme: Programme,
  theme: Theme,
  actor: Actor
): Either.Either<Transitioned<Programme>, InvalidTransition | RuleViolation> =>
  Either.flatMap(inCoDesign(programme), () =>
    Either.flatMap(themeParticipant(programme, actor), () =>
      programme.themes.some((t) => t.id === theme.id)
        ? Either.left(new RuleViolation({ rule: "theme-once", message: `The theme ${theme.id} exists already.`, details: [] }))
        : Either.right(changed(programme, { themes: [...programme.themes, theme] }, theme.proposedAt, {
          _tag: "ThemeProposed",
          programmeId: programme.id,
          themeId: theme.id,
          scope: theme.scope
        }))))

/** The fields of a theme that can be edited; an absent field stays as it is. @category models */
export interface ThemePatch {
  readonly title?: string | undefined
  readonly description?: string | undefined
  readonly scope?: ThemeScope | undefined
  readonly catalogueKey?: string | undefined
  readonly tags?: ReadonlyArray<string> | undefined
}

/** Edits a theme that is not withdrawn; the votes stay. @category transitions */
export const editTheme = (
  programme: Programme,
  themeId: ThemeId,
  patch: ThemePatch,
  actor: Actor,
  now: Date
): Either.Either<Transitioned<Programme>, InvalidTransition | RuleViolation | NotFound> =>
  Either.flatMap(inCoDesign(programme), () =>
    Either.flatMap(themeParticipant(programme, actor), () =>
      Either.map(liveTheme(programme, themeId), (theme) => {
        const description = patch.description ?? theme.description
        const catalogueKey = patch.catalogueKey ?? theme.catalogueKey
        return replaceTheme(
          programme,
          new Theme({
            id: theme.id,
            title: patch.title ?? theme.title,
            scope: patch.scope ?? theme.scope,
            tags: patch.tags ?? theme.tags,
            proposedBy: theme.proposedBy,
            proposedAt: theme.proposedAt,
            votes: theme.votes,
            withdrawn: false,
            ...(description === undefined ? {} : { description }),
            ...(catalogueKey === undefined ? {} : { catalogueKey })
          }),
          now,
          { _tag: "ThemeEdited", programmeId: programme.id, themeId }
        )
      })))

/** Withdraws a theme (with an optional reason): it leaves the ranking and may no longer be planned. @category transitions */
export const withdrawTheme = (
  programme: Programme,
  themeId: ThemeId,
  actor: Actor,
  now: Date,
  reason?: string
): Either.Either<Transitioned<Programme>, InvalidTransition | RuleViolation | NotFound> =>
  Either.flatMap(inCoDesign(programme), () =>
    Either.flatMap(themeParticipant(programme, actor), () =>
      Either.map(liveTheme(programme, themeId), (theme) =>
        replaceTheme(programme, new Theme({ ...theme, withdrawn: true }), now, {
          _tag: "ThemeWithdrawn",
          programmeId: programme.id,
          themeId,
          ...(reason === undefined ? {} : { reason })
        }))))

/**
 * Records a vote on a theme that is not withdrawn, replacing the voter's earlier vote on it. Only
 * core-team members and the coordinator vote (rule `core-team-member`).
 *
 * @category transitions
 */
export const vote = (
  programme: Programme,
  themeId: ThemeId,
  ballot: Vote,
  actor: Actor
): Either.Either<Transitioned<Programme>, InvalidTransition | RuleViolation | NotFound> =>
  Either.flatMap(inCoDesign(programme), () =>
    Either.flatMap(themeParticipant(programme, actor), (voter) =>
      voter !== ballot.voter
        ? Either.left(new RuleViolation({ rule: "own-vote", message: "A vote is cast by the voter themselves.", details: [] }))
        : Either.map(liveTheme(programme, themeId), (theme) =>
          replaceTheme(
            programme,
            new Theme({ ...theme, votes: [...theme.votes.filter((v) => v.voter !== voter), ballot] }),
            ballot.castAt,
            { _tag: "ThemeVoted", programmeId: programme.id, themeId, voter, points: ballot.points }
          ))))

/** Replaces the session plan. Plan item ids must be unique (a `ValidationError` on `items[i].id`). @category transitions */
export const setPlan = (
  programme: Programme,
  plan: ReadonlyArray<PlanItem>,
  now: Date
): Either.Either<Transitioned<Programme>, InvalidTransition | ValidationError> =>
  Either.flatMap(inCoDesign(programme), () => {
    const seen = new Set<string>()
    for (const [i, item] of plan.entries()) {
      if (seen.has(item.id)) return Either.left(invalid(`items[${i}].id`, "unique", `the plan item ${item.id} appears twice`))
      seen.add(item.id)
    }
    return Either.right(changed(programme, { plan }, now, { _tag: "SessionPlanSet", programmeId: programme.id, planItemIds: plan.map((x) => x.id) }))
  })

/**
 * `CoDesign → Planned`, when no blocking plan check fails (else rule `plan-valid`, with every failed
 * blocking check in `details`). The decider of the programme's life, {@link ProgrammeLife.approvePlan}.
 *
 * @category transitions
 */
export const approvePlan = (
  programme: Programme,
  settings: CoDesignSettings,
  now: Date
): Either.Either<Approved, InvalidTransition | RuleViolation> => ProgrammeLife.approvePlan(programme, settings, now)

/** The fields of one plan item as a caller gives them (decoded). @category models */
export interface PlanItemFields {
  readonly role: PlanItem["role"]
  readonly themeId?: ThemeId | undefined
  readonly goal: string
  readonly workForms: ReadonlyArray<WorkForm>
  readonly durationMinutes: number
  readonly agenda: PlanItem["agenda"]
  readonly host?: string | undefined
  readonly administratorsInvited: boolean
  readonly checklist?: ReadonlyArray<ChecklistTask> | undefined
}

/** A plan item from a caller's fields; without a checklist it gets the default one of the settings. @category constructors */
export const planItemOf = (
  id: PlanItem["id"],
  item: PlanItemFields,
  settings: Pick<CoDesignSettings, "defaultChecklist"> = defaultCoDesignSettings
): PlanItem =>
  new PlanItem({
    id,
    role: item.role,
    goal: item.goal,
    workForms: item.workForms,
    durationMinutes: item.durationMinutes,
    agenda: item.agenda,
    administratorsInvited: item.administratorsInvited,
    checklist: item.checklist ?? checklistFor(item.workForms, settings),
    ...(item.themeId === undefined ? {} : { themeId: item.themeId }),
    ...(item.host === undefined ? {} : { host: item.host })
  })
