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
// Busy periods: ordered by start once (a radix sort of numeric keys), searched by bisection
// ---------------------------------------------------------------------------------------------

/**
 * The busy periods as the planner searches them: ordered by start, with the running maximum of
 * their ends. Not API: {@link busyIndex} is the public form.
 */
export interface BusySearch {
  /** The periods as given. */
  readonly input: ReadonlyArray<BusyInput>
  /**
   * A period overlapping `[start, end)` (milliseconds), as its position in `input`, or -1. Of the
   * periods that start before `end`, the one that ends last; on a tie, the first by start, then by
   * summary (by code unit), then in input order: the period {@link busyIndex} answers with.
   */
  readonly overlap: (start: number, end: number) => number
  /** Whether a period overlaps `[start, end)` (milliseconds): `overlap(start, end) >= 0`, without finding which. */
  readonly overlaps: (start: number, end: number) => boolean
}

/** The busy periods' start and end instants (milliseconds), in input order: their Dates read once. */
export interface BusyTimes {
  readonly starts: Float64Array
  readonly ends: Float64Array
}

/** Reads the busy periods' Dates once (reading them is much of the cost at 100,000 periods). */
export const busyTimes = (busy: ReadonlyArray<BusyInput>): BusyTimes => {
  const n = busy.length
  const starts = new Float64Array(n)
  const ends = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const b = busy[i]!
    starts[i] = b.start.getTime()
    ends[i] = b.end.getTime()
  }
  return { starts, ends }
}

/** Below this many periods, a comparator sort is as quick as counting digits. */
const RADIX_FROM = 64
const DIGIT = 11
const BUCKETS = 1 << DIGIT
const MINUTE = 60_000

/**
 * The positions `0 .. keys.length - 1` ordered by `keys` (non-negative integers below 2^31), equal
 * keys in position order: a least-significant-digit radix sort, 11 bits a pass (two passes cover
 * eight years in minutes). `keys` is used as scratch space. A comparator sort of 100,000
 * positions took ~100 ms.
 */
const radixOrder = (keys: Uint32Array, bits: number): Int32Array => {
  const n = keys.length
  let order = new Int32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  let key: Uint32Array = keys
  let nextOrder = new Int32Array(n)
  let nextKey: Uint32Array = new Uint32Array(n)
  const count = new Int32Array(BUCKETS)
  for (let shift = 0; shift < bits; shift += DIGIT) {
    count.fill(0)
    for (let i = 0; i < n; i++) {
      const b = (key[i]! >>> shift) & (BUCKETS - 1)
      count[b] = count[b]! + 1
    }
    let sum = 0
    for (let b = 0; b < BUCKETS; b++) {
      const c = count[b]!
      count[b] = sum
      sum += c
    }
    for (let i = 0; i < n; i++) {
      const k = key[i]!
      const b = (k >>> shift) & (BUCKETS - 1)
      const at = count[b]!
      count[b] = at + 1
      nextKey[at] = k
      nextOrder[at] = order[i]!
    }
    const keyWas = key
    key = nextKey
    nextKey = keyWas
    const orderWas = order
    order = nextOrder
    nextOrder = orderWas
  }
  return order
}

/**
 * The positions of `start` ordered by start, equal starts in position order: a radix sort of the
 * whole minutes since the earliest start, then, within a minute, a comparator sort of the
 * positions only where their milliseconds are out of order (never, when every start is on a
 * minute).
 */
const orderByStart = (start: Float64Array): Int32Array => {
  const n = start.length
  const byComparator = (a: number, b: number) => start[a]! - start[b]! || a - b
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < n; i++) {
    const t = start[i]!
    if (t < min) min = t
    if (t > max) max = t
  }
  const range = n === 0 ? 0 : Math.floor((max - min) / MINUTE)
  if (n < RADIX_FROM || !(range < 2 ** 31)) {
    const order = Array.from({ length: n }, (_, i) => i)
    order.sort(byComparator)
    return Int32Array.from(order)
  }
  const minuteOf = (i: number) => Math.floor((start[i]! - min) / MINUTE)
  const keys = new Uint32Array(n)
  for (let i = 0; i < n; i++) keys[i] = minuteOf(i)
  let bits = 0
  while (bits < 32 && range >= 2 ** bits) bits += DIGIT
  const order = radixOrder(keys, bits)
  // an inversion can only be within a minute: sort that minute's positions
  for (let i = 1; i < n; i++) {
    if (start[order[i]!]! >= start[order[i - 1]!]!) continue
    const minute = minuteOf(order[i]!)
    let lo = i - 1
    while (lo > 0 && minuteOf(order[lo - 1]!) === minute) lo--
    let hi = i + 1
    while (hi < n && minuteOf(order[hi]!) === minute) hi++
    const run = Array.from(order.subarray(lo, hi)).sort(byComparator)
    order.set(run, lo)
    i = hi
  }
  return order
}

const summaryOf = (p: BusyInput): string => p.summary ?? ""

/**
 * Orders busy periods by start once and builds the overlap search; periods that end when they
 * start (or before) are left out. `times` are the periods' instants, when already read.
 */
export const busySearch = (busy: ReadonlyArray<BusyInput>, times: BusyTimes = busyTimes(busy)): BusySearch => {
  const all = busy.length
  const { ends: endOf, starts: startOf } = times
  let n = 0
  for (let i = 0; i < all; i++) if (endOf[i]! > startOf[i]!) n++
  // the positions of the periods kept (when some are left out), and their starts
  let kept: Int32Array | undefined
  let keptStarts = startOf
  if (n < all) {
    kept = new Int32Array(n)
    keptStarts = new Float64Array(n)
    for (let i = 0, k = 0; i < all; i++) {
      if (endOf[i]! > startOf[i]!) {
        kept[k] = i
        keptStarts[k] = startOf[i]!
        k++
      }
    }
  }
  const order = orderByStart(keptStarts)
  // in start order: the input positions, the starts and the running maximum of the ends
  const keptAt = kept
  const sources = keptAt === undefined ? order : order.map((k) => keptAt[k]!)
  const starts = new Float64Array(n)
  const maxEnd = new Float64Array(n)
  let top = -Infinity
  for (let i = 0; i < n; i++) {
    const source = sources[i]!
    starts[i] = startOf[source]!
    const e = endOf[source]!
    if (e > top) top = e
    maxEnd[i] = top
  }
  // per position that raises the running maximum: the period answered (found on the first question)
  const answers = new Map<number, number>()
  const answerFrom = (first: number): number => {
    let found = answers.get(first)
    if (found !== undefined) return found
    // the first period (in start order) to end this late has the earliest start; of the periods
    // with that start and end, the first by summary (by code unit), then in input order, which
    // equal starts already are in
    const s = starts[first]!
    const e = maxEnd[first]!
    found = sources[first]!
    let summary = summaryOf(busy[found]!)
    for (let j = first + 1; j < n && starts[j] === s; j++) {
      const source = sources[j]!
      if (endOf[source] !== e) continue
      const other = summaryOf(busy[source]!)
      if (other < summary) {
        found = source
        summary = other
      }
    }
    answers.set(first, found)
    return found
  }
  // the planner asks about nearby times in turn: each search gallops out from the last answer
  let hint = 0
  /** The last position whose period starts before `end`, or -1. */
  const lastBefore = (end: number): number => {
    // lo: -1 or a position starting before `end`; hi: n or a position starting at or after it
    let lo: number
    let hi: number
    if (hint < n && starts[hint]! < end) {
      lo = hint
      hi = hint + 1
      for (let step = 2; hi < n && starts[hi]! < end; step *= 2) {
        lo = hi
        hi = Math.min(n, lo + step)
      }
    } else {
      hi = hint
      lo = hint - 1
      for (let step = 2; lo >= 0 && starts[lo]! >= end; step *= 2) {
        hi = lo
        lo = Math.max(-1, hi - step)
      }
    }
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1
      if (starts[mid]! < end) lo = mid
      else hi = mid
    }
    hint = lo < 0 ? 0 : lo
    return lo
  }
  const overlaps = (start: number, end: number): boolean => {
    const last = lastBefore(end)
    return last >= 0 && maxEnd[last]! > start
  }
  const overlap = (start: number, end: number): number => {
    const last = lastBefore(end)
    if (last < 0) return -1
    const latest = maxEnd[last]!
    if (latest <= start) return -1
    // the first position whose period ends that late
    let lo = 0
    let hi = last
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (maxEnd[mid]! < latest) lo = mid + 1
      else hi = mid
    }
    return answerFrom(lo)
  }
  return { input: busy, overlap, overlaps }
}

/** Busy periods sorted by start, with the running maximum of their ends, for O(log n) overlap tests. @category models */
export interface BusyIndex {
  readonly periods: ReadonlyArray<BusyInput>
  /** The index of a period overlapping `[start, end)` (milliseconds), or -1. */
  readonly overlap: (start: number, end: number) => number
}

/** Sorts busy periods once (by start, then end, then summary by code unit) and builds the overlap search. @category constructors */
export const busyIndex = (busy: ReadonlyArray<BusyInput>): BusyIndex => {
  const times = busyTimes(busy)
  const search = busySearch(busy, times)
  const kept: Array<number> = []
  for (let i = 0; i < busy.length; i++) if (times.ends[i]! > times.starts[i]!) kept.push(i)
  const keys = Float64Array.from(kept, (i) => times.starts[i]!)
  const byStart = orderByStart(keys)
  // input positions by start, then end, then summary (by code unit), then input order
  const order = Array.from(byStart, (k) => kept[k]!)
  const compare = (a: number, b: number): number => {
    const d = times.ends[a]! - times.ends[b]!
    if (d !== 0) return d
    const x = summaryOf(busy[a]!)
    const y = summaryOf(busy[b]!)
    return x < y ? -1 : x > y ? 1 : a - b
  }
  for (let i = 0; i < order.length;) {
    const t = keys[byStart[i]!]!
    let j = i + 1
    while (j < order.length && keys[byStart[j]!] === t) j++
    if (j - i > 1) {
      const run = order.slice(i, j).sort(compare)
      for (let k = 0; k < run.length; k++) order[i + k] = run[k]!
    }
    i = j
  }
  const position = new Int32Array(busy.length)
  for (let i = 0; i < order.length; i++) position[order[i]!] = i
  return {
    periods: order.map((i) => busy[i]!),
    overlap: (start, end) => {
      const hit = search.overlap(start, end)
      return hit < 0 ? -1 : position[hit]!
    }
  }
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

