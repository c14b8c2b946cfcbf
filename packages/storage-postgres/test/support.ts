import { Effect, Layer, Redacted } from "effect"
import { SqlClient } from "@effect/sql"
import { Inspector } from "@copkit/testing"
import { SqlInspector } from "@copkit/storage-sql"
import { PgStore } from "@copkit/storage-postgres"

/** The test server's URL, from the environment; the PostgreSQL tests are skipped without it. */
export const url = process.env["COPKIT_TEST_POSTGRES_URL"]

export const skipReason =
  "PostgreSQL tests skipped: COPKIT_TEST_POSTGRES_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test)"

/** A schema name of its own for each test run. */
export const freshSchema = (label: string) => `copkit_test_${label}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`

/** Drops the schema when the layer is released (after everything built on it). */
const dropOnRelease = (schema: string) =>
  Layer.scopedDiscard(Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* Effect.addFinalizer(() => Effect.ignore(sql`DROP SCHEMA IF EXISTS ${sql(schema)} CASCADE`))
  }))

/** The store on its own schema, with the inspection hook; the schema is dropped afterwards. */
export const storeLayer = (schema: string, prefix?: string) =>
  Layer.mergeAll(SqlInspector.layer(Inspector.Inspector, { prefix, schema }), dropOnRelease(schema)).pipe(
    Layer.provideMerge(PgStore.layer({ url: Redacted.make(url ?? ""), schema, prefix }))
  )
