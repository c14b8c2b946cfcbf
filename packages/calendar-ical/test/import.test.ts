import { describe, expect, it } from "@effect/vitest"
import { Calendar } from "@copkit/core"
import { CalendarContract } from "@copkit/testing/contracts"
import { Cause, Effect, Either, Exit } from "effect"
import fc from "fast-check"
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ICalendar, ICalendarImport, Timezones } from "../src/index.js"

const ics = (...lines: ReadonlyArray<string>) => lines.join("\r\n") + "\r\n"
const calendar = (...body: ReadonlyArray<string>) =>
  ics("BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Regio Utrecht//Agenda//NL", Timezones.europeAmsterdam, ...body, "END:VCALENDAR")

const window = { start: new Date("2027-03-01T00:00:00Z"), end: new Date("2027-05-01T00:00:00Z") }

const iso = (periods: ReadonlyArray<Calendar.BusyPeriod>) =>
  periods.map((p) => [p.start.toISOString(), p.end.toISOString(), p.summary ?? "", p.allDay] as const)

const importOk = (text: string, w = window, options: ICalendarImport.ImportOptions = {}) =>
  ICalendarImport.importBusyPeriods(text, w, options)

const parseError = (text: string) =>
  Effect.gen(function*() {
    const result = yield* Effect.either(ICalendarImport.importBusyPeriods(text, window))
    if (Either.isRight(result)) throw new Error(`expected a CalendarParseError, got ${result.right.length} periods`)
    expect(result.left).toBeInstanceOf(Calendar.CalendarParseError)
    return result.left
  })

describe("importBusyPeriods", () => {
  it.effect("single events in their own zone, in UTC and floating; outside the window left out", () =>
    Effect.gen(function*() {
      const text = calendar(
        "BEGIN:VEVENT", "UID:1", "DTSTAMP:20270101T000000Z", "SUMMARY:Ondernemersontbijt",
        "DTSTART;TZID=Europe/Amsterdam:20270310T080000", "DTEND;TZID=Europe/Amsterdam:20270310T093000", "END:VEVENT",
        "BEGIN:VEVENT", "UID:2", "DTSTAMP:20270101T000000Z", "SUMMARY:Raadsvergadering",
        "DTSTART:20270415T170000Z", "DURATION:PT3H", "END:VEVENT",
        "BEGIN:VEVENT", "UID:3", "DTSTAMP:20270101T000000Z", "SUMMARY:Zwevend",
        "DTSTART:20270420T140000", "DTEND:20270420T150000", "END:VEVENT",
        "BEGIN:VEVENT", "UID:4", "DTSTAMP:20270101T000000Z", "SUMMARY:Te laat",
        "DTSTART:20270601T100000Z", "DTEND:20270601T110000Z", "END:VEVENT",
        "BEGIN:VEVENT", "UID:5", "DTSTAMP:20270101T000000Z", "SUMMARY:Londen zonder VTIMEZONE",
        "DTSTART;TZID=Europe/London:20270402T090000", "DTEND;TZID=Europe/London:20270402T100000", "END:VEVENT"
      )
      const periods = yield* importOk(text, window, { source: "regio-utrecht" })
      expect(iso(periods)).toEqual([
        ["2027-03-10T07:00:00.000Z", "2027-03-10T08:30:00.000Z", "Ondernemersontbijt", false],
        ["2027-04-02T08:00:00.000Z", "2027-04-02T09:00:00.000Z", "Londen zonder VTIMEZONE", false],
        ["2027-04-15T17:00:00.000Z", "2027-04-15T20:00:00.000Z", "Raadsvergadering", false],
        // floating times are read in the planning zone (Amsterdam, summer time)
        ["2027-04-20T12:00:00.000Z", "2027-04-20T13:00:00.000Z", "Zwevend", false]
      ])
      expect(periods.every((p) => p.source === "regio-utrecht")).toBe(true)
    }))

  it.effect("a weekly series keeps its wall-clock time across the change to summer time, with EXDATE and moved occurrences", () =>
    Effect.gen(function*() {
      const text = calendar(
        "BEGIN:VEVENT", "UID:weekly@regio", "DTSTAMP:20270101T000000Z", "SUMMARY:Weekoverleg",
        "DTSTART;TZID=Europe/Amsterdam:20270315T100000", "DTEND;TZID=Europe/Amsterdam:20270315T110000",
        "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=6",
        "EXDATE;TZID=Europe/Amsterdam:20270329T100000",
        "END:VEVENT",
        // the occurrence of 5 April moves to Tuesday afternoon
        "BEGIN:VEVENT", "UID:weekly@regio", "DTSTAMP:20270101T000000Z", "SUMMARY:Weekoverleg (verzet)",
        "RECURRENCE-ID;TZID=Europe/Amsterdam:20270405T100000",
        "DTSTART;TZID=Europe/Amsterdam:20270406T140000", "DTEND;TZID=Europe/Amsterdam:20270406T153000",
        "END:VEVENT",
        // the occurrence of 12 April is cancelled
        "BEGIN:VEVENT", "UID:weekly@regio", "DTSTAMP:20270101T000000Z", "SUMMARY:Weekoverleg",
        "RECURRENCE-ID;TZID=Europe/Amsterdam:20270412T100000", "STATUS:CANCELLED",
        "DTSTART;TZID=Europe/Amsterdam:20270412T100000", "DTEND;TZID=Europe/Amsterdam:20270412T110000",
        "END:VEVENT"
      )
      expect(iso(yield* importOk(text))).toEqual([
        ["2027-03-15T09:00:00.000Z", "2027-03-15T10:00:00.000Z", "Weekoverleg", false],
        ["2027-03-22T09:00:00.000Z", "2027-03-22T10:00:00.000Z", "Weekoverleg", false],
        // 29 March excluded; from here on summer time: 10:00 local is 08:00 UTC
        ["2027-04-06T12:00:00.000Z", "2027-04-06T13:30:00.000Z", "Weekoverleg (verzet)", false],
        ["2027-04-19T08:00:00.000Z", "2027-04-19T09:00:00.000Z", "Weekoverleg", false]
      ])
    }))

  it.effect("an infinite series is expanded only over the window; a moved occurrence counts where it lands", () =>
    Effect.gen(function*() {
      const text = calendar(
        "BEGIN:VEVENT", "UID:daily@regio", "DTSTAMP:20270101T000000Z", "SUMMARY:Dagstart",
        "DTSTART;TZID=Europe/Amsterdam:20200101T090000", "DTEND;TZID=Europe/Amsterdam:20200101T091500",
        "RRULE:FREQ=DAILY", "END:VEVENT",
        // moved from after the window into it
        "BEGIN:VEVENT", "UID:daily@regio", "DTSTAMP:20270101T000000Z", "SUMMARY:Dagstart vervroegd",
        "RECURRENCE-ID;TZID=Europe/Amsterdam:20270601T090000",
        "DTSTART;TZID=Europe/Amsterdam:20270310T160000", "DTEND;TZID=Europe/Amsterdam:20270310T170000", "END:VEVENT",
        // moved from inside the window out of it
        "BEGIN:VEVENT", "UID:daily@regio", "DTSTAMP:20270101T000000Z", "SUMMARY:Dagstart later",
        "RECURRENCE-ID;TZID=Europe/Amsterdam:20270311T090000",
        "DTSTART;TZID=Europe/Amsterdam:20270901T090000", "DTEND;TZID=Europe/Amsterdam:20270901T091500", "END:VEVENT"
      )
      const w = { start: new Date("2027-03-10T00:00:00Z"), end: new Date("2027-03-13T00:00:00Z") }
      expect(iso(yield* importOk(text, w))).toEqual([
        ["2027-03-10T08:00:00.000Z", "2027-03-10T08:15:00.000Z", "Dagstart", false],
        ["2027-03-10T15:00:00.000Z", "2027-03-10T16:00:00.000Z", "Dagstart vervroegd", false],
        ["2027-03-12T08:00:00.000Z", "2027-03-12T08:15:00.000Z", "Dagstart", false]
      ])
    }))

  it.effect("all-day events cover whole days in Amsterdam, also recurring and across the clock change", () =>
    Effect.gen(function*() {
      const text = calendar(
        "BEGIN:VEVENT", "UID:fair", "DTSTAMP:20270101T000000Z", "SUMMARY:Regiobeurs",
        "DTSTART;VALUE=DATE:20270327", "DTEND;VALUE=DATE:20270329", "END:VEVENT",
        "BEGIN:VEVENT", "UID:day", "DTSTAMP:20270101T000000Z", "SUMMARY:Studiedag",
        "DTSTART;VALUE=DATE:20270407", "END:VEVENT",
        "BEGIN:VEVENT", "UID:monthly", "DTSTAMP:20270101T000000Z", "SUMMARY:Marktdag",
        "DTSTART;VALUE=DATE:20270101", "DTEND;VALUE=DATE:20270102", "RRULE:FREQ=MONTHLY;BYMONTHDAY=1",
        "EXDATE;VALUE=DATE:20270401", "END:VEVENT"
      )
      expect(iso(yield* importOk(text))).toEqual([
        ["2027-02-28T23:00:00.000Z", "2027-03-01T23:00:00.000Z", "Marktdag", true],
        // 27 March 00:00 CET to 29 March 00:00 CEST: 47 hours
        ["2027-03-26T23:00:00.000Z", "2027-03-28T22:00:00.000Z", "Regiobeurs", true],
        ["2027-04-06T22:00:00.000Z", "2027-04-07T22:00:00.000Z", "Studiedag", true],
        // 1 May starts at 22:00 UTC on 30 April, before the window's end
        ["2027-04-30T22:00:00.000Z", "2027-05-01T22:00:00.000Z", "Marktdag", true]
      ])
    }))

  it.effect("cancelled events block nothing; LF line endings and folded lines are read", () =>
    Effect.gen(function*() {
      const text = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:x",
        "BEGIN:VEVENT", "UID:a", "DTSTAMP:20270101T000000Z", "SUMMARY:Gaat niet door", "STATUS:CANCELLED",
        "DTSTART:20270310T090000Z", "DTEND:20270310T100000Z", "END:VEVENT",
        "BEGIN:VEVENT", "UID:b", "DTSTAMP:20270101T000000Z", "SUMMARY:Een lange titel die over meer",
        "  dan een regel loopt", "DTSTART:20270311T090000Z", "DTEND:20270311T100000Z", "END:VEVENT",
        "END:VCALENDAR", ""
      ].join("\n")
      expect(iso(yield* importOk(text))).toEqual([
        ["2027-03-11T09:00:00.000Z", "2027-03-11T10:00:00.000Z", "Een lange titel die over meer dan een regel loopt", false]
      ])
    }))

  it.effect("reads back a feed rendered by this package", () =>
    Effect.gen(function*() {
      const events = [
        CalendarContract.event({ uid: "x@copkit.test" }),
        CalendarContract.event({ uid: "y@copkit.test", start: "2027-04-01T12:00:00.000Z", end: "2027-04-01T15:00:00.000Z" })
      ]
      const periods = yield* importOk(ICalendar.renderFeed("Feed", events))
      expect(iso(periods)).toEqual(events.map((e) => [e.start.toISOString(), e.end.toISOString(), e.summary, false]))
    }))

  it.effect("a text that does not parse fails with the line at fault, and nothing is used", () =>
    Effect.gen(function*() {
      const good = ["BEGIN:VEVENT", "UID:1", "DTSTAMP:20270101T000000Z", "DTSTART:20270310T090000Z", "DTEND:20270310T100000Z", "END:VEVENT"]
      const header = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:x"]
      const cases: ReadonlyArray<readonly [ReadonlyArray<string>, number, RegExp]> = [
        [[...header, ...good, "BEGIN:VEVENT", "UID:2", "DIT IS GEEN REGEL", "END:VEVENT", "END:VCALENDAR"], 12, /content line/],
        [[...header, ...good, "BEGIN:VEVENT", "UID:2", "DTSTART:2027-03-10", "END:VEVENT", "END:VCALENDAR"], 12, /DTSTART/],
        [[...header, "BEGIN:VEVENT", "UID:2", "DTSTART:20271310T090000Z", "END:VEVENT", "END:VCALENDAR"], 6, /DTSTART/],
        [[...header, "BEGIN:VEVENT", "UID:2", "DTSTART;TZID=Mars/Olympus:20270310T090000", "END:VEVENT", "END:VCALENDAR"], 6, /Mars\/Olympus/],
        [[...header, "BEGIN:VEVENT", "UID:2", "DTSTART:20270310T090000Z", "RRULE:BYDAY=MO", "END:VEVENT", "END:VCALENDAR"], 7, /FREQ/],
        [[...header, "BEGIN:VEVENT", "UID:2", "DTSTART:20270310T090000Z", "DURATION:1 hour", "END:VEVENT", "END:VCALENDAR"], 7, /DURATION/],
        [[...header, "BEGIN:VEVENT", "UID:2", "END:VEVENT", "END:VCALENDAR"], 4, /without DTSTART/],
        [[...header, ...good, "BEGIN:VEVENT", "DTSTART:20270310T090000Z", "END:VCALENDAR"], 12, /END:VCALENDAR closes BEGIN:VEVENT of line 10/],
        [[...header, ...good], 1, /never closed/],
        [["VERSION:2.0", ...good], 1, /BEGIN:VCALENDAR/],
        [[" continuation", "BEGIN:VCALENDAR"], 1, /continuation/],
        [[], 1, /no calendar/]
      ]
      for (const [lines, line, message] of cases) {
        const error = yield* parseError(lines.join("\r\n"))
        expect(error.line, `${error.message}`).toBe(line)
        expect(error.message).toMatch(message)
        expect(error.message).toContain(`line ${line}`)
      }
    }))

  it.effect("a series that needs too many occurrences to reach the window is refused, naming its line", () =>
    Effect.gen(function*() {
      const text = calendar(
        "BEGIN:VEVENT", "UID:m", "DTSTAMP:20270101T000000Z", "DTSTART:20000101T000000Z", "DURATION:PT1M",
        "RRULE:FREQ=MINUTELY", "END:VEVENT"
      )
      const result = yield* Effect.either(importOk(text, window, { maxOccurrences: 1000 }))
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) {
        expect(result.left.line).toBe(text.split("\r\n").indexOf("BEGIN:VEVENT") + 1)
        expect(result.left.message).toMatch(/more than 1000 occurrences/)
      }
    }))

  it.effect("reads a file; an unreadable file is a CalendarParseError without a line", () =>
    Effect.gen(function*() {
      const dir = yield* Effect.promise(() => mkdtemp(join(tmpdir(), "copkit-ical-")))
      try {
        const path = join(dir, "regio.ics")
        yield* Effect.promise(() => writeFile(path, ICalendar.renderFeed("Regio", [CalendarContract.event()])))
        const periods = yield* ICalendarImport.importBusyPeriodsFromFile(path, window)
        expect(periods).toHaveLength(1)
        expect(periods[0]!.source).toBe(path)
        const missing = yield* Effect.either(ICalendarImport.importBusyPeriodsFromFile(join(dir, "weg.ics"), window))
        expect(Either.isLeft(missing) && missing.left.line).toBe(undefined)
        expect(Either.isLeft(missing) && missing.left.message).toMatch(/could not be read/)
      } finally {
        yield* Effect.promise(() => rm(dir, { recursive: true, force: true }))
      }
    }))

  it.effect("the importer layer provides the core's port", () =>
    Effect.gen(function*() {
      const importer = yield* Calendar.CalendarImporter
      const periods = yield* importer.busyPeriods(ICalendar.renderFeed("Feed", [CalendarContract.event()]), window)
      expect(periods).toHaveLength(1)
    }).pipe(Effect.provide(ICalendarImport.layerImporter)))

  it("damaged text either imports or fails with a CalendarParseError naming a line, never with a defect", async () => {
    const valid = calendar(
      "BEGIN:VEVENT", "UID:w", "DTSTAMP:20270101T000000Z", "SUMMARY:Reeks",
      "DTSTART;TZID=Europe/Amsterdam:20270301T100000", "DTEND;TZID=Europe/Amsterdam:20270301T110000",
      "RRULE:FREQ=WEEKLY;UNTIL=20270601T000000Z", "EXDATE;TZID=Europe/Amsterdam:20270308T100000", "END:VEVENT",
      "BEGIN:VEVENT", "UID:w", "DTSTAMP:20270101T000000Z", "RECURRENCE-ID;TZID=Europe/Amsterdam:20270315T100000",
      "DTSTART;VALUE=DATE:20270316", "END:VEVENT"
    ).split("\r\n")
    const edit = fc.oneof(
      fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
      fc.record({ kind: fc.constant("duplicate" as const), at: fc.nat() }),
      fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), offset: fc.nat(), text: fc.constantFrom(":", ";", "=", "\"", ",", "Z", "T", "9", "-", " ", "\\", "X") })
    )
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 4 }), async (edits) => {
        const lines = [...valid]
        for (const e of edits) {
          const at = e.at % lines.length
          if (e.kind === "delete") lines.splice(at, 1)
          else if (e.kind === "duplicate") lines.splice(at, 0, lines[at]!)
          else {
            const line = lines[at]!
            const offset = e.offset % (line.length + 1)
            lines[at] = line.slice(0, offset) + e.text + line.slice(offset)
          }
        }
        const exit = await Effect.runPromiseExit(ICalendarImport.importBusyPeriods(lines.join("\r\n"), window))
        if (Exit.isSuccess(exit)) return true
        const failure = Cause.failureOption(exit.cause)
        return failure._tag === "Some" && failure.value._tag === "CalendarParseError" && failure.value.line !== undefined && !Cause.isDie(exit.cause)
      }),
      { numRuns: Number(process.env["FUZZ_RUNS"] ?? 400) }
    )
  })
})
