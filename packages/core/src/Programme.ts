/**
 * A region's programme, its whole life in one place: the model (re-exported from
 * `ProgrammeModel`), the named state sets, and the pure deciders of every step —
 * created from an accepted application, plan approved, started, in follow-up, closed, withdrawn by
 * the region, cancelled by the coordinator, and the plan amended after approval. Each decider
 * returns the new value *and its events* (the sessions it changes too), or a typed error; the
 * services only load, decide and commit.
 *
 * ```
 * CoDesign → Planned → Running → FollowUp → Completed
 *     └──────────┴─────────┴─────────┴──→ Withdrawn (region) | Cancelled (coordinator)
 * ```
 *
 * @since 0.1.0
 */
export * from "./ProgrammeModel.js"
import { Either } from "effect"
import type { Application } from "./Application.js"
import type { CoDesignSettings } from "./CoDesignRules.js"
import type { Transitioned } from "./Command.js"
import type { RuleName } from "./Errors.js"
import { InvalidTransition, NotFound, RuleViolation } from "./Errors.js"
import type { DomainEvent } from "./Events.js"
import type { PlanItemId, ProgrammeId, SessionId } from "./Ids.js"
import type { PlanValidation } from "./PlanValidation.js"
import { blockingDetails, validate } from "./PlanValidation.js"
import type { PlanItem, ProgrammeState } from "./ProgrammeModel.js"
import { CoreTeamMember, emptyGoals, Programme } from "./ProgrammeModel.js"
import * as Session from "./Session.js"

// ---------------------------------------------------------------------------------------------
// The state sets, each named once
// ---------------------------------------------------------------------------------------------

/** The states of a programme that has not ended. @category constants */
export const openStates: ReadonlyArray<ProgrammeState> = ["CoDesign", "Planned", "Running", "FollowUp"]
/** The states of a programme that has ended, one way or another. @category constants */
export const endedStates: ReadonlyArray<ProgrammeState> = ["Completed", "Withdrawn", "Cancelled"]
/** The states with an approved plan whose sessions are still to come: sessions are created and the plan amended. @category constants */
export const planApprovedStates: ReadonlyArray<ProgrammeState> = ["Planned", "Running"]
/** The states the plan may be amended in (after approval, before the closing session is held). @category constants */
export const amendableStates: ReadonlyArray<ProgrammeState> = planApprovedStates
/** The states from which the first session held starts the programme. @category constants */
export const startableStates: ReadonlyArray<ProgrammeState> = ["Planned"]
/** The states from which the closing session held moves the programme to follow-up. @category constants */
export const followUpFromStates: ReadonlyArray<ProgrammeState> = ["Planned", "Running"]
/** The states from which a programme may close (`Completed`). @category constants */
export const closableStates: ReadonlyArray<ProgrammeState> = ["Planned", "Running", "FollowUp"]
/** The states from which the region may withdraw the programme (any state before it ended). @category constants */
export const withdrawableStates: ReadonlyArray<ProgrammeState> = openStates
/** The states from which the coordinator may cancel the programme (any state before it ended). @category constants */
export const cancellableStates: ReadonlyArray<ProgrammeState> = openStates

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** What a decider that also changes sessions returns: the programme, its events, and each changed session with its events. @category models */
export interface WithSessions extends Transitioned<Programme> {
  readonly sessions: ReadonlyArray<Transitioned<Session.Session>>
}

/**
 * The next state of a programme. Its fields come from a stored programme and decoded input, and
 * every store encodes (and so checks) a value before it writes it.
 */
const rebuild = (fields: ConstructorParameters<typeof Programme>[0]): Programme =>
  new Programme(fields, { disableValidation: true })

const refuse = (programme: Programme, to: string, reason: string) =>
  Either.left(new InvalidTransition({ entity: "Programme", id: programme.id, from: programme.state, to, reason }))

/** Refuses a step unless the programme is in one of the allowed states. @category rules */
export const inState = (
  programme: Programme,
  allowed: ReadonlyArray<ProgrammeState>,
  to: string,
  reason = `only possible from ${allowed.join(", ")}`
): Either.Either<void, InvalidTransition> => (allowed.includes(programme.state) ? Either.void : refuse(programme, to, reason))

const violation = (rule: RuleName, message: string, details: ReadonlyArray<string> = []) =>
  Either.left(new RuleViolation({ rule, message, details }))

// ---------------------------------------------------------------------------------------------
// Created, plan approved, started, follow-up, closed
// ---------------------------------------------------------------------------------------------

/** The programme of an accepted application, in `CoDesign`, its key persons the core team. @category deciders */
export const create = (application: Application, programmeId: ProgrammeId, now: Date): Transitioned<Programme> => {
  const value = new Programme({
    id: programmeId,
    region: application.region,
    regionId: application.region.id,
    applicationId: application.id,
    state: "CoDesign",
    coreTeam: application.keyPersons.map((person) => new CoreTeamMember({ person, joinedAt: now })),
    goals: emptyGoals(),
    themes: [],
    plan: [],
    createdAt: now,
    updatedAt: now
  })
  return {
    value,
    events: [{
      _tag: "ProgrammeCreated",
      programmeId,
      regionId: value.regionId,
      applicationId: application.id,
      coreTeam: value.coreTeam.map((m) => m.person.id)
    }]
  }
}

/** What an approval decides: the planned programme, its event, and the validation it passed (with its warnings). @category models */
export interface Approved extends Transitioned<Programme> {
  readonly validation: PlanValidation
}

/**
 * `CoDesign → Planned`, when no blocking plan check fails (else rule `plan-valid`, with every failed
 * blocking check in `details`; a plan without goals fails the check `goals-set`).
 *
 * @category deciders
 */
export const approvePlan = (
  programme: Programme,
  settings: CoDesignSettings,
  now: Date
): Either.Either<Approved, InvalidTransition | RuleViolation> =>
  Either.flatMap(inState(programme, ["CoDesign"], "Planned", "co-design is only possible while the programme is in CoDesign"), () => {
    const validation = validate(programme, settings)
    if (!validation.valid) {
      return violation(
        "plan-valid",
        `The plan fails ${validation.blocking.length} blocking check(s): ${validation.blocking.map((c) => c.name).join(", ")}.`,
        blockingDetails(validation)
      )
    }
    const value = rebuild({ ...programme, state: "Planned", planApprovedAt: now, updatedAt: now })
    return Either.right({
      value,
      validation,
      events: [{
        _tag: "SessionPlanApproved",
        programmeId: value.id,
        planItemIds: value.plan.map((x) => x.id),
        warnings: validation.failed.map((c) => c.name)
      }]
    })
  })

/** The first session held: `Planned → Running`. @category deciders */
export const start = (
  programme: Programme,
  sessionId: SessionId,
  now: Date
): Either.Either<Transitioned<Programme>, InvalidTransition> =>
  Either.map(inState(programme, startableStates, "Running"), () => ({
    value: rebuild({ ...programme, state: "Running", updatedAt: now }),
    events: [{ _tag: "ProgrammeStarted", programmeId: programme.id, sessionId }]
  }))

/** The closing session held: `Planned | Running → FollowUp` (from `Planned` it started too). @category deciders */
export const toFollowUp = (
  programme: Programme,
  sessionId: SessionId,
  now: Date
): Either.Either<Transitioned<Programme>, InvalidTransition> =>
  Either.map(inState(programme, followUpFromStates, "FollowUp"), () => {
    const ref = { programmeId: programme.id, sessionId }
    const events: Array<DomainEvent> = programme.state === "Planned" ? [{ _tag: "ProgrammeStarted", ...ref }] : []
    events.push({ _tag: "ProgrammeInFollowUp", ...ref })
    return { value: rebuild({ ...programme, state: "FollowUp", updatedAt: now }), events }
  })

/**
 * The programme's stage after one of its sessions was held: the closing session moves it to
 * `FollowUp`, any first session held from `Planned` to `Running`; `undefined` when it stays.
 *
 * @category deciders
 */
export const afterSessionHeld = (
  programme: Programme,
  session: Pick<Session.Session, "id" | "role" | "updatedAt">
): Transitioned<Programme> | undefined => {
  const next = session.role === "Closing" && followUpFromStates.includes(programme.state)
    ? toFollowUp(programme, session.id, session.updatedAt)
    : start(programme, session.id, session.updatedAt)
  return Either.getOrUndefined(next)
}

/** What closing needs to know, as the follow-up finds it. @category models */
export interface CloseReadiness {
  /** The closing session, when there is one. */
  readonly closingSessionId: SessionId | undefined
  /** What the programme still lacks (empty when it may close). */
  readonly missing: ReadonlyArray<string>
  /** The agreements recorded (dropped ones not counted). */
  readonly agreements: number
}

/**
 * Closes the programme: `Completed`, once nothing is missing (the closing session held, enough
 * agreements); refused with the rule `programme-close-ready` naming what is missing otherwise.
 *
 * @category deciders
 */
export const close = (
  programme: Programme,
  readiness: CloseReadiness,
  now: Date
): Either.Either<Transitioned<Programme>, InvalidTransition | RuleViolation> =>
  Either.flatMap(inState(programme, closableStates, "Completed"), () => {
    const closing = readiness.closingSessionId
    if (readiness.missing.length > 0 || closing === undefined) {
      const missing = readiness.missing.length > 0 ? readiness.missing : ["closing session: no session of this programme is scheduled"]
      return violation("programme-close-ready", `The programme cannot close yet: ${missing.join("; ")}.`, missing)
    }
    return Either.right({
      value: rebuild({ ...programme, state: "Completed", closedAt: now, updatedAt: now }),
      events: [{ _tag: "ProgrammeCompleted", programmeId: programme.id, closingSessionId: closing, agreements: readiness.agreements }]
    })
  })

// ---------------------------------------------------------------------------------------------
// Withdrawn by the region, cancelled by the coordinator
// ---------------------------------------------------------------------------------------------

/**
 * The sessions that end with the programme: its own (not shared with another programme) that
 * are a draft, or scheduled or invited and still to start. Held sessions stay; a shared
 * cross-regional session goes on for the other regions.
 *
 * @category rules
 */
export const sessionsEndingWith = (
  programme: Programme,
  sessions: ReadonlyArray<Session.Session>,
  now: Date
): ReadonlyArray<Session.Session> =>
  sessions.filter((s) =>
    s.programmeIds.length === 1 && s.programmeIds[0] === programme.id &&
    (s.state === "Draft" ||
      ((s.state === "Scheduled" || s.state === "Invited") && s.start !== undefined && s.start.getTime() > now.getTime()))
  )

/** Cancels one session with the existing session rule: its invitees get the cancellation (`SessionCancelled`). @category deciders */
export const cancelSession = (
  session: Session.Session,
  reason: string,
  now: Date
): Either.Either<Transitioned<Session.Session>, InvalidTransition> =>
  Session.cancel(session, reason, now)

const end = (
  to: "Withdrawn" | "Cancelled",
  allowed: ReadonlyArray<ProgrammeState>,
  programme: Programme,
  sessions: ReadonlyArray<Session.Session>,
  reason: string,
  now: Date
): Either.Either<WithSessions, InvalidTransition> =>
  Either.flatMap(inState(programme, allowed, to), () =>
    Either.map(
      Either.all(sessionsEndingWith(programme, sessions, now).map((s) => cancelSession(s, reason, now))),
      (cancelled) => ({
        value: rebuild({ ...programme, state: to, ending: { reason, at: now }, updatedAt: now }),
        events: [{
          _tag: to === "Withdrawn" ? "ProgrammeWithdrawn" : "ProgrammeCancelled",
          programmeId: programme.id,
          reason,
          cancelledSessionIds: cancelled.map((c) => c.value.id)
        }],
        sessions: cancelled
      })
    ))

/**
 * The region withdraws the programme, from any state before it ended: `→ Withdrawn`, with the
 * reason. Its future sessions (see {@link sessionsEndingWith}) are cancelled in the same change.
 *
 * @category deciders
 */
export const withdraw = (
  programme: Programme,
  sessions: ReadonlyArray<Session.Session>,
  reason: string,
  now: Date
): Either.Either<WithSessions, InvalidTransition> => end("Withdrawn", withdrawableStates, programme, sessions, reason, now)

/**
 * The coordinator cancels the programme, from any state before it ended: `→ Cancelled`, with the
 * reason. Its future sessions (see {@link sessionsEndingWith}) are cancelled in the same change.
 *
 * @category deciders
 */
export const cancel = (
  programme: Programme,
  sessions: ReadonlyArray<Session.Session>,
  reason: string,
  now: Date
): Either.Either<WithSessions, InvalidTransition> => end("Cancelled", cancellableStates, programme, sessions, reason, now)

// ---------------------------------------------------------------------------------------------
// Plan amendments after approval
// ---------------------------------------------------------------------------------------------

/**
 * One amendment of an approved plan: a session added (a new plan item, before `before` or else
 * before the closing), moved (its session scheduled or rescheduled) or dropped (its session cancelled).
 *
 * @category models
 */
export type Amendment =
  | { readonly kind: "AddSession"; readonly item: PlanItem; readonly before?: PlanItemId | undefined }
  | { readonly kind: "MoveSession"; readonly planItemId: PlanItemId; readonly slot: Session.Slot }
  | { readonly kind: "DropSession"; readonly planItemId: PlanItemId; readonly reason: string }

const findItem = (programme: Programme, id: PlanItemId): Either.Either<PlanItem, NotFound> => {
  const item = programme.plan.find((i) => i.id === id)
  return item === undefined ? Either.left(new NotFound({ entity: "PlanItem", id })) : Either.right(item)
}

/**
 * The amended plan may not fail a blocking check the plan passed before (rule `plan-valid`): an
 * amendment cannot break the plan, and a programme approved under older settings stays amendable.
 */
const checked = (programme: Programme, plan: ReadonlyArray<PlanItem>, settings: CoDesignSettings, now: Date) => {
  const passed = new Set(validate(programme, settings).checks.filter((c) => c.passed).map((c) => c.name))
  const value = rebuild({ ...programme, plan, updatedAt: now })
  const validation = validate(value, settings)
  const broken = validation.blocking.filter((c) => passed.has(c.name))
  return broken.length === 0
    ? Either.right(value)
    : violation(
      "plan-valid",
      `The amended plan fails ${broken.length} blocking check(s): ${broken.map((c) => c.name).join(", ")}.`,
      blockingDetails({ ...validation, blocking: broken })
    )
}

/**
 * Amends an approved plan (while `Planned` or `Running`). `session` is the session of the item
 * moved or dropped, when it has one. Adding or dropping may not break a blocking plan check that
 * passed before (rule `plan-valid`). A moved
 * session keeps its identity: a scheduled one is rescheduled with the session rule (its sequence
 * rises and its invitees get an update), a draft one is scheduled. A dropped session is cancelled
 * (its invitees get the cancellation); a held session cannot be dropped (rule `session-not-held`).
 *
 * @category deciders
 */
export const amendPlan = (
  programme: Programme,
  amendment: Amendment,
  session: Session.Session | undefined,
  settings: CoDesignSettings,
  now: Date
): Either.Either<WithSessions, InvalidTransition | RuleViolation | NotFound> =>
  Either.gen(function*() {
    yield* inState(programme, amendableStates, programme.state, "the plan is amended after its approval, until the closing session is held")
    const amended = (value: Programme, sessions: ReadonlyArray<Transitioned<Session.Session>>, planItemId: PlanItemId, extra: {
      readonly sessionId?: SessionId | undefined
      readonly reason?: string | undefined
    } = {}): WithSessions => ({
      value,
      sessions,
      events: [{
        _tag: "PlanAmended",
        programmeId: programme.id,
        kind: amendment.kind,
        planItemId,
        ...(extra.sessionId === undefined ? {} : { sessionId: extra.sessionId }),
        ...(extra.reason === undefined ? {} : { reason: extra.reason })
      }]
    })
    switch (amendment.kind) {
      case "AddSession": {
        const item = amendment.item
        if (programme.plan.some((i) => i.id === item.id)) {
          return yield* violation("plan-item-once", `The plan item ${item.id} exists already.`)
        }
        let index: number
        if (amendment.before !== undefined) {
          const before = amendment.before
          yield* findItem(programme, before)
          index = programme.plan.findIndex((i) => i.id === before)
        } else {
          index = programme.plan.at(-1)?.role === "Closing" ? programme.plan.length - 1 : programme.plan.length
        }
        const plan = [...programme.plan.slice(0, index), item, ...programme.plan.slice(index)]
        return amended(yield* checked(programme, plan, settings, now), [], item.id)
      }
      case "MoveSession": {
        const item = yield* findItem(programme, amendment.planItemId)
        if (item.sessionId === undefined || session === undefined || session.id !== item.sessionId) {
          return yield* violation("plan-item-session", `The plan item ${item.id} has no session yet: create the sessions from the plan first.`)
        }
        const moved = session.state === "Draft"
          ? yield* Session.schedule(session, amendment.slot, now)
          : yield* Session.reschedule(session, amendment.slot, now)
        return amended(rebuild({ ...programme, updatedAt: now }), [moved], item.id, { sessionId: session.id })
      }
      case "DropSession": {
        const item = yield* findItem(programme, amendment.planItemId)
        const own = item.sessionId !== undefined && session !== undefined && session.id === item.sessionId ? session : undefined
        if (own?.state === "Held") {
          return yield* violation("session-not-held", `The session ${own.id} of plan item ${item.id} was held: it stays in the plan.`)
        }
        const cancelled = own !== undefined && Session.openStates.includes(own.state)
          ? [yield* cancelSession(own, amendment.reason, now)]
          : []
        const value = yield* checked(programme, programme.plan.filter((i) => i.id !== item.id), settings, now)
        return amended(value, cancelled, item.id, { sessionId: item.sessionId, reason: amendment.reason })
      }
    }
  })
