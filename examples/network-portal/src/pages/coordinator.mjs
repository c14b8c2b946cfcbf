// The intake and the network: the coordinator's overview, intake rounds and their comparison, the
// applications with the assessment and the decision; a key person's own application and region.
import { Application } from "@copkit/core"
import { button, date, form, hidden, html, percent, when } from "../html.mjs"
import { instant, label, many, number, one, options } from "./labels.mjs"

/** @typedef {import("../app.mjs").Route} Route @typedef {import("../app.mjs").Request} Request */

const link = (/** @type {string} */ href, /** @type {unknown} */ text) => html`<a href="${href}">${text}</a>`

/** @type {Route} */
const network = {
  path: /^\/network$/,
  title: (req) => req.view.say("Het netwerk", "The network"),
  render: async ({ client, actor, view }) => {
    const { say } = view
    const overview = await client.network.overview(actor, {})
    return html`<h1>${say("Het netwerk", "The network")}</h1>
      <p>${say("Aanwezigheid over alle gehouden bijeenkomsten", "Attendance over all held sessions")}: <strong id="network-attendance">${percent(overview.attendance.rate)}</strong>
        · ${say("afspraken afgerond", "agreements completed")}: <strong>${percent(overview.agreementCompletionRate)}</strong></p>
      <table id="overview">
        <caption>${say("Regio's per fase", "Regions by stage")}</caption>
        <thead><tr><th scope="col">${say("Regio", "Region")}</th><th scope="col">${say("Fase", "Stage")}</th><th scope="col">${say("Gehouden", "Held")}</th><th scope="col">${say("Aanwezig", "Attendance")}</th><th scope="col">${say("Afspraken (klaar/totaal)", "Agreements (done/total)")}</th><th scope="col">${say("Evaluatie", "Evaluation")}</th><th scope="col">${say("Open taken (te laat)", "Open tasks (overdue)")}</th></tr></thead>
        <tbody>${overview.regions.map((r) => html`<tr>
          <th scope="row">${r.programmeId ? link(`/programmes/${encodeURIComponent(r.programmeId)}`, r.regionName) : r.applicationId ? link(`/applications/${encodeURIComponent(r.applicationId)}`, r.regionName) : r.regionName}</th>
          <td>${label(view, r.stage)} (${label(view, r.state)})</td>
          <td>${r.sessionsHeld}</td>
          <td>${percent(r.attendance.rate)}</td>
          <td>${r.agreements.done}/${r.agreements.total}</td>
          <td>${r.impact?.evaluationAverage === undefined ? "–" : `${r.impact.evaluationAverage} / 5`}</td>
          <td>${r.tasks.open} (${r.tasks.overdue})</td>
        </tr>`)}</tbody>
      </table>
      ${overview.sharedThemes.length > 0 ? html`<h2>${say("Gedeelde thema's", "Shared themes")}</h2><ul>${overview.sharedThemes.map((t) => html`<li>${t.title}: ${t.regions.length} ${say("regio's", "regions")}</li>`)}</ul>` : ""}`
  }
}

/** @type {Route} */
const roundsPage = {
  path: /^\/rounds$/,
  title: (req) => req.view.say("Instroomrondes", "Intake rounds"),
  render: async ({ client, actor, view }) => {
    const { say } = view
    const rounds = await client.rounds.list(actor)
    return html`<h1>${say("Instroomrondes", "Intake rounds")}</h1>
      <table id="rounds"><thead><tr><th scope="col">${say("Ronde", "Round")}</th><th scope="col">${say("Plaatsen", "Places")}</th><th scope="col">${say("Sluit", "Deadline")}</th><th scope="col">${say("Status", "State")}</th></tr></thead>
      <tbody>${rounds.map(({ value }) => html`<tr><td>${link(`/rounds/${encodeURIComponent(value.id)}`, value.name)}</td><td>${value.capacity}</td><td>${when(view, value.deadline)}</td><td>${label(view, value.state)}</td></tr>`)}</tbody></table>
      <section><h2>${say("Nieuwe ronde openen", "Open a new round")}</h2>${form(view, {
        id: "open-round",
        action: "/rounds",
        submit: say("Openen", "Open"),
        fields: [
          { name: "name", label: say("Naam", "Name"), required: true },
          { name: "capacity", label: say("Aantal plaatsen", "Places"), type: "number", value: 4 },
          { name: "deadline", label: say("Aanmelden kan tot", "Applications until"), type: "datetime-local", required: true }
        ]
      })}</section>`
  },
  actions: {
    "open-round": async ({ client, actor }, f) => {
      const round = await client.rounds.open(actor, { name: one(f.name), capacity: number(f.capacity), deadline: instant(f.deadline) })
      return `/rounds/${encodeURIComponent(round.id)}`
    }
  }
}

/** @type {Route} */
const roundPage = {
  path: /^\/rounds\/([^/]+)$/,
  title: (req) => req.view.say("Vergelijking van de ronde", "The round compared"),
  render: async ({ client, actor, view, params }) => {
    const { say } = view
    const comparison = await client.rounds.compare(actor, { roundId: params[0] ?? "" })
    return html`<h1>${comparison.round.name}</h1>
      <p>${say("Plaatsen over", "Places left")}: <strong>${comparison.remaining}</strong> ${say("van", "of")} ${comparison.round.capacity}</p>
      <table id="comparison"><caption>${say("Aanmeldingen op volgorde van gereedheid", "Applications by readiness")}</caption>
      <thead><tr><th scope="col">#</th><th scope="col">${say("Regio", "Region")}</th><th scope="col">${say("Status", "State")}</th><th scope="col">${say("Score", "Score")}</th><th scope="col">${say("Klaar voor besluit", "Ready to decide")}</th></tr></thead>
      <tbody>${comparison.entries.map((e) => html`<tr><td>${e.rank}</td><td>${link(`/applications/${encodeURIComponent(e.applicationId)}`, e.regionName)}</td><td>${label(view, e.state)}</td><td>${e.readiness.score?.toFixed(1) ?? "–"}</td><td>${e.readiness.ready ? say("ja", "yes") : say("nee", "no")}</td></tr>`)}</tbody></table>`
  }
}

/** @type {Route} */
const applications = {
  path: /^\/applications$/,
  title: (req) => req.view.say("Aanmeldingen", "Applications"),
  render: async ({ client, actor, view }) => {
    const { say } = view
    const list = await client.intake.list(actor, {})
    return html`<h1>${say("Aanmeldingen van regio's", "Applications of regions")}</h1>
      <table><thead><tr><th scope="col">${say("Regio", "Region")}</th><th scope="col">${say("Status", "State")}</th><th scope="col">${say("Contactpersoon", "Contact")}</th><th scope="col">${say("Bijgewerkt", "Updated")}</th></tr></thead>
      <tbody>${list.map(({ value }) => html`<tr><td>${link(`/applications/${encodeURIComponent(value.id)}`, value.region.name)}</td><td class="state">${label(view, value.state)}</td><td>${value.contact.name}</td><td>${date(view, value.updatedAt)}</td></tr>`)}</tbody></table>`
  }
}

const commitmentNames = /** @type {const} */ (["venue", "catering", "participantSelection", "activeParticipation", "followUp"])
const helixRoles = ["Entrepreneur", "Government", "Intermediary", "Knowledge"]

/** The application form's fields, filled from an application when there is one. @param {Request} req @param {import("@copkit/core").Application.Application | undefined} app */
const applicationFields = ({ view, user }, app) => {
  const { say } = view
  const people = app?.keyPersons ?? []
  const admin = app?.administrators[0]
  return [
    { name: "region.name", label: say("Naam van de regio", "Name of the region"), value: app?.region.name ?? "", required: true },
    { name: "region.provinces", label: say("Provincies (met komma's)", "Provinces (comma-separated)"), value: app?.region.provinces.join(", ") ?? "", required: true },
    { name: "region.municipalities", label: say("Gemeenten (met komma's)", "Municipalities (comma-separated)"), value: app?.region.municipalities.join(", ") ?? "", required: true },
    { name: "motivation", label: say("Motivatie", "Motivation"), type: /** @type {const} */ ("textarea"), value: app?.motivation ?? "", required: true },
    { name: "urgency", label: say("Urgentie", "Urgency"), type: /** @type {const} */ ("textarea"), value: app?.urgency ?? "", required: true },
    ...[0, 1, 2, 3].flatMap((i) => {
      const p = people[i] ?? (i === 0 ? { name: user.name, email: "", organisation: "", helixRole: "Government" } : undefined)
      const n = i + 1
      return [
        { name: `keyPersons[${i}].name`, label: say(`Sleutelpersoon ${n}: naam`, `Key person ${n}: name`), value: p?.name ?? "" },
        { name: `keyPersons[${i}].email`, label: say(`Sleutelpersoon ${n}: e-mail`, `Key person ${n}: e-mail`), type: /** @type {const} */ ("email"), value: p?.email ?? "" },
        { name: `keyPersons[${i}].organisation`, label: say(`Sleutelpersoon ${n}: organisatie`, `Key person ${n}: organisation`), value: p?.organisation ?? "" },
        { name: `keyPersons[${i}].helixRole`, label: say(`Sleutelpersoon ${n}: rol in de helix`, `Key person ${n}: helix role`), type: /** @type {const} */ ("select"), options: options(view, helixRoles), value: p?.helixRole ?? "Entrepreneur" }
      ]
    }),
    { name: "administrators[0].name", label: say("Bestuurder: naam", "Administrator: name"), value: admin?.name ?? "" },
    { name: "administrators[0].email", label: say("Bestuurder: e-mail", "Administrator: e-mail"), type: /** @type {const} */ ("email"), value: admin?.email ?? "" },
    {
      name: "commitments",
      label: say("De regio zegt toe", "The region commits to"),
      type: /** @type {const} */ ("checkboxes"),
      value: commitmentNames.filter((c) => app?.commitments[c] === true),
      options: [
        { value: "venue", label: say("een locatie", "a venue") },
        { value: "catering", label: say("catering", "catering") },
        { value: "participantSelection", label: say("de selectie van deelnemers", "selecting participants") },
        { value: "activeParticipation", label: say("actieve deelname", "active participation") },
        { value: "followUp", label: say("opvolging van de afspraken", "following up the agreements") }
      ]
    }
  ]
}

/** The application's content from the form, as copkit's input. @param {Request} req @param {import("../app.mjs").Form} f */
const applicationInput = ({ actor }, f) => {
  const list = (/** @type {string} */ name) => one(f[name]).split(",").map((s) => s.trim()).filter(Boolean)
  const keyPersons = [0, 1, 2, 3].flatMap((i) => {
    const name = one(f[`keyPersons[${i}].name`]).trim()
    const email = one(f[`keyPersons[${i}].email`]).trim()
    if (i > 0 && name === "" && email === "") return []
    return [{ ...(i === 0 ? { id: actor.personId } : {}), name, email, organisation: one(f[`keyPersons[${i}].organisation`]), helixRole: /** @type {"Entrepreneur"} */ (one(f[`keyPersons[${i}].helixRole`])) }]
  })
  const adminName = one(f["administrators[0].name"]).trim()
  const chosen = new Set(many(f.commitments))
  return {
    region: { id: /** @type {string} */ ("regionId" in actor ? actor.regionId : ""), name: one(f["region.name"]), provinces: list("region.provinces"), municipalities: list("region.municipalities") },
    contact: keyPersons[0] ?? { name: "", email: "", organisation: "", helixRole: /** @type {const} */ ("Government") },
    motivation: one(f.motivation),
    urgency: one(f.urgency),
    keyPersons,
    entrepreneurs: keyPersons.filter((p) => p.helixRole === "Entrepreneur"),
    administrators: adminName === "" ? [] : [{ name: adminName, email: one(f["administrators[0].email"]), helixRole: /** @type {const} */ ("Government") }],
    commitments: Object.fromEntries(commitmentNames.map((c) => [c, chosen.has(c)]))
  }
}

/** @type {Route} */
const newApplication = {
  path: /^\/applications\/new$/,
  title: (req) => req.view.say("Aanmelden als regio", "Apply as a region"),
  render: async (req) => {
    const { view } = req
    const rounds = (await req.client.rounds.list(req.actor)).filter((r) => r.value.state === "Open")
    return html`<h1>${view.say("Aanmelden als regio", "Apply as a region")}</h1>
      <p>${view.say("U vult de aanmelding in; u kunt haar daarna nog aanpassen en dan indienen.", "Fill in the application; you can still change it afterwards, then submit it.")}</p>
      ${form(view, {
        id: "create-application",
        action: "/applications/new",
        submit: view.say("Opslaan als concept", "Save as draft"),
        fields: [
          ...applicationFields(req, undefined),
          { name: "roundId", label: view.say("Instroomronde", "Intake round"), type: "select", options: [{ value: "", label: "–" }, ...rounds.map((r) => ({ value: r.value.id, label: r.value.name }))] }
        ]
      })}`
  },
  actions: {
    "create-application": async (req, f) => {
      const roundId = one(f.roundId)
      const created = await req.client.intake.create(req.actor, { ...applicationInput(req, f), ...(roundId ? { roundId } : {}) })
      return `/applications/${encodeURIComponent(created.id)}`
    }
  }
}

/** @type {Route} */
const applicationPage = {
  path: /^\/applications\/([^/]+)$/,
  title: (req) => req.view.say("Aanmelding", "Application"),
  render: async (req) => {
    const { client, actor, view, params } = req
    const { say } = view
    const applicationId = params[0] ?? ""
    const { value: app } = await client.intake.get(actor, { applicationId })
    const coordinator = actor._tag === "NetworkCoordinator"
    const readiness = coordinator ? await client.intake.readiness(actor, { applicationId }) : undefined
    const latest = Application.latestAssessment(app)
    const open = app.state === "Submitted" || app.state === "Exploring"
    return html`<h1>${app.region.name}</h1>
      <p>${say("Status", "State")}: <strong id="state">${label(view, app.state)}</strong>${app.decision ? html` · ${app.decision.reason}` : ""}</p>
      <section><h2>${say("De aanmelding", "The application")}</h2>
        <h3>${say("Motivatie", "Motivation")}</h3><p>${app.motivation}</p>
        <h3>${say("Urgentie", "Urgency")}</h3><p>${app.urgency}</p>
        <h3>${say("Sleutelpersonen", "Key persons")}</h3>
        <ul>${app.keyPersons.map((p) => html`<li>${p.name}, ${p.organisation ?? ""} (${label(view, p.helixRole)})</li>`)}</ul>
      </section>
      ${app.state === "Draft" && !coordinator ? html`<section><h2>${say("Aanpassen en indienen", "Change and submit")}</h2>
        ${form(view, { id: "update-application", action: req.view.path, submit: say("Wijzigingen opslaan", "Save changes"), fields: applicationFields(req, app) })}
        ${button(view, "submit-application", req.view.path, say("Indienen bij de coördinator", "Submit to the coordinator"))}</section>` : ""}
      ${readiness ? html`<section><h2>${say("Gereedheid", "Readiness")}</h2>
        <p id="ready">${readiness.ready ? say("Klaar voor een besluit", "Ready for a decision") : say("Nog niet klaar", "Not ready yet")}${readiness.score === undefined ? "" : ` · score ${readiness.score.toFixed(1)}`}</p>
        <ul id="findings">${readiness.findings.map((f) => html`<li class="${f.blocking ? "failed" : ""}">${f.blocking ? say("Blokkeert: ", "Blocks: ") : ""}${f.message}</li>`)}</ul></section>
      <section><h2>${say("Beoordeling", "Assessment")}</h2>
        <table id="assessment"><thead><tr><th scope="col">${say("Criterium", "Criterion")}</th><th scope="col">Score</th><th scope="col">${say("Toelichting", "Note")}</th></tr></thead>
        <tbody>${Application.criteria.map((c) => html`<tr><th scope="row">${label(view, c)}</th><td>${latest.get(c)?.score ?? "–"}</td><td>${latest.get(c)?.note ?? ""}</td></tr>`)}</tbody></table>
        ${open ? html`
        ${form(view, { id: "explore", action: view.path, title: say("Verkenningsgesprek", "Exploratory conversation"), submit: say("Plannen", "Schedule"), fields: [
          { name: "at", label: say("Datum en tijd", "Date and time"), type: "datetime-local", required: true },
          { name: "location", label: say("Plaats", "Location") }
        ] })}
        ${form(view, { id: "assess", action: view.path, title: say("Een criterium beoordelen", "Assess a criterion"), submit: say("Beoordelen", "Assess"), fields: [
          { name: "criterion", label: say("Criterium", "Criterion"), type: "select", options: options(view, Application.criteria) },
          { name: "score", label: say("Score (1 tot 5)", "Score (1 to 5)"), type: "number", required: true },
          { name: "note", label: say("Toelichting", "Note"), type: "textarea" }
        ] })}
        ${form(view, { id: "decide", action: view.path, title: say("Besluit", "Decision"), submit: say("Toelaten", "Accept"), fields: [
          { name: "reason", label: say("Reden", "Reason"), type: "textarea", required: true }
        ], buttons: html`<button type="submit" name="decision" value="decline">${say("Afwijzen", "Decline")}</button>` })}` : ""}
      </section>` : ""}
      ${app.programmeId ? html`<p><a href="/programmes/${encodeURIComponent(app.programmeId)}">${say("Naar het programma", "Go to the programme")}</a></p>` : ""}`
  },
  actions: {
    "update-application": async (req, f) => {
      await req.client.intake.update(req.actor, { applicationId: req.params[0] ?? "", ...applicationInput(req, f) })
    },
    "submit-application": async ({ client, actor, params, session, view }) => {
      await client.intake.submit(actor, { applicationId: params[0] ?? "" })
      session.flash = view.say("De aanmelding is ingediend.", "The application was submitted.")
    },
    explore: async ({ client, actor, params }, f) => {
      const location = one(f.location).trim()
      await client.intake.scheduleExploration(actor, { applicationId: params[0] ?? "", at: instant(f.at), ...(location ? { location } : {}) })
    },
    assess: async ({ client, actor, params }, f) => {
      await client.intake.assess(actor, { applicationId: params[0] ?? "", criterion: /** @type {"Urgency"} */ (one(f.criterion)), score: number(f.score), note: one(f.note) })
    },
    decide: async ({ client, actor, params, session, view }, f) => {
      const input = { applicationId: params[0] ?? "", reason: one(f.reason) }
      if (one(f.decision) === "decline") {
        await client.intake.decline(actor, input)
        session.flash = view.say("De aanmelding is afgewezen.", "The application was declined.")
        return
      }
      const { programme } = await client.intake.accept(actor, input)
      session.flash = view.say("De regio is toegelaten; het programma is aangemaakt.", "The region was accepted; its programme was created.")
      return `/programmes/${encodeURIComponent(programme.id)}`
    }
  }
}

/** @type {Route} */
const region = {
  path: /^\/region$/,
  title: (req) => req.view.say("Mijn regio", "My region"),
  render: async ({ client, actor, view }) => {
    const { say } = view
    const [apps, programmes] = await Promise.all([client.intake.list(actor, {}), client.programmes.list(actor, {})])
    return html`<h1>${say("Mijn regio", "My region")}</h1>
      <section><h2>${say("Aanmeldingen", "Applications")}</h2>
        ${apps.length === 0 ? html`<p>${say("Uw regio heeft zich nog niet aangemeld.", "Your region has not applied yet.")}</p>` : ""}
        <ul>${apps.map(({ value }) => html`<li>${link(`/applications/${encodeURIComponent(value.id)}`, value.region.name)}: ${label(view, value.state)}</li>`)}</ul>
        ${actor._tag === "KeyPerson" && apps.every(({ value }) => ["Declined", "Withdrawn"].includes(value.state)) ? html`<p><a href="/applications/new">${say("Aanmelden als regio", "Apply as a region")}</a></p>` : ""}
      </section>
      <section><h2>${say("Programma's", "Programmes")}</h2>
        ${programmes.length === 0 ? html`<p>${say("Nog geen programma.", "No programme yet.")}</p>` : ""}
        <ul>${programmes.map(({ value }) => html`<li>${link(`/programmes/${encodeURIComponent(value.id)}`, value.region.name)}: ${label(view, value.state)}</li>`)}</ul>
      </section>`
  }
}

/** @type {Route} */
const programmes = {
  path: /^\/programmes$/,
  title: (req) => req.view.say("Programma's", "Programmes"),
  render: async ({ client, actor, view }) => {
    const list = await client.programmes.list(actor, {})
    return html`<h1>${view.say("Programma's", "Programmes")}</h1>
      <table><thead><tr><th scope="col">${view.say("Regio", "Region")}</th><th scope="col">${view.say("Status", "State")}</th><th scope="col">${view.say("Sessies in het plan", "Sessions in the plan")}</th></tr></thead>
      <tbody>${list.map(({ value }) => html`<tr><td>${link(`/programmes/${encodeURIComponent(value.id)}`, value.region.name)}</td><td>${label(view, value.state)}</td><td>${value.plan.length}</td></tr>`)}</tbody></table>`
  }
}

/** @type {Route} */
const privacy = {
  path: /^\/privacy\/requests$/,
  title: (req) => req.view.say("Verzoeken om verwijdering", "Erasure requests"),
  render: async ({ portal, view }) => {
    const { say } = view
    const requests = portal.erasureRequests.all()
    return html`<h1>${say("Verzoeken om verwijdering", "Erasure requests")}</h1>
      <p>${say("Deelnemers vragen hier om het wissen van hun persoonsgegevens. Wissen maakt hun naam, e-mailadres en antwoorden onherkenbaar in alle programma's; de aantallen blijven.", "Participants ask here for their personal data to be erased. Erasure makes their name, e-mail address and answers unrecognisable in every programme; the counts stay.")}</p>
      ${requests.length === 0 ? html`<p>${say("Geen open verzoeken.", "No open requests.")}</p>` : ""}
      <ul>${requests.map((r) => html`<li>${r.name} (${r.regionId}), ${when(view, r.at)}
        ${button(view, "erase", view.path, say("Gegevens wissen", "Erase the data"), hidden("personId", r.personId))}</li>`)}</ul>`
  },
  actions: {
    erase: async ({ client, actor, portal, session, view }, f) => {
      const personId = one(f.personId)
      const result = await client.personalData.erase(actor, { personId })
      portal.erasureRequests.remove(personId)
      const count = Object.values(result.changed).reduce((a, b) => a + b, 0)
      session.flash = view.say(`Gewist: ${count} records.`, `Erased: ${count} records.`)
    }
  }
}

/** @type {ReadonlyArray<Route>} */
export const routes = [network, roundsPage, roundPage, applications, newApplication, applicationPage, region, programmes, privacy]
