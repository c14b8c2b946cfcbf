import { describe, expect, it } from "@effect/vitest"
import { Cause, Config, ConfigProvider, Context, Duration, Effect, Either, Exit, Layer, ManagedRuntime, Option, Redacted, Schema } from "effect"
import { SqlClient } from "@effect/sql"
import type { Ids } from "@copkit/core"
import { Actor, ConcurrencyConflict, EventLog, Events, Ids as IdsModule, Intake, Outbox, Repository, StorageError, Transaction } from "@copkit/core"
import { Fixtures, Inspector } from "@copkit/testing"
import { StorageContract } from "@copkit/testing/contracts"
import { PgStore } from "@copkit/storage-postgres"
import { freshSchema, skipReason, storeLayer, url } from "./support.js"
import { keptSummaries } from "../../storage-sql/test/sessionSummaries.js"
import pg from "pg"

describe("PostgreSQL at a closed port", () => {
  it.live("fails with a StorageError within the connect timeout", () =>
    Effect.gen(function*() {
      const started = Date.now()
      const error = yield* Effect.flip(Layer.build(PgStore.layer({
        url: Redacted.make("postgres://postgres@127.0.0.1:1/test"),
        connectTimeout: Duration.seconds(2)
      })).pipe(Effect.scoped))
      expect(error).toBeInstanceOf(StorageError)
      expect(error.operation).toBe("connect")
      expect(Date.now() - started).toBeLessThan(5_000)
    }))

  it.effect("refuses a bad schema name or prefix with a StorageError", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Layer.build(PgStore.layer({
        url: Redacted.make("postgres://postgres@127.0.0.1:1/test"),
        schema: "x; drop schema public"
      })).pipe(Effect.scoped))
      expect(error).toBeInstanceOf(StorageError)
    }))
})

if (url === undefined) {
  console.warn(skipReason)
  it.skipIf(true)(`PostgreSQL: two instances on one database (${skipReason})`, () => Effect.void)
} else {
  const schema = freshSchema("pair")
  const pgUrl: string = url
  const second = () => Layer.build(PgStore.layer({ url: Redacted.make(pgUrl), schema }))

  it.layer(storeLayer(schema), { timeout: "60 seconds" })("PostgreSQL: two instances on one database", (it) => {
    it.scoped("keeps its tables in the schema with the prefix, and runs the migrations once", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const tables = yield* sql<{ readonly table_name: string }>`SELECT table_name FROM information_schema.tables
          WHERE table_schema = ${schema} ORDER BY table_name`
        expect(tables.map((t) => t.table_name)).toEqual([
          "copkit_agreements", "copkit_applications", "copkit_deliveries", "copkit_directory_entries", "copkit_enrolments", "copkit_evaluations", "copkit_events", "copkit_feed_tokens",
          "copkit_insights", "copkit_intake_rounds", "copkit_measures", "copkit_migrations", "copkit_programmes",
          "copkit_search_insights", "copkit_search_minutes", "copkit_search_themes", "copkit_sequences", "copkit_sessions"
        ])
        yield* second()
        const migrations = yield* sql<{ readonly migration_id: number }>`SELECT migration_id FROM ${sql(`${schema}.copkit_migrations`)}`
        expect(migrations.map((m) => m.migration_id).sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])
      }))

    it.scoped("appends events with the counter in the same statement: positions from the counter, each document the encoded event's JSON", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const log = yield* EventLog.EventLog
        const tx = yield* Transaction.Transaction
        const counter = sql<{ readonly value: string }>`SELECT value::text AS value FROM ${sql(`${schema}.copkit_sequences`)} WHERE name = 'events'`
        const eventCount = sql<{ readonly n: number }>`SELECT count(*)::int AS n FROM ${sql(`${schema}.copkit_events`)}`
        const [before] = yield* counter
        const region = "twente"
        const appended = yield* log.append([
          StorageContract.event({ entityId: "app-counter", regionId: region }),
          StorageContract.event({ entityId: "app-counter", regionId: region, version: 2 }),
          StorageContract.event({ entityId: "app-counter", regionId: region, version: 3 })
        ])
        const [after] = yield* counter
        expect(appended.map((e) => e.position)).toEqual([1, 2, 3].map((k) => Number(before!.value) + k))
        expect(Number(after!.value)).toBe(Number(before!.value) + 3)
        const stored = yield* sql<{ readonly position: string; readonly document: string }>`SELECT position::text AS position, document::text AS document
          FROM ${sql(`${schema}.copkit_events`)} WHERE entity_id = 'app-counter' ORDER BY position`
        // byte for byte what the other stores write: the encoded event's JSON, the position its last key
        expect(stored.map((r) => r.document)).toEqual(appended.map((e) => JSON.stringify(Schema.encodeSync(Events.RecordedEvent)(e))))
        expect(stored.map((r) => Number(r.position))).toEqual(appended.map((e) => e.position))
        expect((yield* log.read({ entityId: "app-counter" })).map((e) => [e.id, e.position])).toEqual(appended.map((e) => [e.id, e.position]))

        // without the counter's row the append fails typed, and the transaction writes nothing
        const [countBefore] = yield* eventCount
        const error = yield* Effect.flip(tx.run(Effect.zipRight(
          sql`DELETE FROM ${sql(`${schema}.copkit_sequences`)} WHERE name = 'events'`,
          log.append([StorageContract.event({ entityId: "app-counter", regionId: region, version: 4 })])
        )))
        expect(error).toBeInstanceOf(StorageError)
        expect(error.message).toMatch(/event counter is missing/)
        expect(yield* eventCount).toEqual([countBefore])
        expect(yield* counter).toEqual([after])
      }))

    it.scoped("keeps each session's summary beside it, reads it afresh, not one of another version, and migration 0008 fills it; the same for the programmes'", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const open = PgStore.make({ url: Redacted.make(pgUrl), schema })
        yield* keptSummaries({
          open,
          sql,
          table: `${schema}.copkit_sessions`,
          programmes: `${schema}.copkit_programmes`,
          migrations: `${schema}.copkit_migrations`,
          index: `${schema}.copkit_sessions_summary_idx`
        })
      }))

    it.scoped("reads its options from configuration, the URL as a secret", () =>
      Effect.gen(function*() {
        const layer = PgStore.layerConfig({ url: Config.redacted("DATABASE_URL"), schema: Config.succeed(schema) })
        const context = yield* Layer.build(layer).pipe(
          Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["DATABASE_URL", pgUrl]])))
        )
        const count = yield* Context.get(context, Repository.ApplicationRepository).count()
        expect(count).toBeGreaterThanOrEqual(0)
      }))

    it.scoped("starts several instances at once on a fresh schema", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const fresh = freshSchema("start")
        yield* Effect.addFinalizer(() => Effect.ignore(sql`DROP SCHEMA IF EXISTS ${sql(fresh)} CASCADE`))
        const started = yield* Effect.all(
          Array.from({ length: 3 }, () => Layer.build(PgStore.layer({ url: Redacted.make(pgUrl), schema: fresh }))),
          { concurrency: "unbounded" }
        )
        expect(started.length).toBe(3)
        const migrations = yield* sql<{ readonly migration_id: number }>`SELECT migration_id FROM ${sql(`${fresh}.copkit_migrations`)}`
        expect(migrations.map((m) => m.migration_id).sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])
      }))

    it.scoped("lets exactly one of two instances win a save of the same version, and loses no event", () =>
      Effect.gen(function*() {
        const other = yield* second()
        const inspector = yield* Inspector.Inspector
        for (let round = 0; round < 10; round++) {
          const id = `app-pair-${round}-${Math.random().toString(36).slice(2, 8)}`
          const region = "utrecht"
          const repo = yield* Repository.ApplicationRepository
          yield* repo.save(StorageContract.application({ id, regionId: region }), 0)
          const attempt = (state: "Submitted" | "Withdrawn") =>
            Effect.gen(function*() {
              const repository = yield* Repository.ApplicationRepository
              const log = yield* EventLog.EventLog
              return yield* Transaction.run(Effect.gen(function*() {
                const saved = yield* repository.save(StorageContract.application({ id, regionId: region, state }), 1)
                yield* log.append([StorageContract.event({ entityId: id, regionId: region, version: saved.version })])
                return state
              }))
            }).pipe(Effect.either)
          const mine = yield* Effect.context<Repository.ApplicationRepository | EventLog.EventLog | Transaction.Transaction>()
          const results = yield* Effect.all([
            Effect.provide(attempt("Submitted"), mine),
            Effect.provide(attempt("Withdrawn"), Context.pick(Repository.ApplicationRepository, EventLog.EventLog, Transaction.Transaction)(other))
          ], { concurrency: "unbounded" })
          const wins = results.filter(Either.isRight)
          const losses = results.filter(Either.isLeft)
          expect(wins.length).toBe(1)
          expect(losses.length).toBe(1)
          expect(losses[0]!.left).toBeInstanceOf(ConcurrencyConflict)
          const raw = Option.getOrThrow(yield* inspector.entity("applications", id))
          expect(raw.version).toBe(2)
          expect(raw.state).toBe(wins[0]!.right)
          expect((yield* inspector.events()).filter((e) => e.entityId === id).map((e) => e.entityVersion)).toEqual([2])
        }
        const positions = (yield* inspector.events()).map((e) => e.position)
        expect(positions).toEqual(positions.map((_, i) => i + 1))
      }))

    it.scoped("never gives the same event to two dispatchers claiming at once", () =>
      Effect.gen(function*() {
        const other = yield* second()
        const log = yield* EventLog.EventLog
        const outbox = yield* Outbox.Outbox
        // start from an empty outbox
        for (;;) {
          const claimed = yield* outbox.claim({ consumer: "drain", limit: 500, leaseMillis: 600_000 })
          if (claimed.length === 0) break
          yield* Effect.forEach(claimed, (c) => outbox.complete(c.event.id, c.claimToken), { discard: true })
        }
        const appended = yield* log.append(
          Array.from({ length: 300 }, (_, i) => StorageContract.event({ entityId: `app-claims-${i % 7}`, regionId: "twente" }))
        )
        const dispatcher = (name: string, box: Context.Tag.Service<Outbox.Outbox>) =>
          Effect.gen(function*() {
            const mine: Array<Ids.EventId> = []
            for (;;) {
              const claimed = yield* box.claim({ consumer: name, limit: 7, leaseMillis: 600_000 })
              if (claimed.length === 0) return mine
              for (const c of claimed) mine.push(c.event.id)
            }
          })
        const [a, b, c] = yield* Effect.all([
          dispatcher("a", outbox),
          dispatcher("b", Context.get(other, Outbox.Outbox)),
          dispatcher("c", Context.get(other, Outbox.Outbox))
        ], { concurrency: "unbounded" })
        const all = [...a, ...b, ...c]
        expect(new Set(all).size).toBe(all.length)
        expect([...all].sort()).toEqual(appended.map((e) => e.id).sort())
        expect(a.length).toBeGreaterThan(0)
        expect(b.length + c.length).toBeGreaterThan(0)
      }))
  })

  describe("PostgreSQL: prepared statements", () => {
    /** The statements the store's one connection has prepared, after a few appends and reads. */
    const preparedAfterWork = (preparedStatements: boolean | undefined) => {
      const own = freshSchema("prepared")
      return Effect.gen(function*() {
        const context = yield* Layer.build(PgStore.layer({ url: Redacted.make(pgUrl), schema: own, maxConnections: 1, preparedStatements }))
        const log = Context.get(context, EventLog.EventLog)
        const sql = Context.get(context, SqlClient.SqlClient)
        for (let i = 0; i < 4; i++) yield* log.append([StorageContract.event({ entityId: `app-prepared-${i}`, regionId: "twente" })])
        const read = yield* log.read({ entityId: "app-prepared-3" })
        const prepared = yield* sql<{ readonly name: string; readonly statement: string }>`SELECT name, statement FROM pg_prepared_statements`
        yield* sql`DROP SCHEMA ${sql(own)} CASCADE`
        return { read, prepared }
      }).pipe(Effect.scoped)
    }

    it.live("runs a statement it sends again as a named statement, parsed once per connection", () =>
      Effect.gen(function*() {
        const { prepared, read } = yield* preparedAfterWork(undefined)
        expect(read.map((e) => e.entityId)).toEqual(["app-prepared-3"])
        const appends = prepared.filter((p) => p.name.startsWith("copkit_") && p.statement.includes("copkit_events") && p.statement.includes("INSERT"))
        expect(appends).toHaveLength(1)
      }))

    it.live("sends every statement unnamed with preparedStatements: false (for a pooler that drops them)", () =>
      Effect.gen(function*() {
        const { prepared, read } = yield* preparedAfterWork(false)
        expect(read.map((e) => e.entityId)).toEqual(["app-prepared-3"])
        expect(prepared.filter((p) => p.name.startsWith("copkit_"))).toEqual([])
      }))
  })
}

if (url !== undefined) {
  const pgUrl: string = url
  describe("PostgreSQL: the command path", () => {
    it("writes a change of one entity with its events in one statement, with no BEGIN or COMMIT; without the counter it writes nothing", { timeout: 60_000 }, async () => {
      const schema = freshSchema("fused")
      const runtime = ManagedRuntime.make(Intake.layer.pipe(
        Layer.provideMerge(PgStore.layer({ url: Redacted.make(pgUrl), schema })),
        Layer.provide(IdsModule.layerRandom)
      ))
      const admin = new pg.Client({ connectionString: pgUrl })
      await admin.connect()
      // every statement the driver is given, as its text (the real driver, observed)
      const texts: Array<string> = []
      const query = pg.Client.prototype.query
      pg.Client.prototype.query = function(this: pg.Client, config: unknown, ...rest: Array<unknown>) {
        if (this !== admin) texts.push(typeof config === "string" ? config : String((config as { text?: unknown } | null)?.text))
        return (query as (...args: Array<unknown>) => unknown).call(this, config, ...rest)
      } as typeof query
      const table = (name: string) => `"${schema}"."copkit_${name}"`
      const rows = async (text: string) => (await admin.query(text)).rows
      try {
        const intake = await runtime.runPromise(Intake.Intake)
        const as = <A, E>(effect: Effect.Effect<A, E, Actor.CurrentActor>) => runtime.runPromiseExit(Actor.as(effect, Fixtures.actors.coordinator))
        const writes = () => texts.filter((t) => /^\s*(WITH|INSERT|UPDATE|DELETE)/i.test(t))

        texts.length = 0
        const created = await as(intake.create(Fixtures.applicationInput({})))
        if (!Exit.isSuccess(created)) throw new Error(`create failed: ${String(created)}`)
        const id = created.value.id
        expect(texts.some((t) => /^\s*(BEGIN|COMMIT)/i.test(t))).toBe(false)
        expect(writes()).toHaveLength(1)
        expect(writes()[0]).toContain(`INSERT INTO ${table("applications")}`)
        expect(writes()[0]).toContain(`INSERT INTO ${table("events")}`)

        texts.length = 0
        expect(Exit.isSuccess(await as(intake.submit({ applicationId: id })))).toBe(true)
        expect(texts.some((t) => /^\s*(BEGIN|COMMIT)/i.test(t))).toBe(false)
        expect(writes()).toHaveLength(1)
        expect(writes()[0]).toContain(`UPDATE ${table("applications")}`)
        const events = await rows(`SELECT position::int AS position, entity_version, type, document::text AS document FROM ${table("events")} WHERE entity_id = '${id}' ORDER BY position`)
        expect(events.map((e) => [e.entity_version, e.type])).toEqual([[1, "ApplicationCreated"], [2, "ApplicationSubmitted"]])
        expect(events.map((e) => JSON.parse(e.document).position)).toEqual(events.map((e) => e.position))
        expect((await rows(`SELECT version FROM ${table("applications")} WHERE id = '${id}'`))[0].version).toBe(2)

        // without the counter's row: the command fails typed, the entity's row is as it was, no event
        await admin.query(`DELETE FROM ${table("sequences")} WHERE name = 'events'`)
        const failed = await as(intake.assess({ applicationId: id, criterion: "EnergyAndEnthusiasm", score: 4, note: "Veel energie." }))
        expect(Exit.isFailure(failed) && Option.getOrUndefined(Cause.failureOption(failed.cause))).toBeInstanceOf(StorageError)
        const createdAgain = await as(intake.create(Fixtures.applicationInput({})))
        expect(Exit.isFailure(createdAgain) && Option.getOrUndefined(Cause.failureOption(createdAgain.cause))).toBeInstanceOf(StorageError)
        expect((await rows(`SELECT version, state FROM ${table("applications")}`)).map((r) => [r.version, r.state])).toEqual([[2, "Submitted"]])
        expect((await rows(`SELECT count(*)::int AS n FROM ${table("events")}`))[0].n).toBe(2)
      } finally {
        pg.Client.prototype.query = query
        await runtime.dispose()
        await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
        await admin.end()
      }
    })
  })
}
