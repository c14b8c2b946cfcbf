/**
 * @copkit/storage-sql: copkit's repositories, event log, outbox, delivery records and migrations
 * written once on `@effect/sql`.
 *
 * @since 0.1.0
 * @module @copkit/storage-sql
 */

/** The numbered migrations. */
export * as Migrations from "./Migrations.js"
/** The raw inspection hook for the contract suites. */
export * as SqlInspector from "./SqlInspector.js"
/** Every storage port on an SqlClient. */
export * as SqlStore from "./SqlStore.js"
