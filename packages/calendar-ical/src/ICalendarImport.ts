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
import { Calendar, Common, Settings } from "@copkit/core"
import { Effect, Layer } from "effect"
import ICAL from "ical.js"
import { DateTime } from "luxon"
import { readFile } from "node:fs/promises"
import { clip, lexSteps } from "./internal/lexer.js"
import type { ContentLine, Span } from "./internal/lexer.js"

type Time = InstanceType<typeof ICAL.Time>
type Component = InstanceType<typeof ICAL.Component>

/** How to read a calendar. @category models */
export interface ImportOptions {
  /** The zone of all-day events and of floating times (default `Europe/Amsterdam`). */
  readonly timeZone?: string | undefined
  /** Written into every period's `source` (as the feed's name). */
  readonly source?: string | undefined
  /** The most occurrences worked out for the whole text (default: `Settings.calendarImport.maxOccurrences`). */
  readonly maxOccurrences?: number | undefined
  /** The largest text read, in UTF-8 bytes (default: `Settings.calendarImport.maxBytes`). */
  readonly maxBytes?: number | undefined
  /** How long the import may take (default: `Settings.calendarImport.timeBudgetMillis`). */
  readonly timeBudgetMillis?: number | undefined
  /** How long it works before it lets timers and I/O run (default: `Settings.calendarImport.sliceMillis`). */
  readonly sliceMillis?: number | undefined
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

/** The bounds in force for one import. */
interface Bounds {
  readonly maxBytes: number
  readonly maxOccurrences: number
  readonly timeBudgetMillis: number
  readonly sliceMillis: number
}

class Limit {
  constructor(readonly limit: "bytes" | "occurrences" | "time", readonly max: number, readonly message: string, readonly line?: number) {}
}

/** How many occurrences are worked out between two chances to pause. */
const step = 256

function* expand(
  components: ReadonlyArray<Component>,
  eventLines: ReadonlyArray<number>,
  window: Window,
  options: ImportOptions,
  bounds: Bounds
): Generator<void, ReadonlyArray<Calendar.BusyPeriod>> {
  const zone = options.timeZone ?? Common.defaultTimeZone
  const max = bounds.maxOccurrences
  let count = 0
  const counted = (line: number) => {
    if (++count > max) {
      throw new Limit("occurrences", max, `the calendar needs more than ${max} occurrences to reach the planning window`, line)
    }
  }
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
  for (const [i, c] of components.entries()) {
    if (i % step === 0) yield
    const uid = textOf(c, "uid") ?? `line ${eventLines[i] ?? i}`
    const group = byUid.get(uid)
    if (group === undefined) byUid.set(uid, [c])
    else group.push(c)
  }
  for (const group of byUid.values()) {
    yield
    const master = group.find((c) => !c.hasProperty("recurrence-id"))
    const exceptions = group.filter((c) => c !== master)
    // Moved or changed occurrences stand on their own; a cancelled one blocks nothing.
    for (const exception of exceptions) {
      const line = lineOf.get(exception) ?? 0
      counted(line)
      try {
        if (isCancelled(exception)) continue
        const e = new ICAL.Event(exception)
        period(exception, e.startDate, e.endDate)
      } catch (cause) {
        throw new Failure(line, `this event could not be read: ${clip(String(cause), 200)}`)
      }
    }
    if (master === undefined || isCancelled(master)) continue
    const line = lineOf.get(master) ?? 0
    let event: InstanceType<typeof ICAL.Event>
    let iterator: ReturnType<InstanceType<typeof ICAL.Event>["iterator"]>
    let moved: ReadonlySet<number>
    let span: number
    const startTzid = tzidOf(master, "dtstart")
    try {
      event = new ICAL.Event(master, { exceptions, strictExceptions: false })
      if (!event.isRecurring()) {
        counted(line)
        period(master, event.startDate, event.endDate)
        continue
      }
      moved = new Set(exceptions.map((c) => {
        const rid = c.getFirstPropertyValue("recurrence-id")
        return rid instanceof ICAL.Time ? instant(rid, tzidOf(c, "recurrence-id"), zone).getTime() : NaN
      }))
      iterator = event.iterator()
      // Occurrences that end before the window are skipped without working out their end
      // (a day of slack covers all-day events and clock changes).
      const first = event.getOccurrenceDetails(event.startDate)
      span = Math.max(
        0,
        instant(first.endDate, tzidOf(master, "dtend") ?? startTzid, zone).getTime() -
          instant(first.startDate, startTzid, zone).getTime()
      ) + 86_400_000
    } catch (cause) {
      throw new Failure(line, `this event could not be read: ${clip(String(cause), 200)}`)
    }
    for (let n = 1;; n++) {
      if (n % step === 0) yield
      let next: Time | null | undefined
      try {
        next = iterator.next()
        if (next === undefined || next === null) break
        counted(line)
        const start = instant(next, startTzid, zone)
        if (start.getTime() >= window.end.getTime()) break
        if (start.getTime() + span < window.start.getTime()) continue
        if (moved.has(start.getTime())) continue
        const details = event.getOccurrenceDetails(next)
        period(master, details.startDate, details.endDate)
      } catch (cause) {
        if (cause instanceof Failure || cause instanceof Limit) throw cause
        throw new Failure(line, `this event could not be read: ${clip(String(cause), 200)}`)
      }
    }
  }
  yield
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

/** How many events ical.js parses at once. */
const eventsPerChunk = 100

type Outcome =
  | { readonly ok: ReadonlyArray<Calendar.BusyPeriod> }
  | { readonly error: Calendar.CalendarParseError | Calendar.CalendarImportLimitError }

const parseError = (line: number | undefined, message: string) =>
  new Calendar.CalendarParseError({
    ...(line === undefined ? {} : { line }),
    message: line === undefined ? message : `line ${line}: ${message}`
  })

function* work(ics: string, window: Window, options: ImportOptions, bounds: Bounds): Generator<void, Outcome> {
  // UTF-8 never takes fewer bytes than UTF-16 code units: the length is a cheap first check.
  if (ics.length > bounds.maxBytes || Buffer.byteLength(ics, "utf8") > bounds.maxBytes) {
    return {
      error: new Calendar.CalendarImportLimitError({
        limit: "bytes",
        max: bounds.maxBytes,
        message: `the calendar is larger than ${bounds.maxBytes} bytes`
      })
    }
  }
  const lexed = yield* lexSteps(ics)
  if ("error" in lexed) return { error: parseError(lexed.error.line, lexed.error.message) }
  const { events, physical, timezones } = lexed.ok
  const spanText = (span: Span) => physical.slice(span.line - 1, span.endLine).join("\r\n")
  const zonesText = timezones.map(spanText).join("\r\n")
  const components: Array<Component> = []
  const eventLines: Array<number> = []
  try {
    // ical.js reads a text in one go: it gets the events a chunk at a time (with every
    // VTIMEZONE), so that the import can pause between chunks.
    for (let i = 0; i < events.length; i += eventsPerChunk) {
      yield
      const chunk = events.slice(i, i + eventsPerChunk)
      const text = ["BEGIN:VCALENDAR", ...(zonesText === "" ? [] : [zonesText]), ...chunk.map(spanText), "END:VCALENDAR"].join("\r\n")
      const parsed = new ICAL.Component(ICAL.parse(text) as Array<unknown>).getAllSubcomponents("vevent")
      if (parsed.length !== chunk.length) throw new Error("the events could not be told apart")
      components.push(...parsed)
      eventLines.push(...chunk.map((s) => s.line))
    }
    return { ok: yield* expand(components, eventLines, window, options, bounds) }
  } catch (cause) {
    if (cause instanceof Limit) {
      return {
        error: new Calendar.CalendarImportLimitError({
          limit: cause.limit,
          max: cause.max,
          ...(cause.line === undefined ? {} : { line: cause.line }),
          message: cause.line === undefined ? cause.message : `line ${cause.line}: ${cause.message}`
        })
      }
    }
    if (cause instanceof Failure) return { error: parseError(cause.line, cause.message) }
    const message = String(cause)
    return { error: parseError(lineQuotedIn(message, lexed.ok.lines), clip(message, 200)) }
  }
}

/** Lets timers and I/O run before the import goes on. */
const pause: Effect.Effect<void> = Effect.async<void>((resume) => {
  const handle = setImmediate(() => resume(Effect.void))
  return Effect.sync(() => clearImmediate(handle))
})

/** Runs the steps for at most `sliceMillis` at a time, and fails once the time budget is spent. */
const drive = (steps: Generator<void, Outcome>, bounds: Bounds) =>
  Effect.suspend(() => {
    const started = performance.now()
    const slice = (): Effect.Effect<ReadonlyArray<Calendar.BusyPeriod>, Calendar.CalendarParseError | Calendar.CalendarImportLimitError> => {
      const sliceStart = performance.now()
      for (;;) {
        const next = steps.next()
        if (next.done === true) return "ok" in next.value ? Effect.succeed(next.value.ok) : Effect.fail(next.value.error)
        const now = performance.now()
        if (now - started > bounds.timeBudgetMillis) {
          steps.return(undefined as never)
          return Effect.fail(
            new Calendar.CalendarImportLimitError({
              limit: "time",
              max: bounds.timeBudgetMillis,
              message: `the calendar could not be read within ${bounds.timeBudgetMillis} ms`
            })
          )
        }
        if (now - sliceStart >= bounds.sliceMillis) return Effect.zipRight(pause, Effect.suspend(slice))
      }
    }
    return slice()
  })

/**
 * The busy periods of an iCalendar text that overlap the window, sorted by start.
 *
 * The import is bounded by `Settings.calendarImport` (or the options): a text larger than
 * `maxBytes`, or one that needs more than `maxOccurrences` occurrences, or one not read within
 * `timeBudgetMillis`, fails with a {@link Calendar.CalendarImportLimitError}. It pauses every
 * `sliceMillis` so that timers and I/O keep running during a large import. Messages quote at
 * most a short prefix of the text.
 *
 * @category import
 */
export const importBusyPeriods = (
  ics: string,
  window: Window,
  options: ImportOptions = {}
): Effect.Effect<ReadonlyArray<Calendar.BusyPeriod>, Calendar.CalendarParseError | Calendar.CalendarImportLimitError> =>
  Effect.flatMap(Settings.Settings, (settings) => {
    const defaults = settings.calendarImport
    const bounds: Bounds = {
      maxBytes: options.maxBytes ?? defaults.maxBytes,
      maxOccurrences: options.maxOccurrences ?? defaults.maxOccurrences,
      timeBudgetMillis: options.timeBudgetMillis ?? defaults.timeBudgetMillis,
      sliceMillis: options.sliceMillis ?? defaults.sliceMillis
    }
    return drive(work(ics, window, options, bounds), bounds)
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
): Effect.Effect<ReadonlyArray<Calendar.BusyPeriod>, Calendar.CalendarParseError | Calendar.CalendarImportLimitError> =>
  Effect.tryPromise({
    try: () => readFile(path, "utf8"),
    catch: (cause) =>
      new Calendar.CalendarParseError({
        message: `${path} could not be read: ${cause instanceof Error ? cause.message : String(cause)}`
      })
  }).pipe(Effect.flatMap((text) => importBusyPeriods(text, window, { source: path, ...options })))

/**
 * The importer as the core's port, with the given options.
 *
 * @example
 * ```ts
 * import { ICalendarImport } from "@copkit/calendar-ical"
 *
 * // a region's feed with floating times in another zone, read with a tighter budget
 * const importer = ICalendarImport.layerImporterWith({ timeZone: "Europe/Brussels", source: "agenda-zeeland", maxOccurrences: 5000 })
 * ```
 *
 * @category layers
 */
export const layerImporterWith = (options: ImportOptions): Layer.Layer<Calendar.CalendarImporter> =>
  Layer.succeed(Calendar.CalendarImporter, {
    busyPeriods: (ics, window) => importBusyPeriods(ics, window, options)
  })

/**
 * The importer as the core's port (all-day events and floating times in `Europe/Amsterdam`).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Calendar } from "@copkit/core"
 * import { ICalendarImport } from "@copkit/calendar-ical"
 *
 * declare const regionFeed: string // the region's calendar as iCalendar text
 *
 * const busy = Effect.gen(function*() {
 *   const importer = yield* Calendar.CalendarImporter
 *   return yield* importer.busyPeriods(regionFeed, { start: new Date("2027-03-01"), end: new Date("2027-12-31") })
 * }).pipe(Effect.provide(ICalendarImport.layerImporter))
 * ```
 *
 * @category layers
 */
export const layerImporter: Layer.Layer<Calendar.CalendarImporter> = layerImporterWith({})
