/**
 * @copkit/storage-postgres: copkit on PostgreSQL via `@effect/sql-pg`, for several application
 * instances on one database.
 *
 * @since 0.1.0
 * @module @copkit/storage-postgres
 */

/** The store on PostgreSQL. */
export * as PgStore from "./PgStore.js"
