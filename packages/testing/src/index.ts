/**
 * @copkit/testing: in-memory adapters and fixtures; the contract suites every adapter must pass
 * are in `@copkit/testing/contracts`.
 *
 * @since 0.1.0
 * @module @copkit/testing
 */

/** Fixtures: regions, people, actors, a complete application. */
export * as Fixtures from "./Fixtures.js"
/** The raw inspection hook the contract suites check writes through. */
export * as Inspector from "./Inspector.js"
/** In-memory adapters for every port. */
export * as Memory from "./Memory.js"
