/**
 * VTIMEZONE components written by hand: ical-generator does not produce them itself. Only
 * `Europe/Amsterdam` is written out; events in any other zone are rendered in UTC.
 *
 * @since 0.1.0
 */

/**
 * `Europe/Amsterdam` with the EU daylight-saving rules in force since 1996: summer time (CEST,
 * +02:00) from the last Sunday of March at 02:00 local time, standard time (CET, +01:00) from the
 * last Sunday of October at 03:00 local time (both at 01:00 UTC). Times before 1996 are not covered.
 *
 * @category constants
 */
export const europeAmsterdam: string = [
  "BEGIN:VTIMEZONE",
  "TZID:Europe/Amsterdam",
  "X-LIC-LOCATION:Europe/Amsterdam",
  "BEGIN:DAYLIGHT",
  "TZNAME:CEST",
  "TZOFFSETFROM:+0100",
  "TZOFFSETTO:+0200",
  "DTSTART:19960331T020000",
  "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
  "END:DAYLIGHT",
  "BEGIN:STANDARD",
  "TZNAME:CET",
  "TZOFFSETFROM:+0200",
  "TZOFFSETTO:+0100",
  "DTSTART:19961027T030000",
  "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
  "END:STANDARD",
  "END:VTIMEZONE"
].join("\r\n")

const known: ReadonlyMap<string, string> = new Map([["Europe/Amsterdam", europeAmsterdam]])

/** The zones this package writes a VTIMEZONE for (times in other zones are written in UTC). @category constants */
export const supported: ReadonlyArray<string> = [...known.keys()]

/** The VTIMEZONE text of a zone, or `null` when it has none (ical-generator's `timezone.generator`). @category constructors */
export const vtimezone = (tzid: string): string | null => known.get(tzid) ?? null

/** Whether events in this zone are written with `TZID` and a VTIMEZONE. @category predicates */
export const isSupported = (tzid: string): boolean => known.has(tzid)
