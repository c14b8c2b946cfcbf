// The planner's soft preference for the region's own events: sessions on the day of a chosen
// regional event, or the day before or after, when that costs no other preference.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import fc from "fast-check"
import { Planner, Sessions } from "@copkit/core"
import { keyPerson, regions, seedProgramme, TestLayer } from "./sessions.fixtures.js"

const sessions = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    key: `s${i + 1}`,
    role: i === 0 ? "KickOff" : i === n - 1 ? "Closing" : "Regular",
    durationMinutes: 180
  }))

const plan = (input: Record<string, unknown>) => {
  const result = Planner.planUnknown({ sessions: sessions(3), from: "2027-01-11", schoolHolidayZone: "Middle", ...input })
  if (Either.isLeft(result)) throw result.left
  return result.right
}

const epochDay = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000)
const dateOf = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10)

describe("Planner: regional events", () => {
  it("moves a session to the day of a regional event when nothing else is lost, and says so", () => {
    const without = plan({})
    expect(without.sessions.map((s) => s.date)).toEqual(["2027-01-12", "2027-02-02", "2027-02-23"])
    expect(without.sessions.every((s) => s.alignedWith === undefined)).toBe(true)

    // Thursday 4 February: a preferred weekday, within the gaps
    const result = plan({ regionalEvents: [{ title: "Regiodag Utrecht", date: "2027-02-04" }] })
    expect(result.status).toBe("Fits")
    expect(result.softBreaks).toBe(0)
    expect(result.sessions[1]).toMatchObject({
      date: "2027-02-04",
      alignedWith: { title: "Regiodag Utrecht", date: "2027-02-04", relation: "sameDay", message: "On the day of Regiodag Utrecht (2027-02-04)." }
    })
    // the earlier dates passed over say why
    const passed = result.rejected.filter((r) => r.key === "s2" && r.date === "2027-02-03")
    expect(passed[0]?.reasons[0]).toMatchObject({ constraint: "regionalEvents", kind: "soft" })
  })

  it("takes the day before or after an event whose own day is not possible", () => {
    // Saturday 6 February is not an allowed weekday; Friday 5 is allowed but not preferred,
    // so the preference for regional events never wins over a preferred weekday
    const weekend = plan({ regionalEvents: [{ title: "Open dag", date: "2027-02-06" }] })
    expect(weekend.sessions[1]?.date).toBe("2027-02-02")
    expect(weekend.softBreaks).toBe(0)
    // with Friday preferred too, the day before the event is taken
    const friday = plan({ preferredWeekdays: [2, 3, 4, 5], regionalEvents: [{ title: "Open dag", date: "2027-02-06" }] })
    expect(friday.sessions[1]).toMatchObject({ date: "2027-02-05", alignedWith: { relation: "dayBefore", title: "Open dag" } })
  })

  it("refuses a bad event naming the field and the rule", () => {
    const result = Planner.planUnknown({ sessions: sessions(2), from: "2027-01-11", regionalEvents: [{ title: "x", date: "2027-13-01" }] })
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result)) expect(result.left.issues[0]?.field).toBe("regionalEvents[0].date")
    const untitled = Planner.planUnknown({ sessions: sessions(2), from: "2027-01-11", regionalEvents: [{ title: "", date: "2027-02-01" }] })
    expect(Either.isLeft(untitled) && untitled.left.issues[0]?.field).toBe("regionalEvents[0].title")
  })

  it("never breaks a rule or costs a preference for an event, and picks an event's day that costs nothing", () => {
    const event = fc.record({ title: fc.constantFrom("Beurs", "Netwerkdag", "Raadsvergadering"), day: fc.integer({ min: 0, max: 120 }) })
    fc.assert(
      fc.property(fc.array(event, { maxLength: 6 }), fc.integer({ min: 2, max: 4 }), (events, n) => {
        const from = epochDay("2027-01-11")
        const regionalEvents = events.map((e) => ({ title: e.title, date: dateOf(from + e.day) }))
        const base = Planner.planUnknown({ sessions: sessions(n), from: "2027-01-11", schoolHolidayZone: "Middle" })
        const withEvents = Planner.planUnknown({ sessions: sessions(n), from: "2027-01-11", schoolHolidayZone: "Middle", regionalEvents })
        if (Either.isLeft(base) || Either.isLeft(withEvents)) throw new Error("valid input refused")
        // the same status and the same number of broken preferences: events only choose between equals
        expect(withEvents.right.status).toBe(base.right.status)
        expect(withEvents.right.softBreaks).toBe(base.right.softBreaks)
        // every date keeps the rules: the gaps of 3 to 8 weeks
        const days = withEvents.right.sessions.map((s) => epochDay(s.date))
        for (let i = 1; i < days.length; i++) {
          expect(days[i]! - days[i - 1]!).toBeGreaterThanOrEqual(21)
          expect(days[i]! - days[i - 1]!).toBeLessThanOrEqual(56)
        }
        // an aligned session is indeed on or next to one of the events
        for (const s of withEvents.right.sessions) {
          if (s.alignedWith === undefined) continue
          const gap = epochDay(s.date) - epochDay(s.alignedWith.date)
          expect(regionalEvents.some((e) => e.date === s.alignedWith!.date && e.title === s.alignedWith!.title)).toBe(true)
          expect(gap).toBe(s.alignedWith.relation === "sameDay" ? 0 : s.alignedWith.relation === "dayBefore" ? -1 : 1)
        }
        // the plan keeps at least as much company with the events as the plan made without them
        // (the event's own day counting twice a day next to it)
        const score = (dates: ReadonlyArray<string>) =>
          dates.reduce((sum, date) => {
            const gaps = regionalEvents.map((e) => Math.abs(epochDay(date) - epochDay(e.date)))
            return sum + (gaps.includes(0) ? 2 : gaps.includes(1) ? 1 : 0)
          }, 0)
        expect(score(withEvents.right.sessions.map((s) => s.date))).toBeGreaterThanOrEqual(score(base.right.sessions.map((s) => s.date)))
      }),
      { numRuns: 150 }
    )
  })
})

describe("Sessions.plan: regional events", () => {
  it.effect("passes the region's chosen events to the planner, and refuses a bad one naming the field", () =>
    Effect.gen(function*() {
      const programme = yield* seedProgramme(regions.utrecht, "prg_utrecht")
      const s = yield* Sessions.Sessions
      const without = yield* s.plan({ programmeId: programme.id, from: "2027-02-15" }).pipe(keyPerson)
      expect(without.sessions.every((x) => x.alignedWith === undefined)).toBe(true)
      // the day after the second proposal made without events
      const second = without.sessions[1]!.date
      const next = new Date(Date.parse(`${second}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
      const regionalEvents = [{ title: "Ondernemersavond Utrecht", date: next }]
      const withEvents = yield* s.plan({ programmeId: programme.id, from: "2027-02-15", regionalEvents }).pipe(keyPerson)
      expect(withEvents.status).toBe(without.status)
      expect(withEvents.softBreaks).toBe(without.softBreaks)
      const aligned = withEvents.sessions.filter((x) => x.alignedWith !== undefined)
      expect(aligned.length).toBeGreaterThan(0)
      expect(aligned[0]!.alignedWith).toMatchObject({ title: "Ondernemersavond Utrecht", date: next })

      const bad = yield* s.plan({ programmeId: programme.id, from: "2027-02-15", regionalEvents: [{ title: "Beurs", date: "2027-02-30" }] })
        .pipe(keyPerson, Effect.flip)
      expect(bad).toMatchObject({ _tag: "ValidationError", field: "regionalEvents[0].date" })
      const untitled = yield* s.plan({ programmeId: programme.id, from: "2027-02-15", regionalEvents: [{ title: "", date: next }] })
        .pipe(keyPerson, Effect.flip)
      expect(untitled).toMatchObject({ _tag: "ValidationError", field: "regionalEvents[0].title" })
    }).pipe(Effect.provide(TestLayer)))
})
