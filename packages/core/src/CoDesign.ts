/**
 * Co-design of a region's programme: the core team, the goals set beforehand, the themes and the
 * core team's votes on them, the session plan and its approval, and (for the coordinator) shared
 * sessions proposed across regions. The rules are pure functions in {@link CoDesignRules},
 * {@link ThemeRanking}, {@link ThemeMatching} and {@link PlanValidation}; this service does the I/O.
 *
 * @since 0.1.0
 */
import { Context, Effect, Either, Layer, Schema } from "effect"
import type * as Actor from "./Actor.js"
import * as CoDesignRules from "./CoDesignRules.js"
import * as Command from "./Command.js"
import { Line, Paragraph } from "./Common.js"
import type { CommandError, InvalidTransition, RuleViolation } from "./Errors.js"
import * as Events from "./Events.js"
import { IdGenerator, PersonId, PlanItemId, ProgrammeId, ThemeId } from "./Ids.js"
import * as Permissions from "./Permissions.js"
import { Person, PersonInput } from "./Person.js"
import * as PlanValidation from "./PlanValidation.js"
import * as Programme from "./Programme.js"
import type { Versioned } from "./Repository.js"
import { ProgrammeRepository } from "./Repository.js"
import { Settings } from "./Settings.js"
import * as ThemeMatching from "./ThemeMatching.js"
import * as ThemeRanking from "./ThemeRanking.js"
import { decode, invalid } from "./Validation.js"
import { WorkForm } from "./WorkForm.js"

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

/** Input of the reads and of {@link CoDesignService.approvePlan}: the programme. @category inputs */
export const ProgrammeRef = Schema.Struct({ programmeId: ProgrammeId })
/** Input of {@link CoDesignService.addMember}. @category inputs */
export const AddMember = Schema.Struct({ programmeId: ProgrammeId, person: PersonInput })
/** Input of {@link CoDesignService.removeMember}. @category inputs */
export const RemoveMember = Schema.Struct({ programmeId: ProgrammeId, personId: PersonId })

const paragraphs = Schema.optionalWith(Schema.Array(Paragraph).pipe(Schema.maxItems(50)), { default: () => [] })

/** Input of {@link CoDesignService.setGoals}: every list replaces the previous one; an absent list is empty. @category inputs */
export const SetGoals = Schema.Struct({
  programmeId: ProgrammeId,
  intendedResults: paragraphs,
  whoIsNeeded: paragraphs,
  whoCanContribute: paragraphs
})

const tags = Schema.Array(Line).pipe(Schema.maxItems(30))

/** Input of {@link CoDesignService.proposeTheme}. @category inputs */
export const ProposeTheme = Schema.Struct({
  programmeId: ProgrammeId,
  title: Line,
  description: Schema.optional(Paragraph),
  scope: Programme.ThemeScope,
  /** A key of the coordinator's theme catalogue. */
  catalogueKey: Schema.optional(Line),
  tags: Schema.optionalWith(tags, { default: () => [] })
})
/** Input of {@link CoDesignService.editTheme}: the fields given replace the theme's. @category inputs */
export const EditTheme = Schema.Struct({
  programmeId: ProgrammeId,
  themeId: ThemeId,
  title: Schema.optional(Line),
  description: Schema.optional(Paragraph),
  scope: Schema.optional(Programme.ThemeScope),
  catalogueKey: Schema.optional(Line),
  tags: Schema.optional(tags)
})
/** Input of {@link CoDesignService.withdrawTheme}. @category inputs */
export const WithdrawTheme = Schema.Struct({ programmeId: ProgrammeId, themeId: ThemeId, reason: Schema.optional(Paragraph) })
/** Input of {@link CoDesignService.vote}: 0 to 10 points for a theme, cast by the actor. @category inputs */
export const CastVote = Schema.Struct({ programmeId: ProgrammeId, themeId: ThemeId, points: Programme.Vote.fields.points })

/** One session of the plan as callers give it; without a checklist it gets the default one. @category inputs */
export const PlanItemInput = Schema.Struct({
  id: Schema.optional(PlanItemId),
  role: Programme.SessionRole,
  themeId: Schema.optional(ThemeId),
  goal: Paragraph,
  workForms: Schema.Array(WorkForm).pipe(Schema.maxItems(12)),
  durationMinutes: Programme.PlanItem.fields.durationMinutes,
  agenda: Schema.optionalWith(Schema.Array(Programme.AgendaItem).pipe(Schema.maxItems(50)), { default: () => [] }),
  host: Schema.optional(Line),
  administratorsInvited: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  checklist: Schema.optional(Schema.Array(Programme.ChecklistTask).pipe(Schema.maxItems(50)))
})
/** @category inputs */
export type PlanItemInput = typeof PlanItemInput.Encoded

/** Input of {@link CoDesignService.setPlan}: the whole plan, in order. @category inputs */
export const SetPlan = Schema.Struct({
  programmeId: ProgrammeId,
  items: Schema.Array(PlanItemInput).pipe(Schema.maxItems(50))
})

/** Input of {@link CoDesignService.sharedSessions}: the coordinator's theme catalogue (keys unique). @category inputs */
export const ProposeSharedSessions = Schema.Struct({ catalogue: ThemeMatching.ThemeCatalogue })

// ---------------------------------------------------------------------------------------------
// The service
// ---------------------------------------------------------------------------------------------

/** A programme with the version it was read at. @category models */
export type ProgrammeView = Versioned<Programme.Programme>

/** What an approval gives back: the planned programme and the validation it passed (with its warnings). @category models */
export interface ApprovedPlan {
  readonly programme: Programme.Programme
  readonly validation: PlanValidation.PlanValidation
}

/** The co-design service. Every method runs as the {@link Actor.CurrentActor}. @category services */
export interface CoDesignService {
  /** One programme (its region's key persons and organisers, and the coordinator). */
  readonly get: (input: unknown) => Effect.Effect<ProgrammeView, CommandError, Actor.CurrentActor>
  /** The core team, the helix roles it covers, and warnings on its size and missing helices. */
  readonly coreTeam: (input: unknown) => Effect.Effect<CoDesignRules.CoreTeamReport, CommandError, Actor.CurrentActor>
  /** Adds a key person to the core team (at most once: rule `core-team-once`). */
  readonly addMember: (input: unknown) => Effect.Effect<Programme.Programme, CommandError | CoDesign.TransitionError, Actor.CurrentActor>
  /** Removes a key person from the core team, with their votes. */
  readonly removeMember: (input: unknown) => Effect.Effect<Programme.Programme, CommandError | CoDesign.TransitionError, Actor.CurrentActor>
  /** Records the goals set beforehand. */
  readonly setGoals: (input: unknown) => Effect.Effect<Programme.Programme, CommandError | CoDesign.TransitionError, Actor.CurrentActor>
  /** Proposes a theme (core team or coordinator). Returns the new theme. */
  readonly proposeTheme: (input: unknown) => Effect.Effect<Programme.Theme, CommandError | CoDesign.TransitionError, Actor.CurrentActor>
  /** Edits a theme that is not withdrawn (core team or coordinator). */
  readonly editTheme: (input: unknown) => Effect.Effect<Programme.Programme, CommandError | CoDesign.TransitionError, Actor.CurrentActor>
  /** Withdraws a theme (core team or coordinator). */
  readonly withdrawTheme: (input: unknown) => Effect.Effect<Programme.Programme, CommandError | CoDesign.TransitionError, Actor.CurrentActor>
  /** Casts (or replaces) the actor's vote on a theme; core team or coordinator only (rule `core-team-member`). */
  readonly vote: (input: unknown) => Effect.Effect<Programme.Programme, CommandError | CoDesign.TransitionError, Actor.CurrentActor>
  /** The themes ranked by the points sum of the votes (see {@link ThemeRanking}). */
  readonly ranking: (input: unknown) => Effect.Effect<ReadonlyArray<ThemeRanking.RankedTheme>, CommandError, Actor.CurrentActor>
  /** Replaces the session plan; new items get ids, items without a checklist get the default one. */
  readonly setPlan: (input: unknown) => Effect.Effect<Programme.Programme, CommandError | CoDesign.TransitionError, Actor.CurrentActor>
  /** Runs every plan check. */
  readonly validatePlan: (input: unknown) => Effect.Effect<PlanValidation.PlanValidation, CommandError, Actor.CurrentActor>
  /** `CoDesign → Planned` when no blocking check fails (rule `plan-valid`). Coordinator only. */
  readonly approvePlan: (input: unknown) => Effect.Effect<ApprovedPlan, CommandError | CoDesign.TransitionError, Actor.CurrentActor>
  /** Proposes shared cross-regional sessions from every open programme's themes (see {@link ThemeMatching}). Coordinator only. */
  readonly sharedSessions: (input: unknown) => Effect.Effect<ReadonlyArray<ThemeMatching.SharedSessionProposal>, CommandError, Actor.CurrentActor>
}

/** The co-design service tag. @category services */
export class CoDesign extends Context.Tag("@copkit/core/CoDesign")<CoDesign, CoDesignService>() {}

/** @category services */
export declare namespace CoDesign {
  /** The errors of a refused step. */
  export type TransitionError = InvalidTransition | RuleViolation
}

const scopeOf = (p: Programme.Programme): Permissions.Scope => ({ regionIds: [p.regionId] })

/** The ports the co-design service needs. @category models */
export type Dependencies = ProgrammeRepository | Command.Ports

const coDesignSettings = Effect.map(Settings, (s) => s.coDesign ?? CoDesignRules.defaultCoDesignSettings)

/** Builds the co-design service from its ports. @category constructors */
export const make: Effect.Effect<CoDesignService, never, Dependencies> = Effect.gen(function*() {
  const programmes = yield* ProgrammeRepository
  const ids = yield* IdGenerator
  const withPorts = yield* Command.portsOf<Dependencies>()

  const decodeRef = decode(ProgrammeRef)
  const get = (raw: unknown) =>
    Effect.flatMap(decodeRef(raw), (i) => Command.read("programme.read", programmes, i.programmeId, scopeOf))

  const coreTeam = (raw: unknown) =>
    Effect.gen(function*() {
      const found = yield* get(raw)
      return CoDesignRules.coreTeamReport(found.value, yield* coDesignSettings)
    })

  const person = (input: typeof PersonInput.Type) =>
    Effect.map(input.id ? Effect.succeed(input.id) : Effect.map(ids.next("person"), (id) => id as PersonId), (id) =>
      new Person({ ...input, id, language: input.language ?? "nl" }))

  const addMember = Command.update({
    action: "programme.codesign",
    input: AddMember,
    repository: ProgrammeRepository,
    id: (i) => i.programmeId,
    scope: scopeOf,
    apply: (p, i, { now }) =>
      Effect.flatMap(person(i.person), (member) =>
        Either.map(CoDesignRules.addMember(p, member, now), (value) => ({
          value,
          events: [Events.CoreTeamMemberAdded.make({ programmeId: p.id, personId: member.id, helixRole: member.helixRole })]
        })))
  })

  const removeMember = Command.update({
    action: "programme.codesign",
    input: RemoveMember,
    repository: ProgrammeRepository,
    id: (i) => i.programmeId,
    scope: scopeOf,
    apply: (p, i, { now }) =>
      Either.map(CoDesignRules.removeMember(p, i.personId, now), (value) => ({
        value,
        events: [Events.CoreTeamMemberRemoved.make({ programmeId: p.id, personId: i.personId })]
      }))
  })

  const setGoals = Command.update({
    action: "programme.codesign",
    input: SetGoals,
    repository: ProgrammeRepository,
    id: (i) => i.programmeId,
    scope: scopeOf,
    apply: (p, i, { now }) =>
      Either.map(
        CoDesignRules.setGoals(
          p,
          new Programme.Goals({ intendedResults: i.intendedResults, whoIsNeeded: i.whoIsNeeded, whoCanContribute: i.whoCanContribute }),
          now
        ),
        (value) => ({ value, events: [Events.GoalsSet.make({ programmeId: p.id })] })
      )
  })

  const proposeTheme = (raw: unknown) =>
    Effect.map(
      Command.update({
        action: "programme.codesign",
        input: ProposeTheme,
        repository: ProgrammeRepository,
        id: (i) => i.programmeId,
        scope: scopeOf,
        apply: (p, i, { actor, now }) =>
          Effect.gen(function*() {
            const proposer = yield* CoDesignRules.themeParticipant(p, actor)
            const theme = new Programme.Theme({
              id: (yield* ids.next("theme")) as ThemeId,
              title: i.title,
              scope: i.scope,
              tags: i.tags,
              proposedBy: proposer,
              proposedAt: now,
              votes: [],
              withdrawn: false,
              ...(i.description === undefined ? {} : { description: i.description }),
              ...(i.catalogueKey === undefined ? {} : { catalogueKey: i.catalogueKey })
            })
            const value = yield* CoDesignRules.proposeTheme(p, theme, actor)
            return { value, events: [Events.ThemeProposed.make({ programmeId: p.id, themeId: theme.id, scope: theme.scope })] }
          })
      })(raw),
      (p) => p.themes.at(-1)!
    )

  const editTheme = Command.update({
    action: "programme.codesign",
    input: EditTheme,
    repository: ProgrammeRepository,
    id: (i) => i.programmeId,
    scope: scopeOf,
    apply: (p, i, { actor, now }) =>
      Either.map(CoDesignRules.editTheme(p, i.themeId, i, actor, now), (value) => ({
        value,
        events: [Events.ThemeEdited.make({ programmeId: p.id, themeId: i.themeId })]
      }))
  })

  const withdrawTheme = Command.update({
    action: "programme.codesign",
    input: WithdrawTheme,
    repository: ProgrammeRepository,
    id: (i) => i.programmeId,
    scope: scopeOf,
    apply: (p, i, { actor, now }) =>
      Either.map(CoDesignRules.withdrawTheme(p, i.themeId, actor, now), (value) => ({
        value,
        events: [
          Events.ThemeWithdrawn.make({
            programmeId: p.id,
            themeId: i.themeId,
            ...(i.reason === undefined ? {} : { reason: i.reason })
          })
        ]
      }))
  })

  const vote = Command.update({
    action: "programme.codesign",
    input: CastVote,
    repository: ProgrammeRepository,
    id: (i) => i.programmeId,
    scope: scopeOf,
    apply: (p, i, { actor, now }) =>
      Either.flatMap(CoDesignRules.themeParticipant(p, actor), (voter) =>
        Either.map(
          CoDesignRules.vote(p, i.themeId, new Programme.Vote({ voter, points: i.points, castAt: now }), actor),
          (value) => ({
            value,
            events: [Events.ThemeVoted.make({ programmeId: p.id, themeId: i.themeId, voter, points: i.points })]
          })
        ))
  })

  const ranking = (raw: unknown) => Effect.map(get(raw), (found) => ThemeRanking.rank(found.value.themes))

  const setPlan = Command.update({
    action: "programme.codesign",
    input: SetPlan,
    repository: ProgrammeRepository,
    id: (i) => i.programmeId,
    scope: scopeOf,
    apply: (p, i, { now }) =>
      Effect.gen(function*() {
        const settings = yield* coDesignSettings
        const plan = yield* Effect.forEach(i.items, (item) =>
          Effect.map(item.id ? Effect.succeed(item.id) : Effect.map(ids.next("planItem"), (id) => id as PlanItemId), (id) =>
            new Programme.PlanItem({
              id,
              role: item.role,
              goal: item.goal,
              workForms: item.workForms,
              durationMinutes: item.durationMinutes,
              agenda: item.agenda,
              administratorsInvited: item.administratorsInvited,
              checklist: item.checklist ?? CoDesignRules.checklistFor(item.workForms, settings),
              ...(item.themeId === undefined ? {} : { themeId: item.themeId }),
              ...(item.host === undefined ? {} : { host: item.host })
            })))
        const value = yield* CoDesignRules.setPlan(p, plan, now)
        return { value, events: [Events.SessionPlanSet.make({ programmeId: p.id, planItemIds: plan.map((x) => x.id) })] }
      })
  })

  const validatePlan = (raw: unknown) =>
    Effect.gen(function*() {
      const found = yield* get(raw)
      return PlanValidation.validate(found.value, yield* coDesignSettings)
    })

  const approvePlan = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeRef(raw)
      const current = yield* Command.read("programme.approvePlan", programmes, input.programmeId, scopeOf)
      const settings = yield* coDesignSettings
      const at = yield* Command.now
      const approved = yield* CoDesignRules.approvePlan(current.value, settings, at)
      yield* Command.commit([
        Command.change(programmes, approved.programme, current.version, [
          Events.SessionPlanApproved.make({
            programmeId: approved.programme.id,
            planItemIds: approved.programme.plan.map((x) => x.id),
            warnings: approved.validation.failed.map((c) => c.name)
          })
        ])
      ])
      return approved
    })

  const decodeShared = decode(ProposeSharedSessions)
  const sharedSessions = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeShared(raw)
      yield* Permissions.authorizeAny("network.coordinate")
      const seen = new Set<string>()
      for (const [i, entry] of input.catalogue.entries.entries()) {
        if (seen.has(entry.key)) {
          return yield* Effect.fail(invalid(`catalogue.entries[${i}].key`, "unique", `the key ${entry.key} appears twice`))
        }
        seen.add(entry.key)
      }
      const settings = yield* coDesignSettings
      const open = yield* programmes.list({ state: ThemeMatching.matchedStates })
      return ThemeMatching.proposeSharedSessions(open.map((v) => v.value), input.catalogue, {
        minSharedTags: settings.minSharedTags,
        minRegions: settings.minRegionsPerSharedSession
      })
    })

  return CoDesign.of({
    get: withPorts(get),
    coreTeam: withPorts(coreTeam),
    addMember: withPorts(addMember),
    removeMember: withPorts(removeMember),
    setGoals: withPorts(setGoals),
    proposeTheme: withPorts(proposeTheme),
    editTheme: withPorts(editTheme),
    withdrawTheme: withPorts(withdrawTheme),
    vote: withPorts(vote),
    ranking: withPorts(ranking),
    setPlan: withPorts(setPlan),
    validatePlan: withPorts(validatePlan),
    approvePlan: withPorts(approvePlan),
    sharedSessions: withPorts(sharedSessions)
  })
})

/** The co-design service, built from the ports in the context. @category layers */
export const layer: Layer.Layer<CoDesign, never, Dependencies> = Layer.effect(CoDesign, make)
