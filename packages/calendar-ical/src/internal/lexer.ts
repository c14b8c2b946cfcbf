/**
 * A strict reading of iCalendar content lines (RFC 5545 3.1) that keeps line numbers, so that a
 * feed that does not parse is refused with the line at fault before any of it is used.
 */
import { DateTime } from "luxon"

export interface ContentLine {
  /** The 1-based line number of the first physical line. */
  readonly line: number
  readonly name: string
  readonly params: ReadonlyMap<string, string>
  readonly value: string
}

export interface LexError {
  readonly line: number
  readonly message: string
}

/** A component's physical lines, 1-based and inclusive. */
export interface Span {
  readonly line: number
  readonly endLine: number
}

export interface Lexed {
  readonly lines: ReadonlyArray<ContentLine>
  /** The line of each `BEGIN:VEVENT`, in order of appearance. */
  readonly eventLines: ReadonlyArray<number>
  /** The physical lines of the text (unfolding undone). */
  readonly physical: ReadonlyArray<string>
  /** Each VEVENT directly in a VCALENDAR, in order of appearance. */
  readonly events: ReadonlyArray<Span>
  /** Each VTIMEZONE directly in a VCALENDAR. */
  readonly timezones: ReadonlyArray<Span>
}

/** At most a short prefix of an input, quoted, so that no message repeats a large input. */
export const quote = (s: string, max = 60): string =>
  s.length <= max ? `"${s}"` : `"${s.slice(0, max)}…" (${s.length} characters)`

/** At most a short prefix of a name, unquoted. */
export const clip = (s: string, max = 60): string => (s.length <= max ? s : `${s.slice(0, max)}…`)

/** How many lines are read between two chances to pause. */
const step = 512

const paramValue = `(?:"[^"\\u0000-\\u0008\\u000A-\\u001F\\u007F]*"|[^";:,\\u0000-\\u0008\\u000A-\\u001F\\u007F]*)`
const contentLine = new RegExp(
  `^([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=${paramValue}(?:,${paramValue})*)*):(.*)$`,
  "s"
)
const oneParam = new RegExp(`;([A-Za-z0-9-]+)=(${paramValue}(?:,${paramValue})*)`, "g")

const datePart = /^(\d{4})(\d{2})(\d{2})$/
const dateTimePart = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z?$/
const durationPattern = /^[+-]?P(?:\d+W|(?=\d|T\d)(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+S)?)?)$/
const freqPattern = /^(SECONDLY|MINUTELY|HOURLY|DAILY|WEEKLY|MONTHLY|YEARLY)$/

const signed = (max: number) => new RegExp(`^[+-]?(?:[1-9]|[1-9]\\d${max > 99 ? "|[1-9]\\d\\d" : ""})$`)
const unsigned = /^\d{1,2}$/
const weekday = /^(SU|MO|TU|WE|TH|FR|SA)$/i
const rulePart: Record<string, RegExp> = {
  INTERVAL: /^[1-9]\d{0,4}$/,
  BYDAY: /^(?:[+-]?(?:[1-9]|[1-4]\d|5[0-3]))?(SU|MO|TU|WE|TH|FR|SA)$/i,
  BYMONTH: /^(?:[1-9]|1[0-2])$/,
  BYMONTHDAY: signed(31),
  BYYEARDAY: signed(366),
  BYWEEKNO: signed(53),
  BYSETPOS: signed(366),
  BYHOUR: unsigned,
  BYMINUTE: unsigned,
  BYSECOND: unsigned,
  WKST: weekday
}

const isDateOrDateTime = (value: string): boolean => {
  const dt = dateTimePart.exec(value)
  const d = dt ?? datePart.exec(value)
  if (d === null) return false
  const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return false
  if (dt === null) return true
  return Number(dt[4]) < 24 && Number(dt[5]) < 60 && Number(dt[6]) <= 60
}

const isPeriod = (value: string): boolean => {
  const [from, to, ...rest] = value.split("/")
  return rest.length === 0 && from !== undefined && to !== undefined && isDateOrDateTime(from) &&
    (isDateOrDateTime(to) || durationPattern.test(to))
}

const checkValue = (cl: ContentLine, zones: ReadonlySet<string>): string | undefined => {
  const tzid = cl.params.get("TZID")
  switch (cl.name) {
    case "DTSTART":
    case "DTEND":
    case "DUE":
    case "RECURRENCE-ID":
    case "EXDATE":
    case "RDATE": {
      const values = cl.value.split(",")
      const ok = values.every((v) => isDateOrDateTime(v) || (cl.name === "RDATE" && isPeriod(v)))
      if (!ok) return `${clip(cl.name)} has an invalid date or date-time value ${quote(cl.value)}`
      if (tzid !== undefined && !zones.has(tzid) && !DateTime.local().setZone(tzid).isValid) {
        return `${clip(cl.name)} names time zone ${quote(tzid)}, which has no VTIMEZONE and is not a known zone`
      }
      return undefined
    }
    case "DURATION":
      return durationPattern.test(cl.value) ? undefined : `DURATION has an invalid value ${quote(cl.value)}`
    case "RRULE": {
      const parts = new Map<string, string>()
      for (const part of cl.value.split(";")) {
        const [key, value, ...rest] = part.split("=")
        if (key === undefined || value === undefined || rest.length > 0 || key === "" || value === "") {
          return `RRULE has an invalid part ${quote(part)}`
        }
        parts.set(key.toUpperCase(), value)
      }
      for (const [key, value] of parts) {
        const pattern = rulePart[key]
        if (pattern !== undefined && !value.split(",").every((v) => pattern.test(v))) {
          return `RRULE has an invalid ${clip(key)} ${quote(value)}`
        }
      }
      const freq = parts.get("FREQ")
      if (freq === undefined || !freqPattern.test(freq.toUpperCase())) return `RRULE needs a valid FREQ: ${quote(cl.value)}`
      const until = parts.get("UNTIL")
      if (until !== undefined && !isDateOrDateTime(until)) return `RRULE has an invalid UNTIL ${quote(until)}`
      const count = parts.get("COUNT")
      if (count !== undefined && !/^\d+$/.test(count)) return `RRULE has an invalid COUNT ${quote(count)}`
      return undefined
    }
    default:
      return undefined
  }
}

type LexResult = { readonly ok: Lexed } | { readonly error: LexError }

/** Reads the text; either every content line with its number, or the first problem found. */
export const lex = (text: string): LexResult => {
  const steps = lexSteps(text)
  for (;;) {
    const next = steps.next()
    if (next.done === true) return next.value
  }
}

/**
 * {@link lex} in steps: it yields every few hundred lines, so that a caller can pause (and
 * check a time budget) while a large text is read.
 */
export function* lexSteps(text: string): Generator<void, LexResult> {
  // The lines are split in steps too: one split of a large text would hold the loop.
  const physical: Array<string> = []
  const breaks = /\r\n|\n|\r/g
  let from = text.startsWith("\uFEFF") ? 1 : 0
  for (let found = breaks.exec(text); found !== null; found = breaks.exec(text)) {
    physical.push(text.slice(from, found.index))
    from = breaks.lastIndex
    if (physical.length % (step * 8) === 0) yield
  }
  physical.push(text.slice(from))
  const unfolded: Array<{ line: number; text: string }> = []
  for (let i = 0; i < physical.length; i++) {
    if (i % step === 0) yield
    const raw = physical[i]!
    if (raw.startsWith(" ") || raw.startsWith("\t")) {
      const last = unfolded.at(-1)
      if (last === undefined) return { error: { line: i + 1, message: "a continuation line comes before any content line" } }
      last.text += raw.slice(1)
    } else {
      unfolded.push({ line: i + 1, text: raw })
    }
  }
  const lines: Array<ContentLine> = []
  let n = 0
  for (const { line, text: t } of unfolded) {
    if (++n % step === 0) yield
    if (t.trim() === "") continue
    const m = contentLine.exec(t)
    if (m === null) return { error: { line, message: `not an iCalendar content line: ${quote(t)}` } }
    const params = new Map<string, string>()
    for (const p of m[2]!.matchAll(oneParam)) params.set(p[1]!.toUpperCase(), p[2]!.replace(/^"(.*)"$/s, "$1"))
    lines.push({ line, name: m[1]!.toUpperCase(), params, value: m[3]! })
  }
  if (lines.length === 0) return { error: { line: 1, message: "the text holds no calendar" } }
  const first = lines[0]!
  if (first.name !== "BEGIN" || first.value.toUpperCase() !== "VCALENDAR") {
    return { error: { line: first.line, message: "a calendar must start with BEGIN:VCALENDAR" } }
  }
  const zones = new Set<string>()
  let current = ""
  for (const cl of lines) {
    if (cl.name === "BEGIN") current = cl.value.toUpperCase()
    else if (cl.name === "TZID" && current === "VTIMEZONE") zones.add(cl.value)
  }
  const stack: Array<ContentLine> = []
  const eventLines: Array<number> = []
  const events: Array<Span> = []
  const timezones: Array<Span> = []
  let hasStart = false
  n = 0
  for (const cl of lines) {
    if (++n % step === 0) yield
    if (cl.name === "BEGIN") {
      const component = cl.value.toUpperCase()
      if (stack.length === 0 && component !== "VCALENDAR") {
        return { error: { line: cl.line, message: `BEGIN:${clip(cl.value)} outside a VCALENDAR` } }
      }
      if (component === "VEVENT") {
        eventLines.push(cl.line)
        hasStart = false
      }
      stack.push(cl)
      continue
    }
    if (cl.name === "END") {
      const open = stack.pop()
      if (open === undefined || open.value.toUpperCase() !== cl.value.toUpperCase()) {
        return {
          error: {
            line: cl.line,
            message: open === undefined
              ? `END:${clip(cl.value)} without a BEGIN`
              : `END:${clip(cl.value)} closes BEGIN:${clip(open.value)} of line ${open.line}`
          }
        }
      }
      if (open.value.toUpperCase() === "VEVENT" && !hasStart) {
        return { error: { line: open.line, message: "a VEVENT without DTSTART" } }
      }
      if (stack.length === 1) {
        const name = open.value.toUpperCase()
        if (name === "VEVENT") events.push({ line: open.line, endLine: cl.line })
        else if (name === "VTIMEZONE") timezones.push({ line: open.line, endLine: cl.line })
      }
      continue
    }
    if (stack.length === 0) return { error: { line: cl.line, message: `${clip(cl.name)} outside a VCALENDAR` } }
    if (cl.name === "DTSTART" && stack.at(-1)?.value.toUpperCase() === "VEVENT") hasStart = true
    const problem = checkValue(cl, zones)
    if (problem !== undefined) return { error: { line: cl.line, message: problem } }
  }
  const open = stack.at(-1)
  if (open !== undefined) return { error: { line: open.line, message: `BEGIN:${clip(open.value)} is never closed` } }
  return { ok: { lines, eventLines, physical, events, timezones } }
}
