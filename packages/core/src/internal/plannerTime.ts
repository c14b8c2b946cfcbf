/** The planner's time helpers and busy-period index: not API (see `Planner`). */
import Holidays from "date-holidays"
import { DateTime, IANAZone } from "luxon"
import {
  BusyInput,
} from "../Planner.js"
import type {
  HolidayType,
} from "../Planner.js"

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

export const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))
export const pad = (n: number) => String(n).padStart(2, "0")
export const hhmm = (minutes: number) => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`
export const DAY = 86_400_000

export interface Day {
  readonly date: string
  readonly y: number
  readonly m: number
  readonly d: number
  readonly weekday: number
}

export const dayAt = (epochDay: number): Day => {
  const t = new Date(epochDay * DAY)
  const y = t.getUTCFullYear()
  const m = t.getUTCMonth() + 1
  const d = t.getUTCDate()
  const w = t.getUTCDay()
  return { date: `${y}-${pad(m)}-${pad(d)}`, y, m, d, weekday: w === 0 ? 7 : w }
}
export const epochDayOf = (date: string): number => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY)

export const zoneNames = { North: "noord", Middle: "midden", South: "zuid" } as const

export const weekdayNames = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

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
export const validZone = (timeZone: string): boolean => {
  if (zones.get(timeZone) === true) return true
  const valid = IANAZone.isValidZone(timeZone)
  // only valid names are kept, so that odd input cannot grow the cache
  if (valid) zones.set(timeZone, true)
  return valid
}

/** The zone's UTC offset in minutes at noon UTC of an epoch day (cached: it is asked for every day planned). */
export const offsetAt = (timeZone: string, epochDay: number): number => {
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

