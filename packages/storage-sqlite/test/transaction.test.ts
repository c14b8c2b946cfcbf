// The store's own transaction boundary (SqlStore runs BEGIN/COMMIT itself): a user's
// sql.withTransaction inside it is a savepoint, an interrupted transaction rolls back and gives
// the connection back, and two transactions at once never interleave.
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Either, Fiber, Option } from "effect"
import { Entity } from "@copkit/core"
import { StorageContract } from "@copkit/testing/contracts"
import { SqliteStore } from "@copkit/storage-sqlite"

const open = SqliteStore.make({ filename: ":memory:" })

describe("SqlStore transactions on SQLite", () => {
  it.scoped("runs a user's sql.withTransaction inside one as a savepoint", () =>
    Effect.gen(function*() {
      const { client, store, transaction } = yield* open
      const repo = store.repository(Entity.ApplicationKind)
      const inner = yield* Effect.either(transaction.run(Effect.gen(function*() {
        yield* repo.save(StorageContract.application({ id: "app-outer", regionId: "utrecht" }), 0)
        const undone = yield* Effect.either(client.withTransaction(Effect.zipRight(
          repo.save(StorageContract.application({ id: "app-inner", regionId: "utrecht" }), 0),
          Effect.fail("inner" as const)
        )))
        expect(undone).toEqual(Either.left("inner"))
        return "committed" as const
      })))
      expect(inner).toEqual(Either.right("committed"))
      expect(Option.isSome(yield* repo.find("app-outer"))).toBe(true)
      expect(Option.isNone(yield* repo.find("app-inner"))).toBe(true)
    }))

  it.scoped("rolls an interrupted transaction back and gives the connection back", () =>
    Effect.gen(function*() {
      const { store, transaction } = yield* open
      const repo = store.repository(Entity.ApplicationKind)
      const saved = yield* Deferred.make<void>()
      const fiber = yield* Effect.fork(transaction.run(Effect.gen(function*() {
        yield* repo.save(StorageContract.application({ id: "app-interrupted", regionId: "utrecht" }), 0)
        yield* Deferred.succeed(saved, undefined)
        return yield* Effect.never
      })))
      yield* Deferred.await(saved)
      yield* Fiber.interrupt(fiber)
      expect(Option.isNone(yield* repo.find("app-interrupted"))).toBe(true)
      // the next transaction gets the connection (it would wait for ever if the lock were kept)
      yield* transaction.run(repo.save(StorageContract.application({ id: "app-next", regionId: "utrecht" }), 0)).pipe(
        Effect.timeoutFail({ duration: "2 seconds", onTimeout: () => "the connection was not given back" as const })
      )
      expect(Option.isSome(yield* repo.find("app-next"))).toBe(true)
    }))

  it.scoped("never interleaves two transactions: a read and a save in each, both succeed in turn", () =>
    Effect.gen(function*() {
      const { store, transaction } = yield* open
      const repo = store.repository(Entity.ApplicationKind)
      const first = yield* repo.save(StorageContract.application({ id: "app-turns", regionId: "utrecht" }), 0)
      const bump = (state: "Submitted" | "Withdrawn") =>
        transaction.run(Effect.gen(function*() {
          const found = Option.getOrThrow(yield* repo.find("app-turns"))
          yield* Effect.yieldNow()
          return yield* repo.save(StorageContract.application({ id: "app-turns", regionId: "utrecht", state }), found.version)
        }))
      const results = yield* Effect.all([bump("Submitted"), bump("Withdrawn")], { concurrency: 2 })
      expect(results.map((r) => r.version).sort()).toEqual([first.version + 1, first.version + 2])
    }))
})
