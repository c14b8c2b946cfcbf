/**
 * Publishes sessions to a CalDAV calendar collection (RFC 4791): each session is one
 * `<uid>.ics` resource, created with `If-None-Match: *`, updated and deleted with the stored ETag
 * in `If-Match`. When the server's copy changed since, the adapter does not overwrite it: it fails
 * with {@link Calendar.CalendarConflict}. Requests go through tsdav, which returns responses rather
 * than throwing, so every status is checked here; each request has a bounded timeout.
 *
 * @since 0.1.0
 */
import { ICalendar } from "@copkit/calendar-ical"
import { Calendar } from "@copkit/core"
import { CalendarSync } from "@copkit/core"
import { Config, ConfigError, Duration, Effect, Either, Layer, Option, Redacted } from "effect"
import { createHash } from "node:crypto"
import type { Context } from "effect"
import { createCalendarObject, deleteCalendarObject, updateCalendarObject } from "tsdav"

/** Where and how to publish. @category models */
export interface Options {
  /** The calendar collection, as `https://dav.example.nl/coordinator/copkit/` (the coordinator's or the region's). */
  readonly calendarUrl: string
  /** For HTTP Basic authentication; none is sent without it. */
  readonly username?: string | undefined
  readonly password?: Redacted.Redacted<string> | undefined
  /** How long one request may take before it fails as a temporary CalendarError (default 10 seconds). */
  readonly timeout?: Duration.DurationInput | undefined
  /** How an event becomes the stored text (default: `ICalendar.renderResource`, no METHOD, no ATTENDEE). */
  readonly render?: ((event: Calendar.CalendarEvent) => string) | undefined
}

interface Answer {
  readonly status: number
  readonly statusText: string
  readonly etag: string | undefined
}

const describe = (cause: unknown): string => {
  if (cause instanceof Error) {
    const inner = (cause as { readonly cause?: unknown }).cause
    return inner instanceof Error ? `${cause.message} (${inner.message})` : cause.message
  }
  return String(cause)
}

const temporaryStatus = (status: number) => status >= 500 || status === 408 || status === 429

/**
 * The line copkit adds to each event it stores: a hash of the rest of the text. When a write is
 * refused because the server's copy changed, and that copy carries the hash of what is being
 * written, the change was copkit's own (a write whose answer was lost, say): its ETag is taken,
 * and no conflict is raised.
 */
const hashProperty = "X-COPKIT-HASH"

const withHash = (data: string): { readonly data: string; readonly hash: string } => {
  const hash = createHash("sha256").update(data).digest("hex").slice(0, 40)
  const end = data.lastIndexOf("END:VEVENT")
  const eol = data.includes("\r\n") ? "\r\n" : "\n"
  return end < 0 ? { data, hash } : { data: `${data.slice(0, end)}${hashProperty}:${hash}${eol}${data.slice(end)}`, hash }
}

const hashIn = (text: string): string | undefined =>
  new RegExp(`^${hashProperty}:([0-9a-f]+)\\s*$`, "m").exec(text.replace(/\r?\n[ \t]/g, ""))?.[1]

/** The name of the resource that holds an event: its UID, percent-encoded. @category constructors */
export const resourceName = (uid: string): string => `${encodeURIComponent(uid)}.ics`

/**
 * A publisher for the core's `CalendarPublisher` port.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { CalDav } from "@copkit/calendar-caldav"
 *
 * const program = Effect.gen(function*() {
 *   const publisher = yield* CalDav.make({
 *     calendarUrl: "https://dav.example.nl/kennisnetwerk/twente/",
 *     username: "kennisnetwerk",
 *     password: Redacted.make("geheim"),
 *     timeout: "15 seconds"
 *   })
 *   // publisher.publish(event) puts the session in the region's shared calendar
 * })
 * ```
 *
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<Context.Tag.Service<Calendar.CalendarPublisher>, ConfigError.ConfigError> =>
  Effect.gen(function*() {
    const base = yield* Either.try(() => new URL(options.calendarUrl)).pipe(
      Either.filterOrLeft((u) => u.protocol === "http:" || u.protocol === "https:", () => undefined),
      Either.mapLeft(() => ConfigError.InvalidData(["calendarUrl"], "must be an http(s) URL"))
    )
    if (base.username !== "" || base.password !== "") {
      return yield* Effect.fail(
        ConfigError.InvalidData(["calendarUrl"], "must not hold credentials: pass username and password (Redacted)")
      )
    }
    const collection = base.href.endsWith("/") ? base.href : `${base.href}/`
    const timeout = Duration.decode(options.timeout ?? "10 seconds")
    const render = options.render ?? ICalendar.renderResource
    const headers: Record<string, string> = options.username === undefined ? {} : {
      authorization: `Basic ${
        Buffer.from(`${options.username}:${options.password === undefined ? "" : Redacted.value(options.password)}`)
          .toString("base64")
      }`
    }

    /** Runs one request with a timeout; the body is read and dropped so the connection is freed. */
    const call = (operation: string, run: (signal: AbortSignal) => Promise<Response>) =>
      Effect.tryPromise({
        try: async (signal): Promise<Answer> => {
          const response = await run(signal)
          await response.arrayBuffer().catch(() => undefined)
          return { status: response.status, statusText: response.statusText, etag: response.headers.get("etag") ?? undefined }
        },
        catch: (cause) =>
          new Calendar.CalendarError({
            operation,
            temporary: true,
            message: `${operation}: the calendar server could not be reached: ${describe(cause)}`
          })
      }).pipe(
        Effect.timeoutFail({
          duration: timeout,
          onTimeout: () =>
            new Calendar.CalendarError({
              operation,
              temporary: true,
              message: `${operation}: the calendar server did not answer within ${Duration.format(timeout)}`
            })
        })
      )

    const refused = (operation: string, answer: Answer) =>
      new Calendar.CalendarError({
        operation,
        temporary: temporaryStatus(answer.status),
        status: answer.status,
        message: `${operation}: the calendar server answered ${answer.status} ${answer.statusText}`.trim()
      })

    /** The server's current copy of a resource: its ETag and text (none when it is gone or unreadable). */
    const currentCopy = (url: string) =>
      Effect.tryPromise({
        try: async (signal) => {
          const response = await fetch(url, { method: "GET", headers, signal })
          const text = await response.text()
          return response.status >= 200 && response.status < 300
            ? { etag: response.headers.get("etag") ?? undefined, text }
            : undefined
        },
        catch: () => undefined
      }).pipe(
        Effect.timeout(timeout),
        Effect.orElseSucceed(() => undefined)
      )

    const currentEtag = (url: string) => Effect.map(currentCopy(url), (copy) => copy?.etag)

    /**
     * A refused write: our own earlier write when the server's copy carries the hash of what we
     * write now (its ETag is taken), else a conflict with both ETags.
     */
    const conflictOrOwn = (
      uid: string,
      url: string,
      expectedEtag: string | undefined,
      hash: string | undefined
    ): Effect.Effect<Calendar.PublishedEvent, Calendar.CalendarConflict> =>
      Effect.flatMap(currentCopy(url), (copy) =>
        copy !== undefined && hash !== undefined && hashIn(copy.text) === hash
          ? Effect.succeed<Calendar.PublishedEvent>({ uid, url, ...(copy.etag === undefined ? {} : { etag: copy.etag }) })
          : Effect.fail(
            new Calendar.CalendarConflict({
              uid,
              ...(expectedEtag === undefined ? {} : { expectedEtag }),
              ...(copy?.etag === undefined ? {} : { actualEtag: copy.etag })
            })
          ))

    const conflict = (uid: string, url: string, expectedEtag: string | undefined) =>
      Effect.flatMap(conflictOrOwn(uid, url, expectedEtag, undefined), () => Effect.void)

    const stored = (uid: string, url: string, answer: Answer) =>
      answer.etag !== undefined
        ? Effect.succeed<Calendar.PublishedEvent>({ uid, url, etag: answer.etag })
        : Effect.map(currentEtag(url), (etag): Calendar.PublishedEvent => ({ uid, url, etag }))

    const create = (event: Calendar.CalendarEvent, data: string, hash: string) =>
      Effect.gen(function*() {
        const url = new URL(resourceName(event.uid), collection).href
        const answer = yield* call("create", (signal) =>
          createCalendarObject({
            calendar: { url: collection },
            iCalString: data,
            filename: resourceName(event.uid),
            headers,
            fetchOptions: { signal }
          }))
        if (answer.status === 412) return yield* conflictOrOwn(event.uid, url, undefined, hash)
        if (answer.status < 200 || answer.status >= 300) return yield* Effect.fail(refused("create", answer))
        return yield* stored(event.uid, url, answer)
      })

    const update = (event: Calendar.CalendarEvent, data: string, hash: string, previous: Calendar.PublishedEvent) =>
      Effect.gen(function*() {
        // Without an ETag an update could overwrite someone else's change: refuse it.
        if (previous.etag === undefined) return yield* conflictOrOwn(event.uid, previous.url, undefined, hash)
        const etag = previous.etag
        const answer = yield* call("update", (signal) =>
          updateCalendarObject({
            calendarObject: { url: previous.url, etag, data },
            headers,
            fetchOptions: { signal }
          }))
        if (answer.status === 412 || answer.status === 404) return yield* conflictOrOwn(event.uid, previous.url, etag, hash)
        if (answer.status < 200 || answer.status >= 300) return yield* Effect.fail(refused("update", answer))
        return yield* stored(event.uid, previous.url, answer)
      })

    const publish = (event: Calendar.CalendarEvent, previous?: Calendar.PublishedEvent) =>
      Effect.suspend(() => {
        const { data, hash } = withHash(render(event))
        return previous === undefined ? create(event, data, hash) : update(event, data, hash, previous)
      }).pipe(Effect.withSpan("CalDav.publish", { attributes: { uid: event.uid }, captureStackTrace: false }))

    const remove = (published: Calendar.PublishedEvent) =>
      Effect.gen(function*() {
        if (published.etag === undefined) return yield* conflict(published.uid, published.url, undefined)
        const etag = published.etag
        const answer = yield* call("delete", (signal) =>
          deleteCalendarObject({ calendarObject: { url: published.url, etag }, headers, fetchOptions: { signal } }))
        // Already gone is what we wanted.
        if (answer.status === 404 || answer.status === 410) return
        if (answer.status === 412) return yield* conflict(published.uid, published.url, etag)
        if (answer.status < 200 || answer.status >= 300) return yield* Effect.fail(refused("delete", answer))
      }).pipe(Effect.withSpan("CalDav.remove", { attributes: { uid: published.uid }, captureStackTrace: false }))

    return { publish, remove }
  })

/**
 * The publisher as the core's port.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { CalDav } from "@copkit/calendar-caldav"
 *
 * const publisher = CalDav.layer({
 *   calendarUrl: "https://dav.example.nl/kennisnetwerk/twente/",
 *   username: "kennisnetwerk",
 *   password: Redacted.make("geheim")
 * })
 * ```
 *
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<Calendar.CalendarPublisher, ConfigError.ConfigError> =>
  Layer.effect(Calendar.CalendarPublisher, make(options))

/**
 * The publisher as the core's port, with its options read from configuration.
 *
 * @example
 * ```ts
 * import { Config } from "effect"
 * import { CalDav } from "@copkit/calendar-caldav"
 *
 * const publisher = CalDav.layerConfig({
 *   calendarUrl: Config.string("CALDAV_URL"),
 *   username: Config.string("CALDAV_USER"),
 *   password: Config.redacted("CALDAV_PASSWORD")
 * })
 * ```
 *
 * @category layers
 */
export const layerConfig = (
  config: Config.Config.Wrap<Options>
): Layer.Layer<Calendar.CalendarPublisher, ConfigError.ConfigError> =>
  Layer.effect(Calendar.CalendarPublisher, Effect.flatMap(Config.unwrap(config), make))

/** Where and how to publish each programme's sessions. @category models */
export interface ProgrammeCalendarsOptions extends Omit<Options, "calendarUrl"> {
  /**
   * The calendar collection of a programme (several programmes may share one), or `undefined` for
   * a programme whose sessions are not published.
   */
  readonly calendarUrl: (programmeId: string) => string | undefined
}

/**
 * The programmes' calendars for the dispatcher's calendar channel (`CalendarSync.layer`): one
 * publisher per collection, made when first needed. A collection URL that is not valid is a defect
 * of the configuration: the dispatcher logs it and tries the event again later.
 *
 * @example
 * ```ts
 * import { CalendarSync } from "@copkit/core"
 * import { CalDav } from "@copkit/calendar-caldav"
 * import { Layer, Redacted } from "effect"
 *
 * // every programme in a calendar of its own on the network's CalDAV server
 * const calendars = CalDav.layerProgrammeCalendars({
 *   calendarUrl: (programmeId) => `https://dav.example.nl/kennisnetwerk/${programmeId}/`,
 *   username: "kennisnetwerk",
 *   password: Redacted.make("geheim")
 * })
 * // give the dispatcher this layer (with the store's layers) to publish sessions
 * export const calendarChannel = CalendarSync.layer.pipe(Layer.provide(calendars))
 * ```
 *
 * @category layers
 */
export const layerProgrammeCalendars = (
  options: ProgrammeCalendarsOptions
): Layer.Layer<CalendarSync.ProgrammeCalendars> =>
  Layer.sync(CalendarSync.ProgrammeCalendars, () => {
    const publishers = new Map<string, Context.Tag.Service<Calendar.CalendarPublisher>>()
    return {
      publisherOf: (programmeId) => {
        const url = options.calendarUrl(programmeId)
        if (url === undefined) return Option.none()
        let publisher = publishers.get(url)
        if (publisher === undefined) {
          publisher = Effect.runSync(make({ ...options, calendarUrl: url }).pipe(Effect.orDie))
          publishers.set(url, publisher)
        }
        return Option.some(publisher)
      }
    }
  })
