// A save checks (and encodes) only the fields that changed since the value the store last read or
// wrote, and stores the value's JSON. These tests hold it to what a whole encode did: the stored
// document is the encoded value, and a changed field that would not encode is
// refused with a StorageError and nothing is written.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "@effect/sql"
import { Actor, Application, Entity, Ids, Intake, Repository, StorageError } from "@copkit/core"
import { Fixtures } from "@copkit/testing"
import { StorageContract } from "@copkit/testing/contracts"
import { SqliteStore } from "@copkit/storage-sqlite"
import * as Documents from "../../storage-sql/src/internal/documents.js"

const open = SqliteStore.make({ filename: ":memory:" })
const encode = Schema.encodeSync(Application.Application)
/** The encoded value as JSON holds it (the key order of a document is not kept: JSON objects have none). */
const encoded = (value: Application.Application): unknown => JSON.parse(JSON.stringify(encode(value)))
const at = new Date("2027-05-01T10:00:00.000Z")

const storedDocument = (client: SqlClient.SqlClient, id: string) =>
  Effect.map(
    client.unsafe<{ readonly version: number; readonly document: string }>("SELECT version, document FROM copkit_applications WHERE id = ?", [id]),
    (rows) => rows[0]!
  )

describe("a save encodes what changed", () => {
  it.scoped("stores exactly the encoded value after a change of a few fields, and of a nested one", () =>
    Effect.gen(function*() {
      const { client, store } = yield* open
      const repo = store.repository(Entity.ApplicationKind)
      const first = StorageContract.application({ id: "app-doc", regionId: "utrecht" })
      yield* repo.save(first, 0)
      const found = Option.getOrThrow(yield* repo.find("app-doc"))
      const submitted = new Application.Application({ ...found.value, state: "Submitted", submittedAt: at, updatedAt: at })
      yield* repo.save(submitted, 1)
      expect(JSON.parse((yield* storedDocument(client, "app-doc")).document)).toStrictEqual(encoded(submitted))
      const assessed = new Application.Application({
        ...submitted,
        assessment: [new Application.CriterionAssessment({ criterion: "Urgency", score: 4, note: "Nu nodig.", assessedBy: "per-x" as Ids.PersonId, assessedAt: at })],
        updatedAt: at
      })
      yield* repo.save(assessed, 2)
      const row = yield* storedDocument(client, "app-doc")
      expect(row.version).toBe(3)
      expect(JSON.parse(row.document)).toStrictEqual(encoded(assessed))
    }))

  it.scoped("refuses a changed field that would not encode, also inside a nested value, and writes nothing", () =>
    Effect.gen(function*() {
      const { client, store } = yield* open
      const repo = store.repository(Entity.ApplicationKind)
      yield* repo.save(StorageContract.application({ id: "app-bad", regionId: "utrecht" }), 0)
      const found = Option.getOrThrow(yield* repo.find("app-bad"))
      const before = yield* storedDocument(client, "app-bad")
      // built without validation, as a bug would
      const emptyUrgency = new Application.Application({ ...found.value, urgency: "" }, true)
      expect(yield* Effect.flip(repo.save(emptyUrgency, 1))).toBeInstanceOf(StorageError)
      const badScore = new Application.Application({
        ...found.value,
        assessment: [new Application.CriterionAssessment({ criterion: "Urgency", score: 9 as never, note: "x", assessedBy: "per-x" as Ids.PersonId, assessedAt: at }, true)]
      }, true)
      expect(yield* Effect.flip(repo.save(badScore, 1))).toBeInstanceOf(StorageError)
      const badDate = new Application.Application({ ...found.value, updatedAt: new Date(Number.NaN) }, true)
      expect(yield* Effect.flip(repo.save(badDate, 1))).toBeInstanceOf(StorageError)
      expect(yield* storedDocument(client, "app-bad")).toEqual(before)
      // the valid change after them is written
      yield* repo.save(new Application.Application({ ...found.value, state: "Submitted", submittedAt: at }), 1)
      expect((yield* storedDocument(client, "app-bad")).version).toBe(2)
    }))

  it.scoped("stores no key that is not a field of the kind", () =>
    Effect.gen(function*() {
      const { client, store } = yield* open
      const repo = store.repository(Entity.ApplicationKind)
      yield* repo.save(StorageContract.application({ id: "app-extra", regionId: "utrecht" }), 0)
      const found = Option.getOrThrow(yield* repo.find("app-extra"))
      const extra = new Application.Application({ ...found.value, state: "Submitted", secret: "not a field" } as never, true)
      yield* repo.save(extra, 1)
      const row = yield* storedDocument(client, "app-extra")
      expect(row.document).not.toContain("secret")
      expect(JSON.parse(row.document)).toStrictEqual(encoded(extra))
    }))

  it.effect("stores the encoded value of each step of the intake's command path", () =>
    Effect.gen(function*() {
      const intake = yield* Intake.Intake
      const applications = yield* Repository.ApplicationRepository
      const inspect = (id: string) =>
        Effect.map(applications.find(id), (found) => Option.getOrThrow(found).value)
      const created = yield* intake.create(Fixtures.applicationInput())
      const submitted = yield* intake.submit({ applicationId: created.id })
      const assessed = yield* intake.assess({ applicationId: created.id, criterion: "Urgency", score: 3, note: "Nu." })
      const row = yield* storedDocument(yield* SqlClient.SqlClient, created.id)
      expect(row.version).toBe(3)
      expect(JSON.parse(row.document)).toStrictEqual(encoded(assessed))
      expect(submitted.state).toBe("Submitted")
      expect((yield* inspect(created.id)).assessment).toHaveLength(1)
    }).pipe(
      Actor.as(Fixtures.actors.coordinator),
      Effect.provide(Intake.layer.pipe(Layer.provideMerge(SqliteStore.layer({ filename: ":memory:" })), Layer.provide(Ids.layerRandom)))
    ))
})

describe("which kinds have their JSON as their encoded form", () => {
  it("every stored kind does; an Option, a number from a string or a renamed key does not", () => {
    for (const kind of Entity.kinds) expect([kind.name, Documents.jsonFaithful(kind.schema.ast)]).toEqual([kind.name, true])
    expect(Documents.jsonFaithful(Schema.Struct({ at: Schema.Date, n: Schema.optionalWith(Schema.Number, { default: () => 1 }) }).ast)).toBe(true)
    expect(Documents.jsonFaithful(Schema.Struct({ a: Schema.optionalWith(Schema.String, { as: "Option" }) }).ast)).toBe(false)
    expect(Documents.jsonFaithful(Schema.Struct({ n: Schema.NumberFromString }).ast)).toBe(false)
    expect(Documents.jsonFaithful(Schema.Struct({ a: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("b")) }).ast)).toBe(false)
    class Wrapped extends Schema.Class<Wrapped>("Wrapped")({ at: Schema.Date, list: Schema.Array(Schema.Struct({ d: Schema.DateFromNumber })) }) {}
    expect(Documents.jsonFaithful(Wrapped.ast)).toBe(false)
  })
})
