import { describe, expect, it } from "@effect/vitest"
import { Clock, Context, Deferred, Effect, Exit, Fiber, Layer, Option, Ref, Schema, TestClock } from "effect"
import * as fc from "fast-check"
import { Calendar, Dispatcher, Events, Mailer, Notification, Outbox, Settings, StorageError } from "@copkit/core"
import { Fixtures, Memory } from "@copkit/testing"

// --- a tiny world: events, the notifications they call for, templates, a calendar renderer -----

/** Which notifications each event calls for; tests fill it in. */
class Wanted extends Context.Tag("test/Wanted")<Wanted, Ref.Ref<ReadonlyMap<string, ReadonlyArray<Notification.Notification>>>>() {}

const sourceLayer = Layer.effect(
  Notification.NotificationSource,
  Effect.map(Wanted, (wanted) => ({
    forEvent: (event: Events.RecordedEvent) => Effect.map(Ref.get(wanted), (m) => m.get(event.id) ?? [])
  }))
)

const templatesLayer = Layer.succeed(Notification.MessageTemplates, {
  render: (n) =>
    Effect.succeed({
      subject: `${n.kind}: ${n.programmeName}`,
      text: `Hallo ${n.recipient.name}`,
      html: `<p>Hallo ${n.recipient.name}</p>`
    })
})

const calendarLayer = Layer.succeed(Calendar.CalendarRenderer, {
  invitation: (event, attendee, method) =>
    Effect.succeed(
      `BEGIN:VCALENDAR\r\nMETHOD:${method}\r\nBEGIN:VEVENT\r\nUID:${event.uid}\r\nSEQUENCE:${event.sequence}\r\nSTATUS:${event.status}\r\nATTENDEE:mailto:${attendee.email}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`
    ),
  feed: () => Effect.succeed("")
})

const wantedLayer = Layer.effect(Wanted, Ref.make<ReadonlyMap<string, ReadonlyArray<Notification.Notification>>>(new Map()))

const world = (mailer: Layer.Layer<Mailer.Mailer, never, Memory.MemoryMailer> = Layer.effect(Mailer.Mailer, Effect.map(Memory.MemoryMailer, (m) => m.mailer))) =>
  Layer.mergeAll(sourceLayer, templatesLayer, calendarLayer, mailer).pipe(
    Layer.provideMerge(Layer.mergeAll(wantedLayer, Memory.layerStorage, Memory.MemoryMailer.Default))
  )

const TestWorld = world()

const options: Dispatcher.Options = { consumer: "test", from: { name: "Copkit", address: "noreply@copkit.example" } }

const decodeNotification = Schema.decodeUnknownSync(Notification.Notification)

const notification = (eventId: string, email: string, extra: Record<string, unknown> = {}) =>
  decodeNotification({
    kind: "Invitation",
    eventId,
    recipient: { personId: `per_${email.split("@")[0]!.replace(/[^A-Za-z0-9_.:-]/g, "_")}`, name: "Ilse Mulder", email, language: "nl" },
    programmeName: "Regio Utrecht",
    organizer: { name: "Joost Bakker", email: "j.bakker@provincie-utrecht.nl" },
    ...extra
  })

const session = {
  uid: "ses_1@copkit.example",
  sequence: 0,
  title: "Sessie 1: inspiratie",
  start: "2027-03-04T13:30:00Z",
  end: "2027-03-04T16:30:00Z",
  timeZone: "Europe/Amsterdam",
  venue: "Stadhuis Utrecht",
  agenda: [{ title: "Welkom", minutes: 15 }]
}

let counter = 0
/** Appends one event and says which notifications it calls for. */
const happen = (recipients: ReadonlyArray<string>, extra: Record<string, unknown> = {}) =>
  Effect.gen(function*() {
    const id = `evt_t${++counter}`
    const recorded = yield* Fixtures.appendEvent({ id, occurredAt: new Date(0) })
    const notifications = recipients.map((email) => notification(id, email, extra))
    const wanted = yield* Wanted
    yield* Ref.update(wanted, (m) => new Map([...m, [id, notifications]]))
    return { event: recorded!, notifications }
  })

const sent = Effect.flatMap(Memory.MemoryMailer, (m) => m.sent)
const records = Effect.flatMap(Outbox.Deliveries, (d) => d.list())
const settings = Settings.defaults.dispatcher
const TestClockNow = Clock.currentTimeMillis

// --- the tests -----------------------------------------------------------------------------------

describe("Dispatcher", () => {
  it.effect("sends one message per notification, records it Sent and completes the event", () =>
    Effect.gen(function*() {
      const { notifications } = yield* happen(["ilse@bakkerijmulder.nl", "sanne@devries-metaal.nl"])
      const report = yield* Dispatcher.runOnce(options)
      expect(report).toMatchObject({ claimed: 1, completed: 1, sent: 2, retrying: 0, dead: 0, skipped: 0 })
      const messages = yield* sent
      expect(messages.map((m) => m.to[0].address).sort()).toEqual(["ilse@bakkerijmulder.nl", "sanne@devries-metaal.nl"]) // sent concurrently: any order
      const key = Notification.deliveryKey(notifications[0]!)
      const first = messages.find((m) => m.to[0].address === notifications[0]!.recipient.email)
      expect(first?.messageId).toBe(yield* Dispatcher.messageIdFor(key, "copkit.example"))
      expect(messages[0]!.messageId).toMatch(/^<copkit\.[0-9a-f]{40}@copkit\.example>$/)
      expect(messages[0]!.from).toEqual(new Mailer.Address({ name: "Copkit", address: "noreply@copkit.example" as never }))
      expect(messages[0]!.replyTo?.address).toBe("j.bakker@provincie-utrecht.nl")
      expect(messages[0]!.subject).toBe("Invitation: Regio Utrecht")
      const recs = yield* records
      expect(recs.map((r) => [r.status, r.attempts])).toEqual([["Sent", 1], ["Sent", 1]])
      expect(recs.find((r) => r.key === key)?.messageId).toBe(first?.messageId)
      // Nothing left: a second batch claims nothing and sends nothing.
      expect(yield* Dispatcher.runOnce(options)).toMatchObject({ claimed: 0, sent: 0 })
      expect((yield* sent).length).toBe(2)
    }).pipe(Effect.provide(TestWorld)))

  it.effect("the same key gives the same Message-ID, other keys another", () =>
    Effect.gen(function*() {
      const a = yield* Dispatcher.messageIdFor("evt_1/a@b.nl/email", "x.nl")
      expect(yield* Dispatcher.messageIdFor("evt_1/a@b.nl/email", "x.nl")).toBe(a)
      expect(yield* Dispatcher.messageIdFor("evt_2/a@b.nl/email", "x.nl")).not.toBe(a)
    }))

  it.effect("a notification whose record says Sent is not sent again", () =>
    Effect.gen(function*() {
      const { notifications } = yield* happen(["ilse@bakkerijmulder.nl", "sanne@devries-metaal.nl"])
      const first = notifications[0]!
      const deliveries = yield* Outbox.Deliveries
      yield* deliveries.record(
        new Outbox.DeliveryRecord({
          key: Notification.deliveryKey(first),
          eventId: first.eventId,
          recipient: first.recipient.email,
          channel: "email",
          messageId: "<earlier@copkit.example>",
          status: "Sent",
          attempts: 1,
          updatedAt: new Date(0)
        })
      )
      const report = yield* Dispatcher.runOnce(options)
      expect(report).toMatchObject({ sent: 1, skipped: 1, completed: 1 })
      expect((yield* sent).map((m) => m.to[0].address)).toEqual(["sanne@devries-metaal.nl"])
    }).pipe(Effect.provide(TestWorld)))

  it.effect("a temporary failure is retried after the backoff and delivered once", () =>
    Effect.gen(function*() {
      yield* happen(["ilse@bakkerijmulder.nl"])
      const mailer = yield* Memory.MemoryMailer
      yield* mailer.script((_, attempt) =>
        attempt === 1 ? Option.some(new Mailer.DeliveryError({ temporary: true, message: "try later", code: 451 })) : Option.none()
      )
      const first = yield* Dispatcher.runOnce(options)
      expect(first).toMatchObject({ claimed: 1, retrying: 1, released: 1, sent: 0 })
      const [retrying] = yield* records
      expect(retrying).toMatchObject({ status: "Retrying", attempts: 1, lastError: "451 try later" })
      const due = retrying!.nextAttemptAt!.getTime()
      expect(due).toBeGreaterThanOrEqual(settings.baseDelayMillis * (1 - settings.jitter))
      expect(due).toBeLessThanOrEqual(settings.baseDelayMillis)
      // Not before it is due.
      expect(yield* Dispatcher.runOnce(options)).toMatchObject({ claimed: 0 })
      yield* TestClock.adjust(due)
      expect(yield* Dispatcher.runOnce(options)).toMatchObject({ claimed: 1, sent: 1, completed: 1 })
      expect((yield* sent).length).toBe(1)
      const [done] = yield* records
      expect(done).toMatchObject({ status: "Sent", attempts: 2 })
      expect(yield* Dispatcher.runOnce(options)).toMatchObject({ claimed: 0 })
    }).pipe(Effect.provide(TestWorld)))

  it.effect("a permanent failure is Dead at once, with its error kept, and the event is done", () =>
    Effect.gen(function*() {
      yield* happen(["ilse@bakkerijmulder.nl"])
      const mailer = yield* Memory.MemoryMailer
      yield* mailer.script(() => Option.some(new Mailer.DeliveryError({ temporary: false, message: "no such user", code: 550 })))
      expect(yield* Dispatcher.runOnce(options)).toMatchObject({ dead: 1, completed: 1 })
      const [dead] = yield* records
      expect(dead).toMatchObject({ status: "Dead", attempts: 1, lastError: "550 no such user" })
      expect(yield* Dispatcher.runOnce(options)).toMatchObject({ claimed: 0 })
    }).pipe(Effect.provide(TestWorld)))

  it.effect("temporary failures end Dead after maxAttempts, with the last error, delays growing", () =>
    Effect.gen(function*() {
      yield* happen(["ilse@bakkerijmulder.nl"])
      const mailer = yield* Memory.MemoryMailer
      yield* mailer.script((_, attempt) =>
        Option.some(new Mailer.DeliveryError({ temporary: true, message: `busy ${attempt}`, code: 421 }))
      )
      const delays: Array<number> = []
      for (let i = 1; i <= 3; i++) {
        const report = yield* Dispatcher.runOnce(options)
        const [rec] = yield* records
        if (i < 3) {
          expect(report).toMatchObject({ retrying: 1 })
          const now = yield* TestClockNow
          delays.push(rec!.nextAttemptAt!.getTime() - now)
          yield* TestClock.adjust(rec!.nextAttemptAt!.getTime() - now)
        } else {
          expect(report).toMatchObject({ dead: 1, completed: 1 })
          expect(rec).toMatchObject({ status: "Dead", attempts: 3, lastError: "421 busy 3" })
        }
      }
      expect(delays[1]!).toBeGreaterThan(delays[0]!)
      expect((yield* sent).length).toBe(0)
    }).pipe(Effect.provide(TestWorld), Effect.provide(Settings.layer({ dispatcher: { maxAttempts: 3, jitter: 0 } }))))

  it.effect("an invitation carries the calendar part with the same method", () =>
    Effect.gen(function*() {
      yield* happen(["ilse@bakkerijmulder.nl"], { session, calendarMethod: "REQUEST" })
      yield* happen(["ilse@bakkerijmulder.nl"], { kind: "Cancellation", session: { ...session, sequence: 1 }, calendarMethod: "CANCEL" })
      const report = yield* Dispatcher.runOnce(options)
      expect(report).toMatchObject({ sent: 2 })
      // the two events of a batch are handled concurrently: told apart by their method, not their order
      const messages = yield* sent
      const invite = messages.find((m) => m.calendar?.ics.includes("METHOD:REQUEST"))
      const cancel = messages.find((m) => m.calendar?.ics.includes("METHOD:CANCEL"))
      expect(invite!.calendar?.method).toBe("REQUEST")
      expect(invite!.calendar?.ics).toContain("METHOD:REQUEST")
      expect(invite!.calendar?.ics).toContain("STATUS:CONFIRMED")
      expect(invite!.calendar?.ics).toContain("ATTENDEE:mailto:ilse@bakkerijmulder.nl")
      expect(cancel!.calendar?.method).toBe("CANCEL")
      expect(cancel!.calendar?.ics).toContain("STATUS:CANCELLED")
      expect(cancel!.calendar?.ics).toContain("SEQUENCE:1")
    }).pipe(Effect.provide(TestWorld)))

  it.effect("a message that cannot be built is Dead with the reason, nothing sent", () =>
    Effect.gen(function*() {
      // A calendar method with no session to put in it.
      yield* happen(["ilse@bakkerijmulder.nl"], { calendarMethod: "REQUEST" })
      expect(yield* Dispatcher.runOnce(options)).toMatchObject({ dead: 1, completed: 1 })
      const [dead] = yield* records
      expect(dead!.lastError).toContain("names no session")
      expect((yield* sent).length).toBe(0)
    }).pipe(Effect.provide(TestWorld)))

  it.effect("a template that writes a header-breaking subject gives a Dead delivery naming the subject, nothing sent", () =>
    Effect.gen(function*() {
      yield* happen(["ilse@bakkerijmulder.nl", "sanne@devries-metaal.nl"])
      const report = yield* Dispatcher.runOnce(options)
      expect(report).toMatchObject({ claimed: 1, dead: 1, sent: 1, completed: 1 })
      const dead = (yield* records).find((r) => r.status === "Dead")
      expect(dead!.recipient).toBe("ilse@bakkerijmulder.nl")
      expect(dead!.lastError).toContain("subject")
      expect((yield* sent).map((m) => m.to[0]!.address)).toEqual(["sanne@devries-metaal.nl"])
    }).pipe(Effect.provide(Layer.merge(
      TestWorld,
      Layer.succeed(Notification.MessageTemplates, {
        render: (n) =>
          Effect.succeed({
            subject: n.recipient.email.startsWith("ilse") ? "Uitnodiging\r\nBcc: everyone@example.nl" : "Uitnodiging",
            text: "Hallo",
            html: "<p>Hallo</p>"
          })
      })
    ))))

  it.effect("an invalid sender is a ValidationError naming the field", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Dispatcher.runOnce({ consumer: "x", from: { address: "not an address" } }))
      expect(error._tag).toBe("ValidationError")
      if (error._tag === "ValidationError") expect(error.field).toBe("address")
      const crlf = yield* Effect.flip(
        Dispatcher.runOnce({ consumer: "x", from: { name: "A\r\nBcc: x@evil.example", address: "a@b.nl" } })
      )
      expect(crlf._tag).toBe("ValidationError")
    }).pipe(Effect.provide(TestWorld)))

  it.effect("alarms that are not whole positive minutes are a ValidationError when the dispatcher is built", () =>
    Effect.gen(function*() {
      for (const alarms of [[-5], [0], [1.5], [1440, Number.NaN]]) {
        const error = yield* Effect.flip(
          Dispatcher.runOnce(options).pipe(Effect.provide(Settings.layer({ dispatcher: { invitationAlarmsMinutesBefore: alarms } })))
        )
        expect(error._tag).toBe("ValidationError")
        if (error._tag === "ValidationError") expect(error.field).toContain("invitationAlarmsMinutesBefore")
      }
      // nothing was claimed: the events wait for a dispatcher with valid settings
      yield* happen(["ilse@bakkerijmulder.nl"], { session, calendarMethod: "REQUEST" })
      expect(yield* Effect.flip(
        Dispatcher.runOnce(options).pipe(Effect.provide(Settings.layer({ dispatcher: { invitationAlarmsMinutesBefore: [0] } })))
      )).toMatchObject({ _tag: "ValidationError" })
      expect(yield* Dispatcher.runOnce(options)).toMatchObject({ claimed: 1, sent: 1 })
    }).pipe(Effect.provide(TestWorld)))

  const sending = Effect.runSync(Deferred.make<void>())
  it.effect("a send that takes too long counts as a temporary failure", () =>
    Effect.gen(function*() {
      yield* happen(["ilse@bakkerijmulder.nl"])
      const fiber = yield* Effect.fork(Dispatcher.runOnce(options))
      // the clock moves once the send (and so its timeout) has begun, however many steps come first
      yield* Deferred.await(sending)
      yield* TestClock.adjust(settings.sendTimeoutMillis + 1)
      const report = yield* Fiber.join(fiber)
      expect(report).toMatchObject({ retrying: 1 })
      const [rec] = yield* records
      expect(rec!.lastError).toContain("no answer within")
    }).pipe(Effect.provide(world(Layer.succeed(Mailer.Mailer, { send: () => Effect.zipRight(Deferred.succeed(sending, undefined), Effect.never) })))))

  const stuck = Effect.runSync(Deferred.make<void>())
  it.effect("a send that does not even answer its interruption is abandoned at the timeout all the same", () =>
    Effect.gen(function*() {
      yield* happen(["ilse@bakkerijmulder.nl"])
      const fiber = yield* Effect.fork(Dispatcher.runOnce(options))
      yield* Deferred.await(stuck)
      yield* TestClock.adjust(settings.sendTimeoutMillis + 1)
      // the batch goes on without waiting for the send to give in (it never does)
      const report = yield* Fiber.join(fiber)
      expect(report).toMatchObject({ retrying: 1, released: 1 })
      const [rec] = yield* records
      expect(rec).toMatchObject({ status: "Retrying", attempts: 1 })
      expect(rec!.lastError).toContain("no answer within")
    }).pipe(
      Effect.provide(world(Layer.succeed(Mailer.Mailer, {
        send: () => Effect.uninterruptible(Effect.zipRight(Deferred.succeed(stuck, undefined), Effect.never))
      })))
    ), 20_000)

  it.effect("one event with many messages: they go out `concurrency` at a time, all of them, in one run", () =>
    Effect.gen(function*() {
      const recipients = Array.from({ length: 12 }, (_, i) => `p${i}@bakkerijmulder.nl`)
      yield* happen(recipients)
      yield* happen(["late@bakkerijmulder.nl"])
      const memory = yield* Memory.MemoryMailer
      let inFlight = 0
      let most = 0
      const counting = Layer.succeed(Mailer.Mailer, {
        send: (message) =>
          Effect.acquireUseRelease(
            Effect.sync(() => {
              most = Math.max(most, ++inFlight)
            }),
            () => Effect.zipRight(Effect.yieldNow(), memory.mailer.send(message)),
            () => Effect.sync(() => void inFlight--)
          )
      })
      const report = yield* Dispatcher.runOnce(options).pipe(Effect.provide(counting))
      expect(report).toMatchObject({ claimed: 2, sent: 13, completed: 2 })
      expect(most).toBe(3)
      expect((yield* sent).length).toBe(13)
    }).pipe(Effect.provide(TestWorld), Effect.provide(Settings.layer({ dispatcher: { concurrency: 3 } }))))

  it.effect("killed after sending but before recording: sent again once after the lease, then recorded", () =>
    Effect.gen(function*() {
      yield* happen(["ilse@bakkerijmulder.nl"])
      // The process dies between the send and its record (a defect in the record stands for it).
      const deliveries = yield* Outbox.Deliveries
      const dying = Layer.succeed(Outbox.Deliveries, {
        ...deliveries,
        record: () => Effect.dieMessage("the process died")
      })
      const crashed = yield* Effect.exit(Dispatcher.runOnce(options).pipe(Effect.provide(dying)))
      expect(Exit.isFailure(crashed)).toBe(true)
      expect(yield* records).toEqual([])
      expect((yield* sent).length).toBe(1)
      // Within the lease nobody takes the event over.
      expect(yield* Dispatcher.runOnce({ ...options, consumer: "other" })).toMatchObject({ claimed: 0 })
      yield* TestClock.adjust(settings.leaseMillis + 1)
      expect(yield* Dispatcher.runOnce({ ...options, consumer: "other" })).toMatchObject({ claimed: 1, sent: 1 })
      const messages = yield* sent
      expect(messages.length).toBe(2)
      expect(messages[1]!.messageId).toBe(messages[0]!.messageId)
      expect(yield* records).toMatchObject([{ status: "Sent", attempts: 1 }])
      yield* TestClock.adjust(settings.leaseMillis + 1)
      expect(yield* Dispatcher.runOnce(options)).toMatchObject({ claimed: 0 })
    }).pipe(Effect.provide(TestWorld)))

  it.effect("stopped after the claim and before sending: the event is given back and sent once", () =>
    Effect.gen(function*() {
      yield* happen(["ilse@bakkerijmulder.nl"])
      const gate = yield* Deferred.make<void>()
      const reached = yield* Deferred.make<void>()
      const wanted = yield* Wanted
      const slowSource = Layer.succeed(Notification.NotificationSource, {
        forEvent: (event) =>
          Effect.zipRight(
            Deferred.succeed(reached, undefined),
            Effect.zipRight(Deferred.await(gate), Effect.map(Ref.get(wanted), (m) => m.get(event.id) ?? []))
          )
      })
      const fiber = yield* Effect.fork(Dispatcher.runOnce(options).pipe(Effect.provide(slowSource)))
      yield* Deferred.await(reached)
      yield* Fiber.interrupt(fiber)
      expect((yield* sent).length).toBe(0)
      // Given back at once: no need to wait for the lease.
      expect(yield* Dispatcher.runOnce(options)).toMatchObject({ claimed: 1, sent: 1, completed: 1 })
      expect((yield* sent).length).toBe(1)
    }).pipe(Effect.provide(TestWorld)))

  it.effect("a storage failure while reading an event gives it back for later; nothing is lost", () =>
    Effect.gen(function*() {
      yield* happen(["ilse@bakkerijmulder.nl"])
      const wanted = yield* Wanted
      const failures = yield* Ref.make(1)
      const flakySource = Layer.succeed(Notification.NotificationSource, {
        forEvent: (event) =>
          Effect.flatMap(Ref.getAndUpdate(failures, (n) => n - 1), (n) =>
            n > 0
              ? Effect.fail(new StorageError({ operation: "read", message: "database is locked" }))
              : Effect.map(Ref.get(wanted), (m) => m.get(event.id) ?? []))
      })
      const run = Dispatcher.runOnce(options).pipe(Effect.provide(flakySource))
      expect(yield* run).toMatchObject({ claimed: 1, released: 1, sent: 0 })
      expect(yield* run).toMatchObject({ claimed: 0 })
      yield* TestClock.adjust(settings.baseDelayMillis)
      expect(yield* run).toMatchObject({ claimed: 1, sent: 1, completed: 1 })
    }).pipe(Effect.provide(TestWorld)))

  it.effect("stopped while a message is being rendered: stops at once, nothing recorded, the event given back", () =>
    Effect.gen(function*() {
      yield* happen(["ilse@bakkerijmulder.nl"])
      const rendering = yield* Deferred.make<void>()
      const stuckTemplates = Layer.succeed(Notification.MessageTemplates, {
        render: () => Effect.zipRight(Deferred.succeed(rendering, undefined), Effect.never)
      })
      const fiber = yield* Effect.fork(Dispatcher.runOnce(options).pipe(Effect.provide(stuckTemplates)))
      yield* Deferred.await(rendering)
      yield* Fiber.interrupt(fiber)
      expect(yield* records).toEqual([])
      expect(yield* Dispatcher.runOnce(options)).toMatchObject({ claimed: 1, sent: 1 })
    }).pipe(Effect.provide(TestWorld)))

  it.scoped("stopped while the store is taking the claims: the claims are seen and given back, not left to their lease", () =>
    Effect.gen(function*() {
      yield* happen(["ilse@bakkerijmulder.nl"])
      const claiming = yield* Deferred.make<void>()
      const answer = yield* Deferred.make<void>()
      // the store has taken the claims; its answer is still on its way (a slow network)
      const slowOutbox = Layer.effect(
        Outbox.Outbox,
        Effect.map(Outbox.Outbox, (outbox) => ({
          ...outbox,
          claim: (args: Parameters<typeof outbox.claim>[0]) =>
            Effect.tap(outbox.claim(args), () => Effect.zipRight(Deferred.succeed(claiming, undefined), Deferred.await(answer)))
        }))
      )
      const fiber = yield* Effect.forkScoped(Dispatcher.run(options).pipe(Effect.provide(slowOutbox)))
      yield* TestClock.adjust(1)
      yield* Deferred.await(claiming)
      const stopping = yield* Effect.fork(Fiber.interrupt(fiber))
      yield* Effect.yieldNow()
      yield* Deferred.succeed(answer, undefined)
      yield* Fiber.join(stopping)
      expect((yield* sent).length).toBe(0)
      // given back at once: the next dispatcher claims it now, not when the lease ends
      expect(yield* Dispatcher.runOnce(options)).toMatchObject({ claimed: 1, sent: 1 })
    }).pipe(Effect.provide(TestWorld)))

  it.scoped("run works in the background, and stopping it waits for a send to be recorded", () =>
    Effect.gen(function*() {
      const started = yield* Deferred.make<void>()
      const release = yield* Deferred.make<void>()
      const memory = yield* Memory.MemoryMailer
      const slowMailer = Layer.succeed(Mailer.Mailer, {
        send: (message) =>
          Effect.zipRight(Deferred.succeed(started, undefined), Effect.zipRight(Deferred.await(release), memory.mailer.send(message)))
      })
      const fiber = yield* Effect.forkScoped(Dispatcher.run(options).pipe(Effect.provide(slowMailer)))
      yield* happen(["ilse@bakkerijmulder.nl"])
      yield* TestClock.adjust(settings.pollIntervalMillis)
      yield* Deferred.await(started)
      // Stop while the message is being sent: the stop waits until it is recorded.
      const stopping = yield* Effect.fork(Fiber.interrupt(fiber))
      yield* Effect.yieldNow()
      expect(yield* records).toEqual([])
      yield* Deferred.succeed(release, undefined)
      yield* Fiber.join(stopping)
      expect(yield* records).toMatchObject([{ status: "Sent", attempts: 1 }])
      expect((yield* sent).length).toBe(1)
      // Stopped for good: a new event stays undelivered.
      yield* happen(["sanne@devries-metaal.nl"])
      yield* TestClock.adjust(settings.pollIntervalMillis * 3)
      expect((yield* sent).length).toBe(1)
    }).pipe(Effect.provide(TestWorld)))

  it.scoped("Dispatcher.layer delivers in the background for the life of its scope", () =>
    Effect.gen(function*() {
      yield* happen(["ilse@bakkerijmulder.nl"])
      yield* happen(["sanne@devries-metaal.nl"])
      yield* Layer.build(Dispatcher.layer(options))
      yield* TestClock.adjust(1)
      for (let i = 0; i < 10 && (yield* sent).length < 2; i++) yield* TestClock.adjust(settings.pollIntervalMillis)
      expect((yield* sent).length).toBe(2)
      expect((yield* records).every((r) => r.status === "Sent")).toBe(true)
    }).pipe(Effect.provide(TestWorld)))
})


describe("Dispatcher under faults", () => {
  const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length
  const nextTick = Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))

  it.live("leaves no timer behind: after runOnce sends its messages nothing keeps the process alive", () =>
    Effect.gen(function*() {
      for (let i = 0; i < 5; i++) yield* happen([`p${i}@bakkerijmulder.nl`])
      yield* nextTick
      const before = timeouts()
      expect(yield* Dispatcher.runOnce(options)).toMatchObject({ claimed: 5, sent: 5, completed: 5 })
      yield* nextTick
      expect(timeouts()).toBeLessThanOrEqual(before)
    }).pipe(Effect.provide(TestWorld)))

  const poison = "poison@bakkerijmulder.nl"
  const isPoison = (email: string) => email === poison
  const poisoned = {
    "a template": Layer.merge(
      world(),
      Layer.succeed(Notification.MessageTemplates, {
        render: (n) =>
          isPoison(n.recipient.email)
            ? Effect.die(new TypeError("Cannot read properties of undefined (reading 'title')"))
            : Effect.succeed({ subject: "Hallo", text: "Hallo", html: "<p>Hallo</p>" })
      })
    ),
    "the calendar renderer": Layer.merge(
      world(),
      Layer.succeed(Calendar.CalendarRenderer, {
        invitation: (_, attendee, method) =>
          isPoison(attendee.email)
            ? Effect.die(new RangeError("Invalid time value"))
            : Effect.succeed(`BEGIN:VCALENDAR\r\nMETHOD:${method}\r\nEND:VCALENDAR\r\n`),
        feed: () => Effect.succeed("")
      })
    ),
    "the mailer": world(Layer.effect(
      Mailer.Mailer,
      Effect.map(Memory.MemoryMailer, (m) => ({
        send: (message: Mailer.OutgoingMessage) =>
          isPoison(message.to[0].address) ? Effect.dieMessage("the transport is in a bad state") : m.mailer.send(message)
      }))
    ))
  }
  for (const [where, layer] of Object.entries(poisoned)) {
    it.effect(`one message poisoned in ${where} among 50: the other 49 go out in the same run, it ends Dead`, () =>
      Effect.gen(function*() {
        for (let i = 0; i < 50; i++) {
          yield* happen([i === 17 ? poison : `p${i}@bakkerijmulder.nl`], { session, calendarMethod: "REQUEST" })
        }
        expect(yield* Dispatcher.runOnce(options)).toMatchObject({
          claimed: 50,
          sent: 49,
          completed: 49,
          retrying: 1,
          released: 1
        })
        expect((yield* sent).length).toBe(49)
        // Retried with backoff until the attempts run out; then Dead with the defect's message.
        for (let i = 0; i < 5; i++) {
          const pending = (yield* records).filter((r) => r.status === "Retrying")
          if (pending.length === 0) break
          const now = yield* TestClockNow
          yield* TestClock.adjust(Math.max(0, pending[0]!.nextAttemptAt!.getTime() - now))
          yield* Dispatcher.runOnce(options)
        }
        const all = yield* records
        expect(all.filter((r) => r.status === "Sent").length).toBe(49)
        const dead = all.find((r) => r.recipient === poison)
        expect(dead).toMatchObject({ status: "Dead", attempts: 3 })
        expect(dead!.lastError).toMatch(/^defect: .*(undefined|Invalid time value|bad state)/)
        expect(yield* Dispatcher.runOnce(options)).toMatchObject({ claimed: 0 })
        yield* TestClock.adjust("1 day")
        expect(yield* Dispatcher.runOnce(options)).toMatchObject({ claimed: 0 })
      }).pipe(
        Effect.provide(layer),
        Effect.provide(Settings.layer({ dispatcher: { batchSize: 50, maxAttempts: 3, jitter: 0 } }))
      ))
  }

  /** A mailer that holds every send until `open` is completed. */
  const heldMailer = (started: Deferred.Deferred<void>, open: Deferred.Deferred<void>) =>
    Layer.effect(
      Mailer.Mailer,
      Effect.map(Memory.MemoryMailer, (memory) => ({
        send: (message: Mailer.OutgoingMessage) =>
          Effect.zipRight(Deferred.succeed(started, undefined), Effect.zipRight(Deferred.await(open), memory.mailer.send(message)))
      }))
    )

  it.effect("a stop gives back every claimed event not yet handled, not only the one being sent", () =>
    Effect.gen(function*() {
      yield* happen(["a@bakkerijmulder.nl"])
      yield* happen(["b@bakkerijmulder.nl"])
      yield* happen(["c@bakkerijmulder.nl"])
      const started = yield* Deferred.make<void>()
      const open = yield* Deferred.make<void>()
      const fiber = yield* Effect.fork(Dispatcher.runOnce(options).pipe(Effect.provide(heldMailer(started, open))))
      yield* Deferred.await(started)
      const stopping = yield* Effect.fork(Fiber.interrupt(fiber))
      yield* Effect.yieldNow()
      yield* Deferred.succeed(open, undefined)
      yield* Fiber.join(stopping)
      // The message in flight was sent and recorded; every event is claimable at once, and the
      // one whose message went out is not sent again.
      expect(yield* records).toMatchObject([{ recipient: "a@bakkerijmulder.nl", status: "Sent" }])
      expect(yield* Dispatcher.runOnce({ ...options, consumer: "other" })).toMatchObject({
        claimed: 3,
        sent: 2,
        skipped: 1,
        completed: 3
      })
      expect((yield* sent).map((m) => m.to[0].address).sort()).toEqual(["a@bakkerijmulder.nl", "b@bakkerijmulder.nl", "c@bakkerijmulder.nl"])
    }).pipe(Effect.provide(TestWorld), Effect.provide(Settings.layer({ dispatcher: { concurrency: 1 } }))))

  it.effect("claims are renewed while a batch is worked on: a slow batch is not taken over mid-send", () =>
    Effect.gen(function*() {
      yield* happen(["a@bakkerijmulder.nl"])
      const started = yield* Deferred.make<void>()
      const open = yield* Deferred.make<void>()
      const first = yield* Effect.fork(Dispatcher.runOnce(options).pipe(Effect.provide(heldMailer(started, open))))
      yield* Deferred.await(started)
      // Well past the lease (but within the send timeout): the claim still holds.
      for (let i = 0; i < 10; i++) yield* TestClock.adjust(1_000)
      expect(yield* Dispatcher.runOnce({ ...options, consumer: "other" })).toMatchObject({ claimed: 0 })
      yield* Deferred.succeed(open, undefined)
      expect(yield* Fiber.join(first)).toMatchObject({ claimed: 1, sent: 1, completed: 1 })
      expect((yield* sent).length).toBe(1)
      expect(yield* records).toMatchObject([{ status: "Sent", attempts: 1 }])
    }).pipe(
      Effect.provide(TestWorld),
      Effect.provide(Settings.layer({ dispatcher: { leaseMillis: 3_000, sendTimeoutMillis: 60_000 } }))
    ))

  it.effect("the default lease is short: a batch left by a dead dispatcher is taken over within a minute", () =>
    Effect.sync(() => expect(Settings.defaults.dispatcher.leaseMillis).toBeLessThanOrEqual(60_000)))
})

describe("Dispatcher.backoffMillis", () => {
  const arbitrarySettings = fc.record({
    baseDelayMillis: fc.integer({ min: 1, max: 600_000 }),
    maxDelayMillis: fc.integer({ min: 1, max: 86_400_000 }),
    jitter: fc.double({ min: 0, max: 1, noNaN: true })
  }).map((s) => ({ ...settings, ...s, maxDelayMillis: Math.max(s.maxDelayMillis, s.baseDelayMillis) }))

  it("stays within the jitter band below the cap and never exceeds it", () => {
    fc.assert(
      fc.property(arbitrarySettings, fc.integer({ min: 1, max: 200 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (s, failures, r) => {
        const d = Dispatcher.backoffMillis(failures, s, r)
        const raw = Math.min(s.maxDelayMillis, s.baseDelayMillis * 2 ** (failures - 1))
        expect(d).toBeLessThanOrEqual(s.maxDelayMillis)
        expect(d).toBeLessThanOrEqual(Math.round(raw))
        expect(d).toBeGreaterThanOrEqual(Math.floor(raw * (1 - s.jitter)))
      })
    )
  })

  it("without jitter, doubles until the cap", () => {
    fc.assert(
      fc.property(arbitrarySettings, fc.integer({ min: 1, max: 60 }), (s, failures) => {
        const exact = { ...s, jitter: 0 }
        const a = Dispatcher.backoffMillis(failures, exact, 0.5)
        const b = Dispatcher.backoffMillis(failures + 1, exact, 0.5)
        expect(b).toBe(Math.min(exact.maxDelayMillis, a * 2))
      })
    )
  })
})
