/**
 * @copkit/storage-sqlite: the embedded default store for copkit, a SQLite file (WAL) with the
 * migrations run.
 *
 * @since 0.1.0
 * @module @copkit/storage-sqlite
 */

/** The store on a SQLite file. */
export * as SqliteStore from "./SqliteStore.js"
