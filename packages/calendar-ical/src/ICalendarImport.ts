/**
 * Reads a region's external calendar (iCalendar text or a file) as busy periods for the
 * planner: recurring events (RRULE, RDATE, EXDATE, moved occurrences via RECURRENCE-ID) are
 * expanded over the planning window, all-day events cover their whole days in the planning
 * zone, and times are read in their own zone. A text that does not parse fails with a
 * {@link Calendar.CalendarParseError} naming the line, and nothing of it is used.
 *
 * Parsing and expansion use ical.js; the line-numbered check before it is written here.
 *
 * @since 0.1.0
 */
import { Calendar, Common } from "@copkit/core"
import { Effect, Layer } from "effect"
import ICAL from "ical.js"
import { DateTime } from "luxon"
import { readFile } from "node:fs/promises"
import { lex } from "./internal/lexer.js"
import type { ContentLine } from "./internal/lexer.js"

type Time = InstanceType<typeof ICAL.Time>
type Component = InstanceType<typeof ICAL.Component>

/** How to read a calendar. @category models */
export interface ImportOptions {
  /** The zone of all-day events and of floating times (default `Europe/Amsterdam`). */
  readonly timeZone?: string | undefined
  /** Written into every period's `source` (as the feed's name). */
  readonly source?: string | undefined
  /** A recurring event that needs more occurrences than this to reach the window's end is refused (default 100,000). */
  readonly maxOccurrences?: number | undefined
}

/** The planning window: periods that overlap `[start, end)` are returned. @category models */
export interface Window {
  readonly start: Date
  readonly end: Date
}

class Failure {
  constructor(readonly line: number, readonly message: string) {}
}

const instant = (t: Time, tzid: string | undefined, zone: string): Date => {
  if (t.isDate) return DateTime.fromObject({ year: t.year, month: t.month, day: t.day }, { zone }).toJSDate()
  const own = t.zone?.tzid
  if (own !== undefined && own !== "floating") return new Date(t.toUnixTime() * 1000)
  // A TZID without a VTIMEZONE in the file (checked to be a known zone), or a floating time.
  const z = tzid !== undefined && DateTime.local().setZone(tzid).isValid ? tzid : zone
  return DateTime.fromObject(
    { year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second },
    { zone: z }
  ).toJSDate()
}

const tzidOf = (component: Component, property: string): string | undefined => {
  const p = component.getFirstProperty(property)
  const tzid = p?.getParameter("tzid")
  return typeof tzid === "string" ? tzid : undefined
}

const textOf = (component: Component, property: string): string | undefined => {
  const v = component.getFirstPropertyValue(property)
  return typeof v === "string" ? v : undefined
}

const isCancelled = (component: Component): boolean => textOf(component, "status")?.toUpperCase() === "CANCELLED"

const overlaps = (start: Date, end: Date, window: Window): boolean =>
  end.getTime() > start.getTime()
    ? start.getTime() < window.end.getTime() && end.getTime() > window.start.getTime()
    : start.getTime() >= window.start.getTime() && start.getTime() < window.end.getTime()

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const expand = (
  components: ReadonlyArray<Component>,
  eventLines: ReadonlyArray<number>,
  window: Window,
  options: ImportOptions
): ReadonlyArray<Calendar.BusyPeriod> => {
  const zone = options.timeZone ?? Common.defaultTimeZone
  const max = options.maxOccurrences ?? 100_000
  const out: Array<Calendar.BusyPeriod> = []
  const period = (item: Component, start: Time, end: Time) => {
    const s = instant(start, tzidOf(item, "dtstart"), zone)
    const e = instant(end, tzidOf(item, "dtend") ?? tzidOf(item, "dtstart"), zone)
    if (!overlaps(s, e, window)) return
    const summary = textOf(item, "summary")
    out.push(
      new Calendar.BusyPeriod({
        start: s,
        end: e.getTime() < s.getTime() ? s : e,
        ...(summary === undefined ? {} : { summary }),
        ...(options.source === undefined ? {} : { source: options.source }),
        allDay: start.isDate
      })
    )
  }
  const lineOf = new Map<Component, number>(components.map((c, i) => [c, eventLines[i] ?? 0]))
  const byUid = new Map<string, Array<Component>>()
  components.forEach((c, i) => {
    const uid = textOf(c, "uid") ?? `line ${eventLines[i] ?? i}`
    byUid.set(uid, [...(byUid.get(uid) ?? []), c])
  })
  for (const group of byUid.values()) {
    const master = group.find((c) => !c.hasProperty("recurrence-id"))
    const exceptions = group.filter((c) => c !== master)
    // Moved or changed occurrences stand on their own; a cancelled one blocks nothing.
    for (const exception of exceptions) {
      const line = lineOf.get(exception) ?? 0
      try {
        if (isCancelled(exception)) continue
        const e = new ICAL.Event(exception)
        period(exception, e.startDate, e.endDate)
      } catch (cause) {
        throw new Failure(line, `this event could not be read: ${String(cause)}`)
      }
    }
    if (master === undefined || isCancelled(master)) continue
    const line = lineOf.get(master) ?? 0
    try {
      const event = new ICAL.Event(master, { exceptions, strictExceptions: false })
      if (!event.isRecurring()) {
        period(master, event.startDate, event.endDate)
        continue
      }
      const moved = new Set(exceptions.map((c) => {
        const rid = c.getFirstPropertyValue("recurrence-id")
        return rid instanceof ICAL.Time ? instant(rid, tzidOf(c, "recurrence-id"), zone).getTime() : NaN
      }))
      const iterator = event.iterator()
      const startTzid = tzidOf(master, "dtstart")
      // Occurrences that end before the window are skipped without working out their end
      // (a day of slack covers all-day events and clock changes).
      const first = event.getOccurrenceDetails(event.startDate)
      const span = Math.max(
        0,
        instant(first.endDate, tzidOf(master, "dtend") ?? startTzid, zone).getTime() -
          instant(first.startDate, startTzid, zone).getTime()
      ) + 86_400_000
      let count = 0
      for (let next = iterator.next(); next !== undefined && next !== null; next = iterator.next()) {
        if (++count > max) {
          throw new Failure(line, `the recurrence needs more than ${max} occurrences to reach the planning window`)
        }
        const start = instant(next, startTzid, zone)
        if (start.getTime() >= window.end.getTime()) break
        if (start.getTime() + span < window.start.getTime()) continue
        if (moved.has(start.getTime())) continue
        const details = event.getOccurrenceDetails(next)
        period(master, details.startDate, details.endDate)
      }
    } catch (cause) {
      if (cause instanceof Failure) throw cause
      throw new Failure(line, `this event could not be read: ${String(cause)}`)
    }
  }
  return out.sort((a, b) =>
    a.start.getTime() - b.start.getTime() || a.end.getTime() - b.end.getTime() ||
    compareText(a.summary ?? "", b.summary ?? "")
  )
}

/** ical.js quotes the offending text in its messages but gives no line: find the line that holds it. */
const lineQuotedIn = (message: string, lines: ReadonlyArray<ContentLine>): number | undefined => {
  for (const [, quoted] of message.matchAll(/"([^"]{2,})"/g)) {
    const hit = lines.find((l) => `${l.name}:${l.value}`.includes(quoted!) || l.value.includes(quoted!))
    if (hit !== undefined) return hit.line
  }
  return undefined
}

/**
 * The busy periods of an iCalendar text that overlap the window, sorted by start.
 *
 * @category import
 */
export const importBusyPeriods = (
  ics: string,
  window: Window,
  options: ImportOptions = {}
): Effect.Effect<ReadonlyArray<Calendar.BusyPeriod>, Calendar.CalendarParseError> =>
  Effect.suspend(() => {
    const lexed = lex(ics)
    if ("error" in lexed) {
      return Effect.fail(
        new Calendar.CalendarParseError({
          line: lexed.error.line,
          message: `line ${lexed.error.line}: ${lexed.error.message}`
        })
      )
    }
    try {
      const parsed: unknown = ICAL.parse(ics)
      const roots = (Array.isArray(parsed) && Array.isArray(parsed[0]) ? parsed : [parsed]) as Array<Array<unknown>>
      const components = roots.flatMap((jcal) => new ICAL.Component(jcal).getAllSubcomponents("vevent"))
      return Effect.succeed(expand(components, lexed.ok.eventLines, window, options))
    } catch (cause) {
      const line = cause instanceof Failure ? cause.line : lineQuotedIn(String(cause), lexed.ok.lines)
      const message = cause instanceof Failure ? cause.message : String(cause)
      return Effect.fail(
        new Calendar.CalendarParseError({
          ...(line === undefined ? {} : { line }),
          message: line === undefined ? message : `line ${line}: ${message}`
        })
      )
    }
  })

/**
 * Reads an `.ics` file and imports it as {@link importBusyPeriods} does. A file that cannot be
 * read fails with a `CalendarParseError` without a line.
 *
 * @category import
 */
export const importBusyPeriodsFromFile = (
  path: string,
  window: Window,
  options: ImportOptions = {}
): Effect.Effect<ReadonlyArray<Calendar.BusyPeriod>, Calendar.CalendarParseError> =>
  Effect.tryPromise({
    try: () => readFile(path, "utf8"),
    catch: (cause) =>
      new Calendar.CalendarParseError({
        message: `${path} could not be read: ${cause instanceof Error ? cause.message : String(cause)}`
      })
  }).pipe(Effect.flatMap((text) => importBusyPeriods(text, window, { source: path, ...options })))

/** The importer as the core's port, with the given options. @category layers */
export const layerImporterWith = (options: ImportOptions): Layer.Layer<Calendar.CalendarImporter> =>
  Layer.succeed(Calendar.CalendarImporter, {
    busyPeriods: (ics, window) => importBusyPeriods(ics, window, options)
  })

/** The importer as the core's port (all-day events and floating times in `Europe/Amsterdam`). @category layers */
export const layerImporter: Layer.Layer<Calendar.CalendarImporter> = layerImporterWith({})
