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
  /**
   * One programme (its region's key persons and organisers, and the coordinator).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, CoDesign } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const coDesign = yield* CoDesign.CoDesign
   *   const { value: programme, version } = yield* coDesign.get({ programmeId: "prg_twente" })
   *   console.log(programme.state, programme.themes.length, version)
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly get: (input: typeof ProgrammeRef.Encoded) => Effect.Effect<ProgrammeView, CommandError, Actor.CurrentActor>
  /**
   * The core team, the helix roles it covers, and warnings on its size and missing helices.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, CoDesign } from "@copkit/core"
   *
   * const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke-jansen" })
   *
   * const program = Effect.gen(function*() {
   *   const coDesign = yield* CoDesign.CoDesign
   *   const team = yield* coDesign.coreTeam({ programmeId: "prg_twente" })
   *   console.log(team.size, team.covered) // 3 ["Government", "Entrepreneur", "Intermediary"]
   * }).pipe(Actor.as(coordinator))
   * ```
   */
  readonly coreTeam: (input: typeof ProgrammeRef.Encoded) => Effect.Effect<CoDesignRules.CoreTeamReport, CommandError, Actor.CurrentActor>
  /**
   * Adds a key person to the core team (at most once: rule `core-team-once`).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, CoDesign } from "@copkit/core"
   *
   * const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke-jansen" })
   *
   * const program = Effect.gen(function*() {
   *   const coDesign = yield* CoDesign.CoDesign
   *   yield* coDesign.addMember({
   *     programmeId: "prg_twente",
   *     person: { name: "Lotte de Boer", email: "l.deboer@saxion.example.nl", organisation: "Saxion", helixRole: "Knowledge" }
   *   })
   * }).pipe(Actor.as(coordinator))
   * ```
   */
  readonly addMember: (input: typeof AddMember.Encoded) => Effect.Effect<Programme.Programme, CommandError | CoDesign.TransitionError, Actor.CurrentActor>
  /**
   * Removes a key person from the core team, with their votes.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, CoDesign } from "@copkit/core"
   *
   * const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke-jansen" })
   *
   * const program = Effect.gen(function*() {
   *   const coDesign = yield* CoDesign.CoDesign
   *   yield* coDesign.removeMember({ programmeId: "prg_twente", personId: "per_lotte-de-boer" })
   * }).pipe(Actor.as(coordinator))
   * ```
   */
  readonly removeMember: (input: typeof RemoveMember.Encoded) => Effect.Effect<Programme.Programme, CommandError | CoDesign.TransitionError, Actor.CurrentActor>
  /**
   * Records the goals set beforehand.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, CoDesign } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const coDesign = yield* CoDesign.CoDesign
   *   yield* coDesign.setGoals({
   *     programmeId: "prg_twente",
   *     intendedResults: ["Twintig maakbedrijven hebben een verduurzamingsplan.", "Een regionaal loket voor energievragen."],
   *     whoIsNeeded: ["Ondernemers uit de maakindustrie", "De netbeheerder"],
   *     whoCanContribute: ["KvK Oost", "Saxion lectoraat Duurzame Energie"]
   *   })
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly setGoals: (input: typeof SetGoals.Encoded) => Effect.Effect<Programme.Programme, CommandError | CoDesign.TransitionError, Actor.CurrentActor>
  /**
   * Proposes a theme (core team or coordinator). Returns the new theme.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, CoDesign } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const coDesign = yield* CoDesign.CoDesign
   *   const theme = yield* coDesign.proposeTheme({
   *     programmeId: "prg_twente",
   *     title: "Netcongestie en energiedelen op bedrijventerreinen",
   *     description: "Hoe delen bedrijven op één terrein hun netcapaciteit?",
   *     scope: "CrossRegional",
   *     catalogueKey: "energie",
   *     tags: ["netcongestie", "energiehub"]
   *   })
   *   console.log(theme.id)
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly proposeTheme: (input: typeof ProposeTheme.Encoded) => Effect.Effect<Programme.Theme, CommandError | CoDesign.TransitionError, Actor.CurrentActor>
  /**
   * Edits a theme that is not withdrawn (core team or coordinator).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, CoDesign } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const coDesign = yield* CoDesign.CoDesign
   *   yield* coDesign.editTheme({ programmeId: "prg_twente", themeId: "thm_netcongestie", scope: "Regional", tags: ["energiehub"] })
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly editTheme: (input: typeof EditTheme.Encoded) => Effect.Effect<Programme.Programme, CommandError | CoDesign.TransitionError, Actor.CurrentActor>
  /**
   * Withdraws a theme (core team or coordinator).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, CoDesign } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const coDesign = yield* CoDesign.CoDesign
   *   yield* coDesign.withdrawTheme({
   *     programmeId: "prg_twente",
   *     themeId: "thm_netcongestie",
   *     reason: "Wordt al opgepakt in het programma van de provincie."
   *   })
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly withdrawTheme: (input: typeof WithdrawTheme.Encoded) => Effect.Effect<Programme.Programme, CommandError | CoDesign.TransitionError, Actor.CurrentActor>
  /**
   * Casts (or replaces) the actor's vote on a theme; core team or coordinator only (rule `core-team-member`).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, CoDesign } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const coDesign = yield* CoDesign.CoDesign
   *   yield* coDesign.vote({ programmeId: "prg_twente", themeId: "thm_netcongestie", points: 8 })
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly vote: (input: typeof CastVote.Encoded) => Effect.Effect<Programme.Programme, CommandError | CoDesign.TransitionError, Actor.CurrentActor>
  /**
   * The themes ranked by the points sum of the votes (see {@link ThemeRanking}).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, CoDesign } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const coDesign = yield* CoDesign.CoDesign
   *   const ranking = yield* coDesign.ranking({ programmeId: "prg_twente" })
   *   for (const theme of ranking) console.log(theme.rank, theme.title, theme.scope)
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly ranking: (input: typeof ProgrammeRef.Encoded) => Effect.Effect<ReadonlyArray<ThemeRanking.RankedTheme>, CommandError, Actor.CurrentActor>
  /**
   * Replaces the session plan; new items get ids, items without a checklist get the default one.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, CoDesign } from "@copkit/core"
   *
   * const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke-jansen" })
   *
   * const program = Effect.gen(function*() {
   *   const coDesign = yield* CoDesign.CoDesign
   *   yield* coDesign.setPlan({
   *     programmeId: "prg_twente",
   *     items: [
   *       {
   *         role: "KickOff",
   *         goal: "Kennismaken en de opgave van de regio scherp krijgen.",
   *         workForms: ["GuestExpert", "InteractiveForm"],
   *         durationMinutes: 180,
   *         host: "Mulder Metaal",
   *         administratorsInvited: true
   *       },
   *       {
   *         role: "Regular",
   *         themeId: "thm_netcongestie",
   *         goal: "Leren van een energiehub die al werkt.",
   *         workForms: ["ProjectVisit", "Intervision"],
   *         durationMinutes: 210,
   *         agenda: [
   *           { title: "Nieuws van de dag", minutes: 15 },
   *           { title: "Rondleiding energiehub", minutes: 90, workForm: "ProjectVisit" },
   *           { title: "Intervisie op een casus", minutes: 60, workForm: "Intervision" }
   *         ]
   *       },
   *       {
   *         role: "Closing",
   *         goal: "Vervolgafspraken maken: wie doet wat.",
   *         workForms: ["Simulation", "PracticeExample"],
   *         durationMinutes: 180,
   *         administratorsInvited: true
   *       }
   *     ]
   *   })
   * }).pipe(Actor.as(coordinator))
   * ```
   */
  readonly setPlan: (input: typeof SetPlan.Encoded) => Effect.Effect<Programme.Programme, CommandError | CoDesign.TransitionError, Actor.CurrentActor>
  /**
   * Runs every plan check.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, CoDesign } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const coDesign = yield* CoDesign.CoDesign
   *   const validation = yield* coDesign.validatePlan({ programmeId: "prg_twente" })
   *   if (!validation.valid) console.log(validation.checks.filter((check) => !check.passed))
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly validatePlan: (input: typeof ProgrammeRef.Encoded) => Effect.Effect<PlanValidation.PlanValidation, CommandError, Actor.CurrentActor>
  /**
   * `CoDesign → Planned` when no blocking check fails (rule `plan-valid`; check `goals-set` refuses a plan without goals). Coordinator only.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, CoDesign } from "@copkit/core"
   *
   * const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke-jansen" })
   *
   * const program = Effect.gen(function*() {
   *   const coDesign = yield* CoDesign.CoDesign
   *   const { programme, validation } = yield* coDesign.approvePlan({ programmeId: "prg_twente" })
   *   console.log(programme.state, validation.valid) // "Planned" true
   * }).pipe(Actor.as(coordinator))
   * ```
   */
  readonly approvePlan: (input: typeof ProgrammeRef.Encoded) => Effect.Effect<ApprovedPlan, CommandError | CoDesign.TransitionError, Actor.CurrentActor>
  /**
   * Proposes shared cross-regional sessions from every open programme's themes (see {@link ThemeMatching}). Coordinator only.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, CoDesign } from "@copkit/core"
   *
   * const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke-jansen" })
   *
   * const program = Effect.gen(function*() {
   *   const coDesign = yield* CoDesign.CoDesign
   *   const proposals = yield* coDesign.sharedSessions({
   *     catalogue: {
   *       entries: [
   *         { key: "energie", title: "Energie en netcongestie", tags: ["netcongestie", "energiehub"] },
   *         { key: "arbeidsmarkt", title: "Personeel en vakmanschap", related: ["digitalisering"] },
   *         { key: "digitalisering", title: "Digitalisering in het mkb" }
   *       ]
   *     }
   *   })
   *   for (const proposal of proposals) console.log(proposal.title, proposal.regionIds)
   * }).pipe(Actor.as(coordinator))
   * ```
   */
  readonly sharedSessions: (input: typeof ProposeSharedSessions.Encoded) => Effect.Effect<ReadonlyArray<ThemeMatching.SharedSessionProposal>, CommandError, Actor.CurrentActor>
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
  const method = yield* Command.methods<Dependencies>("CoDesign")

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

  /** A co-design step: the right `programme.codesign` on the programme's region, then the decider. */
  const step = <I extends { readonly programmeId: ProgrammeId }, IE, E, R>(
    input: Schema.Schema<I, IE, never>,
    apply: Parameters<typeof Command.update<I, IE, Programme.Programme, E, R>>[0]["apply"]
  ) =>
    Command.update({ action: "programme.codesign", input, repository: ProgrammeRepository, id: (i) => i.programmeId, scope: scopeOf, apply })

  const addMember = step(AddMember, (p, i, { now }) =>
    Effect.flatMap(person(i.person), (member) => CoDesignRules.addMember(p, member, now)))

  const removeMember = step(RemoveMember, (p, i, { now }) => CoDesignRules.removeMember(p, i.personId, now))

  const setGoals = step(SetGoals, (p, i, { now }) =>
    CoDesignRules.setGoals(
      p,
      new Programme.Goals({ intendedResults: i.intendedResults, whoIsNeeded: i.whoIsNeeded, whoCanContribute: i.whoCanContribute }),
      now
    ))

  const proposeTheme = (raw: unknown) =>
    Effect.map(
      step(ProposeTheme, (p, i, { actor, now }) =>
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
          return yield* CoDesignRules.proposeTheme(p, theme, actor)
        }))(raw),
      (p) => p.themes.at(-1)!
    )

  const editTheme = step(EditTheme, (p, i, { actor, now }) => CoDesignRules.editTheme(p, i.themeId, i, actor, now))

  const withdrawTheme = step(WithdrawTheme, (p, i, { actor, now }) => CoDesignRules.withdrawTheme(p, i.themeId, actor, now, i.reason))

  const vote = step(CastVote, (p, i, { actor, now }) =>
    Either.flatMap(CoDesignRules.themeParticipant(p, actor), (voter) =>
      CoDesignRules.vote(p, i.themeId, new Programme.Vote({ voter, points: i.points, castAt: now }), actor)))

  const ranking = (raw: unknown) => Effect.map(get(raw), (found) => ThemeRanking.rank(found.value.themes))

  const setPlan = step(SetPlan, (p, i, { now }) =>
    Effect.gen(function*() {
      const settings = yield* coDesignSettings
      const plan = yield* Effect.forEach(i.items, (item) =>
        Effect.map(item.id ? Effect.succeed(item.id) : Effect.map(ids.next("planItem"), (id) => id as PlanItemId), (id) =>
          CoDesignRules.planItemOf(id, item, settings)))
      return yield* CoDesignRules.setPlan(p, plan, now)
    }))

  const validatePlan = (raw: unknown) =>
    Effect.gen(function*() {
      const found = yield* get(raw)
      return PlanValidation.validate(found.value, yield* coDesignSettings)
    })

  const approvePlan = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeRef(raw)
      const current = yield* Command.read("programme.approvePlan", programmes, input.programmeId, scopeOf)
      const approved = yield* CoDesignRules.approvePlan(current.value, yield* coDesignSettings, yield* Command.now)
      yield* Command.commit([Command.change(programmes, approved.value, current.version, approved.events)])
      return { programme: approved.value, validation: approved.validation }
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
    get: method("get", get),
    coreTeam: method("coreTeam", coreTeam),
    addMember: method("addMember", addMember),
    removeMember: method("removeMember", removeMember),
    setGoals: method("setGoals", setGoals),
    proposeTheme: method("proposeTheme", proposeTheme),
    editTheme: method("editTheme", editTheme),
    withdrawTheme: method("withdrawTheme", withdrawTheme),
    vote: method("vote", vote),
    ranking: method("ranking", ranking),
    setPlan: method("setPlan", setPlan),
    validatePlan: method("validatePlan", validatePlan),
    approvePlan: method("approvePlan", approvePlan),
    sharedSessions: method("sharedSessions", sharedSessions)
  })
})

/** The co-design service, built from the ports in the context. @category layers */
export const layer: Layer.Layer<CoDesign, never, Dependencies> = Layer.effect(CoDesign, make)
