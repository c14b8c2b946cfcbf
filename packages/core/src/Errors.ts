/**
 * The typed errors of copkit. Each carries the fields a caller needs to act on it.
 *
 * @since 0.1.0
 */
import { Class } from "./internal/schemaClass.js"
import { Schema } from "effect"

/** One field that failed to decode, with the rule it broke. @category models */
export class FieldIssue extends Class<FieldIssue>("FieldIssue")({
  /** The path of the field, as `a.b[0].c`; empty for the input as a whole. */
  field: Schema.String,
  /** A short name of the rule: `required`, `type`, `not-allowed`, `minLength`, ... */
  rule: Schema.String,
  message: Schema.String
}) {}

/**
 * Input that does not fit the schema. `field` and `rule` name the first problem; `issues` lists all.
 *
 * @category errors
 */
export class ValidationError extends Schema.TaggedError<ValidationError>()("ValidationError", {
  field: Schema.String,
  rule: Schema.String,
  message: Schema.String,
  issues: Schema.Array(FieldIssue)
}) {}

/** The entity does not exist (or the actor may not know that it does). @category errors */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", {
  entity: Schema.String,
  id: Schema.String
}) {
  /** @internal */
  override get message() {
    return `${this.entity} ${this.id} was not found`
  }
}

/** The actor may not perform the action. @category errors */
export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", {
  /** A description of the actor, as `KeyPerson per_1 of region utrecht`. */
  actor: Schema.String,
  /** The action refused, as `application.assess`. */
  action: Schema.String,
  reason: Schema.String
}) {
  /** @internal */
  override get message() {
    return `${this.actor} may not ${this.action}: ${this.reason}`
  }
}

/** The entity's state does not allow this step. @category errors */
export class InvalidTransition extends Schema.TaggedError<InvalidTransition>()("InvalidTransition", {
  entity: Schema.String,
  id: Schema.String,
  from: Schema.String,
  to: Schema.String,
  reason: Schema.String
}) {
  /** @internal */
  override get message() {
    return `${this.entity} ${this.id} cannot go from ${this.from} to ${this.to}: ${this.reason}`
  }
}

/**
 * Every domain rule a {@link RuleViolation} can name: one closed set, kebab-case. The guides list
 * them with what each means.
 *
 * @category models
 */
export const RuleName = Schema.Literal(
  // intake
  "assessment-complete",
  "key-person-once",
  "region-unchanged",
  // co-design and the programme's life
  "core-team-member",
  "core-team-once",
  "helix-missing",
  "own-vote",
  "theme-once",
  "theme-not-withdrawn",
  "plan-approved",
  "plan-not-empty",
  "plan-item-known",
  "plan-item-once",
  "plan-item-session",
  "plan-valid",
  "session-not-held",
  // sessions
  "programme-open",
  "participant-once",
  "group-below-minimum",
  "group-above-maximum",
  "participant-missing",
  "session-created",
  "several-programmes",
  "start-in-future",
  "end-after-start",
  "agenda-fits",
  "join-link-required",
  "join-link-online-only",
  "material-once",
  "material-known",
  "task-known",
  "round-open",
  "round-capacity",
  "nobody-to-invite",
  "not-invited",
  "session-started",
  "attendee-invited",
  "insight-programme",
  // follow-up
  "programme-open-for-agreements",
  "drop-reason-required",
  "programme-close-ready",
  // evaluation and impact
  "evaluation-attendee", "evaluation-once", "goal-verdicts", "check-in-due", "check-in-complete",
  // the directory
  "directory-listed", "directory-not-listed",
  // personal data
  "erasure-keeps-entities-valid"
)
/** @category models */
export type RuleName = typeof RuleName.Type

/** Every rule name, for listing and for checks. @category models */
export const ruleNames: ReadonlyArray<RuleName> = RuleName.literals

/** A named domain rule refused the change. @category errors */
export class RuleViolation extends Schema.TaggedError<RuleViolation>()("RuleViolation", {
  /** The rule's stable name, as `assessment-complete`: one of {@link RuleName}. */
  rule: RuleName,
  message: Schema.String,
  /** Further findings, when a rule reports several (for example every failed plan check). */
  details: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] })
}) {}

/** The entity changed since it was read; nothing was written. @category errors */
export class ConcurrencyConflict extends Schema.TaggedError<ConcurrencyConflict>()("ConcurrencyConflict", {
  entity: Schema.String,
  id: Schema.String,
  expected: Schema.Number,
  actual: Schema.Number
}) {
  /** @internal */
  override get message() {
    return `${this.entity} ${this.id} is at version ${this.actual}, not ${this.expected}: reload and retry`
  }
}

/** Storage failed (locked, gone, unreadable). The change, if any, was not written. @category errors */
export class StorageError extends Schema.TaggedError<StorageError>()("StorageError", {
  operation: Schema.String,
  message: Schema.String
}) {}

/** The errors every command can fail with besides its own rules. @category errors */
export type CommandError = ValidationError | Forbidden | NotFound | ConcurrencyConflict | StorageError
