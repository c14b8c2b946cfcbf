// HTML helpers: every value that goes into a page passes through `escape`.

/** @param {unknown} value */
export const escape = (value) =>
  String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c)

/**
 * A tagged template that escapes every interpolated value except those wrapped in `raw`.
 * @param {TemplateStringsArray} strings
 * @param {...unknown} values
 */
export const html = (strings, ...values) =>
  new Raw(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ""), ""))

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
  return escape(value)
}

/** @param {string} title @param {unknown} body */
export const page = (title, body) =>
  html`<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · copkit</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1d2733; background: #f5f7fa; }
  header { background: #1f4e79; color: white; padding: 1rem 2rem; }
  main { max-width: 60rem; margin: 0 auto; padding: 1rem 2rem; }
  table { border-collapse: collapse; width: 100%; background: white; }
  th, td { text-align: left; padding: .5rem; border-bottom: 1px solid #dde3ea; }
  .state { font-weight: 600; }
  .error { background: #fde8e8; border-left: 4px solid #c0392b; padding: .5rem 1rem; }
  .finding.blocking { color: #c0392b; }
  form { background: white; padding: 1rem; margin: 1rem 0; }
  label { display: block; margin: .25rem 0; }
</style>
</head>
<body>
<header><strong>copkit</strong> · kennisnetwerk brede mkb</header>
<main>${body}</main>
</body>
</html>`.toString()
