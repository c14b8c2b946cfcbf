// HTML for the portal: every interpolated value is escaped (`html`), the page layout with the
// navigation of the signed-in role, and form fields that show their error next to them and keep
// what was typed.

/** @param {unknown} value */
export const escape = (value) =>
  String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c)

class Raw {
  /** @param {string} value */
  constructor(value) {
    this.value = value
  }
  toString() {
    return this.value
  }
}

/** @param {unknown} value @returns {string} */
const render = (value) => {
  if (value instanceof Raw) return value.value
  if (Array.isArray(value)) return value.map(render).join("")
  if (value === false || value === undefined || value === null) return ""
  return escape(value)
}

/**
 * A tagged template that escapes every value except the output of another `html`.
 * @param {TemplateStringsArray} strings
 * @param {...unknown} values
 */
export const html = (strings, ...values) =>
  new Raw(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ""), ""))

/** @typedef {"nl" | "en"} Lang */

/**
 * What a page is rendered with: the language, the user, the CSRF token, and the form that failed.
 * @typedef {object} View
 * @property {Lang} lang
 * @property {(nl: string, en: string) => string} say
 * @property {string} path
 * @property {string | undefined} csrf
 * @property {{ name: string, role: string } | undefined} user
 * @property {ReadonlyArray<{ href: string, label: string }>} nav
 * @property {{ form: string, values: Record<string, string | Array<string>>, errors: Record<string, string>, message: string | undefined } | undefined} failed
 */

/**
 * @typedef {object} FieldSpec
 * @property {string} name
 * @property {string} label
 * @property {"text" | "number" | "date" | "datetime-local" | "email" | "password" | "textarea" | "select" | "checkbox" | "checkboxes"} [type]
 * @property {string | number | boolean | ReadonlyArray<string>} [value]
 * @property {ReadonlyArray<{ value: string, label: string }>} [options]
 * @property {boolean} [required]
 * @property {string} [hint]
 * @property {string} [autocomplete]
 */

const idOf = (/** @type {string} */ form, /** @type {string} */ name) => `${form}-${name}`.replace(/[^a-zA-Z0-9_-]/g, "-")

/** One field with its label, hint and error. @param {View} view @param {string} form @param {FieldSpec} spec */
export const field = (view, form, spec) => {
  const type = spec.type ?? "text"
  const failed = view.failed?.form === form ? view.failed : undefined
  const typed = failed === undefined ? undefined : failed.values[spec.name]
  const error = failed?.errors[spec.name]
  const id = idOf(form, spec.name)
  const described = [spec.hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ")
  const attrs = html`id="${id}" name="${spec.name}"${spec.required ? html` required` : ""}${error ? html` aria-invalid="true"` : ""}${described ? html` aria-describedby="${described}"` : ""}${spec.autocomplete ? html` autocomplete="${spec.autocomplete}"` : ""}`
  const hint = spec.hint ? html`<span class="hint" id="${id}-hint">${spec.hint}</span>` : ""
  const errorText = error ? html`<span class="field-error" id="${id}-error">${error}</span>` : ""
  if (type === "checkbox") {
    const checked = failed === undefined ? spec.value === true : typed === "on"
    return html`<div class="field check"><input type="checkbox" ${attrs}${checked ? html` checked` : ""}> <label for="${id}">${spec.label}</label>${hint}${errorText}</div>`
  }
  if (type === "checkboxes") {
    const chosen = new Set(failed === undefined ? /** @type {ReadonlyArray<string>} */ (Array.isArray(spec.value) ? spec.value : []) : [typed ?? []].flat())
    return html`<fieldset class="field" id="${id}"${error ? html` aria-invalid="true" aria-describedby="${id}-error"` : ""}><legend>${spec.label}</legend>${(spec.options ?? []).map((o, i) =>
      html`<span class="check"><input type="checkbox" id="${id}-${i}" name="${spec.name}" value="${o.value}"${chosen.has(o.value) ? html` checked` : ""}> <label for="${id}-${i}">${o.label}</label></span>`
    )}${hint}${errorText}</fieldset>`
  }
  const value = typed === undefined ? (spec.value === undefined || typeof spec.value === "boolean" ? "" : String(spec.value)) : String(typed)
  const input = type === "textarea"
    ? html`<textarea ${attrs} rows="4">${value}</textarea>`
    : type === "select"
    ? html`<select ${attrs}>${(spec.options ?? []).map((o) => html`<option value="${o.value}"${o.value === value ? html` selected` : ""}>${o.label}</option>`)}</select>`
    : html`<input type="${type}" ${attrs} value="${type === "password" ? "" : value}">`
  return html`<div class="field"><label for="${id}">${spec.label}</label>${hint}${input}${errorText}</div>`
}

/**
 * A form that posts with the CSRF token; its errors without a field of their own show on top.
 * @param {View} view
 * @param {{ id: string, action: string, title?: string, submit: string, fields?: ReadonlyArray<FieldSpec>, extra?: unknown, buttons?: unknown }} spec
 */
export const form = (view, spec) => {
  const failed = view.failed?.form === spec.id ? view.failed : undefined
  return html`<form method="post" action="${spec.action}" id="${idOf("form", spec.id)}" novalidate>
    ${spec.title ? html`<h3>${spec.title}</h3>` : ""}
    ${failed?.message ? html`<p class="error" role="alert">${failed.message}</p>` : ""}
    <input type="hidden" name="_csrf" value="${view.csrf}">
    <input type="hidden" name="_form" value="${spec.id}">
    ${(spec.fields ?? []).map((f) => field(view, spec.id, f))}
    ${spec.extra ?? ""}
    <div class="buttons"><button type="submit">${spec.submit}</button>${spec.buttons ?? ""}</div>
  </form>`
}

/** A one-button form (an action without input). @param {View} view @param {string} id @param {string} action @param {string} label @param {unknown} [hidden] */
export const button = (view, id, action, label, hidden = "") =>
  form(view, { id, action, submit: label, extra: hidden })

/** @param {string} name @param {string} value */
export const hidden = (name, value) => html`<input type="hidden" name="${name}" value="${value}">`

/** A date and time in the page's language, in Dutch time. @param {View} view @param {Date | string | undefined} value */
export const when = (view, value) =>
  value === undefined
    ? "–"
    : new Date(value).toLocaleString(view.lang === "en" ? "en-GB" : "nl-NL", { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Amsterdam" })

/** A date in the page's language. @param {View} view @param {Date | string | undefined} value */
export const date = (view, value) =>
  value === undefined ? "–" : new Date(value).toLocaleDateString(view.lang === "en" ? "en-GB" : "nl-NL", { dateStyle: "medium", timeZone: "Europe/Amsterdam" })

/** A ratio as a percentage. @param {number | undefined} rate */
export const percent = (rate) => (rate === undefined ? "–" : `${Math.round(rate * 100)}%`)

/** @param {View} view @param {string} title @param {unknown} body */
export const page = (view, title, body) =>
  html`<!doctype html>
<html lang="${view.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${view.say("Kennisnetwerk brede mkb", "Knowledge network for SMEs")}</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<a class="skip" href="#main">${view.say("Naar de inhoud", "Skip to content")}</a>
<header>
  <p class="brand"><a href="/">${view.say("Kennisnetwerk brede mkb", "Knowledge network for SMEs")}</a></p>
  ${view.nav.length > 0 ? html`<nav aria-label="${view.say("Hoofdmenu", "Main menu")}"><ul>${view.nav.map((n) => html`<li><a href="${n.href}"${view.path === n.href ? html` aria-current="page"` : ""}>${n.label}</a></li>`)}</ul></nav>` : ""}
  <div class="account">
    <a href="/lang?to=${view.lang === "en" ? "nl" : "en"}&amp;back=${encodeURIComponent(view.path)}" lang="${view.lang === "en" ? "nl" : "en"}">${view.lang === "en" ? "Nederlands" : "English"}</a>
    ${view.user ? html`<span class="who">${view.user.name} (${view.user.role})</span>
    <form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${view.csrf}"><button type="submit">${view.say("Afmelden", "Sign out")}</button></form>` : ""}
  </div>
</header>
<main id="main">
${body}
</main>
</body>
</html>`.toString()

export const stylesheet = `
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1d2733; background: #f5f7fa; }
a { color: #0b4f8a; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; z-index: 1; }
header { background: #1f4e79; color: #fff; padding: .75rem 2rem; display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; }
header a { color: #fff; }
.brand { margin: 0; font-weight: 700; }
nav ul { list-style: none; display: flex; gap: 1rem; margin: 0; padding: 0; flex-wrap: wrap; }
nav a[aria-current] { text-decoration: underline 3px; }
.account { margin-left: auto; display: flex; gap: 1rem; align-items: center; }
main { max-width: 68rem; margin: 0 auto; padding: 1rem 2rem 3rem; }
table { border-collapse: collapse; width: 100%; background: #fff; margin: .5rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid #dde3ea; vertical-align: top; }
section { background: #fff; padding: .5rem 1.25rem 1rem; margin: 1rem 0; border-radius: 4px; }
form { margin: .75rem 0; }
section form { border-top: 1px solid #dde3ea; padding-top: .5rem; }
form.inline { display: inline; margin: 0; border: 0; padding: 0; }
.field { display: block; margin: .5rem 0; }
.field label, .field legend { display: block; font-weight: 600; }
.field.check label, .check label { display: inline; font-weight: 400; }
.check { display: inline-block; margin-right: 1rem; }
fieldset.field { border: 1px solid #c5ced8; padding: .25rem .75rem .5rem; }
input, select, textarea { font: inherit; padding: .3rem .4rem; border: 1px solid #6b7785; border-radius: 3px; max-width: 100%; }
input[type=text], input[type=email], input[type=password], textarea { width: 28rem; }
button { font: inherit; padding: .35rem .9rem; background: #1f4e79; color: #fff; border: 0; border-radius: 3px; cursor: pointer; }
header button { background: #fff; color: #1f4e79; }
button:focus, a:focus, input:focus, select:focus, textarea:focus { outline: 3px solid #f4b400; outline-offset: 1px; }
.buttons { display: flex; gap: .5rem; margin-top: .5rem; }
.hint { display: block; color: #4a5663; font-size: .9rem; }
.field-error { display: block; color: #a4281b; font-weight: 600; }
[aria-invalid=true] { border-color: #a4281b; }
.error { background: #fde8e8; border-left: 4px solid #a4281b; padding: .5rem 1rem; }
.notice { background: #e8f4ea; border-left: 4px solid #1e7b34; padding: .5rem 1rem; }
.failed { color: #a4281b; }
.passed { color: #1e7b34; }
.muted { color: #4a5663; }
`
