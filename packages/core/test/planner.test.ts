import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { DateTime } from "luxon"
import { Planner } from "@copkit/core"

const sessions = (n: number, duration = 180) =>
  Array.from({ length: n }, (_, i) => ({
    key: `s${i + 1}`,
    role: i === 0 ? "KickOff" : i === n - 1 ? "Closing" : "Regular",
    durationMinutes: duration
  }))

const run = (input: Record<string, unknown>) => {
  const result = Planner.planUnknown({ sessions: sessions(4), from: "2027-01-11", schoolHolidayZone: "Middle", ...input })
  if (Either.isLeft(result)) throw result.left
  return result.right
}

const local = (d: Date) => DateTime.fromJSDate(d, { zone: "Europe/Amsterdam" })

describe("Planner", () => {
  it("places every session on a preferred weekday in the preferred hours, 3 to 8 weeks apart", () => {
    const result = run({})
    expect(result.status).toBe("Fits")
    expect(result.sessions.map((s) => `${s.date} ${s.time}`)).toMatchInlineSnapshot(`
      [
        "2027-01-12 13:00",
        "2027-02-02 13:00",
        "2027-02-23 13:00",
        "2027-03-16 13:00",
      ]
    `)
    for (const s of result.sessions) {
      expect([2, 3, 4]).toContain(s.weekday)
      expect(local(s.start).hour).toBeGreaterThanOrEqual(13)
    }
  })
})
