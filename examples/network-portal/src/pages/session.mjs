// One session, for the region's organisers and key persons (and the coordinator): scheduling,
// invitations and answers, attendance, minutes and insights, cancelling.
import { form, hidden, html, when } from "../html.mjs"
import { instant, label, localInput, many, one, options } from "./labels.mjs"

/** @typedef {import("../app.mjs").Route} Route @typedef {import("../app.mjs").Form} Form */

/** The venue typed in a form, when a name was given. @param {Form} f */
const venue = (f) => {
  const name = one(f["venue.name"]).trim()
  return name ? { venue: { name, address: one(f["venue.address"]), city: one(f["venue.city"]) } } : {}
}

/** @type {Route} */
const sessionPage = {
  path: /^\/sessions\/([^/]+)$/,
  title: (req) => req.view.say("Bijeenkomst", "Session"),
  render: async ({ client, actor, view, params }) => {
    const { say } = view
    const { value: s } = await client.sessions.get(actor, { sessionId: params[0] ?? "" })
    const started = s.start !== undefined && s.start.getTime() <= Date.now()
    const present = new Set(s.attendance.filter((a) => a.present).map((a) => a.personId))
    const answers = { Accepted: 0, Declined: 0, Tentative: 0, NeedsAction: 0 }
    for (const i of s.invitations) answers[i.answer] += 1
    const programmeId = s.programmeIds[0]
    const live = s.state !== "Cancelled" && s.state !== "Held"
    return html`<p><a href="/programmes/${encodeURIComponent(programmeId)}/sessions">${say("← Alle bijeenkomsten", "← All sessions")}</a></p>
      <h1>${s.title}</h1>
      <p>${say("Status", "State")}: <strong id="state">${label(view, s.state)}</strong> · ${when(view, s.start)}${s.venue ? ` · ${s.venue.name}, ${s.venue.city}` : ""}</p>
      ${live ? html`<section><h2>${s.start === undefined ? say("Inplannen", "Schedule") : say("Verplaatsen", "Reschedule")}</h2>
        ${form(view, { id: "schedule", action: view.path, submit: s.start === undefined ? say("Inplannen", "Schedule") : say("Verplaatsen", "Reschedule"), fields: [
          { name: "start", label: say("Begin", "Start"), type: "datetime-local", value: localInput(s.start), required: true },
          { name: "end", label: say("Einde", "End"), type: "datetime-local", value: localInput(s.end), required: true },
          { name: "venue.name", label: say("Locatie", "Venue"), value: s.venue?.name ?? "" },
          { name: "venue.address", label: say("Adres", "Address"), value: s.venue?.address ?? "" },
          { name: "venue.city", label: say("Plaats", "City"), value: s.venue?.city ?? "" }
        ] })}
        ${s.start !== undefined ? form(view, { id: "invite", action: view.path, submit: say("Groep uitnodigen", "Invite the group"), title: say("Uitnodigen", "Invitations") }) : ""}
      </section>` : ""}
      <section id="invitations"><h2>${say("Uitnodigingen en antwoorden", "Invitations and answers")}</h2>
        <p>${say("Ja", "Yes")}: ${answers.Accepted} · ${say("Nee", "No")}: ${answers.Declined} · ${say("Misschien", "Maybe")}: ${answers.Tentative} · ${say("Nog geen antwoord", "No answer yet")}: ${answers.NeedsAction}</p>
        ${s.invitations.length && (s.state === "Invited" || s.state === "Held") && started ? form(view, { id: "attendance", action: view.path, title: say("Aanwezigheid", "Attendance"), submit: say("Aanwezigheid vastleggen", "Record attendance"),
          extra: html`<table><thead><tr><th scope="col">${say("Aanwezig", "Present")}</th><th scope="col">${say("Naam", "Name")}</th><th scope="col">${say("Antwoord", "Answer")}</th></tr></thead><tbody>${s.invitations.map((i, n) => html`<tr>
            <td><input type="checkbox" id="present-${n}" name="present" value="${i.personId}"${present.has(i.personId) || (s.attendance.length === 0 && i.answer === "Accepted") ? html` checked` : ""}>${hidden("invited", i.personId)}</td>
            <td><label for="present-${n}">${i.name}</label></td><td>${label(view, i.answer)}</td></tr>`)}</tbody></table>` })
        : html`<table><thead><tr><th scope="col">${say("Naam", "Name")}</th><th scope="col">${say("Antwoord", "Answer")}</th></tr></thead><tbody>${s.invitations.map((i) => html`<tr><td>${i.name}</td><td>${label(view, i.answer)}</td></tr>`)}</tbody></table>`}
      </section>
      ${s.state === "Held" ? html`<section id="minutes"><h2>${say("Verslag", "Minutes")}</h2>
        ${s.minutes ? html`<p>${s.minutes.text}</p><p class="muted">${label(view, s.minutes.state)} · ${label(view, s.minutes.visibility)}</p>` : html`<p>${say("Nog geen verslag.", "No minutes yet.")}</p>`}
        ${s.minutes?.state !== "Published" ? html`${form(view, { id: "minutes", action: view.path, submit: say("Verslag opslaan", "Save the minutes"), fields: [
          { name: "text", label: say("Verslag", "Minutes"), type: "textarea", value: s.minutes?.text ?? "", required: true },
          { name: "visibility", label: say("Wie mag het vinden", "Who may find it"), type: "select", options: options(view, ["Region", "Network", "Public"]), value: s.minutes?.visibility ?? "Region" }
        ] })}
        ${s.minutes ? form(view, { id: "publish", action: view.path, submit: say("Verslag publiceren", "Publish the minutes") }) : ""}` : ""}
      </section>
      <section id="insight"><h2>${say("Inzicht vastleggen", "Record an insight")}</h2>
        ${form(view, { id: "insight", action: view.path, submit: say("Vastleggen", "Record"), fields: [
          { name: "kind", label: say("Soort", "Kind"), type: "select", options: options(view, ["WhatWorked", "PracticeExample", "Lesson"]) },
          { name: "title", label: say("Titel", "Title"), required: true },
          { name: "text", label: say("Inzicht", "Insight"), type: "textarea", required: true },
          { name: "visibility", label: say("Wie mag het vinden", "Who may find it"), type: "select", options: options(view, ["Network", "Region", "Public"]) }
        ] })}
      </section>` : ""}
      ${live ? html`<section><h2>${say("Annuleren", "Cancel")}</h2>${form(view, { id: "cancel", action: view.path, submit: say("Bijeenkomst annuleren", "Cancel the session"), fields: [
        { name: "reason", label: say("Reden (gaat naar de genodigden)", "Reason (sent to the invitees)"), type: "textarea", required: true }
      ] })}</section>` : ""}`
  },
  actions: {
    schedule: async ({ client, actor, params }, f) => {
      const sessionId = params[0] ?? ""
      const { value: s } = await client.sessions.get(actor, { sessionId })
      const input = { sessionId, start: instant(f.start), end: instant(f.end), ...venue(f) }
      await (s.start === undefined ? client.sessions.schedule(actor, input) : client.sessions.reschedule(actor, input))
    },
    invite: async ({ client, actor, params, session, view }) => {
      const s = await client.sessions.invite(actor, { sessionId: params[0] ?? "" })
      session.flash = view.say(`${s.invitations.length} genodigden; de uitnodigingen gaan per e-mail, met agenda-bijlage.`, `${s.invitations.length} invitees; the invitations go out by e-mail, with a calendar attachment.`)
    },
    attendance: async ({ client, actor, params, session, view }, f) => {
      const present = new Set(many(f.present))
      const s = await client.sessions.recordAttendance(actor, { sessionId: params[0] ?? "", attendance: many(f.invited).map((personId) => ({ personId, present: present.has(personId) })) })
      session.flash = view.say(`Aanwezigheid vastgelegd: ${s.attendance.filter((a) => a.present).length} aanwezig.`, `Attendance recorded: ${s.attendance.filter((a) => a.present).length} present.`)
    },
    minutes: async ({ client, actor, params }, f) => {
      await client.sessions.writeMinutes(actor, { sessionId: params[0] ?? "", text: one(f.text), visibility: /** @type {"Region"} */ (one(f.visibility)) })
    },
    publish: async ({ client, actor, params }) => {
      await client.sessions.publishMinutes(actor, { sessionId: params[0] ?? "" })
    },
    insight: async ({ client, actor, params, session, view }, f) => {
      await client.sessions.recordInsight(actor, { sessionId: params[0] ?? "", kind: /** @type {"Lesson"} */ (one(f.kind)), title: one(f.title), text: one(f.text), visibility: /** @type {"Network"} */ (one(f.visibility)) })
      session.flash = view.say("Het inzicht is vastgelegd.", "The insight was recorded.")
    },
    cancel: async ({ client, actor, params }, f) => {
      await client.sessions.cancel(actor, { sessionId: params[0] ?? "", reason: one(f.reason) })
    }
  }
}

/** @type {ReadonlyArray<Route>} */
export const routes = [sessionPage]
