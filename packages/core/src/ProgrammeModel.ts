/**
 * The model of a region's programme: core team, goals, themes and the session plan, as schemas.
 * Its life (the pure deciders) is in `Programme`, which re-exports everything here; this module
 * imports no module that imports it back, so that every module (`Session` too) may import it without a cycle.
 *
 * @since 0.1.0
 */
import { Class } from "./internal/schemaClass.js"
import { Schema } from "effect"
import { Instant, Line, Paragraph } from "./Common.js"
import { fixedValue } from "./internal/redaction.js"
import { AgreementId, ApplicationId, MeasureId, PersonId, PlanItemId, ProgrammeId, RegionId, SessionId, ThemeId } from "./Ids.js"
import { Person } from "./Person.js"
import { Region } from "./Region.js"
import { WorkForm } from "./WorkForm.js"

/**
 * `CoDesign → Planned → Running → FollowUp → Completed`, and `Withdrawn` (by the region) or
 * `Cancelled` from any open state.
 *
 * @category models
 */
export const ProgrammeState = Schema.Literal("CoDesign", "Planned", "Running", "FollowUp", "Completed", "Withdrawn", "Cancelled")
/** @category models */
export type ProgrammeState = typeof ProgrammeState.Type

/** A key person in the core team. @category models */
export class CoreTeamMember extends Class<CoreTeamMember>("CoreTeamMember")({
  person: Person,
  joinedAt: Instant
}) {}

/** The goals set beforehand ("vooraf bepalen"). @category models */
export class Goals extends Class<Goals>("Goals")({
  /** The results the programme wants to achieve. */
  intendedResults: Schema.Array(Paragraph).pipe(Schema.maxItems(50)),
  /** Who is needed to get there. */
  whoIsNeeded: Schema.Array(Paragraph).pipe(Schema.maxItems(50)),
  /** Who can contribute. */
  whoCanContribute: Schema.Array(Paragraph).pipe(Schema.maxItems(50))
}) {}

/** `Regional`: taken up with this region alone; `CrossRegional`: in a broader session with other regions. @category models */
export const ThemeScope = Schema.Literal("Regional", "CrossRegional")
/** @category models */
export type ThemeScope = typeof ThemeScope.Type

/** A core-team member's vote for a theme: a score, higher is stronger (see CoDesign for the ranking). @category models */
export class Vote extends Class<Vote>("Vote")({
  voter: PersonId,
  points: Schema.Int.pipe(Schema.between(0, 10)),
  castAt: Instant
}) {}

/** A theme of the programme. @category models */
export class Theme extends Class<Theme>("Theme")({
  id: ThemeId,
  title: Line,
  description: Schema.optional(Paragraph),
  scope: ThemeScope,
  /** A key of the coordinator's theme catalogue, used to match themes across regions (a fixed value: an erasure leaves it). */
  catalogueKey: Schema.optional(Line.annotations(fixedValue)),
  tags: Schema.Array(Line).pipe(Schema.maxItems(30)),
  proposedBy: PersonId,
  proposedAt: Instant,
  votes: Schema.Array(Vote),
  withdrawn: Schema.optionalWith(Schema.Boolean, { default: () => false })
}) {}

/** One timed item of a session's agenda. @category models */
export class AgendaItem extends Class<AgendaItem>("AgendaItem")({
  title: Line,
  minutes: Schema.Int.pipe(Schema.between(1, 24 * 60)),
  workForm: Schema.optional(WorkForm),
  lead: Schema.optional(Line)
}) {}

/** Who carries a preparation task: the coordinator (content) or the region (venue, catering, participants). @category models */
export const TaskOwner = Schema.Literal("Coordinator", "Region")
/** @category models */
export type TaskOwner = typeof TaskOwner.Type

/** A preparation task of a session, due a number of days before it. @category models */
export class ChecklistTask extends Class<ChecklistTask>("ChecklistTask")({
  /** The task's key (a fixed value: an erasure leaves it). */
  key: Line.annotations(fixedValue),
  title: Line,
  owner: TaskOwner,
  /** Days before the session the task is due. */
  dueDaysBefore: Schema.Int.pipe(Schema.between(0, 365)),
  done: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  /** The person who does it (see `Tasks.assign`). */
  assignee: Schema.optional(Person),
  /** Who ticked it off, and when. */
  completedBy: Schema.optional(PersonId),
  completedAt: Schema.optional(Instant),
  /** The reminders sent to the assignee, each once: before the deadline, and when overdue. */
  reminders: Schema.optionalWith(Schema.Array(Schema.Literal("DueSoon", "Overdue")), { default: () => [] })
}) {}

/** `KickOff` is the first session, `Closing` the last; both with administrators. @category models */
export const SessionRole = Schema.Literal("KickOff", "Regular", "Closing")
/** @category models */
export type SessionRole = typeof SessionRole.Type

/** One session of the plan. @category models */
export class PlanItem extends Class<PlanItem>("PlanItem")({
  id: PlanItemId,
  role: SessionRole,
  themeId: Schema.optional(ThemeId),
  goal: Paragraph,
  workForms: Schema.Array(WorkForm),
  /** The session's length in minutes. */
  durationMinutes: Schema.Int.pipe(Schema.between(15, 24 * 60)),
  agenda: Schema.Array(AgendaItem),
  host: Schema.optional(Line),
  administratorsInvited: Schema.Boolean,
  checklist: Schema.Array(ChecklistTask),
  /** The session created from this item, once it is scheduled. */
  sessionId: Schema.optional(SessionId)
}) {}

// --- evaluation and impact (see `Evaluation`) ---------------------------------------------------

/** The key of an evaluation question: lower-case letters, digits and dashes, as `value`. @category models */
export const QuestionKey = Schema.String.pipe(
  Schema.pattern(/^[a-z][a-z0-9-]{0,39}$/),
  Schema.annotations({ identifier: "QuestionKey", description: "lower-case letters, digits and dashes, at most 40", ...fixedValue })
)
/** `Scale`: a score from 1 to 5; `Open`: a short text. @category models */
export const QuestionKind = Schema.Literal("Scale", "Open")
/** @category models */
export type QuestionKind = typeof QuestionKind.Type

/** One question of a session's evaluation, in Dutch and English. @category models */
export class EvaluationQuestion extends Class<EvaluationQuestion>("EvaluationQuestion")({
  key: QuestionKey,
  kind: QuestionKind,
  text: Schema.Struct({ nl: Line, en: Line })
}) {}

/** A verdict on an intended result: reached, partly reached, not reached. @category models */
export const Verdict = Schema.Literal("Reached", "Partly", "NotReached")
/** @category models */
export type Verdict = typeof Verdict.Type

/** The verdict on one intended result of the goals (by its position in `goals.intendedResults`), with a note. @category models */
export class GoalVerdict extends Class<GoalVerdict>("GoalVerdict")({
  resultIndex: Schema.Int.pipe(Schema.between(0, 49)),
  /** The intended result as it read when the verdict was given. */
  result: Paragraph,
  verdict: Verdict,
  note: Paragraph,
  recordedBy: PersonId,
  recordedAt: Instant
}) {}

/** Where an agreement or measure stands at a check-in. @category models */
export const CheckInOutcome = Schema.Literal("Achieved", "OnTrack", "Delayed", "Stopped")
/** @category models */
export type CheckInOutcome = typeof CheckInOutcome.Type

/** What a 3- or 6-month check-in recorded: an outcome per open agreement and per measure. @category models */
export class CheckInRecord extends Class<CheckInRecord>("CheckInRecord")({
  monthsAfterClosing: Schema.Int.pipe(Schema.between(1, 120)),
  agreements: Schema.Array(Schema.Struct({ agreementId: AgreementId, outcome: CheckInOutcome, note: Schema.optional(Paragraph) })),
  measures: Schema.Array(Schema.Struct({ measureId: MeasureId, outcome: CheckInOutcome, note: Schema.optional(Paragraph) })),
  recordedBy: PersonId,
  recordedAt: Instant
}) {}

/** A region's programme. @category models */
export class Programme extends Class<Programme>("Programme")({
  id: ProgrammeId,
  region: Region,
  regionId: RegionId,
  applicationId: ApplicationId,
  state: ProgrammeState,
  coreTeam: Schema.Array(CoreTeamMember),
  goals: Goals,
  themes: Schema.Array(Theme),
  plan: Schema.Array(PlanItem),
  planApprovedAt: Schema.optional(Instant),
  closedAt: Schema.optional(Instant),
  /** Why and when the programme ended early: withdrawn by the region or cancelled by the coordinator. */
  ending: Schema.optional(Schema.Struct({ reason: Paragraph, at: Instant })),
  /** The follow-up check-ins already raised, in months after closing: each is raised once. */
  checkInsSent: Schema.optional(Schema.Array(Schema.Int)),
  /** When the retention period ended and its people's personal fields were erased. */
  personalDataExpiredAt: Schema.optional(Instant),
  /** The questions of its sessions' evaluations (the settings' default questions when not set). */
  evaluationQuestions: Schema.optional(Schema.Array(EvaluationQuestion)),
  /** At closing: a verdict per intended result. */
  verdicts: Schema.optional(Schema.Array(GoalVerdict)),
  /** The follow-up check-ins recorded after closing. */
  checkIns: Schema.optional(Schema.Array(CheckInRecord)),
  createdAt: Instant,
  updatedAt: Instant
}) {}

/** The empty goals of a new programme. @category constructors */
export const emptyGoals = (): Goals => new Goals({ intendedResults: [], whoIsNeeded: [], whoCanContribute: [] })
