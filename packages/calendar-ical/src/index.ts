/**
 * @copkit/calendar-ical: iCalendar (RFC 5545/5546) invitations, feeds and the import of a
 * region's calendar as busy periods.
 *
 * @since 0.1.0
 * @module @copkit/calendar-ical
 */

/** Rendering: invitations, cancellations, feeds, CalDAV resources; the renderer layer. */
export * as ICalendar from "./ICalendar.js"
/** Import of a region's calendar as busy periods; the importer layer. */
export * as ICalendarImport from "./ICalendarImport.js"
/** The VTIMEZONE components written by hand. */
export * as Timezones from "./Timezones.js"
