/**
 * Sessions in the programmes' calendars (CalDAV): the dispatcher's second channel. A session that
 * is scheduled or rescheduled is put to the calendar of each of its programmes; a cancelled one is
 * removed. The server's ETag is kept per session and calendar in a delivery record (channel
 * `calendar`, key `calendar/<programmeId>/<sessionId>`), and every write names it (`If-Match`): when
 * someone changed the event on the server meanwhile, the record goes to `Conflict` with both ETags
 * and the session is left alone for a person to look at ({@link conflicts}, {@link resolve}), never
 * overwritten.
 *
 * Give the dispatcher this channel with {@link layer}, on a {@link ProgrammeCalendars} (the CalDAV
 * adapter's `CalDav.layerProgrammeCalendars`). Without it the dispatcher sends e-mail only.
 *
 * @since 0.2.0
 */
import { Clock, Context, Effect, Either, Layer, Option, Random } from "effect"
import type { CalendarConflict, CalendarError, CalendarEvent, PublishedEvent } from "./Calendar.js"
import { CalendarPublisher } from "./Calendar.js"
import type { StorageError } from "./Errors.js"
import type { RecordedEvent } from "./Events.js"
import type { ProgrammeId, SessionId } from "./Ids.js"
import { backoffMillis } from "./internal/backoff.js"
import { Deliveries, DeliveryRecord } from "./Outbox.js"
import { SessionRepository } from "./Repository.js"
import type { Session } from "./Session.js"
import { calendarEventOf } from "./SessionNotifications.js"
import { Settings } from "./Settings.js"

/** Where each programme's sessions are published. @category ports */
export class ProgrammeCalendars extends Context.Tag("@copkit/core/ProgrammeCalendars")<ProgrammeCalendars, {
  /** The publisher of the programme's calendar; none when the programme has no calendar. */
  readonly publisherOf: (programmeId: ProgrammeId) => Option.Option<Context.Tag.Service<CalendarPublisher>>
}>() {}

/** Every programme's sessions in one calendar: a publisher for all of them. @category constructors */
export const everyProgramme = (
  publisher: Context.Tag.Service<CalendarPublisher>
): Context.Tag.Service<ProgrammeCalendars> => ({ publisherOf: () => Option.some(publisher) })

/** {@link everyProgramme} on the `CalendarPublisher` in context. @category layers */
export const layerOnePublisher: Layer.Layer<ProgrammeCalendars, never, CalendarPublisher> = Layer.effect(
  ProgrammeCalendars,
  Effect.map(CalendarPublisher, everyProgramme)
)

/** The events that change what a calendar shows. @category constants */
export const calendarEvents: ReadonlyArray<string> = ["SessionScheduled", "SessionRescheduled", "SessionCancelled"]

/** The delivery key of a session in a programme's calendar. @category accessors */
export const keyOf = (programmeId: string, sessionId: string): string => `calendar/${programmeId}/${sessionId}`

/**
 * What the calendar should hold of a session: `published/<sequence>` while it has a date and is not
 * cancelled, `removed/<sequence>` once cancelled; `undefined` for a draft (nothing to show).
 *
 * @category rules
 */
export const revisionOf = (session: Session): string | undefined => {
  if (session.state === "Cancelled") return `removed/${session.sequence}`
  if (session.start === undefined || session.end === undefined) return undefined
  return `published/${session.sequence}`
}

/** What the channel did for one session in one calendar (the dispatcher's e-mail deliveries end the same ways, but `Conflict`). @category models */
export type Outcome =
  | { readonly _tag: "Sent" }
  | { readonly _tag: "Skipped" }
  | { readonly _tag: "Conflict" }
  | { readonly _tag: "Dead" }
  | { readonly _tag: "Retrying"; readonly notBefore: number }
  | { readonly _tag: "Waiting"; readonly notBefore: number }

/** The calendar channel, as the dispatcher uses it. @category ports */
export class CalendarChannel extends Context.Tag("@copkit/core/CalendarChannel")<CalendarChannel, {
  /** Brings the calendars of an event's session up to date; nothing for other events. */
  readonly forEvent: (event: RecordedEvent) => Effect.Effect<ReadonlyArray<Outcome>, StorageError>
  /** The sessions whose calendar event someone else changed: left for a person. */
  readonly conflicts: Effect.Effect<ReadonlyArray<DeliveryRecord>, StorageError>
  /**
   * Settles a conflict. `"overwrite"` writes the session as copkit has it over the server's copy
   * (if the server's copy is still the one the conflict saw); `"keep"` leaves the server's copy and
   * takes its ETag, so later changes of the session are published over it again.
   */
  readonly resolve: (
    key: string,
    choice: "overwrite" | "keep"
  ) => Effect.Effect<Outcome, StorageError>
}>() {}

const errorText = (error: CalendarError): string =>
  error.status === undefined ? error.message : `${error.status} ${error.message}`

/** The channel on the ports in context. @category constructors */
export const make: Effect.Effect<
  Context.Tag.Service<CalendarChannel>,
  never,
  ProgrammeCalendars | SessionRepository | Deliveries
> = Effect.gen(function*() {
  const calendars = yield* ProgrammeCalendars
  const sessions = yield* SessionRepository
  const deliveries = yield* Deliveries
  // one write at a time per session and calendar: two events of one session in a batch must not race.
  // A lock lives while someone holds or waits for it, so a long-running dispatcher keeps none for
  // sessions it is not writing.
  const locks = new Map<string, { readonly lock: Effect.Semaphore; users: number }>()
  const exclusively = <A, E, R>(key: string, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.suspend(() => {
      let entry = locks.get(key)
      if (entry === undefined) {
        entry = { lock: Effect.unsafeMakeSemaphore(1), users: 0 }
        locks.set(key, entry)
      }
      const held = entry
      held.users++
      return held.lock.withPermits(1)(effect).pipe(
        Effect.ensuring(Effect.sync(() => {
          held.users--
          if (held.users === 0 && locks.get(key) === held) locks.delete(key)
        }))
      )
    })

  const eventOf = (session: Session) =>
    Effect.map(Settings, (settings) =>
      calendarEventOf(session, {
        organizer: settings.sessions.organizer,
        alarmsMinutesBefore: settings.dispatcher.invitationAlarmsMinutesBefore,
        sessionUrl: settings.sessions.sessionUrl
      }))

  /**
   * Writes the session's revision to one calendar and records the outcome. `previous` is what the
   * server held when we last wrote (its ETag in `If-Match`).
   */
  const write = (
    publisher: Context.Tag.Service<CalendarPublisher>,
    session: Session,
    revision: string,
    key: string,
    eventId: RecordedEvent["id"],
    previous: PublishedEvent | undefined,
    attempts: number
  ): Effect.Effect<Outcome, StorageError> =>
    Effect.gen(function*() {
      const removing = revision.startsWith("removed/")
      const calendarEvent: CalendarEvent | undefined = removing ? undefined : yield* eventOf(session)
      const result: Either.Either<PublishedEvent | undefined, CalendarError | CalendarConflict> = removing
        ? previous === undefined
          ? Either.right(undefined)
          : yield* Effect.either(Effect.as(publisher.remove(previous), undefined))
        : calendarEvent === undefined
        ? Either.right(previous)
        : yield* Effect.either(publisher.publish(calendarEvent, previous))
      const at = yield* Clock.currentTimeMillis
      const settings = (yield* Settings).dispatcher
      const base = {
        key,
        eventId,
        channel: "calendar" as const,
        messageId: calendarEvent?.uid ?? previous?.uid ?? `${session.id}@copkit`,
        attempts,
        updatedAt: new Date(at)
      }
      if (Either.isRight(result)) {
        const published = result.right
        yield* deliveries.record(
          new DeliveryRecord({
            ...base,
            status: "Sent",
            calendar: {
              revision,
              ...(published === undefined ? {} : { url: published.url }),
              ...(published?.etag === undefined ? {} : { etag: published.etag })
            }
          })
        )
        return { _tag: "Sent" } as const
      }
      const error = result.left
      const held = previous === undefined
        ? undefined
        : { revision: "", url: previous.url, ...(previous.etag === undefined ? {} : { etag: previous.etag }) }
      if (error._tag === "CalendarConflict") {
        yield* deliveries.record(
          new DeliveryRecord({
            ...base,
            status: "Conflict",
            ...(held === undefined ? {} : { calendar: held }),
            conflict: {
              revision,
              ...(error.expectedEtag === undefined ? {} : { expectedEtag: error.expectedEtag }),
              ...(error.actualEtag === undefined ? {} : { actualEtag: error.actualEtag })
            },
            lastError: `the calendar's copy of ${error.uid} was changed by someone else (ETag ${
              error.actualEtag ?? "unknown"
            }, expected ${error.expectedEtag ?? "none"}); left for a person`
          })
        )
        yield* Effect.logWarning("a calendar event was changed on the server; left for a person").pipe(
          Effect.annotateLogs({ key, expectedEtag: error.expectedEtag, actualEtag: error.actualEtag })
        )
        return { _tag: "Conflict" } as const
      }
      if (error.temporary && attempts < settings.maxAttempts) {
        const notBefore = at + backoffMillis(attempts, settings, yield* Random.next)
        yield* deliveries.record(
          new DeliveryRecord({
            ...base,
            status: "Retrying",
            ...(held === undefined ? {} : { calendar: held }),
            lastError: errorText(error),
            nextAttemptAt: new Date(notBefore)
          })
        )
        return { _tag: "Retrying", notBefore } as const
      }
      yield* deliveries.record(
        new DeliveryRecord({
          ...base,
          status: "Dead",
          ...(held === undefined ? {} : { calendar: held }),
          lastError: errorText(error)
        })
      )
      yield* Effect.logError("a calendar publication failed for good").pipe(
        Effect.annotateLogs({ key, attempts, error: errorText(error) })
      )
      return { _tag: "Dead" } as const
    })

  /** What the server held at our last successful write, from the record. */
  const heldOf = (record: DeliveryRecord | undefined, uid: string): PublishedEvent | undefined => {
    const held = record?.calendar
    if (held?.url === undefined) return undefined
    // removed on the server: a later publication creates the resource again
    if (record?.status === "Sent" && held.revision.startsWith("removed/")) return undefined
    return { uid, url: held.url, ...(held.etag === undefined ? {} : { etag: held.etag }) }
  }

  const sync = (
    programmeId: ProgrammeId,
    session: Session,
    eventId: RecordedEvent["id"]
  ): Effect.Effect<Outcome, StorageError> =>
    Option.match(calendars.publisherOf(programmeId), {
      onNone: () => Effect.succeed<Outcome>({ _tag: "Skipped" }),
      onSome: (publisher) => {
        const key = keyOf(programmeId, session.id)
        return exclusively(key, Effect.gen(function*() {
          const revision = revisionOf(session)
          if (revision === undefined) return { _tag: "Skipped" } as const
          const record = Option.getOrUndefined(yield* deliveries.find(key))
          // a person has to look at it first: never overwritten
          if (record?.status === "Conflict") return { _tag: "Skipped" } as const
          if (record?.status === "Sent" && record.calendar?.revision === revision) return { _tag: "Skipped" } as const
          const now = yield* Clock.currentTimeMillis
          if (record?.status === "Retrying" && record.nextAttemptAt !== undefined && record.nextAttemptAt.getTime() > now) {
            return { _tag: "Waiting", notBefore: record.nextAttemptAt.getTime() } as const
          }
          // never published and already cancelled: nothing to remove
          const attempts = (record?.status === "Retrying" ? record.attempts : 0) + 1
          return yield* write(publisher, session, revision, key, eventId, heldOf(record, `${session.id}@copkit`), attempts)
        }))
      }
    })

  const sessionIdOf = (event: RecordedEvent): SessionId | undefined =>
    calendarEvents.includes(event.event._tag) ? (event.event as { readonly sessionId: SessionId }).sessionId : undefined

  const forEvent = (event: RecordedEvent): Effect.Effect<ReadonlyArray<Outcome>, StorageError> =>
    Effect.gen(function*() {
      const sessionId = sessionIdOf(event)
      if (sessionId === undefined) return []
      const found = yield* sessions.find(sessionId)
      if (Option.isNone(found)) return []
      // the session as it is now: an older event publishes the latest state, once
      const session = found.value.value
      return yield* Effect.forEach(session.programmeIds, (programmeId) => sync(programmeId, session, event.id))
    })

  const conflicts = deliveries.list({ status: "Conflict" }).pipe(
    Effect.map((records) => records.filter((r) => r.channel === "calendar"))
  )

  const resolve = (key: string, choice: "overwrite" | "keep"): Effect.Effect<Outcome, StorageError> =>
    Effect.gen(function*() {
      const record = Option.getOrUndefined(yield* deliveries.find(key))
      if (record === undefined || record.status !== "Conflict" || record.conflict === undefined) {
        return { _tag: "Skipped" } as const
      }
      const [, programmeId, sessionId] = key.split("/") as [string, ProgrammeId, SessionId]
      const url = record.calendar?.url
      const actual = record.conflict.actualEtag
      const serverCopy: PublishedEvent | undefined = url === undefined
        ? undefined
        : { uid: record.messageId, url, ...(actual === undefined ? {} : { etag: actual }) }
      const at = yield* Clock.currentTimeMillis
      if (choice === "keep") {
        // the server's copy stands; copkit writes over it only when the session changes again
        const { conflict, lastError: _, ...rest } = record
        yield* deliveries.record(
          new DeliveryRecord({
            ...rest,
            status: "Sent",
            calendar: {
              revision: conflict.revision,
              ...(url === undefined ? {} : { url }),
              ...(actual === undefined ? {} : { etag: actual })
            },
            updatedAt: new Date(at)
          })
        )
        return { _tag: "Sent" } as const
      }
      const found = yield* sessions.find(sessionId)
      if (Option.isNone(found)) return { _tag: "Skipped" } as const
      const session = found.value.value
      const revision = revisionOf(session)
      const publisher = calendars.publisherOf(programmeId)
      if (revision === undefined || Option.isNone(publisher)) return { _tag: "Skipped" } as const
      return yield* exclusively(
        key,
        write(publisher.value, session, revision, key, record.eventId, serverCopy, 1)
      )
    })

  return { forEvent, conflicts, resolve }
})

/** The calendar channel for the dispatcher. @category layers */
export const layer: Layer.Layer<CalendarChannel, never, ProgrammeCalendars | SessionRepository | Deliveries> = Layer
  .effect(CalendarChannel, make)
