/**
 * Every method of every core service as an HTTP endpoint, as data: per service its tag, its path
 * and, per method, the core's input schema and the schema of its result. The API, its handlers and
 * the OpenAPI document are built from this table alone.
 *
 * The table cannot drift from the library: each service's entry is typed by the service's own
 * interface (`{ [method in keyof IntakeService]: ... }`), so a method added to or removed from a
 * service, an input schema that no longer matches the method's parameter, or a result schema that
 * no longer matches what the method gives back, is a compile error here.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import type { Context, Effect } from "effect"
import {
  Agreement,
  Application,
  Calendar,
  CoDesign,
  Directory,
  Enrolment,
  Evaluation,
  Evaluations,
  Events,
  Feeds,
  FeedToken,
  FollowUp,
  History,
  Insight,
  Intake,
  IntakeRound,
  IntakeRounds,
  Measure,
  Network,
  Participants,
  PersonalData,
  Programme,
  Programmes,
  Session,
  Sessions
} from "@copkit/core"
import { ProgrammeReportSchema } from "./internal/core.js"

/**
 * One endpoint: the input schema of the method (`null` when it takes none, as the jobs do) and the
 * schema of its result.
 *
 * @category models
 */
export interface Operation {
  readonly input: Schema.Schema<any, any, never> | null
  readonly success: Schema.Schema<any, any, never>
}

/**
 * What the table must hold for one method of a service: the exact input schema whose encoded side
 * is the method's parameter, and a result schema whose type is the method's result. {@link Opaque}
 * stands for a result the core has no schema for yet (a plain interface); the JSON is the value as
 * it is, and the OpenAPI document says only "any value".
 *
 * @category models
 */
export type OperationOf<F> = F extends (...args: infer Args) => Effect.Effect<infer A, infer _E, infer _R> ? {
    readonly input: Args extends [] ? null : Schema.Schema<any, NonNullable<Args[0]>, never>
    readonly success: Schema.Schema<A, any, never> | typeof Opaque
  }
  : never

/** The operations of one service, one per method, checked against the service's interface. @category models */
export type Operations<S> = { readonly [K in keyof S]: OperationOf<S[K]> }

/** A stored value with its version, as the `get` and `list` methods give it. @category schemas */
export const Versioned = <A, I>(value: Schema.Schema<A, I, never>) =>
  Schema.Struct({ value, version: Schema.Int }).annotations({
    description: "A stored value with its version: 1 after the first save, raised by one on every save."
  })

/**
 * The result of a method the core models as a plain interface, not a schema: the JSON is the value
 * as it is (dates as ISO strings), and the OpenAPI document says only that it is a JSON value.
 *
 * @category schemas
 */
export const Opaque: Schema.Schema<unknown> = Schema.declare((_: unknown): _ is unknown => true, {
  identifier: "JsonValue",
  description: "A JSON value: see the result's interface in the @copkit/core reference.",
  jsonSchema: {
    anyOf: ["object", "array", "string", "number", "boolean", "null"].map((type) => ({ type }))
  }
})


const op = <const O extends Operation>(o: O): O => o

// ---------------------------------------------------------------------------------------------
// The tables (an `Opaque` result: the core models that result as a plain interface)
// ---------------------------------------------------------------------------------------------

/** The intake's endpoints. @category operations */
export const intake: Operations<Intake.IntakeService> = {
  create: op({ input: Intake.CreateApplication, success: Application.Application }),
  update: op({ input: Intake.UpdateApplication, success: Application.Application }),
  submit: op({ input: Intake.ApplicationRef, success: Application.Application }),
  scheduleExploration: op({ input: Intake.ScheduleExploration, success: Application.Application }),
  assess: op({ input: Intake.Assess, success: Application.Application }),
  // Application.Readiness is an interface
  readiness: op({ input: Intake.ApplicationRef, success: Opaque }),
  accept: op({
    input: Intake.Decide,
    success: Schema.Struct({ application: Application.Application, programme: Programme.Programme })
  }),
  decline: op({ input: Intake.Decide, success: Application.Application }),
  withdraw: op({ input: Intake.Decide, success: Application.Application }),
  get: op({ input: Intake.ApplicationRef, success: Versioned(Application.Application) }),
  list: op({ input: Intake.ListApplications, success: Schema.Array(Versioned(Application.Application)) })
}

/** The co-design's endpoints. @category operations */
export const coDesign: Operations<CoDesign.CoDesignService> = {
  get: op({ input: CoDesign.ProgrammeRef, success: Versioned(Programme.Programme) }),
  // CoDesignRules.CoreTeamReport is an interface
  coreTeam: op({ input: CoDesign.ProgrammeRef, success: Opaque }),
  addMember: op({ input: CoDesign.AddMember, success: Programme.Programme }),
  removeMember: op({ input: CoDesign.RemoveMember, success: Programme.Programme }),
  setGoals: op({ input: CoDesign.SetGoals, success: Programme.Programme }),
  proposeTheme: op({ input: CoDesign.ProposeTheme, success: Programme.Theme }),
  editTheme: op({ input: CoDesign.EditTheme, success: Programme.Programme }),
  withdrawTheme: op({ input: CoDesign.WithdrawTheme, success: Programme.Programme }),
  vote: op({ input: CoDesign.CastVote, success: Programme.Programme }),
  // ThemeRanking.RankedTheme is an interface
  ranking: op({ input: CoDesign.ProgrammeRef, success: Opaque }),
  setPlan: op({ input: CoDesign.SetPlan, success: Programme.Programme }),
  // PlanValidation.PlanValidation is an interface
  validatePlan: op({ input: CoDesign.ProgrammeRef, success: Opaque }),
  // CoDesign.ApprovedPlan holds a PlanValidation, an interface
  approvePlan: op({ input: CoDesign.ProgrammeRef, success: Opaque }),
  // ThemeMatching.SharedSessionProposal is an interface
  sharedSessions: op({ input: CoDesign.ProposeSharedSessions, success: Opaque })
}

/** The programmes' endpoints. @category operations */
export const programmes: Operations<Programmes.ProgrammesService> = {
  get: op({ input: Programmes.ProgrammeRef, success: Versioned(Programme.Programme) }),
  list: op({ input: Programmes.ListProgrammes, success: Schema.Array(Versioned(Programme.Programme)) }),
  withdraw: op({ input: Programmes.EndProgramme, success: Schema.Struct({ programme: Programme.Programme, sessions: Schema.Array(Session.Session) }) }),
  cancel: op({ input: Programmes.EndProgramme, success: Schema.Struct({ programme: Programme.Programme, sessions: Schema.Array(Session.Session) }) }),
  amendPlan: op({ input: Programmes.AmendPlan, success: Schema.Struct({ programme: Programme.Programme, sessions: Schema.Array(Session.Session) }) }),
  // Tasks.TaskView is an interface
  tasks: op({ input: Programmes.ProgrammeRef, success: Opaque }),
  assignTask: op({ input: Programmes.AssignTask, success: Programme.Programme }),
  completeTask: op({ input: Programmes.TaskRef, success: Programme.Programme }),
  reopenTask: op({ input: Programmes.TaskRef, success: Programme.Programme }),
  sendTaskReminders: op({ input: null, success: Schema.Int })
}

/** The sessions' endpoints. @category operations */
export const sessions: Operations<Sessions.SessionsService> = {
  enrol: op({ input: Participants.Enrol, success: Enrolment.Enrolment }),
  // Sessions.LeaveResult's `promoted` may be undefined, which JSON Schema cannot say of a field that is present
  leave: op({ input: Participants.Leave, success: Opaque }),
  // Participants.GroupReport is an interface
  group: op({ input: Sessions.ProgrammeRef, success: Opaque }),
  // Planner.PlanResult is an interface
  plan: op({ input: Sessions.PlanSessions, success: Opaque }),
  createFromPlan: op({ input: Sessions.ProgrammeRef, success: Schema.Array(Session.Session) }),
  createCrossRegional: op({ input: Sessions.CreateCrossRegional, success: Session.Session }),
  scheduleFromPlan: op({ input: Sessions.ScheduleFromPlan, success: Schema.Array(Session.Session) }),
  schedule: op({ input: Sessions.ScheduleSession, success: Session.Session }),
  reschedule: op({ input: Sessions.ScheduleSession, success: Session.Session }),
  changeJoinLink: op({ input: Sessions.ChangeJoinLink, success: Session.Session }),
  addMaterial: op({ input: Sessions.AddMaterial, success: Session.Session }),
  removeMaterial: op({ input: Sessions.RemoveMaterial, success: Session.Session }),
  cancel: op({ input: Sessions.CancelSession, success: Session.Session }),
  invite: op({ input: Sessions.InviteSession, success: Session.Session }),
  answer: op({ input: Sessions.AnswerInvitation, success: Session.Session }),
  recordAttendance: op({ input: Sessions.RecordAttendance, success: Session.Session }),
  writeMinutes: op({ input: Sessions.WriteMinutes, success: Session.Session }),
  publishMinutes: op({ input: Sessions.PublishMinutes, success: Session.Session }),
  recordInsight: op({ input: Sessions.RecordInsight, success: Insight.Insight }),
  get: op({ input: Sessions.SessionRef, success: Versioned(Session.Session) }),
  list: op({ input: Sessions.ListSessions, success: Schema.Array(Versioned(Session.Session)) }),
  feedEvents: op({ input: Sessions.FeedRef, success: Schema.Array(Calendar.CalendarEvent) }),
  // Sessions.SentReminder is an interface
  sendDueReminders: op({ input: null, success: Opaque })
}

/** The follow-up's endpoints. @category operations */
export const followUp: Operations<FollowUp.FollowUpService> = {
  recordAgreement: op({ input: FollowUp.RecordAgreement, success: Agreement.Agreement }),
  reviseAgreement: op({ input: FollowUp.ReviseAgreement, success: Agreement.Agreement }),
  startAgreement: op({ input: FollowUp.AgreementRef, success: Agreement.Agreement }),
  completeAgreement: op({ input: FollowUp.AgreementRef, success: Agreement.Agreement }),
  dropAgreement: op({ input: FollowUp.DropAgreement, success: Agreement.Agreement }),
  addNote: op({ input: FollowUp.AddNote, success: Agreement.Agreement }),
  getAgreement: op({ input: FollowUp.AgreementRef, success: Versioned(Agreement.Agreement) }),
  listAgreements: op({ input: FollowUp.ListAgreements, success: Schema.Array(Versioned(Agreement.Agreement)) }),
  defineMeasure: op({ input: FollowUp.DefineMeasure, success: Measure.Measure }),
  reviseMeasure: op({ input: FollowUp.ReviseMeasure, success: Measure.Measure }),
  listMeasures: op({ input: FollowUp.ProgrammeRef, success: Schema.Array(Versioned(Measure.Measure)) }),
  // Measure.OrganisationLoad is an interface
  synergy: op({ input: FollowUp.ProgrammeRef, success: Opaque }),
  closeReadiness: op({ input: FollowUp.ProgrammeRef, success: Schema.Array(Schema.String) }),
  close: op({ input: FollowUp.ProgrammeRef, success: Programme.Programme }),
  // FollowUp.ReminderRun is an interface
  runReminders: op({ input: null, success: Opaque }),
  report: op({ input: FollowUp.ProgrammeRef, success: ProgrammeReportSchema }),
  exportCsv: op({ input: FollowUp.ExportCsv, success: Schema.String })
}

/** The network's endpoints. @category operations */
export const network: Operations<Network.NetworkService> = {
  // Network.NetworkOverview is an interface
  overview: op({ input: Network.Overview, success: Opaque }),
  // Network.SearchHit is an interface
  search: op({ input: Network.Search, success: Opaque }),
  // Network.MinutesHit is an interface
  searchMinutes: op({ input: Network.SearchMinutes, success: Opaque })
}

/** The personal-data endpoints. @category operations */
export const personalData: Operations<PersonalData.PersonalDataService> = {
  // PersonalData.PersonalDataExport is an interface (entities and events as stored)
  exportPerson: op({ input: PersonalData.PersonRef, success: Opaque }),
  // PersonalData.ErasureResult is an interface
  erase: op({ input: PersonalData.PersonRef, success: Opaque }),
  // PersonalData.RetentionResult is an interface
  applyRetention: op({ input: null, success: Opaque })
}

/** The intake rounds' endpoints. @category operations */
export const rounds: Operations<IntakeRounds.IntakeRoundsService> = {
  open: op({ input: IntakeRounds.OpenRound, success: IntakeRound.IntakeRound }),
  close: op({ input: IntakeRounds.RoundRef, success: IntakeRound.IntakeRound }),
  list: op({ input: null, success: Schema.Array(Versioned(IntakeRound.IntakeRound)) }),
  // IntakeRound.RoundComparison is an interface
  compare: op({ input: IntakeRounds.RoundRef, success: Opaque })
}

/** The evaluation and impact endpoints. @category operations */
export const evaluations: Operations<Evaluations.EvaluationsService> = {
  setQuestions: op({ input: Evaluations.SetQuestions, success: Programme.Programme }),
  // Evaluations.SessionQuestions is an interface
  questions: op({ input: Evaluations.SessionRef, success: Opaque }),
  answer: op({ input: Evaluations.AnswerEvaluation, success: Evaluation.EvaluationAnswer }),
  // Evaluation.SessionEvaluation is an interface (results only in aggregate)
  results: op({ input: Evaluations.SessionRef, success: Opaque }),
  recordVerdict: op({ input: Evaluations.RecordVerdict, success: Programme.Programme }),
  defineIndicator: op({ input: Evaluations.DefineIndicator, success: Measure.Measure }),
  recordIndicatorValue: op({ input: Evaluations.RecordIndicatorValue, success: Measure.Measure }),
  recordCheckIn: op({ input: Evaluations.RecordCheckIn, success: Programme.Programme })
}

/** The directory's endpoints. @category operations */
export const directory: Operations<Directory.DirectoryService> = {
  join: op({ input: Directory.Join, success: Directory.DirectoryEntry }),
  update: op({ input: Directory.Update, success: Directory.DirectoryEntry }),
  withdraw: op({ input: Directory.PersonRef, success: Directory.DirectoryEntry }),
  get: op({ input: Directory.PersonRef, success: Directory.DirectoryEntry }),
  // Directory.DirectoryHit is an interface
  search: op({ input: Directory.Search, success: Opaque })
}

/** The private feeds' endpoints: a person's feed token, and a feed's content as data. @category operations */
export const feeds: Operations<Feeds.FeedsService> = {
  issue: op({ input: Feeds.PersonRef, success: FeedToken.FeedToken }),
  rotate: op({ input: Feeds.PersonRef, success: FeedToken.FeedToken }),
  revoke: op({ input: Feeds.PersonRef, success: Schema.Array(FeedToken.FeedToken) }),
  feed: op({ input: Feeds.FeedRequest, success: Feeds.FeedContent })
}

/** The history endpoint. @category operations */
export const history: Operations<History.HistoryService> = {
  ofEntity: op({ input: History.OfEntity, success: Schema.Array(Events.RecordedEvent) })
}

/** One service in the API: its tag, the path of its endpoints, its name in titles, and its operations. @category models */
export interface Service<S> {
  readonly tag: Context.Tag<any, S>
  readonly path: string
  readonly title: string
  readonly operations: Operations<S>
}

/** Every service of the API, by the name it has on the Promise client. @category models */
export interface ServiceTable {
  readonly intake: Service<Intake.IntakeService>
  readonly rounds: Service<IntakeRounds.IntakeRoundsService>
  readonly coDesign: Service<CoDesign.CoDesignService>
  readonly programmes: Service<Programmes.ProgrammesService>
  readonly sessions: Service<Sessions.SessionsService>
  readonly followUp: Service<FollowUp.FollowUpService>
  readonly network: Service<Network.NetworkService>
  readonly personalData: Service<PersonalData.PersonalDataService>
  readonly history: Service<History.HistoryService>
  readonly evaluations: Service<Evaluations.EvaluationsService>
  readonly directory: Service<Directory.DirectoryService>
  readonly feeds: Service<Feeds.FeedsService>
}

/**
 * Every service: its name in the API (the name it has on the Promise client), its tag, the path
 * its endpoints live under, and its operations.
 *
 * @category operations
 */
export const services: ServiceTable = {
  intake: { tag: Intake.Intake, path: "intake", title: "Intake", operations: intake },
  rounds: { tag: IntakeRounds.IntakeRounds, path: "rounds", title: "IntakeRounds", operations: rounds },
  coDesign: { tag: CoDesign.CoDesign, path: "co-design", title: "CoDesign", operations: coDesign },
  programmes: { tag: Programmes.Programmes, path: "programmes", title: "Programmes", operations: programmes },
  sessions: { tag: Sessions.Sessions, path: "sessions", title: "Sessions", operations: sessions },
  followUp: { tag: FollowUp.FollowUp, path: "follow-up", title: "FollowUp", operations: followUp },
  network: { tag: Network.Network, path: "network", title: "Network", operations: network },
  personalData: { tag: PersonalData.PersonalData, path: "personal-data", title: "PersonalData", operations: personalData },
  history: { tag: History.History, path: "history", title: "History", operations: history },
  evaluations: { tag: Evaluations.Evaluations, path: "evaluations", title: "Evaluations", operations: evaluations },
  directory: { tag: Directory.Directory, path: "directory", title: "Directory", operations: directory },
  feeds: { tag: Feeds.Feeds, path: "feeds", title: "Feeds", operations: feeds }
}

/** The name of a service in the API. @category models */
export type ServiceName = keyof typeof services

/** A method name as a path segment: `scheduleExploration` → `schedule-exploration`. @category accessors */
export const segment = (method: string): string => method.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)

/** The path of a method's endpoint, as `/intake/schedule-exploration`. @category accessors */
export const pathOf = (service: ServiceName, method: string): `/${string}` => `/${services[service].path}/${segment(method)}`

/** Every endpoint as `[service, method, operation]`, in the order of the table. @category accessors */
export const all = (): ReadonlyArray<readonly [ServiceName, string, Operation]> =>
  (Object.keys(services) as Array<ServiceName>).flatMap((service) =>
    Object.entries(services[service].operations as Record<string, Operation>).map(([method, operation]) =>
      [service, method, operation] as const
    )
  )
