// The portal's web server: sign-in, the language, CSRF, the routes of every role, and copkit's
// errors turned into pages. The pages themselves are in ./pages/.
import { createServer } from "node:http"
import { cookieName, csrfValid, parseCookies, sessionCookie, sessionStore, verifyPassword } from "./auth.mjs"
import { explain } from "./errors.mjs"
import { form, html, page, stylesheet } from "./html.mjs"
import { routes as coordinatorRoutes } from "./pages/coordinator.mjs"
import { routes as knowledgeRoutes } from "./pages/knowledge.mjs"
import { routes as participantRoutes } from "./pages/participant.mjs"
import { routes as programmeRoutes } from "./pages/programme.mjs"
import { routes as sessionRoutes } from "./pages/session.mjs"

/**
 * @typedef {import("./html.mjs").View} View
 * @typedef {Record<string, string | Array<string>>} Form
 * @typedef {Exclude<import("@copkit/core").Client.ActorInput, { readonly _tag: "System" }>} PersonActor a person's actor: every user of the portal is a person
 * @typedef {object} Request
 * @property {import("@copkit/core").Client.Client} client
 * @property {PersonActor} actor
 * @property {import("./auth.mjs").User} user
 * @property {View} view
 * @property {ReadonlyArray<string>} params
 * @property {URLSearchParams} query
 * @property {import("./auth.mjs").WebSession} session
 * @property {Portal} portal
 * @typedef {object} Route
 * @property {RegExp} path
 * @property {(req: Request) => string} title
 * @property {(req: Request) => Promise<unknown>} render
 * @property {Record<string, (req: Request, form: Form) => Promise<string | void>>} [actions]
 * @property {(req: Request) => Promise<{ type: string, body: string, filename?: string }>} [download]
 * @typedef {object} Portal
 * @property {import("@copkit/core").Client.Client} client
 * @property {ReturnType<typeof import("./auth.mjs").userStore>} users
 * @property {{ add: (request: ErasureRequest) => void, all: () => ReadonlyArray<ErasureRequest>, remove: (personId: string) => void }} erasureRequests
 * @property {(token: string) => Promise<string>} feed the iCalendar text of a feed token
 * @property {boolean} [secureCookies]
 * @typedef {{ personId: string, name: string, regionId: string, at: string }} ErasureRequest
 */

/** @type {ReadonlyArray<Route>} */
const routes = [...coordinatorRoutes, ...programmeRoutes, ...sessionRoutes, ...participantRoutes, ...knowledgeRoutes]

/** @param {import("@copkit/core").Client.ActorInput} actor @param {(nl: string, en: string) => string} say */
export const roleName = (actor, say) =>
  ({
    NetworkCoordinator: say("coördinator", "coordinator"),
    KeyPerson: say("sleutelpersoon", "key person"),
    RegionalOrganiser: say("regionaal organisator", "regional organiser"),
    Participant: say("deelnemer", "participant")
  })[/** @type {string} */ (actor._tag)] ?? actor._tag

/** The menu of a role. @param {import("@copkit/core").Client.ActorInput} actor @param {(nl: string, en: string) => string} say */
const navFor = (actor, say) => {
  switch (actor._tag) {
    case "NetworkCoordinator":
      return [
        { href: "/network", label: say("Netwerk", "Network") },
        { href: "/rounds", label: say("Instroomrondes", "Intake rounds") },
        { href: "/applications", label: say("Aanmeldingen", "Applications") },
        { href: "/programmes", label: say("Programma's", "Programmes") },
        { href: "/knowledge", label: say("Kennis", "Knowledge") },
        { href: "/privacy/requests", label: say("Privacyverzoeken", "Privacy requests") }
      ]
    case "KeyPerson":
    case "RegionalOrganiser":
      return [{ href: "/region", label: say("Mijn regio", "My region") }, { href: "/knowledge", label: say("Kennis uit het netwerk", "Knowledge from the network") }]
    default:
      return [{ href: "/me", label: say("Mijn bijeenkomsten", "My sessions") }]
  }
}

/**
 * Reads a url-encoded form; a field given more than once becomes a list. `undefined` when the body
 * is larger than any of the portal's forms can be (200 kB).
 * @param {import("node:http").IncomingMessage} request @returns {Promise<Form | undefined>}
 */
const readForm = async (request) => {
  let body = ""
  for await (const chunk of request) {
    body += chunk
    if (body.length > 200_000) return undefined
  }
  /** @type {Form} */
  const form = {}
  for (const [key, value] of new URLSearchParams(body)) {
    const before = form[key]
    form[key] = before === undefined ? value : [before, value].flat()
  }
  return form
}

/** @param {Portal} portal */
export const createPortal = (portal) => {
  const sessions = sessionStore()

  /** @param {import("node:http").IncomingMessage} request @param {import("node:http").ServerResponse} response @returns {Promise<unknown>} */
  const handle = async (request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost")
    const cookies = parseCookies(request.headers.cookie)
    const lang = cookies.lang === "en" ? "en" : "nl"
    /** @param {string} nl @param {string} en */
    const say = (nl, en) => (lang === "en" ? en : nl)
    /** @param {number} status @param {string} body @param {Record<string, string>} [headers] */
    const send = (status, body, headers = {}) => {
      response.writeHead(status, {
        "content-type": "text/html; charset=utf-8",
        "content-security-policy": "default-src 'self'; form-action 'self'; frame-ancestors 'none'",
        "x-content-type-options": "nosniff",
        "referrer-policy": "same-origin",
        "cache-control": "no-store",
        ...headers
      })
      response.end(body)
    }
    /** @param {string} location @param {Record<string, string>} [headers] */
    const redirect = (location, headers = {}) => {
      response.writeHead(303, { location, ...headers })
      response.end()
    }

    if (url.pathname === "/style.css") {
      response.writeHead(200, { "content-type": "text/css; charset=utf-8", "cache-control": "max-age=3600" })
      return response.end(stylesheet)
    }
    if (url.pathname === "/lang") {
      const to = url.searchParams.get("to") === "en" ? "en" : "nl"
      const back = url.searchParams.get("back") ?? "/"
      return redirect(back.startsWith("/") && !back.startsWith("//") ? back : "/", { "set-cookie": `lang=${to}; Path=/; SameSite=Lax; Max-Age=31536000` })
    }
    const feed = /^\/feeds\/([A-Za-z0-9_.-]{1,200})\.ics$/.exec(url.pathname)
    if (feed && request.method === "GET") {
      try {
        const ics = await portal.feed(feed[1] ?? "")
        response.writeHead(200, { "content-type": "text/calendar; charset=utf-8", "cache-control": "no-store" })
        return response.end(ics)
      } catch {
        response.writeHead(404, { "content-type": "text/plain; charset=utf-8" })
        return response.end("Not found")
      }
    }

    let session = sessions.get(cookies[cookieName])
    const setCookie = /** @type {Record<string, string>} */ ({})
    if (session === undefined) {
      session = sessions.create(undefined)
      setCookie["set-cookie"] = sessionCookie(session, portal.secureCookies ?? false)
    }
    const user = session.username === undefined ? undefined : portal.users.find(session.username)
    /** @type {View} */
    const view = {
      lang,
      say,
      path: url.pathname,
      csrf: session.csrf,
      user: user === undefined ? undefined : { name: user.name, role: roleName(user.actor, say) },
      nav: user === undefined ? [] : navFor(user.actor, say),
      failed: undefined
    }

    /** @type {Form | undefined} */
    let form
    if (request.method === "POST") {
      form = await readForm(request)
      if (form === undefined) {
        response.writeHead(413, { "content-type": "text/plain; charset=utf-8", connection: "close" })
        return response.end("Form too large / Formulier te groot")
      }
      if (!csrfValid(session, form._csrf)) {
        return send(403, page(view, say("Verlopen formulier", "Expired form"), html`<h1>${say("Verlopen formulier", "Expired form")}</h1>
          <p class="error" role="alert">${say("Dit formulier is verlopen of komt niet van deze site. Laad de pagina opnieuw.", "This form has expired or did not come from this site. Reload the page.")}</p>`), setCookie)
      }
    }

    // Sign-in and sign-out.
    if (url.pathname === "/login") {
      const loginPage = (/** @type {string | undefined} */ message, /** @type {string} */ username) =>
        page(view, say("Aanmelden", "Sign in"), html`<h1>${say("Aanmelden", "Sign in")}</h1>
          ${message ? html`<p class="error" role="alert">${message}</p>` : ""}
          ${form_login(view, username)}`)
      if (request.method === "POST" && form !== undefined) {
        const username = String(form.username ?? "").trim()
        const candidate = portal.users.find(username)
        const ok = candidate !== undefined && await verifyPassword(String(form.password ?? ""), candidate.passwordHash)
        if (!ok) return send(401, loginPage(say("Onbekende gebruikersnaam of verkeerd wachtwoord.", "Unknown username or wrong password."), username), setCookie)
        const signedIn = sessions.signIn(session, username)
        return redirect("/", { "set-cookie": sessionCookie(signedIn, portal.secureCookies ?? false) })
      }
      return send(200, loginPage(undefined, ""), setCookie)
    }
    if (url.pathname === "/logout" && request.method === "POST") {
      sessions.end(session.id)
      return redirect("/login", { "set-cookie": `${cookieName}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0` })
    }
    if (user === undefined) return redirect(`/login`, setCookie)
    if (url.pathname === "/") {
      const home = { NetworkCoordinator: "/network", KeyPerson: "/region", RegionalOrganiser: "/region" }[/** @type {string} */ (user.actor._tag)] ?? "/me"
      return redirect(home)
    }

    for (const route of routes) {
      const match = route.path.exec(url.pathname)
      if (match === null) continue
      /** @type {Request} */
      const req = { client: portal.client, actor: user.actor, user, view, params: match.slice(1).map((p) => decodeURIComponent(p ?? "")), query: url.searchParams, session, portal }
      const show = async (/** @type {number} */ status) => {
        const body = await route.render(req)
        const notice = session.flash
        session.flash = undefined
        return send(status, page(view, route.title(req), html`${notice ? html`<p class="notice" role="status">${notice}</p>` : ""}${body}`))
      }
      try {
        if (request.method === "GET" && route.download !== undefined && url.searchParams.has("download")) {
          const file = await route.download(req)
          response.writeHead(200, { "content-type": file.type, "content-disposition": `attachment; filename="${file.filename ?? "download"}"`, "cache-control": "no-store" })
          return response.end(file.body)
        }
        if (request.method === "GET") return await show(200)
        if (request.method === "POST" && form !== undefined) {
          const name = String(form._form ?? "")
          const action = route.actions?.[name] ?? route.actions?.[name.split(":")[0] ?? ""]
          if (action === undefined) return send(404, page(view, say("Niet gevonden", "Not found"), html`<h1>${say("Niet gevonden", "Not found")}</h1>`))
          try {
            const to = await action(req, form)
            return redirect(to ?? url.pathname + url.search)
          } catch (error) {
            const { status, errors, message } = explain(error, say)
            if (status === 403) throw error
            const { _csrf, ...values } = form
            view.failed = { form: name, values, errors, message }
            return await show(status)
          }
        }
      } catch (error) {
        const { status, message } = explain(error, say)
        const title = status === 403 ? say("Geen toegang", "No access") : status === 404 ? say("Niet gevonden", "Not found") : say("Fout", "Error")
        return send(status, page(view, title, html`<h1>${title}</h1><p class="error" role="alert">${message}</p><p><a href="/">${say("Naar het begin", "Go to the start")}</a></p>`))
      }
    }
    send(404, page(view, say("Niet gevonden", "Not found"), html`<h1>${say("Niet gevonden", "Not found")}</h1>`))
  }

  return createServer((request, response) => {
    handle(request, response).catch((error) => {
      console.error(error)
      if (!response.headersSent) {
        response.writeHead(500, { "content-type": "text/plain; charset=utf-8" })
        response.end("Er ging iets mis. / Something went wrong.")
      }
    })
  })
}

/** @param {View} view @param {string} username */
const form_login = (view, username) =>
  form(view, {
    id: "login",
    action: "/login",
    submit: view.say("Aanmelden", "Sign in"),
    fields: [
      { name: "username", label: view.say("Gebruikersnaam", "Username"), value: username, required: true, autocomplete: "username" },
      { name: "password", label: view.say("Wachtwoord", "Password"), type: "password", required: true, autocomplete: "current-password" }
    ]
  })
