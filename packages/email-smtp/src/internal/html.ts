/** HTML escaping and the pieces of the message layout. */

/** Escapes text for HTML element content and quoted attribute values. */
export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) =>
    c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&#39;"
  )

/** A link target fit for an `href`: only http(s) URLs (and `webcal:` feed links) that parse; anything else is shown as text. */
export const safeUrl = (url: string): string | undefined => {
  if (!/^(?:https?|webcal):\/\//i.test(url)) return undefined
  try {
    return new URL(url).href
  } catch {
    return undefined
  }
}
