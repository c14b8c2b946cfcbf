// A coordinator's web app on the Promise facade: no Effect in sight. In a real portal the actor
// comes from the login; here the app runs as one coordinator.
import { createServer } from "node:http"
import { Application, ValidationError, Forbidden, InvalidTransition, RuleViolation, NotFound } from "@copkit/core"
import { html, page } from "./html.mjs"

const stateLabel = {
  Draft: "Concept",
  Submitted: "Ingediend",
  Exploring: "Verkenning",
  Accepted: "Toegelaten",
  Declined: "Afgewezen",
  Withdrawn: "Ingetrokken"
}

const criterionLabel = {
  EnergyAndEnthusiasm: "Energie en enthousiasme",
  AdministrativeDrive: "Bestuurlijke drive",
  Urgency: "Urgentie",
  EntrepreneurInvolvement: "Betrokkenheid ondernemers",
  PioneersAvailable: "Voortrekkers beschikbaar",
  CommitmentsConfirmed: "Inzet regio bevestigd"
}

/** @param {import("node:http").IncomingMessage} request */
const readForm = async (request) => {
  let body = ""
  for await (const chunk of request) {
    body += chunk
    if (body.length > 100_000) throw new Error("form too large")
  }
  return Object.fromEntries(new URLSearchParams(body))
}

/** Turns a copkit error into a sentence for the page. @param {unknown} error */
const explain = (error) => {
  if (error instanceof ValidationError) return `Ongeldige invoer in ${error.field} (${error.rule}): ${error.message}`
  if (error instanceof Forbidden) return `Niet toegestaan: ${error.reason}`
  if (error instanceof InvalidTransition) return `Kan niet van ${error.from} naar ${error.to}: ${error.reason}`
  if (error instanceof RuleViolation) return `${error.message} ${error.details.join("; ")}`
  if (error instanceof NotFound) return `Niet gevonden: ${error.id}`
  throw error
}

/**
 * @param {{ client: import("@copkit/core").Client.Client, actor: import("@copkit/core").Actor.Actor }} options
 */
export const createApp = ({ client, actor }) => {
  const listPage = async () => {
    const applications = await client.intake.list(actor, {})
    return page("Aanmeldingen", html`
      <h1>Aanmeldingen van regio's</h1>
      <table>
        <thead><tr><th>Regio</th><th>Status</th><th>Contact</th></tr></thead>
        <tbody>${applications.map(({ value }) => html`
          <tr>
            <td><a href="/applications/${encodeURIComponent(value.id)}">${value.region.name}</a></td>
            <td class="state">${stateLabel[value.state]}</td>
            <td>${value.contact.name}</td>
          </tr>`)}
        </tbody>
      </table>`)
  }

  /** @param {string} id @param {string | undefined} error */
  const detailPage = async (id, error) => {
    const { value: app } = await client.intake.get(actor, { applicationId: id })
    const readiness = await client.intake.readiness(actor, { applicationId: id })
    const latest = Application.latestAssessment(app)
    return page(app.region.name, html`
      <p><a href="/">← Alle aanmeldingen</a></p>
      <h1>${app.region.name}</h1>
      <p>Status: <span class="state" id="state">${stateLabel[app.state]}</span></p>
      ${error ? html`<p class="error" role="alert">${error}</p>` : ""}
      <h2>Motivatie</h2><p>${app.motivation}</p>
      <h2>Gereedheid</h2>
      <p id="ready">${readiness.ready ? "Klaar voor een besluit" : "Nog niet klaar"}${readiness.score === undefined ? "" : ` · score ${readiness.score}`}</p>
      <ul>${readiness.findings.map((f) => html`<li class="finding ${f.blocking ? "blocking" : ""}">${f.message}</li>`)}</ul>
      <h2>Beoordeling</h2>
      <table><tbody>${Application.criteria.map((c) => html`
        <tr><th>${criterionLabel[c]}</th><td>${latest.get(c)?.score ?? "–"}</td><td>${latest.get(c)?.note ?? ""}</td></tr>`)}
      </tbody></table>
      <form method="post" action="/applications/${encodeURIComponent(id)}/explore">
        <label>Verkenningsgesprek op <input name="at" type="datetime-local" required></label>
        <button>Plannen</button>
      </form>
      <form method="post" action="/applications/${encodeURIComponent(id)}/assess">
        <label>Criterium <select name="criterion">${Application.criteria.map((c) => html`<option value="${c}">${criterionLabel[c]}</option>`)}</select></label>
        <label>Score (1-5) <input name="score" inputmode="numeric"></label>
        <label>Toelichting <input name="note"></label>
        <button>Beoordelen</button>
      </form>
      <form method="post" action="/applications/${encodeURIComponent(id)}/decide">
        <label>Reden <input name="reason"></label>
        <button name="decision" value="accept">Toelaten</button>
        <button name="decision" value="decline">Afwijzen</button>
      </form>`)
  }

  /** @param {string} id @param {string} step @param {Record<string, string>} form */
  const post = async (id, step, form) => {
    const applicationId = id
    // Form fields are untrusted strings: they go to the library as they are, which decodes them and
    // answers a ValidationError naming the field (shown next to it) when they do not fit.
    switch (step) {
      case "explore":
        return client.intake.scheduleExploration(actor, { applicationId, at: new Date(`${form.at}:00+01:00`).toISOString() })
      case "assess":
        return client.intake.assess(actor, /** @type {typeof import("@copkit/core").Intake.Assess.Encoded} */ ({ applicationId, criterion: form.criterion, score: Number(form.score), note: form.note }))
      case "decide":
        return form.decision === "accept"
          ? client.intake.accept(actor, /** @type {typeof import("@copkit/core").Intake.Decide.Encoded} */ ({ applicationId, reason: form.reason }))
          : client.intake.decline(actor, /** @type {typeof import("@copkit/core").Intake.Decide.Encoded} */ ({ applicationId, reason: form.reason }))
      default:
        throw new NotFound({ entity: "Page", id: step })
    }
  }

  return createServer(async (request, response) => {
    const send = (/** @type {number} */ status, /** @type {string} */ body) => {
      response.writeHead(status, { "content-type": "text/html; charset=utf-8", "content-security-policy": "default-src 'self'; style-src 'unsafe-inline'" })
      response.end(body)
    }
    try {
      const url = new URL(request.url ?? "/", "http://localhost")
      const match = /^\/applications\/([^/]+)(?:\/(explore|assess|decide))?$/.exec(url.pathname)
      if (url.pathname === "/" && request.method === "GET") return send(200, await listPage())
      if (match && request.method === "GET" && !match[2]) return send(200, await detailPage(decodeURIComponent(match[1] ?? ""), undefined))
      if (match && request.method === "POST" && match[2]) {
        const id = decodeURIComponent(match[1] ?? "")
        try {
          await post(id, match[2], await readForm(request))
        } catch (error) {
          return send(422, await detailPage(id, explain(error)))
        }
        response.writeHead(303, { location: `/applications/${encodeURIComponent(id)}` })
        return response.end()
      }
      send(404, page("Niet gevonden", html`<h1>Niet gevonden</h1>`))
    } catch (error) {
      try {
        send(400, page("Fout", html`<p class="error" role="alert">${explain(error)}</p>`))
      } catch {
        send(500, page("Fout", html`<p class="error">Er ging iets mis.</p>`))
      }
    }
  })
}
