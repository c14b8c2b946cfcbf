/**
 * The renderers of the programme report: Markdown and a standalone HTML page for people, and the
 * CSV exports of a programme's participants, attendance and agreements. The report itself (its
 * model, its JSON and its build) is {@link Report}.
 *
 * @since 0.1.0
 */
import type { Language } from "./Common.js"
import * as Csv from "./Csv.js"
import { byStart, day, escapeHtml, escapeMarkdown, labels, name, percent } from "./internal/reportText.js"
import type { AttendanceCount, ProgrammeReport, ReportData, ReportIndicator, ReportSession } from "./Report.js"

/** Options of the renderers. @category models */
export interface RenderOptions {
  /** The language of the labels; the report's own text stays as written. Dutch by default. */
  readonly language?: Language | undefined
}

/** A session's evaluation as a cell: the average from the minimum of answers, else only how many answered. */
const evaluationText = (x: ReportSession, L: (typeof labels)[Language]): string => {
  const e = x.evaluation
  if (e === undefined) return "–"
  if (!e.shown || e.average === undefined) return `${e.answers} ${L.answers}`
  return `${e.average.toFixed(1)} / 5 (${e.answers} ${L.answers})`
}

/** A number as the report shows it: at most two decimals. */
const num = (n: number): string => String(Math.round(n * 100) / 100)

const indicatorRow = (i: ReportIndicator): ReadonlyArray<string> => [
  i.measure,
  `${i.name} (${i.unit})`,
  num(i.baseline),
  i.latest === undefined ? "–" : `${num(i.latest.value)} (${i.latest.date})`,
  num(i.target),
  percent(i.progress)
]

// ---------------------------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------------------------

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
    [L.measures, String(s.measures)],
    [L.tasksOpen, `${s.tasks.open} ${L.of} ${s.tasks.total} (${s.tasks.overdue} ${L.overdue})`]
  ])
  out.push(`## ${L.goals}`, "", `### ${L.intendedResults}`, "")
  list(report.goals.intendedResults)
  if ((report.verdicts ?? []).some((v) => v.verdict !== undefined)) {
    out.push(`### ${L.verdicts}`, "")
    table([L.result, L.verdict, L.note], (report.verdicts ?? []).map((v) => [md(v.result), v.verdict === undefined ? "–" : name(language, v.verdict), md(v.note ?? "–")]))
  }
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
    ["#", L.date, L.session, L.theme, L.status, L.attendance, L.evaluation],
    report.sessions.map((x, n) => [
      String(n + 1),
      md(day(x.start, language, L.noDate)),
      md(x.title),
      md(x.theme ?? "–"),
      name(language, x.state),
      x.attendance !== undefined ? `${x.attendance.present} ${L.of} ${x.attendance.invited} (${percent(x.attendance.rate)})` : "–",
      evaluationText(x, L)
    ])
  )
  const withMaterials = report.sessions.filter((x) => x.materials.length > 0)
  if (withMaterials.length > 0) {
    out.push(`## ${L.materials}`, "")
    for (const x of withMaterials) {
      out.push(`### ${md(x.title)}`, "")
      for (const m of x.materials) out.push(`- [${md(m.title)}](<${m.url.replace(/[<>\s]/g, encodeURIComponent)}>) (${md(name(language, m.kind))})`)
      out.push("")
    }
  }
  out.push(`## ${L.participantAttendance}`, "")
  table(
    [L.participants, L.organisation, L.presentAt, L.attendance, L.missedInARow],
    report.participants.map((x) => [
      md(x.name),
      md(x.organisation ?? "–"),
      `${x.present} ${L.of} ${x.invited}`,
      percent(x.rate),
      String(x.missedInARow)
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
  if ((report.indicators ?? []).length > 0) {
    out.push(`## ${L.indicators}`, "")
    table([L.measure, L.indicator, L.baseline, L.latest, L.target, L.progress], (report.indicators ?? []).map((i) => indicatorRow(i).map(md)))
  }
  if ((report.checkIns ?? []).length > 0) {
    out.push(`## ${L.checkIns}`, "")
    for (const c of report.checkIns ?? []) {
      out.push(`### ${c.monthsAfterClosing} ${L.monthsLater}`, "")
      table([L.item, L.outcomes, L.note], [
        ...c.agreements.map((a) => [md(a.action), name(language, a.outcome), md(a.note ?? "–")]),
        ...c.measures.map((m) => [md(m.title), name(language, m.outcome), md(m.note ?? "–")])
      ])
    }
  }
  return out.join("\n")
}

// ---------------------------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------------------------

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
.s-Reached,.s-Achieved,.s-OnTrack{background:#dcf5e3;color:#17663a}.s-Partly,.s-Delayed{background:#fff4d6;color:#8a5a00}
.s-NotReached,.s-Stopped{background:#fde2e1;color:#a61b1b}
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
  // Each bar is labelled with the session's number in the report's session table ("#").
  const held = sessions.flatMap((s, n) => (s.attendance === undefined ? [] : [{ number: n + 1, title: s.title, attendance: s.attendance }]))
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
      `<text x="${x + barW / 2}" y="${top + h + 14}" font-size="11" text-anchor="middle" fill="#52606d">${s.number}</text></g>`
  })
  return `<svg width="${width}" height="${top + h + 22}" role="img" aria-label="${escapeHtml(`${L.attendance} ${L.sessions}`)}">` +
    `${bars.join("")}</svg>`
}

/** A bar chart of the evaluation average (1 to 5) per held session with enough answers, as inline SVG; empty when none has. @category rendering */
export const evaluationChart = (sessions: ReadonlyArray<ReportSession>, language: Language = "nl"): string => {
  const L = labels[language]
  const shown = sessions.flatMap((s, n) => (s.evaluation?.average === undefined ? [] : [{ number: n + 1, title: s.title, average: s.evaluation.average, answers: s.evaluation.answers }]))
  if (shown.length === 0) return ""
  const barW = 36
  const gap = 18
  const h = 100
  const top = 18
  const width = shown.length * (barW + gap) + gap
  const bars = shown.map((s, i) => {
    const x = gap + i * (barW + gap)
    const bh = Math.round((Math.min(5, Math.max(0, s.average)) / 5) * h)
    const label = `${s.title}: ${s.average.toFixed(1)} / 5 (${s.answers} ${L.answers})`
    return `<g><title>${escapeHtml(label)}</title>` +
      `<rect x="${x}" y="${top}" width="${barW}" height="${h}" fill="#eef2f6"/>` +
      `<rect x="${x}" y="${top + h - bh}" width="${barW}" height="${bh}" fill="#3f8f5a"/>` +
      `<text x="${x + barW / 2}" y="${top + h - bh - 4}" font-size="11" text-anchor="middle" fill="#243b53">${s.average.toFixed(1)}</text>` +
      `<text x="${x + barW / 2}" y="${top + h + 14}" font-size="11" text-anchor="middle" fill="#52606d">${s.number}</text></g>`
  })
  return `<svg width="${width}" height="${top + h + 22}" role="img" aria-label="${escapeHtml(`${L.evaluation} ${L.sessions}`)}">` +
    `${bars.join("")}</svg>`
}

/**
 * The progress of each indicator from its baseline (left) to its target (right), the latest value
 * marked, as inline SVG; empty when there are no indicators. A value beyond the target fills the
 * bar; one below the baseline leaves it empty.
 *
 * @category rendering
 */
export const indicatorChart = (indicators: ReadonlyArray<ReportIndicator>, language: Language = "nl"): string => {
  const L = labels[language]
  if (indicators.length === 0) return ""
  const labelW = 220
  const w = 240
  const rowH = 30
  const rows = indicators.map((i, n) => {
    const y = n * rowH + 6
    const filled = Math.round(Math.min(1, Math.max(0, i.progress ?? 0)) * w)
    const latest = i.latest === undefined ? "–" : num(i.latest.value)
    const label = `${i.measure} · ${i.name}: ${L.baseline} ${num(i.baseline)}, ${L.latest} ${latest}, ${L.target} ${num(i.target)} ${i.unit}`
    const name = i.name.length > 34 ? `${i.name.slice(0, 33)}…` : i.name
    return `<g><title>${escapeHtml(label)}</title>` +
      `<text x="0" y="${y + 12}" font-size="12" fill="#243b53">${escapeHtml(name)}</text>` +
      `<rect x="${labelW}" y="${y}" width="${w}" height="14" rx="3" fill="#e4e7eb"/>` +
      `<rect x="${labelW}" y="${y}" width="${filled}" height="14" rx="3" fill="#1d6fa5"/>` +
      `<text x="${labelW + w + 8}" y="${y + 12}" font-size="11" fill="#334e68">${escapeHtml(`${latest} / ${num(i.target)} (${percent(i.progress)})`)}</text>` +
      `<text x="${labelW}" y="${y + 25}" font-size="9" fill="#7b8794">${escapeHtml(num(i.baseline))}</text></g>`
  })
  return `<svg width="${labelW + w + 140}" height="${indicators.length * rowH + 8}" role="img" aria-label="${escapeHtml(`${L.indicators}: ${L.progress}`)}">` +
    `${rows.join("")}</svg>`
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
${card(`${s.tasks.open} / ${s.tasks.total}`, `${L.tasksOpen} (${s.tasks.overdue} ${L.overdue})`)}
</div>
</section>
<section>
<h2>${e(L.goals)}</h2>
<h3>${e(L.intendedResults)}</h3>
${list(report.goals.intendedResults)}
${
    (report.verdicts ?? []).some((v) => v.verdict !== undefined)
      ? `<h3>${e(L.verdicts)}</h3>\n${
        table([L.result, L.verdict, L.note], (report.verdicts ?? []).map((v) => [e(v.result), v.verdict === undefined ? "–" : badge(v.verdict), e(v.note ?? "–")]))
      }`
      : ""
  }
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
${report.sessions.some((x) => x.evaluation?.average !== undefined) ? `<div class="chart">${evaluationChart(report.sessions, language)}</div>` : ""}
${
    table(
      ["#", L.date, L.session, L.theme, L.status, L.attendance, L.evaluation],
      report.sessions.map((x, n) => [
        String(n + 1),
        e(day(x.start, language, L.noDate)),
        e(x.title),
        e(x.theme ?? "–"),
        badge(x.state),
        x.attendance !== undefined ? bar(x.attendance, L) : "<span class=\"muted\">–</span>",
        e(evaluationText(x, L))
      ])
    )
  }
</section>
${
    report.sessions.some((x) => x.materials.length > 0)
      ? `<section>
<h2>${e(L.materials)}</h2>
${
        report.sessions.filter((x) => x.materials.length > 0).map((x) =>
          `<h3>${e(x.title)}</h3><ul>${
            x.materials.map((m) => `<li><a href="${e(m.url)}">${e(m.title)}</a> <span class="muted">(${e(name(language, m.kind))})</span></li>`).join("")
          }</ul>`
        ).join("\n")
      }
</section>
`
      : ""
  }<section>
<h2>${e(L.participantAttendance)}</h2>
${
    table(
      [L.participants, L.organisation, L.presentAt, L.attendance, L.missedInARow],
      report.participants.map((x) => [
        e(x.name),
        e(x.organisation ?? "–"),
        e(`${x.present} ${L.of} ${x.invited}`),
        e(percent(x.rate)),
        String(x.missedInARow)
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
${
    (report.indicators ?? []).length > 0
      ? `<section>
<h2>${e(L.indicators)}</h2>
<div class="chart">${indicatorChart(report.indicators ?? [], language)}</div>
${table([L.measure, L.indicator, L.baseline, L.latest, L.target, L.progress], (report.indicators ?? []).map((i) => indicatorRow(i).map(e)))}
</section>
`
      : ""
  }${
    (report.checkIns ?? []).length > 0
      ? `<section>
<h2>${e(L.checkIns)}</h2>
${
        (report.checkIns ?? []).map((c) =>
          `<h3>${e(`${c.monthsAfterClosing} ${L.monthsLater}`)}</h3>\n${
            table([L.item, L.outcomes, L.note], [
              ...c.agreements.map((a) => [e(a.action), badge(a.outcome), e(a.note ?? "–")]),
              ...c.measures.map((m) => [e(m.title), badge(m.outcome), e(m.note ?? "–")])
            ])
          }`
        ).join("\n")
      }
</section>
`
      : ""
  }<footer>copkit · ${e(report.programme.id)}</footer>
</main>
</body>
</html>
`
}

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
