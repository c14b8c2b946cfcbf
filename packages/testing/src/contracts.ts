/**
 * @copkit/testing/contracts: the contract suites every adapter must pass, for a vitest run
 * (ESM only: they register tests with @effect/vitest).
 *
 * @since 0.1.0
 * @module @copkit/testing/contracts
 */

/** The contract suites of the calendar ports (renderer and publisher). */
export * as CalendarContract from "./CalendarContract.js"
/** The contract suite of the storage ports. */
export * as StorageContract from "./StorageContract.js"
