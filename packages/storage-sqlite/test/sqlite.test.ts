import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import Database from "better-sqlite3"
import { afterAll } from "vitest"
import { describe, expect, it } from "@effect/vitest"
import { Config, ConfigProvider, Duration, Effect, Either, Layer, Option } from "effect"
import { Entity, Repository, StorageError } from "@copkit/core"
import { StorageContract } from "@copkit/testing/contracts"
import { SqliteStore } from "@copkit/storage-sqlite"
import { keptSummaries } from "../../storage-sql/test/sessionSummaries.js"

const dir = mkdtempSync(join(tmpdir(), "copkit-sqlite-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let files = 0
const file = () => join(dir, `store-${++files}.db`)

describe("SqliteStore", () => {
  it.scoped("opens a file in WAL mode, creates the prefixed tables and runs the migrations once", () =>
    Effect.gen(function*() {
      const filename = file()
      const first = yield* SqliteStore.make({ filename })
      const sql = first.client
      const [mode] = yield* sql<{ readonly journal_mode: string }>`PRAGMA journal_mode`
      expect(mode!.journal_mode).toBe("wal")
      const tables = yield* sql<{ readonly name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`
      expect(tables.map((t) => t.name)).toEqual([
        "copkit_agreements", "copkit_applications", "copkit_deliveries", "copkit_directory_entries", "copkit_enrolments", "copkit_evaluations", "copkit_events", "copkit_feed_tokens",
        "copkit_insights", "copkit_intake_rounds", "copkit_measures", "copkit_migrations", "copkit_programmes",
        // 0007: the network search's index, its FTS5 tables and theirs
        "copkit_search_insights", "copkit_search_insights_fts", "copkit_search_insights_fts_config", "copkit_search_insights_fts_data",
        "copkit_search_insights_fts_docsize", "copkit_search_insights_fts_idx",
        "copkit_search_minutes", "copkit_search_minutes_fts", "copkit_search_minutes_fts_config", "copkit_search_minutes_fts_data",
        "copkit_search_minutes_fts_docsize", "copkit_search_minutes_fts_idx", "copkit_search_themes",
        "copkit_sequences", "copkit_sessions"
      ])
      const again = yield* SqliteStore.make({ filename })
      const migrations = yield* again.client<{ readonly migration_id: number }>`SELECT migration_id FROM copkit_migrations`
      expect(migrations.map((m) => m.migration_id).sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])

      const other = yield* SqliteStore.make({ filename, prefix: "other_" })
      const all = yield* other.client<{ readonly name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'other_%'`
      expect(all.length).toBe(28)
    }))

  it.scoped("migration 0006 indexes every entity table by its first region and programme, and a list by programme (as the store writes it) uses the index", () =>
    Effect.gen(function*() {
      const store = yield* SqliteStore.make({ filename: file() })
      const sql = store.client
      const indexes = yield* sql<{ readonly name: string }>`SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%_first_idx' ORDER BY name`
      const entityTables = ["agreements", "applications", "directory_entries", "enrolments", "evaluations", "feed_tokens", "insights", "intake_rounds", "measures", "programmes", "sessions"]
      expect(indexes.map((i) => i.name)).toEqual(entityTables.flatMap((t) => [`copkit_${t}_programme_ids_first_idx`, `copkit_${t}_region_ids_first_idx`]))
      const plan = yield* sql<{ readonly detail: string }>`EXPLAIN QUERY PLAN SELECT id FROM copkit_sessions
        WHERE +state = ${"Held"} AND (json_extract(programme_ids, '$[0]') = ${"prg_1"} OR (json_array_length(programme_ids) > 1 AND EXISTS (SELECT 1 FROM json_each(programme_ids) WHERE value = ${"prg_1"})))
        ORDER BY +id`
      expect(plan.map((p) => p.detail).join("\n")).toContain("copkit_sessions_programme_ids_first_idx")
    }))

  it.scoped("migration 0009 indexes every entity table by its person ids, a store from before it gets the index, and a list by person (as the store writes it) reads the index", () =>
    Effect.gen(function*() {
      const filename = file()
      const store = yield* SqliteStore.make({ filename })
      const sql = store.client
      const entityTables = ["agreements", "applications", "directory_entries", "enrolments", "evaluations", "feed_tokens", "insights", "intake_rounds", "measures", "programmes", "sessions"]
      const personIndexes = sql<{ readonly name: string }>`SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%_person_ids_idx' ORDER BY name`
      expect((yield* personIndexes).map((i) => i.name)).toEqual(entityTables.map((t) => `copkit_${t}_person_ids_idx`))
      // a store migrated up to 0008: opening it again adds the indexes
      for (const t of entityTables) yield* sql`DROP INDEX ${sql(`copkit_${t}_person_ids_idx`)}`
      yield* sql`DELETE FROM copkit_migrations WHERE migration_id = 9`
      yield* SqliteStore.make({ filename })
      expect((yield* personIndexes).length).toBe(entityTables.length)
      const plan = yield* sql<{ readonly detail: string }>`EXPLAIN QUERY PLAN SELECT id, version, document FROM copkit_sessions
        WHERE (rowid IN (SELECT rowid FROM copkit_sessions WHERE instr(person_ids, ${"\"per_1\""}) > 0) AND EXISTS (SELECT 1 FROM json_each(person_ids) WHERE value = ${"per_1"}))
        ORDER BY id`
      expect(plan.map((p) => p.detail).join("\n")).toContain("COVERING INDEX copkit_sessions_person_ids_idx")
    }))

  it.scoped("keeps each session's summary beside it, reads it afresh, not one of another version, and migration 0008 fills it; the same for the programmes'", () =>
    Effect.gen(function*() {
      const open = SqliteStore.make({ filename: file() })
      const store = yield* open
      yield* keptSummaries({ open, sql: store.client, table: "copkit_sessions", programmes: "copkit_programmes", migrations: "copkit_migrations", index: "copkit_sessions_summary_idx" })
    }))

  it.scoped("keeps what was saved across a reopen", () =>
    Effect.gen(function*() {
      const filename = file()
      const value = StorageContract.application({ id: "app-reopen", regionId: "utrecht" })
      yield* Effect.scoped(Effect.gen(function*() {
        const repo = yield* Repository.ApplicationRepository
        yield* repo.save(value, 0)
      }).pipe(Effect.provide(SqliteStore.layer({ filename }))))
      const found = yield* Effect.flatMap(Repository.ApplicationRepository, (repo) => repo.find("app-reopen")).pipe(
        Effect.provide(SqliteStore.layer({ filename }))
      )
      expect(Option.getOrThrow(found).version).toBe(1)
    }))

  it.effect("reads its options from configuration", () =>
    Effect.gen(function*() {
      const layer = SqliteStore.layerConfig({ filename: Config.string("COPKIT_SQLITE_FILE"), prefix: Config.succeed("cfg_") })
      const count = yield* Effect.flatMap(Repository.ApplicationRepository, (repo) => repo.count()).pipe(
        Effect.provide(layer),
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["COPKIT_SQLITE_FILE", file()]])))
      )
      expect(count).toBe(0)
    }))

  it.effect("fails with a StorageError, not a defect, when the file cannot be opened", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Layer.build(SqliteStore.layer({ filename: join(dir, "no", "such", "folder", "x.db") })).pipe(Effect.scoped))
      expect(error).toBeInstanceOf(StorageError)
      expect(error.operation).toBe("open")
      const prefix = yield* Effect.flip(Layer.build(SqliteStore.layer({ filename: ":memory:", prefix: "bad prefix; --" })).pipe(Effect.scoped))
      expect(prefix).toBeInstanceOf(StorageError)
    }))

  it.live("lets one of two stores on the same file win a save of the same version; the other fails typed, nothing doubled", () =>
    Effect.gen(function*() {
      const filename = file()
      const a = yield* SqliteStore.make({ filename, busyTimeout: Duration.millis(100) })
      const b = yield* SqliteStore.make({ filename, busyTimeout: Duration.millis(100) })
      for (let round = 0; round < 5; round++) {
        const id = `app-two-${round}`
        yield* a.store.repository(Entity.ApplicationKind).save(StorageContract.application({ id, regionId: "utrecht" }), 0)
        const attempt = (store: typeof a, state: "Submitted" | "Withdrawn") =>
          store.transaction.run(Effect.gen(function*() {
            const saved = yield* store.store.repository(Entity.ApplicationKind).save(StorageContract.application({ id, regionId: "utrecht", state }), 1)
            yield* Effect.yieldNow()
            yield* store.eventLog.append([StorageContract.event({ entityId: id, regionId: "utrecht", version: saved.version })])
            return state
          })).pipe(Effect.either)
        const results = yield* Effect.all([attempt(a, "Submitted"), attempt(b, "Withdrawn")], { concurrency: "unbounded" })
        const wins = results.filter(Either.isRight)
        expect(wins.length).toBe(1)
        for (const loss of results.filter(Either.isLeft)) {
          expect(["ConcurrencyConflict", "StorageError"]).toContain(loss.left._tag)
        }
        const events = yield* a.eventLog.read({ entityId: id })
        expect(events.map((e) => e.entityVersion)).toEqual([2])
        const found = yield* b.store.repository(Entity.ApplicationKind).find(id)
        expect(Option.getOrThrow(found).value.state).toBe(wins[0]!.right)
      }
    }).pipe(Effect.scoped))

  it.live("reads what another store on the same file committed, never its own rolled-back save", () =>
    Effect.gen(function*() {
      const filename = file()
      const a = yield* SqliteStore.make({ filename })
      const b = yield* SqliteStore.make({ filename })
      const repoA = a.store.repository(Entity.ApplicationKind)
      const repoB = b.store.repository(Entity.ApplicationKind)
      const id = "app-cached"
      yield* repoA.save(StorageContract.application({ id, regionId: "utrecht" }), 0)
      expect(Option.getOrThrow(yield* repoA.find(id)).value.state).toBe("Draft")
      // b moves it on: a reads b's version, not what it read before
      yield* repoB.save(StorageContract.application({ id, regionId: "utrecht", state: "Submitted" }), 1)
      const seen = Option.getOrThrow(yield* repoA.find(id))
      expect([seen.version, seen.value.state]).toEqual([2, "Submitted"])
      // a saves version 3 and rolls back; b commits its own version 3: a reads b's
      yield* Effect.exit(a.transaction.run(Effect.zipRight(
        repoA.save(StorageContract.application({ id, regionId: "utrecht", state: "Withdrawn" }), 2),
        Effect.fail("boom")
      )))
      yield* repoB.save(StorageContract.application({ id, regionId: "utrecht", state: "Declined" }), 2)
      const after = Option.getOrThrow(yield* repoA.find(id))
      expect([after.version, after.value.state]).toEqual([3, "Declined"])
      expect((yield* repoA.list({ regionId: "utrecht" })).map((v) => v.value.state)).toEqual(["Declined"])
      // a stale save from a still fails and writes nothing
      const stale = yield* Effect.flip(repoA.save(StorageContract.application({ id, regionId: "utrecht", state: "Accepted" }), 2))
      expect(stale._tag).toBe("ConcurrencyConflict")
      expect(Option.getOrThrow(yield* repoB.find(id)).value.state).toBe("Declined")
    }).pipe(Effect.scoped))

  it.live("fails with a StorageError within the busy timeout while another connection holds a write lock", () =>
    Effect.gen(function*() {
      const filename = file()
      const store = yield* SqliteStore.make({ filename, busyTimeout: Duration.millis(200) })
      const repo = store.store.repository(Entity.ApplicationKind)
      const raw = new Database(filename)
      yield* Effect.addFinalizer(() => Effect.sync(() => raw.close()))
      raw.prepare("BEGIN IMMEDIATE").run()
      raw.prepare("INSERT INTO copkit_sequences (name, value) VALUES ('lock', 1)").run()
      const started = Date.now()
      const error = yield* Effect.flip(repo.save(StorageContract.application({ id: "app-locked", regionId: "utrecht" }), 0))
      const waited = Date.now() - started
      expect(error).toBeInstanceOf(StorageError)
      expect((error as StorageError).message).toMatch(/locked|busy/i)
      expect(waited).toBeGreaterThanOrEqual(150)
      expect(waited).toBeLessThan(3_000)
      // reads go on while the writer holds its lock (WAL)
      expect(Option.isNone(yield* repo.find("app-locked"))).toBe(true)
      raw.prepare("ROLLBACK").run()
      const saved = yield* repo.save(StorageContract.application({ id: "app-locked", regionId: "utrecht" }), 0)
      expect(saved.version).toBe(1)
      const [row] = yield* store.client<{ readonly n: number }>`SELECT COUNT(*) AS n FROM copkit_sequences WHERE name = 'lock'`
      expect(row!.n).toBe(0)
    }).pipe(Effect.scoped))
})

