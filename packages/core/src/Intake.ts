/**
 * The intake of regions: a region applies, the coordinator explores and assesses, and decides.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Schema } from "effect"
import * as Actor from "./Actor.js"
import type { Readiness } from "./Application.js"
import * as Application from "./Application.js"
import * as Command from "./Command.js"
import { Instant, Line, Paragraph } from "./Common.js"
import type { CommandError } from "./Errors.js"
import { RuleViolation } from "./Errors.js"
import { ApplicationId, IdGenerator, PersonId, ProgrammeId, RegionId, RoundId } from "./Ids.js"
import * as IntakeRound from "./IntakeRound.js"
import * as Permissions from "./Permissions.js"
import { Person, PersonInput } from "./Person.js"
import * as Programme from "./Programme.js"
import { Region } from "./Region.js"
import type { Versioned } from "./Repository.js"
import { ApplicationRepository, get as getVersioned, IntakeRoundRepository, ProgrammeRepository } from "./Repository.js"
import { trusted } from "./internal/schemaClass.js"
import { Settings } from "./Settings.js"
import { decode } from "./Validation.js"

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

/** The commitments as a caller gives them; unmentioned ones are not (yet) confirmed. @category inputs */
export const CommitmentsInput = Schema.Struct({
  venue: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  catering: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  participantSelection: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  activeParticipation: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  followUp: Schema.optionalWith(Schema.Boolean, { default: () => false })
})

/** What a region writes in its application. @category inputs */
export const ApplicationContentInput = Schema.Struct({
  region: Schema.Struct(Region.fields),
  contact: PersonInput,
  motivation: Paragraph,
  urgency: Paragraph,
  administrators: Schema.optionalWith(Schema.Array(PersonInput).pipe(Schema.maxItems(20)), { default: () => [] }),
  entrepreneurs: Schema.optionalWith(Schema.Array(PersonInput).pipe(Schema.maxItems(50)), { default: () => [] }),
  entrepreneurInvolvement: Schema.optional(Paragraph),
  keyPersons: Schema.Array(PersonInput).pipe(Schema.maxItems(12)),
  commitments: Schema.optionalWith(CommitmentsInput, { default: () => CommitmentsInput.make({}) })
})
/** @category inputs */
export type ApplicationContentInput = typeof ApplicationContentInput.Encoded

/** Input of {@link IntakeService.create}: the content, and the intake round it applies in, if any. @category inputs */
export const CreateApplication = Schema.Struct({
  ...ApplicationContentInput.fields,
  /** An open intake round (see `IntakeRounds`); the application is compared within it. */
  roundId: Schema.optional(RoundId)
})
/** Input of {@link IntakeService.update}. @category inputs */
export const UpdateApplication = Schema.Struct({ applicationId: ApplicationId, ...ApplicationContentInput.fields })
/** Input of the steps that name only the application. @category inputs */
export const ApplicationRef = Schema.Struct({ applicationId: ApplicationId })
/** Input of {@link IntakeService.scheduleExploration}. @category inputs */
export const ScheduleExploration = Schema.Struct({
  applicationId: ApplicationId,
  at: Instant,
  location: Schema.optional(Line),
  note: Schema.optional(Paragraph),
  /** How long the conversation takes, 15 to 480 minutes (default 90). */
  durationMinutes: Schema.optional(Schema.Int.pipe(Schema.between(15, 480)))
})
/** Input of {@link IntakeService.assess}. @category inputs */
export const Assess = Schema.Struct({
  applicationId: ApplicationId,
  criterion: Application.Criterion,
  score: Application.Score,
  note: Paragraph
})
/** Input of {@link IntakeService.accept}, {@link IntakeService.decline} and {@link IntakeService.withdraw}. @category inputs */
export const Decide = Schema.Struct({ applicationId: ApplicationId, reason: Paragraph })
/** Input of {@link IntakeService.accept}: the decision's reason, and the reason to accept beyond the round's capacity. @category inputs */
export const Accept = Schema.Struct({
  ...Decide.fields,
  /** Needed when the application's round is full (rule `round-capacity`); kept in the event. */
  overrideCapacity: Schema.optional(Paragraph)
})
/** Input of {@link IntakeService.list}. @category inputs */
export const ListApplications = Schema.Struct({
  state: Schema.optional(Schema.Union(Application.ApplicationState, Schema.Array(Application.ApplicationState))),
  regionId: Schema.optional(RegionId),
  limit: Schema.optional(Schema.Int.pipe(Schema.between(1, 1000))),
  offset: Schema.optional(Schema.Int.pipe(Schema.nonNegative()))
})

// ---------------------------------------------------------------------------------------------
// The service
// ---------------------------------------------------------------------------------------------

/** An application with the version it was read at. @category models */
export type ApplicationView = Versioned<Application.Application>

/** The intake service. Every method runs as the {@link Actor.CurrentActor}. @category services */
export interface IntakeService {
  /**
   * Creates a draft application for a region (its key persons or organisers, or the coordinator).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Intake } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const intake = yield* Intake.Intake
   *   const draft = yield* intake.create({
   *     region: { id: "twente", name: "Twente", provinces: ["Overijssel"], municipalities: ["Enschede", "Hengelo", "Almelo"] },
   *     contact: { name: "Jan Bakker", email: "jan.bakker@example.nl", organisation: "Regio Twente", helixRole: "Government" },
   *     motivation: "Veel maakbedrijven willen verduurzamen maar weten niet waar ze moeten beginnen.",
   *     urgency: "De netcongestie remt groei; mkb'ers hebben nu ondersteuning nodig.",
   *     entrepreneurs: [{ name: "Eva Mulder", email: "eva@mulder-metaal.example.nl", organisation: "Mulder Metaal", helixRole: "Entrepreneur" }],
   *     keyPersons: [
   *       { name: "Jan Bakker", email: "jan.bakker@example.nl", organisation: "Regio Twente", helixRole: "Government" },
   *       { name: "Eva Mulder", email: "eva@mulder-metaal.example.nl", organisation: "Mulder Metaal", helixRole: "Entrepreneur" },
   *       { name: "Ahmed Yilmaz", email: "a.yilmaz@kvk.example.nl", organisation: "KvK Oost", helixRole: "Intermediary" }
   *     ],
   *     commitments: { venue: true, catering: true, participantSelection: true }
   *   })
   *   console.log(draft.id, draft.state) // "app_…" "Draft"
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly create: (input: typeof CreateApplication.Encoded) => Effect.Effect<Application.Application, CommandError | RuleViolation, Actor.CurrentActor>
  /**
   * Replaces the region's content while the application is a draft or submitted.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Intake } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const intake = yield* Intake.Intake
   *   yield* intake.update({
   *     applicationId: "app_twente",
   *     region: { id: "twente", name: "Twente", provinces: ["Overijssel"], municipalities: ["Enschede", "Hengelo"] },
   *     contact: { name: "Jan Bakker", email: "jan.bakker@example.nl", helixRole: "Government" },
   *     motivation: "Maakbedrijven willen samen verduurzamen.",
   *     urgency: "Netcongestie remt de groei van het mkb.",
   *     keyPersons: [{ name: "Eva Mulder", email: "eva@mulder-metaal.example.nl", helixRole: "Entrepreneur" }]
   *   })
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly update: (input: typeof UpdateApplication.Encoded) => Effect.Effect<Application.Application, CommandError | Intake.TransitionError, Actor.CurrentActor>
  /**
   * `Draft → Submitted`.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Intake } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const intake = yield* Intake.Intake
   *   const submitted = yield* intake.submit({ applicationId: "app_twente" })
   *   console.log(submitted.state) // "Submitted"
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly submit: (input: typeof ApplicationRef.Encoded) => Effect.Effect<Application.Application, CommandError | Intake.TransitionError, Actor.CurrentActor>
  /**
   * Schedules (or moves) the exploratory conversation: `Submitted → Exploring`. Coordinator only.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Intake } from "@copkit/core"
   *
   * const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke-jansen" })
   *
   * const program = Effect.gen(function*() {
   *   const intake = yield* Intake.Intake
   *   yield* intake.scheduleExploration({
   *     applicationId: "app_twente",
   *     at: "2027-02-09T14:00:00+01:00",
   *     location: "Gemeentehuis Hengelo",
   *     note: "Verkenningsgesprek met de sleutelpersonen"
   *   })
   * }).pipe(Actor.as(coordinator))
   * ```
   */
  readonly scheduleExploration: (input: typeof ScheduleExploration.Encoded) => Effect.Effect<Application.Application, CommandError | Intake.TransitionError, Actor.CurrentActor>
  /**
   * Scores one criterion 1-5 with a note. Coordinator only.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Intake } from "@copkit/core"
   *
   * const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke-jansen" })
   *
   * const program = Effect.gen(function*() {
   *   const intake = yield* Intake.Intake
   *   yield* intake.assess({
   *     applicationId: "app_twente",
   *     criterion: "EnergyAndEnthusiasm",
   *     score: 5,
   *     note: "Drie ondernemers trekken actief mee; de wethouder opent de kick-off."
   *   })
   * }).pipe(Actor.as(coordinator))
   * ```
   */
  readonly assess: (input: typeof Assess.Encoded) => Effect.Effect<Application.Application, CommandError | Intake.TransitionError, Actor.CurrentActor>
  /**
   * The readiness summary: what is missing, and whether anything blocks.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Intake } from "@copkit/core"
   *
   * const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke-jansen" })
   *
   * const program = Effect.gen(function*() {
   *   const intake = yield* Intake.Intake
   *   const readiness = yield* intake.readiness({ applicationId: "app_twente" })
   *   if (!readiness.ready) console.log(readiness.findings)
   * }).pipe(Actor.as(coordinator))
   * ```
   */
  readonly readiness: (input: typeof ApplicationRef.Encoded) => Effect.Effect<Readiness, CommandError, Actor.CurrentActor>
  /**
   * `Exploring → Accepted`, creating the region's programme in `CoDesign`. Coordinator only.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Intake } from "@copkit/core"
   *
   * const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke-jansen" })
   *
   * const program = Effect.gen(function*() {
   *   const intake = yield* Intake.Intake
   *   const { application, programme } = yield* intake.accept({
   *     applicationId: "app_twente",
   *     reason: "Veel energie bij ondernemers en een wethouder die het draagt."
   *   })
   *   console.log(application.state, programme.state) // "Accepted" "CoDesign"
   * }).pipe(Actor.as(coordinator))
   * ```
   */
  readonly accept: (input: typeof Accept.Encoded) => Effect.Effect<{ readonly application: Application.Application; readonly programme: Programme.Programme }, CommandError | Intake.TransitionError, Actor.CurrentActor>
  /**
   * `Submitted | Exploring → Declined` with a reason. Coordinator only.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Intake } from "@copkit/core"
   *
   * const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke-jansen" })
   *
   * const program = Effect.gen(function*() {
   *   const intake = yield* Intake.Intake
   *   yield* intake.decline({
   *     applicationId: "app_achterhoek",
   *     reason: "Nog geen ondernemers betrokken; we nodigen de regio uit voor de volgende ronde."
   *   })
   * }).pipe(Actor.as(coordinator))
   * ```
   */
  readonly decline: (input: typeof Decide.Encoded) => Effect.Effect<Application.Application, CommandError | Intake.TransitionError, Actor.CurrentActor>
  /**
   * Any open state `→ Withdrawn`, by the region or the coordinator.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Intake } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const intake = yield* Intake.Intake
   *   yield* intake.withdraw({ applicationId: "app_twente", reason: "De regio sluit dit jaar aan bij een ander programma." })
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly withdraw: (input: typeof Decide.Encoded) => Effect.Effect<Application.Application, CommandError | Intake.TransitionError, Actor.CurrentActor>
  /**
   * One application.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Intake } from "@copkit/core"
   *
   * const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke-jansen" })
   *
   * const program = Effect.gen(function*() {
   *   const intake = yield* Intake.Intake
   *   const { value: application, version } = yield* intake.get({ applicationId: "app_twente" })
   *   console.log(application.region.name, application.state, version)
   * }).pipe(Actor.as(coordinator))
   * ```
   */
  readonly get: (input: typeof ApplicationRef.Encoded) => Effect.Effect<ApplicationView, CommandError, Actor.CurrentActor>
  /**
   * The applications the actor may see, filtered by state and region.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Intake } from "@copkit/core"
   *
   * const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke-jansen" })
   *
   * const program = Effect.gen(function*() {
   *   const intake = yield* Intake.Intake
   *   const open = yield* intake.list({ state: ["Submitted", "Exploring"], limit: 50 })
   *   for (const { value } of open) console.log(value.region.name, value.state)
   * }).pipe(Actor.as(coordinator))
   * ```
   */
  readonly list: (input?: typeof ListApplications.Encoded) => Effect.Effect<ReadonlyArray<ApplicationView>, CommandError, Actor.CurrentActor>
}

/** The intake service tag. @category services */
export class Intake extends Context.Tag("@copkit/core/Intake")<Intake, IntakeService>() {}

/** @category services */
export declare namespace Intake {
  /** The errors of a refused step. */
  export type TransitionError = import("./Errors.js").InvalidTransition | RuleViolation
}

const scopeOf = (a: Application.Application): Permissions.Scope => ({ regionIds: [a.region.id] })

const actorPersonId = (actor: Actor.Actor): PersonId =>
  Actor.personOf(actor) ?? (`system:${actor._tag === "System" ? actor.name : "unknown"}` as PersonId)

/** The ports the intake service needs. @category models */
export type Dependencies = ApplicationRepository | ProgrammeRepository | IntakeRoundRepository | Command.Ports

/** Builds the intake service from its ports. @category constructors */
export const make: Effect.Effect<IntakeService, never, Dependencies> = Effect.gen(function*() {
  const applications = yield* ApplicationRepository
  const programmes = yield* ProgrammeRepository
  const rounds = yield* IntakeRoundRepository
  const ids = yield* IdGenerator
  const method = yield* Command.methods<Dependencies>("Intake")

  const person = (input: typeof PersonInput.Type) =>
    Effect.map(input.id ? Effect.succeed(input.id) : Effect.map(ids.next("person"), (id) => id as PersonId), (id) =>
      new Person({ ...input, id, language: input.language ?? "nl" }, trusted))

  // a chain of flatMaps rather than a generator (create runs it on every call); the persons' ids
  // are minted in the same order: the key persons, then the contact, administrators, entrepreneurs
  const content = (input: typeof ApplicationContentInput.Type) =>
    Effect.flatMap(Effect.forEach(input.keyPersons, person), (keyPersons) => {
      const seen = new Set<string>()
      for (const p of keyPersons) {
        if (seen.has(p.id)) {
          return Effect.fail(new RuleViolation({
            rule: "key-person-once",
            message: `The key person ${p.id} is named twice.`,
            details: []
          }))
        }
        seen.add(p.id)
      }
      return Effect.map(Effect.forEach([input.contact, ...input.administrators, ...input.entrepreneurs], person), (others) => ({
        region: new Region(input.region, trusted),
        contact: others[0]!,
        motivation: input.motivation,
        urgency: input.urgency,
        administrators: others.slice(1, 1 + input.administrators.length),
        entrepreneurs: others.slice(1 + input.administrators.length),
        keyPersons,
        commitments: new Application.Commitments(input.commitments, trusted),
        ...(input.entrepreneurInvolvement === undefined ? {} : { entrepreneurInvolvement: input.entrepreneurInvolvement })
      }))
    })

  const decodeCreate = decode(CreateApplication)
  // a chain of flatMaps rather than a generator: this runs on every application
  const create = (raw: unknown) =>
    Effect.flatMap(decodeCreate(raw), (input) =>
      Effect.zipRight(
        Permissions.authorize("application.create", { regionIds: [input.region.id] }),
        Effect.flatMap(content(input), (fields) =>
          Effect.flatMap(Command.now, (at) => {
            const save = Effect.flatMap(ids.next("application"), (id) => {
              const created = Application.create(id as ApplicationId, fields, at)
              const value = input.roundId === undefined ? created.value : new Application.Application({ ...created.value, roundId: input.roundId })
              return Effect.as(Command.commit([Command.change(applications, value, 0, created.events)]), value)
            })
            return input.roundId === undefined
              ? save
              : Effect.zipRight(Effect.flatMap(getVersioned(rounds, input.roundId), (round) => IntakeRound.checkJoin(round.value, at)), save)
          }))
      ))

  const decodeUpdate = decode(UpdateApplication)
  const update = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeUpdate(raw)
      yield* Permissions.authorizeAny("application.update")
      const current = yield* Command.read("application.update", applications, input.applicationId, scopeOf)
      const fields = yield* content(input)
      const next = yield* Application.update(current.value, fields, yield* Command.now)
      yield* Command.commit([Command.change(applications, next.value, current.version, next.events)])
      return next.value
    })

  const submit = Command.update({
    action: "application.submit",
    input: ApplicationRef,
    repository: ApplicationRepository,
    id: (i) => i.applicationId,
    scope: scopeOf,
    apply: (a, _i, { now }) => Application.submit(a, now)
  })

  const scheduleExploration = Command.update({
    action: "application.scheduleExploration",
    input: ScheduleExploration,
    repository: ApplicationRepository,
    id: (i) => i.applicationId,
    scope: scopeOf,
    apply: (a, i, { now }) =>
      Application.scheduleExploration(
        a,
        new Application.Exploration({
          at: i.at,
          ...(i.location === undefined ? {} : { location: i.location }),
          ...(i.note === undefined ? {} : { note: i.note }),
          ...(i.durationMinutes === undefined ? {} : { durationMinutes: i.durationMinutes })
        }),
        now
      )
  })

  const assess = Command.update({
    action: "application.assess",
    input: Assess,
    repository: ApplicationRepository,
    id: (i) => i.applicationId,
    scope: scopeOf,
    apply: (a, i, { actor, now }) =>
      Application.assess(
        a,
        new Application.CriterionAssessment({
          criterion: i.criterion,
          score: i.score,
          note: i.note,
          assessedBy: actorPersonId(actor),
          assessedAt: now
        }, trusted)
      )
  })

  const decodeRef = decode(ApplicationRef)
  const get = (raw: unknown) =>
    Effect.flatMap(decodeRef(raw), (i) => Command.read("application.read", applications, i.applicationId, scopeOf))

  const readiness = (raw: unknown) =>
    Effect.gen(function*() {
      const found = yield* get(raw)
      const settings = yield* Settings
      return Application.readiness(found.value, settings.readiness)
    })

  const decodeAccept = decode(Accept)
  const accept = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeAccept(raw)
      const actor = yield* Permissions.authorizeAny("application.decide")
      const current = yield* Command.read("application.decide", applications, input.applicationId, scopeOf)
      const at = yield* Command.now
      let override: string | undefined
      if (current.value.roundId !== undefined) {
        // the round's capacity: beyond it only with the coordinator's reason, kept in the event
        const round = yield* getVersioned(rounds, current.value.roundId)
        const accepted = (yield* applications.list({ state: "Accepted" })).filter((a) => a.value.roundId === round.value.id).length
        yield* IntakeRound.checkCapacity(round.value, accepted, input.overrideCapacity)
        if (accepted >= round.value.capacity) override = input.overrideCapacity
      }
      const programmeId = (yield* ids.next("programme")) as ProgrammeId
      const decided = yield* Application.accept(
        current.value,
        { reason: input.reason, decidedBy: actorPersonId(actor), programmeId },
        at
      )
      const accepted = override === undefined ? decided : {
        value: decided.value,
        events: decided.events.map((e) => (e._tag === "ApplicationAccepted" ? { ...e, capacityOverride: override } : e))
      }
      const created = Programme.create(accepted.value, programmeId, at)
      yield* Command.commit([
        Command.change(applications, accepted.value, current.version, accepted.events),
        Command.change(programmes, created.value, 0, created.events)
      ])
      return { application: accepted.value, programme: created.value }
    })

  const decline = Command.update({
    action: "application.decide",
    input: Decide,
    repository: ApplicationRepository,
    id: (i) => i.applicationId,
    scope: scopeOf,
    apply: (a, i, { actor, now }) => Application.decline(a, { reason: i.reason, decidedBy: actorPersonId(actor) }, now)
  })

  const withdraw = Command.update({
    action: "application.withdraw",
    input: Decide,
    repository: ApplicationRepository,
    id: (i) => i.applicationId,
    scope: scopeOf,
    apply: (a, i, { now }) => Application.withdraw(a, i.reason, now)
  })

  const decodeList = decode(ListApplications)
  const list = (raw: unknown = {}) =>
    Effect.gen(function*() {
      const input = yield* decodeList(raw)
      const actor = yield* Permissions.authorizeAny("application.read")
      const own = Actor.regionOf(actor)
      const seesAll = actor._tag === "NetworkCoordinator" || actor._tag === "System"
      if (!seesAll && input.regionId !== undefined && input.regionId !== own) {
        return yield* Effect.fail(Permissions.forbidden(actor, "application.read"))
      }
      return yield* applications.list({
        state: input.state,
        regionId: seesAll ? input.regionId : own,
        limit: input.limit,
        offset: input.offset
      })
    })

  return Intake.of({
    create: method("create", create),
    update: method("update", update),
    submit: method("submit", submit),
    scheduleExploration: method("scheduleExploration", scheduleExploration),
    assess: method("assess", assess),
    readiness: method("readiness", readiness),
    accept: method("accept", accept),
    decline: method("decline", decline),
    withdraw: method("withdraw", withdraw),
    get: method("get", get),
    list: method("list", list)
  })
})

/** The intake service, built from the ports in the context. @category layers */
export const layer: Layer.Layer<Intake, never, Dependencies> = Layer.effect(Intake, make)
