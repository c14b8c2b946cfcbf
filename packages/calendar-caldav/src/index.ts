/**
 * @copkit/calendar-caldav: publish copkit sessions to a CalDAV calendar.
 *
 * @since 0.1.0
 * @module @copkit/calendar-caldav
 */

/** The CalDAV publisher: `make`, `layer`, `layerConfig`. */
export * as CalDav from "./CalDav.js"
