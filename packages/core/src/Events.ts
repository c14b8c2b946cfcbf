/**
 * Domain events: the audit trail and the outbox. Each step of a service appends its events in the
 * same transaction as the state it changed.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { Actor } from "./Actor.js"
import { Criterion, Score } from "./Application.js"
import { Instant, Paragraph } from "./Common.js"
import { ApplicationId, EventId, PersonId, ProgrammeId, RegionId } from "./Ids.js"

// --- Intake -----------------------------------------------------------------------------------

/** @category intake */
export const ApplicationCreated = Schema.TaggedStruct("ApplicationCreated", { applicationId: ApplicationId, regionId: RegionId })
/** @category intake */
export const ApplicationUpdated = Schema.TaggedStruct("ApplicationUpdated", { applicationId: ApplicationId })
/** @category intake */
export const ApplicationSubmitted = Schema.TaggedStruct("ApplicationSubmitted", { applicationId: ApplicationId })
/** @category intake */
export const ExplorationScheduled = Schema.TaggedStruct("ExplorationScheduled", {
  applicationId: ApplicationId,
  at: Instant,
  rescheduled: Schema.Boolean
})
/** @category intake */
export const CriterionAssessed = Schema.TaggedStruct("CriterionAssessed", {
  applicationId: ApplicationId,
  criterion: Criterion,
  score: Score
})
/** @category intake */
export const ApplicationAccepted = Schema.TaggedStruct("ApplicationAccepted", {
  applicationId: ApplicationId,
  programmeId: ProgrammeId,
  reason: Paragraph
})
/** @category intake */
export const ApplicationDeclined = Schema.TaggedStruct("ApplicationDeclined", { applicationId: ApplicationId, reason: Paragraph })
/** @category intake */
export const ApplicationWithdrawn = Schema.TaggedStruct("ApplicationWithdrawn", { applicationId: ApplicationId, reason: Paragraph })
/** @category programme */
export const ProgrammeCreated = Schema.TaggedStruct("ProgrammeCreated", {
  programmeId: ProgrammeId,
  regionId: RegionId,
  applicationId: ApplicationId,
  coreTeam: Schema.Array(PersonId)
})

/** Every domain event. @category models */
export const DomainEvent = Schema.Union(
  ApplicationCreated,
  ApplicationUpdated,
  ApplicationSubmitted,
  ExplorationScheduled,
  CriterionAssessed,
  ApplicationAccepted,
  ApplicationDeclined,
  ApplicationWithdrawn,
  ProgrammeCreated
)
/** @category models */
export type DomainEvent = typeof DomainEvent.Type

/** The names of every domain event. @category models */
export type EventType = DomainEvent["_tag"]

/** An event as a command appends it: what happened, to which entity, by whom. @category models */
export class NewEvent extends Schema.Class<NewEvent>("NewEvent")({
  id: EventId,
  /** The entity kind, as `Application`. */
  entity: Schema.String,
  entityId: Schema.String,
  /** The version the entity reached with this change. */
  entityVersion: Schema.Int,
  /** The regions the event concerns, for filtering and permissions. */
  regionIds: Schema.Array(RegionId),
  actor: Actor,
  occurredAt: Instant,
  event: DomainEvent
}) {}

/** An event as the log holds it, with its position (1, 2, 3, ... in append order). @category models */
export class RecordedEvent extends Schema.Class<RecordedEvent>("RecordedEvent")({
  ...NewEvent.fields,
  position: Schema.Int.pipe(Schema.positive())
}) {}
