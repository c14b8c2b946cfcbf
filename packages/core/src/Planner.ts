/**
 * The date planner: proposes a date and time for every session of an approved plan that avoids the
 * region's other events, public and school holidays and the days key people cannot make, keeps the
 * gap between sessions, prefers given weekdays and a time window, and explains every date it
 * passed over. Pure and deterministic: the same input gives the same plan.
 *
 * Busy periods are sorted once and searched by bisection (with a running maximum of their ends),
 * so planning stays fast with thousands of them; the choice of dates is a dynamic programme over
 * the days of the horizon (per session, a sliding-window minimum over the allowed gap).
 *
 * @since 0.1.0
 */
import Holidays from "date-holidays"
import { Either, Schema } from "effect"
import { DateTime, IANAZone } from "luxon"
import { defaultTimeZone, Instant, Line, LocalDate } from "./Common.js"
import type { ValidationError } from "./Errors.js"
import { SessionRole } from "./Programme.js"
import { SchoolHolidayZone } from "./Region.js"
import * as SchoolHolidays from "./SchoolHolidays.js"
import { decodeEither, invalid } from "./Validation.js"

// ---------------------------------------------------------------------------------------------
// Settings and input
// ---------------------------------------------------------------------------------------------

/** A time of day as `HH:mm`. @category schemas */
export const TimeOfDay = Schema.String.pipe(
  Schema.pattern(/^([01]\d|2[0-3]):[0-5]\d$/, { message: () => "must be a time as HH:mm" })
)

/** A part of the day, `from` (inclusive) to `until`: a session must fit inside it. @category models */
export interface TimeWindow {
  readonly from: string
  readonly until: string
}

/** A date-holidays holiday type. @category models */
export type HolidayType = "public" | "bank" | "optional" | "school" | "observance"

/** The planner's thresholds and default preferences. @category models */
export interface PlannerSettings {
  /** The least number of weeks between two sessions. */
  readonly minGapWeeks: number
  /** The most weeks between two sessions. */
  readonly maxGapWeeks: number
  /** The weekdays preferred (1 = Monday ... 7 = Sunday); other allowed days break a soft preference. */
  readonly preferredWeekdays: ReadonlyArray<number>
  /** The weekdays a session may fall on at all. */
  readonly allowedWeekdays: ReadonlyArray<number>
  /** The preferred part of the day. */
  readonly preferredWindow: TimeWindow
  /** The part of the day a session may fall in at all. */
  readonly allowedWindow: TimeWindow
  /** Start times are tried every this many minutes. */
  readonly slotMinutes: number
  /** The date-holidays types counted as holidays (Dutch `school` days are Good Friday and Liberation Day). */
  readonly holidayTypes: ReadonlyArray<HolidayType>
  /** The country of the public holidays. */
  readonly country: string
  /** The longest horizon, in days, the planner looks at. */
  readonly maxHorizonDays: number
  /** The school-holiday data (default: those shipped, {@link SchoolHolidays.shipped}, which end in 2028). */
  readonly schoolHolidays?: SchoolHolidays.SchoolHolidayData | undefined
}

/** The defaults: gaps of 3 to 8 weeks, Tuesday to Thursday afternoons preferred, working days 09:00-21:00 allowed. @category constants */
export const defaultPlannerSettings: PlannerSettings = {
  minGapWeeks: 3,
  maxGapWeeks: 8,
  preferredWeekdays: [2, 3, 4],
  allowedWeekdays: [1, 2, 3, 4, 5],
  preferredWindow: { from: "13:00", until: "17:00" },
  allowedWindow: { from: "09:00", until: "21:00" },
  slotMinutes: 30,
  holidayTypes: ["public", "school"],
  country: "NL",
  maxHorizonDays: 3 * 366
}

/** A date given as an ISO string or a Date. @category schemas */
const When = Schema.Union(Schema.DateFromSelf, Instant)

/** A period in which the region has something else on (as `Calendar.BusyPeriod`). @category inputs */
export const BusyInput = Schema.Struct({
  start: When,
  end: When,
  summary: Schema.optional(Schema.String),
  source: Schema.optional(Schema.String),
  allDay: Schema.optional(Schema.Boolean)
})
/** @category inputs */
export type BusyInput = typeof BusyInput.Type

/** One session to place. @category inputs */
export const PlanSessionInput = Schema.Struct({
  /** The caller's name for it (the plan item's id). */
  key: Line,
  role: Schema.optionalWith(SessionRole, { default: () => "Regular" as const }),
  durationMinutes: Schema.Int.pipe(Schema.between(15, 12 * 60)),
  /** Already scheduled: the session stays where it is, and the others keep their gaps to it. */
  fixed: Schema.optional(Schema.Struct({ start: When, end: When }))
})

const Weekday = Schema.Int.pipe(Schema.between(1, 7))
const Window = Schema.Struct({ from: TimeOfDay, until: TimeOfDay })

/** The constraints and preferences of a planning round, besides the sessions. @category inputs */
export const PlanConstraints = Schema.Struct({
  /** The first day a session may fall on. */
  from: LocalDate,
  /** The last day (default: far enough for every session at the longest gap). */
  until: Schema.optional(LocalDate),
  busy: Schema.optionalWith(Schema.Array(BusyInput).pipe(Schema.maxItems(100_000)), { default: () => [] }),
  schoolHolidayZone: Schema.optional(SchoolHolidayZone),
  /** Whole days a key person cannot make. */
  keyPersonUnavailable: Schema.optionalWith(
    Schema.Array(Schema.Struct({ name: Line, dates: Schema.Array(LocalDate).pipe(Schema.maxItems(2000)) })).pipe(Schema.maxItems(50)),
    { default: () => [] }
  ),
  /** Days the administrators cannot come: the kick-off and the closing avoid them. */
  administratorsUnavailable: Schema.optionalWith(Schema.Array(LocalDate).pipe(Schema.maxItems(2000)), { default: () => [] }),
  preferredWeekdays: Schema.optional(Schema.Array(Weekday).pipe(Schema.maxItems(7))),
  allowedWeekdays: Schema.optional(Schema.Array(Weekday).pipe(Schema.maxItems(7))),
  preferredWindow: Schema.optional(Window),
  allowedWindow: Schema.optional(Window),
  minGapWeeks: Schema.optional(Schema.Int.pipe(Schema.between(0, 52))),
  maxGapWeeks: Schema.optional(Schema.Int.pipe(Schema.between(1, 104))),
  timeZone: Schema.optional(Line)
})
/** @category inputs */
export type PlanConstraints = typeof PlanConstraints.Type

/** Everything the planner needs. @category inputs */
export const PlanRequest = Schema.Struct({
  sessions: Schema.Array(PlanSessionInput).pipe(Schema.minItems(1), Schema.maxItems(100)),
  ...PlanConstraints.fields
})
/** @category inputs */
export type PlanRequest = typeof PlanRequest.Type

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

/** The name of a constraint or preference. @category models */
export type Constraint =
  | "busy"
  | "publicHoliday"
  | "schoolHoliday"
  | "keyPersonUnavailable"
  | "administratorsUnavailable"
  | "allowedWeekdays"
  | "allowedWindow"
  | "minimumGap"
  | "maximumGap"
  | "horizon"
  | "preferredWeekdays"
  | "preferredWindow"
  | "laterSessions"
  | "fixed"

/** Why a date was not taken. @category models */
export interface Reason {
  readonly constraint: Constraint
  /** `hard`: the date is impossible; `soft`: it breaks a preference; `plan`: another date made a better plan. */
  readonly kind: "hard" | "soft" | "plan"
  readonly message: string
}

/** A date passed over for a session. @category models */
export interface RejectedDate {
  readonly key: string
  readonly date: string
  readonly reasons: ReadonlyArray<Reason>
}

/** The date and time proposed for one session. @category models */
export interface ProposedSession {
  readonly key: string
  readonly role: SessionRole
  /** The local date, `YYYY-MM-DD`. */
  readonly date: string
  /** The local start time, `HH:mm`. */
  readonly time: string
  readonly start: Date
  readonly end: Date
  /** 1 = Monday ... 7 = Sunday. */
  readonly weekday: number
  /** The soft preferences this date breaks. */
  readonly softBreaks: ReadonlyArray<Reason>
}

/** What blocks a perfect plan. @category models */
export interface Blocker {
  readonly constraint: Constraint
  readonly message: string
}

/**
 * The planner's answer. `Fits`: every rule and preference is met. `Nearest`: the rules are met but
 * some preferences cannot be; the plan breaks the fewest. `Blocked`: no plan meets the rules;
 * `blocking` names the constraint(s) and `relaxed` shows the plan if the first of them were lifted.
 *
 * @category models
 */
export interface PlanResult {
  readonly status: "Fits" | "Nearest" | "Blocked"
  readonly timeZone: string
  readonly sessions: ReadonlyArray<ProposedSession>
  /** The number of soft preferences broken, over all sessions. */
  readonly softBreaks: number
  readonly blocking: ReadonlyArray<Blocker>
  readonly rejected: ReadonlyArray<RejectedDate>
  readonly relaxed?: { readonly constraint: Constraint; readonly sessions: ReadonlyArray<ProposedSession> } | undefined
  readonly warnings: ReadonlyArray<string>
}

// ---------------------------------------------------------------------------------------------
// Busy periods: sorted once, searched by bisection
// ---------------------------------------------------------------------------------------------

/**
 * Sorts the indices by `compare`, whose first key is `start`. A comparator sort of 100,000
 * indices takes ~100 ms; packed as (start - earliest) * 2^20 + index in a Float64Array (whole
 * seconds when every start is one, so that the packed key stays exact) the engine's native
 * numeric sort orders them by start in a few ms, and only runs of equal starts go through
 * `compare`.
 */
const sortIndices = (order: Array<number>, start: Float64Array, compare: (a: number, b: number) => number): void => {
  const n = order.length
  let min = Infinity
  let max = -Infinity
  let seconds = true
  for (let i = 0; i < n; i++) {
    const t = start[i]!
    if (t < min) min = t
    if (t > max) max = t
    if (seconds && t % 1000 !== 0) seconds = false
  }
  const unit = seconds ? 1000 : 1
  if (n < 64 || n >= 2 ** 20 || (max - min) / unit >= 2 ** 32) {
    order.sort(compare)
    return
  }
  const packed = new Float64Array(n)
  for (let i = 0; i < n; i++) packed[i] = ((start[i]! - min) / unit) * 1_048_576 + i
  packed.sort()
  for (let i = 0; i < n; i++) order[i] = packed[i]! % 1_048_576
  // runs of equal starts (short as a rule): ordered by the rest of the keys, in place
  for (let i = 0; i < n;) {
    const t = start[order[i]!]!
    let j = i + 1
    while (j < n && start[order[j]!] === t) j++
    for (let k = i + 1; k < j; k++) {
      const v = order[k]!
      let m = k - 1
      while (m >= i && compare(order[m]!, v) > 0) {
        order[m + 1] = order[m]!
        m--
      }
      order[m + 1] = v
    }
    i = j
  }
}

/** Busy periods sorted by start, with the running maximum of their ends, for O(log n) overlap tests. @category models */
export interface BusyIndex {
  readonly periods: ReadonlyArray<BusyInput>
  /** The index of a period overlapping `[start, end)` (milliseconds), or -1. */
  readonly overlap: (start: number, end: number) => number
}

/** Sorts busy periods once (by start, then end, then summary by code unit) and builds the overlap search. @category constructors */
export const busyIndex = (busy: ReadonlyArray<BusyInput>): BusyIndex => {
  // Sorted by numeric keys read once (start, end), the summary only on a tie, compared by code
  // unit: `localeCompare` and `getTime` in the comparator made this the planner's main cost.
  // one pass over the Dates (reading them is most of the cost at 100,000 periods)
  const all = busy.length
  const starts0 = new Float64Array(all)
  const ends0 = new Float64Array(all)
  const source = new Int32Array(all)
  let count = 0
  for (let i = 0; i < all; i++) {
    const b = busy[i]!
    const s = b.start.getTime()
    const e = b.end.getTime()
    if (e > s) {
      starts0[count] = s
      ends0[count] = e
      source[count] = i
      count++
    }
  }
  const keyStart = starts0.subarray(0, count)
  const keyEnd = ends0.subarray(0, count)
  const kept = (i: number) => busy[source[i]!]!
  const order: Array<number> = new Array(count)
  for (let i = 0; i < count; i++) order[i] = i
  const byKeys = (a: number, b: number): number => {
    const d = keyStart[a]! - keyStart[b]! || keyEnd[a]! - keyEnd[b]!
    if (d !== 0) return d
    const x = kept(a).summary ?? ""
    const y = kept(b).summary ?? ""
    return x < y ? -1 : x > y ? 1 : a - b
  }
  sortIndices(order, keyStart, byKeys)
  const periods = order.map(kept)
  const n = periods.length
  const starts = new Float64Array(n)
  const maxEnd = new Float64Array(n)
  const maxArg = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    starts[i] = keyStart[order[i]!]!
    const end = keyEnd[order[i]!]!
    if (i > 0 && maxEnd[i - 1]! >= end) {
      maxEnd[i] = maxEnd[i - 1]!
      maxArg[i] = maxArg[i - 1]!
    } else {
      maxEnd[i] = end
      maxArg[i] = i
    }
  }
  const overlap = (start: number, end: number): number => {
    // the last period starting before `end`
    let lo = 0
    let hi = n - 1
    let last = -1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      if (starts[mid]! < end) {
        last = mid
        lo = mid + 1
      } else {
        hi = mid - 1
      }
    }
    return last >= 0 && maxEnd[last]! > start ? maxArg[last]! : -1
  }
  return { periods, overlap }
}

// ---------------------------------------------------------------------------------------------
// Calendar helpers
// ---------------------------------------------------------------------------------------------

const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))
const pad = (n: number) => String(n).padStart(2, "0")
const hhmm = (minutes: number) => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`
const DAY = 86_400_000

interface Day {
  readonly date: string
  readonly y: number
  readonly m: number
  readonly d: number
  readonly weekday: number
}

const dayAt = (epochDay: number): Day => {
  const t = new Date(epochDay * DAY)
  const y = t.getUTCFullYear()
  const m = t.getUTCMonth() + 1
  const d = t.getUTCDate()
  const w = t.getUTCDay()
  return { date: `${y}-${pad(m)}-${pad(d)}`, y, m, d, weekday: w === 0 ? 7 : w }
}
const epochDayOf = (date: string): number => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY)

const zoneNames = { North: "noord", Middle: "midden", South: "zuid" } as const

const weekdayNames = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

const holidayCache = new Map<string, ReadonlyMap<string, string>>()

/** The holidays of a country in a year (date → name), of the given types. Cached. @category accessors */
export const holidaysOf = (country: string, year: number, types: ReadonlyArray<HolidayType>): ReadonlyMap<string, string> => {
  const cacheKey = `${country}/${year}/${[...types].sort().join(",")}`
  const cached = holidayCache.get(cacheKey)
  if (cached !== undefined) return cached
  const out = new Map<string, string>()
  for (const h of new Holidays(country).getHolidays(year)) {
    if (types.includes(h.type)) out.set(h.date.slice(0, 10), h.name)
  }
  holidayCache.set(cacheKey, out)
  return out
}

const offsets = new Map<string, Map<number, number>>()
const zones = new Map<string, true>()

/** Whether a zone name is a known IANA zone (cached: luxon builds a formatter to find out). */
const validZone = (timeZone: string): boolean => {
  if (zones.get(timeZone) === true) return true
  const valid = IANAZone.isValidZone(timeZone)
  // only valid names are kept, so that odd input cannot grow the cache
  if (valid) zones.set(timeZone, true)
  return valid
}

/** The zone's UTC offset in minutes at noon UTC of an epoch day (cached: it is asked for every day planned). */
const offsetAt = (timeZone: string, epochDay: number): number => {
  let byDay = offsets.get(timeZone)
  if (byDay === undefined) {
    byDay = new Map()
    offsets.set(timeZone, byDay)
  }
  let offset = byDay.get(epochDay)
  if (offset === undefined) {
    offset = IANAZone.create(timeZone).offset(epochDay * DAY + DAY / 2)
    byDay.set(epochDay, offset)
  }
  return offset
}

/** The instant of a local date and minute of the day in a zone (DST-correct). @category accessors */
export const localInstant = (date: string, minutes: number, timeZone: string): Date =>
  DateTime.fromISO(`${date}T${hhmm(minutes)}`, { zone: timeZone }).toJSDate()

// ---------------------------------------------------------------------------------------------
// The planner
// ---------------------------------------------------------------------------------------------

interface Resolved {
  readonly sessions: PlanRequest["sessions"]
  readonly fromDay: number
  readonly untilDay: number
  readonly timeZone: string
  readonly minGap: number
  readonly maxGap: number
  readonly preferredWeekdays: ReadonlySet<number>
  readonly allowedWeekdays: ReadonlySet<number>
  readonly preferred: readonly [number, number]
  readonly allowed: readonly [number, number]
  readonly slot: number
  readonly settings: PlannerSettings
}

/** Checks what a schema cannot: dates in order, windows that make sense, a horizon within bounds. @category rules */
export const validate = (request: PlanRequest, settings: PlannerSettings = defaultPlannerSettings): Either.Either<Resolved, ValidationError> => {
  const minGapWeeks = request.minGapWeeks ?? settings.minGapWeeks
  const maxGapWeeks = request.maxGapWeeks ?? settings.maxGapWeeks
  if (maxGapWeeks < minGapWeeks) {
    return Either.left(invalid("maxGapWeeks", "atLeastMinGap", `must be at least the minimum gap (${minGapWeeks} weeks)`))
  }
  const preferredWindow = request.preferredWindow ?? settings.preferredWindow
  const allowedWindow = request.allowedWindow ?? settings.allowedWindow
  for (const [field, w] of [["preferredWindow", preferredWindow], ["allowedWindow", allowedWindow]] as const) {
    if (minutesOf(w.until) <= minutesOf(w.from)) {
      return Either.left(invalid(`${field}.until`, "afterFrom", "must be later than from"))
    }
  }
  const timeZone = request.timeZone ?? defaultTimeZone
  if (!validZone(timeZone)) {
    return Either.left(invalid("timeZone", "timeZone", "must be an IANA time zone such as Europe/Amsterdam"))
  }
  for (const [i, b] of request.busy.entries()) {
    if (b.end.getTime() < b.start.getTime()) return Either.left(invalid(`busy[${i}].end`, "afterStart", "must not be before start"))
  }
  const fromDay = epochDayOf(request.from)
  const untilDay = request.until === undefined
    ? fromDay + request.sessions.length * maxGapWeeks * 7
    : epochDayOf(request.until)
  if (untilDay < fromDay) return Either.left(invalid("until", "afterFrom", "must not be before from"))
  for (const [i, session] of request.sessions.entries()) {
    if (session.fixed === undefined) continue
    const day = epochDayOf(DateTime.fromJSDate(session.fixed.start, { zone: timeZone }).toISODate() ?? request.from)
    if (day < fromDay || day > untilDay) {
      return Either.left(invalid(`sessions[${i}].fixed.start`, "inHorizon", "must fall between from and until"))
    }
    if (session.fixed.end.getTime() <= session.fixed.start.getTime()) {
      return Either.left(invalid(`sessions[${i}].fixed.end`, "afterStart", "must be after start"))
    }
  }
  if (untilDay - fromDay > settings.maxHorizonDays) {
    return Either.left(invalid("until", "maxHorizon", `must be at most ${settings.maxHorizonDays} days after from`))
  }
  return Either.right({
    sessions: request.sessions,
    fromDay,
    untilDay,
    timeZone,
    minGap: minGapWeeks * 7,
    maxGap: maxGapWeeks * 7,
    preferredWeekdays: new Set(request.preferredWeekdays ?? settings.preferredWeekdays),
    allowedWeekdays: new Set(request.allowedWeekdays ?? settings.allowedWeekdays),
    preferred: [minutesOf(preferredWindow.from), minutesOf(preferredWindow.until)],
    allowed: [minutesOf(allowedWindow.from), minutesOf(allowedWindow.until)],
    slot: Math.max(5, settings.slotMinutes),
    settings
  })
}

/** The best start of a session on a day: the cost (0 inside the preferred window, 1 outside), or the periods that block it. */
interface SlotChoice {
  readonly startMinute: number
  readonly start: number
  readonly end: number
  readonly cost: number
}

interface DayFacts {
  readonly day: Day
  /** Day-level hard reasons, each with its constraint. */
  readonly hard: ReadonlyArray<Reason>
  readonly administrators: Reason | undefined
  readonly preferredWeekday: boolean
}

interface Context {
  readonly r: Resolved
  readonly request: PlanRequest
  readonly days: ReadonlyArray<DayFacts>
  readonly busy: BusyIndex
  /** Per distinct duration: per day, the slot with and without busy periods, and the busy periods met. */
  readonly slots: ReadonlyMap<number, ReadonlyArray<{
    readonly withBusy: SlotChoice | undefined
    readonly withoutBusy: SlotChoice | undefined
    readonly blockers: ReadonlyArray<number>
  }>>
  readonly warnings: ReadonlyArray<string>
}

const buildContext = (request: PlanRequest, r: Resolved, busy: BusyIndex): Context => {
  const warnings: Array<string> = []
  const zone = request.schoolHolidayZone
  const schoolData = r.settings.schoolHolidays ?? SchoolHolidays.shipped
  if (zone === undefined) warnings.push("School holidays were not considered: the region has no school-holiday zone.")
  const keyPersonDays = new Map<string, Array<string>>()
  for (const k of request.keyPersonUnavailable) {
    for (const date of k.dates) keyPersonDays.set(date, [...(keyPersonDays.get(date) ?? []), k.name])
  }
  const adminDays = new Set<string>(request.administratorsUnavailable)
  const days: Array<DayFacts> = []
  let uncovered = false
  for (let e = r.fromDay; e <= r.untilDay; e++) {
    const day = dayAt(e)
    const hard: Array<Reason> = []
    if (!r.allowedWeekdays.has(day.weekday)) {
      hard.push({ constraint: "allowedWeekdays", kind: "hard", message: `${weekdayNames[day.weekday]} is not an allowed weekday.` })
    }
    const holiday = holidaysOf(r.settings.country, day.y, r.settings.holidayTypes).get(day.date)
    if (holiday !== undefined) hard.push({ constraint: "publicHoliday", kind: "hard", message: `Public holiday: ${holiday}.` })
    if (zone !== undefined) {
      const school = SchoolHolidays.onIn(schoolData, zone, day.date)
      if (school !== undefined) {
        hard.push({
          constraint: "schoolHoliday",
          kind: "hard",
          message: `School holiday (${school.name} ${school.schoolYear}, regio ${zoneNames[zone]}).`
        })
      }
      if (!SchoolHolidays.coversIn(schoolData, day.date)) uncovered = true
    }
    const people = keyPersonDays.get(day.date)
    if (people !== undefined) {
      hard.push({ constraint: "keyPersonUnavailable", kind: "hard", message: `Key person unavailable: ${people.join(", ")}.` })
    }
    days.push({
      day,
      hard,
      administrators: adminDays.has(day.date)
        ? { constraint: "administratorsUnavailable", kind: "hard", message: "The administrators cannot come (kick-off and closing)." }
        : undefined,
      preferredWeekday: r.preferredWeekdays.has(day.weekday)
    })
  }
  if (uncovered) {
    warnings.push(
      `School holidays are known for ${schoolData.coverage.from} to ${schoolData.coverage.until} only; dates outside it were not checked for school holidays (provide newer data as the planner setting schoolHolidays).`
    )
  }
  const slots = new Map<number, Array<{ withBusy: SlotChoice | undefined; withoutBusy: SlotChoice | undefined; blockers: Array<number> }>>()
  for (const duration of new Set(request.sessions.map((s) => s.durationMinutes))) {
    // the candidate starts of a day: preferred ones first, then the rest of the allowed window, each in time order
    const startMinutes: Array<number> = []
    const startCosts: Array<number> = []
    for (let m = r.preferred[0]; m + duration <= r.preferred[1]; m += r.slot) {
      if (m >= r.allowed[0] && m + duration <= r.allowed[1]) {
        startMinutes.push(m)
        startCosts.push(0)
      }
    }
    for (let m = r.allowed[0]; m + duration <= r.allowed[1]; m += r.slot) {
      if (!(m >= r.preferred[0] && m + duration <= r.preferred[1])) {
        startMinutes.push(m)
        startCosts.push(1)
      }
    }
    const length = duration * 60_000
    const perDay = days.map(({ day }) => {
      // Local minute → instant. A zone's offset changes at most at a DST transition: when the offset
      // at noon UTC is the same the day before, that day and the day after, no transition falls in
      // between and every start of the day has that offset; else ask luxon per start.
      const base = Date.UTC(day.y, day.m - 1, day.d)
      const e = Math.floor(base / DAY)
      const offset = offsetAt(r.timeZone, e)
      const uniform = offsetAt(r.timeZone, e - 1) === offset && offsetAt(r.timeZone, e + 1) === offset
      const instantOf = (minute: number) =>
        uniform ? base + (minute - offset) * 60_000 : localInstant(day.date, minute, r.timeZone).getTime()
      let withBusy: SlotChoice | undefined
      let withoutBusy: SlotChoice | undefined
      const blockers: Array<number> = []
      for (let k = 0; k < startMinutes.length; k++) {
        const m = startMinutes[k]!
        const start = instantOf(m)
        if (withoutBusy === undefined) withoutBusy = { startMinute: m, start, end: start + length, cost: startCosts[k]! }
        const hit = busy.overlap(start, start + length)
        if (hit < 0) {
          withBusy = k === 0 ? withoutBusy : { startMinute: m, start, end: start + length, cost: startCosts[k]! }
          break
        }
        if (blockers.length < 3 && !blockers.includes(hit)) blockers.push(hit)
      }
      return { withBusy, withoutBusy, blockers }
    })
    slots.set(duration, perDay)
  }
  return { r, request, days, busy, slots, warnings }
}

const INF = Number.POSITIVE_INFINITY

interface Evaluation {
  readonly cost: number
  readonly slot: SlotChoice | undefined
  readonly hard: ReadonlyArray<Reason>
  readonly soft: ReadonlyArray<Reason>
}

const evaluate = (ctx: Context, i: number, dayIndex: number, ignore: ReadonlySet<Constraint>): Evaluation => {
  const session = ctx.r.sessions[i]!
  const facts = ctx.days[dayIndex]!
  if (session.fixed !== undefined) {
    const local = DateTime.fromJSDate(session.fixed.start, { zone: ctx.r.timeZone })
    if (local.toISODate() !== facts.day.date) {
      return { cost: INF, slot: undefined, hard: [{ constraint: "fixed", kind: "hard", message: `Already scheduled on ${local.toISODate()}.` }], soft: [] }
    }
    const slot = {
      startMinute: local.hour * 60 + local.minute,
      start: session.fixed.start.getTime(),
      end: session.fixed.end.getTime(),
      cost: 0
    }
    return { cost: 0, slot, hard: [], soft: [] }
  }
  const hard = facts.hard.filter((h) => !ignore.has(h.constraint))
  if (facts.administrators !== undefined && session.role !== "Regular" && !ignore.has("administratorsUnavailable")) {
    hard.push(facts.administrators)
  }
  const s = ctx.slots.get(session.durationMinutes)![dayIndex]!
  const slot = ignore.has("busy") ? s.withoutBusy : s.withBusy
  if (slot === undefined) {
    if (s.withoutBusy === undefined) {
      hard.push({ constraint: "allowedWindow", kind: "hard", message: `A session of ${session.durationMinutes} minutes does not fit the allowed hours.` })
    } else {
      const names = s.blockers.map((b) => {
        const p = ctx.busy.periods[b]!
        return p.summary === undefined ? `busy ${p.start.toISOString()}–${p.end.toISOString()}` : p.summary
      })
      hard.push({ constraint: "busy", kind: "hard", message: `Every allowed start overlaps other events: ${names.join("; ")}.` })
    }
  }
  const soft: Array<Reason> = []
  if (!facts.preferredWeekday) {
    soft.push({ constraint: "preferredWeekdays", kind: "soft", message: `${weekdayNames[facts.day.weekday]} is not a preferred weekday.` })
  }
  if (slot !== undefined && slot.cost > 0) {
    soft.push({
      constraint: "preferredWindow",
      kind: "soft",
      message: `The preferred hours are taken; the session would start at ${hhmm(slot.startMinute)}.`
    })
  }
  return { cost: hard.length > 0 ? INF : soft.length, slot, hard, soft }
}

interface Solution {
  readonly days: ReadonlyArray<number>
  readonly cost: number
}

interface Solved {
  readonly solution: Solution | undefined
  /** Per session, per day: the evaluation. */
  readonly evaluations: ReadonlyArray<ReadonlyArray<Evaluation>>
  /** Per session, per day: whether a plan of the later sessions can follow. */
  readonly viable: ReadonlyArray<Uint8Array>
  /** The first session that cannot be placed after the ones before it, if any. */
  readonly firstStuck: number | undefined
}

const solve = (ctx: Context, ignore: ReadonlySet<Constraint>): Solved => {
  const n = ctx.r.sessions.length
  const D = ctx.days.length
  const minGap = ignore.has("minimumGap") ? 1 : Math.max(1, ctx.r.minGap)
  const maxGap = ignore.has("maximumGap") ? D : Math.max(minGap, ctx.r.maxGap)
  // sessions of the same length and kind (with or without administrators) see the same days
  const shared = new Map<string, ReadonlyArray<Evaluation>>()
  const evaluations = ctx.r.sessions.map((session, i) => {
    const key = session.fixed === undefined ? `${session.role === "Regular" ? "r" : "a"}/${session.durationMinutes}` : `fixed/${i}`
    let row = shared.get(key)
    if (row === undefined) {
      row = Array.from({ length: D }, (_, d) => evaluate(ctx, i, d, ignore))
      shared.set(key, row)
    }
    return row
  })
  const cost: Array<Float64Array> = []
  const from: Array<Int32Array> = []
  let firstStuck: number | undefined
  for (let i = 0; i < n; i++) {
    const row = new Float64Array(D).fill(INF)
    const back = new Int32Array(D).fill(-1)
    if (i === 0) {
      for (let d = 0; d < D; d++) row[d] = evaluations[0]![d]!.cost
    } else {
      const prev = cost[i - 1]!
      // sliding-window minimum over prev[d - maxGap .. d - minGap], earliest on ties
      const deque = new Int32Array(D)
      let head = 0
      let tail = 0
      for (let d = 0; d < D; d++) {
        const enter = d - minGap
        if (enter >= 0 && prev[enter]! < INF) {
          while (tail > head && prev[deque[tail - 1]!]! > prev[enter]!) tail--
          deque[tail++] = enter
        }
        while (tail > head && deque[head]! < d - maxGap) head++
        const own = evaluations[i]![d]!.cost
        if (tail > head && own < INF) {
          row[d] = own + prev[deque[head]!]!
          back[d] = deque[head]!
        }
      }
    }
    cost.push(row)
    from.push(back)
    if (firstStuck === undefined && row.every((c) => c === INF)) firstStuck = i
  }
  // viability backwards: can the later sessions follow a date?
  const viable: Array<Uint8Array> = Array.from({ length: n }, () => new Uint8Array(D))
  for (let i = n - 1; i >= 0; i--) {
    const next = i === n - 1 ? undefined : viable[i + 1]!
    const prefix = new Int32Array(D + 1)
    if (next !== undefined) for (let d = 0; d < D; d++) prefix[d + 1] = prefix[d]! + next[d]!
    for (let d = 0; d < D; d++) {
      if (evaluations[i]![d]!.cost === INF) continue
      if (next === undefined) {
        viable[i]![d] = 1
        continue
      }
      const lo = Math.min(D, d + minGap)
      const hi = Math.min(D - 1, d + maxGap)
      if (hi >= lo && prefix[hi + 1]! - prefix[lo]! > 0) viable[i]![d] = 1
    }
  }
  const last = cost[n - 1]!
  let best = -1
  for (let d = 0; d < D; d++) if (last[d]! < INF && (best < 0 || last[d]! < last[best]!)) best = d
  if (best < 0) return { solution: undefined, evaluations, viable, firstStuck }
  const chosen = new Array<number>(n)
  let d = best
  for (let i = n - 1; i >= 0; i--) {
    chosen[i] = d
    d = from[i]![d]!
  }
  return { solution: { days: chosen, cost: last[best]! }, evaluations, viable, firstStuck }
}

const propose = (ctx: Context, solved: Solved, solution: Solution): ReadonlyArray<ProposedSession> =>
  solution.days.map((d, i) => {
    const session = ctx.r.sessions[i]!
    const e = solved.evaluations[i]![d]!
    const facts = ctx.days[d]!
    const slot = e.slot!
    return {
      key: session.key,
      role: session.role,
      date: facts.day.date,
      time: hhmm(slot.startMinute),
      start: new Date(slot.start),
      end: new Date(slot.end),
      weekday: facts.day.weekday,
      softBreaks: e.soft
    }
  })

const explain = (ctx: Context, solved: Solved, solution: Solution): ReadonlyArray<RejectedDate> => {
  const out: Array<RejectedDate> = []
  const n = ctx.r.sessions.length
  for (let i = 0; i < n; i++) {
    if (ctx.r.sessions[i]!.fixed !== undefined) continue
    const key = ctx.r.sessions[i]!.key
    const chosen = solution.days[i]!
    const start = i === 0 ? 0 : solution.days[i - 1]! + Math.max(1, ctx.r.minGap)
    const chosenCost = solved.evaluations[i]![chosen]!.cost
    for (let d = start; d < chosen; d++) {
      const e = solved.evaluations[i]![d]!
      const date = ctx.days[d]!.day.date
      if (e.cost === INF) {
        out.push({ key, date, reasons: e.hard })
      } else if (!solved.viable[i]![d]) {
        out.push({
          key,
          date,
          reasons: [
            ...e.soft,
            { constraint: "laterSessions", kind: "plan", message: "With this date, a later session finds no possible date within its gap." }
          ]
        })
      } else if (e.cost > chosenCost || e.soft.length > 0) {
        out.push({ key, date, reasons: e.soft })
      } else {
        out.push({
          key,
          date,
          reasons: [{ constraint: "laterSessions", kind: "plan", message: "With this date, later sessions would break more preferences." }]
        })
      }
    }
  }
  return out
}

const hardConstraints: ReadonlyArray<Constraint> = [
  "busy",
  "publicHoliday",
  "schoolHoliday",
  "keyPersonUnavailable",
  "administratorsUnavailable",
  "maximumGap",
  "minimumGap",
  "allowedWeekdays"
]

const describeStuck = (ctx: Context, solved: Solved, i: number): string => {
  const counts = new Map<Constraint, number>()
  for (const e of solved.evaluations[i]!) for (const h of e.hard) counts.set(h.constraint, (counts.get(h.constraint) ?? 0) + 1)
  const parts = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([c, k]) => `${c} (${k} days)`)
  return `Session ${i + 1} (${ctx.r.sessions[i]!.key}) finds no possible date after the sessions before it` +
    (parts.length > 0 ? `; days ruled out by ${parts.join(", ")}` : "") + "."
}

/**
 * Plans the sessions. Pure and deterministic. Fails only on input that does not make sense
 * (`ValidationError` naming the field); an impossible plan is a `Blocked` result that says why.
 *
 * @category planner
 */
export const plan = (request: PlanRequest, settings: PlannerSettings = defaultPlannerSettings): Either.Either<PlanResult, ValidationError> =>
  Either.map(validate(request, settings), (r) => {
    const ctx = buildContext(request, r, busyIndex(request.busy))
    const none = new Set<Constraint>()
    const solved = solve(ctx, none)
    if (solved.solution !== undefined) {
      const solution = solved.solution
      const sessions = propose(ctx, solved, solution)
      const blocking: Array<Blocker> = []
      for (const c of ["preferredWeekdays", "preferredWindow"] as const) {
        const broken = sessions.filter((s) => s.softBreaks.some((b) => b.constraint === c))
        if (broken.length > 0) {
          blocking.push({
            constraint: c,
            message: `No plan meets the ${c === "preferredWeekdays" ? "preferred weekdays" : "preferred hours"} for ${
              broken.map((s) => s.key).join(", ")
            }: ${broken.map((s) => s.softBreaks.find((b) => b.constraint === c)!.message).join(" ")}`
          })
        }
      }
      return {
        status: solution.cost === 0 ? "Fits" : "Nearest",
        timeZone: r.timeZone,
        sessions,
        softBreaks: solution.cost,
        blocking,
        rejected: explain(ctx, solved, solution),
        warnings: ctx.warnings
      }
    }
    // No plan meets the rules: which single constraint, lifted, lets one through?
    const blocking: Array<Blocker> = []
    let relaxed: PlanResult["relaxed"]
    const stuck = solved.firstStuck ?? r.sessions.length - 1
    for (const c of hardConstraints) {
      const attempt = solve(ctx, new Set([c]))
      if (attempt.solution !== undefined) {
        blocking.push({ constraint: c, message: `Lifting ${c} alone gives a plan. ${describeStuck(ctx, solved, stuck)}` })
        if (relaxed === undefined) relaxed = { constraint: c, sessions: propose(ctx, attempt, attempt.solution) }
      }
    }
    const needed = (r.sessions.length - 1) * Math.max(1, r.minGap)
    if (r.untilDay - r.fromDay < needed) {
      blocking.unshift({
        constraint: "horizon",
        message: `${r.sessions.length} sessions at least ${r.minGap} days apart need ${needed} days; from ${request.from} to the last day there are ${
          r.untilDay - r.fromDay
        }.`
      })
    }
    if (blocking.length === 0) {
      const counts = new Map<Constraint, number>()
      for (const e of solved.evaluations[stuck]!) for (const h of e.hard) counts.set(h.constraint, (counts.get(h.constraint) ?? 0) + 1)
      const top = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]
      blocking.push({ constraint: top?.[0] ?? "horizon", message: `No single constraint explains it. ${describeStuck(ctx, solved, stuck)}` })
    }
    return {
      status: "Blocked",
      timeZone: r.timeZone,
      sessions: [],
      softBreaks: 0,
      blocking,
      rejected: [],
      relaxed,
      warnings: ctx.warnings
    }
  })

/** Decodes plain input, then plans. Bad input fails with a `ValidationError` naming the field. @category planner */
export const planUnknown = (input: unknown, settings: PlannerSettings = defaultPlannerSettings): Either.Either<PlanResult, ValidationError> =>
  Either.flatMap(decodeEither(PlanRequest)(input), (request) => plan(request, settings))
