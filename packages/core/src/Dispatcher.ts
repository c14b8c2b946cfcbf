/**
 * The dispatcher: turns the event log into e-mails. It claims undelivered events in batches,
 * asks the {@link NotificationSource} which messages each calls for, renders them, sends them with
 * the {@link Mailer}, and records every delivery with its outcome. Temporary failures are retried
 * with exponential backoff and jitter up to `maxAttempts`; then the delivery is `Dead` with its
 * last error. A defect (a bug in a template, the renderer or the mailer) counts as a temporary
 * failure with the defect's message, so one bad message ends `Dead` and never holds up the rest.
 * Messages of a batch go out `concurrency` at a time; the claims of a batch are renewed while it
 * is worked on, and a stop gives back every claimed event not yet handled. A delivery whose record
 * says `Sent` (or `Dead`) is never sent again, and every message carries a Message-ID derived from
 * its delivery key, so a message sent twice after a crash is recognisably the same message.
 *
 * @since 0.1.0
 */
import { Cause, Clock, Duration, Effect, Either, Exit, Fiber, Layer, Option, Random, Schema } from "effect"
import { CalendarAttendee, CalendarEvent, CalendarRenderer } from "./Calendar.js"
import type { StorageError, ValidationError } from "./Errors.js"
import type { RecordedEvent } from "./Events.js"
import { Address, CalendarPart, DeliveryError, Mailer, OutgoingMessage } from "./Mailer.js"
import type { Notification } from "./Notification.js"
import { deliveryKey, MessageTemplates, NotificationSource } from "./Notification.js"
import type { Outcome as CalendarOutcome } from "./CalendarSync.js"
import { CalendarChannel } from "./CalendarSync.js"
import type { ClaimedEvent } from "./Outbox.js"
import { Deliveries, DeliveryRecord, Outbox } from "./Outbox.js"
import { Settings } from "./Settings.js"
import * as Validation from "./Validation.js"
import { backoffMillis } from "./internal/backoff.js"

export {
  /** How the dispatcher claims, retries, times out and gives up (the `dispatcher` part of `Settings`). @category models */
  type DispatcherSettings,
  /** The default dispatcher settings. @category constants */
  defaultDispatcherSettings
} from "./internal/dispatcherSettings.js"

/** How a dispatcher identifies itself and signs its messages. @category models */
export interface Options {
  /** The name of this dispatcher in claims (a host or process name); several may run at once. */
  readonly consumer: string
  /** The sender of every message (replies go to the notification's organizer). */
  readonly from: { readonly name?: string | undefined; readonly address: string }
  /** The domain of the generated Message-IDs; the sender's domain when not given. */
  readonly messageIdDomain?: string | undefined
}

/** What one batch did. @category models */
export interface BatchReport {
  /** Events claimed. */
  readonly claimed: number
  /** Events marked done (every delivery Sent or Dead). */
  readonly completed: number
  /** Events given back to be claimed again later (a retry is due, or reading failed). */
  readonly released: number
  readonly sent: number
  readonly retrying: number
  readonly dead: number
  /** Deliveries already Sent or Dead, not sent again (calendar: the calendar holds the session as it is). */
  readonly skipped: number
  /** Calendar publications left for a person: someone else changed the event on the server (see `CalendarSync.conflicts`). */
  readonly conflicts: number
}

/** The ports a dispatcher works on. @category models */
export type Requirements = Outbox | Deliveries | NotificationSource | MessageTemplates | Mailer | CalendarRenderer

/** A running dispatcher's two ways to work. @category models */
export interface Dispatcher {
  /** Claims one batch and delivers it; every delivery is recorded before this returns. */
  readonly runOnce: Effect.Effect<BatchReport, StorageError>
  /**
   * Works batch after batch until interrupted, waiting `pollIntervalMillis` when idle. Storage
   * failures are logged and retried. Interruption lands between messages, never between a send
   * and its record.
   */
  readonly run: Effect.Effect<never>
}

export {
  /**
   * The delay before retry number `failures` (1 for the first retry): `baseDelayMillis` doubling per
   * failure, at most `maxDelayMillis`, of which the share `jitter` is taken off at random (`random`
   * in [0, 1)).
   *
   * @category constructors
   */
  backoffMillis
} from "./internal/backoff.js"

const hex = (bytes: ArrayBuffer): string =>
  Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("")

interface SyncHash {
  readonly createHash: (algorithm: "sha256") => {
    update: (data: string, encoding: "utf8") => { digest: (encoding: "hex") => string }
  }
}

/** Node's own crypto where the runtime has it (a synchronous hash; Web Crypto's runs on the thread pool). */
const nodeCrypto: SyncHash | undefined = (() => {
  const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule
  const crypto = typeof get === "function" ? get("node:crypto") : undefined
  return typeof (crypto as Partial<SyncHash> | undefined)?.createHash === "function" ? crypto as SyncHash : undefined
})()

const sha256Hex = (text: string): Effect.Effect<string> =>
  nodeCrypto === undefined
    ? Effect.promise(() => globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))).pipe(Effect.map(hex))
    : Effect.sync(() => nodeCrypto.createHash("sha256").update(text, "utf8").digest("hex"))

/**
 * The Message-ID of a delivery: `<copkit.HASH@domain>`, HASH from SHA-256 of the delivery key. The
 * same event and recipient always give the same id.
 *
 * @category constructors
 */
export const messageIdFor = (key: string, domain: string): Effect.Effect<string> =>
  Effect.map(sha256Hex(key), (digest) => `<copkit.${digest.slice(0, 40)}@${domain}>`)

const emptyReport: BatchReport = { claimed: 0, completed: 0, released: 0, sent: 0, retrying: 0, dead: 0, skipped: 0, conflicts: 0 }

const add = (a: BatchReport, b: Partial<BatchReport>): BatchReport => ({
  claimed: a.claimed + (b.claimed ?? 0),
  completed: a.completed + (b.completed ?? 0),
  released: a.released + (b.released ?? 0),
  sent: a.sent + (b.sent ?? 0),
  retrying: a.retrying + (b.retrying ?? 0),
  dead: a.dead + (b.dead ?? 0),
  skipped: a.skipped + (b.skipped ?? 0),
  conflicts: a.conflicts + (b.conflicts ?? 0)
})

/** The outcome of one delivery within an event, e-mail or calendar: the calendar channel's outcomes are the general case. */
type Outcome = CalendarOutcome

const FromOptions = Schema.Struct({ name: Schema.optional(Schema.String), address: Schema.String })

/** The message of a defect, on one line and at most 1,000 characters. */
const defectText = (defect: unknown): string => {
  const text = defect instanceof Error ? `${defect.name}: ${defect.message}` : String(defect)
  return `defect: ${text.replace(/[\r\n]+/g, " ").slice(0, 1000)}`
}

const errorText = (error: DeliveryError): string =>
  error.code === undefined ? error.message : `${error.code} ${error.message}`

const describeAgenda = (n: Notification): string | undefined => {
  const agenda = n.session?.agenda ?? []
  return agenda.length === 0 ? undefined : agenda.map((item) => `- ${item.title} (${item.minutes} min)`).join("\n")
}

/**
 * Builds a dispatcher on the ports in context. Fails with a `ValidationError` when the sender's
 * address is not valid.
 *
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<Dispatcher, ValidationError, Requirements> =>
  Effect.gen(function*() {
    const fromInput = yield* Validation.decode(FromOptions)(options.from)
    const from = yield* Validation.decode(Address)(
      fromInput.name === undefined ? { address: fromInput.address } : { name: fromInput.name, address: fromInput.address }
    )
    const domain = options.messageIdDomain ?? from.address.slice(from.address.lastIndexOf("@") + 1)
    const outbox = yield* Outbox
    const deliveries = yield* Deliveries
    const source = yield* NotificationSource
    const templates = yield* MessageTemplates
    const mailer = yield* Mailer
    const calendar = yield* CalendarRenderer
    const settings = (yield* Settings).dispatcher
    // the second channel, when given: sessions in the programmes' calendars
    const calendarChannel = yield* Effect.serviceOption(CalendarChannel)

    const calendarPart = (n: Notification, event: RecordedEvent) =>
      Effect.gen(function*() {
        const method = n.calendarMethod
        if (method === undefined) return Either.right(undefined)
        const session = n.session
        if (session === undefined) {
          return Either.left(`a ${n.kind} with calendar method ${method} names no session`)
        }
        const description = describeAgenda(n)
        const calendarEvent = yield* Effect.try(() =>
          new CalendarEvent({
            uid: session.uid,
            sequence: session.sequence,
            summary: session.title,
            ...(description === undefined ? {} : { description }),
            ...(session.venue === undefined ? {} : { location: session.venue }),
            ...(session.host === undefined ? {} : { host: session.host }),
            start: session.start,
            end: session.end,
            timeZone: session.timeZone,
            organizer: n.organizer,
            status: method === "CANCEL" ? "CANCELLED" : "CONFIRMED",
            ...(session.url === undefined ? {} : { url: session.url }),
            ...(session.joinUrl === undefined || method === "CANCEL" ? {} : { conference: session.joinUrl }),
            alarmsMinutesBefore: settings.invitationAlarmsMinutesBefore,
            stamp: event.occurredAt,
            language: n.recipient.language
          })
        ).pipe(Effect.either)
        if (Either.isLeft(calendarEvent)) return Either.left(`the calendar event is not valid: ${calendarEvent.left}`)
        const attendee = new CalendarAttendee({ name: n.recipient.name, email: n.recipient.email, answer: "NeedsAction" })
        const ics = yield* calendar.invitation(calendarEvent.right, attendee, method)
        return Either.right(new CalendarPart({ method, ics }))
      })

    /**
     * Renders the message; a message that cannot be built is a permanent failure, a defect in the
     * templates or the renderer a temporary one (a Left either way).
     */
    const compose = (
      n: Notification,
      event: RecordedEvent,
      messageId: string
    ): Effect.Effect<Either.Either<OutgoingMessage, DeliveryError>> =>
      Effect.gen(function*() {
        const rendered = yield* templates.render(n)
        const part = yield* calendarPart(n, event)
        if (Either.isLeft(part)) return Either.left(new DeliveryError({ temporary: false, message: part.left }))
        return Either.mapLeft(
          Either.try(() =>
            new OutgoingMessage({
              messageId,
              from,
              to: [new Address({ name: n.recipient.name, address: n.recipient.email })],
              replyTo: new Address({ name: n.organizer.name, address: n.organizer.email }),
              subject: rendered.subject,
              text: rendered.text,
              html: rendered.html,
              language: n.recipient.language,
              ...(part.right === undefined ? {} : { calendar: part.right }),
              attachments: []
            })
          ),
          (e) =>
            new DeliveryError({
              temporary: false,
              message: `the message is not valid: ${e instanceof Error ? e.message : String(e)}`
            })
        )
      }).pipe(
        Effect.catchAllDefect((defect) =>
          Effect.succeed(Either.left(new DeliveryError({ temporary: true, message: defectText(defect) })))
        )
      )

    // A send that hangs counts as a temporary failure after `sendTimeoutMillis` (an interruptible
    // timeout: the send is abandoned, and the timer cleared when the send wins); a defect of the
    // mailer counts as a temporary failure with the defect's message. The send and its timeout run
    // in a fiber of their own, joined by the uninterruptible send-and-record step: a stop is
    // signalled to the children of the step's fiber, and must not reach the send.
    const send = (message: OutgoingMessage): Effect.Effect<Either.Either<unknown, DeliveryError>> =>
      Effect.flatMap(
        Effect.forkDaemon(Effect.interruptible(
          mailer.send(message).pipe(
            Effect.timeoutFail({
              duration: Duration.millis(settings.sendTimeoutMillis),
              onTimeout: () =>
                new DeliveryError({ temporary: true, message: `no answer within ${settings.sendTimeoutMillis} ms` })
            }),
            Effect.either,
            Effect.catchAllDefect((defect) =>
              Effect.succeed(Either.left(new DeliveryError({ temporary: true, message: defectText(defect) })))
            )
          )
        )),
        Fiber.join
      )

    /** Reads the record and builds the message; `Skipped` or `Waiting` when nothing is to be sent now. */
    const prepare = (n: Notification, event: RecordedEvent) =>
      Effect.gen(function*() {
        const key = deliveryKey(n, "email")
        const existing = yield* deliveries.find(key)
        const now = yield* Clock.currentTimeMillis
        if (Option.isSome(existing)) {
          const previous = existing.value
          if (previous.status === "Sent" || previous.status === "Dead") return { _tag: "Skipped" } as const
          const due = previous.nextAttemptAt?.getTime()
          if (due !== undefined && due > now) return { _tag: "Waiting", notBefore: due } as const
        }
        const attempts = Option.match(existing, { onNone: () => 0, onSome: (r) => r.attempts }) + 1
        const messageId = yield* messageIdFor(key, domain)
        const composed = yield* compose(n, event, messageId)
        return { _tag: "Ready", key, attempts, messageId, composed } as const
      })

    /**
     * Sends one notification unless its record says it is done, and records the outcome. Reading
     * and rendering may be interrupted; a send and its record form one step that interruption
     * waits for (a send has a timeout).
     */
    const deliver = (n: Notification, event: RecordedEvent): Effect.Effect<Outcome, StorageError> =>
      Effect.uninterruptibleMask((restore) =>
        Effect.gen(function*() {
          const prepared = yield* restore(prepare(n, event))
          if (prepared._tag !== "Ready") return prepared
          const { attempts, composed, key, messageId } = prepared
          const result: Either.Either<unknown, DeliveryError> = Either.isLeft(composed)
            ? composed
            : yield* send(composed.right)
          const at = yield* Clock.currentTimeMillis
          const base = {
            key,
            eventId: n.eventId,
            recipient: n.recipient.email,
            channel: "email" as const,
            messageId,
            attempts,
            updatedAt: new Date(at)
          }
          if (Either.isRight(result)) {
            yield* deliveries.record(new DeliveryRecord({ ...base, status: "Sent" }))
            return { _tag: "Sent" } as const
          }
          const error = result.left
          if (error.temporary && attempts < settings.maxAttempts) {
            const notBefore = at + backoffMillis(attempts, settings, yield* Random.next)
            yield* deliveries.record(
              new DeliveryRecord({ ...base, status: "Retrying", lastError: errorText(error), nextAttemptAt: new Date(notBefore) })
            )
            yield* Effect.logWarning("delivery failed; will retry").pipe(
              Effect.annotateLogs({ key, attempts, error: errorText(error) })
            )
            return { _tag: "Retrying", notBefore } as const
          }
          yield* deliveries.record(new DeliveryRecord({ ...base, status: "Dead", lastError: errorText(error) }))
          yield* Effect.logError("delivery failed for good").pipe(
            Effect.annotateLogs({ key, attempts, error: errorText(error) })
          )
          return { _tag: "Dead" } as const
        })
      )

    // At most `concurrency` messages of a batch are prepared and sent at once.
    const permits = yield* Effect.makeSemaphore(Math.max(1, Math.floor(settings.concurrency)))

    const tally = (outcomes: ReadonlyArray<Outcome>) => {
      let report: BatchReport = emptyReport
      let pendingUntil: number | undefined
      for (const outcome of outcomes) {
        switch (outcome._tag) {
          case "Sent":
            report = add(report, { sent: 1 })
            break
          case "Skipped":
            report = add(report, { skipped: 1 })
            break
          case "Dead":
            report = add(report, { dead: 1 })
            break
          case "Conflict":
            report = add(report, { conflicts: 1 })
            break
          case "Retrying":
          case "Waiting":
            report = add(report, outcome._tag === "Retrying" ? { retrying: 1 } : {})
            pendingUntil = Math.min(pendingUntil ?? Number.POSITIVE_INFINITY, outcome.notBefore)
            break
        }
      }
      return { report, pendingUntil }
    }

    /** Delivers the notifications of one event, then completes or releases it. `open` holds the claims not yet handled. */
    const handle = (claimed: ClaimedEvent, open: Map<string, ClaimedEvent>): Effect.Effect<BatchReport> =>
      Effect.gen(function*() {
        const event = claimed.event
        // A defect in the source is retried later with backoff; the event must not hold up the rest.
        const notifications = yield* source.forEvent(event).pipe(
          Effect.map(Either.right),
          Effect.catchAllDefect((defect) => Effect.succeed(Either.left(defectText(defect))))
        )
        if (Either.isLeft(notifications)) {
          const now = yield* Clock.currentTimeMillis
          const delay = backoffMillis(claimed.previousClaims + 1, settings, yield* Random.next)
          yield* Effect.logError("the notifications of an event could not be worked out; it will be claimed again").pipe(
            Effect.annotateLogs({ eventId: event.id, error: notifications.left })
          )
          yield* outbox.release(event.id, claimed.claimToken, new Date(now + delay))
          open.delete(event.id)
          return add(emptyReport, { released: 1 })
        }
        const mails = yield* Effect.forEach(notifications.right, (n) => permits.withPermits(1)(deliver(n, event)), {
          concurrency: "unbounded"
        })
        const published = Option.isNone(calendarChannel) ? [] : yield* permits.withPermits(1)(
          calendarChannel.value.forEvent(event).pipe(
            // a defect in the channel is retried later, like one in a template
            Effect.catchAllDefect((defect) =>
              Effect.zipRight(
                Effect.logError("the calendar channel failed; the event will be claimed again").pipe(
                  Effect.annotateLogs({ eventId: event.id, error: defectText(defect) })
                ),
                Effect.map(Clock.currentTimeMillis, (now) => [{
                  _tag: "Retrying" as const,
                  notBefore: now + backoffMillis(claimed.previousClaims + 1, settings, 0.5)
                }])
              )
            )
          )
        )
        const outcomes: ReadonlyArray<Outcome> = [...mails, ...published]
        const { pendingUntil, report } = tally(outcomes)
        if (pendingUntil === undefined) {
          yield* outbox.complete(event.id, claimed.claimToken)
          open.delete(event.id)
          return add(report, { completed: 1 })
        }
        yield* outbox.release(event.id, claimed.claimToken, new Date(pendingUntil))
        open.delete(event.id)
        return add(report, { released: 1 })
      }).pipe(
        Effect.catchTag("StorageError", (error) =>
          Effect.gen(function*() {
            yield* Effect.logWarning("dispatching an event failed; it will be claimed again").pipe(
              Effect.annotateLogs({ eventId: claimed.event.id, error: error.message })
            )
            const now = yield* Clock.currentTimeMillis
            yield* outbox.release(claimed.event.id, claimed.claimToken, new Date(now + settings.baseDelayMillis)).pipe(
              Effect.ignore
            )
            open.delete(claimed.event.id)
            return add(emptyReport, { released: 1 })
          })
        ),
        // A step that died (the process is going down, or a store broke its contract) keeps its
        // claim until the lease ends: given back at once it would be tried again in a hot loop.
        Effect.onExit((exit) =>
          Exit.isFailure(exit) && !Cause.isInterruptedOnly(exit.cause)
            ? Effect.sync(() => open.delete(claimed.event.id))
            : Effect.void
        )
      )

    /** Gives back every claim not yet handled, to be claimed again at once. */
    const releaseOpen = (open: Map<string, ClaimedEvent>) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.forEach(
          [...open.values()],
          (c) => Effect.ignore(outbox.release(c.event.id, c.claimToken, new Date(now))),
          { discard: true }
        ))

    /** Renews the claims not yet handled every third of the lease, until interrupted. */
    const renewing = (open: Map<string, ClaimedEvent>) =>
      Effect.forever(
        Effect.zipRight(
          Effect.sleep(Duration.millis(Math.max(1, Math.floor(settings.leaseMillis / 3)))),
          Effect.suspend(() => {
            const claims = [...open.values()].map((c) => ({ eventId: c.event.id, claimToken: c.claimToken }))
            return claims.length === 0 ? Effect.void : outbox.renew(claims, settings.leaseMillis).pipe(
              Effect.tap((held) =>
                held.length < claims.length
                  ? Effect.logWarning("claims were lost before they were renewed").pipe(
                    Effect.annotateLogs({ lost: claims.length - held.length })
                  )
                  : Effect.void
              ),
              Effect.catchTag("StorageError", (error) =>
                Effect.logWarning("renewing claims failed; trying again").pipe(Effect.annotateLogs({ error: error.message }))
              )
            )
          })
        )
      )

    // The claim is not interruptible: a stop that came while the database was taking the claims
    // would otherwise lose them (taken in the store, never seen here, so never given back), and they
    // would wait for their lease to end. The batch itself is interruptible, and gives back on a stop.
    const runOnce: Effect.Effect<BatchReport, StorageError> = Effect.uninterruptibleMask((restore) =>
      Effect.gen(function*() {
        const claimed = yield* outbox.claim({
          consumer: options.consumer,
          limit: settings.batchSize,
          leaseMillis: settings.leaseMillis
        })
        const report: BatchReport = add(emptyReport, { claimed: claimed.length })
        if (claimed.length === 0) return report
        const open = new Map(claimed.map((c) => [c.event.id as string, c]))
        // Interruptible, so that it stops (and its timer is cleared) with the batch.
        const renewer = yield* Effect.fork(Effect.interruptible(renewing(open)))
        const reports = yield* restore(Effect.forEach(claimed, (c) => handle(c, open), { concurrency: "unbounded" })).pipe(
          // Stopped (or a step died): give back every event not yet handled, so another dispatcher goes on.
          Effect.onExit((exit) => (exit._tag === "Success" ? Effect.void : releaseOpen(open))),
          Effect.ensuring(Fiber.interrupt(renewer))
        )
        return reports.reduce(add, report)
      })
    ).pipe(Effect.withSpan("Dispatcher.runOnce", { attributes: { consumer: options.consumer }, captureStackTrace: false }))

    const run: Effect.Effect<never> = Effect.forever(
      runOnce.pipe(
        Effect.catchAllCause((cause) =>
          Cause.isInterruptedOnly(cause)
            ? Effect.failCause(cause as Cause.Cause<never>)
            : Effect.as(
              Effect.logError("a dispatcher batch failed; trying again", cause),
              emptyReport
            )
        ),
        Effect.flatMap((report) =>
          report.claimed < settings.batchSize ? Effect.sleep(Duration.millis(settings.pollIntervalMillis)) : Effect.void
        )
      )
    )

    return { runOnce, run }
  })

/** Claims and delivers one batch. @category constructors */
export const runOnce = (options: Options): Effect.Effect<BatchReport, StorageError | ValidationError, Requirements> =>
  Effect.flatMap(make(options), (d) => d.runOnce)

/** Dispatches until interrupted. @category constructors */
export const run = (options: Options): Effect.Effect<never, ValidationError, Requirements> =>
  Effect.flatMap(make(options), (d) => d.run)

/** Runs a dispatcher as a background fiber for the lifetime of the layer's scope. @category layers */
export const layer = (options: Options): Layer.Layer<never, ValidationError, Requirements> =>
  Layer.scopedDiscard(Effect.forkScoped(run(options)))
