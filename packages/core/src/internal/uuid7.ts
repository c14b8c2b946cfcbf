/**
 * Time-ordered UUIDs (version 7, RFC 9562 section 5.7): 48 bits of Unix time in milliseconds, then
 * 74 random bits. Ids minted later sort after earlier ones (to the millisecond), so that a store's
 * index on the id takes new rows at its end rather than on random pages: on SQLite a command's
 * COMMIT writes fewer pages, and PostgreSQL's B-trees stay compact. The random part (74 bits from
 * the platform's cryptographic generator) keeps ids unguessable as before; what an id now tells is
 * when it was minted, as the entity's own `createdAt` does.
 *
 * @internal
 */

const hex = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"))

/**
 * The UUID of a time and 10 random bytes (only their bits outside the version and variant count).
 * Pure, for the tests; {@link uuid7} is the minting one.
 *
 * @internal
 */
export const uuid7Of = (millis: number, random: ArrayLike<number>, offset = 0): string => {
  // 48 bits of time as 12 hex digits (above 2^32 a plain bit shift would wrap)
  const time = Math.max(0, Math.min(Math.floor(millis), 0xffff_ffff_ffff)).toString(16).padStart(12, "0")
  const r = (i: number) => random[offset + i]! & 0xff
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-` +
    `${hex[0x70 | (r(0) & 0x0f)]}${hex[r(1)]}-` +
    `${hex[0x80 | (r(2) & 0x3f)]}${hex[r(3)]}-` +
    `${hex[r(4)]}${hex[r(5)]}${hex[r(6)]}${hex[r(7)]}${hex[r(8)]}${hex[r(9)]}`
}

/** Random bytes for 256 ids at a time (one call to the generator rather than one per id). */
const pool = new Uint8Array(10 * 256)
let used = pool.length

/** A new time-ordered UUID. @internal */
export const uuid7 = (): string => {
  if (used === pool.length) {
    globalThis.crypto.getRandomValues(pool)
    used = 0
  }
  const id = uuid7Of(Date.now(), pool, used)
  used += 10 // each byte serves one id
  return id
}
