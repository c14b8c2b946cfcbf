/**
 * School holidays of the Netherlands per zone (regio noord, midden, zuid), shipped as data because
 * the planner runs without internet.
 *
 * Source: Rijksoverheid, "Schoolvakanties" (https://www.rijksoverheid.nl/onderwerpen/schoolvakanties),
 * published as open data per school year. The periods below were written from that publication as
 * accurately as known when this file was made; some later years were announced only as advice
 * ("adviesdata") and may still change. **They must be checked against the source before use**, and
 * each new school year added here with its `schoolYear`. Dates are inclusive, first and last day
 * of the holiday (Saturday to Sunday).
 *
 * @since 0.1.0
 */
import type { SchoolHolidayZone } from "./Region.js"

/** One school holiday of one zone. Both dates inclusive, as `YYYY-MM-DD`. @category models */
export interface SchoolHoliday {
  readonly schoolYear: string
  readonly name: string
  readonly zone: SchoolHolidayZone
  readonly from: string
  readonly until: string
}

/** Where the data come from. @category constants */
export const source = {
  name: "Rijksoverheid — Schoolvakanties",
  url: "https://www.rijksoverheid.nl/onderwerpen/schoolvakanties",
  note: "Written from the published periods as accurately as known; check against the source before use."
} as const

/** The school years this file covers. @category constants */
export const schoolYears: ReadonlyArray<string> = ["2025-2026", "2026-2027", "2027-2028"]

const all = (schoolYear: string, name: string, from: string, until: string): ReadonlyArray<SchoolHoliday> =>
  (["North", "Middle", "South"] as const).map((zone) => ({ schoolYear, name, zone, from, until }))

const one = (schoolYear: string, name: string, zone: SchoolHolidayZone, from: string, until: string): SchoolHoliday => ({
  schoolYear,
  name,
  zone,
  from,
  until
})

/** Every school holiday in this file, by school year. @category constants */
export const holidays: ReadonlyArray<SchoolHoliday> = [
  // 2025-2026
  one("2025-2026", "Herfstvakantie", "North", "2025-10-18", "2025-10-26"),
  one("2025-2026", "Herfstvakantie", "Middle", "2025-10-18", "2025-10-26"),
  one("2025-2026", "Herfstvakantie", "South", "2025-10-11", "2025-10-19"),
  ...all("2025-2026", "Kerstvakantie", "2025-12-20", "2026-01-04"),
  one("2025-2026", "Voorjaarsvakantie", "North", "2026-02-14", "2026-02-22"),
  one("2025-2026", "Voorjaarsvakantie", "Middle", "2026-02-14", "2026-02-22"),
  one("2025-2026", "Voorjaarsvakantie", "South", "2026-02-14", "2026-02-22"),
  ...all("2025-2026", "Meivakantie", "2026-04-25", "2026-05-03"),
  one("2025-2026", "Zomervakantie", "North", "2026-07-04", "2026-08-16"),
  one("2025-2026", "Zomervakantie", "Middle", "2026-07-18", "2026-08-30"),
  one("2025-2026", "Zomervakantie", "South", "2026-07-11", "2026-08-23"),
  // 2026-2027
  one("2026-2027", "Herfstvakantie", "North", "2026-10-17", "2026-10-25"),
  one("2026-2027", "Herfstvakantie", "Middle", "2026-10-17", "2026-10-25"),
  one("2026-2027", "Herfstvakantie", "South", "2026-10-10", "2026-10-18"),
  ...all("2026-2027", "Kerstvakantie", "2026-12-19", "2027-01-03"),
  one("2026-2027", "Voorjaarsvakantie", "North", "2027-02-20", "2027-02-28"),
  one("2026-2027", "Voorjaarsvakantie", "Middle", "2027-02-13", "2027-02-21"),
  one("2026-2027", "Voorjaarsvakantie", "South", "2027-02-06", "2027-02-14"),
  ...all("2026-2027", "Meivakantie", "2027-04-24", "2027-05-02"),
  one("2026-2027", "Zomervakantie", "North", "2027-07-10", "2027-08-22"),
  one("2026-2027", "Zomervakantie", "Middle", "2027-07-17", "2027-08-29"),
  one("2026-2027", "Zomervakantie", "South", "2027-07-24", "2027-09-05"),
  // 2027-2028
  one("2027-2028", "Herfstvakantie", "North", "2027-10-16", "2027-10-24"),
  one("2027-2028", "Herfstvakantie", "Middle", "2027-10-23", "2027-10-31"),
  one("2027-2028", "Herfstvakantie", "South", "2027-10-16", "2027-10-24"),
  ...all("2027-2028", "Kerstvakantie", "2027-12-25", "2028-01-09"),
  one("2027-2028", "Voorjaarsvakantie", "North", "2028-02-19", "2028-02-27"),
  one("2027-2028", "Voorjaarsvakantie", "Middle", "2028-02-26", "2028-03-05"),
  one("2027-2028", "Voorjaarsvakantie", "South", "2028-02-26", "2028-03-05"),
  ...all("2027-2028", "Meivakantie", "2028-04-22", "2028-04-30"),
  one("2027-2028", "Zomervakantie", "North", "2028-07-15", "2028-08-27"),
  one("2027-2028", "Zomervakantie", "Middle", "2028-07-22", "2028-09-03"),
  one("2027-2028", "Zomervakantie", "South", "2028-07-08", "2028-08-20")
].flat()

/** The first and last day the data cover. @category constants */
export const coverage = { from: "2025-08-01", until: "2028-09-03" } as const

/** The school holidays of a zone, in date order. @category accessors */
export const forZone = (zone: SchoolHolidayZone): ReadonlyArray<SchoolHoliday> =>
  holidays.filter((h) => h.zone === zone).sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))

/** The school holiday of the zone on a date (`YYYY-MM-DD`), if any. @category accessors */
export const on = (zone: SchoolHolidayZone, date: string): SchoolHoliday | undefined =>
  holidays.find((h) => h.zone === zone && h.from <= date && date <= h.until)

/** Whether the data cover a date; outside it the planner warns that school holidays are unknown. @category accessors */
export const covers = (date: string): boolean => coverage.from <= date && date <= coverage.until

/**
 * A set of school-holiday data: the holidays and the days they cover. Pass your own as
 * `PlannerSettings.schoolHolidays` (for later school years, or another country). @category models
 */
export interface SchoolHolidayData {
  readonly holidays: ReadonlyArray<SchoolHoliday>
  /** The first and last day (`YYYY-MM-DD`, inclusive) the holidays are known for. */
  readonly coverage: { readonly from: string; readonly until: string }
  /** Where the data come from (shown in nothing but your own records). */
  readonly source?: string | undefined
}

/** The data shipped with copkit (school years 2025-2026 to 2027-2028). @category constants */
export const shipped: SchoolHolidayData = { holidays, coverage, source: source.url }

/** The school holiday of the zone on a date in the given data, if any. @category accessors */
export const onIn = (data: SchoolHolidayData, zone: SchoolHolidayZone, date: string): SchoolHoliday | undefined =>
  data.holidays.find((h) => h.zone === zone && h.from <= date && date <= h.until)

/** Whether the given data cover a date. @category accessors */
export const coversIn = (data: SchoolHolidayData, date: string): boolean =>
  data.coverage.from <= date && date <= data.coverage.until
