/**
 * @copkit/testing: in-memory adapters, fixtures and the contract suites every adapter must pass.
 *
 * @since 0.1.0
 * @module @copkit/testing
 */

/** The contract suites of the calendar ports (renderer and publisher). */
export * as CalendarContract from "./CalendarContract.js"
/** Fixtures: regions, people, actors, a complete application. */
export * as Fixtures from "./Fixtures.js"
/** The raw inspection hook the contract suites check writes through. */
export * as Inspector from "./Inspector.js"
/** In-memory adapters for every port. */
export * as Memory from "./Memory.js"
/** The contract suite every storage adapter passes. */
export * as StorageContract from "./StorageContract.js"
