// A participant's own pages: my sessions and my answers, my calendar feed, my evaluations, my
// personal data (an export to download, and a request to erase it).
import { button, form, hidden, html, when } from "../html.mjs"
import { label, one } from "./labels.mjs"

/** @typedef {import("../app.mjs").Route} Route */

/** @type {Route} */
const me = {
  path: /^\/me$/,
  title: (req) => req.view.say("Mijn bijeenkomsten", "My sessions"),
  render: async ({ client, actor, view, portal, query }) => {
    const { say } = view
    const personId = /** @type {string} */ (actor.personId)
    const list = await client.sessions.list(actor, {})
    const mine = list.map(({ value }) => value).filter((s) => s.invitations.some((i) => i.personId === personId))
    const now = Date.now()
    const toEvaluate = mine.filter((s) => s.state === "Held" && s.attendance.some((a) => a.personId === personId && a.present))
    const questions = await Promise.all(toEvaluate.map((s) => client.evaluations.questions(actor, { sessionId: s.id })))
    const token = query.has("feed") ? await client.feeds.issue(actor, { personId }) : undefined
    const requested = portal.erasureRequests.all().some((r) => r.personId === personId)
    return html`<h1>${say("Mijn bijeenkomsten", "My sessions")}</h1>
      <section id="my-sessions"><h2>${say("Uitnodigingen", "Invitations")}</h2>
        <table><thead><tr><th scope="col">${say("Bijeenkomst", "Session")}</th><th scope="col">${say("Wanneer", "When")}</th><th scope="col">${say("Waar", "Where")}</th><th scope="col">${say("Mijn antwoord", "My answer")}</th></tr></thead>
        <tbody>${mine.map((s) => {
          const invitation = s.invitations.find((i) => i.personId === personId)
          const open = s.state === "Invited" && s.start !== undefined && s.start.getTime() > now
          return html`<tr><td>${s.title}${s.state === "Cancelled" ? html` <strong class="failed">${label(view, "Cancelled")}</strong>` : ""}</td><td>${when(view, s.start)}</td><td>${s.venue ? `${s.venue.name}, ${s.venue.city}` : "–"}</td>
            <td><span class="answer">${label(view, invitation?.answer)}</span>${open ? form(view, { id: `answer:${s.id}`, action: view.path, submit: say("Antwoorden", "Answer"), extra: hidden("sessionId", s.id), fields: [
              { name: "answer", label: say(`Komt u naar ${s.title}?`, `Will you come to ${s.title}?`), type: "select", value: invitation?.answer === "NeedsAction" ? "Accepted" : invitation?.answer ?? "Accepted", options: [
                { value: "Accepted", label: say("Ja, ik kom", "Yes, I will come") },
                { value: "Tentative", label: say("Misschien", "Maybe") },
                { value: "Declined", label: say("Nee, ik kan niet", "No, I cannot come") }
              ] }
            ] }) : ""}</td></tr>`
        })}</tbody></table>
      </section>
      <section id="feed"><h2>${say("Mijn agenda", "My calendar")}</h2>
        ${token ? html`<p>${say("Abonneer u in uw agenda op deze link; houd hem voor uzelf:", "Subscribe to this link in your calendar; keep it to yourself:")}</p>
          <p><a id="feed-link" href="/feeds/${token.token}.ics">/feeds/${token.token}.ics</a></p>` : html`<p><a href="/me?feed=1">${say("Toon mijn agenda-link", "Show my calendar link")}</a></p>`}
      </section>
      <section id="evaluations"><h2>${say("Evaluaties", "Evaluations")}</h2>
        ${toEvaluate.length === 0 ? html`<p>${say("Geen bijeenkomst om te evalueren.", "No session to evaluate.")}</p>` : ""}
        ${toEvaluate.map((s, n) => questions[n]?.answered
          ? html`<h3>${s.title}</h3><p>${say("Dank voor uw evaluatie.", "Thank you for your evaluation.")}</p>`
          : form(view, { id: `evaluate:${s.id}`, action: view.path, title: s.title, submit: say("Evaluatie versturen", "Send the evaluation"), extra: hidden("sessionId", s.id),
            fields: (questions[n]?.questions ?? []).map((q) => q.kind === "Scale"
              ? { name: `scores.${q.key}`, label: `${view.lang === "en" ? q.text.en : q.text.nl} (1-5)`, type: /** @type {const} */ ("select"), options: ["", "1", "2", "3", "4", "5"].map((v) => ({ value: v, label: v || "–" })) }
              : { name: `openAnswers.${q.key}`, label: view.lang === "en" ? q.text.en : q.text.nl, type: /** @type {const} */ ("textarea") }) }))}
      </section>
      <section id="personal-data"><h2>${say("Mijn gegevens", "My personal data")}</h2>
        <p><a href="/me?download=data" download>${say("Download alles wat over mij is vastgelegd (JSON)", "Download everything recorded about me (JSON)")}</a></p>
        ${requested ? html`<p>${say("U hebt gevraagd uw gegevens te wissen; de coördinator handelt dat af.", "You asked for your data to be erased; the coordinator will see to it.")}</p>`
          : button(view, "erasure", view.path, say("Vraag om mijn gegevens te wissen", "Ask for my data to be erased"))}
      </section>`
  },
  download: async ({ client, actor }) => {
    const data = await client.personalData.exportPerson(actor, { personId: /** @type {string} */ (actor.personId) })
    return { type: "application/json; charset=utf-8", body: JSON.stringify(data, null, 2), filename: "mijn-gegevens.json" }
  },
  actions: {
    // one form per session (`answer:<session id>`), so that an error shows at its own form
    answer: async ({ client, actor, session, view }, f) => {
      await client.sessions.answer(actor, { sessionId: one(f.sessionId), personId: /** @type {string} */ (actor.personId), answer: /** @type {"Accepted"} */ (one(f.answer)) })
      session.flash = view.say("Uw antwoord is opgeslagen.", "Your answer was saved.")
    },
    evaluate: async ({ client, actor, session, view }, f) => {
      /** @type {Record<string, number>} */
      const scores = {}
      /** @type {Record<string, string>} */
      const openAnswers = {}
      for (const [key, value] of Object.entries(f)) {
        const text = one(value).trim()
        if (text === "") continue
        if (key.startsWith("scores.")) scores[key.slice(7)] = Number(text)
        if (key.startsWith("openAnswers.")) openAnswers[key.slice(12)] = text
      }
      await client.evaluations.answer(actor, { sessionId: one(f.sessionId), scores, openAnswers })
      session.flash = view.say("Dank voor uw evaluatie.", "Thank you for your evaluation.")
    },
    erasure: async ({ actor, user, portal, session, view }) => {
      portal.erasureRequests.add({ personId: /** @type {string} */ (actor.personId), name: user.name, regionId: /** @type {string} */ ("regionId" in actor ? actor.regionId : ""), at: new Date().toISOString() })
      session.flash = view.say("Uw verzoek is doorgegeven aan de coördinator.", "Your request was passed on to the coordinator.")
    }
  }
}

/** @type {ReadonlyArray<Route>} */
export const routes = [me]
