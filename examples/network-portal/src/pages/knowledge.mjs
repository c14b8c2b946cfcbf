// Learning across regions: the insights and the published minutes the network may read, and the
// people who chose to be found in the directory, by theme and words.
import { date, html } from "../html.mjs"
import { label } from "./labels.mjs"

/** @typedef {import("../app.mjs").Route} Route */

/** @type {Route} */
const knowledge = {
  path: /^\/knowledge$/,
  title: (req) => req.view.say("Kennis uit het netwerk", "Knowledge from the network"),
  render: async ({ client, actor, view, query }) => {
    const { say } = view
    const text = (query.get("text") ?? "").trim().slice(0, 500)
    const theme = (query.get("theme") ?? "").trim().slice(0, 200)
    const asked = text !== "" || theme !== ""
    const input = { ...(text ? { text } : {}), ...(theme ? { theme } : {}) }
    const [insights, minutes, people] = asked
      ? await Promise.all([client.network.search(actor, { ...input, limit: 20 }), client.network.searchMinutes(actor, { ...input, limit: 20 }), client.directory.search(actor, input)])
      : [[], [], []]
    return html`<h1>${say("Kennis uit het netwerk", "Knowledge from the network")}</h1>
      <form method="get" action="/knowledge" id="form-knowledge">
        <div class="field"><label for="knowledge-text">${say("Woorden", "Words")}</label><input type="text" id="knowledge-text" name="text" value="${text}"></div>
        <div class="field"><label for="knowledge-theme">${say("Thema", "Theme")}</label><input type="text" id="knowledge-theme" name="theme" value="${theme}"></div>
        <div class="buttons"><button type="submit">${say("Zoeken", "Search")}</button></div>
      </form>
      ${asked ? html`<section id="insights"><h2>${say("Inzichten", "Insights")} (${insights.length})</h2>
        <ul>${insights.map((h) => html`<li><strong>${h.insight.title}</strong> (${h.regionName}, ${label(view, h.insight.kind)}): ${h.insight.text}</li>`)}</ul></section>
      <section id="minutes-found"><h2>${say("Verslagen", "Minutes")} (${minutes.length})</h2>
        <ul>${minutes.map((m) => html`<li><strong>${m.title}</strong> (${m.regionNames.join(", ")}, ${date(view, m.start)}): ${m.text}</li>`)}</ul></section>
      <section id="people"><h2>${say("Mensen om te vragen", "People to ask")} (${people.length})</h2>
        <ul>${people.map((p) => html`<li><strong>${p.name}</strong>${p.organisation ? `, ${p.organisation}` : ""}: ${p.themes.join(", ")}${p.email ? html` · <a href="mailto:${p.email}">${p.email}</a>` : ""}</li>`)}</ul></section>` : ""}`
  }
}

/** @type {ReadonlyArray<Route>} */
export const routes = [knowledge]
