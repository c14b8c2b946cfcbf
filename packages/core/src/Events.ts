/**
 * Domain events: the audit trail and the outbox. Each step of a service appends its events in the
 * same transaction as the state it changed.
 *
 * @since 0.1.0
 */
import { Class } from "./internal/schemaClass.js"
import { Schema } from "effect"
import { Actor } from "./Actor.js"
import { Criterion, Score } from "./Application.js"
import { Instant, Paragraph } from "./Common.js"
import { ApplicationId, EventId, PersonId, ProgrammeId, RegionId } from "./Ids.js"
import {
  EnrolmentId as SEnrolmentId,
  InsightId as SInsightId,
  PlanItemId as SPlanItemId,
  SessionId as SSessionId,
  ThemeId as SThemeId
} from "./Ids.js"
import { PlanItemId as CPlanItemId, RoundId as RRoundId, ThemeId as CThemeId } from "./Ids.js"
import { HelixRole as CHelixRole } from "./Person.js"
import { ThemeScope as CThemeScope } from "./Programme.js"
import { AgreementStatus } from "./internal/agreementStatus.js" // a leaf: Agreement.ts builds events
import { LocalDate } from "./Common.js"
import { AgreementId as FAgreementId, MeasureId as FMeasureId, SessionId as FSessionId } from "./Ids.js"

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
  reason: Paragraph,
  /** Accepted beyond the round's capacity: the coordinator's reason. */
  capacityOverride: Schema.optional(Paragraph)
})
/** The coordinator opened an intake round. @category intake */
export const IntakeRoundOpened = Schema.TaggedStruct("IntakeRoundOpened", { roundId: RRoundId, capacity: Schema.Int, deadline: Instant })
/** An intake round was closed. @category intake */
export const IntakeRoundClosed = Schema.TaggedStruct("IntakeRoundClosed", { roundId: RRoundId })
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

// --- Follow-up and personal data -------------------------------------------------------------

/** An agreement was recorded. @category followUp */
export const AgreementRecorded = Schema.TaggedStruct("AgreementRecorded", {
  agreementId: FAgreementId,
  programmeId: ProgrammeId,
  ownerId: PersonId,
  measureId: Schema.optional(FMeasureId),
  sessionId: Schema.optional(FSessionId)
})
/** An agreement's action, due date, owner or measure changed. @category followUp */
export const AgreementUpdated = Schema.TaggedStruct("AgreementUpdated", { agreementId: FAgreementId })
/** An agreement moved to another status. @category followUp */
export const AgreementStatusChanged = Schema.TaggedStruct("AgreementStatusChanged", {
  agreementId: FAgreementId,
  from: AgreementStatus,
  to: AgreementStatus
})
/** A progress note was added to an agreement. @category followUp */
export const AgreementNoteAdded = Schema.TaggedStruct("AgreementNoteAdded", { agreementId: FAgreementId, author: PersonId })
/** A measure was defined. @category followUp */
export const MeasureDefined = Schema.TaggedStruct("MeasureDefined", { measureId: FMeasureId, programmeId: ProgrammeId })
/** A measure changed. @category followUp */
export const MeasureUpdated = Schema.TaggedStruct("MeasureUpdated", { measureId: FMeasureId })
/** The programme closed: `Completed`. @category followUp */
/** The programme's first session was held: `Planned → Running`. @category programme */
export const ProgrammeStarted = Schema.TaggedStruct("ProgrammeStarted", { programmeId: ProgrammeId, sessionId: FSessionId })
/** The programme's closing session was held: `→ FollowUp`, the stage of the agreements. @category programme */
export const ProgrammeInFollowUp = Schema.TaggedStruct("ProgrammeInFollowUp", { programmeId: ProgrammeId, sessionId: FSessionId })
export const ProgrammeCompleted = Schema.TaggedStruct("ProgrammeCompleted", {
  programmeId: ProgrammeId,
  closingSessionId: FSessionId,
  agreements: Schema.Int
})
/** An agreement's due date is near (sent once per agreement and offset). @category followUp */
export const AgreementDueSoon = Schema.TaggedStruct("AgreementDueSoon", {
  agreementId: FAgreementId,
  dueDate: LocalDate,
  daysBefore: Schema.Int
})
/** An agreement is past its due date and not done (sent once per agreement). @category followUp */
export const AgreementOverdue = Schema.TaggedStruct("AgreementOverdue", { agreementId: FAgreementId, dueDate: LocalDate })
/** A follow-up check-in is due, months after the programme closed (sent once per offset). @category followUp */
export const FollowUpCheckInDue = Schema.TaggedStruct("FollowUpCheckInDue", {
  programmeId: ProgrammeId,
  monthsAfterClosing: Schema.Int
})
/** A person's personal fields were erased from this entity (on request). Holds the id only. @category personalData */
export const PersonalDataErased = Schema.TaggedStruct("PersonalDataErased", { personId: PersonId })
/** The retention period of an ended programme (or a declined or withdrawn application) ran out: its people's personal fields were erased from this entity. @category personalData */
export const PersonalDataExpired = Schema.TaggedStruct("PersonalDataExpired", {
  programmeId: Schema.optional(ProgrammeId),
  applicationId: Schema.optional(ApplicationId),
  persons: Schema.Int
})

// --- Co-design ----------------------------------------------------------------------------------

/** A key person joined the programme's core team. @category coDesign */
export const CoreTeamMemberAdded = Schema.TaggedStruct("CoreTeamMemberAdded", {
  programmeId: ProgrammeId,
  personId: PersonId,
  helixRole: CHelixRole
})
/** A key person left the programme's core team (their votes go with them). @category coDesign */
export const CoreTeamMemberRemoved = Schema.TaggedStruct("CoreTeamMemberRemoved", { programmeId: ProgrammeId, personId: PersonId })
/** The goals set beforehand were recorded. @category coDesign */
export const GoalsSet = Schema.TaggedStruct("GoalsSet", { programmeId: ProgrammeId })
/** A theme was proposed. @category coDesign */
export const ThemeProposed = Schema.TaggedStruct("ThemeProposed", { programmeId: ProgrammeId, themeId: CThemeId, scope: CThemeScope })
/** A theme was edited. @category coDesign */
export const ThemeEdited = Schema.TaggedStruct("ThemeEdited", { programmeId: ProgrammeId, themeId: CThemeId })
/** A theme was withdrawn. @category coDesign */
export const ThemeWithdrawn = Schema.TaggedStruct("ThemeWithdrawn", {
  programmeId: ProgrammeId,
  themeId: CThemeId,
  reason: Schema.optional(Paragraph)
})
/** A core-team member (or the coordinator) voted on a theme, replacing their earlier vote. @category coDesign */
export const ThemeVoted = Schema.TaggedStruct("ThemeVoted", {
  programmeId: ProgrammeId,
  themeId: CThemeId,
  voter: PersonId,
  points: Schema.Int
})
/** The session plan was drawn up or changed. @category coDesign */
export const SessionPlanSet = Schema.TaggedStruct("SessionPlanSet", { programmeId: ProgrammeId, planItemIds: Schema.Array(CPlanItemId) })
/** The coordinator approved the plan: `CoDesign → Planned`. `warnings` names the non-blocking checks that failed. @category coDesign */
export const SessionPlanApproved = Schema.TaggedStruct("SessionPlanApproved", {
  programmeId: ProgrammeId,
  planItemIds: Schema.Array(CPlanItemId),
  warnings: Schema.Array(Schema.String)
})

// --- Sessions ----------------------------------------------------------------------------------

/** A participant joined a programme's fixed group (`Active`) or its reserve list (`Reserve`). @category sessions */
export const ParticipantEnrolled = Schema.TaggedStruct("ParticipantEnrolled", {
  enrolmentId: SEnrolmentId,
  programmeId: ProgrammeId,
  personId: PersonId,
  status: Schema.Literal("Active", "Reserve")
})
/** A participant left the group or the reserve list. @category sessions */
export const ParticipantLeft = Schema.TaggedStruct("ParticipantLeft", {
  enrolmentId: SEnrolmentId,
  programmeId: ProgrammeId,
  personId: PersonId,
  reason: Paragraph
})
/** A fixed participant missed held sessions in a row (the setting `participants.missedInARow`): the core team is told. @category sessions */
export const ParticipantMissedSessions = Schema.TaggedStruct("ParticipantMissedSessions", {
  programmeId: ProgrammeId,
  enrolmentId: SEnrolmentId,
  personId: PersonId,
  /** The sessions missed, oldest first. */
  sessionIds: Schema.Array(SSessionId)
})
/** The first person on the reserve list took the place of one who left. @category sessions */
export const ReservePromoted = Schema.TaggedStruct("ReservePromoted", {
  enrolmentId: SEnrolmentId,
  programmeId: ProgrammeId,
  personId: PersonId,
  replacing: SEnrolmentId
})
/** A session was created (from a plan item, or as a cross-regional session of several programmes). @category sessions */
export const SessionCreated = Schema.TaggedStruct("SessionCreated", {
  sessionId: SSessionId,
  programmeIds: Schema.Array(ProgrammeId),
  planItemId: Schema.optional(SPlanItemId)
})
/** The sessions of the approved plan were created: each plan item now names its session. @category sessions */
export const PlanSessionsCreated = Schema.TaggedStruct("PlanSessionsCreated", {
  programmeId: ProgrammeId,
  sessionIds: Schema.Array(SSessionId)
})
/** `Draft → Scheduled`: the session got its date, time, venue and host. @category sessions */
export const SessionScheduled = Schema.TaggedStruct("SessionScheduled", { sessionId: SSessionId, start: Instant, end: Instant })
/** The session moved; every invitee gets an update with the raised sequence. @category sessions */
export const SessionRescheduled = Schema.TaggedStruct("SessionRescheduled", {
  sessionId: SSessionId,
  start: Instant,
  end: Instant,
  previousStart: Schema.optional(Instant),
  sequence: Schema.Int
})
/** The session became online, hybrid or at the venue, or its join link changed; every invitee gets an update. @category sessions */
export const SessionJoinLinkChanged = Schema.TaggedStruct("SessionJoinLinkChanged", {
  sessionId: SSessionId,
  format: Schema.Literal("OnSite", "Online", "Hybrid"),
  sequence: Schema.Int
})
/** A material (a titled link) was attached to the session. @category sessions */
export const SessionMaterialAdded = Schema.TaggedStruct("SessionMaterialAdded", {
  sessionId: SSessionId,
  materialId: Schema.String,
  kind: Schema.Literal("Slides", "Case", "Recording", "Document", "Link")
})
/** A material was taken off the session. @category sessions */
export const SessionMaterialRemoved = Schema.TaggedStruct("SessionMaterialRemoved", { sessionId: SSessionId, materialId: Schema.String })
/** The session was cancelled; every invitee gets a cancellation. @category sessions */
export const SessionCancelled = Schema.TaggedStruct("SessionCancelled", { sessionId: SSessionId, reason: Paragraph, sequence: Schema.Int })
/** Invitations went out to these people (one message each). @category sessions */
export const SessionInvitationsSent = Schema.TaggedStruct("SessionInvitationsSent", {
  sessionId: SSessionId,
  personIds: Schema.Array(PersonId),
  sequence: Schema.Int
})
/** A person who left the group was taken off an upcoming session; they get a cancellation. @category sessions */
export const SessionInvitationWithdrawn = Schema.TaggedStruct("SessionInvitationWithdrawn", {
  sessionId: SSessionId,
  personId: PersonId,
  programmeId: ProgrammeId
})
/** An invitee answered. @category sessions */
export const SessionInvitationAnswered = Schema.TaggedStruct("SessionInvitationAnswered", {
  sessionId: SSessionId,
  personId: PersonId,
  answer: Schema.Literal("Accepted", "Declined", "Tentative")
})
/** A reminder is due to these people: before the session, or to those who have not answered. @category sessions */
export const SessionReminderDue = Schema.TaggedStruct("SessionReminderDue", {
  sessionId: SSessionId,
  kind: Schema.Literal("Reminder", "AnswerReminder"),
  daysBefore: Schema.Int,
  start: Instant,
  personIds: Schema.Array(PersonId)
})
/** Attendance was recorded (counts only: the names are in the session). @category sessions */
export const SessionAttendanceRecorded = Schema.TaggedStruct("SessionAttendanceRecorded", {
  sessionId: SSessionId,
  present: Schema.Int,
  absent: Schema.Int
})
/** `Invited → Held`. @category sessions */
export const SessionHeld = Schema.TaggedStruct("SessionHeld", { sessionId: SSessionId })
/** The draft minutes were written or amended. @category sessions */
export const SessionMinutesDrafted = Schema.TaggedStruct("SessionMinutesDrafted", { sessionId: SSessionId })
/** The minutes were published. @category sessions */
export const SessionMinutesPublished = Schema.TaggedStruct("SessionMinutesPublished", { sessionId: SSessionId })
/** An insight of a session was recorded, tagged by theme. @category sessions */
export const InsightRecorded = Schema.TaggedStruct("InsightRecorded", {
  insightId: SInsightId,
  sessionId: SSessionId,
  programmeId: ProgrammeId,
  themeIds: Schema.Array(SThemeId)
})

// --- Programme: ended early, plan amended -----------------------------------------------------

/** A task of the plan was assigned to a person. @category programme */
export const TaskAssigned = Schema.TaggedStruct("TaskAssigned", {
  programmeId: ProgrammeId,
  planItemId: CPlanItemId,
  taskKey: Schema.String,
  personId: PersonId
})
/** A task was ticked off. @category programme */
export const TaskCompleted = Schema.TaggedStruct("TaskCompleted", {
  programmeId: ProgrammeId,
  planItemId: CPlanItemId,
  taskKey: Schema.String,
  by: PersonId
})
/** A done task was opened again. @category programme */
export const TaskReopened = Schema.TaggedStruct("TaskReopened", { programmeId: ProgrammeId, planItemId: CPlanItemId, taskKey: Schema.String })
/** A task's deadline is near: its assignee is reminded. @category programme */
export const TaskDueSoon = Schema.TaggedStruct("TaskDueSoon", {
  programmeId: ProgrammeId,
  planItemId: CPlanItemId,
  taskKey: Schema.String,
  personId: PersonId,
  deadline: Instant
})
/** A task's deadline passed while it was open: its assignee is reminded. @category programme */
export const TaskOverdue = Schema.TaggedStruct("TaskOverdue", {
  programmeId: ProgrammeId,
  planItemId: CPlanItemId,
  taskKey: Schema.String,
  personId: PersonId,
  deadline: Instant
})
/** The region withdrew the programme (from any open state): `→ Withdrawn`; its future sessions were cancelled. @category programme */
export const ProgrammeWithdrawn = Schema.TaggedStruct("ProgrammeWithdrawn", {
  programmeId: ProgrammeId,
  reason: Paragraph,
  cancelledSessionIds: Schema.Array(SSessionId)
})
/** The coordinator cancelled the programme (from any open state): `→ Cancelled`; its future sessions were cancelled. @category programme */
export const ProgrammeCancelled = Schema.TaggedStruct("ProgrammeCancelled", {
  programmeId: ProgrammeId,
  reason: Paragraph,
  cancelledSessionIds: Schema.Array(SSessionId)
})
/** The kinds of plan amendment after approval: a session added, moved (rescheduled) or dropped (cancelled). @category programme */
export const PlanAmendmentKind = Schema.Literal("AddSession", "MoveSession", "DropSession")
/** The approved plan was amended: one session added, moved or dropped. @category programme */
export const PlanAmended = Schema.TaggedStruct("PlanAmended", {
  programmeId: ProgrammeId,
  kind: PlanAmendmentKind,
  planItemId: SPlanItemId,
  sessionId: Schema.optional(SSessionId),
  reason: Schema.optional(Paragraph)
})

// --- The opt-in directory (see `Directory`) ------------------------------------------------------

/** A person gave their consent and was listed in the directory. @category directory */
export const DirectoryEntryListed = Schema.TaggedStruct("DirectoryEntryListed", { personId: PersonId })
/** A person changed their directory entry. @category directory */
export const DirectoryEntryUpdated = Schema.TaggedStruct("DirectoryEntryUpdated", { personId: PersonId })
/** A person's consent was withdrawn: the entry left the search, its content cleared. @category directory */
export const DirectoryEntryWithdrawn = Schema.TaggedStruct("DirectoryEntryWithdrawn", { personId: PersonId })

// --- Evaluation and impact (see `Evaluations`) --------------------------------------------------

/** An attendee evaluated a session: ids only, the scores stay in the answer (which an erasure clears). @category evaluation */
export const EvaluationAnswered = Schema.TaggedStruct("EvaluationAnswered", { evaluationId: Schema.String, sessionId: FSessionId, programmeId: ProgrammeId })
/** A programme's evaluation questions were set. @category evaluation */
export const EvaluationQuestionsSet = Schema.TaggedStruct("EvaluationQuestionsSet", { programmeId: ProgrammeId, keys: Schema.Array(Schema.String) })
/** An intended result of the goals got its verdict. @category evaluation */
export const GoalVerdictRecorded = Schema.TaggedStruct("GoalVerdictRecorded", {
  programmeId: ProgrammeId,
  resultIndex: Schema.Int,
  verdict: Schema.Literal("Reached", "Partly", "NotReached")
})
/** A measure got an indicator. @category evaluation */
export const IndicatorDefined = Schema.TaggedStruct("IndicatorDefined", { measureId: FMeasureId, indicatorId: Schema.String })
/** An indicator got a dated value. @category evaluation */
export const IndicatorValueRecorded = Schema.TaggedStruct("IndicatorValueRecorded", { measureId: FMeasureId, indicatorId: Schema.String, date: LocalDate })
/** A follow-up check-in recorded an outcome per open agreement and measure. @category evaluation */
export const CheckInRecorded = Schema.TaggedStruct("CheckInRecorded", {
  programmeId: ProgrammeId,
  monthsAfterClosing: Schema.Int,
  agreements: Schema.Int,
  measures: Schema.Int
})

// --- Private calendar feeds (see `Feeds`) -----------------------------------------------------

/** A person's private feed token was issued (the event holds the token's id, never its secret). @category feeds */
export const FeedTokenIssued = Schema.TaggedStruct("FeedTokenIssued", { tokenId: Schema.String, personId: PersonId })
/** A person's private feed token was revoked: its links answer 404 from now on. @category feeds */
export const FeedTokenRevoked = Schema.TaggedStruct("FeedTokenRevoked", { tokenId: Schema.String, personId: PersonId })

/** Every domain event. @category models */
export const DomainEvent = Schema.Union(
  ApplicationCreated,
  ApplicationUpdated,
  ApplicationSubmitted,
  ExplorationScheduled,
  CriterionAssessed,
  ApplicationAccepted,
  IntakeRoundOpened,
  IntakeRoundClosed,
  ApplicationDeclined,
  ApplicationWithdrawn,
  ProgrammeCreated,
  CoreTeamMemberAdded,
  CoreTeamMemberRemoved,
  GoalsSet,
  ThemeProposed,
  ThemeEdited,
  ThemeWithdrawn,
  ThemeVoted,
  SessionPlanSet,
  SessionPlanApproved,
  AgreementRecorded,
  AgreementUpdated,
  AgreementStatusChanged,
  AgreementNoteAdded,
  MeasureDefined,
  MeasureUpdated,
  ProgrammeCompleted,
  ProgrammeStarted,
  ProgrammeInFollowUp,
  AgreementDueSoon,
  AgreementOverdue,
  FollowUpCheckInDue,
  PersonalDataErased,
  PersonalDataExpired,
  ParticipantEnrolled,
  ParticipantLeft,
  ReservePromoted,
  ParticipantMissedSessions,
  SessionCreated,
  PlanSessionsCreated,
  SessionScheduled,
  SessionRescheduled,
  SessionJoinLinkChanged,
  SessionMaterialAdded,
  SessionMaterialRemoved,
  SessionCancelled,
  SessionInvitationsSent,
  SessionInvitationAnswered,
  SessionInvitationWithdrawn,
  SessionReminderDue,
  SessionAttendanceRecorded,
  SessionHeld,
  SessionMinutesDrafted,
  SessionMinutesPublished,
  InsightRecorded,
  ProgrammeWithdrawn,
  TaskAssigned,
  TaskCompleted,
  TaskReopened,
  TaskDueSoon,
  TaskOverdue,
  ProgrammeCancelled,
  PlanAmended,
  EvaluationAnswered, EvaluationQuestionsSet, GoalVerdictRecorded, IndicatorDefined, IndicatorValueRecorded, CheckInRecorded,
  DirectoryEntryListed, DirectoryEntryUpdated, DirectoryEntryWithdrawn,
  FeedTokenIssued,
  FeedTokenRevoked
)
/** @category models */
export type DomainEvent = typeof DomainEvent.Type

/** The names of every domain event. @category models */
export type EventType = DomainEvent["_tag"]

/** An event as a command appends it: what happened, to which entity, by whom. @category models */
export class NewEvent extends Class<NewEvent>("NewEvent")({
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
export class RecordedEvent extends Class<RecordedEvent>("RecordedEvent")({
  ...NewEvent.fields,
  position: Schema.Int.pipe(Schema.positive())
}) {}
