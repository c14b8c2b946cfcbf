/**
 * A cheap test that an erasure leaves an entity alone, run on its JSON before the entity is
 * encoded and redacted (`PersonalData.redact`): most of what a store's `mentioning` selection gives
 * is not changed (a name that is the start of a longer one: "regio 3" in "regio 30").
 *
 * @internal
 */

/** A text as a literal in a regular expression. @internal */
export const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/** What `scrubber` requires before a mention: no letter, digit, `@`, `.`, `_` or `-`. @internal */
export const mentionBefore = "(?<![\\p{L}\\p{N}@._-])"

/** What `scrubber` requires after a mention: no letter, digit, `@` or `_`, and no `.` before a letter or digit. @internal */
export const mentionAfter = "(?![\\p{L}\\p{N}@_]|\\.[\\p{L}\\p{N}])"

/**
 * A test on an entity's JSON (`JSON.stringify` of the value: its encoded form, for every stored
 * kind) that is true whenever `redact` could change it for the target: the JSON holds one of the
 * person ids (the person's own objects, invitations), or a mention as `scrubber` finds it, with
 * only the check after it (the one before it is left out: in JSON an escaped character, such as
 * a line break written `\n`, shows as a letter before the mention). Each mention is looked for as
 * JSON writes it. `mentions`: those the scrubber replaces (trimmed, three characters or more).
 * True for everything redact changes, never less; false for most of the rest. Given the entity's
 * schema, redact changes less (fixed values such as states and time zones stay), never more.
 *
 * @internal
 */
export const mayRedact = (personIds: Iterable<string>, mentions: ReadonlyArray<string>): (json: string) => boolean => {
  const ids = [...personIds]
  const patterns = mentions.map((m) =>
    new RegExp(`${escapeRegExp(JSON.stringify(m).slice(1, -1))}${mentionAfter}`, "iu")
  )
  return (json) => ids.some((id) => json.includes(id)) || patterns.some((p) => p.test(json))
}
