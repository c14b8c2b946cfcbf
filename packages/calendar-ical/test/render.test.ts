import { describe, expect, it } from "@effect/vitest"
import { Calendar, Common } from "@copkit/core"
import { CalendarContract } from "@copkit/testing/contracts"
import { Schema } from "effect"
import fc from "fast-check"
import ICAL from "ical.js"
import nodeIcal from "node-ical"
import { foldLines } from "ical-generator"
import { ICalendar, Timezones } from "../src/index.js"
import { foldLine } from "../src/internal/text.js"

const { attendee, event } = CalendarContract

type Component = InstanceType<typeof ICAL.Component>

/** Parses with ical.js (independent of ical-generator) and returns the VCALENDAR and its one VEVENT. */
const parse = (text: string): { readonly calendar: Component; readonly vevent: Component } => {
  const calendar = new ICAL.Component(ICAL.parse(text))
  const events = calendar.getAllSubcomponents("vevent")
  expect(events).toHaveLength(1)
  return { calendar, vevent: events[0]! }
}

const instantOf = (vevent: Component, name: string): number => {
  const t = vevent.getFirstPropertyValue(name)
  if (!(t instanceof ICAL.Time)) throw new Error(`${name} is not a time`)
  return t.toUnixTime() * 1000
}

const physicalLines = (text: string) => text.split("\r\n").filter((l) => l.length > 0)
const octets = (s: string) => Buffer.byteLength(s, "utf8")
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

describe("renderInvitation, read back with ical.js", () => {
  it("a REQUEST carries every field RFC 5546 asks for", () => {
    const e = event({ sequence: 3 })
    const { calendar, vevent } = parse(ICalendar.renderInvitation(e, attendee(), "REQUEST"))
    expect(calendar.getFirstPropertyValue("method")).toBe("REQUEST")
    expect(calendar.getFirstPropertyValue("prodid")).toBe(ICalendar.prodId)
    expect(vevent.getFirstPropertyValue("uid")).toBe(e.uid)
    expect(vevent.getFirstPropertyValue("sequence")).toBe(3)
    const stamp = vevent.getFirstPropertyValue("dtstamp") as InstanceType<typeof ICAL.Time>
    expect(stamp.zone?.tzid).toBe("UTC")
    expect(instantOf(vevent, "dtstamp")).toBe(e.stamp.getTime())
    expect(vevent.getFirstPropertyValue("summary")).toBe(e.summary)
    expect(vevent.getFirstPropertyValue("location")).toBe(e.location)
    expect(vevent.getFirstPropertyValue("url")).toBe(e.url)
    expect(vevent.getFirstPropertyValue("status")).toBe("CONFIRMED")
    const description = vevent.getFirstPropertyValue("description") as string
    expect(description).toContain("Intervisie op een casus.")
    expect(description).toContain("Gastorganisatie: Gemeente Utrecht")
    expect(description).toContain(`Meer informatie: ${e.url}`)
    const organizer = vevent.getFirstProperty("organizer")!
    expect(organizer.getFirstValue()).toBe("mailto:netwerk@copkit.test")
    expect(organizer.getParameter("cn")).toBe("Kennisnetwerk")
    const attendees = vevent.getAllProperties("attendee")
    expect(attendees).toHaveLength(1)
    expect(attendees[0]!.getFirstValue()).toBe("mailto:jan@copkit.test")
    expect(attendees[0]!.getParameter("rsvp")).toBe("TRUE")
    expect(attendees[0]!.getParameter("partstat")).toBe("NEEDS-ACTION")
    expect(vevent.getFirstProperty("dtstart")!.getParameter("tzid")).toBe("Europe/Amsterdam")
    expect(calendar.getAllSubcomponents("vtimezone").map((z) => z.getFirstPropertyValue("tzid"))).toEqual(["Europe/Amsterdam"])
    expect(instantOf(vevent, "dtstart")).toBe(e.start.getTime())
    expect(instantOf(vevent, "dtend")).toBe(e.end.getTime())
    const triggers = vevent.getAllSubcomponents("valarm").map((a) => {
      expect(a.getFirstPropertyValue("action")).toBe("DISPLAY")
      return (a.getFirstPropertyValue("trigger") as InstanceType<typeof ICAL.Duration>).toSeconds()
    })
    expect(triggers).toEqual([-86400, -3600])
  })

  it("every answer becomes its PARTSTAT", () => {
    const expected = { NeedsAction: "NEEDS-ACTION", Accepted: "ACCEPTED", Declined: "DECLINED", Tentative: "TENTATIVE" }
    for (const [answer, partstat] of Object.entries(expected)) {
      const { vevent } = parse(ICalendar.renderInvitation(event(), attendee({ answer }), "REQUEST"))
      expect(vevent.getFirstProperty("attendee")!.getParameter("partstat")).toBe(partstat)
    }
  })

  it("English events label host and link in English", () => {
    const { vevent } = parse(ICalendar.renderInvitation(event({ language: "en" }), attendee(), "REQUEST"))
    expect(vevent.getFirstPropertyValue("description")).toContain("Host: Gemeente Utrecht")
    expect(vevent.getFirstPropertyValue("description")).toContain("More information: https://")
  })

  it("a CANCEL keeps the UID, says CANCELLED and sets no alarm", () => {
    const e = event({ sequence: 4 })
    const { calendar, vevent } = parse(ICalendar.renderInvitation(e, attendee({ answer: "Accepted" }), "CANCEL"))
    expect(calendar.getFirstPropertyValue("method")).toBe("CANCEL")
    expect(vevent.getFirstPropertyValue("uid")).toBe(e.uid)
    expect(vevent.getFirstPropertyValue("sequence")).toBe(4)
    expect(vevent.getFirstPropertyValue("status")).toBe("CANCELLED")
    expect(vevent.getAllSubcomponents("valarm")).toHaveLength(0)
    expect(vevent.getAllProperties("attendee")).toHaveLength(1)
  })

  it("wall-clock times are right around both daylight-saving changes of 2027", () => {
    const cases: ReadonlyArray<readonly [string, string, string, string]> = [
      // [start UTC, end UTC, local start, local end]
      ["2027-03-28T08:00:00.000Z", "2027-03-28T10:00:00.000Z", "2027-03-28T10:00:00", "2027-03-28T12:00:00"],
      // spans the hour lost in March: 01:30 CET to 04:30 CEST is two hours
      ["2027-03-28T00:30:00.000Z", "2027-03-28T02:30:00.000Z", "2027-03-28T01:30:00", "2027-03-28T04:30:00"],
      ["2027-10-31T09:00:00.000Z", "2027-10-31T11:00:00.000Z", "2027-10-31T10:00:00", "2027-10-31T12:00:00"],
      // spans the hour won in October: 01:00 CEST to 03:00 CET is three hours
      ["2027-10-30T23:00:00.000Z", "2027-10-31T02:00:00.000Z", "2027-10-31T01:00:00", "2027-10-31T03:00:00"]
    ]
    for (const [start, end, localStart, localEnd] of cases) {
      const { vevent } = parse(ICalendar.renderInvitation(event({ start, end }), attendee(), "REQUEST"))
      const dtstart = vevent.getFirstPropertyValue("dtstart") as InstanceType<typeof ICAL.Time>
      const dtend = vevent.getFirstPropertyValue("dtend") as InstanceType<typeof ICAL.Time>
      expect(dtstart.toString()).toBe(localStart)
      expect(dtend.toString()).toBe(localEnd)
      // ical.js converts with the VTIMEZONE written by hand: the instants must survive.
      expect(instantOf(vevent, "dtstart")).toBe(Date.parse(start))
      expect(instantOf(vevent, "dtend")).toBe(Date.parse(end))
    }
  })

  it("output does not depend on the server's time zone (Luxon DateTimes, never native Dates)", () => {
    const previous = process.env["TZ"]
    try {
      process.env["TZ"] = "UTC"
      const utc = ICalendar.renderInvitation(event(), attendee(), "REQUEST")
      process.env["TZ"] = "America/New_York"
      expect(new Date(Date.UTC(2027, 0, 1)).getHours()).not.toBe(0) // the zone change took effect
      const newYork = ICalendar.renderInvitation(event(), attendee(), "REQUEST")
      process.env["TZ"] = "Asia/Kolkata"
      const kolkata = ICalendar.renderInvitation(event(), attendee(), "REQUEST")
      expect(newYork).toBe(utc)
      expect(kolkata).toBe(utc)
      expect(utc).toContain("DTSTART;TZID=Europe/Amsterdam:20270328T100000")
    } finally {
      if (previous === undefined) delete process.env["TZ"]
      else process.env["TZ"] = previous
    }
  })

  it("DTSTAMP keeps its Z although the event has a zone", () => {
    const text = ICalendar.renderInvitation(event(), attendee(), "REQUEST")
    expect(text).toContain("\r\nDTSTAMP:20270115T093000Z\r\n")
    expect(text).not.toMatch(/\r\nDTSTAMP:\d{8}T\d{6}\r\n/)
    expect(text).not.toContain("X-WR-TIMEZONE")
  })

  it("an event in the hour repeated when summer time ends is written in UTC, which is unambiguous", () => {
    // 02:30 local happens twice on 31 October 2027; the second pass is 01:30 UTC.
    for (const [start, end] of [
      ["2027-10-31T01:30:00.000Z", "2027-10-31T03:00:00.000Z"],
      ["2027-10-30T22:00:00.000Z", "2027-10-31T01:15:00.000Z"]
    ] as const) {
      const text = ICalendar.renderInvitation(event({ start, end }), attendee(), "REQUEST")
      expect(text).toContain(`DTSTART:${CalendarContract.utcDateTime(new Date(start))}`)
      const { vevent } = parse(text)
      expect(instantOf(vevent, "dtstart")).toBe(Date.parse(start))
      expect(instantOf(vevent, "dtend")).toBe(Date.parse(end))
    }
    // The first pass too: RFC 5545 says it is meant, ical.js reads the second.
    const first = ICalendar.renderInvitation(event({ start: "2027-10-31T00:30:00.000Z", end: "2027-10-31T02:00:00.000Z" }), attendee(), "REQUEST")
    expect(first).toContain("DTSTART:20271031T003000Z")
    expect(first).toContain("DTEND:20271031T020000Z")
    expect(instantOf(parse(first).vevent, "dtstart")).toBe(Date.parse("2027-10-31T00:30:00.000Z"))
    // An hour later or earlier, the zone is back.
    const after = ICalendar.renderInvitation(event({ start: "2027-10-31T02:00:00.000Z", end: "2027-10-31T03:00:00.000Z" }), attendee(), "REQUEST")
    expect(after).toContain("DTSTART;TZID=Europe/Amsterdam:20271031T030000")
  })

  it("an event in another zone is written in that zone, with a VTIMEZONE generated for it, at the same instant", () => {
    const e = event({ timeZone: "America/New_York" })
    const text = ICalendar.renderInvitation(e, attendee(), "REQUEST")
    expect(text).toContain("DTSTART;TZID=America/New_York:20270328T040000")
    expect(text).toContain("TZID:America/New_York")
    const { vevent } = parse(text)
    expect(instantOf(vevent, "dtstart")).toBe(e.start.getTime())
  })

  it("text with commas, semicolons, newlines, long Dutch words and emoji survives escaping and folding", () => {
    const long = Array.from({ length: 3 }, () => "arbeidsongeschiktheidsverzekeringsmaatschappij").join("")
    const summary = `Werksessie, deel 1; ${long} 😀👩‍👩‍👧‍👦🇳🇱 ééé`
    const description = `Agenda:\n- punt 1, punt 2; punt 3\n- ${long}🎉${long}\n\\ backslash`
    const location = "Zaal 3; 2e verdieping, Stadhuis 🏛️"
    const organizer = { name: "Platform31 \"kennisnetwerk\" ^ ; : ,", email: "netwerk@copkit.test" }
    const e = event({ summary, description, location, organizer, host: undefined, url: undefined })
    const text = ICalendar.renderInvitation(e, attendee({ name: "Émile \"Mil\" ŋ 👍 de Bruijn, Jr." }), "REQUEST")
    for (const line of physicalLines(text)) {
      expect(octets(line)).toBeLessThanOrEqual(75)
      expect(loneSurrogate.test(line)).toBe(false)
    }
    expect(physicalLines(text).some((l) => l.startsWith(" "))).toBe(true)
    const { vevent } = parse(text)
    expect(vevent.getFirstPropertyValue("summary")).toBe(summary)
    expect(vevent.getFirstPropertyValue("description")).toBe(description)
    expect(vevent.getFirstPropertyValue("location")).toBe(location)
    expect(vevent.getFirstProperty("organizer")!.getParameter("cn")).toBe(organizer.name)
    expect(vevent.getFirstProperty("attendee")!.getParameter("cn")).toBe("Émile \"Mil\" ŋ 👍 de Bruijn, Jr.")
  })

  it("a title or description with line breaks cannot inject a property", () => {
    const hostile = new Calendar.CalendarEvent({
      ...event(),
      uid: "ses_1@copkit.test\r\nX-UID-INJECTED:1",
      summary: "Kick-off\r\nATTENDEE;RSVP=TRUE:mailto:evil@example.com\nX-INJECTED:1",
      description: "regel\r\nATTENDEE:mailto:evil@example.com\rX-INJECTED:2",
      location: "zaal\nX-INJECTED:3",
      url: "https://copkit.test/a\r\nX-INJECTED:4"
    }, true)
    const text = ICalendar.renderInvitation(hostile, attendee(), "REQUEST")
    const { calendar, vevent } = parse(text)
    const names = [calendar, vevent].flatMap((c) => c.getAllProperties().map((p) => p.name))
    expect(names.filter((n) => n.startsWith("x-"))).toEqual([])
    expect(vevent.getAllProperties("attendee")).toHaveLength(1)
    expect(vevent.getFirstPropertyValue("summary")).toBe("Kick-off ATTENDEE;RSVP=TRUE:mailto:evil@example.com X-INJECTED:1")
    expect(vevent.getFirstPropertyValue("description")).toContain("regel\nATTENDEE:mailto:evil@example.com\nX-INJECTED:2")
    expect(vevent.getFirstPropertyValue("uid")).toBe("ses_1@copkit.test X-UID-INJECTED:1")
    expect(vevent.getFirstPropertyValue("url")).toBe("https://copkit.test/aX-INJECTED:4")
    expect(text.split("\r\n").filter((l) => /^(X-INJECTED|X-UID-INJECTED|ATTENDEE:)/.test(l))).toEqual([])
  })
})

describe("escaping and folding, property tests", () => {
  const line = fc.string({ unit: "grapheme", minLength: 1, maxLength: 120 }).filter((s) =>
    Schema.is(Common.Line)(s)
  )
  const text = fc.array(
    fc.oneof(fc.string({ unit: "grapheme", maxLength: 60 }), fc.constantFrom("\n", ",", ";", "\\", ":", "\"", "😀", "ß")),
    { maxLength: 12 }
  ).map((parts) => parts.join(""))

  it("SUMMARY, DESCRIPTION and CN round-trip through ical.js, every line at most 75 octets", () => {
    fc.assert(
      fc.property(line, text, line, (summary, description, name) => {
        const e = event({ summary, description, host: undefined, url: undefined })
        const out = ICalendar.renderInvitation(e, attendee({ name }), "REQUEST")
        for (const l of physicalLines(out)) {
          if (octets(l) > 75 || loneSurrogate.test(l)) return false
        }
        const { vevent } = parse(out)
        const expectedDescription = description.replace(/\r\n?/g, "\n")
          // eslint-disable-next-line no-control-regex
          .replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, "").trim()
        expect(vevent.getFirstPropertyValue("summary")).toBe(summary)
        expect(vevent.getFirstPropertyValue("description") ?? "").toBe(expectedDescription)
        expect(vevent.getFirstProperty("attendee")!.getParameter("cn")).toBe(name)
        return true
      }),
      { numRuns: 300 }
    )
  })

  it("text that looks like the internal ORGANIZER/ATTENDEE placeholder stays text wherever a fold falls", () => {
    fc.assert(
      fc.property(fc.nat({ max: 90 }), fc.nat({ max: 5 }), (before, index) => {
        const description = `${"a".repeat(before)}X-COPKIT-PARTIES:${index}`
        const out = ICalendar.renderInvitation(event({ description, host: undefined, url: undefined }), attendee(), "REQUEST")
        const { vevent } = parse(out)
        expect(vevent.getFirstPropertyValue("description")).toBe(description)
        expect(vevent.getAllProperties("attendee")).toHaveLength(1)
        expect(vevent.getAllProperties("organizer")).toHaveLength(1)
        return true
      })
    )
  })

  it("every instant 1996-2037 survives the hand-written Europe/Amsterdam VTIMEZONE as ical.js reads it", () => {
    // Every instant, the repeated hour in October included (written in UTC there).
    const lastSunday = (year: number, month: number) => {
      const last = new Date(Date.UTC(year, month + 1, 0))
      return Date.UTC(year, month, last.getUTCDate() - last.getUTCDay(), 1) // 01:00 UTC, when the clocks change
    }
    const instant = fc.oneof(
      fc.integer({ min: Date.UTC(1996, 3, 1) / 60_000, max: Date.UTC(2037, 11, 1) / 60_000 }).map((m) => new Date(m * 60_000)),
      // within three hours of a change
      fc.tuple(fc.integer({ min: 1997, max: 2037 }), fc.constantFrom(2, 9), fc.integer({ min: -180, max: 180 }))
        .map(([year, month, minutes]) => new Date(lastSunday(year, month) + minutes * 60_000))
    )
    fc.assert(
      fc.property(instant, (start) => {
        const end = new Date(start.getTime() + 90 * 60_000)
        const { vevent } = parse(ICalendar.renderInvitation(event({ start: start.toISOString(), end: end.toISOString() }), attendee(), "REQUEST"))
        return instantOf(vevent, "dtstart") === start.getTime() && instantOf(vevent, "dtend") === end.getTime()
      }),
      { numRuns: Number(process.env["FUZZ_RUNS"] ?? 500) }
    )
    expect(Timezones.supported).toEqual(["Europe/Amsterdam"])
  })
})

describe("renderFeed", () => {
  const a = event({ uid: "a@copkit.test", start: "2027-05-01T08:00:00.000Z", end: "2027-05-01T10:00:00.000Z" })
  const b = event({ uid: "b@copkit.test", start: "2027-04-01T08:00:00.000Z", end: "2027-04-01T10:00:00.000Z" })
  const bUpdated = event({ uid: "b@copkit.test", sequence: 1, summary: "Verplaatst", start: "2027-04-08T08:00:00.000Z", end: "2027-04-08T10:00:00.000Z" })
  const cancelled = event({ uid: "c@copkit.test", status: "CANCELLED", start: "2027-06-01T08:00:00.000Z", end: "2027-06-01T10:00:00.000Z" })

  it("is a PUBLISH feed with its name, no attendees, alarms and links, ordered by start", () => {
    const text = ICalendar.renderFeed("Programma Regio Utrecht", [a, b, cancelled])
    const calendar = new ICAL.Component(ICAL.parse(text))
    expect(calendar.getFirstPropertyValue("method")).toBe("PUBLISH")
    expect(calendar.getFirstPropertyValue("x-wr-calname")).toBe("Programma Regio Utrecht")
    const events = calendar.getAllSubcomponents("vevent")
    expect(events.map((e) => e.getFirstPropertyValue("uid"))).toEqual(["b@copkit.test", "a@copkit.test"])
    for (const e of events) {
      expect(e.getAllProperties("attendee")).toHaveLength(0)
      expect(e.getFirstProperty("organizer")!.getFirstValue()).toBe("mailto:netwerk@copkit.test")
      expect(e.getAllSubcomponents("valarm")).toHaveLength(2)
      expect(e.getFirstPropertyValue("url")).toBe(a.url)
    }
    expect(ICalendar.contentType).toBe("text/calendar; charset=utf-8")
  })

  it("is the same text for the same events in any order, at any time", () => {
    const first = ICalendar.renderFeed("Feed", [a, b, cancelled])
    const second = ICalendar.renderFeed("Feed", [cancelled, b, a])
    expect(second).toBe(first)
    fc.assert(fc.property(fc.shuffledSubarray([a, b, bUpdated, cancelled], { minLength: 4, maxLength: 4 }), (events) =>
      ICalendar.renderFeed("Feed", events) === ICalendar.renderFeed("Feed", [a, b, bUpdated, cancelled])
    ))
  })

  it("keeps the highest SEQUENCE of a UID", () => {
    const calendar = new ICAL.Component(ICAL.parse(ICalendar.renderFeed("Feed", [bUpdated, a, b])))
    const events = calendar.getAllSubcomponents("vevent")
    expect(events.map((e) => [e.getFirstPropertyValue("uid"), e.getFirstPropertyValue("sequence")])).toEqual([
      ["b@copkit.test", 1],
      ["a@copkit.test", 0]
    ])
    expect(events[0]!.getFirstPropertyValue("summary")).toBe("Verplaatst")
  })

  it("a feed name with a line break cannot inject a property", () => {
    const text = ICalendar.renderFeed("Feed\r\nX-INJECTED:1;a,b", [a])
    const calendar = new ICAL.Component(ICAL.parse(text))
    // ical.js leaves X- properties unescaped: undo the TEXT escaping here.
    expect(CalendarContract.unescapeText(String(calendar.getFirstPropertyValue("x-wr-calname")))).toBe("Feed X-INJECTED:1;a,b")
    expect(calendar.getAllProperties("x-injected")).toHaveLength(0)
  })

  it("is read the same by node-ical, a second parser", () => {
    const parsed = nodeIcal.sync.parseICS(ICalendar.renderFeed("Feed", [a, b]))
    const events = Object.values(parsed).filter((c) => c?.type === "VEVENT") as Array<nodeIcal.VEvent>
    expect(events.map((e) => [e.uid, e.start.toISOString()]).sort()).toEqual([
      ["a@copkit.test", a.start.toISOString()],
      ["b@copkit.test", b.start.toISOString()]
    ])
  })

  it("a person's feed holds only the sessions they are invited to", () => {
    const entries = [
      { event: a, invitees: [{ email: "Jan@Copkit.test" }, { email: "els@copkit.test" }] },
      { event: b, invitees: [{ email: "els@copkit.test" }] }
    ]
    expect(ICalendar.eventsInvitedTo("jan@copkit.test", entries)).toEqual([a])
    expect(ICalendar.eventsInvitedTo("els@copkit.test", entries)).toEqual([a, b])
    expect(ICalendar.eventsInvitedTo("piet@copkit.test", entries)).toEqual([])
    const feed = new ICAL.Component(ICAL.parse(ICalendar.renderFeed("Jan", ICalendar.eventsInvitedTo("jan@copkit.test", entries))))
    expect(feed.getAllSubcomponents("vevent").map((e) => e.getFirstPropertyValue("uid"))).toEqual(["a@copkit.test"])
  })

  it("a CalDAV resource has no METHOD and no ATTENDEE", () => {
    const text = ICalendar.renderResource(a)
    const calendar = new ICAL.Component(ICAL.parse(text))
    expect(calendar.getFirstPropertyValue("method")).toBeNull()
    expect(calendar.getFirstSubcomponent("vevent")!.getAllProperties("attendee")).toHaveLength(0)
  })
})

describe("rendering kept per event", () => {
  it("an invitation's text is the same event's text with each attendee's own ATTENDEE line, and any change of the event shows", () => {
    const e = event({ sequence: 2 })
    const jan = ICalendar.renderInvitation(e, attendee(), "REQUEST")
    const ilse = ICalendar.renderInvitation(e, attendee({ name: "Ilse Mulder", email: "ilse@bakkerijmulder.nl" }), "REQUEST")
    expect(ICalendar.renderInvitation(e, attendee(), "REQUEST")).toBe(jan)
    const withoutAttendee = (text: string) => text.replace(/\r\nATTENDEE[^]*?\r\n(?! )/, "\r\n")
    expect(withoutAttendee(ilse)).toBe(withoutAttendee(jan))
    expect(ilse).toContain("mailto:ilse@bakkerijmulder.nl")
    expect(ilse).not.toContain("mailto:jan@copkit.test")
    // a field changed (the same UID): never the kept text
    const moved = event({ sequence: 2, summary: "Verplaatst" })
    expect(ICalendar.renderInvitation(moved, attendee(), "REQUEST")).toContain("SUMMARY:Verplaatst")
    const cancelled = ICalendar.renderInvitation(e, attendee(), "CANCEL")
    expect(cancelled).toContain("METHOD:CANCEL")
    expect(cancelled).toContain("STATUS:CANCELLED")
    expect(ICalendar.renderResource(e)).not.toContain("METHOD:")
  })

  it("ORGANIZER and ATTENDEE lines are folded exactly as ical-generator folds", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 400 }), fc.string({ unit: "grapheme", maxLength: 200 }), fc.string({ unit: "binary", maxLength: 200 })),
        (s) => {
          expect(foldLine(s)).toBe(foldLines(s))
        }
      ),
      { numRuns: 500 }
    )
  })
})
