/**
 * @copkit/core: the domain of a regional Community of Practice as Effect services.
 *
 * @since 0.1.0
 * @module @copkit/core
 */

/** Who performs a call, and how to run an effect as them. */
export * as Actor from "./Actor.js"
/** Agreements made at the end of a programme. */
export * as Agreement from "./Agreement.js"
/** A region's application and the pure rules of the intake. */
export * as Application from "./Application.js"
/** The calendar ports and models. */
export * as Calendar from "./Calendar.js"
/** Sessions in the programmes' CalDAV calendars: the dispatcher's second channel, with ETags and conflicts left for a person. */
export * as CalendarSync from "./CalendarSync.js"
/** The Promise facade for teams that do not use Effect. */
export * as Client from "./Client.js"
/** The co-design service: core team, goals, themes, votes, the session plan and its approval. */
export * as CoDesign from "./CoDesign.js"
/** The pure rules of co-design and their settings. */
export * as CoDesignRules from "./CoDesignRules.js"
/** The path of a command, written once. */
export * as Command from "./Command.js"
/** Shared value schemas. */
export * as Common from "./Common.js"
/** CSV as RFC 4180 writes it, with formula-injection guarding. */
export * as Csv from "./Csv.js"
/** The dispatcher: the event log turned into e-mails, retried, recorded, never sent twice. */
export * as Dispatcher from "./Dispatcher.js"
/** Enrolment in a programme's fixed group. */
export * as Enrolment from "./Enrolment.js"
/** Entity kinds and their indexed columns. */
export * as Entity from "./Entity.js"
/** The typed errors. */
export * from "./Errors.js"
/** The event log port. */
export * as EventLog from "./EventLog.js"
/** Domain events. */
export * as Events from "./Events.js"
/** Private calendar feeds: a revocable token per person, the person's and a programme's feed. */
export * as Feeds from "./Feeds.js"
/** A person's private feed token: issued, revoked, rotated; personal data. */
export * as FeedToken from "./FeedToken.js"
/** The links messages carry when the host serves them: answers by link, private feeds. */
export * as Links from "./Links.js"
/** The follow-up service: agreements, measures, closing, reminders, reports. */
export * as FollowUp from "./FollowUp.js"
/** The history of one entity, read with the entity's own permission rules. */
export * as History from "./History.js"
/** Closing a programme: the closing session, what is missing, the step to Completed. */
export * as FollowUpClosing from "./FollowUpClosing.js"
/** The notifications of the follow-up events: due and overdue reminders, check-ins. */
export * as FollowUpNotifications from "./FollowUpNotifications.js"
/** The reminders of the follow-up: before and after due dates, check-ins after closing. */
export * as FollowUpReminders from "./FollowUpReminders.js"
/** Branded ids and the id port. */
export * as Ids from "./Ids.js"
/** Narrow reads for the network overview: programme, application and session summaries, agreement tallies. */
export * as Summary from "./Summary.js"
/** The tasks of a programme's plan: assigned, ticked off, reminded. */
export * as Tasks from "./Tasks.js"
/** Insights from sessions. */
export * as Insight from "./Insight.js"
/** The intake service. */
export * as Intake from "./Intake.js"
/** Intake rounds: their model and rules (capacity, deadline, the comparison by readiness). */
export * as IntakeRound from "./IntakeRound.js"
/** The intake rounds service: open, close, list and compare rounds. */
export * as IntakeRounds from "./IntakeRounds.js"
/** The messages the intake owes people: receipt, the exploratory conversation's invitation, the decision. */
export * as IntakeNotifications from "./IntakeNotifications.js"
/** The network search's store-side port: a page of hits from a full-text index. */
export * as SearchIndex from "./SearchIndex.js"
/** The network overview and the search over insights. */
export * as Network from "./Network.js"
/** Notifications: what the dispatcher sends, per event and recipient. */
export * as Notification from "./Notification.js"
/** The mailer port. */
export * as Mailer from "./Mailer.js"
/** Session evaluations: questions, answers (one per attendee), results only in aggregate. */
export * as Evaluation from "./Evaluation.js"
/** The evaluation request sent to a held session's attendees. */
export * as EvaluationNotifications from "./EvaluationNotifications.js"
/** The evaluation and impact service: evaluations, goal verdicts, indicators, check-ins. */
export * as Evaluations from "./Evaluations.js"

export * as Directory from "./Directory.js"
/** Impact: goal verdicts at closing, indicators of measures, check-in outcomes. */
export * as Impact from "./Impact.js"
/** Measures. */
export * as Measure from "./Measure.js"
/** The outbox and delivery records. */
export * as Outbox from "./Outbox.js"
/** Participants: the fixed group, the reserve list, the helix mix. */
export * as Participants from "./Participants.js"
/** Personal data: export, erasure, retention. */
export * as PersonalData from "./PersonalData.js"
/** The permission rules. */
export * as Permissions from "./Permissions.js"
/** People and helix roles. */
export * as Person from "./Person.js"
/** The date planner. */
export * as Planner from "./Planner.js"
/** The checks of a session plan. */
export * as PlanValidation from "./PlanValidation.js"
/** Programmes: core team, goals, themes, plan, and the pure deciders of the programme's whole life. */
export * as Programme from "./Programme.js"
/** The programmes service: read, withdraw, cancel, and amend the approved plan. */
export * as Programmes from "./Programmes.js"
/** The programme report: its model, JSON and JSON Schema, and its build. */
export * as Report from "./Report.js"
/** The renderers of the programme report: Markdown, HTML, and the CSV exports. */
export * as ReportRender from "./ReportRender.js"
/** Regions. */
export * as Region from "./Region.js"
/** The storage ports. */
export * as Repository from "./Repository.js"
/** School holidays of the Netherlands per zone, as data. */
export * as SchoolHolidays from "./SchoolHolidays.js"
/** Sessions. */
export * as Session from "./Session.js"
/** Every service in one layer. */
export * as Services from "./Services.js"
/** The notifications of session events, and how sources compose. */
export * as SessionNotifications from "./SessionNotifications.js"
/** The sessions service: participants, planning, invitations, attendance, minutes, insights. */
export * as Sessions from "./Sessions.js"
/** Business thresholds. */
export * as Settings from "./Settings.js"
/** Matching cross-regional themes across programmes into shared sessions. */
export * as ThemeMatching from "./ThemeMatching.js"
/** The ranking of themes from the core team's votes. */
export * as ThemeRanking from "./ThemeRanking.js"
/** The transaction boundary port. */
export * as Transaction from "./Transaction.js"
/** Decoding of plain input. */
export * as Validation from "./Validation.js"
/** Work forms and kinds of learning. */
export * as WorkForm from "./WorkForm.js"
