/**
 * Shared value schemas: bounded text, e-mail addresses, languages, calendar dates.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/** Trimmed text of 1 to `max` characters, free of control characters other than newlines and tabs. @category schemas */
export const Text = (max: number) =>
  Schema.String.pipe(
    Schema.filter((s) => s.trim().length > 0, { message: () => "must not be empty", identifier: "nonEmpty" }),
    Schema.filter((s) => s.length <= max, { message: () => `must be at most ${max} characters`, identifier: "maxLength" }),
    Schema.filter((s) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(s), {
      message: () => "must not contain control characters",
      identifier: "noControlCharacters"
    })
  )

/** A one-line name or title: no line breaks at all, at most 200 characters. @category schemas */
export const Line = Text(200).pipe(
  Schema.filter((s) => !/[\r\n\u2028\u2029]/.test(s), { message: () => "must be a single line", identifier: "singleLine" })
)

/** Free text up to 10,000 characters (motivations, notes, minutes use {@link LongText}). @category schemas */
export const Paragraph = Text(10_000)

/** Long text, up to 200,000 characters (minutes of a session). @category schemas */
export const LongText = Text(200_000)

const emailPattern = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/

/**
 * An e-mail address (the plain `local@domain` form; no display name, no comments, no line breaks).
 *
 * @category schemas
 */
export const Email = Schema.String.pipe(
  Schema.filter((s) => s.length <= 254 && emailPattern.test(s), {
    message: () => "must be an e-mail address like name@example.nl",
    identifier: "email"
  }),
  Schema.brand("Email")
)
/** @category schemas */
export type Email = typeof Email.Type

/** The languages of user-facing text: Dutch (the default) and English. @category schemas */
export const Language = Schema.Literal("nl", "en")
/** @category schemas */
export type Language = typeof Language.Type

const isRealDate = (s: string): boolean => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(y, mo - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d
}

/** A calendar date `YYYY-MM-DD` with no time and no zone (due dates, holidays). @category schemas */
export const LocalDate = Schema.String.pipe(
  Schema.filter(isRealDate, { message: () => "must be a date as YYYY-MM-DD", identifier: "localDate" }),
  Schema.brand("LocalDate")
)
/** @category schemas */
export type LocalDate = typeof LocalDate.Type

/** A point in time, given and stored as an ISO 8601 string with offset (`2027-03-04T13:30:00Z`). @category schemas */
export const Instant = Schema.Date

/** The time zone every session is held in unless told otherwise. @category constants */
export const defaultTimeZone = "Europe/Amsterdam"
