/**
 * iCalendar (RFC 5545/5546) rendering: invitations (`REQUEST`), cancellations (`CANCEL`), feeds
 * (`PUBLISH`) and the plain resources a CalDAV server stores. Built on ical-generator; what it
 * leaves undone (VTIMEZONE, escaping of the calendar name and UID, quoted parameters) is written
 * here by hand.
 *
 * Output is a pure function of its input: DTSTAMP is the event's `stamp`, never "now", and
 * feeds are ordered by start and UID, so an unchanged feed is byte for byte the same.
 *
 * @since 0.1.0
 */
import { Calendar } from "@copkit/core"
import { Effect, Layer } from "effect"
import ical, { ICalAlarmType, ICalCalendarMethod, ICalEventStatus } from "ical-generator"
import type { ICalEventData } from "ical-generator"
import { DateTime } from "luxon"
import { cleanLine, cleanText, cleanUri, escapeText, foldLine, quotedParam } from "./internal/text.js"
import * as Timezones from "./Timezones.js"

/** The media type of iCalendar text, for the `Content-Type` of a served feed. @category constants */
export const contentType = "text/calendar; charset=utf-8"

/** The PRODID of every file this package writes. @category constants */
export const prodId = "-//copkit//calendar-ical//EN"

const partstat: Record<Calendar.CalendarAttendee["answer"], string> = {
  NeedsAction: "NEEDS-ACTION",
  Accepted: "ACCEPTED",
  Declined: "DECLINED",
  Tentative: "TENTATIVE"
}

const labels = {
  nl: { host: "Gastorganisatie", link: "Meer informatie", join: "Online deelnemen" },
  en: { host: "Host", link: "More information", join: "Join online" }
} as const

const statusOf = {
  CONFIRMED: ICalEventStatus.CONFIRMED,
  TENTATIVE: ICalEventStatus.TENTATIVE,
  CANCELLED: ICalEventStatus.CANCELLED
} as const

const placeholder = "X-COPKIT-PARTIES"

interface Entry {
  readonly event: Calendar.CalendarEvent
  readonly attendee?: Calendar.CalendarAttendee | undefined
  readonly cancelled: boolean
}

const organizerLine = (event: Calendar.CalendarEvent): string =>
  `ORGANIZER;CN=${quotedParam(event.organizer.name)}:mailto:${cleanLine(event.organizer.email)}`

const attendeeLine = (attendee: Calendar.CalendarAttendee): string =>
  `ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=${partstat[attendee.answer]};RSVP=TRUE;CN=${
    quotedParam(attendee.name)
  }:mailto:${cleanLine(attendee.email)}`

/** The join link of an invitation (never of a feed or a stored resource, which more people see). */
const conferenceOf = (entry: Entry): string | undefined =>
  entry.attendee === undefined || entry.cancelled || entry.event.conference === undefined
    ? undefined
    : cleanUri(entry.event.conference)

/** RFC 7986: the join link, with a label in the event's language. */
const conferenceLine = (event: Calendar.CalendarEvent, uri: string): string =>
  `CONFERENCE;VALUE=URI;FEATURE=AUDIO,VIDEO;LABEL=${quotedParam(labels[event.language].join)}:${uri}`

const description = (
  event: Calendar.CalendarEvent,
  url: string | undefined,
  conference: string | undefined
): string | undefined => {
  const label = labels[event.language]
  const parts = [
    conference === undefined ? undefined : `${label.join}: ${conference}`,
    event.description === undefined ? undefined : cleanText(event.description).trim(),
    event.host === undefined ? undefined : `${label.host}: ${cleanLine(event.host)}`,
    url === undefined ? undefined : `${label.link}: ${url}`
  ].filter((p): p is string => p !== undefined && p.length > 0)
  return parts.length > 0 ? parts.join("\n\n") : undefined
}

const wallClock = (ms: number, zone: string): string => DateTime.fromMillis(ms, { zone }).toFormat("yyyyLLdd'T'HHmmss")

/**
 * Whether the local time of an instant occurs once. RFC 5545 reads a local time that occurs twice
 * (the hour repeated when summer time ends) as its first pass, but clients differ (ical.js takes
 * the second): such times are written in UTC.
 */
const isWallClockExact = (instant: Date, zone: string): boolean => {
  const local = wallClock(instant.getTime(), zone)
  return [30, 60, 120].every((minutes) =>
    wallClock(instant.getTime() - minutes * 60_000, zone) !== local &&
    wallClock(instant.getTime() + minutes * 60_000, zone) !== local
  )
}

const eventData = (entry: Entry, index: number): ICalEventData => {
  const { event } = entry
  // Luxon DateTimes in the event's zone: a native Date would be written in the server's zone.
  // A local time that occurs twice (the hour repeated in October) is written in UTC.
  if (!Timezones.isKnown(event.timeZone)) {
    throw new Timezones.UnknownTimeZoneError({
      timeZone: event.timeZone.slice(0, 64),
      message: `unknown time zone "${event.timeZone.slice(0, 64)}"`
    })
  }
  const zone = Timezones.isSupported(event.timeZone) &&
      isWallClockExact(event.start, event.timeZone) && isWallClockExact(event.end, event.timeZone)
    ? event.timeZone
    : "UTC"
  const at = (d: Date) => DateTime.fromJSDate(d, { zone })
  const url = event.url === undefined ? undefined : cleanUri(event.url)
  const text = description(event, url, conferenceOf(entry))
  const alarms = entry.cancelled ? [] : [...new Set(event.alarmsMinutesBefore)].sort((a, b) => b - a)
  return {
    id: escapeText(cleanLine(event.uid)),
    sequence: event.sequence,
    // Always UTC; the calendar itself has no zone, so ical-generator keeps the `Z`.
    stamp: DateTime.fromJSDate(event.stamp, { zone: "UTC" }),
    start: at(event.start),
    end: at(event.end),
    timezone: zone === "UTC" ? null : zone,
    summary: cleanLine(event.summary),
    ...(text === undefined ? {} : { description: text }),
    ...(event.location === undefined ? {} : { location: cleanLine(event.location) }),
    ...(url === undefined ? {} : { url }),
    status: entry.cancelled ? ICalEventStatus.CANCELLED : statusOf[event.status],
    alarms: alarms.map((minutes) => ({
      type: ICalAlarmType.display,
      trigger: minutes * 60,
      description: cleanLine(event.summary)
    })),
    x: [[placeholder, String(index)]]
  }
}

/**
 * ical-generator's text of one event, before its ORGANIZER and ATTENDEE lines are put in: the
 * same for every attendee of an invitation, so it is kept (keyed by the method and the event's
 * every field; output is a pure function of them). A session's invitations to twenty people build
 * it once.
 */
const generated = new Map<string, string>()
const generatedLimit = 256

const generate = (
  method: ICalCalendarMethod | null,
  name: string | undefined,
  entries: ReadonlyArray<Entry>
): string => {
  const years = entries.flatMap(({ event }) => [event.start.getUTCFullYear(), event.end.getUTCFullYear()])
  const fromYear = years.length === 0 ? 2020 : Math.min(...years)
  const toYear = years.length === 0 ? 2020 : Math.max(...years)
  const calendar = ical({
    prodId: { company: "copkit", product: "calendar-ical", language: "EN" },
    method,
    ...(name === undefined ? {} : { name: escapeText(cleanLine(name)) }),
    // No calendar-wide zone name (that would strip the `Z` from DTSTAMP); the generator writes
    // the VTIMEZONE of every zone the events use.
    // Each zone's VTIMEZONE covers the years of the events, a year either side.
    timezone: { name: null, generator: (tzid: string) => Timezones.make(tzid, fromYear - 1, toYear + 1) },
    events: entries.map(eventData)
  })
  return calendar.toString()
}

/** One event's generated text, kept; a feed (several events) is generated each time. */
const generateOne = (method: ICalCalendarMethod | null, entry: Entry): string => {
  // an invitation (with an attendee) carries the join link; a stored resource does not
  const key = `${method}\u0000${entry.cancelled}\u0000${entry.attendee !== undefined}\u0000${JSON.stringify(entry.event)}`
  const kept = generated.get(key)
  if (kept !== undefined) return kept
  const text = generate(method, undefined, [entry])
  if (generated.size >= generatedLimit) generated.delete(generated.keys().next().value!)
  generated.set(key, text)
  return text
}

const render = (
  method: ICalCalendarMethod | null,
  name: string | undefined,
  entries: ReadonlyArray<Entry>
): string => {
  const text = name === undefined && entries.length === 1 ? generateOne(method, entries[0]!) : generate(method, name, entries)
  // ical-generator writes `\"` inside quoted CN parameters; ORGANIZER and ATTENDEE are written here.
  // Only a line that starts with the placeholder is ours: escaped text never starts a line.
  return text.replace(new RegExp(`(?<=\\r\\n)${placeholder}:(\\d+)\\r\\n`, "g"), (_, i: string) => {
    const entry = entries[Number(i)]!
    const conference = conferenceOf(entry)
    const lines = [
      organizerLine(entry.event),
      ...(entry.attendee === undefined ? [] : [attendeeLine(entry.attendee)]),
      ...(conference === undefined ? [] : [conferenceLine(entry.event, conference)])
    ]
    return lines.map((line) => `${foldLine(line)}\r\n`).join("")
  })
}

/**
 * An invitation or update (`REQUEST`) or a cancellation (`CANCEL`, with `STATUS:CANCELLED` and
 * no alarm) for one attendee, as RFC 5546 asks: UID, SEQUENCE, UTC DTSTAMP, ORGANIZER and one
 * ATTENDEE with `RSVP=TRUE` and `PARTSTAT`.
 *
 * @category rendering
 */
export const renderInvitation = (
  event: Calendar.CalendarEvent,
  attendee: Calendar.CalendarAttendee,
  method: "REQUEST" | "CANCEL"
): string =>
  render(
    method === "REQUEST" ? ICalCalendarMethod.REQUEST : ICalCalendarMethod.CANCEL,
    undefined,
    [{ event, attendee, cancelled: method === "CANCEL" }]
  )

/** The events of a feed: cancelled ones left out, one per UID (the highest SEQUENCE), by start then UID. @category rendering */
export const feedEvents = (events: Iterable<Calendar.CalendarEvent>): ReadonlyArray<Calendar.CalendarEvent> => {
  const byUid = new Map<string, Calendar.CalendarEvent>()
  for (const event of events) {
    if (event.status === "CANCELLED") continue
    const seen = byUid.get(event.uid)
    if (
      seen === undefined || event.sequence > seen.sequence ||
      (event.sequence === seen.sequence && event.stamp.getTime() > seen.stamp.getTime())
    ) byUid.set(event.uid, event)
  }
  return [...byUid.values()].sort((a, b) =>
    a.start.getTime() - b.start.getTime() || (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0)
  )
}

/**
 * A subscribable feed (`METHOD:PUBLISH`, `X-WR-CALNAME` = `name`): one per programme or per
 * person. Cancelled events are left out (a subscriber's client then removes them). The same
 * events give the same text.
 *
 * @category rendering
 */
export const renderFeed = (name: string, events: Iterable<Calendar.CalendarEvent>): string =>
  render(ICalCalendarMethod.PUBLISH, name, feedEvents(events).map((event) => ({ event, cancelled: false })))

/**
 * The event as a calendar server stores it (RFC 4791: no METHOD, no ATTENDEE): what a CalDAV
 * publisher PUTs.
 *
 * @category rendering
 */
export const renderResource = (event: Calendar.CalendarEvent): string =>
  render(null, undefined, [{ event, cancelled: event.status === "CANCELLED" }])

/** An event together with the addresses of the people invited to it (a session's invitations fit). @category models */
export interface InvitedEvent {
  readonly event: Calendar.CalendarEvent
  readonly invitees: ReadonlyArray<{ readonly email: string }>
}

/** The events one person is invited to (addresses compared without case), for that person's feed. @category rendering */
export const eventsInvitedTo = (
  email: string,
  entries: Iterable<InvitedEvent>
): ReadonlyArray<Calendar.CalendarEvent> => {
  const wanted = email.trim().toLowerCase()
  const out: Array<Calendar.CalendarEvent> = []
  for (const entry of entries) {
    if (entry.invitees.some((i) => i.email.trim().toLowerCase() === wanted)) out.push(entry.event)
  }
  return out
}

/**
 * The renderer as the core's port.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Calendar } from "@copkit/core"
 * import { ICalendar } from "@copkit/calendar-ical"
 *
 * const feed = Effect.gen(function*() {
 *   const renderer = yield* Calendar.CalendarRenderer
 *   return yield* renderer.feed("Kennisnetwerk Twente", [])
 * }).pipe(Effect.provide(ICalendar.layer))
 * ```
 *
 * @category layers
 */
export const layer: Layer.Layer<Calendar.CalendarRenderer> = Layer.succeed(Calendar.CalendarRenderer, {
  invitation: (event, attendee, method) => Effect.sync(() => renderInvitation(event, attendee, method)),
  feed: (name, events) => Effect.sync(() => renderFeed(name, events))
})
