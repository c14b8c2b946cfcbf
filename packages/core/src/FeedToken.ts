/**
 * A person's private calendar feed token: the secret part of the feed's URL. A person has at most
 * one active token; revoking it (or rotating it: revoked and a new one issued) makes every link that
 * carries it answer 404. The token reads as `<id>.<secret>`: the id names the stored entity (and is
 * all the event log ever holds), the secret is 32 random bytes that a link must carry.
 *
 * Feed tokens are personal data: a person's export holds theirs, and an erasure revokes them and
 * removes their secret.
 *
 * @since 0.4.0
 */
import { fixedValue } from "./internal/redaction.js"
import { Class } from "./internal/schemaClass.js"
import { Either, Schema } from "effect"
import type { Transitioned } from "./Command.js"
import { Instant } from "./Common.js"
import { InvalidTransition } from "./Errors.js"
import { PersonId } from "./Ids.js"

/** `Active`, or `Revoked` for good. @category models */
export const FeedTokenState = Schema.Literal("Active", "Revoked")
/** @category models */
export type FeedTokenState = typeof FeedTokenState.Type

/** The id of a feed token, as `fdt_…`. @category models */
export const FeedTokenId = Schema.String.pipe(Schema.pattern(/^fdt_[A-Za-z0-9_-]{1,64}$/), Schema.brand("FeedTokenId"))
/** @category models */
export type FeedTokenId = typeof FeedTokenId.Type

/** A person's feed token. @category models */
export class FeedToken extends Class<FeedToken>("FeedToken")({
  id: FeedTokenId,
  personId: PersonId,
  state: FeedTokenState,
  /**
   * What a feed link carries, `<id>.<secret>`; empty once revoked (a revoked token's secret is kept
   * nowhere).
   */
  token: Schema.String.pipe(Schema.maxLength(200)).annotations(fixedValue),
  issuedAt: Instant,
  revokedAt: Schema.optional(Instant)
}) {}

/** The id and the secret of a token as a link carries it, or `undefined` when it is not of that form. @category accessors */
export const parse = (token: string): { readonly id: FeedTokenId; readonly secret: string } | undefined => {
  const dot = token.lastIndexOf(".")
  if (dot <= 0 || token.length > 200) return undefined
  const id = token.slice(0, dot)
  const secret = token.slice(dot + 1)
  if (!/^fdt_[A-Za-z0-9_-]{1,64}$/.test(id) || !/^[A-Za-z0-9_-]{43}$/.test(secret)) return undefined
  return { id: id as FeedTokenId, secret }
}

/** A fresh secret: 32 random bytes from the platform's cryptographic generator, base64url (43 characters). @category constructors */
export const newSecret = (): string => {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(32))
  let binary = ""
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")
}

/** Compares two strings in time that depends on their length only. @category rules */
export const sameSecret = (a: string, b: string): boolean => {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

/** Whether a token as a link carries it opens this stored token: active, and the secret matches. @category rules */
export const opens = (stored: FeedToken, token: string): boolean =>
  stored.state === "Active" && stored.token !== "" && sameSecret(stored.token, token)

/** Issues a token for a person. Event `FeedTokenIssued`. @category transitions */
export const issue = (id: FeedTokenId, personId: PersonId, secret: string, now: Date): Transitioned<FeedToken> => ({
  value: new FeedToken({ id, personId, state: "Active", token: `${id}.${secret}`, issuedAt: now }),
  events: [{ _tag: "FeedTokenIssued", tokenId: id, personId }]
})

/** Revokes a token and forgets its secret, `Active → Revoked`. Event `FeedTokenRevoked`. @category transitions */
export const revoke = (token: FeedToken, now: Date): Either.Either<Transitioned<FeedToken>, InvalidTransition> =>
  token.state !== "Active"
    ? Either.left(new InvalidTransition({ entity: "FeedToken", id: token.id, from: token.state, to: "Revoked", reason: "the token is revoked already" }))
    : Either.right({
      value: new FeedToken({ ...token, state: "Revoked", token: "", revokedAt: now }),
      events: [{ _tag: "FeedTokenRevoked", tokenId: token.id, personId: token.personId }]
    })

/** What an erasure leaves of a token of an erased person: revoked, its secret gone. @category rules */
export const erase = (token: FeedToken, personIds: ReadonlySet<string>): FeedToken =>
  personIds.has(token.personId) && (token.state === "Active" || token.token !== "")
    ? new FeedToken({ ...token, state: "Revoked", token: "", revokedAt: token.revokedAt ?? token.issuedAt })
    : token
