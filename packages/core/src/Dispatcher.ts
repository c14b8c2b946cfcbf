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
import { Line } from "./Common.js"
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
import { trusted } from "./internal/schemaClass.js"

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

/**
 * What the templates wrote, checked before it goes into a message: the subject is a header line.
 * The rest of a message comes from the decoded notification and is not checked again.
 */
const checkRendered = Validation.decodeEither(Schema.Struct({ subject: Line, text: Schema.String, html: Schema.String }))

/** The alarms setting, checked once when the dispatcher is built (every invitation carries it). */
const Alarms = Schema.Struct({ invitationAlarmsMinutesBefore: Schema.Array(Schema.Int.pipe(Schema.positive())) })

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
    yield* Validation.decode(Alarms)({ invitationAlarmsMinutesBefore: settings.invitationAlarmsMinutesBefore })
    // the second channel, when given: sessions in the programmes' calendars
    const calendarChannel = yield* Effect.serviceOption(CalendarChannel)

    const noCalendarPart: Effect.Effect<Either.Either<CalendarPart | undefined, string>> = Effect.succeed(Either.right(undefined))

    const calendarPart = (n: Notification, event: RecordedEvent): Effect.Effect<Either.Either<CalendarPart | undefined, string>> => {
      const method = n.calendarMethod
      if (method === undefined) return noCalendarPart
      const session = n.session
      if (session === undefined) return Effect.succeed(Either.left(`a ${n.kind} with calendar method ${method} names no session`))
      const description = describeAgenda(n)
      // every field from the decoded notification, the alarms checked when the dispatcher was built, or a literal
      const calendarEvent = new CalendarEvent({
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
      }, trusted)
      const attendee = new CalendarAttendee({ name: n.recipient.name, email: n.recipient.email, answer: "NeedsAction" }, trusted)
      return Effect.map(calendar.invitation(calendarEvent, attendee, method), (ics) => Either.right(new CalendarPart({ method, ics }, trusted)))
    }

    /**
     * Renders the message; a message that cannot be built is a permanent failure, a defect in the
     * templates or the renderer a temporary one (a Left either way).
     */
    const compose = (
      n: Notification,
      event: RecordedEvent,
      messageId: string
    ): Effect.Effect<Either.Either<OutgoingMessage, DeliveryError>> =>
      Effect.flatMap(templates.render(n), (rendered) =>
        Effect.map(calendarPart(n, event), (part): Either.Either<OutgoingMessage, DeliveryError> => {
          if (Either.isLeft(part)) return Either.left(new DeliveryError({ temporary: false, message: part.left }))
          const checked = checkRendered({ subject: rendered.subject, text: rendered.text, html: rendered.html })
          if (Either.isLeft(checked)) return Either.left(new DeliveryError({ temporary: false, message: `the message is not valid: ${checked.left.message}` }))
          return Either.right(
            new OutgoingMessage({
              messageId,
              from,
              to: [new Address({ name: n.recipient.name, address: n.recipient.email }, trusted)],
              replyTo: new Address({ name: n.organizer.name, address: n.organizer.email }, trusted),
              subject: checked.right.subject,
              text: checked.right.text,
              html: checked.right.html,
              language: n.recipient.language,
              ...(part.right === undefined ? {} : { calendar: part.right }),
              attachments: []
            }, trusted)
          )
        })).pipe(
          Effect.catchAllDefect((defect) =>
            Effect.succeed(Either.left(new DeliveryError({ temporary: true, message: defectText(defect) })))
          )
        )

    const sentOutcome = { _tag: "Sent" } as const

    /** The outcome of a send, as the record needs it; a defect of the mailer is a temporary failure. */
    const sendOutcome = (exit: Exit.Exit<unknown, DeliveryError>): Either.Either<unknown, DeliveryError> => {
      if (Exit.isSuccess(exit)) return Either.right(exit.value)
      const failure = Cause.failureOption(exit.cause)
      if (Option.isSome(failure)) return Either.left(failure.value)
      const defect = Cause.dieOption(exit.cause)
      return Either.left(
        new DeliveryError({
          temporary: true,
          message: Option.isSome(defect) ? defectText(defect.value) : defectText(Cause.pretty(exit.cause))
        })
      )
    }

    type Prepared =
      | { readonly _tag: "Skipped" }
      | { readonly _tag: "Waiting"; readonly notBefore: number }
      | {
        readonly _tag: "Ready"
        readonly key: string
        readonly attempts: number
        readonly messageId: string
        readonly composed: Either.Either<OutgoingMessage, DeliveryError>
      }

    /** Reads the record and builds the message; `Skipped` or `Waiting` when nothing is to be sent now. */
    const prepare = (n: Notification, event: RecordedEvent, clock: Clock.Clock): Effect.Effect<Prepared, StorageError> => {
      const key = deliveryKey(n, "email")
      return Effect.flatMap(deliveries.find(key), (existing): Effect.Effect<Prepared> => {
        const now = clock.unsafeCurrentTimeMillis()
        if (Option.isSome(existing)) {
          const previous = existing.value
          if (previous.status === "Sent" || previous.status === "Dead") return Effect.succeed({ _tag: "Skipped" } as const)
          const due = previous.nextAttemptAt?.getTime()
          if (due !== undefined && due > now) return Effect.succeed({ _tag: "Waiting", notBefore: due } as const)
        }
        const attempts = (Option.isSome(existing) ? existing.value.attempts : 0) + 1
        return Effect.flatMap(
          messageIdFor(key, domain),
          (messageId) => Effect.map(compose(n, event, messageId), (composed) => ({ _tag: "Ready", key, attempts, messageId, composed } as const))
        )
      })
    }

    /**
     * What one batch works with: its clock, and the watch over the sends in flight. Every send runs
     * in a fiber of its own (a daemon: a stop is signalled to the children of the batch's fibers,
     * and must not reach a send), and one timer per batch abandons the sends that have not answered
     * within `sendTimeoutMillis`, sleeping on the clock (so a test clock moves it) until the oldest
     * send's deadline. Deadlines follow the order the sends began in, so the oldest comes first.
     */
    interface Watch {
      readonly clock: Clock.Clock
      readonly inFlight: Array<InFlight>
      wake: (() => void) | undefined
    }
    interface InFlight {
      readonly deadline: number
      readonly fiber: Fiber.RuntimeFiber<unknown, DeliveryError>
      readonly settle: (outcome: Either.Either<unknown, DeliveryError>) => void
      settled: boolean
    }
    const timedOut = Either.left(
      new DeliveryError({ temporary: true, message: `no answer within ${settings.sendTimeoutMillis} ms` })
    )

    /** The batch's timer: sleeps until the oldest send's deadline, abandons the sends past theirs, and again. */
    const watching = (watch: Watch): Effect.Effect<never> => {
      const idle = Effect.async<void>((resume) => {
        watch.wake = () => {
          watch.wake = undefined
          resume(Effect.void)
        }
        return Effect.sync(() => {
          watch.wake = undefined
        })
      })
      const step: Effect.Effect<void> = Effect.suspend(() => {
        const queue = watch.inFlight
        while (queue.length > 0 && queue[0]!.settled) queue.shift()
        if (queue.length === 0) return idle
        const now = watch.clock.unsafeCurrentTimeMillis()
        if (queue[0]!.deadline > now) return watch.clock.sleep(Duration.millis(queue[0]!.deadline - now))
        return Effect.withFiberRuntime<void>((self) => {
          while (queue.length > 0 && queue[0]!.deadline <= now) {
            const entry = queue.shift()!
            if (entry.settled) continue
            entry.settled = true
            entry.fiber.unsafeInterruptAsFork(self.id())
            entry.settle(timedOut)
          }
          return Effect.void
        })
      })
      return Effect.forever(step)
    }

    /**
     * A send that hangs counts as a temporary failure after `sendTimeoutMillis` (the send is
     * abandoned: its fiber interrupted); a defect of the mailer counts as a temporary failure with
     * the defect's message.
     */
    const send = (message: OutgoingMessage, watch: Watch): Effect.Effect<Either.Either<unknown, DeliveryError>> =>
      Effect.flatMap(Effect.forkDaemon(Effect.interruptible(mailer.send(message))), (fiber) =>
        Effect.async<Either.Either<unknown, DeliveryError>>((resume) => {
          const entry: InFlight = {
            deadline: watch.clock.unsafeCurrentTimeMillis() + settings.sendTimeoutMillis,
            fiber,
            settle: (outcome) => resume(Effect.succeed(outcome)),
            settled: false
          }
          fiber.addObserver((exit) => {
            if (entry.settled) return
            entry.settled = true
            entry.settle(sendOutcome(exit))
          })
          if (!entry.settled) {
            watch.inFlight.push(entry)
            watch.wake?.()
          }
        }))

    /** Records the outcome of an attempt. */
    const recordOutcome = (
      n: Notification,
      prepared: { readonly key: string; readonly attempts: number; readonly messageId: string },
      result: Either.Either<unknown, DeliveryError>,
      clock: Clock.Clock
    ): Effect.Effect<Outcome, StorageError> => {
      const { attempts, key, messageId } = prepared
      const at = clock.unsafeCurrentTimeMillis()
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
        return Effect.as(deliveries.record(new DeliveryRecord({ ...base, status: "Sent" }, trusted)), sentOutcome)
      }
      const error = result.left
      if (error.temporary && attempts < settings.maxAttempts) {
        return Effect.flatMap(Random.next, (random) => {
          const notBefore = at + backoffMillis(attempts, settings, random)
          return deliveries.record(
            new DeliveryRecord({ ...base, status: "Retrying", lastError: errorText(error), nextAttemptAt: new Date(notBefore) }, trusted)
          ).pipe(
            Effect.zipRight(Effect.logWarning("delivery failed; will retry").pipe(
              Effect.annotateLogs({ key, attempts, error: errorText(error) })
            )),
            Effect.as({ _tag: "Retrying", notBefore } as const)
          )
        })
      }
      return deliveries.record(new DeliveryRecord({ ...base, status: "Dead", lastError: errorText(error) }, trusted)).pipe(
        Effect.zipRight(Effect.logError("delivery failed for good").pipe(
          Effect.annotateLogs({ key, attempts, error: errorText(error) })
        )),
        Effect.as({ _tag: "Dead" } as const)
      )
    }

    /**
     * Sends one notification unless its record says it is done, and records the outcome. Reading
     * and rendering may be interrupted; a send and its record form one step that interruption
     * waits for (a send has a timeout).
     */
    const deliver = (n: Notification, event: RecordedEvent, watch: Watch): Effect.Effect<Outcome, StorageError> =>
      Effect.uninterruptibleMask((restore) =>
        Effect.flatMap(restore(prepare(n, event, watch.clock)), (prepared): Effect.Effect<Outcome, StorageError> => {
          if (prepared._tag !== "Ready") return Effect.succeed(prepared)
          const composed = prepared.composed
          return Either.isLeft(composed)
            ? recordOutcome(n, prepared, composed, watch.clock)
            : Effect.flatMap(send(composed.right, watch), (result) => recordOutcome(n, prepared, result, watch.clock))
        })
      )

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

    /** An event of the batch while it is worked on: its deliveries left, their outcomes, a storage failure. */
    interface Work {
      readonly claimed: ClaimedEvent
      left: number
      readonly outcomes: Array<Outcome>
      failed: StorageError | undefined
    }
    /** One delivery of an event: a message, or the event's calendar publication. */
    type Item = { readonly work: Work; readonly notification: Notification } | { readonly work: Work; readonly notification: undefined }

    /** Gives an event back after a storage failure, to be claimed again after the base delay. */
    const releaseAfterFailure = (claimed: ClaimedEvent, error: StorageError, open: Map<string, ClaimedEvent>, clock: Clock.Clock) =>
      Effect.logWarning("dispatching an event failed; it will be claimed again").pipe(
        Effect.annotateLogs({ eventId: claimed.event.id, error: error.message }),
        Effect.zipRight(Effect.suspend(() =>
          outbox.release(claimed.event.id, claimed.claimToken, new Date(clock.unsafeCurrentTimeMillis() + settings.baseDelayMillis))
            .pipe(Effect.ignore)
        )),
        Effect.zipRight(Effect.sync(() => {
          open.delete(claimed.event.id)
          return add(emptyReport, { released: 1 })
        }))
      )

    /** Once every delivery of an event is done: completes it, or gives it back until the first retry is due. */
    const finish = (work: Work, open: Map<string, ClaimedEvent>, clock: Clock.Clock): Effect.Effect<BatchReport> => {
      const claimed = work.claimed
      if (work.failed !== undefined) return releaseAfterFailure(claimed, work.failed, open, clock)
      const { pendingUntil, report } = tally(work.outcomes)
      const done = pendingUntil === undefined
        ? Effect.as(outbox.complete(claimed.event.id, claimed.claimToken), add(report, { completed: 1 }))
        : Effect.as(outbox.release(claimed.event.id, claimed.claimToken, new Date(pendingUntil)), add(report, { released: 1 }))
      return done.pipe(
        Effect.tap(() => Effect.sync(() => open.delete(claimed.event.id))),
        Effect.catchTag("StorageError", (error) => releaseAfterFailure(claimed, error, open, clock))
      )
    }

    /**
     * Works on one batch with `concurrency` workers (fibers), each taking the next message of any
     * event of the batch, or else the next event whose notifications are to be worked out. A worker
     * waits while another works out an event's notifications, so that an event with many messages
     * is sent `concurrency` at a time. An event is completed or given back by the worker that
     * finished its last delivery.
     */
    const work = (claimed: ReadonlyArray<ClaimedEvent>, open: Map<string, ClaimedEvent>, watch: Watch) =>
      Effect.suspend(() => {
        const clock = watch.clock
        let report = add(emptyReport, { claimed: claimed.length })
        let nextEvent = 0
        let expanding = 0
        const items: Array<Item> = []
        let nextItem = 0
        const waiting: Array<() => void> = []
        const wakeAll = () => {
          for (const w of waiting.splice(0)) w()
        }
        const waitForItems = Effect.async<void>((resume) => {
          const w = () => resume(Effect.void)
          waiting.push(w)
          return Effect.sync(() => {
            const i = waiting.indexOf(w)
            if (i >= 0) waiting.splice(i, 1)
          })
        })

        /** The notifications of an event, as items; a defect in the source is retried later with backoff. */
        const expand = (c: ClaimedEvent): Effect.Effect<void> =>
          source.forEvent(c.event).pipe(
            Effect.map((notifications): Either.Either<ReadonlyArray<Notification>, string> => Either.right(notifications)),
            Effect.catchAllDefect((defect) => Effect.succeed(Either.left(defectText(defect)))),
            Effect.flatMap((notifications): Effect.Effect<void, StorageError> => {
              if (Either.isLeft(notifications)) {
                return Effect.flatMap(Random.next, (random) => {
                  const notBefore = clock.unsafeCurrentTimeMillis() + backoffMillis(c.previousClaims + 1, settings, random)
                  return Effect.logError("the notifications of an event could not be worked out; it will be claimed again").pipe(
                    Effect.annotateLogs({ eventId: c.event.id, error: notifications.left }),
                    Effect.zipRight(outbox.release(c.event.id, c.claimToken, new Date(notBefore))),
                    Effect.zipRight(Effect.sync(() => {
                      open.delete(c.event.id)
                      report = add(report, { released: 1 })
                    }))
                  )
                })
              }
              const w: Work = { claimed: c, left: 0, outcomes: [], failed: undefined }
              for (const notification of notifications.right) items.push({ work: w, notification })
              w.left = notifications.right.length
              if (Option.isSome(calendarChannel)) {
                items.push({ work: w, notification: undefined })
                w.left++
              }
              if (w.left > 0) return Effect.void
              return Effect.map(finish(w, open, clock), (r) => {
                report = add(report, r)
              })
            }),
            Effect.catchTag("StorageError", (error) =>
              Effect.map(releaseAfterFailure(c, error, open, clock), (r) => {
                report = add(report, r)
              }))
          )

        /** One delivery; a storage failure marks its event failed (given back once its other deliveries are done). */
        const deliverItem = (item: Item): Effect.Effect<void> => {
          const w = item.work
          if (w.failed !== undefined) return settle(w, undefined)
          const run: Effect.Effect<ReadonlyArray<Outcome>, StorageError> = item.notification === undefined
            ? publish(w.claimed)
            : Effect.map(deliver(item.notification, w.claimed.event, watch), (o) => [o])
          return run.pipe(
            Effect.matchEffect({
              onFailure: (error) => {
                w.failed ??= error
                return settle(w, undefined)
              },
              onSuccess: (outcomes) => settle(w, outcomes)
            })
          )
        }
        const settle = (w: Work, outcomes: ReadonlyArray<Outcome> | undefined): Effect.Effect<void> => {
          if (outcomes !== undefined) w.outcomes.push(...outcomes)
          if (--w.left > 0) return Effect.void
          return Effect.map(finish(w, open, clock), (r) => {
            report = add(report, r)
          })
        }

        /**
         * A worker: messages first, then the next event to work out, else waits while another
         * worker works one out. When a step dies (the process is going down, or a store broke its
         * contract), the event it worked on keeps its claim until the lease ends: given back at
         * once it would be tried again in a hot loop.
         */
        const makeWorker = (): Effect.Effect<void> => {
          let current: string | undefined
          const loop: Effect.Effect<void> = Effect.suspend(() => {
            if (nextItem < items.length) {
              const item = items[nextItem]!
              items[nextItem++] = undefined as never
              current = item.work.claimed.event.id
              return Effect.zipRight(deliverItem(item), loop)
            }
            current = undefined
            if (nextEvent < claimed.length) {
              const c = claimed[nextEvent++]!
              current = c.event.id
              expanding++
              return Effect.zipRight(
                Effect.ensuring(
                  expand(c),
                  Effect.sync(() => {
                    expanding--
                    wakeAll()
                  })
                ),
                loop
              )
            }
            if (expanding > 0) return Effect.zipRight(waitForItems, loop)
            return Effect.void
          })
          return Effect.onExit(loop, (exit) =>
            Exit.isFailure(exit) && !Cause.isInterruptedOnly(exit.cause) && current !== undefined
              ? Effect.sync(() => open.delete(current!))
              : Effect.void)
        }

        const workers = Array.from({ length: Math.max(1, Math.floor(settings.concurrency)) }, makeWorker)
        return Effect.map(Effect.all(workers, { concurrency: "unbounded", discard: true }), () => report)
      })

    /** The calendar channel's outcomes for an event; a defect in the channel is retried later, like one in a template. */
    const publish = (claimed: ClaimedEvent): Effect.Effect<ReadonlyArray<Outcome>, StorageError> =>
      Option.isNone(calendarChannel) ? Effect.succeed([]) : calendarChannel.value.forEvent(claimed.event).pipe(
        Effect.catchAllDefect((defect) =>
          Effect.zipRight(
            Effect.logError("the calendar channel failed; the event will be claimed again").pipe(
              Effect.annotateLogs({ eventId: claimed.event.id, error: defectText(defect) })
            ),
            Effect.map(Clock.currentTimeMillis, (now) => [{
              _tag: "Retrying" as const,
              notBefore: now + backoffMillis(claimed.previousClaims + 1, settings, 0.5)
            }])
          )
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
        if (claimed.length === 0) return emptyReport
        const open = new Map(claimed.map((c) => [c.event.id as string, c]))
        const watch: Watch = { clock: yield* Effect.clock, inFlight: [], wake: undefined }
        // Interruptible, so that they stop (and their timers are cleared) with the batch.
        const renewer = yield* Effect.fork(Effect.interruptible(renewing(open)))
        const watcher = yield* Effect.fork(Effect.interruptible(watching(watch)))
        return yield* restore(work(claimed, open, watch)).pipe(
          // Stopped (or a step died): give back every event not yet handled, so another dispatcher goes on.
          Effect.onExit((exit) => (exit._tag === "Success" ? Effect.void : releaseOpen(open))),
          Effect.ensuring(Effect.zipRight(Fiber.interrupt(watcher), Fiber.interrupt(renewer)))
        )
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
