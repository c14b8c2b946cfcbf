/**
 * VTIMEZONE components (ical-generator does not produce them itself), generated for any IANA
 * zone from the runtime's zone data (through luxon / `Intl`): every change of offset in the
 * years covered is one STANDARD or DAYLIGHT observance. An unknown zone is refused with an
 * {@link UnknownTimeZoneError}.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { DateTime } from "luxon"

/**
 * `Europe/Amsterdam` with the EU daylight-saving rules in force since 1996: summer time (CEST,
 * +02:00) from the last Sunday of March at 02:00 local time, standard time (CET, +01:00) from the
 * last Sunday of October at 03:00 local time (both at 01:00 UTC). Times before 1996 are not covered.
 *
 * @category constants
 */
export const europeAmsterdam: string = [
  "BEGIN:VTIMEZONE",
  "TZID:Europe/Amsterdam",
  "X-LIC-LOCATION:Europe/Amsterdam",
  "BEGIN:DAYLIGHT",
  "TZNAME:CEST",
  "TZOFFSETFROM:+0100",
  "TZOFFSETTO:+0200",
  "DTSTART:19960331T020000",
  "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
  "END:DAYLIGHT",
  "BEGIN:STANDARD",
  "TZNAME:CET",
  "TZOFFSETFROM:+0200",
  "TZOFFSETTO:+0100",
  "DTSTART:19961027T030000",
  "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
  "END:STANDARD",
  "END:VTIMEZONE"
].join("\r\n")

/** A zone name the runtime's zone data does not know. @category errors */
export class UnknownTimeZoneError extends Schema.TaggedError<UnknownTimeZoneError>()("UnknownTimeZoneError", {
  timeZone: Schema.String,
  message: Schema.String
}) {}

const known = new Map<string, boolean>()

/** Whether the runtime knows the zone by this IANA name (`Europe/Amsterdam`, `UTC`). @category predicates */
export const isKnown = (tzid: string): boolean => {
  if (tzid.length === 0 || tzid.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(tzid)) return false
  const kept = known.get(tzid)
  if (kept !== undefined) return kept
  const answer = DateTime.local().setZone(tzid).isValid
  if (known.size >= 1_000) known.clear()
  known.set(tzid, answer)
  return answer
}

/** Every zone is written with `TZID` and a VTIMEZONE, except UTC (written with `Z`). @category predicates */
export const isSupported = (tzid: string): boolean => isKnown(tzid) && tzid !== "UTC" && tzid !== "Etc/UTC"

/** Kept for compatibility: the zone once written by hand. @category constants */
export const supported: ReadonlyArray<string> = ["Europe/Amsterdam"]

const offsetAt = (ms: number, zone: string): number | null => {
  const dt = DateTime.fromMillis(ms, { zone })
  return dt.isValid ? dt.offset : null
}

const DAY = 86_400_000

/** The instants (ms, to the minute) at which the zone's offset changes in `[from, to)`. */
const transitions = (zone: string, from: number, to: number): ReadonlyArray<number> => {
  const out: Array<number> = []
  let before = offsetAt(from, zone)!
  for (let t = from; t < to; t += DAY) {
    const next = Math.min(t + DAY, to)
    const after = offsetAt(next, zone)!
    if (after === before) continue
    // the change lies in (t, next]: search it to the minute
    let lo = t
    let hi = next
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000
      if (offsetAt(mid, zone) === before) lo = mid
      else hi = mid
    }
    out.push(hi)
    before = after
  }
  return out
}

const offsetText = (minutes: number): string => {
  const sign = minutes < 0 ? "-" : "+"
  const a = Math.abs(minutes)
  return `${sign}${String(Math.floor(a / 60)).padStart(2, "0")}${String(a % 60).padStart(2, "0")}`
}

const cache = new Map<string, string>()

/**
 * The VTIMEZONE of any IANA zone for the years `fromYear` to `toYear` (inclusive), from the
 * runtime's zone data; fails (throws) with {@link UnknownTimeZoneError} for an unknown zone.
 *
 * @example
 * ```ts
 * import { Timezones } from "@copkit/calendar-ical"
 *
 * const vtimezone = Timezones.make("Europe/Amsterdam", 2027, 2028)
 * console.log(vtimezone.startsWith("BEGIN:VTIMEZONE")) // true
 * ```
 *
 * @category constructors
 */
export const make = (tzid: string, fromYear: number, toYear: number): string => {
  if (!isKnown(tzid)) {
    throw new UnknownTimeZoneError({ timeZone: tzid.slice(0, 64), message: `unknown time zone "${tzid.slice(0, 64)}"` })
  }
  const key = `${tzid} ${fromYear} ${toYear}`
  const hit = cache.get(key)
  if (hit !== undefined) return hit
  const from = Date.UTC(fromYear, 0, 1) - DAY
  const to = Date.UTC(toYear + 1, 0, 1) + DAY
  const local = (ms: number, offset: number) =>
    DateTime.fromMillis(ms + offset * 60_000, { zone: "UTC" }).toFormat("yyyyLLdd'T'HHmmss")
  const observance = (at: number, fromOffset: number, toOffset: number) => {
    const dt = DateTime.fromMillis(at, { zone: tzid, locale: "en-US" })
    const kind = dt.isInDST ? "DAYLIGHT" : "STANDARD"
    const name = (dt.offsetNameShort ?? "").replace(/[^A-Za-z0-9+\-:]/g, "")
    return [
      `BEGIN:${kind}`,
      ...(name === "" ? [] : [`TZNAME:${name}`]),
      `TZOFFSETFROM:${offsetText(fromOffset)}`,
      `TZOFFSETTO:${offsetText(toOffset)}`,
      // the local time at which it starts, read in the offset before it (RFC 5545 3.6.5)
      `DTSTART:${local(at, fromOffset)}`,
      `END:${kind}`
    ]
  }
  const first = offsetAt(from, tzid)!
  const lines = ["BEGIN:VTIMEZONE", `TZID:${tzid}`, `X-LIC-LOCATION:${tzid}`, ...observance(from, first, first)]
  let previous = first
  for (const at of transitions(tzid, from, to)) {
    const now = offsetAt(at, tzid)!
    lines.push(...observance(at, previous, now))
    previous = now
  }
  lines.push("END:VTIMEZONE")
  const text = lines.join("\r\n")
  if (cache.size > 500) cache.clear()
  cache.set(key, text)
  return text
}

/**
 * The VTIMEZONE text of a zone for 2020-2040 (ical-generator's `timezone.generator`), `null` for
 * UTC; throws {@link UnknownTimeZoneError} for an unknown zone.
 *
 * @category constructors
 */
export const vtimezone = (tzid: string): string | null =>
  tzid === "UTC" || tzid === "Etc/UTC" ? null : make(tzid, 2020, 2040)
