import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Redacted, Ref } from "effect"
import { Dispatcher, EventLog, Events, Notification, Outbox, Settings } from "@copkit/core"
import { SmtpMailer, Templates } from "@copkit/email-smtp"
import { PgStore } from "@copkit/storage-postgres"
import { Fixtures } from "@copkit/testing"
import { mapSource, notification, startServer, testCalendar } from "./support.js"

const url = process.env["COPKIT_TEST_POSTGRES_URL"]
const skipReason = "PostgreSQL dispatcher test skipped: COPKIT_TEST_POSTGRES_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test)"
if (url === undefined) console.warn(skipReason)

type Wanted = Ref.Ref<ReadonlyMap<string, ReadonlyArray<Notification.Notification>>>

const schema = `copkit_test_mail_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
const storeOptions = (): PgStore.Options => ({ url: Redacted.make(url ?? ""), schema, maxConnections: 4 })

/** Drops the test's schema when the scope closes. */
const dropSchemaAfterwards = Effect.addFinalizer(() =>
  Effect.scoped(
    Effect.flatMap(PgStore.make(storeOptions()), ({ client }) => client`DROP SCHEMA IF EXISTS ${client(schema)} CASCADE`)
  ).pipe(Effect.ignore)
)

const EVENTS = 40
const PER_EVENT = 2

describe("Dispatcher on PostgreSQL", () => {
  it.live.skipIf(url === undefined)(
    "two dispatchers on two app instances share the outbox: every message sent exactly once",
    () =>
      Effect.scoped(
        Effect.gen(function*() {
          yield* dropSchemaAfterwards
          const server = yield* startServer()
          const wanted: Wanted = yield* Ref.make<ReadonlyMap<string, ReadonlyArray<Notification.Notification>>>(new Map())
          const mail = Layer.mergeAll(
            mapSource(wanted),
            Templates.layer,
            testCalendar,
            SmtpMailer.layer({ host: "127.0.0.1", port: server.port, maxConnections: 2 }),
            Settings.layer({ dispatcher: { batchSize: 5 } })
          )
          // Two application instances: each its own connection pool on the same schema.
          const instanceA = yield* Layer.build(Layer.merge(PgStore.layer(storeOptions()), mail))
          const instanceB = yield* Layer.build(Layer.merge(PgStore.layer(storeOptions()), mail))

          yield* Effect.gen(function*() {
            const log = yield* EventLog.EventLog
            for (let i = 0; i < EVENTS; i++) {
              const id = `evt_pg_${i}`
              yield* log.append([
                new Events.NewEvent({
                  id: id as never,
                  entity: "Application",
                  entityId: `app_${i}`,
                  entityVersion: 1,
                  regionIds: [],
                  actor: Fixtures.actors.system,
                  occurredAt: new Date(),
                  event: { _tag: "ApplicationSubmitted", applicationId: `app_${i}` as never }
                })
              ])
              const ns = Array.from({ length: PER_EVENT }, (_, k) =>
                notification(id, {
                  recipient: { personId: `per_${k}`, name: `Deelnemer ${k}`, email: `deelnemer${k}@copkit.example`, language: k === 0 ? "nl" : "en" }
                }))
              yield* Ref.update(wanted, (m) => new Map([...m, [id, ns]]))
            }
          }).pipe(Effect.provide(instanceA))

          /** Runs batches until a batch claims nothing; returns how many messages this dispatcher sent. */
          const drain = (consumer: string) =>
            Effect.gen(function*() {
              const dispatcher = yield* Dispatcher.make({ consumer, from: { address: "noreply@copkit.example" } })
              let sent = 0
              for (;;) {
                const report = yield* dispatcher.runOnce
                sent += report.sent
                if (report.claimed === 0) return sent
              }
            })
          const [a, b] = yield* Effect.all([
            drain("a").pipe(Effect.provide(instanceA)),
            drain("b").pipe(Effect.provide(instanceB))
          ], { concurrency: 2 })

          const received = yield* server.received
          const ids = received.map((r) => r.parsed.messageId)
          expect(a + b).toBe(EVENTS * PER_EVENT)
          expect(received.length).toBe(EVENTS * PER_EVENT)
          expect(new Set(ids).size).toBe(EVENTS * PER_EVENT)
          const records = yield* Effect.flatMap(Outbox.Deliveries, (d) => d.list()).pipe(Effect.provide(instanceB))
          expect(records.length).toBe(EVENTS * PER_EVENT)
          expect(records.every((r) => r.status === "Sent" && r.attempts === 1)).toBe(true)
          console.info(`PostgreSQL: dispatcher a sent ${a}, dispatcher b sent ${b} of ${EVENTS * PER_EVENT} messages`)
        })
      ),
    120_000
  )
})
