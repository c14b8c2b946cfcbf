/** The planner's solver: the dynamic programme over the days, and the explanations. Not API (see `Planner`). */
import { DateTime } from "luxon"
import * as SchoolHolidays from "../SchoolHolidays.js"
import {
  PlanRequest,
} from "../Planner.js"
import type {
  Constraint,
  PlannerSettings,
  ProposedSession,
  Reason,
  RegionalEventMatch,
  RejectedDate,
} from "../Planner.js"
import type { Day } from "./plannerTime.js"
import { hhmm, DAY, dayAt, zoneNames, weekdayNames, offsetAt, holidaysOf, localInstant, epochDayOf } from "./plannerTime.js"
import type { BusySearch } from "./plannerTime.js"

export interface Resolved {
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


/** The best start of a session on a day: the cost (0 inside the preferred window, 1 outside), or the periods that block it. */
export interface SlotChoice {
  readonly startMinute: number
  readonly start: number
  readonly end: number
  readonly cost: number
}

export interface DayFacts {
  readonly day: Day
  /** The nearest chosen regional event (same day first, then the day before or after). */
  readonly regionalEvent: RegionalEventMatch | undefined
  /** Day-level hard reasons, each with its constraint. */
  readonly hard: ReadonlyArray<Reason>
  readonly administrators: Reason | undefined
  readonly preferredWeekday: boolean
}

export interface Context {
  readonly r: Resolved
  readonly request: PlanRequest
  readonly days: ReadonlyArray<DayFacts>
  readonly busy: BusySearch
  /** Per distinct duration: per day, the slot with and without busy periods, and the busy periods met. */
  readonly slots: ReadonlyMap<number, ReadonlyArray<{
    readonly withBusy: SlotChoice | undefined
    readonly withoutBusy: SlotChoice | undefined
    readonly blockers: ReadonlyArray<number>
    /** Why the busy periods rule the day out (when they do), named once for every evaluation. */
    readonly busyReason: Reason | undefined
  }>>
  readonly warnings: ReadonlyArray<string>
}

const relationWords = { sameDay: "on the day of", dayBefore: "the day before", dayAfter: "the day after" } as const

/** Per epoch day, the chosen regional event it is on or next to; the same day wins, then the earlier event. */
const regionalEventsByDay = (events: PlanRequest["regionalEvents"]): ReadonlyMap<number, RegionalEventMatch> => {
  const out = new Map<number, RegionalEventMatch>()
  const rank = { sameDay: 0, dayBefore: 1, dayAfter: 1 } as const
  const sorted = [...events].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
  for (const event of sorted) {
    const day = epochDayOf(event.date)
    for (const [offset, relation] of [[0, "sameDay"], [1, "dayBefore"], [-1, "dayAfter"]] as const) {
      const at = day - offset
      const known = out.get(at)
      if (known !== undefined && rank[known.relation] <= rank[relation]) continue
      out.set(at, {
        title: event.title,
        date: event.date,
        relation,
        message: `${relationWords[relation][0]!.toUpperCase()}${relationWords[relation].slice(1)} ${event.title} (${event.date}).`
      })
    }
  }
  return out
}

/**
 * What a date next to a regional event takes off its cost: less than one broken preference over
 * all sessions together (so it only decides between otherwise equal plans), twice as much on the
 * event's own day as next to it.
 */
const regionalBonus = (ctx: Context, match: RegionalEventMatch | undefined): number =>
  match === undefined ? 0 : (match.relation === "sameDay" ? 2 : 1) / (2 * ctx.r.sessions.length + 2)

export const buildContext = (request: PlanRequest, r: Resolved, busy: BusySearch): Context => {
  const warnings: Array<string> = []
  const zone = request.schoolHolidayZone
  const schoolData = r.settings.schoolHolidays ?? SchoolHolidays.shipped
  if (zone === undefined) warnings.push("School holidays were not considered: the region has no school-holiday zone.")
  const keyPersonDays = new Map<string, Array<string>>()
  for (const k of request.keyPersonUnavailable) {
    for (const date of k.dates) keyPersonDays.set(date, [...(keyPersonDays.get(date) ?? []), k.name])
  }
  const adminDays = new Set<string>(request.administratorsUnavailable)
  // a request built in code (not decoded) may leave the list out
  const events = regionalEventsByDay(request.regionalEvents ?? [])
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
      regionalEvent: events.get(e),
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
  const slots = new Map<
    number,
    Array<{ withBusy: SlotChoice | undefined; withoutBusy: SlotChoice | undefined; blockers: Array<number>; busyReason: Reason | undefined }>
  >()
  // the instants of local times on days with a daylight-saving change, asked of luxon once for every duration
  const changeDayInstants = new Map<string, number>()
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
      const instantOf = (minute: number) => {
        if (uniform) return base + (minute - offset) * 60_000
        const key = `${day.date} ${minute}`
        let instant = changeDayInstants.get(key)
        if (instant === undefined) {
          instant = localInstant(day.date, minute, r.timeZone).getTime()
          changeDayInstants.set(key, instant)
        }
        return instant
      }
      let withBusy: SlotChoice | undefined
      let withoutBusy: SlotChoice | undefined
      const blockers: Array<number> = []
      for (let k = 0; k < startMinutes.length; k++) {
        const m = startMinutes[k]!
        const start = instantOf(m)
        if (withoutBusy === undefined) withoutBusy = { startMinute: m, start, end: start + length, cost: startCosts[k]! }
        // which period is in the way matters only for the first three named
        const hit = blockers.length < 3 ? busy.overlap(start, start + length) : busy.overlaps(start, start + length) ? 0 : -1
        if (hit < 0) {
          withBusy = k === 0 ? withoutBusy : { startMinute: m, start, end: start + length, cost: startCosts[k]! }
          break
        }
        if (blockers.length < 3 && !blockers.includes(hit)) blockers.push(hit)
      }
      let busyReason: Reason | undefined
      if (withBusy === undefined && withoutBusy !== undefined) {
        const names = blockers.map((b) => {
          const p = busy.input[b]!
          return p.summary === undefined ? `busy ${p.start.toISOString()}–${p.end.toISOString()}` : p.summary
        })
        busyReason = { constraint: "busy", kind: "hard", message: `Every allowed start overlaps other events: ${names.join("; ")}.` }
      }
      return { withBusy, withoutBusy, blockers, busyReason }
    })
    slots.set(duration, perDay)
  }
  return { r, request, days, busy, slots, warnings }
}

export const INF = Number.POSITIVE_INFINITY

export interface Evaluation {
  readonly cost: number
  readonly slot: SlotChoice | undefined
  readonly hard: ReadonlyArray<Reason>
  readonly soft: ReadonlyArray<Reason>
}

export const evaluate = (ctx: Context, i: number, dayIndex: number, ignore: ReadonlySet<Constraint>): Evaluation => {
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
      hard.push(s.busyReason!)
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
  return { cost: hard.length > 0 ? INF : soft.length - regionalBonus(ctx, facts.regionalEvent), slot, hard, soft }
}

export interface Solution {
  readonly days: ReadonlyArray<number>
  readonly cost: number
}

export interface Solved {
  readonly solution: Solution | undefined
  /** Per session, per day: the evaluation. */
  readonly evaluations: ReadonlyArray<ReadonlyArray<Evaluation>>
  /** Per session, per day: whether a plan of the later sessions can follow. */
  readonly viable: ReadonlyArray<Uint8Array>
  /** The first session that cannot be placed after the ones before it, if any. */
  readonly firstStuck: number | undefined
}

export const solve = (ctx: Context, ignore: ReadonlySet<Constraint>): Solved => {
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

export const propose = (ctx: Context, solved: Solved, solution: Solution): ReadonlyArray<ProposedSession> =>
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
      softBreaks: e.soft,
      ...(facts.regionalEvent === undefined || session.fixed !== undefined ? {} : { alignedWith: facts.regionalEvent })
    }
  })

export const explain = (ctx: Context, solved: Solved, solution: Solution): ReadonlyArray<RejectedDate> => {
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
      } else if (e.soft.length > 0) {
        out.push({ key, date, reasons: e.soft })
      } else if (e.cost > chosenCost && ctx.days[chosen]!.regionalEvent !== undefined) {
        const event = ctx.days[chosen]!.regionalEvent!
        out.push({
          key,
          date,
          reasons: [{
            constraint: "regionalEvents",
            kind: "soft",
            message: `${ctx.days[chosen]!.day.date} is ${relationWords[event.relation]} ${event.title} (${event.date}); this date is not next to a chosen regional event.`
          }]
        })

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

export const hardConstraints: ReadonlyArray<Constraint> = [
  "busy",
  "publicHoliday",
  "schoolHoliday",
  "keyPersonUnavailable",
  "administratorsUnavailable",
  "maximumGap",
  "minimumGap",
  "allowedWeekdays"
]

export const describeStuck = (ctx: Context, solved: Solved, i: number): string => {
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
