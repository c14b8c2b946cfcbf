/**
 * Intake rounds ("starten met regio's waar energie zit"): the coordinator opens a round with a
 * capacity (how many regions can start) and a deadline; regions apply within it; the round's
 * applications are compared, ranked by readiness with their findings; accepting beyond the
 * capacity is refused (rule `round-capacity`) unless the coordinator overrides it with a reason,
 * which the acceptance event keeps. Pure rules; the `Intake` service loads and commits.
 *
 * @since 0.2.0
 */
import { Class } from "./internal/schemaClass.js"
import { Either, Schema } from "effect"
import type { Application, Readiness, ReadinessSettings } from "./Application.js"
import { readiness } from "./Application.js"
import type { Transitioned } from "./Command.js"
import { Instant, Line } from "./Common.js"
import { InvalidTransition, RuleViolation } from "./Errors.js"
import { PersonId, RoundId } from "./Ids.js"

/** `Open` while regions may apply; `Closed` after. @category models */
export const RoundState = Schema.Literal("Open", "Closed")
/** @category models */
export type RoundState = typeof RoundState.Type

/** An intake round. @category models */
export class IntakeRound extends Class<IntakeRound>("IntakeRound")({
  id: RoundId,
  name: Line,
  /** How many regions can start from this round. */
  capacity: Schema.Int.pipe(Schema.between(1, 100)),
  /** Applications are submitted by then. */
  deadline: Instant,
  state: RoundState,
  openedBy: PersonId,
  closedAt: Schema.optional(Instant),
  createdAt: Instant,
  updatedAt: Instant
}) {}

/** The default capacity of a round (DOMAIN.md: 4 regions). @category constants */
export const defaultCapacity = 4

/** Opens a round. Event `IntakeRoundOpened`. @category deciders */
export const open = (
  fields: { readonly id: RoundId; readonly name: string; readonly capacity: number; readonly deadline: Date; readonly openedBy: PersonId },
  now: Date
): Either.Either<Transitioned<IntakeRound>, RuleViolation> =>
  fields.deadline.getTime() <= now.getTime()
    ? Either.left(new RuleViolation({ rule: "round-open", message: "A round's deadline is in the future.", details: [] }))
    : Either.right({
      value: new IntakeRound({ ...fields, state: "Open", createdAt: now, updatedAt: now }),
      events: [{ _tag: "IntakeRoundOpened", roundId: fields.id, capacity: fields.capacity, deadline: fields.deadline }]
    })

/** Closes a round: no more applications join it. Event `IntakeRoundClosed`. @category deciders */
export const close = (round: IntakeRound, now: Date): Either.Either<Transitioned<IntakeRound>, InvalidTransition> =>
  round.state === "Closed"
    ? Either.left(new InvalidTransition({ entity: "IntakeRound", id: round.id, from: "Closed", to: "Closed", reason: "the round is closed already" }))
    : Either.right({
      value: new IntakeRound({ ...round, state: "Closed", closedAt: now, updatedAt: now }),
      events: [{ _tag: "IntakeRoundClosed", roundId: round.id }]
    })

/** Whether an application may still join the round: open, and before its deadline (rule `round-open`). @category rules */
export const checkJoin = (round: IntakeRound, now: Date): Either.Either<void, RuleViolation> =>
  round.state === "Open" && round.deadline.getTime() > now.getTime()
    ? Either.void
    : Either.left(new RuleViolation({
      rule: "round-open",
      message: `The round "${round.name}" ${round.state === "Closed" ? "is closed" : "passed its deadline"}: an application joins an open round.`,
      details: []
    }))

/**
 * Whether one more region may be accepted from the round: fewer accepted than the capacity, or
 * an override with its reason (rule `round-capacity`).
 *
 * @category rules
 */
export const checkCapacity = (
  round: IntakeRound,
  accepted: number,
  override: string | undefined
): Either.Either<void, RuleViolation> =>
  accepted < round.capacity || (override !== undefined && override.trim() !== "")
    ? Either.void
    : Either.left(new RuleViolation({
      rule: "round-capacity",
      message: `The round "${round.name}" has room for ${round.capacity} regions and ${accepted} are accepted; give a reason to accept beyond it.`,
      details: [`capacity: ${round.capacity}`, `accepted: ${accepted}`]
    }))

/** One application of a round in the comparison. @category models */
export interface RoundEntry {
  readonly rank: number
  readonly applicationId: string
  readonly regionName: string
  readonly state: Application["state"]
  readonly readiness: Readiness
}

/** The comparison of a round. @category models */
export interface RoundComparison {
  readonly round: IntakeRound
  /** Ranked: ready ones first, then by readiness score (unassessed last), then by submission. */
  readonly entries: ReadonlyArray<RoundEntry>
  readonly accepted: number
  /** Places left (never below 0). */
  readonly remaining: number
}

/**
 * The round's applications (drafts and withdrawn ones left out) ranked by readiness, each with its
 * findings. A pure function.
 *
 * @category rules
 */
export const compare = (
  round: IntakeRound,
  applications: ReadonlyArray<Application>,
  settings?: ReadinessSettings
): RoundComparison => {
  const rows = applications
    .filter((a) => a.roundId === round.id && a.state !== "Draft" && a.state !== "Withdrawn")
    .map((a) => ({ a, r: readiness(a, settings) }))
    .sort((x, y) =>
      Number(y.r.ready) - Number(x.r.ready) ||
      (y.r.score ?? -1) - (x.r.score ?? -1) ||
      (x.a.submittedAt?.getTime() ?? 0) - (y.a.submittedAt?.getTime() ?? 0) ||
      (x.a.id < y.a.id ? -1 : 1)
    )
  const accepted = rows.filter((x) => x.a.state === "Accepted").length
  return {
    round,
    entries: rows.map(({ a, r }, i) => ({ rank: i + 1, applicationId: a.id, regionName: a.region.name, state: a.state, readiness: r })),
    accepted,
    remaining: Math.max(0, round.capacity - accepted)
  }
}
