import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Layer, TestClock } from "effect"
import fc from "fast-check"
import { DateTime } from "luxon"
import { Calendar, Planner, SchoolHolidays, Sessions, Settings } from "@copkit/core"
import { Inspector, Memory } from "@copkit/testing"
import { keyPerson, keyPersonTwente, participant, regions, seedProgramme, TestLayer } from "./sessions.fixtures.js"

const zone = "Europe/Amsterdam"

const sessions = (n: number, duration = 180) =>
  Array.from({ length: n }, (_, i) => ({
    key: `s${i + 1}`,
    role: i === 0 ? "KickOff" : i === n - 1 ? "Closing" : "Regular",
    durationMinutes: duration
  }))

const run = (input: Record<string, unknown>, settings?: Planner.PlannerSettings) => {
  const result = Planner.planUnknown({ sessions: sessions(4), from: "2027-01-11", schoolHolidayZone: "Middle", ...input }, settings)
  if (Either.isLeft(result)) throw result.left
  return result.right
}

const local = (d: Date) => DateTime.fromJSDate(d, { zone })
const epochDay = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000)
const busy = (from: string, until: string, summary: string) => ({
  start: DateTime.fromISO(from, { zone }).toISO()!,
  end: DateTime.fromISO(until, { zone }).toISO()!,
  summary
})

describe("Planner: the rules", () => {
  it("places every session on a preferred weekday in the preferred hours, 3 to 8 weeks apart", () => {
    const result = run({})
    expect(result.status).toBe("Fits")
    expect(result.softBreaks).toBe(0)
    expect(result.blocking).toEqual([])
    expect(result.sessions.map((s) => `${s.date} ${s.time}`)).toEqual([
      "2027-01-12 13:00",
      "2027-02-02 13:00",
      "2027-02-23 13:00",
      "2027-03-16 13:00"
    ])
    for (const s of result.sessions) {
      expect([2, 3, 4]).toContain(s.weekday)
      expect(local(s.start).toFormat("HH:mm")).toBe(s.time)
      expect(s.end.getTime() - s.start.getTime()).toBe(180 * 60_000)
    }
    // Monday 11 January is not a preferred weekday: explained
    expect(result.rejected[0]).toEqual({
      key: "s1",
      date: "2027-01-11",
      reasons: [{ constraint: "preferredWeekdays", kind: "soft", message: "Monday is not a preferred weekday." }]
    })
  })

  it("avoids busy periods, public holidays, school holidays, key persons' days and administrators' days, and says why", () => {
    const result = run({
      from: "2027-04-19",
      sessions: sessions(3),
      busy: [busy("2027-04-20T08:00", "2027-04-20T22:00", "Regiodag MKB"), busy("2027-04-21T12:00", "2027-04-21T18:00", "Raadsvergadering")],
      keyPersonUnavailable: [{ name: "Fleur Jansen", dates: ["2027-04-22"] }],
      administratorsUnavailable: ["2027-04-29", "2027-05-04"]
    })
    expect(result.status).toBe("Fits")
    const reasons = (date: string) => result.rejected.find((r) => r.key === "s1" && r.date === date)?.reasons.map((r) => r.constraint)
    expect(reasons("2027-04-19")).toEqual(["preferredWeekdays"])
    expect(reasons("2027-04-20")).toEqual(["busy"])
    expect(result.rejected.find((r) => r.date === "2027-04-20")?.reasons[0]?.message).toContain("Regiodag MKB")
    // 21 April: busy 12:00-18:00 leaves the morning, outside the preferred hours
    expect(reasons("2027-04-21")).toEqual(["preferredWindow"])
    expect(reasons("2027-04-22")).toEqual(["keyPersonUnavailable"])
    expect(reasons("2027-04-24")).toEqual(["allowedWeekdays", "schoolHoliday"])
    expect(reasons("2027-04-27")).toEqual(["publicHoliday", "schoolHoliday"])
    expect(result.rejected.find((r) => r.date === "2027-04-27")?.reasons[0]?.message).toBe("Public holiday: Koningsdag.")
    expect(reasons("2027-05-04")).toEqual(["administratorsUnavailable"])
    expect(reasons("2027-05-05")).toEqual(["publicHoliday"])
    // 6 May (Ascension Day) is a holiday; the kick-off lands on Tuesday 11 May
    expect(reasons("2027-05-06")).toEqual(["publicHoliday"])
    expect(result.sessions[0]?.date).toBe("2027-05-11")
  })

  it("where only the preferences cannot be met, returns the nearest plan and names the preference", () => {
    const result = run({ preferredWeekdays: [6], sessions: sessions(2) })
    expect(result.status).toBe("Nearest")
    expect(result.softBreaks).toBe(2)
    expect(result.blocking.map((b) => b.constraint)).toEqual(["preferredWeekdays"])
    expect(result.sessions.every((s) => s.softBreaks.length === 1)).toBe(true)
  })

  it("where no plan fits, names the blocking constraint and shows the plan without it", () => {
    const allSpring = busy("2027-01-01T00:00", "2027-07-01T00:00", "Verbouwing")
    const blocked = run({ busy: [allSpring], until: "2027-06-30" })
    expect(blocked.status).toBe("Blocked")
    expect(blocked.sessions).toEqual([])
    expect(blocked.blocking[0]?.constraint).toBe("busy")
    expect(blocked.blocking[0]?.message).toContain("Session 1 (s1)")
    expect(blocked.relaxed?.constraint).toBe("busy")
    expect(blocked.relaxed?.sessions).toHaveLength(4)

    const short = run({ until: "2027-02-15" })
    expect(short.status).toBe("Blocked")
    expect(short.blocking[0]?.constraint).toBe("horizon")

    // the key person cannot come from February to the last day: after a January session, the second finds no date
    const dates = Array.from({ length: 59 }, (_, i) => DateTime.fromISO("2027-02-01").plus({ days: i }).toISODate()!)
    const keyBlocked = run({ keyPersonUnavailable: [{ name: "Joost Bakker", dates }], from: "2027-01-18", until: "2027-03-31" })
    expect(keyBlocked.status).toBe("Blocked")
    expect(keyBlocked.blocking.map((b) => b.constraint)).toEqual(["keyPersonUnavailable", "minimumGap"])
    expect(keyBlocked.blocking[0]?.message).toContain("Session 2 (s2) finds no possible date")
    expect(keyBlocked.blocking[0]?.message).toContain("keyPersonUnavailable")
  })

  it("proposes times in Europe/Amsterdam, correct across the daylight-saving change", () => {
    const result = run({ from: "2027-03-01", sessions: sessions(3), minGapWeeks: 3, maxGapWeeks: 3, preferredWeekdays: [2] })
    expect(result.sessions.map((s) => [s.date, s.time, s.start.toISOString()])).toEqual([
      ["2027-03-02", "13:00", "2027-03-02T12:00:00.000Z"], // CET, UTC+1
      ["2027-03-23", "13:00", "2027-03-23T12:00:00.000Z"],
      ["2027-04-13", "13:00", "2027-04-13T11:00:00.000Z"] // CEST, UTC+2
    ])
    const autumn = run({ from: "2027-10-12", sessions: sessions(2), schoolHolidayZone: "North", minGapWeeks: 3, maxGapWeeks: 3 })
    expect(autumn.sessions.map((s) => s.start.toISOString())).toEqual(["2027-10-12T11:00:00.000Z", "2027-11-02T12:00:00.000Z"])
  })

  it("keeps a session that is already scheduled where it is; the others keep their gaps to it", () => {
    const fixedStart = DateTime.fromISO("2027-02-25T10:00", { zone }).toJSDate() // a Thursday morning
    const input = sessions(3).map((x, i) =>
      i === 1 ? { ...x, fixed: { start: fixedStart.toISOString(), end: new Date(fixedStart.getTime() + 3 * 3_600_000).toISOString() } } : x
    )
    const result = run({ sessions: input, from: "2027-01-11" })
    expect(result.sessions.map((x) => `${x.date} ${x.time}`)).toEqual(["2027-01-12 13:00", "2027-02-25 10:00", "2027-03-18 13:00"])
    expect(result.sessions[1]?.softBreaks).toEqual([])
    expect(result.rejected.some((r) => r.key === "s2")).toBe(false)
    const outside = Planner.planUnknown({ sessions: input, from: "2027-03-01" })
    expect(Either.getLeft(outside).pipe((o) => o._tag === "Some" ? { ...o.value } : undefined)).toMatchObject({
      field: "sessions[1].fixed.start",
      rule: "inHorizon"
    })
  })

  it("reads gaps and preferences from the settings", () => {
    const settings: Planner.PlannerSettings = { ...Planner.defaultPlannerSettings, minGapWeeks: 1, maxGapWeeks: 1, preferredWindow: { from: "09:30", until: "12:30" } }
    const result = run({}, settings)
    expect(result.sessions.map((s) => `${s.date} ${s.time}`)).toEqual([
      "2027-01-12 09:30",
      "2027-01-19 09:30",
      "2027-01-26 09:30",
      "2027-02-02 09:30"
    ])
  })

  it("warns when the school holidays are not known or not asked for", () => {
    expect(run({ schoolHolidayZone: undefined, sessions: sessions(2) }).warnings[0]).toContain("no school-holiday zone")
    expect(run({ from: "2028-06-01", sessions: sessions(3) }).warnings[0]).toContain("School holidays are known for")
  })

  it("bad input: ValidationError naming the field", () => {
    const error = (input: Record<string, unknown>) => {
      const result = Planner.planUnknown({ sessions: sessions(2), from: "2027-01-11", ...input })
      return Either.isLeft(result) ? { _tag: "Some", value: { ...result.left } } : { _tag: "None" }
    }
    expect(error({ from: "2027-02-30" })).toMatchObject({ _tag: "Some", value: { field: "from", rule: "localDate" } })
    expect(error({ until: "2027-01-01" })).toMatchObject({ _tag: "Some", value: { field: "until", rule: "afterFrom" } })
    expect(error({ minGapWeeks: 5, maxGapWeeks: 4 })).toMatchObject({ _tag: "Some", value: { field: "maxGapWeeks" } })
    expect(error({ preferredWindow: { from: "17:00", until: "13:00" } })).toMatchObject({
      _tag: "Some",
      value: { field: "preferredWindow.until" }
    })
    expect(error({ preferredWindow: { from: "1pm", until: "17:00" } })).toMatchObject({
      _tag: "Some",
      value: { field: "preferredWindow.from" }
    })
    expect(error({ busy: [{ start: "2027-01-12T10:00:00Z", end: "2027-01-12T09:00:00Z" }] })).toMatchObject({
      _tag: "Some",
      value: { field: "busy[0].end" }
    })
    expect(error({ sessions: [] })).toMatchObject({ _tag: "Some", value: { field: "sessions", rule: "minItems" } })
    expect(error({ timeZone: "Mars/Olympus" })).toMatchObject({ _tag: "Some", value: { field: "timeZone" } })
    expect(error({ until: "2035-01-01" })).toMatchObject({ _tag: "Some", value: { field: "until", rule: "maxHorizon" } })
  })

  it("the busy index finds overlaps by bisection, including long periods that started earlier", () => {
    const p = (s: number, e: number) => ({ start: new Date(s), end: new Date(e) })
    const index = Planner.busyIndex([p(50, 60), p(0, 100), p(10, 20), p(200, 300)])
    expect(index.overlap(70, 80)).toBeGreaterThanOrEqual(0)
    expect(index.periods[index.overlap(70, 80)]).toMatchObject({ start: new Date(0) })
    expect(index.overlap(100, 200)).toBe(-1)
    expect(index.overlap(299, 301)).toBeGreaterThanOrEqual(0)
    expect(index.overlap(300, 400)).toBe(-1)
  })
})

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const base = Date.parse("2027-01-04T00:00:00Z")
const DAY = 86_400_000

const arbBusy = fc.record({
  startHours: fc.integer({ min: 0, max: 400 * 24 }),
  hours: fc.integer({ min: 1, max: 72 }),
  summary: fc.constantFrom("Netwerkborrel", "Raad", "Beurs", "Congres")
}).map(({ startHours, hours, summary }) => ({
  start: new Date(base + startHours * 3_600_000).toISOString(),
  end: new Date(base + (startHours + hours) * 3_600_000).toISOString(),
  summary
}))

const arbDate = fc.integer({ min: 0, max: 400 }).map((d) => new Date(base + d * DAY).toISOString().slice(0, 10))

const arbInput = fc.record({
  n: fc.integer({ min: 2, max: 6 }),
  durations: fc.array(fc.constantFrom(120, 180, 240), { minLength: 6, maxLength: 6 }),
  startOffset: fc.integer({ min: 0, max: 120 }),
  busy: fc.array(arbBusy, { maxLength: 80 }),
  keyDays: fc.array(arbDate, { maxLength: 40 }),
  adminDays: fc.array(arbDate, { maxLength: 20 }),
  zone: fc.constantFrom("North", "Middle", "South"),
  minGapWeeks: fc.integer({ min: 1, max: 4 }),
  extraGapWeeks: fc.integer({ min: 0, max: 6 }),
  preferredWeekdays: fc.uniqueArray(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 })
}).map((a) => ({
  sessions: Array.from({ length: a.n }, (_, i) => ({
    key: `s${i + 1}`,
    role: i === 0 ? "KickOff" : i === a.n - 1 ? "Closing" : "Regular",
    durationMinutes: a.durations[i]!
  })),
  from: new Date(base + a.startOffset * DAY).toISOString().slice(0, 10),
  busy: a.busy,
  keyPersonUnavailable: [{ name: "Sleutelpersoon", dates: a.keyDays }],
  administratorsUnavailable: a.adminDays,
  schoolHolidayZone: a.zone,
  minGapWeeks: a.minGapWeeks,
  maxGapWeeks: a.minGapWeeks + a.extraGapWeeks,
  preferredWeekdays: a.preferredWeekdays
}))

describe("Planner: properties", () => {
  it("no proposed session falls on a busy period, a holiday, a key person's day, or outside the gaps, hours and days", () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const result = Either.getOrThrow(Planner.planUnknown(input))
        if (result.status === "Blocked") {
          expect(result.sessions).toEqual([])
          expect(result.blocking.length).toBeGreaterThan(0)
          return
        }
        expect(result.sessions).toHaveLength(input.sessions.length)
        const keyDays = new Set(input.keyPersonUnavailable[0]!.dates)
        const adminDays = new Set(input.administratorsUnavailable)
        for (const [i, s] of result.sessions.entries()) {
          const start = s.start.getTime()
          const end = s.end.getTime()
          for (const b of input.busy) {
            expect(start < Date.parse(b.end) && Date.parse(b.start) < end).toBe(false)
          }
          const l = local(s.start)
          expect(l.toISODate()).toBe(s.date)
          expect(Planner.holidaysOf("NL", l.year, ["public", "school"]).has(s.date)).toBe(false)
          expect(SchoolHolidays.on(input.schoolHolidayZone as "North", s.date)).toBeUndefined()
          expect(keyDays.has(s.date)).toBe(false)
          if (s.role !== "Regular") expect(adminDays.has(s.date)).toBe(false)
          expect(l.weekday).toBeLessThanOrEqual(5)
          expect(l.hour * 60 + l.minute).toBeGreaterThanOrEqual(9 * 60)
          const le = local(s.end)
          expect(le.hour * 60 + le.minute).toBeLessThanOrEqual(21 * 60)
          expect(end - start).toBe(input.sessions[i]!.durationMinutes * 60_000)
          expect(s.date >= input.from).toBe(true)
          if (i > 0) {
            const gap = epochDay(s.date) - epochDay(result.sessions[i - 1]!.date)
            expect(gap).toBeGreaterThanOrEqual(input.minGapWeeks * 7)
            expect(gap).toBeLessThanOrEqual(input.maxGapWeeks * 7)
          }
          if (result.status === "Fits") expect(s.softBreaks).toEqual([])
        }
        expect(result.softBreaks).toBe(result.sessions.reduce((n, s) => n + s.softBreaks.length, 0))
        // every rejected date has a reason and lies before the date chosen for its session
        for (const r of result.rejected) {
          expect(r.reasons.length).toBeGreaterThan(0)
          expect(r.date < result.sessions.find((s) => s.key === r.key)!.date).toBe(true)
        }
      }),
      { numRuns: 100 }
    )
  })

  it("the same input gives the same plan, whatever the order of the busy periods", () => {
    fc.assert(
      fc.property(arbInput, fc.integer(), (input, seed) => {
        const first = Either.getOrThrow(Planner.planUnknown(input))
        const again = Either.getOrThrow(Planner.planUnknown(structuredClone(input)))
        expect(again).toEqual(first)
        const shuffled = [...input.busy].sort((a, b) => ((a.start.length * seed) % 7) - ((b.start.length * seed) % 7) || b.start.localeCompare(a.start))
        const reordered = Either.getOrThrow(Planner.planUnknown({ ...input, busy: shuffled }))
        expect(reordered.sessions).toEqual(first.sessions)
        expect(reordered.status).toEqual(first.status)
      }),
      { numRuns: 40 }
    )
  })

  it("a plan that fits is found whenever the preferred days are free (no busy periods, no blocked days)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 0, max: 200 }), (n, offset) => {
        const result = Either.getOrThrow(Planner.planUnknown({
          sessions: sessions(n),
          from: new Date(base + offset * DAY).toISOString().slice(0, 10)
        }))
        expect(result.status).not.toBe("Blocked")
      }),
      { numRuns: 30 }
    )
  })
})

describe("Sessions.plan", () => {
  it.effect("plans the approved plan with the region's school-holiday zone; the region only", () =>
    Effect.gen(function*() {
      const programme = yield* seedProgramme(regions.utrecht, "prg_utrecht")
      const s = yield* Sessions.Sessions
      const result = yield* s.plan({ programmeId: programme.id, from: "2027-02-15" }).pipe(keyPerson)
      expect(result.status).toBe("Fits")
      expect(result.sessions.map((x) => x.key)).toEqual(programme.plan.map((i) => i.id))
      expect(result.sessions.map((x) => x.role)).toEqual(["KickOff", "Regular", "Closing"])
      // Utrecht is in the middle zone: the spring holiday of 13-21 February 2027 is avoided
      expect(result.rejected.find((r) => r.date === "2027-02-16")?.reasons).toEqual([
        { constraint: "schoolHoliday", kind: "hard", message: "School holiday (Voorjaarsvakantie 2026-2027, regio midden)." }
      ])
      expect(result.sessions[0]?.date).toBe("2027-02-23")
      expect((yield* s.plan({ programmeId: programme.id, from: "2027-02-08" }).pipe(keyPersonTwente, Effect.flip))._tag).toBe("Forbidden")
      expect((yield* s.plan({ programmeId: programme.id, from: "2027-02-08" }).pipe(participant, Effect.flip))._tag).toBe("Forbidden")
      const bad = yield* s.plan({ programmeId: programme.id, from: "2027-02-08", until: "2027-01-01" }).pipe(keyPerson, Effect.flip)
      expect(bad).toMatchObject({ _tag: "ValidationError", field: "until" })
    }).pipe(Effect.provide(TestLayer)))

  it.effect("the proposals are taken over: every draft session scheduled, all or none", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(new Date("2027-01-04T09:00:00Z").getTime())
      const programme = yield* seedProgramme(regions.utrecht, "prg_utrecht")
      const s = yield* Sessions.Sessions
      const result = yield* s.plan({ programmeId: programme.id, from: "2027-02-15" }).pipe(keyPerson)
      const proposals = result.sessions.map(({ end, key, start }) => ({ key, start: start.toISOString(), end: end.toISOString() }))
      const early = yield* s.scheduleFromPlan({ programmeId: programme.id, sessions: proposals }).pipe(keyPerson, Effect.flip)
      expect(early).toMatchObject({ _tag: "RuleViolation", rule: "session-created" })
      yield* s.createFromPlan({ programmeId: programme.id }).pipe(keyPerson)
      const unknown = yield* s.scheduleFromPlan({
        programmeId: programme.id,
        sessions: [...proposals, { ...proposals[0]!, key: "pli_unknown" }]
      }).pipe(keyPerson, Effect.flip)
      expect(unknown).toMatchObject({ _tag: "RuleViolation", rule: "plan-item-known" })
      const twice = yield* s.scheduleFromPlan({ programmeId: programme.id, sessions: [proposals[0]!, proposals[0]!] }).pipe(keyPerson, Effect.flip)
      expect(twice).toMatchObject({ _tag: "RuleViolation", rule: "plan-item-once" })
      expect((yield* s.list({ programmeId: programme.id, state: "Scheduled" }).pipe(keyPerson)).length).toBe(0)
      const scheduled = yield* s.scheduleFromPlan({
        programmeId: programme.id,
        sessions: proposals,
        venue: { name: "Stadskantoor", city: "Utrecht" }
      }).pipe(keyPerson)
      expect(scheduled.map((x) => [x.state, x.start?.toISOString(), x.venue?.name])).toEqual(
        result.sessions.map((p) => ["Scheduled", p.start.toISOString(), "Stadskantoor"])
      )
      const forbidden = yield* s.scheduleFromPlan({ programmeId: programme.id, sessions: proposals }).pipe(keyPersonTwente, Effect.flip)
      expect(forbidden._tag).toBe("Forbidden")
    }).pipe(Effect.provide(TestLayer)))

  it.effect("replanning keeps the sessions already scheduled and leaves the cancelled ones out", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(new Date("2027-01-04T09:00:00Z").getTime())
      const programme = yield* seedProgramme(regions.utrecht, "prg_utrecht")
      const s = yield* Sessions.Sessions
      const [kickOff, regular] = yield* s.createFromPlan({ programmeId: programme.id }).pipe(keyPerson)
      yield* s.schedule({ sessionId: kickOff!.id, start: "2027-02-25T09:00:00Z", end: "2027-02-25T12:00:00Z" }).pipe(keyPerson)
      yield* s.cancel({ sessionId: regular!.id, reason: "Samengevoegd met de afsluiting." }).pipe(keyPerson)
      const result = yield* s.plan({ programmeId: programme.id, from: "2027-02-15" }).pipe(keyPerson)
      expect(result.sessions.map((x) => [x.key, x.date, x.time])).toEqual([
        [programme.plan[0]!.id, "2027-02-25", "10:00"],
        [programme.plan[2]!.id, "2027-03-18", "13:00"]
      ])
    }).pipe(Effect.provide(TestLayer)))

  it.effect("reads the region's calendar feeds through the CalendarImporter port", () => {
    // a stand-in importer: one `BUSY:start/end` line per period
    const importer = Layer.succeed(Calendar.CalendarImporter, {
      busyPeriods: (ics, window) =>
        ics.startsWith("BEGIN:VCALENDAR")
          ? Effect.succeed(
            ics.split("\n").filter((l) => l.startsWith("BUSY:")).map((l) => {
              const [start, end] = l.slice(5).split("/")
              return new Calendar.BusyPeriod({ start: new Date(start!), end: new Date(end!), summary: "Uit de agenda", allDay: false })
            }).filter((p) => p.start < window.end && p.end > window.start)
          )
          : Effect.fail(new Calendar.CalendarParseError({ line: 1, message: "not an iCalendar file" }))
    })
    const layer = Layer.mergeAll(Sessions.layer.pipe(Layer.provide(importer))).pipe(Layer.provideMerge(Memory.layer))
    return Effect.gen(function*() {
      const programme = yield* seedProgramme(regions.utrecht, "prg_utrecht")
      const s = yield* Sessions.Sessions
      const feed = "BEGIN:VCALENDAR\nBUSY:2027-03-02T07:00:00Z/2027-03-02T21:00:00Z\nEND:VCALENDAR"
      const result = yield* s.plan({ programmeId: programme.id, from: "2027-03-01", feeds: [feed] }).pipe(keyPerson)
      expect(result.rejected.find((r) => r.date === "2027-03-02")?.reasons[0]?.message).toContain("Uit de agenda")
      expect(result.sessions[0]?.date).toBe("2027-03-03")
      const bad = yield* s.plan({ programmeId: programme.id, from: "2027-03-01", feeds: ["geen agenda"] }).pipe(keyPerson, Effect.flip)
      expect(bad).toMatchObject({ _tag: "ValidationError", field: "feeds[0]", rule: "iCalendar" })
    }).pipe(Effect.provide(layer))
  })

  describe("the feeds of one plan call are bounded together (Settings.calendarImport totals)", () => {
    // A stand-in importer held to the settings as the real one is: every `BUSY:` line is one
    // occurrence (more than `maxOccurrences` fails), and each feed "takes" `X-TAKES:` seconds of
    // the test clock (more than `timeBudgetMillis` fails).
    const calls: Array<number> = []
    const importer = Layer.succeed(Calendar.CalendarImporter, {
      busyPeriods: (ics, window) =>
        Effect.gen(function*() {
          const bounds = (yield* Settings.Settings).calendarImport
          calls.push(ics.length)
          const takes = Number(/^X-TAKES:(\d+)$/m.exec(ics)?.[1] ?? 0) * 1000
          yield* TestClock.adjust(takes)
          if (takes > bounds.timeBudgetMillis) {
            return yield* Effect.fail(new Calendar.CalendarImportLimitError({ limit: "time", max: bounds.timeBudgetMillis, message: "too slow" }))
          }
          const lines = ics.split("\n").filter((l) => l.startsWith("BUSY:"))
          if (lines.length > bounds.maxOccurrences) {
            return yield* Effect.fail(new Calendar.CalendarImportLimitError({ limit: "occurrences", max: bounds.maxOccurrences, message: "too many" }))
          }
          return lines.map((l) => {
            const [start, end] = l.slice(5).split("/")
            return new Calendar.BusyPeriod({ start: new Date(start!), end: new Date(end!), summary: "Nachtdienst", allDay: false })
          }).filter((p) => p.start < window.end && p.end > window.start)
        })
    })
    const layer = Sessions.layer.pipe(Layer.provide(importer), Layer.provideMerge(Memory.layer))
    /** A feed of `n` one-minute periods at night (they leave the days free), padded to `bytes`, taking `seconds`. */
    const feed = (n: number, options: { readonly bytes?: number; readonly seconds?: number } = {}) => {
      const lines = Array.from({ length: n }, (_, k) => {
        const day = new Date(Date.UTC(2027, 2, 1 + (k % 60), 2, 0)).toISOString()
        return `BUSY:${day}/${new Date(Date.parse(day) + 60_000).toISOString()}`
      })
      const text = ["BEGIN:VCALENDAR", `X-TAKES:${options.seconds ?? 0}`, ...lines, "END:VCALENDAR"].join("\n")
      return text.padEnd(options.bytes ?? text.length, "x")
    }
    const planWith = (feeds: ReadonlyArray<string>, calendarImport: Partial<Calendar.CalendarImportSettings>) =>
      Effect.gen(function*() {
        const programme = yield* seedProgramme(regions.utrecht, "prg_utrecht")
        const inspector = yield* Inspector.Inspector
        const before = (yield* inspector.events()).length
        calls.length = 0
        const result = yield* Effect.flatMap(Sessions.Sessions, (s) => s.plan({ programmeId: programme.id, from: "2027-03-01", feeds: [...feeds] })).pipe(
          keyPerson,
          Effect.either,
          Effect.provide(Settings.layer({ calendarImport }))
        )
        // planning proposes; it never writes, whatever the outcome
        expect((yield* inspector.events()).length).toBe(before)
        return result
      }).pipe(Effect.provide(layer))
    const limitError = (result: Either.Either<unknown, unknown>) => {
      expect(Either.isLeft(result)).toBe(true)
      const error = (result as Either.Left<unknown, unknown>).left
      expect(error).toBeInstanceOf(Calendar.CalendarImportLimitError)
      // the message names the bound and quotes none of the input
      expect((error as Calendar.CalendarImportLimitError).message.length).toBeLessThan(120)
      expect((error as Calendar.CalendarImportLimitError).message).not.toContain("BUSY")
      return error as Calendar.CalendarImportLimitError
    }

    it.effect("bytes: three feeds each within maxBytes, over maxTotalBytes together, fail before any is read", () =>
      Effect.gen(function*() {
        const feeds = [feed(2, { bytes: 4_000 }), feed(2, { bytes: 4_000 }), feed(2, { bytes: 4_000 })]
        const error = limitError(yield* planWith(feeds, { maxBytes: 5_000, maxTotalBytes: 10_000 }))
        expect(error).toMatchObject({ limit: "bytes", max: 10_000 })
        expect(calls).toEqual([])
        // accented text counts in UTF-8 bytes, not characters
        const accented = [feed(1, { bytes: 3_000 }).replace(/x/g, "é"), feed(1, { bytes: 3_000 }).replace(/x/g, "é")]
        expect(limitError(yield* planWith(accented, { maxBytes: 6_000, maxTotalBytes: 10_000 }))).toMatchObject({ limit: "bytes" })
        // within the total: read and planned
        const within = yield* planWith(feeds, { maxBytes: 5_000, maxTotalBytes: 12_000 })
        expect(Either.isRight(within)).toBe(true)
        expect(calls).toHaveLength(3)
      }))

    it.effect("occurrences: feeds each within maxOccurrences, over maxTotalOccurrences together, fail naming the total", () =>
      Effect.gen(function*() {
        const feeds = [feed(40), feed(40), feed(40)]
        const error = limitError(yield* planWith(feeds, { maxOccurrences: 50, maxTotalOccurrences: 100 }))
        expect(error).toMatchObject({ limit: "occurrences", max: 100 })
        const within = yield* planWith(feeds, { maxOccurrences: 50, maxTotalOccurrences: 120 })
        expect(Either.isRight(within)).toBe(true)
        // one feed past its own bound is still that feed's ValidationError
        const own = yield* planWith([feed(60)], { maxOccurrences: 50, maxTotalOccurrences: 1_000 })
        expect(Either.isLeft(own) && own.left).toMatchObject({ _tag: "ValidationError", field: "feeds[0]", rule: "iCalendar" })
      }))

    it.effect("time: feeds each within timeBudgetMillis, over totalTimeBudgetMillis together, fail naming the total", () =>
      Effect.gen(function*() {
        const feeds = [feed(1, { seconds: 12 }), feed(1, { seconds: 12 }), feed(1, { seconds: 12 })]
        const error = limitError(yield* planWith(feeds, { timeBudgetMillis: 20_000, totalTimeBudgetMillis: 30_000 }))
        expect(error).toMatchObject({ limit: "time", max: 30_000 })
        const within = yield* planWith(feeds, { timeBudgetMillis: 20_000, totalTimeBudgetMillis: 40_000 })
        expect(Either.isRight(within)).toBe(true)
      }))
  })

  it.effect("without a CalendarImporter, feeds are refused by name", () =>
    Effect.gen(function*() {
      const programme = yield* seedProgramme(regions.utrecht, "prg_utrecht")
      const error = yield* Effect.flatMap(Sessions.Sessions, (s) => s.plan({ programmeId: programme.id, from: "2027-03-01", feeds: ["BEGIN:VCALENDAR"] }))
        .pipe(keyPerson, Effect.flip)
      expect(error).toMatchObject({ _tag: "ValidationError", field: "feeds", rule: "calendarImporter" })
    }).pipe(Effect.provide(TestLayer)))

  it.effect("refuses to plan a programme whose plan is not approved", () =>
    Effect.gen(function*() {
      const programme = yield* seedProgramme(regions.utrecht, "prg_utrecht", "CoDesign")
      const error = yield* Effect.flatMap(Sessions.Sessions, (s) => s.plan({ programmeId: programme.id, from: "2027-02-08" })).pipe(
        keyPerson,
        Effect.flip
      )
      expect(error).toMatchObject({ _tag: "RuleViolation", rule: "plan-approved" })
    }).pipe(Effect.provide(TestLayer)))
})
