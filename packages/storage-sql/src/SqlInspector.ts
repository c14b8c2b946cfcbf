/**
 * The raw inspection hook of the SQL store: reads what was actually written, with plain SQL, for
 * the contract suites of `@copkit/testing` (its `Inspector` port has this shape).
 *
 * @since 0.1.0
 */
import { Effect, Either, Layer, Option } from "effect"
import type { Context } from "effect"
import type { Repository } from "@copkit/core"
import { SqlClient } from "@effect/sql"
import * as names from "./internal/names.js"
import type { Options } from "./Migrations.js"

/** The inspection hook: `Repository.Inspection` of core, the shape of `Inspector` in `@copkit/testing`. @category models */
export type Service = Repository.Inspection

const json = (value: unknown): unknown => (typeof value === "string" ? JSON.parse(value) : value)

/**
 * Builds the inspection hook on the `SqlClient` in the context. Failures are defects: it is for tests.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { SqlInspector } from "@copkit/storage-sql"
 *
 * // in a test: read what a store wrote, with plain SQL
 * const inspector = SqlInspector.make({ prefix: "copkit_" })
 * ```
 *
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<Service, never, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const n = Either.getOrThrow(names.make(options))
    const sql = (yield* SqlClient.SqlClient).withoutTransforms()
    const table = (name: string) => sql(n.table(name))
    return {
      entity: (name, id) =>
        sql<Record<string, unknown>>`SELECT id, version, state, region_ids, programme_ids, document FROM ${table(name)} WHERE id = ${id}`.pipe(
          Effect.map((rows) =>
            Option.map(Option.fromNullable(rows[0]), (row) => ({
              id: String(row.id),
              version: Number(row.version),
              state: String(row.state),
              regionIds: json(row.region_ids) as ReadonlyArray<string>,
              programmeIds: json(row.programme_ids) as ReadonlyArray<string>,
              document: json(row.document)
            }))
          ),
          Effect.orDie
        ),
      count: (name) =>
        sql<{ readonly n: unknown }>`SELECT COUNT(*) AS n FROM ${table(name)}`.pipe(
          Effect.map((rows) => Number(rows[0]?.n ?? 0)),
          Effect.orDie
        ),
      events: () =>
        sql<Record<string, unknown>>`SELECT position, id, type, entity, entity_id, entity_version, document FROM ${table("events")} ORDER BY position`.pipe(
          Effect.map((rows) =>
            rows.map((row) => ({
              position: Number(row.position),
              id: String(row.id),
              type: String(row.type),
              entity: String(row.entity),
              entityId: String(row.entity_id),
              entityVersion: Number(row.entity_version),
              document: json(row.document)
            }))
          ),
          Effect.orDie
        ),
      deliveries: () =>
        sql<Record<string, unknown>>`SELECT delivery_key, status, attempts, recipient, document FROM ${table("deliveries")} ORDER BY delivery_key`.pipe(
          Effect.map((rows) =>
            rows.map((row) => ({
              key: String(row.delivery_key),
              status: String(row.status),
              attempts: Number(row.attempts),
              recipient: String(row.recipient),
              document: json(row.document)
            }))
          ),
          Effect.orDie
        )
    }
  })

/**
 * The inspection hook as a layer for the given tag, as `SqlInspector.layer(Inspector.Inspector)`
 * with the `Inspector` tag of `@copkit/testing`.
 *
 * @example
 * ```ts
 * import { SqlInspector } from "@copkit/storage-sql"
 * import { Inspector } from "@copkit/testing"
 *
 * // the inspection hook the storage contract suite reads through
 * const inspection = SqlInspector.layer(Inspector.Inspector, { prefix: "copkit_" })
 * ```
 *
 * @category layers
 */
export const layer = <I, S extends Service>(
  tag: Context.Tag<I, S>,
  options: Options = {}
): Layer.Layer<I, never, SqlClient.SqlClient> => Layer.effect(tag, make(options) as Effect.Effect<Service, never, SqlClient.SqlClient> as Effect.Effect<S, never, SqlClient.SqlClient>)
