/**
 * The programme report: goals against what happened, the sessions held with their attendance,
 * themes, insights, agreements and their status, and the measures. One value
 * ({@link ProgrammeReport}), built by a pure function from stored entities, rendered for people
 * (Markdown, a standalone HTML page) and for programs (JSON, with the published {@link jsonSchema}).
 * The CSV exports of a programme's participants, attendance and agreements live here too.
 *
 * The report holds counts, not per-person attendance: erasing a person's data changes names in
 * it, never its numbers.
 *
 * @since 0.1.0
 */
import { JSONSchema, Schema } from "effect"
import { DateTime } from "luxon"
import type { Agreement } from "./Agreement.js"
import type { Language } from "./Common.js"
import * as Csv from "./Csv.js"
import type { Enrolment } from "./Enrolment.js"
import type { Insight } from "./Insight.js"
import type { Measure } from "./Measure.js"
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
  insights: Count
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
  measures: Count
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
  themes: Schema.Array(ReportTheme),
  insights: Schema.Array(ReportInsight),
  agreements: Schema.Array(ReportAgreement),
  measures: Schema.Array(ReportMeasure)
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
  const invitees = session.invitations.filter((i) => session.programmeIds.length === 1 || i.programmeId === programmeId)
  const ids = new Set(invitees.map((i) => i.personId))
  const present = session.attendance.filter((a) => a.present && (session.programmeIds.length === 1 || ids.has(a.personId))).length
  return attendanceCount(present, invitees.length)
}

const byStart = (a: Session, b: Session) =>
  (a.start?.getTime() ?? Number.MAX_SAFE_INTEGER) - (b.start?.getTime() ?? Number.MAX_SAFE_INTEGER) || (a.id < b.id ? -1 : 1)

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
      insights: insights.filter((i) => i.sessionId === s.id).length
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
      measures: measures.length
    },
    sessions: reportSessions,
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
    })
  }
}

// ---------------------------------------------------------------------------------------------
// Labels (Dutch by default, English available)
// ---------------------------------------------------------------------------------------------

const labels = {
  nl: {
    title: "Programmaverslag",
    generated: "Opgesteld op",
    state: "Fase",
    summary: "In het kort",
    item: "Onderdeel",
    value: "Stand",
    sessionsHeld: "Bijeenkomsten gehouden",
    attendance: "Opkomst",
    participants: "Deelnemers",
    agreementsDone: "Afspraken afgerond",
    insights: "Inzichten",
    goals: "Doelen en wat ervan terechtkwam",
    intendedResults: "Beoogde resultaten",
    whoIsNeeded: "Wie is er nodig",
    whoCanContribute: "Wie kan bijdragen",
    plan: "Het plan",
    role: "Rol",
    theme: "Thema",
    goal: "Doel",
    outcome: "Uitkomst",
    sessions: "Bijeenkomsten",
    date: "Datum",
    session: "Bijeenkomst",
    present: "aanwezig",
    of: "van",
    themes: "Thema's",
    scope: "Reikwijdte",
    votes: "Stemmen",
    agreements: "Afspraken",
    action: "Actie",
    owner: "Eigenaar",
    due: "Uiterlijk",
    status: "Status",
    measure: "Maatregel",
    measures: "Maatregelen",
    organisations: "Organisaties",
    overdue: "te laat",
    none: "Geen.",
    notes: "notities",
    dropped: "Reden",
    noDate: "nog geen datum"
  },
  en: {
    title: "Programme report",
    generated: "Generated on",
    state: "Stage",
    summary: "Summary",
    item: "Item",
    value: "Value",
    sessionsHeld: "Sessions held",
    attendance: "Attendance",
    participants: "Participants",
    agreementsDone: "Agreements done",
    insights: "Insights",
    goals: "Goals against what happened",
    intendedResults: "Intended results",
    whoIsNeeded: "Who is needed",
    whoCanContribute: "Who can contribute",
    plan: "The plan",
    role: "Role",
    theme: "Theme",
    goal: "Goal",
    outcome: "Outcome",
    sessions: "Sessions",
    date: "Date",
    session: "Session",
    present: "present",
    of: "of",
    themes: "Themes",
    scope: "Scope",
    votes: "Votes",
    agreements: "Agreements",
    action: "Action",
    owner: "Owner",
    due: "Due",
    status: "Status",
    measure: "Measure",
    measures: "Measures",
    organisations: "Organisations",
    overdue: "overdue",
    none: "None.",
    notes: "notes",
    dropped: "Reason",
    noDate: "no date yet"
  }
} as const

const stateNames: Record<Language, Record<string, string>> = {
  nl: {
    Open: "Open",
    InProgress: "Bezig",
    Done: "Afgerond",
    Dropped: "Vervallen",
    NotScheduled: "Niet gepland",
    Draft: "Concept",
    Scheduled: "Gepland",
    Invited: "Uitgenodigd",
    Held: "Gehouden",
    Cancelled: "Afgelast",
    KickOff: "Aftrap",
    Regular: "Bijeenkomst",
    Closing: "Afsluiting",
    Regional: "Regionaal",
    CrossRegional: "Bovenregionaal",
    WhatWorked: "Wat werkte",
    PracticeExample: "Praktijkvoorbeeld",
    Lesson: "Les",
    CoDesign: "Samen ontwerpen",
    Planned: "Gepland",
    Running: "Lopend",
    FollowUp: "Vervolg",
    Completed: "Afgerond",
    Withdrawn: "Teruggetrokken"
  },
  en: {}
}

const name = (language: Language, key: string): string => stateNames[language][key] ?? key.replace(/([a-z])([A-Z])/g, "$1 $2")

const percent = (r: number | undefined): string => (r === undefined ? "–" : `${Math.round(r * 100)}%`)

const day = (iso: string | undefined, language: Language, fallback: string): string =>
  iso === undefined
    ? fallback
    : DateTime.fromISO(iso, { zone: "Europe/Amsterdam" }).setLocale(language === "nl" ? "nl-NL" : "en-GB").toLocaleString(DateTime.DATE_MED)

/** Options of the renderers. @category models */
export interface RenderOptions {
  /** The language of the labels; the report's own text stays as written. Dutch by default. */
  readonly language?: Language | undefined
}

// ---------------------------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------------------------

/** Escapes text for Markdown: punctuation that could format, link or open HTML is backslash-escaped, line breaks become spaces. @category rendering */
export const escapeMarkdown = (text: string): string =>
  text.replace(/[\\`*_{}[\]()<>#+!|~&-]/g, (c) => `\\${c}`).replace(/\r\n|\r|\n/g, " ")

/** Renders the report as Markdown (GitHub-flavoured tables). @category rendering */
export const toMarkdown = (report: ProgrammeReport, options: RenderOptions = {}): string => {
  const language = options.language ?? "nl"
  const L = labels[language]
  const md = escapeMarkdown
  const s = report.summary
  const out: Array<string> = []
  const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>) => {
    if (rows.length === 0) {
      out.push(L.none, "")
      return
    }
    out.push(`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`)
    for (const r of rows) out.push(`| ${r.join(" | ")} |`)
    out.push("")
  }
  const list = (items: ReadonlyArray<string>) => {
    if (items.length === 0) out.push(L.none)
    for (const i of items) out.push(`- ${md(i)}`)
    out.push("")
  }
  out.push(`# ${L.title}: ${md(report.programme.regionName)}`, "")
  out.push(`${L.state}: **${md(name(language, report.programme.state))}** · ${L.generated} ${md(day(report.generatedAt, language, ""))}`, "")
  out.push(`## ${L.summary}`, "")
  table([L.item, L.value], [
    [L.sessionsHeld, `${s.sessionsHeld} ${L.of} ${s.plannedSessions}`],
    [L.attendance, `${percent(s.attendance.rate)} (${s.attendance.present} ${L.of} ${s.attendance.invited})`],
    [L.participants, String(s.participants.active)],
    [L.agreementsDone, `${s.agreements.Done} ${L.of} ${s.agreements.total - s.agreements.Dropped} (${percent(s.agreements.completionRate)})`],
    [L.insights, String(s.insights)],
    [L.measures, String(s.measures)]
  ])
  out.push(`## ${L.goals}`, "", `### ${L.intendedResults}`, "")
  list(report.goals.intendedResults)
  out.push(`### ${L.whoIsNeeded}`, "")
  list(report.goals.whoIsNeeded)
  out.push(`### ${L.whoCanContribute}`, "")
  list(report.goals.whoCanContribute)
  out.push(`### ${L.plan}`, "")
  table(
    ["#", L.role, L.theme, L.goal, L.outcome],
    report.plan.map((i, n) => [String(n + 1), name(language, i.role), md(i.theme ?? "–"), md(i.goal), name(language, i.outcome)])
  )
  out.push(`## ${L.sessions}`, "")
  table(
    [L.date, L.session, L.theme, L.status, L.attendance],
    report.sessions.map((x) => [
      md(day(x.start, language, L.noDate)),
      md(x.title),
      md(x.theme ?? "–"),
      name(language, x.state),
      x.attendance !== undefined ? `${x.attendance.present} ${L.of} ${x.attendance.invited} (${percent(x.attendance.rate)})` : "–"
    ])
  )
  out.push(`## ${L.themes}`, "")
  table(
    [L.theme, L.scope, L.votes, L.sessionsHeld, L.insights],
    report.themes.map((t) => [md(t.title), name(language, t.scope), String(t.votes), String(t.sessionsHeld), String(t.insights)])
  )
  out.push(`## ${L.insights}`, "")
  if (report.insights.length === 0) out.push(L.none, "")
  for (const i of report.insights) {
    out.push(`### ${md(i.title)}`, "", `*${name(language, i.kind)}*${i.themes.length > 0 ? ` · ${md(i.themes.join(", "))}` : ""}`, "")
    out.push(md(i.text), "")
  }
  out.push(`## ${L.agreements}`, "")
  table(
    [L.action, L.owner, L.due, L.status, L.measure],
    report.agreements.map((a) => [
      md(a.action),
      `${md(a.owner)} (${md(a.organisation)})`,
      `${a.dueDate}${a.overdue ? ` **${L.overdue}**` : ""}`,
      `${name(language, a.status)}${a.droppedReason ? `: ${md(a.droppedReason)}` : ""}`,
      md(a.measure ?? "–")
    ])
  )
  out.push(`## ${L.measures}`, "")
  table(
    [L.measure, L.organisations, L.agreements],
    report.measures.map((m) => [md(m.title), md(m.organisations.join(", ")), `${m.done} ${L.of} ${m.agreements}`])
  )
  return out.join("\n")
}

// ---------------------------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------------------------

/** Escapes text for HTML content and attribute values. @category rendering */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" })[c]!)

const css = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2933;background:#f4f6f8}
main{max-width:960px;margin:0 auto;padding:32px 24px 64px}
header{border-bottom:3px solid #1d6fa5;margin-bottom:24px;padding-bottom:12px}
h1{font-size:28px;margin:0 0 4px;color:#12324a}
h2{font-size:20px;margin:36px 0 12px;color:#12324a;border-bottom:1px solid #d9e2ec;padding-bottom:4px}
h3{font-size:16px;margin:20px 0 8px;color:#243b53}
.meta{color:#52606d;font-size:14px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(130px,1fr));gap:12px}
.card{background:#fff;border:1px solid #d9e2ec;border-radius:8px;padding:12px 14px}
.card .v{font-size:24px;font-weight:600;color:#1d6fa5}
.card .l{font-size:13px;color:#52606d}
table{width:100%;border-collapse:collapse;background:#fff;border:1px solid #d9e2ec;border-radius:8px;overflow:hidden;font-size:14px}
th,td{text-align:left;padding:8px 10px;border-bottom:1px solid #e4e7eb;vertical-align:top}
th{background:#f0f4f8;color:#334e68;font-weight:600}
tr:last-child td{border-bottom:0}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;white-space:nowrap;background:#eef2f6;color:#334e68}
.s-Open{background:#e6f0ff;color:#1d4ed8}.s-InProgress{background:#fff4d6;color:#8a5a00}.s-Done{background:#dcf5e3;color:#17663a}
.s-Dropped{background:#eceff1;color:#52606d}.s-Held{background:#dcf5e3;color:#17663a}.s-Cancelled{background:#fde2e1;color:#a61b1b}
.s-NotScheduled,.s-Draft,.s-Scheduled,.s-Invited{background:#e6f0ff;color:#1d4ed8}
.late{color:#a61b1b;font-weight:600}
ul{margin:4px 0 12px;padding-left:20px}
.insight{background:#fff;border:1px solid #d9e2ec;border-left:4px solid #1d6fa5;border-radius:6px;padding:10px 14px;margin:10px 0}
.insight p{margin:6px 0 0;white-space:pre-wrap}
.muted{color:#7b8794}
.chart{background:#fff;border:1px solid #d9e2ec;border-radius:8px;padding:12px;margin-bottom:12px}
footer{margin-top:40px;font-size:12px;color:#7b8794}
@media print{body{background:#fff}main{padding:0}}
`

const bar = (a: AttendanceCount, L: (typeof labels)[Language]): string => {
  const w = 100
  const filled = Math.round((a.rate ?? 0) * w)
  const label = `${a.present} ${L.of} ${a.invited} ${L.present}`
  return `<svg width="${w + 44}" height="14" role="img" aria-label="${escapeHtml(label)}"><title>${escapeHtml(label)}</title>` +
    `<rect x="0" y="2" width="${w}" height="10" rx="3" fill="#e4e7eb"/>` +
    `<rect x="0" y="2" width="${filled}" height="10" rx="3" fill="#1d6fa5"/>` +
    `<text x="${w + 6}" y="12" font-size="11" fill="#334e68">${percent(a.rate)}</text></svg>`
}

/** A bar chart of attendance per held session, as inline SVG. @category rendering */
export const attendanceChart = (sessions: ReadonlyArray<ReportSession>, language: Language = "nl"): string => {
  const L = labels[language]
  const held = sessions.flatMap((s) => (s.attendance === undefined ? [] : [{ title: s.title, attendance: s.attendance }]))
  if (held.length === 0) return ""
  const barW = 36
  const gap = 18
  const h = 120
  const top = 18
  const width = held.length * (barW + gap) + gap
  const bars = held.map((s, i) => {
    const x = gap + i * (barW + gap)
    const r = s.attendance.rate ?? 0
    const bh = Math.round(r * h)
    const label = `${s.title}: ${s.attendance.present} ${L.of} ${s.attendance.invited} ${L.present}`
    return `<g><title>${escapeHtml(label)}</title>` +
      `<rect x="${x}" y="${top}" width="${barW}" height="${h}" fill="#eef2f6"/>` +
      `<rect x="${x}" y="${top + h - bh}" width="${barW}" height="${bh}" fill="#1d6fa5"/>` +
      `<text x="${x + barW / 2}" y="${top + h - bh - 4}" font-size="11" text-anchor="middle" fill="#243b53">${percent(s.attendance.rate)}</text>` +
      `<text x="${x + barW / 2}" y="${top + h + 14}" font-size="11" text-anchor="middle" fill="#52606d">${i + 1}</text></g>`
  })
  return `<svg width="${width}" height="${top + h + 22}" role="img" aria-label="${escapeHtml(`${L.attendance} ${L.sessions}`)}">` +
    `${bars.join("")}</svg>`
}

/** Renders the report as a standalone HTML page: inline CSS, no scripts, every value escaped. @category rendering */
export const toHtml = (report: ProgrammeReport, options: RenderOptions = {}): string => {
  const language = options.language ?? "nl"
  const L = labels[language]
  const e = escapeHtml
  const s = report.summary
  const badge = (key: string) => `<span class="badge s-${e(key)}">${e(name(language, key))}</span>`
  const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>) =>
    rows.length === 0
      ? `<p class="muted">${e(L.none)}</p>`
      : `<table><thead><tr>${header.map((h) => `<th>${e(h)}</th>`).join("")}</tr></thead><tbody>${
        rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("")
      }</tbody></table>`
  const list = (items: ReadonlyArray<string>) =>
    items.length === 0 ? `<p class="muted">${e(L.none)}</p>` : `<ul>${items.map((i) => `<li>${e(i)}</li>`).join("")}</ul>`
  const card = (value: string, label: string) => `<div class="card"><div class="v">${e(value)}</div><div class="l">${e(label)}</div></div>`
  const held = report.sessions.filter((x) => x.state === "Held")
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(`${L.title}: ${report.programme.regionName}`)}</title>
<style>${css}</style>
</head>
<body>
<main>
<header>
<h1>${e(`${L.title}: ${report.programme.regionName}`)}</h1>
<div class="meta">${e(L.state)}: ${badge(report.programme.state)} · ${e(L.generated)} ${e(day(report.generatedAt, language, ""))}</div>
</header>
<section>
<h2>${e(L.summary)}</h2>
<div class="cards">
${card(`${s.sessionsHeld} / ${s.plannedSessions}`, L.sessionsHeld)}
${card(percent(s.attendance.rate), `${L.attendance} (${s.attendance.present} ${L.of} ${s.attendance.invited})`)}
${card(String(s.participants.active), L.participants)}
${card(`${s.agreements.Done} / ${s.agreements.total - s.agreements.Dropped}`, `${L.agreementsDone} (${percent(s.agreements.completionRate)})`)}
${card(String(s.insights), L.insights)}
${card(String(s.measures), L.measures)}
</div>
</section>
<section>
<h2>${e(L.goals)}</h2>
<h3>${e(L.intendedResults)}</h3>
${list(report.goals.intendedResults)}
<h3>${e(L.whoIsNeeded)}</h3>
${list(report.goals.whoIsNeeded)}
<h3>${e(L.whoCanContribute)}</h3>
${list(report.goals.whoCanContribute)}
<h3>${e(L.plan)}</h3>
${
    table(
      ["#", L.role, L.theme, L.goal, L.outcome],
      report.plan.map((i, n) => [String(n + 1), e(name(language, i.role)), e(i.theme ?? "–"), e(i.goal), badge(i.outcome)])
    )
  }
</section>
<section>
<h2>${e(L.sessions)}</h2>
${held.length > 0 ? `<div class="chart">${attendanceChart(report.sessions, language)}</div>` : ""}
${
    table(
      ["#", L.date, L.session, L.theme, L.status, L.attendance],
      report.sessions.map((x) => [
        String(held.indexOf(x) >= 0 ? held.indexOf(x) + 1 : ""),
        e(day(x.start, language, L.noDate)),
        e(x.title),
        e(x.theme ?? "–"),
        badge(x.state),
        x.attendance !== undefined ? bar(x.attendance, L) : "<span class=\"muted\">–</span>"
      ])
    )
  }
</section>
<section>
<h2>${e(L.themes)}</h2>
${
    table(
      [L.theme, L.scope, L.votes, L.sessionsHeld, L.insights],
      report.themes.map((t) => [e(t.title), e(name(language, t.scope)), String(t.votes), String(t.sessionsHeld), String(t.insights)])
    )
  }
</section>
<section>
<h2>${e(L.insights)}</h2>
${
    report.insights.length === 0
      ? `<p class="muted">${e(L.none)}</p>`
      : report.insights.map((i) =>
        `<div class="insight"><strong>${e(i.title)}</strong> <span class="muted">· ${e(name(language, i.kind))}${
          i.themes.length > 0 ? ` · ${e(i.themes.join(", "))}` : ""
        }${i.session ? ` · ${e(i.session)}` : ""}</span><p>${e(i.text)}</p></div>`
      ).join("\n")
  }
</section>
<section>
<h2>${e(L.agreements)}</h2>
${
    table(
      [L.action, L.owner, L.due, L.status, L.measure],
      report.agreements.map((a) => [
        `${e(a.action)}${a.notes > 0 ? ` <span class="muted">(${a.notes} ${e(L.notes)})</span>` : ""}`,
        `${e(a.owner)}<br><span class="muted">${e(a.organisation)}</span>`,
        `${e(day(a.dueDate, language, a.dueDate))}${a.overdue ? ` <span class="late">${e(L.overdue)}</span>` : ""}`,
        `${badge(a.status)}${a.droppedReason ? `<br><span class="muted">${e(L.dropped)}: ${e(a.droppedReason)}</span>` : ""}`,
        e(a.measure ?? "–")
      ])
    )
  }
</section>
<section>
<h2>${e(L.measures)}</h2>
${
    table(
      [L.measure, L.organisations, L.agreements],
      report.measures.map((m) => [
        `${e(m.title)}${m.description ? `<br><span class="muted">${e(m.description)}</span>` : ""}`,
        e(m.organisations.join(", ")),
        `${m.done} / ${m.agreements}`
      ])
    )
  }
</section>
<footer>copkit · ${e(report.programme.id)}</footer>
</main>
</body>
</html>
`
}

// ---------------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------------

const encodeReport = Schema.encodeSync(ProgrammeReport)

/** Renders the report as JSON (pretty-printed), valid against {@link jsonSchema}. @category rendering */
export const toJson = (report: ProgrammeReport): string => JSON.stringify(encodeReport(report), null, 2)

// ---------------------------------------------------------------------------------------------
// CSV exports
// ---------------------------------------------------------------------------------------------

/** The CSV exports of a programme. @category models */
export type CsvTable = "participants" | "attendance" | "agreements"

/**
 * A CSV export of a programme's participants (its enrolments), attendance (one row per invitee of a
 * held session) or agreements: RFC 4180, CRLF, formula-like cells prefixed with `'` (see {@link Csv}).
 *
 * @category rendering
 */
export const toCsv = (data: ReportData, table: CsvTable): string => {
  const p = data.programme
  switch (table) {
    case "participants":
      return Csv.encode(
        ["person_id", "name", "email", "organisation", "position", "helix_role", "status", "enrolled_at", "left_at"],
        data.enrolments.filter((x) => x.programmeId === p.id).map((x) => [
          x.person.id,
          x.person.name,
          x.person.email,
          x.person.organisation,
          x.person.position,
          x.person.helixRole,
          x.status,
          x.enrolledAt.toISOString(),
          x.leftAt?.toISOString()
        ])
      )
    case "attendance": {
      const rows: Array<ReadonlyArray<Csv.Cell>> = []
      for (const s of data.sessions.filter((x) => x.programmeIds.includes(p.id) && x.state === "Held").sort(byStart)) {
        const invitees = s.invitations.filter((i) => s.programmeIds.length === 1 || i.programmeId === p.id)
        for (const i of invitees) {
          const a = s.attendance.find((x) => x.personId === i.personId)
          rows.push([s.id, s.title, s.start?.toISOString(), i.personId, i.name, i.answer, a === undefined ? "" : a.present ? "yes" : "no"])
        }
      }
      return Csv.encode(["session_id", "session", "start", "person_id", "name", "answer", "present"], rows)
    }
    case "agreements":
      return Csv.encode(
        ["agreement_id", "action", "owner_id", "owner", "organisation", "due_date", "status", "measure_id", "session_id", "dropped_reason", "notes"],
        data.agreements.filter((a) => a.programmeId === p.id).map((a) => [
          a.id,
          a.action,
          a.owner.personId,
          a.owner.name,
          a.owner.organisation,
          a.dueDate,
          a.status,
          a.measureId,
          a.sessionId,
          a.droppedReason,
          a.notes.length
        ])
      )
  }
}
