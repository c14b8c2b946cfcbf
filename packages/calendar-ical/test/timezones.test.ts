import { describe, expect, it } from "@effect/vitest"
import { CalendarContract } from "@copkit/testing/contracts"
import ICAL from "ical.js"
import nodeIcal from "node-ical"
import { ICalendar, Timezones } from "../src/index.js"

const { attendee, event } = CalendarContract

/** The clock changes of 2027 (UTC), from the zones' published rules, not from the code under test. */
const changes: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
  ["Europe/Amsterdam", ["2027-03-28T01:00:00Z", "2027-10-31T01:00:00Z"]],
  ["America/New_York", ["2027-03-14T07:00:00Z", "2027-11-07T06:00:00Z"]],
  // southern hemisphere: summer time ends in April and starts in October
  ["Australia/Sydney", ["2027-04-03T16:00:00Z", "2027-10-02T16:00:00Z"]],
  // no summer time at all
  ["Asia/Kolkata", ["2027-03-28T01:00:00Z", "2027-10-31T01:00:00Z"]]
]

const minutesAround = [-121, -90, -61, -60, -59, -31, -30, -1, 0, 1, 29, 30, 59, 60, 61, 90, 121]

/** ical.js reads the VTIMEZONE in the text (it has no zone data of its own for these names). */
const icalJsInstants = (text: string) => {
  const vevent = new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent("vevent")!
  const at = (name: string) => (vevent.getFirstPropertyValue(name) as InstanceType<typeof ICAL.Time>).toUnixTime() * 1000
  return [at("dtstart"), at("dtend")]
}

const nodeIcalInstants = (text: string) => {
  const found = Object.values(nodeIcal.sync.parseICS(text)).find((c) => c?.type === "VEVENT") as nodeIcal.VEvent
  return [found.start.getTime(), found.end?.getTime()]
}

describe("VTIMEZONE for any IANA zone", () => {
  for (const [zone, instants] of changes) {
    it(`${zone}: times near each clock change map to the right UTC instants, read by ical.js and node-ical`, () => {
      let zoned = 0
      for (const change of instants) {
        for (const minutes of minutesAround) {
          const start = new Date(Date.parse(change) + minutes * 60_000)
          const end = new Date(start.getTime() + 45 * 60_000)
          const text = ICalendar.renderInvitation(
            event({ timeZone: zone, start: start.toISOString(), end: end.toISOString() }),
            attendee(),
            "REQUEST"
          )
          if (text.includes(`DTSTART;TZID=${zone}:`)) {
            zoned++
            expect(text).toContain(`BEGIN:VTIMEZONE\r\nTZID:${zone}`)
          }
          expect(icalJsInstants(text), `${zone} ${start.toISOString()}`).toEqual([start.getTime(), end.getTime()])
          expect(nodeIcalInstants(text), `${zone} ${start.toISOString()} (node-ical)`).toEqual([start.getTime(), end.getTime()])
        }
      }
      // only events touching the repeated or skipped hour go out in UTC; the rest is written in the zone
      expect(zoned).toBeGreaterThan(instants.length * minutesAround.length * 0.5)
    })
  }

  it("a zone without summer time has one observance; one with summer time has both kinds", () => {
    const kolkata = Timezones.make("Asia/Kolkata", 2026, 2028)
    expect(kolkata.match(/BEGIN:(STANDARD|DAYLIGHT)/g)).toEqual(["BEGIN:STANDARD"])
    expect(kolkata).toContain("TZOFFSETTO:+0530")
    const sydney = Timezones.make("Australia/Sydney", 2027, 2027)
    expect(sydney).toContain("BEGIN:DAYLIGHT")
    expect(sydney).toContain("TZOFFSETTO:+1100")
    expect(sydney).toContain("TZOFFSETTO:+1000")
  })

  it("an unknown zone is refused with a typed error, never written as UTC", () => {
    expect(() => Timezones.make("Mars/Olympus_Mons", 2027, 2027)).toThrow(Timezones.UnknownTimeZoneError)
    expect(Timezones.isKnown("Mars/Olympus_Mons")).toBe(false)
    expect(Timezones.isKnown("Europe/Amsterdam")).toBe(true)
    expect(() => ICalendar.renderInvitation(event({ timeZone: "Mars/Olympus_Mons" }), attendee(), "REQUEST"))
      .toThrow(Timezones.UnknownTimeZoneError)
  })
})
