/**
 * The programme report: goals against what happened (with the verdict on each intended result),
 * the sessions held with their attendance and their evaluation in aggregate, themes, insights,
 * agreements and their status, the measures with their indicators, and the check-ins. One value
 * ({@link ProgrammeReport}), built by a pure function from stored entities, rendered for people
 * (Markdown and a standalone HTML page, in `ReportRender`, with the CSV exports) and for programs
 * (JSON, here, with the published {@link jsonSchema}).
 *
 * The report holds counts and, for the fixed group, each participant's attendance by name: erasing
 * a person's data changes names in it, never its numbers.
 *
 * @since 0.1.0
 */
import { JSONSchema, Schema } from "effect"
import { DateTime } from "luxon"
import type { Agreement } from "./Agreement.js"
import type { Enrolment } from "./Enrolment.js"
import type { EvaluationAnswer, EvaluationSettings } from "./Evaluation.js"
import { aggregate, defaultEvaluationSettings, overallAverage, questionsOf } from "./Evaluation.js"
import { progressOf, verdictsOf } from "./Impact.js"
import type { Insight } from "./Insight.js"
import { invitedAndPresent } from "./internal/attendance.js"
import { byStart } from "./internal/reportText.js"
import type { Measure } from "./Measure.js"
import { attendanceOf } from "./Participants.js"
import { counts as taskCounts } from "./Tasks.js"
import { helixRoles } from "./Person.js"
import type { Programme } from "./Programme.js"
import type { Session } from "./Session.js"

// ---------------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------------

const Count = Schema.Int.pipe(Schema.nonNegative())
const Rate = Schema.Number.pipe(Schema.between(0, 1)).annotations({ description: "A share from 0 to 1." })
const Iso = Schema.String.annotations({ description: "An instant as ISO 8601 in UTC." })

/** Attendance numbers: invited, present, and the share present. @category models */
export const AttendanceCount = Schema.Struct({
  invited: Count,
  present: Count,
  /** `present / invited`, absent when nobody was invited. */
  rate: Schema.optional(Rate)
})
/** @category models */
export type AttendanceCount = typeof AttendanceCount.Type

/** One plan item against what happened to it. @category models */
export const ReportPlanItem = Schema.Struct({
  planItemId: Schema.String,
  role: Schema.Literal("KickOff", "Regular", "Closing"),
  theme: Schema.optional(Schema.String),
  goal: Schema.String,
  workForms: Schema.Array(Schema.String),
  sessionId: Schema.optional(Schema.String),
  /** The session's state, or `NotScheduled`. */
  outcome: Schema.Literal("NotScheduled", "Draft", "Scheduled", "Invited", "Held", "Cancelled")
})

/** One session of the programme. @category models */
export const ReportSession = Schema.Struct({
  id: Schema.String,
  title: Schema.String,
  start: Schema.optional(Iso),
  state: Schema.Literal("Draft", "Scheduled", "Invited", "Held", "Cancelled"),
  role: Schema.optional(Schema.Literal("KickOff", "Regular", "Closing")),
  theme: Schema.optional(Schema.String),
  host: Schema.optional(Schema.String),
  workForms: Schema.Array(Schema.String),
  crossRegional: Schema.Boolean,
  /** Attendance of this programme's invitees; only for held sessions. */
  attendance: Schema.optional(AttendanceCount),
  insights: Count,
  /** The session's evaluation in aggregate (held sessions): averages only from the minimum number of answers. */
  evaluation: Schema.optional(Schema.Struct({
    answers: Count,
    shown: Schema.Boolean,
    /** The mean of the shown question averages, 1 to 5. */
    average: Schema.optional(Schema.Number),
    questions: Schema.Array(Schema.Struct({ key: Schema.String, text: Schema.String, average: Schema.optional(Schema.Number) }))
  })),
  /** The titled links attached to the session. */
  materials: Schema.Array(Schema.Struct({ title: Schema.String, url: Schema.String, kind: Schema.String }))
})
/** @category models */
export type ReportSession = typeof ReportSession.Type

/** One theme with what came of it. @category models */
export const ReportTheme = Schema.Struct({
  id: Schema.String,
  title: Schema.String,
  scope: Schema.Literal("Regional", "CrossRegional"),
  votes: Count,
  sessionsHeld: Count,
  insights: Count
})

/** One insight. @category models */
export const ReportInsight = Schema.Struct({
  id: Schema.String,
  kind: Schema.Literal("WhatWorked", "PracticeExample", "Lesson"),
  title: Schema.String,
  text: Schema.String,
  themes: Schema.Array(Schema.String),
  session: Schema.optional(Schema.String)
})

/** One agreement. @category models */
export const ReportAgreement = Schema.Struct({
  id: Schema.String,
  action: Schema.String,
  owner: Schema.String,
  organisation: Schema.String,
  dueDate: Schema.String,
  status: Schema.Literal("Open", "InProgress", "Done", "Dropped"),
  overdue: Schema.Boolean,
  measure: Schema.optional(Schema.String),
  session: Schema.optional(Schema.String),
  droppedReason: Schema.optional(Schema.String),
  notes: Count,
  lastNote: Schema.optional(Schema.String)
})

/** One measure. @category models */
export const ReportMeasure = Schema.Struct({
  id: Schema.String,
  title: Schema.String,
  description: Schema.optional(Schema.String),
  organisations: Schema.Array(Schema.String),
  agreements: Count,
  done: Count
})

/** One indicator of a measure, with its dated values and progress. @category models */
export const ReportIndicator = Schema.Struct({
  measureId: Schema.String,
  measure: Schema.String,
  indicatorId: Schema.String,
  name: Schema.String,
  unit: Schema.String,
  baseline: Schema.Number,
  target: Schema.Number,
  values: Schema.Array(Schema.Struct({ date: Schema.String, value: Schema.Number })),
  latest: Schema.optional(Schema.Struct({ date: Schema.String, value: Schema.Number })),
  /** The share of the way from baseline to target the latest value covers (1 = reached). */
  progress: Schema.optional(Schema.Number)
})
/** @category models */
export type ReportIndicator = typeof ReportIndicator.Type

/** The verdict on one intended result, when given. @category models */
export const ReportVerdict = Schema.Struct({
  result: Schema.String,
  verdict: Schema.optional(Schema.Literal("Reached", "Partly", "NotReached")),
  note: Schema.optional(Schema.String)
})

/** A follow-up check-in: how many agreements and measures stood where. @category models */
export const ReportCheckIn = Schema.Struct({
  monthsAfterClosing: Count,
  recordedAt: Iso,
  agreements: Schema.Array(Schema.Struct({ id: Schema.String, action: Schema.String, outcome: Schema.String, note: Schema.optional(Schema.String) })),
  measures: Schema.Array(Schema.Struct({ id: Schema.String, title: Schema.String, outcome: Schema.String, note: Schema.optional(Schema.String) }))
})

/** One fixed participant's attendance over the held sessions (names change with an erasure, the numbers do not). @category models */
export const ReportParticipant = Schema.Struct({
  name: Schema.String,
  organisation: Schema.optional(Schema.String),
  helixRole: Schema.String,
  /** Held sessions the participant was invited to. */
  invited: Count,
  present: Count,
  rate: Schema.optional(Rate),
  /** Held sessions missed since the last one attended. */
  missedInARow: Count
})

/** The numbers of the report. @category models */
export const ReportSummary = Schema.Struct({
  plannedSessions: Count,
  sessionsHeld: Count,
  sessionsCancelled: Count,
  participants: Schema.Struct({
    active: Count,
    reserve: Count,
    left: Count,
    byHelixRole: Schema.Struct({ Entrepreneur: Count, Government: Count, Intermediary: Count, Knowledge: Count })
  }),
  /** Over the held sessions. */
  attendance: AttendanceCount,
  themes: Count,
  insights: Count,
  agreements: Schema.Struct({
    total: Count,
    Open: Count,
    InProgress: Count,
    Done: Count,
    Dropped: Count,
    overdue: Count,
    /** `Done / (total − Dropped)`, absent when no agreement counts. */
    completionRate: Schema.optional(Rate)
  }),
  measures: Count,
  /** The plan's tasks: open ones, and those open past their deadline. */
  tasks: Schema.Struct({ total: Count, done: Count, open: Count, overdue: Count })
})
/** @category models */
export type ReportSummary = typeof ReportSummary.Type

/** The programme report. @category models */
export const ProgrammeReport = Schema.Struct({
  schemaVersion: Schema.Literal(1),
  generatedAt: Iso,
  programme: Schema.Struct({
    id: Schema.String,
    regionId: Schema.String,
    regionName: Schema.String,
    state: Schema.String,
    createdAt: Iso,
    planApprovedAt: Schema.optional(Iso),
    closedAt: Schema.optional(Iso),
    coreTeam: Count
  }),
  goals: Schema.Struct({
    intendedResults: Schema.Array(Schema.String),
    whoIsNeeded: Schema.Array(Schema.String),
    whoCanContribute: Schema.Array(Schema.String)
  }),
  plan: Schema.Array(ReportPlanItem),
  summary: ReportSummary,
  sessions: Schema.Array(ReportSession),
  /** The fixed group (active participants), each with their attendance, by name. */
  participants: Schema.Array(ReportParticipant),
  themes: Schema.Array(ReportTheme),
  insights: Schema.Array(ReportInsight),
  agreements: Schema.Array(ReportAgreement),
  measures: Schema.Array(ReportMeasure),
  /** The verdict on each intended result of the goals (given at closing). */
  verdicts: Schema.optional(Schema.Array(ReportVerdict)),
  /** The indicators of the measures, with their progress. */
  indicators: Schema.optional(Schema.Array(ReportIndicator)),
  /** The follow-up check-ins recorded after closing. */
  checkIns: Schema.optional(Schema.Array(ReportCheckIn))
}).annotations({
  identifier: "ProgrammeReport",
  title: "copkit programme report",
  description: "A regional Community of Practice programme: goals against what happened, sessions and attendance, themes, insights, agreements and measures."
})
/** @category models */
export type ProgrammeReport = typeof ProgrammeReport.Type

/** The JSON Schema of {@link toJson}'s output, derived from {@link ProgrammeReport}. @category schemas */
export const jsonSchema = JSONSchema.make(ProgrammeReport)

// ---------------------------------------------------------------------------------------------
// Building
// ---------------------------------------------------------------------------------------------

/** What a report is built from. @category models */
export interface ReportData {
  readonly programme: Programme
  readonly sessions: ReadonlyArray<Session>
  readonly enrolments: ReadonlyArray<Enrolment>
  readonly insights: ReadonlyArray<Insight>
  readonly agreements: ReadonlyArray<Agreement>
  readonly measures: ReadonlyArray<Measure>
  /** The programme's evaluation answers (only their aggregate is reported). */
  readonly evaluations?: ReadonlyArray<EvaluationAnswer> | undefined
  /** The evaluation settings: the minimum number of answers and the default questions. */
  readonly evaluationSettings?: Pick<EvaluationSettings, "minAnswers" | "defaultQuestions"> | undefined
  readonly generatedAt: Date
}

const rate = (present: number, invited: number): number | undefined =>
  invited > 0 ? Math.round((present / invited) * 1000) / 1000 : undefined

const attendanceCount = (present: number, invited: number): AttendanceCount => {
  const r = rate(present, invited)
  return r === undefined ? { invited, present } : { invited, present, rate: r }
}

/** The attendance of one programme's invitees at a session (a cross-regional session counts each programme's own). @category rules */
export const sessionAttendance = (session: Session, programmeId: string): AttendanceCount => {
  const { invited, present } = invitedAndPresent(session, programmeId)
  return attendanceCount(present, invited)
}

const opt = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V }

/**
 * Builds the report of a programme from its stored entities. A pure function; "overdue" is read
 * against the report's date in `timeZone`.
 *
 * @category constructors
 */
export const build = (data: ReportData, timeZone = "Europe/Amsterdam"): ProgrammeReport => {
  const p = data.programme
  const themeTitle = new Map(p.themes.map((t) => [t.id as string, t.title]))
  const sessions = data.sessions.filter((s) => s.programmeIds.includes(p.id)).sort(byStart)
  const sessionTitle = new Map(sessions.map((s) => [s.id as string, s.title]))
  const planRole = new Map(p.plan.map((i) => [i.id as string, i.role]))
  const insights = data.insights.filter((i) => i.programmeId === p.id)
  const agreements = data.agreements.filter((a) => a.programmeId === p.id)
  const measures = data.measures.filter((m) => m.programmeId === p.id)
  const today = DateTime.fromMillis(data.generatedAt.getTime(), { zone: timeZone }).toISODate() ?? data.generatedAt.toISOString().slice(0, 10)
  const held = sessions.filter((s) => s.state === "Held")

  const evaluationSettings = data.evaluationSettings ?? defaultEvaluationSettings
  const questions = questionsOf(p, evaluationSettings)
  const evaluationOf = (sessionId: string): NonNullable<ReportSession["evaluation"]> => {
    const e = aggregate(sessionId, p.id, questions, data.evaluations ?? [], evaluationSettings.minAnswers)
    const average = overallAverage(e)
    return {
      answers: e.answers,
      shown: e.shown,
      ...opt("average", average),
      questions: e.questions.filter((q) => q.kind === "Scale").map((q) => ({ key: q.key, text: q.text.nl, ...opt("average", q.average) }))
    }
  }

  const reportSessions = sessions.map((s): ReportSession => {
    const role = s.planItemId === undefined ? undefined : planRole.get(s.planItemId)
    const theme = s.themeId === undefined ? undefined : themeTitle.get(s.themeId)
    return {
      id: s.id,
      title: s.title,
      ...opt("start", s.start?.toISOString()),
      state: s.state,
      ...opt("role", role),
      ...opt("theme", theme),
      ...opt("host", s.host),
      workForms: [...s.workForms],
      crossRegional: s.programmeIds.length > 1,
      ...opt("attendance", s.state === "Held" ? sessionAttendance(s, p.id) : undefined),
      insights: insights.filter((i) => i.sessionId === s.id).length,
      ...opt("evaluation", s.state === "Held" ? evaluationOf(s.id) : undefined),
      materials: s.materials.map((m) => ({ title: m.title, url: m.url, kind: m.kind }))
    }
  })

  const heldAttendance = held.map((s) => sessionAttendance(s, p.id))
  const invited = heldAttendance.reduce((n, a) => n + a.invited, 0)
  const present = heldAttendance.reduce((n, a) => n + a.present, 0)

  const isOverdue = (a: Agreement) => (a.status === "Open" || a.status === "InProgress") && a.dueDate < today
  const statusCount = (s: Agreement["status"]) => agreements.filter((a) => a.status === s).length
  const counting = agreements.length - statusCount("Dropped")
  const completion = rate(statusCount("Done"), counting)

  const enrolStatus = (s: Enrolment["status"]) => data.enrolments.filter((e) => e.programmeId === p.id && e.status === s)
  const active = enrolStatus("Active")
  const byHelixRole = Object.fromEntries(helixRoles.map((r) => [r, active.filter((e) => e.person.helixRole === r).length])) as {
    Entrepreneur: number
    Government: number
    Intermediary: number
    Knowledge: number
  }

  const measureTitle = new Map(measures.map((m) => [m.id as string, m.title]))
  const liveThemes = p.themes.filter((t) => !t.withdrawn)

  return {
    schemaVersion: 1,
    generatedAt: data.generatedAt.toISOString(),
    programme: {
      id: p.id,
      regionId: p.regionId,
      regionName: p.region.name,
      state: p.state,
      createdAt: p.createdAt.toISOString(),
      ...opt("planApprovedAt", p.planApprovedAt?.toISOString()),
      ...opt("closedAt", p.closedAt?.toISOString()),
      coreTeam: p.coreTeam.length
    },
    goals: {
      intendedResults: [...p.goals.intendedResults],
      whoIsNeeded: [...p.goals.whoIsNeeded],
      whoCanContribute: [...p.goals.whoCanContribute]
    },
    plan: p.plan.map((item) => {
      const session = sessions.find((s) => s.planItemId === item.id || s.id === item.sessionId)
      return {
        planItemId: item.id,
        role: item.role,
        ...opt("theme", item.themeId === undefined ? undefined : themeTitle.get(item.themeId)),
        goal: item.goal,
        workForms: [...item.workForms],
        ...opt("sessionId", session?.id),
        outcome: session?.state ?? "NotScheduled"
      }
    }),
    summary: {
      plannedSessions: p.plan.length,
      sessionsHeld: held.length,
      sessionsCancelled: sessions.filter((s) => s.state === "Cancelled").length,
      participants: {
        active: active.length,
        reserve: enrolStatus("Reserve").length,
        left: enrolStatus("Left").length,
        byHelixRole
      },
      attendance: attendanceCount(present, invited),
      themes: liveThemes.length,
      insights: insights.length,
      agreements: {
        total: agreements.length,
        Open: statusCount("Open"),
        InProgress: statusCount("InProgress"),
        Done: statusCount("Done"),
        Dropped: statusCount("Dropped"),
        overdue: agreements.filter(isOverdue).length,
        ...opt("completionRate", completion)
      },
      measures: measures.length,
      tasks: taskCounts(p, new Map(sessions.map((x) => [x.id as string, x])), data.generatedAt)
    },
    sessions: reportSessions,
    participants: (() => {
      const attendance = attendanceOf(p.id, sessions)
      return [...active]
        .sort((a, b) => a.person.name.localeCompare(b.person.name, "nl") || (a.id < b.id ? -1 : 1))
        .map((e) => {
          const row = attendance.get(e.person.id)
          const invitedTo = row?.invited ?? 0
          const presentAt = row?.present ?? 0
          return {
            name: e.person.name,
            ...opt("organisation", e.person.organisation),
            helixRole: e.person.helixRole,
            invited: invitedTo,
            present: presentAt,
            ...opt("rate", rate(presentAt, invitedTo)),
            missedInARow: row?.missedInARow ?? 0
          }
        })
    })(),
    themes: liveThemes.map((t) => ({
      id: t.id,
      title: t.title,
      scope: t.scope,
      votes: t.votes.reduce((n, v) => n + v.points, 0),
      sessionsHeld: held.filter((s) => s.themeId === t.id).length,
      insights: insights.filter((i) => i.themeIds.includes(t.id)).length
    })),
    insights: insights.map((i) => ({
      id: i.id,
      kind: i.kind,
      title: i.title,
      text: i.text,
      themes: i.themeIds.map((t) => themeTitle.get(t) ?? t),
      ...opt("session", sessionTitle.get(i.sessionId))
    })),
    agreements: agreements.map((a) => ({
      id: a.id,
      action: a.action,
      owner: a.owner.name,
      organisation: a.owner.organisation,
      dueDate: a.dueDate,
      status: a.status,
      overdue: isOverdue(a),
      ...opt("measure", a.measureId === undefined ? undefined : measureTitle.get(a.measureId)),
      ...opt("session", a.sessionId === undefined ? undefined : sessionTitle.get(a.sessionId)),
      ...opt("droppedReason", a.droppedReason),
      notes: a.notes.length,
      ...opt("lastNote", a.notes.at(-1)?.text)
    })),
    measures: measures.map((m) => {
      const own = agreements.filter((a) => a.measureId === m.id)
      return {
        id: m.id,
        title: m.title,
        ...opt("description", m.description),
        organisations: [...m.organisations],
        agreements: own.length,
        done: own.filter((a) => a.status === "Done").length
      }
    }),
    verdicts: verdictsOf(p).map((v) => ({ result: v.result, ...opt("verdict", v.verdict?.verdict), ...opt("note", v.verdict?.note) })),
    indicators: progressOf(measures).map((i) => ({ ...i, values: [...i.values] })),
    checkIns: (p.checkIns ?? []).map((c) => ({
      monthsAfterClosing: c.monthsAfterClosing,
      recordedAt: c.recordedAt.toISOString(),
      agreements: c.agreements.map((o) => ({
        id: o.agreementId,
        action: agreements.find((a) => a.id === o.agreementId)?.action ?? o.agreementId,
        outcome: o.outcome,
        ...opt("note", o.note)
      })),
      measures: c.measures.map((o) => ({ id: o.measureId, title: measureTitle.get(o.measureId) ?? o.measureId, outcome: o.outcome, ...opt("note", o.note) }))
    }))
  }
}

// ---------------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------------

const encodeReport = Schema.encodeSync(ProgrammeReport)

/** Renders the report as JSON (pretty-printed), valid against {@link jsonSchema}. @category rendering */
export const toJson = (report: ProgrammeReport): string => JSON.stringify(encodeReport(report), null, 2)
