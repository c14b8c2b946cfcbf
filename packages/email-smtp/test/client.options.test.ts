import { describe, expect, it } from "vitest"
import { Effect, Exit, Redacted, Scope } from "effect"
import { ICalendar } from "@copkit/calendar-ical"
import { Client, Forbidden } from "@copkit/core"
import { SmtpMailer, Templates } from "@copkit/email-smtp"
import { PgStore } from "@copkit/storage-postgres"
import { Fixtures, Memory } from "@copkit/testing"
import { startServer } from "./support.js"

const url = process.env["COPKIT_TEST_POSTGRES_URL"]
const skipReason = "Client-from-options test on PostgreSQL skipped: COPKIT_TEST_POSTGRES_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test)"
if (url === undefined) console.warn(skipReason)

const schema = `copkit_test_client_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`

describe("Client.make from plain options", () => {
  it.skipIf(url === undefined)("a PostgreSQL URL and an SMTP mailer: two clients share the data; the dispatcher runs once, starts and stops", async () => {
    const scope = Effect.runSync(Scope.make())
    const server = await Effect.runPromise(Scope.extend(startServer(), scope))
    const options = (): Client.Options => ({
      storage: PgStore.layer({ url: Redacted.make(url ?? ""), schema, maxConnections: 2 }),
      dispatcher: {
        from: { name: "Kennisnetwerk", address: "noreply@kennisnetwerk.example" },
        mailer: SmtpMailer.layer({ host: "127.0.0.1", port: server.port }),
        templates: Templates.layer,
        calendar: ICalendar.layer
      }
    })
    const first = Client.make(options())
    const second = Client.make(options())
    try {
      const draft = await first.intake.create(Fixtures.actors.keyPerson, Fixtures.applicationInput())
      await first.intake.submit(Fixtures.actors.keyPerson, { applicationId: draft.id })
      // the second instance reads what the first wrote
      const seen = await second.intake.get(Fixtures.actors.coordinator, { applicationId: draft.id })
      expect(seen.value.state).toBe("Submitted")
      expect(seen.version).toBe(2)

      const refused = await second.intake.get(Fixtures.actors.keyPersonTwente, { applicationId: draft.id }).catch((e: unknown) => e)
      expect(refused).toBeInstanceOf(Forbidden)

      const report = await first.dispatcher.runOnce()
      expect(report.claimed).toBeGreaterThanOrEqual(2)
      expect(report.completed).toBe(report.claimed)
      expect((await second.dispatcher.runOnce()).claimed).toBe(0)

      second.dispatcher.start()
      await new Promise((resolve) => setTimeout(resolve, 200))
      await second.dispatcher.stop()
    } finally {
      await first.dispose()
      await second.dispose()
      await Effect.runPromise(Effect.scoped(Effect.flatMap(PgStore.make({ url: Redacted.make(url ?? ""), schema }), ({ client }) =>
        client`DROP SCHEMA IF EXISTS ${client(schema)} CASCADE`)).pipe(Effect.ignore))
      await Effect.runPromise(Scope.close(scope, Exit.void))
    }
  })

  it("a client built without dispatcher options rejects dispatcher calls with a clear message", async () => {
    const client = Client.make({ storage: Memory.layer })
    try {
      await expect(client.dispatcher.runOnce()).rejects.toThrow(/without `dispatcher` options/)
    } finally {
      await client.dispose()
    }
  })
})
