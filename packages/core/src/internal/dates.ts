/**
 * Calendar-day arithmetic used by the follow-up rules and the report. Not API.
 *
 * @internal
 */
import { DateTime } from "luxon"
import type { LocalDate } from "../Common.js"

/** The calendar day of an instant in a zone, as `YYYY-MM-DD`. */
export const localDate = (at: Date, timeZone: string): LocalDate =>
  (DateTime.fromMillis(at.getTime(), { zone: timeZone }).toISODate() ?? at.toISOString().slice(0, 10)) as LocalDate

/** Days from `from` to `to` (both `YYYY-MM-DD`): positive when `to` is later. */
export const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)

/** An instant plus whole calendar months in a zone. */
export const plusMonths = (at: Date, months: number, timeZone: string): Date =>
  DateTime.fromMillis(at.getTime(), { zone: timeZone }).plus({ months }).toJSDate()
