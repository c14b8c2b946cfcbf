/**
 * Shared value schemas: bounded text, e-mail addresses, languages, calendar dates.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { isEmailValid } from "@sideway/address"
import { checkedString } from "./internal/checkedString.js"

/** Control characters other than newlines and tabs. */
const controlCharacter = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/
/** Control characters other than tabs, and every line break. */
const controlOrLineBreak = /[\u0000-\u0008\u000A-\u001F\u007F\u2028\u2029]/

/** The rules of {@link Text}, one filter each: what a refused text is told, rule by rule. */
const textRules = (max: number) =>
  Schema.String.pipe(
    Schema.filter((s) => s.trim().length > 0, { message: () => "must not be empty", identifier: "nonEmpty" }),
    Schema.filter((s) => s.length <= max, { message: () => `must be at most ${max} characters`, identifier: "maxLength" }),
    Schema.filter((s) => !controlCharacter.test(s), {
      message: () => "must not contain control characters",
      identifier: "noControlCharacters"
    })
  )

/** The rules of {@link Line}: those of a text of 200 characters, then no line break. */
const lineRules = textRules(200).pipe(
  Schema.filter((s) => !/[\r\n\u2028\u2029]/.test(s), { message: () => "must be a single line", identifier: "singleLine" })
)

// Texts are checked by one function each (see internal/checkedString): the rules above are what
// a refused text is measured against, and they decide every string the function does not accept.

/** Trimmed text of 1 to `max` characters, free of control characters other than newlines and tabs. @category schemas */
export const Text = (max: number): Schema.SchemaClass<string> =>
  checkedString(textRules(max), (s) => s.length <= max && s.trim().length > 0 && !controlCharacter.test(s))

/** A one-line name or title: no line breaks at all, at most 200 characters. @category schemas */
export const Line: Schema.SchemaClass<string> = checkedString(
  lineRules,
  (s) => s.length <= 200 && s.trim().length > 0 && !controlOrLineBreak.test(s)
)

/** Free text up to 10,000 characters (motivations, notes, minutes use {@link LongText}). @category schemas */
export const Paragraph = Text(10_000)

/** Long text, up to 200,000 characters (minutes of a session). @category schemas */
export const LongText = Text(200_000)

/** Refused before the address library sees it: line breaks and controls (header injection). */
const unsafeInAddress = /[\u0000-\u001f\u007f\u0085\u2028\u2029]/

/**
 * The addresses found valid lately. Checking one parses its domain (IDNA, punycode), and the same
 * addresses come back all the time: every invitation of every session read from storage names one.
 * Only valid ones are kept, at most `knownAddressesMax`; the set is emptied when it is full.
 */
const knownAddresses = new Set<string>()
const knownAddressesMax = 50_000

const isAddress = (s: string): boolean => {
  if (knownAddresses.has(s)) return true
  const valid = s.length <= 254 && !unsafeInAddress.test(s) && isEmailValid(s, { minDomainSegments: 2, allowUnicode: true })
  if (valid) {
    if (knownAddresses.size >= knownAddressesMax) knownAddresses.clear()
    knownAddresses.add(s)
  }
  return valid
}

/**
 * An e-mail address: the plain `local@domain` form, no display name, no comments, no line breaks.
 * International addresses are accepted as SMTPUTF8 (RFC 6531) and IDNA allow them: `info@müller.nl`,
 * `jörg@example.nl`. The check is done by `@sideway/address` (the validator behind joi), not a regex.
 *
 * @example
 * ```ts
 * import { Common } from "@copkit/core"
 * import { Schema } from "effect"
 *
 * Schema.decodeUnknownSync(Common.Email)("info@müller.nl") // accepted
 * Schema.decodeUnknownSync(Common.Email)("a@b.nl\r\nBcc: x@y.nl") // throws: must be an e-mail address
 * ```
 * @category schemas
 */
export const Email = checkedString(
  Schema.String.pipe(
    Schema.filter(
      isAddress,
      {
        message: () => "must be an e-mail address like name@example.nl",
        identifier: "email"
      }
    )
  ),
  isAddress
).pipe(Schema.brand("Email"))
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
export const LocalDate = checkedString(
  Schema.String.pipe(Schema.filter(isRealDate, { message: () => "must be a date as YYYY-MM-DD", identifier: "localDate" })),
  isRealDate
).pipe(Schema.brand("LocalDate"))
/** @category schemas */
export type LocalDate = typeof LocalDate.Type

/** A point in time, given and stored as an ISO 8601 string with offset (`2027-03-04T13:30:00Z`). @category schemas */
export const Instant = Schema.Date

/** The time zone every session is held in unless told otherwise. @category constants */
export const defaultTimeZone = "Europe/Amsterdam"
