import { describe, expect, it } from "@effect/vitest"
import {
  Actor,
  CalendarSync,
  Command,
  Dispatcher,
  Ids,
  Notification,
  Outbox,
  Repository,
  Session,
  SessionNotifications,
  Settings
} from "@copkit/core"
import { ICalendar } from "@copkit/calendar-ical"
import { Fixtures, Memory } from "@copkit/testing"
import { Effect, Layer, Option, Redacted } from "effect"
import { CalDav } from "../src/index.js"
import { freePort, radicale, unavailable } from "./radicale.js"

// The dispatcher's calendar channel against Radicale: sessions put to, updated in and removed from
// the programmes' calendars, the ETag kept per session, and a person's edit on the server left alone.

if (unavailable !== undefined) {
  console.warn(`@copkit/calendar-caldav: the calendar channel tests are skipped: ${unavailable}`)
}

const programmeA = "prg_utrecht" as Ids.ProgrammeId
const programmeB = "prg_twente" as Ids.ProgrammeId
const HOUR = 3_600_000
const inDays = (days: number, hour = 10) => {
  const d = new Date(Date.now() + days * 24 * HOUR)
  d.setUTCHours(hour - 1, 0, 0, 0)
  return d
}

const draft = (id: string, programmeIds: Session.Session["programmeIds"] = [programmeA]) =>
  new Session.Session({
    id: id as Ids.SessionId,
    programmeIds,
    regionIds: ["utrecht" as Ids.RegionId],
    title: "Leerwerksessie: vakmensen vinden en houden",
    workForms: [],
    agenda: [],
    state: "Draft",
    sequence: 0,
    invitations: [],
    attendance: [],
    remindersSent: [],
    createdAt: new Date(),
    updatedAt: new Date()
  })

/** Saves a session change with its events, as a service does. */
const commit = (value: Session.Session, version: number, events: Command.Transitioned<Session.Session>["events"]) =>
  Effect.flatMap(Repository.SessionRepository, (sessions) =>
    Command.commit([Command.change(sessions, value, version, events)])).pipe(Actor.as(Fixtures.actors.coordinator))

const createAndSchedule = (id: string, programmeIds?: Session.Session["programmeIds"]) =>
  Effect.gen(function*() {
    const created = draft(id, programmeIds)
    yield* commit(created, 0, [{ _tag: "SessionCreated", sessionId: created.id, programmeIds: created.programmeIds }])
    const scheduled = Effect.runSync(Session.schedule(created, { start: inDays(10), end: inDays(10, 12) }, new Date()))
    yield* commit(scheduled.value, 1, scheduled.events)
    return scheduled.value
  })

const change = (
  session: Session.Session,
  version: number,
  step: (s: Session.Session) => ReturnType<typeof Session.cancel> | ReturnType<typeof Session.reschedule>
) =>
  Effect.gen(function*() {
    const next = Effect.runSync(step(session))
    yield* commit(next.value, version, next.events)
    return next.value
  })

/** Dispatcher ports for a calendar-only run: no e-mail is called for. */
const dispatcherPorts = Layer.mergeAll(
  Layer.succeed(Notification.NotificationSource, { forEvent: () => Effect.succeed([]) }),
  Layer.succeed(Notification.MessageTemplates, { render: () => Effect.dieMessage("no e-mail in this test") }),
  ICalendar.layer
)

const world = (calendarUrl: (programmeId: string) => string | undefined, user: string) => {
  const calendars = CalDav.layerProgrammeCalendars({
    calendarUrl,
    username: user,
    password: Redacted.make("secret"),
    timeout: "5 seconds"
  })
  return Layer.mergeAll(dispatcherPorts, CalendarSync.layer.pipe(Layer.provide(calendars))).pipe(
    Layer.provideMerge(Memory.layer),
    Layer.provideMerge(Settings.layer({ dispatcher: { baseDelayMillis: 1 } }))
  )
}

const options = { consumer: "test", from: { name: "Kennisnetwerk", address: "kennisnetwerk@example.nl" } }
const runOnce = Dispatcher.runOnce(options)

const stored = (auth: Record<string, string>, url: string) =>
  Effect.promise(async () => {
    const response = await fetch(url, { headers: auth })
    const text = await response.text()
    return response.status === 404 ? undefined : { text, etag: response.headers.get("etag") ?? undefined }
  })

const recordOf = (programmeId: string, sessionId: string) =>
  Effect.flatMap(Outbox.Deliveries, (d) => d.find(CalendarSync.keyOf(programmeId, sessionId))).pipe(Effect.map(Option.getOrThrow))

describe.skipIf(unavailable !== undefined)("the calendar channel against Radicale", () => {
  it.scoped("scheduled, rescheduled, cancelled: put, updated and removed in each programme's calendar, once each", () =>
    Effect.gen(function*() {
      const server = yield* radicale
      const second = `${server.origin}/${server.user}/twente/`
      const made = yield* Effect.promise(() => fetch(second, { method: "MKCALENDAR", headers: server.auth }))
      expect(made.status).toBe(201)
      const urls: Record<string, string> = { [programmeA]: server.calendarUrl, [programmeB]: second }
      yield* Effect.gen(function*() {
        // a cross-regional session of both programmes: one event in each calendar
        const s = yield* createAndSchedule("ses_shared", [programmeA, programmeB])
        const first = yield* runOnce
        expect(first).toMatchObject({ sent: 2, conflicts: 0, dead: 0, retrying: 0 })
        const a = yield* recordOf(programmeA, s.id)
        const b = yield* recordOf(programmeB, s.id)
        expect(a).toMatchObject({ channel: "calendar", status: "Sent", calendar: { revision: "published/0" } })
        expect(a.calendar?.url?.startsWith(server.calendarUrl)).toBe(true)
        expect(b.calendar?.url?.startsWith(second)).toBe(true)
        const onServer = yield* stored(server.auth, a.calendar!.url!)
        expect(onServer?.etag).toBe(a.calendar?.etag)
        expect(onServer?.text).toContain(`UID:${s.id}@copkit`)
        expect(onServer?.text).toContain("SEQUENCE:0")
        // nothing new: nothing written
        expect(yield* runOnce).toMatchObject({ claimed: 0 })

        const moved = yield* change(s, 2, (x) => Session.reschedule(x, { start: inDays(12, 14), end: inDays(12, 16) }, new Date()))
        expect(yield* runOnce).toMatchObject({ sent: 2, conflicts: 0 })
        const after = yield* stored(server.auth, a.calendar!.url!)
        expect(after?.text).toContain("SEQUENCE:1")
        expect((yield* recordOf(programmeA, s.id)).calendar).toMatchObject({ revision: "published/1", etag: after?.etag })

        yield* change(moved, 3, (x) => Session.cancel(x, "De zaal is niet beschikbaar.", new Date()))
        expect(yield* runOnce).toMatchObject({ sent: 2 })
        expect(yield* stored(server.auth, a.calendar!.url!)).toBeUndefined()
        expect(yield* stored(server.auth, b.calendar!.url!)).toBeUndefined()
        expect((yield* recordOf(programmeB, s.id)).calendar).toMatchObject({ revision: "removed/2" })
      }).pipe(Effect.provide(world((p) => urls[p], server.user)))
    }), { timeout: 60_000 })

  it.scoped("an event someone changed on the server is a Conflict with both ETags, never overwritten, until a person resolves it", () =>
    Effect.gen(function*() {
      const server = yield* radicale
      yield* Effect.gen(function*() {
        const s = yield* createAndSchedule("ses_edited")
        yield* runOnce
        const published = yield* recordOf(programmeA, s.id)
        const url = published.calendar!.url!
        // a person moves the event in their calendar app
        const theirs = (yield* stored(server.auth, url))!.text.replace("SUMMARY:", "SUMMARY:Verplaatst: ")
        const put = yield* Effect.promise(() =>
          fetch(url, { method: "PUT", headers: { ...server.auth, "content-type": "text/calendar" }, body: theirs })
        )
        expect(put.status).toBeLessThan(300)
        const edited = (yield* stored(server.auth, url))!

        const moved = yield* change(s, 2, (x) => Session.reschedule(x, { start: inDays(11), end: inDays(11, 12) }, new Date()))
        expect(yield* runOnce).toMatchObject({ conflicts: 1, sent: 0, completed: 1 })
        expect((yield* stored(server.auth, url))!.text).toContain("SUMMARY:Verplaatst: ")
        const channel = yield* CalendarSync.CalendarChannel
        const conflicts = yield* channel.conflicts
        expect(conflicts).toHaveLength(1)
        expect(conflicts[0]).toMatchObject({
          key: CalendarSync.keyOf(programmeA, s.id),
          status: "Conflict",
          conflict: { expectedEtag: published.calendar!.etag, actualEtag: edited.etag, revision: "published/1" }
        })
        // later changes of the session are not written over the person's edit either
        yield* change(moved, 3, (x) => Session.cancel(x, "Gaat niet door.", new Date()))
        expect(yield* runOnce).toMatchObject({ sent: 0, skipped: 1 })
        expect((yield* stored(server.auth, url))!.text).toContain("SUMMARY:Verplaatst: ")

        // the person decides copkit's version stands: the cancellation removes the event
        expect(yield* channel.resolve(CalendarSync.keyOf(programmeA, s.id), "overwrite")).toEqual({ _tag: "Sent" })
        expect(yield* stored(server.auth, url)).toBeUndefined()
        expect(yield* channel.conflicts).toEqual([])
      }).pipe(Effect.provide(world(() => server.calendarUrl, server.user)))
    }), { timeout: 60_000 })

  it.scoped("a write whose answer was lost is recognised as copkit's own: no conflict, nothing written twice", () =>
    Effect.gen(function*() {
      const server = yield* radicale
      yield* Effect.gen(function*() {
        const s = yield* createAndSchedule("ses_lost_answer")
        // the event reached the server, but the answer (and so the ETag) never came back
        const publisher = yield* CalDav.make({ calendarUrl: server.calendarUrl, username: server.user, password: Redacted.make("secret") })
        const event = SessionNotifications.calendarEventOf(s, {
          organizer: Settings.defaults.sessions.organizer,
          alarmsMinutesBefore: Settings.defaults.dispatcher.invitationAlarmsMinutesBefore
        })!
        const first = yield* publisher.publish(event)
        expect(yield* runOnce).toMatchObject({ sent: 1, conflicts: 0 })
        expect((yield* recordOf(programmeA, s.id)).calendar).toMatchObject({ url: first.url, etag: first.etag })
      }).pipe(Effect.provide(world(() => server.calendarUrl, server.user)))
    }), { timeout: 60_000 })
})

describe("the calendar channel without a server", () => {
  it.effect("a calendar server that cannot be reached: Retrying with the error, the event given back; no calendar: nothing", () =>
    Effect.gen(function*() {
      const port = yield* freePort
      yield* Effect.gen(function*() {
        const s = yield* createAndSchedule("ses_unreachable", [programmeA, programmeB])
        const report = yield* runOnce
        // programme B has no calendar: only A's publication is tried
        expect(report).toMatchObject({ retrying: 1, released: 1, sent: 0 })
        const record = yield* recordOf(programmeA, s.id)
        expect(record).toMatchObject({ status: "Retrying", attempts: 1 })
        expect(record.lastError).toContain("could not be reached")
        const none = yield* Effect.flatMap(Outbox.Deliveries, (d) => d.find(CalendarSync.keyOf(programmeB, s.id)))
        expect(Option.isNone(none)).toBe(true)
      }).pipe(
        Effect.provide(world((p) => (p === programmeA ? `http://127.0.0.1:${port}/nobody/` : undefined), "nobody"))
      )
    }))
})
