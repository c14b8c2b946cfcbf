// A region's programme: the co-design (core team, goals, themes and votes, the plan and its
// validation), the tasks, the group, the sessions with the planner, and the follow-up.
import { ReportRender } from "@copkit/core"
import { button, date, form, hidden, html, when } from "../html.mjs"
import { explain } from "../errors.mjs"
import { label, lines, many, number, one, options } from "./labels.mjs"

/** @typedef {import("../app.mjs").Route} Route @typedef {import("../app.mjs").Request} Request @typedef {import("../app.mjs").Form} Form */

const helixRoles = ["Entrepreneur", "Government", "Intermediary", "Knowledge"]
const workForms = ["GuestExpert", "PracticeExample", "Intervision", "InteractiveForm", "Simulation", "ProjectVisit"]
const base = (/** @type {string} */ id) => `/programmes/${encodeURIComponent(id)}`

/** The programme's own menu. @param {Request} req @param {import("@copkit/core").Programme.Programme} programme */
const header = ({ view }, programme) => {
  const { say } = view
  const links = [
    ["", say("Co-design", "Co-design")],
    ["/tasks", say("Taken", "Tasks")],
    ["/group", say("Groep", "Group")],
    ["/sessions", say("Bijeenkomsten", "Sessions")],
    ["/follow-up", say("Opvolging", "Follow-up")]
  ]
  return html`<p class="muted">${say("Programma", "Programme")} · ${label(view, programme.state)}</p>
    <h1>${programme.region.name}</h1>
    <nav aria-label="${say("Programma", "Programme")}"><ul>${links.map(([suffix, text]) => {
      const href = `${base(programme.id)}${suffix}`
      return html`<li><a href="${href}"${view.path === href ? html` aria-current="page"` : ""}>${text}</a></li>`
    })}</ul></nav>`
}

/** A plan item as copkit's input (the checklist is left to copkit while co-designing). @param {import("@copkit/core").Programme.PlanItem} item */
const itemInput = (item) => ({
  id: item.id,
  role: item.role,
  ...(item.themeId === undefined ? {} : { themeId: item.themeId }),
  goal: item.goal,
  workForms: [...item.workForms],
  durationMinutes: item.durationMinutes,
  agenda: item.agenda.map((a) => ({ title: a.title, minutes: a.minutes, ...(a.workForm ? { workForm: a.workForm } : {}), ...(a.lead ? { lead: a.lead } : {}) })),
  ...(item.host === undefined ? {} : { host: item.host }),
  administratorsInvited: item.administratorsInvited
})

/** @type {Route} */
const coDesign = {
  path: /^\/programmes\/([^/]+)$/,
  title: (req) => req.view.say("Co-design", "Co-design"),
  render: async (req) => {
    const { client, actor, view, params } = req
    const { say } = view
    const programmeId = params[0] ?? ""
    const { value: programme } = await client.coDesign.get(actor, { programmeId })
    const [team, ranking, validation] = await Promise.all([
      client.coDesign.coreTeam(actor, { programmeId }),
      client.coDesign.ranking(actor, { programmeId }),
      client.coDesign.validatePlan(actor, { programmeId })
    ])
    const live = programme.themes.filter((t) => !t.withdrawn)
    const themeTitle = (/** @type {string | undefined} */ id) => programme.themes.find((t) => t.id === id)?.title ?? "–"
    const designing = programme.state === "CoDesign"
    return html`${header(req, programme)}
      <section id="core-team"><h2>${say("Kernteam", "Core team")}</h2>
        <ul>${team.members.map((m) => html`<li>${m.name}${m.organisation ? `, ${m.organisation}` : ""} (${label(view, m.helixRole)})</li>`)}</ul>
        <p>${say("Helix gedekt", "Helix covered")}: ${team.covered.map((r) => label(view, r)).join(", ") || "–"}${team.missing.length ? html` · <strong class="failed">${say("ontbreekt", "missing")}: ${team.missing.map((r) => label(view, r)).join(", ")}</strong>` : ""}</p>
        ${team.warnings.length ? html`<ul>${team.warnings.map((w) => html`<li class="failed">${w.message}</li>`)}</ul>` : ""}
        ${designing ? form(view, { id: "add-member", action: view.path, title: say("Lid toevoegen", "Add a member"), submit: say("Toevoegen", "Add"), fields: [
          { name: "person.name", label: say("Naam", "Name"), required: true },
          { name: "person.email", label: say("E-mail", "E-mail"), type: "email" },
          { name: "person.organisation", label: say("Organisatie", "Organisation") },
          { name: "person.helixRole", label: say("Rol in de helix", "Helix role"), type: "select", options: options(view, helixRoles) }
        ] }) : ""}
      </section>
      <section id="goals"><h2>${say("Doelen", "Goals")}</h2>
        <h3>${say("Beoogde resultaten", "Intended results")}</h3><ul>${programme.goals.intendedResults.map((r) => html`<li>${r}</li>`)}</ul>
        ${designing ? form(view, { id: "goals", action: view.path, submit: say("Doelen opslaan", "Save the goals"), fields: [
          { name: "intendedResults", label: say("Beoogde resultaten (één per regel)", "Intended results (one per line)"), type: "textarea", value: programme.goals.intendedResults.join("\n") },
          { name: "whoIsNeeded", label: say("Wie is er nodig (één per regel)", "Who is needed (one per line)"), type: "textarea", value: programme.goals.whoIsNeeded.join("\n") },
          { name: "whoCanContribute", label: say("Wie kan bijdragen (één per regel)", "Who can contribute (one per line)"), type: "textarea", value: programme.goals.whoCanContribute.join("\n") }
        ] }) : ""}
      </section>
      <section id="themes"><h2>${say("Thema's en stemmen", "Themes and votes")}</h2>
        <table id="ranking"><caption>${say("Rangorde", "Ranking")}</caption>
          <thead><tr><th scope="col">#</th><th scope="col">${say("Thema", "Theme")}</th><th scope="col">${say("Reikwijdte", "Scope")}</th><th scope="col">${say("Punten", "Points")}</th><th scope="col">${say("Voorstanders", "Supporters")}</th></tr></thead>
          <tbody>${ranking.map((t) => html`<tr><td>${t.rank}</td><td>${t.title}</td><td>${label(view, t.scope)}</td><td>${t.points}</td><td>${t.supporters}</td></tr>`)}</tbody></table>
        ${designing ? html`${form(view, { id: "propose-theme", action: view.path, title: say("Thema voorstellen", "Propose a theme"), submit: say("Voorstellen", "Propose"), fields: [
          { name: "title", label: say("Titel", "Title"), required: true },
          { name: "description", label: say("Omschrijving", "Description"), type: "textarea" },
          { name: "scope", label: say("Reikwijdte", "Scope"), type: "select", options: options(view, ["Regional", "CrossRegional"]) }
        ] })}
        ${live.length ? form(view, { id: "vote", action: view.path, title: say("Stemmen", "Vote"), submit: say("Stem uitbrengen", "Cast the vote"), fields: [
          { name: "themeId", label: say("Thema", "Theme"), type: "select", options: live.map((t) => ({ value: t.id, label: t.title })) },
          { name: "points", label: say("Punten", "Points"), type: "number", required: true, hint: say("Uw stem vervangt een eerdere stem op dit thema.", "Your vote replaces an earlier vote on this theme.") }
        ] }) : ""}` : ""}
      </section>
      <section id="plan"><h2>${say("Het plan van bijeenkomsten", "The plan of sessions")}</h2>
        <table><thead><tr><th scope="col">#</th><th scope="col">${say("Soort", "Kind")}</th><th scope="col">${say("Thema", "Theme")}</th><th scope="col">${say("Doel", "Goal")}</th><th scope="col">${say("Werkvormen", "Work forms")}</th><th scope="col">${say("Duur", "Length")}</th><th scope="col">${say("Bestuurders", "Administrators")}</th>${designing ? html`<th scope="col"><span class="muted">${say("Actie", "Action")}</span></th>` : ""}</tr></thead>
        <tbody>${programme.plan.map((item, i) => html`<tr><td>${i + 1}</td><td>${label(view, item.role)}</td><td>${themeTitle(item.themeId)}</td><td>${item.goal}</td><td>${item.workForms.map((w) => label(view, w)).join(", ")}</td><td>${item.durationMinutes} min</td><td>${item.administratorsInvited ? say("ja", "yes") : say("nee", "no")}</td>
          ${designing ? html`<td>${button(view, "remove-item", view.path, say("Verwijderen", "Remove"), hidden("itemId", item.id))}</td>` : ""}</tr>`)}</tbody></table>
        <h3>${say("Controle van het plan", "The plan checked")}</h3>
        <p id="plan-valid">${validation.valid ? say("Het plan voldoet aan alle blokkerende eisen.", "The plan meets every blocking check.") : say(`${validation.blocking.length} blokkerende eis(en) niet gehaald.`, `${validation.blocking.length} blocking check(s) failed.`)}</p>
        <ul id="plan-checks">${validation.checks.map((c) => html`<li class="${c.passed ? "passed" : "failed"}">${c.passed ? "✓" : "✗"} ${c.message}${!c.passed && c.blocking ? say(" (blokkeert)", " (blocks approval)") : ""}${c.findings.length ? html`<ul>${c.findings.map((f) => html`<li>${f}</li>`)}</ul>` : ""}</li>`)}</ul>
        ${designing ? form(view, { id: "add-item", action: view.path, title: say("Bijeenkomst aan het plan toevoegen", "Add a session to the plan"), submit: say("Toevoegen", "Add"), fields: [
          { name: "role", label: say("Soort", "Kind"), type: "select", options: options(view, ["KickOff", "Regular", "Closing"]) },
          { name: "themeId", label: say("Thema", "Theme"), type: "select", options: [{ value: "", label: "–" }, ...live.map((t) => ({ value: t.id, label: t.title }))] },
          { name: "goal", label: say("Doel", "Goal"), required: true },
          { name: "workForms", label: say("Werkvormen", "Work forms"), type: "checkboxes", options: options(view, workForms) },
          { name: "durationMinutes", label: say("Duur in minuten", "Length in minutes"), type: "number", value: 180 },
          { name: "administratorsInvited", label: say("Bestuurders uitnodigen", "Invite the administrators"), type: "checkbox" }
        ] }) : ""}
        ${designing && actor._tag === "NetworkCoordinator" ? button(view, "approve", view.path, say("Plan goedkeuren", "Approve the plan")) : ""}
      </section>`
  },
  actions: {
    "add-member": async ({ client, actor, params }, f) => {
      const email = one(f["person.email"]).trim()
      const organisation = one(f["person.organisation"]).trim()
      await client.coDesign.addMember(actor, {
        programmeId: params[0] ?? "",
        person: { name: one(f["person.name"]), helixRole: /** @type {"Government"} */ (one(f["person.helixRole"])), ...(email ? { email } : {}), ...(organisation ? { organisation } : {}) }
      })
    },
    goals: async ({ client, actor, params }, f) => {
      await client.coDesign.setGoals(actor, { programmeId: params[0] ?? "", intendedResults: lines(f.intendedResults), whoIsNeeded: lines(f.whoIsNeeded), whoCanContribute: lines(f.whoCanContribute) })
    },
    "propose-theme": async ({ client, actor, params, session, view }, f) => {
      const description = one(f.description).trim()
      const theme = await client.coDesign.proposeTheme(actor, { programmeId: params[0] ?? "", title: one(f.title), scope: /** @type {"Regional"} */ (one(f.scope)), ...(description ? { description } : {}) })
      session.flash = view.say(`Thema "${theme.title}" voorgesteld.`, `Theme "${theme.title}" proposed.`)
    },
    vote: async ({ client, actor, params }, f) => {
      await client.coDesign.vote(actor, { programmeId: params[0] ?? "", themeId: one(f.themeId), points: number(f.points) })
    },
    "add-item": async ({ client, actor, params }, f) => {
      const programmeId = params[0] ?? ""
      const { value: programme } = await client.coDesign.get(actor, { programmeId })
      const themeId = one(f.themeId)
      const item = {
        role: /** @type {"Regular"} */ (one(f.role)),
        ...(themeId ? { themeId } : {}),
        goal: one(f.goal),
        workForms: /** @type {Array<"GuestExpert">} */ (many(f.workForms)),
        durationMinutes: number(f.durationMinutes),
        administratorsInvited: one(f.administratorsInvited) === "on"
      }
      try {
        await client.coDesign.setPlan(actor, { programmeId, items: [...programme.plan.map(itemInput), item] })
      } catch (error) {
        throw renamePlanFields(error, programme.plan.length)
      }
    },
    "remove-item": async ({ client, actor, params }, f) => {
      const programmeId = params[0] ?? ""
      const { value: programme } = await client.coDesign.get(actor, { programmeId })
      await client.coDesign.setPlan(actor, { programmeId, items: programme.plan.filter((i) => i.id !== one(f.itemId)).map(itemInput) })
    },
    approve: async ({ client, actor, params, session, view }) => {
      await client.coDesign.approvePlan(actor, { programmeId: params[0] ?? "" })
      session.flash = view.say("Het plan is goedgekeurd.", "The plan was approved.")
    }
  }
}

/**
 * copkit names a plan field by its place in the whole plan (`items[2].goal`); the form has one
 * item, so its fields are named without the prefix.
 * @param {unknown} error @param {number} index
 */
const renamePlanFields = (error, index) => {
  if (!(error instanceof Error) || !("issues" in error) || !Array.isArray(error.issues)) return error
  const prefix = `items[${index}].`
  for (const issue of error.issues) {
    if (typeof issue.field === "string" && issue.field.startsWith(prefix)) Object.assign(issue, { field: issue.field.slice(prefix.length) })
  }
  if ("field" in error && typeof error.field === "string" && error.field.startsWith(prefix)) Object.assign(error, { field: error.field.slice(prefix.length) })
  return error
}

/** @type {Route} */
const tasks = {
  path: /^\/programmes\/([^/]+)\/tasks$/,
  title: (req) => req.view.say("Taken", "Tasks"),
  render: async (req) => {
    const { client, actor, view, params } = req
    const { say } = view
    const programmeId = params[0] ?? ""
    const [{ value: programme }, list] = await Promise.all([client.programmes.get(actor, { programmeId }), client.programmes.tasks(actor, { programmeId })])
    return html`${header(req, programme)}
      <section><h2>${say("Voorbereidende taken", "Preparation tasks")}</h2>
      ${list.length === 0 ? html`<p>${say("Taken ontstaan zodra het plan is goedgekeurd.", "Tasks appear once the plan is approved.")}</p>` : ""}
      <table><thead><tr><th scope="col">${say("Bijeenkomst", "Session")}</th><th scope="col">${say("Taak", "Task")}</th><th scope="col">${say("Wie", "Who")}</th><th scope="col">${say("Uiterlijk", "Due")}</th><th scope="col">${say("Status", "State")}</th></tr></thead>
      <tbody>${list.map((t) => html`<tr><td>${t.sessionTitle ?? "–"}</td><td>${t.task.title}</td><td>${t.task.assignee?.name ?? label(view, t.task.owner)}</td><td>${date(view, t.deadline)}${t.overdue ? html` <strong class="failed">${say("te laat", "overdue")}</strong>` : ""}</td>
        <td>${t.task.done ? say("klaar", "done") : button(view, "complete", view.path, say("Afvinken", "Tick off"), html`${hidden("planItemId", t.planItemId)}${hidden("taskKey", t.taskKey)}`)}</td></tr>`)}</tbody></table>
      ${list.length ? form(view, { id: "assign", action: view.path, title: say("Taak toewijzen", "Assign a task"), submit: say("Toewijzen", "Assign"), fields: [
        { name: "task", label: say("Taak", "Task"), type: "select", options: list.filter((t) => !t.task.done).map((t) => ({ value: `${t.planItemId}|${t.taskKey}`, label: `${t.sessionTitle ?? ""}: ${t.task.title}` })) },
        { name: "assignee", label: say("Aan", "To"), type: "select", options: programme.coreTeam.map((m) => ({ value: m.person.id, label: m.person.name })) }
      ] }) : ""}
      </section>`
  },
  actions: {
    complete: async ({ client, actor, params }, f) => {
      await client.programmes.completeTask(actor, { programmeId: params[0] ?? "", planItemId: one(f.planItemId), taskKey: one(f.taskKey) })
    },
    assign: async ({ client, actor, params }, f) => {
      const programmeId = params[0] ?? ""
      const { value: programme } = await client.programmes.get(actor, { programmeId })
      const [planItemId = "", taskKey = ""] = one(f.task).split("|")
      const member = programme.coreTeam.find((m) => m.person.id === one(f.assignee))?.person
      await client.programmes.assignTask(actor, {
        programmeId,
        planItemId,
        taskKey,
        assignee: member === undefined ? { id: one(f.assignee), name: "", helixRole: "Government" } : { id: member.id, name: member.name, helixRole: member.helixRole, ...(member.email ? { email: member.email } : {}) }
      })
    }
  }
}

/** @type {Route} */
const group = {
  path: /^\/programmes\/([^/]+)\/group$/,
  title: (req) => req.view.say("Groep", "Group"),
  render: async (req) => {
    const { client, actor, view, params } = req
    const { say } = view
    const programmeId = params[0] ?? ""
    const [{ value: programme }, report] = await Promise.all([client.programmes.get(actor, { programmeId }), client.sessions.group(actor, { programmeId })])
    const rows = (/** @type {ReadonlyArray<import("@copkit/core").Enrolment.Enrolment>} */ list) =>
      list.map((e) => html`<tr><td>${e.person.name}</td><td>${e.person.organisation ?? ""}</td><td>${label(view, e.person.helixRole)}</td></tr>`)
    return html`${header(req, programme)}
      <section id="group"><h2>${say("De groep", "The group")} (${report.size} / ${report.target})</h2>
        <p>${helixRoles.map((r) => `${label(view, r)}: ${report.helixMix[/** @type {"Government"} */ (r)]}`).join(" · ")}</p>
        ${report.warnings.length ? html`<ul>${report.warnings.map((w) => html`<li class="failed">${w.message}</li>`)}</ul>` : ""}
        <table><thead><tr><th scope="col">${say("Naam", "Name")}</th><th scope="col">${say("Organisatie", "Organisation")}</th><th scope="col">${say("Helix", "Helix")}</th></tr></thead><tbody>${rows(report.active)}</tbody></table>
        <h3>${say("Reservelijst", "Reserve list")}</h3>
        ${report.reserve.length ? html`<table id="reserve"><thead><tr><th scope="col">${say("Naam", "Name")}</th><th scope="col">${say("Organisatie", "Organisation")}</th><th scope="col">${say("Helix", "Helix")}</th></tr></thead><tbody>${rows(report.reserve)}</tbody></table>` : html`<p>${say("Niemand op de reservelijst.", "Nobody on the reserve list.")}</p>`}
        ${form(view, { id: "enrol", action: view.path, title: say("Deelnemer inschrijven", "Enrol a participant"), submit: say("Inschrijven", "Enrol"), fields: [
          { name: "participant.name", label: say("Naam", "Name"), required: true },
          { name: "participant.email", label: say("E-mail", "E-mail"), type: "email", required: true },
          { name: "participant.organisation", label: say("Organisatie", "Organisation"), required: true },
          { name: "participant.helixRole", label: say("Rol in de helix", "Helix role"), type: "select", options: options(view, helixRoles) },
          { name: "participant.language", label: say("Taal van de berichten", "Language of the messages"), type: "select", options: [{ value: "nl", label: "Nederlands" }, { value: "en", label: "English" }] },
          { name: "reserve", label: say("Op de reservelijst", "On the reserve list"), type: "checkbox" }
        ] })}
      </section>`
  },
  actions: {
    enrol: async ({ client, actor, params, session, view }, f) => {
      const enrolment = await client.sessions.enrol(actor, {
        programmeId: params[0] ?? "",
        participant: {
          name: one(f["participant.name"]),
          email: one(f["participant.email"]),
          organisation: one(f["participant.organisation"]),
          helixRole: /** @type {"Government"} */ (one(f["participant.helixRole"])),
          language: /** @type {"nl"} */ (one(f["participant.language"]))
        },
        reserve: one(f.reserve) === "on"
      })
      session.flash = view.say(`${enrolment.person.name} is ingeschreven.`, `${enrolment.person.name} was enrolled.`)
    }
  }
}

/** Regional events as typed: one per line, `YYYY-MM-DD title`. @param {string} text */
const regionalEvents = (text) =>
  text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).map((l) => ({ date: l.slice(0, 10), title: l.slice(10).trim() }))

/** @type {Route} */
const sessionsPage = {
  path: /^\/programmes\/([^/]+)\/sessions$/,
  title: (req) => req.view.say("Bijeenkomsten", "Sessions"),
  render: async (req) => {
    const { client, actor, view, params, query } = req
    const { say } = view
    const programmeId = params[0] ?? ""
    const [{ value: programme }, list] = await Promise.all([client.programmes.get(actor, { programmeId }), client.sessions.list(actor, { programmeId })])
    const unscheduled = programme.plan.some((i) => i.sessionId === undefined)
    // The planner is a question, not a change: its form is a GET, and its answer shows below.
    /** @type {unknown} */
    let proposal = ""
    if (query.has("from")) {
      const input = {
        programmeId,
        from: query.get("from") ?? "",
        preferredWeekdays: query.getAll("preferredWeekdays").map(Number),
        preferredWindow: { from: query.get("windowFrom") ?? "13:00", until: query.get("windowUntil") ?? "17:00" },
        regionalEvents: regionalEvents(query.get("regionalEvents") ?? "")
      }
      try {
        const plan = await client.sessions.plan(actor, input)
        proposal = html`<section id="proposal"><h2>${say("Voorstel van de planner", "The planner's proposal")}: ${plan.status}</h2>
          ${plan.blocking.length ? html`<ul>${plan.blocking.map((b) => html`<li class="failed">${b.message}</li>`)}</ul>` : ""}
          <table><thead><tr><th scope="col">${say("Bijeenkomst", "Session")}</th><th scope="col">${say("Datum", "Date")}</th><th scope="col">${say("Tijd", "Time")}</th><th scope="col">${say("Opmerking", "Note")}</th></tr></thead>
          <tbody>${plan.sessions.map((s) => html`<tr><td>${label(view, s.role)}</td><td>${s.date}</td><td>${s.time}</td><td>${s.alignedWith?.message ?? s.softBreaks.map((b) => b.message).join("; ")}</td></tr>`)}</tbody></table>
          <h3>${say("Waarom data zijn overgeslagen", "Why dates were skipped")}</h3>
          <ul id="skipped">${plan.rejected.slice(0, 40).map((r) => html`<li>${r.date}: ${r.reasons.map((x) => `${x.message} [${x.constraint}]`).join("; ")}</li>`)}</ul>
          ${plan.rejected.length > 40 ? html`<p>${say(`… en nog ${plan.rejected.length - 40} data.`, `… and ${plan.rejected.length - 40} more dates.`)}</p>` : ""}
          ${plan.status !== "Blocked" && plan.sessions.length ? form(view, { id: "schedule-plan", action: view.path, title: say("Zo inplannen", "Schedule as proposed"), submit: say("Inplannen", "Schedule"),
            extra: plan.sessions.map((s) => html`${hidden("key", s.key)}${hidden("start", s.start.toISOString())}${hidden("end", s.end.toISOString())}`),
            fields: [
              { name: "venue.name", label: say("Locatie", "Venue") },
              { name: "venue.address", label: say("Adres", "Address") },
              { name: "venue.city", label: say("Plaats", "City") }
            ] }) : ""}
        </section>`
      } catch (error) {
        const { message, errors } = explain(error, say)
        proposal = html`<p class="error" role="alert">${Object.entries(errors).map(([k, v]) => `${k}: ${v}`).join("; ") || message}</p>`
      }
    }
    return html`${header(req, programme)}
      <section id="sessions"><h2>${say("Bijeenkomsten", "Sessions")}</h2>
        <table><thead><tr><th scope="col">${say("Titel", "Title")}</th><th scope="col">${say("Wanneer", "When")}</th><th scope="col">${say("Status", "State")}</th><th scope="col">${say("Uitgenodigd", "Invited")}</th></tr></thead>
        <tbody>${list.map(({ value: s }) => html`<tr><td><a href="/sessions/${encodeURIComponent(s.id)}">${s.title}</a></td><td>${when(view, s.start)}</td><td>${label(view, s.state)}</td><td>${s.invitations.length}</td></tr>`)}</tbody></table>
        ${unscheduled ? button(view, "create-from-plan", view.path, say("Bijeenkomsten uit het plan aanmaken", "Create the sessions from the plan")) : ""}
      </section>
      <section><h2>${say("Data laten voorstellen", "Have dates proposed")}</h2>
        <form method="get" action="${view.path}" id="form-planner">
          <div class="field"><label for="planner-from">${say("Vanaf", "From")}</label><input type="date" id="planner-from" name="from" value="${query.get("from") ?? new Date().toISOString().slice(0, 10)}" required></div>
          <fieldset class="field"><legend>${say("Voorkeursdagen", "Preferred days")}</legend>${[1, 2, 3, 4, 5].map((d) => html`<span class="check"><input type="checkbox" id="planner-day-${d}" name="preferredWeekdays" value="${d}"${query.getAll("preferredWeekdays").includes(String(d)) ? html` checked` : ""}> <label for="planner-day-${d}">${new Date(Date.UTC(2024, 0, d)).toLocaleDateString(view.lang === "en" ? "en-GB" : "nl-NL", { weekday: "long", timeZone: "UTC" })}</label></span>`)}</fieldset>
          <div class="field"><label for="planner-window-from">${say("Liefst vanaf", "Preferably from")}</label><input type="time" id="planner-window-from" name="windowFrom" value="${query.get("windowFrom") ?? "13:00"}"></div>
          <div class="field"><label for="planner-window-until">${say("Liefst tot", "Preferably until")}</label><input type="time" id="planner-window-until" name="windowUntil" value="${query.get("windowUntil") ?? "17:00"}"></div>
          <div class="field"><label for="planner-events">${say("Eigen evenementen van de regio", "The region's own events")}</label><span class="hint" id="planner-events-hint">${say("Eén per regel: JJJJ-MM-DD titel", "One per line: YYYY-MM-DD title")}</span><textarea id="planner-events" name="regionalEvents" aria-describedby="planner-events-hint" rows="3">${query.get("regionalEvents") ?? ""}</textarea></div>
          <div class="buttons"><button type="submit">${say("Voorstel maken", "Propose dates")}</button></div>
        </form>
      </section>
      ${proposal}`
  },
  actions: {
    "create-from-plan": async ({ client, actor, params, session, view }) => {
      const created = await client.sessions.createFromPlan(actor, { programmeId: params[0] ?? "" })
      session.flash = view.say(`${created.length} bijeenkomsten aangemaakt.`, `${created.length} sessions created.`)
    },
    "schedule-plan": async ({ client, actor, params, session, view }, f) => {
      const [keys, starts, ends] = [many(f.key), many(f.start), many(f.end)]
      const venueName = one(f["venue.name"]).trim()
      const scheduled = await client.sessions.scheduleFromPlan(actor, {
        programmeId: params[0] ?? "",
        sessions: keys.map((key, i) => ({ key, start: starts[i] ?? "", end: ends[i] ?? "" })),
        ...(venueName ? { venue: { name: venueName, address: one(f["venue.address"]), city: one(f["venue.city"]) } } : {})
      })
      session.flash = view.say(`${scheduled.length} bijeenkomsten ingepland.`, `${scheduled.length} sessions scheduled.`)
    }
  }
}

/** @type {Route} */
const followUp = {
  path: /^\/programmes\/([^/]+)\/follow-up$/,
  title: (req) => req.view.say("Opvolging", "Follow-up"),
  render: async (req) => {
    const { client, actor, view, params } = req
    const { say } = view
    const programmeId = params[0] ?? ""
    const [{ value: programme }, agreements, measures, list] = await Promise.all([
      client.programmes.get(actor, { programmeId }),
      client.followUp.listAgreements(actor, { programmeId }),
      client.followUp.listMeasures(actor, { programmeId }),
      client.sessions.list(actor, { programmeId })
    ])
    return html`${header(req, programme)}
      <p><a href="${view.path}?download=report">${say("Het verslag van het programma (HTML)", "The programme's report (HTML)")}</a></p>
      <section id="agreements"><h2>${say("Afspraken", "Agreements")}</h2>
        <table><thead><tr><th scope="col">${say("Actie", "Action")}</th><th scope="col">${say("Eigenaar", "Owner")}</th><th scope="col">${say("Uiterlijk", "Due")}</th><th scope="col">${say("Status", "State")}</th></tr></thead>
        <tbody>${agreements.map(({ value: a }) => html`<tr><td>${a.action}</td><td>${a.owner.name}</td><td>${date(view, a.dueDate)}</td><td>${label(view, a.status)}
          ${a.status === "Open" ? button(view, "start", view.path, say("Begonnen", "Started"), hidden("agreementId", a.id)) : ""}
          ${a.status === "Open" || a.status === "InProgress" ? button(view, "complete", view.path, say("Afgerond", "Done"), hidden("agreementId", a.id)) : ""}</td></tr>`)}</tbody></table>
        ${form(view, { id: "agreement", action: view.path, title: say("Afspraak vastleggen", "Record an agreement"), submit: say("Vastleggen", "Record"), fields: [
          { name: "action", label: say("Wat is afgesproken", "What was agreed"), type: "textarea", required: true },
          { name: "owner.personId", label: say("Eigenaar", "Owner"), type: "select", options: programme.coreTeam.map((m) => ({ value: m.person.id, label: m.person.name })) },
          { name: "dueDate", label: say("Uiterlijk", "Due"), type: "date", required: true },
          { name: "sessionId", label: say("In de bijeenkomst", "In the session"), type: "select", options: [{ value: "", label: "–" }, ...list.map(({ value: s }) => ({ value: s.id, label: s.title }))] },
          { name: "measureId", label: say("Bij de maatregel", "For the measure"), type: "select", options: [{ value: "", label: "–" }, ...measures.map(({ value: m }) => ({ value: m.id, label: m.title }))] }
        ] })}
      </section>
      <section id="measures"><h2>${say("Maatregelen", "Measures")}</h2>
        <ul>${measures.map(({ value: m }) => html`<li>${m.title} (${m.organisations.join(", ")})</li>`)}</ul>
        ${form(view, { id: "measure", action: view.path, title: say("Maatregel vastleggen", "Define a measure"), submit: say("Vastleggen", "Define"), fields: [
          { name: "title", label: say("Titel", "Title"), required: true },
          { name: "organisations", label: say("Organisaties (met komma's)", "Organisations (comma-separated)") }
        ] })}
      </section>`
  },
  download: async ({ client, actor, params }) => {
    const report = await client.followUp.report(actor, { programmeId: params[0] ?? "" })
    return { type: "text/html; charset=utf-8", body: ReportRender.toHtml(report), filename: "report.html" }
  },
  actions: {
    start: async ({ client, actor }, f) => {
      await client.followUp.startAgreement(actor, { agreementId: one(f.agreementId) })
    },
    complete: async ({ client, actor }, f) => {
      await client.followUp.completeAgreement(actor, { agreementId: one(f.agreementId) })
    },
    agreement: async ({ client, actor, params, session, view }, f) => {
      const sessionId = one(f.sessionId)
      const measureId = one(f.measureId)
      await client.followUp.recordAgreement(actor, {
        programmeId: params[0] ?? "",
        action: one(f.action),
        owner: { personId: one(f["owner.personId"]) },
        dueDate: one(f.dueDate),
        ...(sessionId ? { sessionId } : {}),
        ...(measureId ? { measureId } : {})
      })
      session.flash = view.say("De afspraak is vastgelegd.", "The agreement was recorded.")
    },
    measure: async ({ client, actor, params }, f) => {
      await client.followUp.defineMeasure(actor, { programmeId: params[0] ?? "", title: one(f.title), organisations: one(f.organisations).split(",").map((s) => s.trim()).filter(Boolean) })
    }
  }
}

/** @type {ReadonlyArray<Route>} */
export const routes = [coDesign, tasks, group, sessionsPage, followUp]
