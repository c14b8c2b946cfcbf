/**
 * The programmes service: read a programme or the programmes an actor may see, end a programme
 * early (withdrawn by its region, cancelled by the coordinator) and amend its plan after approval.
 * The decisions are the pure deciders of {@link Programme}; this service loads, decides and
 * commits the programme and the sessions it changes in one transaction. The sessions' invitees
 * hear of it through the dispatcher (`SessionCancelled` → cancellation, `SessionRescheduled` →
 * update with the raised sequence; see `SessionNotifications`).
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Schema } from "effect"
import * as Actor from "./Actor.js"
import * as CoDesign from "./CoDesign.js"
import * as CoDesignRules from "./CoDesignRules.js"
import * as Command from "./Command.js"
import { Instant, Line, Paragraph } from "./Common.js"
import type { CommandError, InvalidTransition, NotFound, RuleViolation } from "./Errors.js"
import type { PersonId } from "./Ids.js"
import { IdGenerator, PlanItemId, ProgrammeId, RegionId } from "./Ids.js"
import * as Permissions from "./Permissions.js"
import { Person, PersonInput } from "./Person.js"
import * as Programme from "./Programme.js"
import type { Versioned } from "./Repository.js"
import { get as getVersioned, ProgrammeRepository, SessionRepository } from "./Repository.js"
import * as Session from "./Session.js"
import { Settings } from "./Settings.js"
import * as Tasks from "./Tasks.js"
import { decode } from "./Validation.js"

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

/** Input of {@link ProgrammesService.get}. @category inputs */
export const ProgrammeRef = Schema.Struct({ programmeId: ProgrammeId })

/** Input of {@link ProgrammesService.list}: the actor's region's programmes (the coordinator: every region's, or one). @category inputs */
export const ListProgrammes = Schema.Struct({
  state: Schema.optional(Schema.Union(Programme.ProgrammeState, Schema.Array(Programme.ProgrammeState))),
  regionId: Schema.optional(RegionId),
  limit: Schema.optional(Schema.Int.pipe(Schema.between(1, 1000))),
  offset: Schema.optional(Schema.Int.pipe(Schema.nonNegative()))
})

/** Input of {@link ProgrammesService.withdraw} and {@link ProgrammesService.cancel}: the programme and why. @category inputs */
export const EndProgramme = Schema.Struct({ programmeId: ProgrammeId, reason: Paragraph })

/** Where a moved session goes. @category inputs */
export const VenueInput = Schema.Struct({
  name: Line,
  address: Schema.optional(Line),
  city: Schema.optional(Line)
})

/** An amendment that adds a session: a new plan item, before `before` (default: before the closing). @category inputs */
export const AddSession = Schema.TaggedStruct("AddSession", {
  item: CoDesign.PlanItemInput,
  before: Schema.optional(PlanItemId)
})
/** An amendment that moves a session to a new time (and venue or host): it is scheduled, or rescheduled. @category inputs */
export const MoveSession = Schema.TaggedStruct("MoveSession", {
  planItemId: PlanItemId,
  start: Instant,
  end: Instant,
  venue: Schema.optional(VenueInput),
  host: Schema.optional(Line)
})
/** An amendment that drops a session from the plan: its session is cancelled, with the reason. @category inputs */
export const DropSession = Schema.TaggedStruct("DropSession", { planItemId: PlanItemId, reason: Paragraph })

/** Input of {@link ProgrammesService.amendPlan}: one amendment of the approved plan. @category inputs */
export const AmendPlan = Schema.Struct({
  programmeId: ProgrammeId,
  amendment: Schema.Union(AddSession, MoveSession, DropSession)
})

/** A task of the plan: the programme, the plan item, and the task's key. @category inputs */
export const TaskRef = Schema.Struct({ programmeId: ProgrammeId, planItemId: PlanItemId, taskKey: Line })

/** Input of {@link ProgrammesService.assignTask}. @category inputs */
export const AssignTask = Schema.Struct({ ...TaskRef.fields, assignee: PersonInput })

// ---------------------------------------------------------------------------------------------
// The service
// ---------------------------------------------------------------------------------------------

/** A programme with the version it was read at. @category models */
export type ProgrammeView = Versioned<Programme.Programme>

/** What a step that changes sessions too gives back: the programme and the sessions changed with it. @category models */
export interface ProgrammeChange {
  readonly programme: Programme.Programme
  readonly sessions: ReadonlyArray<Session.Session>
}

/** The programmes service. Every method runs as the {@link Actor.CurrentActor}. @category services */
export interface ProgrammesService {
  /**
   * One programme (its region's key persons and organisers, and the coordinator).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Programmes } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const programmes = yield* Programmes.Programmes
   *   const { value: programme, version } = yield* programmes.get({ programmeId: "prg_twente" })
   *   console.log(programme.state, version)
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly get: (input: typeof ProgrammeRef.Encoded) => Effect.Effect<ProgrammeView, CommandError, Actor.CurrentActor>
  /**
   * The programmes of the actor's region; the coordinator sees every region's (or one region's).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Programmes } from "@copkit/core"
   *
   * const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke-jansen" })
   *
   * const program = Effect.gen(function*() {
   *   const programmes = yield* Programmes.Programmes
   *   const running = yield* programmes.list({ state: ["CoDesign", "Planned"] })
   *   for (const { value } of running) console.log(value.id, value.state)
   * }).pipe(Actor.as(coordinator))
   * ```
   */
  readonly list: (input?: typeof ListProgrammes.Encoded) => Effect.Effect<ReadonlyArray<ProgrammeView>, CommandError, Actor.CurrentActor>
  /**
   * The region (or the coordinator) withdraws the programme: `→ Withdrawn`; its future sessions are cancelled.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Programmes } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const programmes = yield* Programmes.Programmes
   *   const { programme, sessions } = yield* programmes.withdraw({
   *     programmeId: "prg_twente",
   *     reason: "De regio kan de zaalhuur en catering dit jaar niet dragen."
   *   })
   *   console.log(programme.state, sessions.length) // "Withdrawn", the sessions cancelled
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly withdraw: (input: typeof EndProgramme.Encoded) => Effect.Effect<ProgrammeChange, CommandError | Programmes.TransitionError, Actor.CurrentActor>
  /**
   * The coordinator cancels the programme: `→ Cancelled`; its future sessions are cancelled.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Programmes } from "@copkit/core"
   *
   * const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke-jansen" })
   *
   * const program = Effect.gen(function*() {
   *   const programmes = yield* Programmes.Programmes
   *   yield* programmes.cancel({ programmeId: "prg_twente", reason: "Het kennisnetwerk stopt met deze ronde." })
   * }).pipe(Actor.as(coordinator))
   * ```
   */
  readonly cancel: (input: typeof EndProgramme.Encoded) => Effect.Effect<ProgrammeChange, CommandError | Programmes.TransitionError, Actor.CurrentActor>
  /**
   * Every task of the plan with its assignee, deadline (from its session's date) and whether it is overdue.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Programmes } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const programmes = yield* Programmes.Programmes
   *   const tasks = yield* programmes.tasks({ programmeId: "prg_twente" })
   *   for (const t of tasks) console.log(t.task.title, t.deadline, t.overdue)
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly tasks: (input: typeof ProgrammeRef.Encoded) => Effect.Effect<ReadonlyArray<Tasks.TaskView>, CommandError, Actor.CurrentActor>
  /**
   * Assigns a task to a person: the region's tasks by the region, the coordinator's by the coordinator.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Programmes } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const programmes = yield* Programmes.Programmes
   *   yield* programmes.assignTask({
   *     programmeId: "prg_twente",
   *     planItemId: "pli_twente-1",
   *     taskKey: "venue",
   *     assignee: { name: "Anouk Smit", email: "a.smit@enschede.example.nl", organisation: "Gemeente Enschede", helixRole: "Government" }
   *   })
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly assignTask: (input: typeof AssignTask.Encoded) => Effect.Effect<Programme.Programme, CommandError | Programmes.TransitionError, Actor.CurrentActor>
  /**
   * Ticks a task off (who, when): whoever may assign it, or its assignee.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Programmes } from "@copkit/core"
   *
   * const organiser = Actor.make({ _tag: "RegionalOrganiser", personId: "per_anouk-smit", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const programmes = yield* Programmes.Programmes
   *   yield* programmes.completeTask({ programmeId: "prg_twente", planItemId: "pli_twente-1", taskKey: "venue" })
   * }).pipe(Actor.as(organiser))
   * ```
   */
  readonly completeTask: (input: typeof TaskRef.Encoded) => Effect.Effect<Programme.Programme, CommandError | Programmes.TransitionError, Actor.CurrentActor>
  /**
   * Opens a done task again.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Programmes } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const programmes = yield* Programmes.Programmes
   *   yield* programmes.reopenTask({ programmeId: "prg_twente", planItemId: "pli_twente-1", taskKey: "venue" })
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly reopenTask: (input: typeof TaskRef.Encoded) => Effect.Effect<Programme.Programme, CommandError | Programmes.TransitionError, Actor.CurrentActor>
  /**
   * The reminder job of the tasks (as `System` or the coordinator): for every planned or running
   * programme, each assigned open task's assignee is reminded `tasks.remindDaysBefore` days before
   * its deadline and once it has passed, each once. Returns how many reminders were appended.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Programmes } from "@copkit/core"
   *
   * const system = Actor.make({ _tag: "System", name: "cron" })
   *
   * const program = Effect.gen(function*() {
   *   const programmes = yield* Programmes.Programmes
   *   const appended = yield* programmes.sendTaskReminders()
   *   console.log(`${appended} task reminders`)
   * }).pipe(Actor.as(system))
   * ```
   */
  readonly sendTaskReminders: () => Effect.Effect<number, CommandError, Actor.CurrentActor>
  /**
   * Amends the approved plan: adds, moves (reschedules) or drops (cancels) one session.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Programmes } from "@copkit/core"
   *
   * const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke-jansen" })
   *
   * const program = Effect.gen(function*() {
   *   const programmes = yield* Programmes.Programmes
   *   yield* programmes.amendPlan({
   *     programmeId: "prg_twente",
   *     amendment: {
   *       _tag: "MoveSession",
   *       planItemId: "pli_twente-2",
   *       start: "2027-06-08T13:30:00+02:00",
   *       end: "2027-06-08T17:00:00+02:00",
   *       venue: { name: "Saxion", city: "Enschede" }
   *     }
   *   })
   * }).pipe(Actor.as(coordinator))
   * ```
   */
  readonly amendPlan: (input: typeof AmendPlan.Encoded) => Effect.Effect<ProgrammeChange, CommandError | Programmes.TransitionError, Actor.CurrentActor>
}

/** The programmes service tag. @category services */
export class Programmes extends Context.Tag("@copkit/core/Programmes")<Programmes, ProgrammesService>() {}

/** @category services */
export declare namespace Programmes {
  /** The errors of a refused step. */
  export type TransitionError = InvalidTransition | RuleViolation | NotFound
}

/** The ports the programmes service needs. @category models */
export type Dependencies = ProgrammeRepository | SessionRepository | Command.Ports

const scopeOf = (p: Programme.Programme): Permissions.Scope => ({ regionIds: [p.regionId] })

const coDesignSettings = Effect.map(Settings, (s) => s.coDesign ?? CoDesignRules.defaultCoDesignSettings)

/** Builds the programmes service from its ports. @category constructors */
export const make: Effect.Effect<ProgrammesService, never, Dependencies> = Effect.gen(function*() {
  const programmes = yield* ProgrammeRepository
  const sessions = yield* SessionRepository
  const ids = yield* IdGenerator
  const method = yield* Command.methods<Dependencies>("Programmes")

  const decodeRef = decode(ProgrammeRef)
  const get = (raw: unknown) =>
    Effect.flatMap(decodeRef(raw), (i) => Command.read("programme.read", programmes, i.programmeId, scopeOf))

  const decodeList = decode(ListProgrammes)
  const list = (raw: unknown = {}) =>
    Effect.gen(function*() {
      const input = yield* decodeList(raw)
      const actor = yield* Permissions.authorizeAny("programme.read")
      const seesAll = actor._tag === "NetworkCoordinator" || actor._tag === "System"
      const own = Actor.regionOf(actor)
      if (!seesAll && input.regionId !== undefined && input.regionId !== own) {
        return yield* Effect.fail(Permissions.forbidden(actor, "programme.read"))
      }
      return yield* programmes.list({
        state: input.state,
        regionId: seesAll ? input.regionId : own,
        limit: input.limit,
        offset: input.offset
      })
    })

  /** Commits a programme decision with the sessions it changed (each at the version read). */
  const commit = (
    current: Versioned<Programme.Programme>,
    read: ReadonlyMap<string, Versioned<Session.Session>>,
    decided: Programme.WithSessions
  ) =>
    Effect.gen(function*() {
      yield* Command.commit([
        Command.change(programmes, decided.value, current.version, decided.events),
        ...decided.sessions.map((s) => Command.change(sessions, s.value, read.get(s.value.id)!.version, s.events))
      ])
      return { programme: decided.value, sessions: decided.sessions.map((s) => s.value) }
    })

  const decodeEnd = decode(EndProgramme)
  const end = (action: "programme.withdraw" | "programme.cancel", decide: typeof Programme.withdraw) => (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeEnd(raw)
      const current = yield* Command.read(action, programmes, input.programmeId, scopeOf)
      const own = yield* sessions.list({ programmeId: current.value.id })
      const decided = yield* decide(current.value, own.map((s) => s.value), input.reason, yield* Command.now)
      return yield* commit(current, new Map(own.map((s) => [s.value.id, s])), decided)
    })

  const decodeAmend = decode(AmendPlan)
  const amendPlan = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeAmend(raw)
      const current = yield* Command.read("programme.amendPlan", programmes, input.programmeId, scopeOf)
      const settings = yield* coDesignSettings
      const a = input.amendment
      let amendment: Programme.Amendment
      switch (a._tag) {
        case "AddSession": {
          const id = a.item.id ?? ((yield* ids.next("planItem")) as PlanItemId)
          amendment = { kind: "AddSession", item: CoDesignRules.planItemOf(id, a.item, settings), before: a.before }
          break
        }
        case "MoveSession":
          amendment = {
            kind: "MoveSession",
            planItemId: a.planItemId,
            slot: { start: a.start, end: a.end, venue: a.venue === undefined ? undefined : new Session.Venue(a.venue), host: a.host }
          }
          break
        case "DropSession":
          amendment = { kind: "DropSession", planItemId: a.planItemId, reason: a.reason }
          break
      }
      const sessionId = a._tag === "AddSession" ? undefined : current.value.plan.find((i) => i.id === a.planItemId)?.sessionId
      const session = sessionId === undefined ? undefined : yield* getVersioned(sessions, sessionId)
      const decided = yield* Programme.amendPlan(current.value, amendment, session?.value, settings, yield* Command.now)
      return yield* commit(current, new Map(session === undefined ? [] : [[session.value.id, session]]), decided)
    })

  // --- tasks ----------------------------------------------------------------------------------

  const sessionsOf = (programmeId: string) =>
    Effect.map(sessions.list({ programmeId }), (rows) => new Map(rows.map((r) => [r.value.id as string, r.value])))

  const tasks = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeRef(raw)
      const current = yield* Command.read("programme.read", programmes, input.programmeId, scopeOf)
      return Tasks.tasksOf(current.value, yield* sessionsOf(current.value.id), yield* Command.now)
    })

  /** Loads the programme and checks the right on the task: by its owner, or (to complete) its assignee. */
  const taskStep = <I extends typeof TaskRef.Type>(
    input: I,
    decide: (programme: Programme.Programme, actor: Actor.Actor, now: Date) => ReturnType<typeof Tasks.reopen>,
    assigneeMay: boolean
  ) =>
    Effect.gen(function*() {
      yield* Permissions.authorizeAny(assigneeMay ? "task.complete" : "task.manage").pipe(
        Effect.orElse(() => Permissions.authorizeAny("task.coordinate"))
      )
      const current = yield* getVersioned(programmes, input.programmeId)
      const item = current.value.plan.find((i) => i.id === input.planItemId)
      const task = item?.checklist.find((t) => t.key === input.taskKey)
      const scope = scopeOf(current.value)
      const byOwner = task?.owner === "Coordinator" ? "task.coordinate" as const : "task.manage" as const
      const actor = yield* Permissions.authorize(byOwner, scope).pipe(
        Effect.orElse(() =>
          assigneeMay && task?.assignee !== undefined
            ? Permissions.authorize("task.complete", { regionIds: [], partyIds: [task.assignee.id] })
            : Permissions.authorize(byOwner, scope)
        )
      )
      const decided = yield* decide(current.value, actor, yield* Command.now)
      yield* Command.commit([Command.change(programmes, decided.value, current.version, decided.events)])
      return decided.value
    })

  const decodeAssign = decode(AssignTask)
  const assignTask = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeAssign(raw)
      const id = input.assignee.id ?? ((yield* ids.next("person")) as PersonId)
      const assignee = new Person({ ...input.assignee, id, language: input.assignee.language ?? "nl" })
      return yield* taskStep(input, (p, _actor, now) => Tasks.assign(p, input, assignee, now), false)
    })

  const decodeTask = decode(TaskRef)
  const completeTask = (raw: unknown) =>
    Effect.flatMap(decodeTask(raw), (input) =>
      taskStep(input, (p, actor, now) => Tasks.complete(p, input, (Actor.personOf(actor) ?? "per_system") as PersonId, now), true))

  const reopenTask = (raw: unknown) =>
    Effect.flatMap(decodeTask(raw), (input) => taskStep(input, (p, _actor, now) => Tasks.reopen(p, input, now), false))

  const sendTaskReminders = () =>
    Effect.gen(function*() {
      yield* Permissions.authorizeAny("task.remind")
      const settings = (yield* Settings).tasks
      const now = yield* Command.now
      let sent = 0
      for (const current of yield* programmes.list({ state: ["Planned", "Running"] })) {
        const decided = Tasks.remind(current.value, yield* sessionsOf(current.value.id), settings, now)
        if (decided === undefined) continue
        const done = yield* Command.commit([Command.change(programmes, decided.value, current.version, decided.events)]).pipe(
          Effect.as(true),
          // changed meanwhile: its tasks are looked at again on the next run
          Effect.catchTag("ConcurrencyConflict", () => Effect.succeed(false))
        )
        if (done) sent += decided.events.length
      }
      return sent
    })

  return Programmes.of({
    get: method("get", get),
    list: method("list", list),
    withdraw: method("withdraw", end("programme.withdraw", Programme.withdraw)),
    cancel: method("cancel", end("programme.cancel", Programme.cancel)),
    amendPlan: method("amendPlan", amendPlan),
    tasks: method("tasks", tasks),
    assignTask: method("assignTask", assignTask),
    completeTask: method("completeTask", completeTask),
    reopenTask: method("reopenTask", reopenTask),
    sendTaskReminders: method("sendTaskReminders", sendTaskReminders)
  })
})

/** The programmes service, built from the ports in the context. @category layers */
export const layer: Layer.Layer<Programmes, never, Dependencies> = Layer.effect(Programmes, make)
