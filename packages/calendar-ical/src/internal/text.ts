import { foldLines } from "ical-generator"

/**
 * Text helpers for what ical-generator leaves undone: it does not escape the calendar's name
 * or the UID, writes `\"` inside quoted parameters (invalid in RFC 5545) and escapes `,` and `;`
 * in URIs, which are not TEXT.
 */

// Control characters other than HTAB and LF have no place in iCalendar TEXT (RFC 5545 3.3.11).
// eslint-disable-next-line no-control-regex
const controls = /[\u0000-\u0008\u000B-\u001F\u007F]/g

/** Line breaks as `\n` (CRLF and lone CR included), other control characters removed. */
export const cleanText = (s: string): string => s.replace(/\r\n?/g, "\n").replace(controls, "")

/** One line: line breaks become spaces, other control characters are removed. */
export const cleanLine = (s: string): string => cleanText(s).replace(/[\n\u2028\u2029]+/g, " ")

/** TEXT escaping (RFC 5545 3.3.11). */
export const escapeText = (s: string): string =>
  cleanText(s).replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\n/g, "\\n")

/** A quoted parameter value with RFC 6868 caret encoding: no `"` and no line break survive unencoded. */
export const quotedParam = (s: string): string =>
  `"${cleanText(s).replace(/\t/g, " ").replace(/\^/g, "^^").replace(/"/g, "^'").replace(/\n/g, "^n")}"`

/**
 * A URI as a property value: parsed and normalised by WHATWG URL (which drops tabs and line
 * breaks), with `,` and `;` percent-encoded so that no library escapes them. `undefined` when
 * it is not an absolute URL.
 */
export const cleanUri = (s: string): string | undefined => {
  try {
    const href = new URL(s.trim()).href
    return href.replace(/,/g, "%2C").replace(/;/g, "%3B").replace(/[\s\u0000-\u001F\u007F]/g, "")
  } catch {
    return undefined
  }
}

// Neither CR, LF nor anything beyond ASCII: one octet per character.
// eslint-disable-next-line no-control-regex
const plainAscii = /^[^\r\n\u0080-\uFFFF]*$/

/**
 * Folds one content line at 75 octets exactly as ical-generator's `foldLines` does (74 octets,
 * then `CRLF SPACE` and 74 more per line), without its encoding of every character when the line
 * is plain ASCII; any other line goes to `foldLines` itself.
 */
export const foldLine = (line: string): string => {
  if (!plainAscii.test(line)) return foldLines(line)
  if (line.length <= 74) return line
  const parts: Array<string> = []
  for (let i = 0; i < line.length; i += 74) parts.push(line.slice(i, i + 74))
  return parts.join("\r\n ")
}
