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
import { Either, Schema } from "effect"
import { DateTime } from "luxon"
import { defaultTimeZone, Instant, Line, LocalDate } from "./Common.js"
import type { ValidationError } from "./Errors.js"
import { SessionRole } from "./Programme.js"
import { SchoolHolidayZone } from "./Region.js"
import * as SchoolHolidays from "./SchoolHolidays.js"
import { decodeEither, invalid } from "./Validation.js"
import type { Resolved } from "./internal/plannerSolve.js"
import { buildContext, describeStuck, explain, hardConstraints, propose, solve } from "./internal/plannerSolve.js"
import type { BusyTimes } from "./internal/plannerTime.js"
import { busySearch, busyTimes, epochDayOf, minutesOf, validZone } from "./internal/plannerTime.js"

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

/**
 * A date given as an ISO string or a Date. Over JSON (the HTTP API, its OpenAPI document) only the
 * string form exists, which the `jsonSchema` annotation of the Date form says.
 *
 * @category schemas
 */
const When = Schema.Union(Schema.DateFromSelf.annotations({ jsonSchema: { type: "string", format: "date-time" } }), Instant)

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
  timeZone: Schema.optional(Line),
  /**
   * Events the region already has and wants its sessions in tune with (a fair, a network day, a
   * council meeting): a date on the same day as one, or the day before or after, is preferred over
   * an otherwise equal date. A soft preference that only decides between dates breaking the same
   * number of other preferences; it never outweighs one of them, and never a rule.
   */
  regionalEvents: Schema.optionalWith(
    Schema.Array(Schema.Struct({ title: Line, date: LocalDate })).pipe(Schema.maxItems(1000)),
    { default: () => [] }
  )
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
  | "regionalEvents"
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
  /** The chosen regional event this date keeps company with, when the preference for them chose it. */
  readonly alignedWith?: RegionalEventMatch | undefined
}

/** A proposed date on or next to one of the region's chosen events. @category models */
export interface RegionalEventMatch {
  readonly title: string
  /** The event's date, `YYYY-MM-DD`. */
  readonly date: string
  /** The session is on the event's day, the day before it, or the day after it. */
  readonly relation: "sameDay" | "dayBefore" | "dayAfter"
  /** In words, for the person choosing. */
  readonly message: string
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
// Busy periods, time and the solver live in src/internal (plannerTime, plannerSolve)
// ---------------------------------------------------------------------------------------------

/** The busy periods, sorted once and searched by bisection. @category models */
export type { BusyIndex } from "./internal/plannerTime.js"
/** Sorts busy periods once for bisection. @category constructors */
export { busyIndex, holidaysOf, localInstant } from "./internal/plannerTime.js"

export const validate = (request: PlanRequest, settings: PlannerSettings = defaultPlannerSettings): Either.Either<Resolved, ValidationError> =>
  validateWith(request, settings, () => busyTimes(request.busy))

/** `validate`, with the busy periods' instants read by `times` (which `plan` reads once for the search too). */
const validateWith = (
  request: PlanRequest,
  settings: PlannerSettings,
  times: () => BusyTimes
): Either.Either<Resolved, ValidationError> => {
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
  const { ends, starts } = times()
  for (let i = 0; i < starts.length; i++) {
    if (ends[i]! < starts[i]!) return Either.left(invalid(`busy[${i}].end`, "afterStart", "must not be before start"))
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
export const plan = (request: PlanRequest, settings: PlannerSettings = defaultPlannerSettings): Either.Either<PlanResult, ValidationError> => {
  // the busy periods' Dates, read once for the check and the search
  let read: BusyTimes | undefined
  const times = () => (read ??= busyTimes(request.busy))
  return Either.map(validateWith(request, settings, times), (r) => {
    const ctx = buildContext(request, r, busySearch(request.busy, times()))
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
      // the cost counts broken preferences, less a fraction for dates next to regional events
      const broken = sessions.reduce((n, s) => n + s.softBreaks.length, 0)
      return {
        status: broken === 0 ? "Fits" : "Nearest",
        timeZone: r.timeZone,
        sessions,
        softBreaks: broken,
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
}

/** Decodes plain input, then plans. Bad input fails with a `ValidationError` naming the field. @category planner */
export const planUnknown = (input: unknown, settings: PlannerSettings = defaultPlannerSettings): Either.Either<PlanResult, ValidationError> =>
  Either.flatMap(decodeEither(PlanRequest)(input), (request) => plan(request, settings))
