import { describe, expect, it } from "@effect/vitest"
import { CalendarContract } from "@copkit/testing/contracts"
import ICAL from "ical.js"
import nodeIcal from "node-ical"
import { ICalendar } from "../src/index.js"

// The join link of an online or hybrid session (RFC 7986 CONFERENCE): in the invitee's own
// invitation, never in a feed or in the copy a calendar server keeps.

const { attendee, event } = CalendarContract
const link = "https://meet.example.nl/kennisnetwerk/aftrap?pwd=a,b;c"

const vevent = (text: string) => {
  const calendar = new ICAL.Component(ICAL.parse(text))
  return calendar.getAllSubcomponents("vevent")[0]!
}

describe("the join link in iCalendar", () => {
  it("an invitation carries CONFERENCE (VALUE=URI, a label in the invitee's language) and the link in its description", () => {
    for (const language of ["nl", "en"] as const) {
      const text = ICalendar.renderInvitation(event({ conference: link, language }), attendee(), "REQUEST")
      const v = vevent(text)
      const conference = v.getFirstProperty("conference")!
      expect(conference).toBeDefined()
      // commas and semicolons in the URI are escaped as %2C and %3B: the value stays one URI
      const uri = conference.getFirstValue() as string
      expect(decodeURIComponent(uri)).toBe(link)
      expect(conference.type).toBe("uri")
      expect(text).toMatch(/\r\nCONFERENCE;VALUE=URI;FEATURE=AUDIO,VIDEO;LABEL=/)
      expect(conference.getParameter("label")).toBe(language === "nl" ? "Online deelnemen" : "Join online")
      expect(conference.getParameter("feature")).toEqual(expect.stringContaining("VIDEO"))
      expect(v.getFirstPropertyValue("description")).toContain(`${language === "nl" ? "Online deelnemen" : "Join online"}: ${uri}`)
      // an independent second parser reads the file too
      const parsed = Object.values(nodeIcal.sync.parseICS(text)).find((c) => c?.type === "VEVENT") as { description?: unknown }
      expect(String(parsed.description)).toContain(uri)
    }
  })

  it("a cancellation, a feed and a calendar server's copy carry no link", () => {
    const e = event({ conference: link })
    const cancelled = ICalendar.renderInvitation(e, attendee(), "CANCEL")
    const feed = ICalendar.renderFeed("Programma Utrecht", [e])
    const resource = ICalendar.renderResource(e)
    for (const text of [cancelled, feed, resource]) {
      expect(text).not.toContain("CONFERENCE")
      expect(text).not.toContain("meet.example.nl")
    }
  })
})
