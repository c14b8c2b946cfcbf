import { describe, expect, it } from "@effect/vitest"
import { Calendar, Settings } from "@copkit/core"
import { Effect, Either } from "effect"
import { ICalendarImport, Timezones } from "../src/index.js"

const ics = (...lines: ReadonlyArray<string>) => lines.join("\r\n") + "\r\n"
const calendar = (...body: ReadonlyArray<string>) =>
  ics("BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Regio Utrecht//Agenda//NL", Timezones.europeAmsterdam, ...body, "END:VCALENDAR")

const window = { start: new Date("2027-03-01T00:00:00Z"), end: new Date("2027-05-01T00:00:00Z") }

/** `n` one-hour events on consecutive hours from 1 March 2027, each with a weekly series of `weeks`. */
const large = (n: number, weeks = 1) =>
  calendar(
    ...Array.from({ length: n }, (_, i) => {
      const start = new Date(window.start.getTime() + (i % 1400) * 3_600_000)
      const stamp = start.toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "")
      return [
        "BEGIN:VEVENT", `UID:e${i}@regio`, "DTSTAMP:20270101T000000Z", `SUMMARY:Afspraak ${i} met een wat langere omschrijving`,
        `DTSTART:${stamp}`, "DURATION:PT1H", ...(weeks > 1 ? [`RRULE:FREQ=WEEKLY;COUNT=${weeks}`] : []), "END:VEVENT"
      ].join("\r\n")
    })
  )

const limitError = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.gen(function*() {
    const result = yield* Effect.either(effect)
    if (Either.isRight(result)) throw new Error("expected the import to fail")
    expect(result.left).toBeInstanceOf(Calendar.CalendarImportLimitError)
    return result.left as Calendar.CalendarImportLimitError
  })

describe("importBusyPeriods: bounds", () => {
  it.live("a large import lets an interval timer keep ticking (no gap of 100 ms or more)", () =>
    Effect.gen(function*() {
      const text = large(25_000)
      expect(text.length).toBeGreaterThan(3_500_000)
      // each tick: wall-clock time and this process's CPU time (user + system), in ms
      const cpu = () => {
        const u = process.cpuUsage()
        return (u.user + u.system) / 1000
      }
      const ticks: Array<readonly [number, number]> = []
      const timer = setInterval(() => ticks.push([performance.now(), cpu()]), 5)
      const started = [performance.now(), cpu()] as const
      const periods = yield* ICalendarImport.importBusyPeriods(text, window).pipe(
        Effect.ensuring(Effect.sync(() => clearInterval(timer)))
      )
      const ended = [performance.now(), cpu()] as const
      expect(periods.length).toBe(25_000)
      expect(ticks.length).toBeGreaterThan(2)
      const moments = [started, ...ticks, ended]
      const gaps = moments.slice(1).map(([wall, used], i) => ({ wall: wall - moments[i]![0], cpu: used - moments[i]![1] }))
      // The timer ticks within 100 ms throughout. On a loaded machine the process may be
      // descheduled for longer; such a gap is the machine's, not the import's, when the process
      // itself used less than 100 ms of CPU in it.
      const held = gaps.filter((g) => g.wall >= 100 && g.cpu >= 100)
      expect(held).toEqual([])
    }))

  it.live("a text larger than maxBytes (a setting) is refused at once, naming the bound", () =>
    Effect.gen(function*() {
      const text = large(50)
      const error = yield* limitError(
        ICalendarImport.importBusyPeriods(text, window).pipe(Effect.provide(Settings.layer({ calendarImport: { maxBytes: 4_000 } })))
      )
      expect(error).toMatchObject({ limit: "bytes", max: 4_000 })
      // multi-byte characters count as the bytes they take
      const accented = calendar("BEGIN:VEVENT", "UID:x", "DTSTART:20270310T080000Z", `SUMMARY:${"é".repeat(3_000)}`, "END:VEVENT")
      expect(accented.length).toBeLessThan(4_000)
      expect((yield* limitError(ICalendarImport.importBusyPeriods(accented, window, { maxBytes: 4_000 }))).limit).toBe("bytes")
      expect(yield* ICalendarImport.importBusyPeriods(text, window)).toHaveLength(50)
    }))

  it.live("occurrences are bounded for the whole text, not per series", () =>
    Effect.gen(function*() {
      // 300 series of 10 weeks each: 3,000 occurrences, none of them too many on its own
      const text = large(300, 10)
      const error = yield* limitError(ICalendarImport.importBusyPeriods(text, window, { maxOccurrences: 2_000 }))
      expect(error.limit).toBe("occurrences")
      expect(error.line).toBeGreaterThan(1)
      const settings = Settings.layer({ calendarImport: { maxOccurrences: 2_000 } })
      expect((yield* limitError(ICalendarImport.importBusyPeriods(text, window).pipe(Effect.provide(settings)))).max).toBe(2_000)
      expect((yield* ICalendarImport.importBusyPeriods(text, window, { maxOccurrences: 3_000 })).length).toBeGreaterThan(0)
    }))

  it.live("an import past its time budget fails with a typed error", () =>
    Effect.gen(function*() {
      const error = yield* limitError(ICalendarImport.importBusyPeriods(large(20_000), window, { timeBudgetMillis: 50 }))
      expect(error).toMatchObject({ limit: "time", max: 50 })
    }))

  it.live("error messages quote at most a short prefix of the offending input", () =>
    Effect.gen(function*() {
      const huge = "X".repeat(1_000_000)
      const cases = [
        calendar(`NOT A CONTENT LINE ${huge}`),
        calendar("BEGIN:VEVENT", "UID:x", `DTSTART:2027${huge}`, "END:VEVENT"),
        calendar("BEGIN:VEVENT", "UID:x", "DTSTART:20270310T080000Z", `RRULE:FREQ=WEEKLY;BYDAY=${huge}`, "END:VEVENT"),
        calendar("BEGIN:VEVENT", "UID:x", "DTSTART:20270310T080000Z", `DURATION:P${huge}`, "END:VEVENT"),
        calendar(`BEGIN:${huge}`),
        calendar("BEGIN:VEVENT", "UID:x", `DTSTART;TZID=${huge}:20270310T080000`, "END:VEVENT")
      ]
      for (const text of cases) {
        const result = yield* Effect.either(ICalendarImport.importBusyPeriods(text, window))
        expect(Either.isLeft(result)).toBe(true)
        if (Either.isLeft(result)) {
          expect(result.left._tag).toBe("CalendarParseError")
          expect(result.left.message.length).toBeLessThan(300)
          expect(result.left.message).toContain("XXXX")
        }
      }
    }))
})
