/**
 * The contract suites of the calendar ports. {@link suite} checks a `CalendarRenderer` against
 * RFC 5545/5546 by reading its text back with a small parser of its own (not the adapter's);
 * {@link publisherSuite} checks a `CalendarPublisher` through {@link CalendarServer}, a raw view
 * of what the calendar server stored.
 *
 * @since 0.1.0
 */
import { it } from "@effect/vitest"
import { Calendar } from "@copkit/core"
import { Context, Effect, Either, Option, Schema } from "effect"
import type { Layer } from "effect"
import { expect } from "vitest"

/** One content line as read back: its name, parameters, raw value and the components it sits in. @category models */
export interface Property {
  readonly name: string
  readonly params: Readonly<Record<string, string>>
  readonly value: string
  /** The enclosing components, outermost first (as `["VCALENDAR", "VEVENT"]`). */
  readonly path: ReadonlyArray<string>
}

/** What {@link read} makes of an iCalendar text. @category models */
export interface Parsed {
  /** The physical lines, as written (without their CRLF). */
  readonly physicalLines: ReadonlyArray<string>
  readonly properties: ReadonlyArray<Property>
}

const splitParams = (s: string): Array<string> => {
  const out: Array<string> = []
  let current = ""
  let quoted = false
  for (const ch of s) {
    if (ch === "\"") quoted = !quoted
    if (ch === ";" && !quoted) {
      out.push(current)
      current = ""
    } else current += ch
  }
  out.push(current)
  return out
}

const colonOutsideQuotes = (s: string): number => {
  let quoted = false
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "\"") quoted = !quoted
    if (s[i] === ":" && !quoted) return i
  }
  return -1
}

const decodeParam = (v: string): string =>
  v.replace(/^"(.*)"$/s, "$1").replace(/\^(\^|'|n)/g, (_, c: string) => (c === "^" ? "^" : c === "'" ? "\"" : "\n"))

/** Reads iCalendar text: unfolds lines (RFC 5545 3.1) and splits each into name, parameters and value. @category parsing */
export const read = (text: string): Parsed => {
  const physicalLines = text.split("\r\n")
  if (physicalLines.at(-1) === "") physicalLines.pop()
  const logical: Array<string> = []
  for (const line of physicalLines) {
    if (line.startsWith(" ") || line.startsWith("\t")) logical[logical.length - 1] += line.slice(1)
    else logical.push(line)
  }
  const path: Array<string> = []
  const properties: Array<Property> = []
  for (const line of logical) {
    const colon = colonOutsideQuotes(line)
    const [name = "", ...params] = splitParams(line.slice(0, colon))
    const value = line.slice(colon + 1)
    const upper = name.toUpperCase()
    if (upper === "END") path.pop()
    properties.push({
      name: upper,
      params: Object.fromEntries(params.map((p) => {
        const eq = p.indexOf("=")
        return [p.slice(0, eq).toUpperCase(), decodeParam(p.slice(eq + 1))]
      })),
      value,
      path: [...path]
    })
    if (upper === "BEGIN") path.push(value.toUpperCase())
  }
  return { physicalLines, properties }
}

/** Undoes TEXT escaping (`\\`, `\;`, `\,`, `\n`). @category parsing */
export const unescapeText = (value: string): string =>
  value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === "n" || c === "N" ? "\n" : c))

/** The properties of a name inside a component (by default the VEVENT). @category parsing */
export const all = (parsed: Parsed, name: string, component = "VEVENT"): ReadonlyArray<Property> =>
  parsed.properties.filter((p) => p.name === name && p.path.at(-1) === component)

/** The one property of a name inside a component; fails the test when there is not exactly one. @category parsing */
export const one = (parsed: Parsed, name: string, component = "VEVENT"): Property => {
  const found = all(parsed, name, component)
  expect(found.map((p) => p.name), `exactly one ${name} in ${component}`).toEqual([name])
  return found[0]!
}

/** The wall-clock time of an instant in a zone, as iCalendar writes a local DATE-TIME (`20270328T100000`). @category parsing */
export const localDateTime = (instant: Date, timeZone: string): string => {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23"
    }).formatToParts(instant).map((p) => [p.type, p.value])
  )
  return `${parts["year"]}${parts["month"]}${parts["day"]}T${parts["hour"]}${parts["minute"]}${parts["second"]}`
}

/** An instant as a UTC DATE-TIME (`20270101T090000Z`). @category parsing */
export const utcDateTime = (instant: Date): string => instant.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "")

/** A session as a calendar event, with everything set; `overrides` replace fields (encoded form). @category fixtures */
export const event = (overrides: Record<string, unknown> = {}): Calendar.CalendarEvent =>
  Schema.decodeUnknownSync(Calendar.CalendarEvent)({
    uid: "ses_contract_1@copkit.test",
    sequence: 0,
    summary: "Leer-werkbijeenkomst: brede mkb",
    description: "Intervisie op een casus.",
    location: "Stadskantoor, Utrecht",
    host: "Gemeente Utrecht",
    // 2027-03-28 is the day summer time starts in Amsterdam: 10:00 local is 08:00 UTC.
    start: "2027-03-28T08:00:00.000Z",
    end: "2027-03-28T10:00:00.000Z",
    timeZone: "Europe/Amsterdam",
    organizer: { name: "Kennisnetwerk", email: "netwerk@copkit.test" },
    status: "CONFIRMED",
    url: "https://copkit.test/sessions/ses_contract_1",
    alarmsMinutesBefore: [1440, 60],
    stamp: "2027-01-15T09:30:00.000Z",
    language: "nl",
    ...overrides
  })

/** An invitee who has not answered yet. @category fixtures */
export const attendee = (overrides: Record<string, unknown> = {}): Calendar.CalendarAttendee =>
  Schema.decodeUnknownSync(Calendar.CalendarAttendee)({
    name: "Jan de Vries",
    email: "jan@copkit.test",
    answer: "NeedsAction",
    ...overrides
  })

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

const octets = (s: string) => new TextEncoder().encode(s).length

/** Checks what holds for every iCalendar text: CRLF, lines of at most 75 octets, one VCALENDAR, UTC DTSTAMPs. @category assertions */
export const expectWellFormed = (text: string): Parsed => {
  expect(text.endsWith("\r\n") || text.endsWith("END:VCALENDAR"), "ends with END:VCALENDAR").toBe(true)
  expect(text.replace(/\r\n/g, "").includes("\n"), "no bare LF").toBe(false)
  expect(text.replace(/\r\n/g, "").includes("\r"), "no bare CR").toBe(false)
  const parsed = read(text)
  for (const line of parsed.physicalLines) {
    expect(octets(line), `line of at most 75 octets: ${line}`).toBeLessThanOrEqual(75)
    expect(loneSurrogate.test(line), `no character split by folding: ${line}`).toBe(false)
  }
  expect(parsed.properties[0]?.name).toBe("BEGIN")
  expect(parsed.properties[0]?.value).toBe("VCALENDAR")
  expect(one(parsed, "VERSION", "VCALENDAR").value).toBe("2.0")
  expect(one(parsed, "PRODID", "VCALENDAR").value.length).toBeGreaterThan(0)
  for (const stamp of all(parsed, "DTSTAMP")) expect(stamp.value).toMatch(/^\d{8}T\d{6}Z$/)
  return parsed
}

const expectZoned = (parsed: Parsed, name: "DTSTART" | "DTEND", instant: Date, timeZone: string) => {
  const p = one(parsed, name)
  expect(p.params["TZID"]).toBe(timeZone)
  expect(p.value).toBe(localDateTime(instant, timeZone))
  const zones = all(parsed, "TZID", "VTIMEZONE").map((z) => z.value)
  expect(zones).toContain(timeZone)
}

/**
 * The contract of a `CalendarRenderer`: RFC 5546 invitations, updates and cancellations, and
 * stable feeds, with correct escaping, folding and wall-clock times across daylight saving.
 *
 * @category suites
 */
export const suite = <E>(name: string, layer: Layer.Layer<Calendar.CalendarRenderer, E>): void =>
  it.layer(layer)(`CalendarRenderer contract: ${name}`, (it) => {
    it.effect("an invitation is a REQUEST with UID, SEQUENCE, UTC DTSTAMP, ORGANIZER and one ATTENDEE", () =>
      Effect.gen(function*() {
        const renderer = yield* Calendar.CalendarRenderer
        const e = event()
        const parsed = expectWellFormed(yield* renderer.invitation(e, attendee({ answer: "Tentative" }), "REQUEST"))
        expect(one(parsed, "METHOD", "VCALENDAR").value).toBe("REQUEST")
        expect(all(parsed, "BEGIN", "VCALENDAR").filter((p) => p.value === "VEVENT")).toHaveLength(1)
        expect(one(parsed, "UID").value).toBe(e.uid)
        expect(one(parsed, "SEQUENCE").value).toBe("0")
        expect(one(parsed, "DTSTAMP").value).toBe(utcDateTime(e.stamp))
        expect(unescapeText(one(parsed, "SUMMARY").value)).toBe(e.summary)
        const organizer = one(parsed, "ORGANIZER")
        expect(organizer.value.toLowerCase()).toBe("mailto:netwerk@copkit.test")
        expect(organizer.params["CN"]).toBe("Kennisnetwerk")
        const invitee = one(parsed, "ATTENDEE")
        expect(invitee.value.toLowerCase()).toBe("mailto:jan@copkit.test")
        expect(invitee.params["RSVP"]).toBe("TRUE")
        expect(invitee.params["PARTSTAT"]).toBe("TENTATIVE")
        expect(invitee.params["CN"]).toBe("Jan de Vries")
        expect(unescapeText(one(parsed, "LOCATION").value)).toBe("Stadskantoor, Utrecht")
        expect(unescapeText(one(parsed, "DESCRIPTION").value)).toContain("Gemeente Utrecht")
        expect(unescapeText(one(parsed, "DESCRIPTION").value)).toContain(e.url)
        expect(one(parsed, "URL").value).toBe(e.url)
        expect(one(parsed, "STATUS").value).toBe("CONFIRMED")
        expect(all(parsed, "TRIGGER", "VALARM").map((p) => p.value).sort()).toEqual(["-P1D", "-PT1H"])
        expectZoned(parsed, "DTSTART", e.start, "Europe/Amsterdam")
        expectZoned(parsed, "DTEND", e.end, "Europe/Amsterdam")
      }))

    it.effect("wall-clock times stay right on the days daylight saving starts and ends", () =>
      Effect.gen(function*() {
        const renderer = yield* Calendar.CalendarRenderer
        const cases = [
          ["2027-03-28T08:00:00.000Z", "20270328T100000"],
          ["2027-03-27T09:00:00.000Z", "20270327T100000"],
          ["2027-10-31T09:00:00.000Z", "20271031T100000"],
          ["2027-10-30T08:00:00.000Z", "20271030T100000"]
        ] as const
        for (const [start, local] of cases) {
          const end = new Date(Date.parse(start) + 2 * 3600_000).toISOString()
          const parsed = expectWellFormed(yield* renderer.invitation(event({ start, end }), attendee(), "REQUEST"))
          expect(one(parsed, "DTSTART").value).toBe(local)
          expect(one(parsed, "DTSTART").params["TZID"]).toBe("Europe/Amsterdam")
        }
      }))

    it.effect("an update keeps the UID and carries the raised SEQUENCE", () =>
      Effect.gen(function*() {
        const renderer = yield* Calendar.CalendarRenderer
        const first = read(yield* renderer.invitation(event(), attendee(), "REQUEST"))
        const moved = event({ sequence: 1, start: "2027-04-04T08:00:00.000Z", end: "2027-04-04T10:00:00.000Z", stamp: "2027-02-01T08:00:00.000Z" })
        const second = expectWellFormed(yield* renderer.invitation(moved, attendee(), "REQUEST"))
        expect(one(second, "UID").value).toBe(one(first, "UID").value)
        expect(one(second, "SEQUENCE").value).toBe("1")
        expect(one(second, "DTSTAMP").value).toBe("20270201T080000Z")
        expect(one(second, "DTSTART").value).toBe("20270404T100000")
      }))

    it.effect("a cancellation is a CANCEL with STATUS:CANCELLED, the same UID and no alarm", () =>
      Effect.gen(function*() {
        const renderer = yield* Calendar.CalendarRenderer
        const e = event({ sequence: 2, status: "CANCELLED" })
        const parsed = expectWellFormed(yield* renderer.invitation(e, attendee(), "CANCEL"))
        expect(one(parsed, "METHOD", "VCALENDAR").value).toBe("CANCEL")
        expect(one(parsed, "UID").value).toBe(e.uid)
        expect(one(parsed, "SEQUENCE").value).toBe("2")
        expect(one(parsed, "STATUS").value).toBe("CANCELLED")
        one(parsed, "ATTENDEE")
        one(parsed, "ORGANIZER")
        expect(all(parsed, "BEGIN").filter((p) => p.value === "VALARM")).toHaveLength(0)
      }))

    it.effect("text is escaped and folded; a line break in a title cannot add a property", () =>
      Effect.gen(function*() {
        const renderer = yield* Calendar.CalendarRenderer
        const long = Array.from({ length: 6 }, () => "arbeidsongeschiktheidsverzekeringsmaatschappij").join(" ")
        const description = `Agenda; punt 1, punt 2\nNieuwe regel ${long} 🎉🚀 ééé\\slot`
        // Built without validation, as a caller that skips decoding would.
        const hostile = new Calendar.CalendarEvent(
          { ...event(), summary: "Kick-off\r\nATTENDEE:mailto:evil@example.com", description },
          true
        )
        const text = yield* renderer.invitation(hostile, attendee({ name: "Anna \"An\" Bakker; Utrecht" }), "REQUEST")
        const parsed = expectWellFormed(text)
        expect(unescapeText(one(parsed, "DESCRIPTION").value)).toContain(description)
        expect(unescapeText(one(parsed, "SUMMARY").value)).toMatch(/^Kick-off\s*ATTENDEE:mailto:evil@example.com$/)
        expect(all(parsed, "ATTENDEE")).toHaveLength(1)
        expect(one(parsed, "ATTENDEE").params["CN"]).toBe("Anna \"An\" Bakker; Utrecht")
        expect(parsed.physicalLines.filter((l) => l.length > 0 && l.startsWith(" ")).length).toBeGreaterThan(0)
      }))

    it.effect("a feed is a PUBLISH, in a fixed order, the same text for the same events", () =>
      Effect.gen(function*() {
        const renderer = yield* Calendar.CalendarRenderer
        const a = event({ uid: "a@copkit.test", start: "2027-05-01T08:00:00.000Z", end: "2027-05-01T10:00:00.000Z" })
        const b = event({ uid: "b@copkit.test", start: "2027-04-01T08:00:00.000Z", end: "2027-04-01T10:00:00.000Z" })
        const c = event({ uid: "c@copkit.test", start: "2027-10-31T09:00:00.000Z", end: "2027-10-31T11:00:00.000Z" })
        const once = yield* renderer.feed("Regio Utrecht", [a, b, c])
        const again = yield* renderer.feed("Regio Utrecht", [c, a, b])
        expect(again).toBe(once)
        const parsed = expectWellFormed(once)
        expect(one(parsed, "METHOD", "VCALENDAR").value).toBe("PUBLISH")
        expect(all(parsed, "UID").map((p) => p.value)).toEqual(["b@copkit.test", "a@copkit.test", "c@copkit.test"])
        expect(all(parsed, "DTSTAMP").map((p) => p.value)).toEqual(Array(3).fill(utcDateTime(a.stamp)))
        expect(all(parsed, "DTSTART").map((p) => p.value)).toEqual(["20270401T100000", "20270501T100000", "20271031T100000"])
        expect(all(parsed, "ATTENDEE")).toHaveLength(0)
        expect(all(parsed, "URL").map((p) => p.value)).toEqual(Array(3).fill(a.url))
        expect(all(parsed, "BEGIN").filter((p) => p.value === "VALARM")).toHaveLength(6)
      }))
  })

/** A raw view of a calendar server, for checking what a publisher stored. @category ports */
export class CalendarServer extends Context.Tag("@copkit/testing/CalendarServer")<CalendarServer, {
  /** The stored text and ETag at a URL, read without the adapter. */
  readonly stored: (url: string) => Effect.Effect<Option.Option<{ readonly ics: string; readonly etag?: string | undefined }>>
  /** Replaces the stored text behind the adapter's back (as another client would). */
  readonly overwrite: (url: string, ics: string) => Effect.Effect<void>
}>() {}

/**
 * The contract of a `CalendarPublisher`, checked through {@link CalendarServer}: create, update
 * with the stored ETag, no overwrite of a copy that changed on the server, delete.
 *
 * @category suites
 */
export const publisherSuite = <E>(
  name: string,
  layer: Layer.Layer<Calendar.CalendarPublisher | CalendarServer, E>
): void =>
  it.layer(layer)(`CalendarPublisher contract: ${name}`, (it) => {
    it.effect("publish creates, updates with the ETag, refuses a stale ETag, and removes", () =>
      Effect.gen(function*() {
        const publisher = yield* Calendar.CalendarPublisher
        const server = yield* CalendarServer
        const uid = `ses_publish_${Date.now()}@copkit.test`
        const created = yield* publisher.publish(event({ uid }))
        expect(created.uid).toBe(uid)
        const first = Option.getOrThrow(yield* server.stored(created.url))
        const parsedFirst = expectWellFormed(first.ics)
        expect(one(parsedFirst, "UID").value).toBe(uid)
        expect(all(parsedFirst, "METHOD", "VCALENDAR")).toHaveLength(0)
        if (created.etag !== undefined && first.etag !== undefined) expect(created.etag).toBe(first.etag)

        const updated = yield* publisher.publish(event({ uid, sequence: 1, summary: "Verplaatst" }), created)
        expect(updated.url).toBe(created.url)
        expect(updated.etag).not.toBe(created.etag)
        const second = read(Option.getOrThrow(yield* server.stored(created.url)).ics)
        expect(one(second, "SEQUENCE").value).toBe("1")
        expect(unescapeText(one(second, "SUMMARY").value)).toBe("Verplaatst")

        // Someone else changes the event; our stored ETag is now stale.
        const theirs = Option.getOrThrow(yield* server.stored(created.url)).ics.replace("SUMMARY:Verplaatst", "SUMMARY:Hunne")
        yield* server.overwrite(created.url, theirs)
        const conflict = yield* Effect.either(publisher.publish(event({ uid, sequence: 2, summary: "Onze" }), updated))
        expect(Either.isLeft(conflict) && conflict.left._tag).toBe("CalendarConflict")
        expect(unescapeText(one(read(Option.getOrThrow(yield* server.stored(created.url)).ics), "SUMMARY").value)).toBe("Hunne")
        const staleRemove = yield* Effect.either(publisher.remove(updated))
        expect(Either.isLeft(staleRemove) && staleRemove.left._tag).toBe("CalendarConflict")
        expect(Option.isSome(yield* server.stored(created.url))).toBe(true)

        const fresh = Option.getOrThrow(yield* server.stored(created.url))
        yield* publisher.remove({ uid, url: created.url, etag: fresh.etag })
        expect(Option.isNone(yield* server.stored(created.url))).toBe(true)
      }))
  })
