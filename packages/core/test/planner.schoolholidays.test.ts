import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { Planner, SchoolHolidays } from "@copkit/core"

const sessions = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    key: `s${i + 1}`,
    role: i === 0 ? "KickOff" : i === n - 1 ? "Closing" : "Regular",
    durationMinutes: 180
  }))

const run = (input: Record<string, unknown>, settings?: Partial<Planner.PlannerSettings>) => {
  const result = Planner.planUnknown(
    { sessions: sessions(3), schoolHolidayZone: "Middle", ...input },
    { ...Planner.defaultPlannerSettings, ...settings }
  )
  if (Either.isLeft(result)) throw result.left
  return result.right
}

const pastTheData = "School holidays are known for"

describe("Planner: school-holiday data", () => {
  it("says in the result when the dates planned lie past the shipped data (which end in 2028)", () => {
    expect(SchoolHolidays.shipped.coverage.until < "2029-01-01").toBe(true)
    const inside = run({ from: "2027-01-11" })
    expect(inside.warnings.filter((w) => w.includes(pastTheData))).toEqual([])
    const past = run({ from: "2029-01-08" })
    const warning = past.warnings.find((w) => w.includes(pastTheData))
    expect(warning).toContain(SchoolHolidays.shipped.coverage.until)
    // the plan is still made
    expect(past.sessions).toHaveLength(3)
  })

  it("takes the user's own data as a setting: their holidays are avoided and their coverage counts", () => {
    const plain = run({ from: "2029-01-08" })
    const first = plain.sessions[0]!.date
    const data: SchoolHolidays.SchoolHolidayData = {
      holidays: [
        ...SchoolHolidays.shipped.holidays,
        { schoolYear: "2028-2029", name: "Kerstvakantie", zone: "Middle", from: first, until: first }
      ],
      coverage: { from: SchoolHolidays.shipped.coverage.from, until: "2029-08-31" },
      source: "own"
    }
    const own = run({ from: "2029-01-08" }, { schoolHolidays: data })
    expect(own.warnings.filter((w) => w.includes(pastTheData))).toEqual([])
    expect(own.sessions[0]!.date).not.toBe(first)
    expect(own.rejected.some((r) => r.date === first && r.reasons.some((x) => x.constraint === "schoolHoliday" && x.message.includes("2028-2029"))))
      .toBe(true)
  })
})
