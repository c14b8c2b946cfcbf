import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, Option } from "effect"
import { Ids, Outbox, Transaction } from "@copkit/core"
import { Memory } from "@copkit/testing"

const record = (attempts: number) =>
  new Outbox.DeliveryRecord({
    key: "evt_1/per_1/email",
    eventId: "evt_1" as Ids.EventId,
    recipient: "ilse@bakkerijmulder.nl" as never,
    channel: "email",
    messageId: "<evt_1@copkit.test>",
    status: "Sent",
    attempts,
    updatedAt: new Date("2027-02-01T09:00:00Z")
  })

describe("the in-memory store's writes outside a transaction", () => {
  it.effect("wait for a running transaction, so that its rollback does not undo them", () =>
    Effect.gen(function*() {
      const deliveries = yield* Outbox.Deliveries
      const tx = yield* Transaction.Transaction
      const wrote = yield* Deferred.make<void>()
      const gate = yield* Deferred.make<void>()
      // a transaction writes the record, waits, and fails: its write is rolled back
      const failing = yield* Effect.fork(Effect.exit(tx.run(Effect.gen(function*() {
        yield* deliveries.record(record(1))
        yield* Deferred.succeed(wrote, undefined)
        yield* Deferred.await(gate)
        return yield* Effect.fail("rolled back")
      }))))
      yield* Deferred.await(wrote)
      // meanwhile, a write of its own: it must wait for the transaction to end
      const outside = yield* Effect.fork(deliveries.record(record(2)))
      yield* Effect.yieldNow()
      yield* Deferred.succeed(gate, undefined)
      expect((yield* Fiber.join(failing))._tag).toBe("Failure")
      yield* Fiber.join(outside)
      const found = yield* deliveries.find("evt_1/per_1/email")
      expect(Option.map(found, (r) => r.attempts)).toEqual(Option.some(2))
    }).pipe(Effect.provide(Memory.layerStorage)))
})
