import { describe, expect, it } from "@effect/vitest"
import { Clock, Deferred, Effect, Exit, Fiber, Layer, Ref, TestClock } from "effect"
import { Dispatcher, Mailer, Notification, Outbox, Settings } from "@copkit/core"
import { SmtpMailer, Templates } from "@copkit/email-smtp"
import { ICalendar } from "@copkit/calendar-ical"
import { Memory } from "@copkit/testing"
import { appendEvent, closedPort, decodeBody, mapSource, mimeTree, notification, startServer, testCalendar } from "./support.js"
import type { TestServer } from "./support.js"
import * as net from "node:net"
import type { AddressInfo } from "node:net"

type Wanted = Ref.Ref<ReadonlyMap<string, ReadonlyArray<Notification.Notification>>>

const options: Dispatcher.Options = { consumer: "a", from: { name: "Copkit", address: "noreply@copkit.example" } }
const settings = Settings.defaults.dispatcher

/** Storage in memory, the real templates and SMTP mailer, a test calendar and source. */
const world = (wanted: Wanted, mailer: Layer.Layer<Mailer.Mailer>) =>
  Layer.mergeAll(Memory.layerStorage, mapSource(wanted), Templates.layer, testCalendar, mailer)

const smtp = (port: number) => SmtpMailer.layer({ host: "127.0.0.1", port, pool: false, connectionTimeoutMillis: 2000 })

/** Appends an event calling for the given notifications (built from its id). */
const happen = (wanted: Wanted, make: (eventId: string) => ReadonlyArray<Notification.Notification>) =>
  Effect.gen(function*() {
    const event = yield* appendEvent
    const ns = make(event.id)
    yield* Ref.update(wanted, (m) => new Map([...m, [event.id, ns]]))
    return ns
  })

const records = Effect.flatMap(Outbox.Deliveries, (d) => d.list())

/** Runs batches, moving the test clock to each retry, until nothing is left (at most `max`). */
const drain = (max: number) =>
  Effect.gen(function*() {
    for (let i = 0; i < max; i++) {
      yield* Dispatcher.runOnce(options)
      const pending = (yield* records).filter((r) => r.status === "Retrying")
      if (pending.length === 0) return
      const now = yield* Clock.currentTimeMillis
      const next = Math.min(...pending.map((r) => r.nextAttemptAt!.getTime()))
      yield* TestClock.adjust(Math.max(0, next - now))
    }
  })

const withServer = <A, E, R>(f: (server: TestServer, wanted: Wanted) => Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const server = yield* startServer()
    const wanted: Wanted = yield* Ref.make<ReadonlyMap<string, ReadonlyArray<Notification.Notification>>>(new Map())
    return yield* f(server, wanted).pipe(Effect.provide(world(wanted, smtp(server.port))))
  })

describe("Dispatcher with the SMTP mailer against smtp-server", () => {
  it.scoped("delivers in each recipient's language, with the Message-ID of its delivery key", () =>
    withServer((server, wanted) =>
      Effect.gen(function*() {
        const ns = yield* happen(wanted, (id) => [
          notification(id),
          notification(id, { recipient: { personId: "per_mark", name: "Mark Visser", email: "m.visser@hu.nl", language: "en" } })
        ])
        expect(yield* Dispatcher.runOnce(options)).toMatchObject({ sent: 2, completed: 1 })
        // sent concurrently: order by recipient before looking at each
        const got = [...(yield* server.received)].sort((a, b) => String(a.to[0]).localeCompare(String(b.to[0])))
        expect(got.map((g) => g.to)).toEqual([["ilse@bakkerijmulder.nl"], ["m.visser@hu.nl"]])
        expect(got[0]!.parsed.subject).toBe("Uitnodiging: Sessie 1: inspiratie op donderdag 4 maart 2027")
        expect(got[1]!.parsed.subject).toMatch(/^Invitation: Sessie 1: inspiratie on Thursday,? 4 March 2027$/)
        expect(got.map((g) => mimeTree(g.raw.toString("utf8")).headers.get("content-language"))).toEqual(["nl", "en"])
        for (const [i, n] of ns.entries()) {
          expect(got[i]!.parsed.messageId).toBe(yield* Dispatcher.messageIdFor(Notification.deliveryKey(n), "copkit.example"))
        }
        expect((yield* records).map((r) => r.status)).toEqual(["Sent", "Sent"])
      })
    ))

  it.scoped("the server refuses with 4xx, then accepts: delivered once", () =>
    withServer((server, wanted) =>
      Effect.gen(function*() {
        yield* server.setReplies((n) => (n === 1 ? { code: 451, message: "Greylisted, please try again" } : "accept"))
        yield* happen(wanted, (id) => [notification(id)])
        expect(yield* Dispatcher.runOnce(options)).toMatchObject({ retrying: 1, released: 1 })
        expect(yield* records).toMatchObject([{ status: "Retrying", attempts: 1 }])
        expect((yield* records)[0]!.lastError).toContain("451")
        yield* drain(5)
        expect(yield* server.offered).toBe(2)
        expect((yield* server.received).length).toBe(1)
        expect(yield* records).toMatchObject([{ status: "Sent", attempts: 2 }])
        expect(yield* Dispatcher.runOnce(options)).toMatchObject({ claimed: 0 })
      })
    ))

  it.scoped("the server rejects for good (5xx): Dead at once with the error kept, never offered again", () =>
    withServer((server, wanted) =>
      Effect.gen(function*() {
        yield* server.setReplies(() => ({ code: 550, message: "Mailbox unavailable" }))
        yield* happen(wanted, (id) => [notification(id)])
        yield* drain(5)
        const [dead] = yield* records
        expect(dead).toMatchObject({ status: "Dead", attempts: 1 })
        expect(dead!.lastError).toMatch(/^550 .*Mailbox unavailable/)
        yield* TestClock.adjust(settings.maxDelayMillis)
        expect(yield* Dispatcher.runOnce(options)).toMatchObject({ claimed: 0 })
        expect(yield* server.offered).toBe(1)
      })
    ))

  it.scoped("a server that keeps answering 4xx: Dead after maxAttempts, with the last error kept", () =>
    withServer((server, wanted) =>
      Effect.gen(function*() {
        yield* server.setReplies((n) => ({ code: 452, message: `Insufficient storage ${n}` }))
        yield* happen(wanted, (id) => [notification(id)])
        yield* drain(10)
        const [dead] = yield* records
        expect(dead).toMatchObject({ status: "Dead", attempts: 3 })
        expect(dead!.lastError).toContain("Insufficient storage 3")
        expect(yield* server.offered).toBe(3)
        expect((yield* server.received).length).toBe(0)
      })
    ).pipe(Effect.provide(Settings.layer({ dispatcher: { maxAttempts: 3 } }))))

  it.scoped("the connection drops mid-message, then the server accepts: delivered once", () =>
    withServer((server, wanted) =>
      Effect.gen(function*() {
        yield* server.setReplies((n) => (n === 1 ? "drop" : "accept"))
        yield* happen(wanted, (id) => [notification(id)])
        expect(yield* Dispatcher.runOnce(options)).toMatchObject({ retrying: 1 })
        yield* drain(5)
        expect(yield* server.offered).toBe(2)
        expect((yield* server.received).length).toBe(1)
        expect(yield* records).toMatchObject([{ status: "Sent", attempts: 2 }])
      })
    ))

  it.scoped("the server is down, then up: retried and delivered once", () =>
    Effect.gen(function*() {
      const port = yield* closedPort
      const wanted: Wanted = yield* Ref.make<ReadonlyMap<string, ReadonlyArray<Notification.Notification>>>(new Map())
      yield* Effect.gen(function*() {
        yield* happen(wanted, (id) => [notification(id)])
        expect(yield* Dispatcher.runOnce(options)).toMatchObject({ retrying: 1 })
        const [retrying] = yield* records
        expect(retrying!.lastError).toMatch(/ECONNREFUSED|ECONNECTION|ESOCKET/)
        const server = yield* startServer({ port })
        yield* drain(5)
        expect((yield* server.received).length).toBe(1)
        expect(yield* records).toMatchObject([{ status: "Sent", attempts: 2 }])
      }).pipe(Effect.provide(world(wanted, smtp(port))))
    }))

  it.scoped("killed between send and record, then restarted: sent, and at most once more, then recorded", () =>
    Effect.gen(function*() {
      const server = yield* startServer()
      const wanted: Wanted = yield* Ref.make<ReadonlyMap<string, ReadonlyArray<Notification.Notification>>>(new Map())
      yield* Effect.gen(function*() {
        yield* happen(wanted, (id) => [notification(id)])
        // The first dispatcher "dies" right after the server took the message, before its record.
        const deliveries = yield* Outbox.Deliveries
        const crashed = yield* Effect.exit(
          Dispatcher.runOnce(options).pipe(
            Effect.provideService(Outbox.Deliveries, { ...deliveries, record: () => Effect.dieMessage("killed") })
          )
        )
        expect(Exit.isFailure(crashed)).toBe(true)
        expect(yield* records).toEqual([])
        expect((yield* server.received).length).toBe(1)
        // Restarted (another dispatcher): the claim holds until its lease ends.
        expect(yield* Dispatcher.runOnce({ ...options, consumer: "b" })).toMatchObject({ claimed: 0 })
        yield* TestClock.adjust(settings.leaseMillis + 1)
        expect(yield* Dispatcher.runOnce({ ...options, consumer: "b" })).toMatchObject({ claimed: 1, sent: 1, completed: 1 })
        yield* TestClock.adjust(settings.leaseMillis + 1)
        expect(yield* Dispatcher.runOnce({ ...options, consumer: "c" })).toMatchObject({ claimed: 0 })
        const got = yield* server.received
        expect(got.length).toBe(2)
        expect(got[1]!.parsed.messageId).toBe(got[0]!.parsed.messageId)
        expect(yield* records).toMatchObject([{ status: "Sent", attempts: 1 }])
      }).pipe(Effect.provide(world(wanted, smtp(server.port))))
    }))

  it.scopedLive("a server that takes the connection and never answers: the send is abandoned at the timeout and retried", () =>
    Effect.gen(function*() {
      // A raw TCP server on loopback that accepts and then says nothing (no SMTP greeting).
      const sockets = new Set<net.Socket>()
      let closed = 0
      const silent = yield* Effect.acquireRelease(
        Effect.async<net.Server>((resume) => {
          const s = net.createServer((socket) => {
            sockets.add(socket)
            socket.on("error", () => undefined)
            socket.on("close", () => closed++)
          })
          s.listen(0, "127.0.0.1", () => resume(Effect.succeed(s)))
        }),
        (s) =>
          Effect.async<void>((resume) => {
            for (const socket of sockets) socket.destroy()
            s.close(() => resume(Effect.void))
          })
      )
      const silentPort = (silent.address() as AddressInfo).port
      const wanted: Wanted = yield* Ref.make<ReadonlyMap<string, ReadonlyArray<Notification.Notification>>>(new Map())
      const storage = yield* Layer.build(Memory.layerStorage)
      const using = (port: number) =>
        Layer.mergeAll(mapSource(wanted), Templates.layer, testCalendar, SmtpMailer.layer({ host: "127.0.0.1", port }))
      yield* happen(wanted, (id) => [notification(id)]).pipe(Effect.provide(storage))

      // The mailer stays open after the batch: only the dispatcher's timeout can end the send.
      const hung = yield* Layer.build(using(silentPort))
      const started = Date.now()
      const first = yield* Dispatcher.runOnce(options).pipe(Effect.provide(hung), Effect.provide(storage))
      const elapsed = Date.now() - started
      expect(first).toMatchObject({ claimed: 1, retrying: 1, released: 1, sent: 0 })
      // Abandoned at the dispatcher's timeout, not at nodemailer's own (30 s greeting timeout).
      expect(elapsed).toBeGreaterThanOrEqual(1_000)
      expect(elapsed).toBeLessThan(20_000)
      expect(sockets.size).toBe(1)
      // The abandoned send is aborted: its connection is closed, not left waiting for a greeting.
      for (let i = 0; i < 40 && closed === 0; i++) yield* Effect.sleep(50)
      expect(closed).toBe(1)
      const [retrying] = yield* records.pipe(Effect.provide(storage))
      expect(retrying).toMatchObject({ status: "Retrying", attempts: 1, lastError: "no answer within 1000 ms" })

      // Retried once due, and delivered by a server that answers.
      const server = yield* startServer()
      yield* Effect.sleep(Math.max(0, retrying!.nextAttemptAt!.getTime() - Date.now()))
      const second = yield* Dispatcher.runOnce(options).pipe(Effect.provide(using(server.port)), Effect.provide(storage))
      expect(second).toMatchObject({ claimed: 1, sent: 1, completed: 1 })
      expect((yield* server.received).length).toBe(1)
      expect(yield* records.pipe(Effect.provide(storage))).toMatchObject([{ status: "Sent", attempts: 2 }])
    }).pipe(Effect.provide(Settings.layer({ dispatcher: { sendTimeoutMillis: 1_000, baseDelayMillis: 50, jitter: 0 } }))))

  it.scoped("stopped between claim and send, then restarted: sent exactly once", () =>
    Effect.gen(function*() {
      const server = yield* startServer()
      const wanted: Wanted = yield* Ref.make<ReadonlyMap<string, ReadonlyArray<Notification.Notification>>>(new Map())
      const reached = yield* Deferred.make<void>()
      const stuckSource = Layer.succeed(Notification.NotificationSource, {
        forEvent: () => Effect.zipRight(Deferred.succeed(reached, undefined), Effect.never)
      })
      yield* Effect.gen(function*() {
        yield* happen(wanted, (id) => [notification(id)])
        const fiber = yield* Effect.fork(Dispatcher.runOnce(options).pipe(Effect.provide(stuckSource)))
        yield* Deferred.await(reached)
        yield* Fiber.interrupt(fiber)
        expect(yield* server.offered).toBe(0)
        expect(yield* Dispatcher.runOnce({ ...options, consumer: "b" })).toMatchObject({ claimed: 1, sent: 1 })
        yield* TestClock.adjust(settings.leaseMillis + 1)
        expect(yield* Dispatcher.runOnce(options)).toMatchObject({ claimed: 0 })
        expect((yield* server.received).length).toBe(1)
      }).pipe(Effect.provide(world(wanted, smtp(server.port))))
    }))

  it.scoped("with @copkit/calendar-ical: the invitation and its cancellation, method in header equal to the file's", () =>
    Effect.gen(function*() {
      const server = yield* startServer()
      const wanted: Wanted = yield* Ref.make<ReadonlyMap<string, ReadonlyArray<Notification.Notification>>>(new Map())
      const layer = Layer.mergeAll(Memory.layerStorage, mapSource(wanted), Templates.layer, ICalendar.layer, smtp(server.port))
      yield* Effect.gen(function*() {
        yield* happen(wanted, (id) => [notification(id)])
        yield* happen(wanted, (id) => [
          notification(id, {
            kind: "Cancellation",
            calendarMethod: "CANCEL",
            recipient: { personId: "per_ilse", name: "Ilse Mulder", email: "ilse@bakkerijmulder.nl", language: "en" },
            session: { ...(notification(id).session!), sequence: 1, start: "2027-03-04T13:30:00Z", end: "2027-03-04T16:30:00Z" }
          })
        ])
        expect(yield* Dispatcher.runOnce(options)).toMatchObject({ sent: 2, completed: 2 })
      }).pipe(Effect.provide(layer))
      // the two events of the batch are sent concurrently: the invitation first, whatever the order of sending
      const cancelled = (r: { readonly parsed: { readonly subject?: string | undefined } }) => Number(/^Cancelled: /.test(r.parsed.subject ?? ""))
      const got = [...(yield* server.received)].sort((a, b) => cancelled(a) - cancelled(b))
      const methods = got.map((g) => {
        const tree = mimeTree(g.raw.toString("utf8"))
        const part = tree.parts[0]!.parts.find((p) => p.type === "text/calendar")!
        const ics = decodeBody(part)
        expect(decodeBody(tree.parts[1]!)).toBe(ics)
        expect(ics).toContain("UID:ses_1@copkit.example")
        expect(ics).toMatch(/ATTENDEE[^:]*:mailto:ilse@bakkerijmulder\.nl/)
        expect(ics).toContain("TZID=Europe/Amsterdam")
        return [part.params.get("method"), /^METHOD:(\w+)\r$/m.exec(ics)?.[1], /^SEQUENCE:(\d+)\r$/m.exec(ics)?.[1]]
      })
      expect(methods).toEqual([["REQUEST", "REQUEST", "0"], ["CANCEL", "CANCEL", "1"]])
      expect(got[1]!.parsed.subject).toMatch(/^Cancelled: /)
    }))
})
