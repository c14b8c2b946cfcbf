/**
 * Signed bearer tokens that name an actor: `base64url(payload).base64url(HMAC-SHA256(payload))`,
 * the payload being JSON `{ "actor": { ... }, "exp": <seconds since the epoch> }`. An application
 * signs a token for a person after its own login (`Tokens.sign(actor, expiresAt)`), and the HTTP API
 * checks it on every request (`Authenticator.layerTokens`). The key is `Redacted`; give it at least
 * 32 random bytes.
 *
 * ```ts
 * const tokens = Tokens.make({ key: Redacted.make(process.env.COPKIT_TOKEN_KEY!) })
 * const token = tokens.sign(actor, new Date(Date.now() + 60 * 60 * 1000))
 * // Authorization: Bearer <token>
 * ```
 *
 * @since 0.1.0
 */
import { createHmac, timingSafeEqual } from "node:crypto"
import { Clock, Config, Context, Effect, Either, Layer, Redacted, Schema } from "effect"
import type { ConfigError } from "effect"
import type { Actor } from "@copkit/core"
import type { ActorInput } from "./internal/core.js"
import { ActorSchema } from "./internal/core.js"
import { Unauthorized } from "./Problem.js"

/** The signing key. @category models */
export interface Options {
  /** The HMAC-SHA256 key: a string (UTF-8) or bytes; at least 32 bytes. */
  readonly key: Redacted.Redacted<string> | Redacted.Redacted<Uint8Array>
}

/** Signs and checks tokens with one key. @category models */
export interface TokenService {
  /** A token naming the actor, valid until `expiresAt`. */
  readonly sign: (actor: Actor.Actor | ActorInput, expiresAt: Date) => string
  /** The actor a token names, if the signature is right and it has not expired at `now` (ms since the epoch). */
  readonly verify: (token: string, now: number) => Either.Either<Actor.Actor, Unauthorized>
}

/** The token service. @category services */
export class Tokens extends Context.Tag("@copkit/http/Tokens")<Tokens, TokenService>() {}

const Payload = Schema.parseJson(Schema.Struct({ actor: ActorSchema, exp: Schema.Int }))
const encodePayload = Schema.encodeSync(Payload)
const decodePayload = Schema.decodeUnknownEither(Payload)
const decodeActor = Schema.decodeUnknownSync(ActorSchema)

const refuse = (reason: Unauthorized["reason"], message: string) => Either.left(new Unauthorized({ reason, message }))

/**
 * A token service for a key. Throws when the key is shorter than 32 bytes.
 *
 * @category constructors
 */
export const make = (options: Options): TokenService => {
  const raw = Redacted.value(options.key as Redacted.Redacted<string | Uint8Array>)
  const key = typeof raw === "string" ? Buffer.from(raw, "utf8") : Buffer.from(raw)
  if (key.length < 32) throw new Error("The token key must be at least 32 bytes long")
  const mac = (data: string): Buffer => createHmac("sha256", key).update(data).digest()

  const sign = (actor: Actor.Actor | ActorInput, expiresAt: Date): string => {
    const payload = Buffer.from(
      encodePayload({ actor: decodeActor(actor), exp: Math.floor(expiresAt.getTime() / 1000) }),
      "utf8"
    ).toString("base64url")
    return `${payload}.${mac(payload).toString("base64url")}`
  }

  const verify = (token: string, now: number): Either.Either<Actor.Actor, Unauthorized> => {
    const parts = token.split(".")
    if (parts.length !== 2 || !/^[\w-]+$/.test(parts[0]!) || !/^[\w-]+$/.test(parts[1]!)) {
      return refuse("malformed", "The token is not of the form payload.signature")
    }
    const [payload, signature] = parts as [string, string]
    const given = Buffer.from(signature, "base64url")
    const expected = mac(payload)
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return refuse("signature", "The token's signature is not valid")
    }
    const decoded = decodePayload(Buffer.from(payload, "base64url").toString("utf8"))
    if (Either.isLeft(decoded)) return refuse("malformed", "The token does not name an actor and an expiry")
    if (decoded.right.exp * 1000 <= now) return refuse("expired", "The token has expired")
    return Either.right(decoded.right.actor)
  }

  return { sign, verify }
}

/** The token service for a key. @category layers */
export const layer = (options: Options): Layer.Layer<Tokens> => Layer.sync(Tokens, () => make(options))

/** {@link layer} with the key read from configuration (e.g. `Config.redacted("COPKIT_TOKEN_KEY")`). @category layers */
export const layerConfig = (config: Config.Config.Wrap<Options>): Layer.Layer<Tokens, ConfigError.ConfigError> =>
  Layer.unwrapEffect(Effect.map(Config.unwrap(config), layer))

/** Signs a token naming the actor, valid until `expiresAt`. @category accessors */
export const sign = (actor: Actor.Actor | ActorInput, expiresAt: Date): Effect.Effect<string, never, Tokens> =>
  Effect.map(Tokens, (tokens) => tokens.sign(actor, expiresAt))

/** The actor a token names, checked against the Clock's time. @category accessors */
export const verify = (token: string): Effect.Effect<Actor.Actor, Unauthorized, Tokens> =>
  Effect.flatMap(Effect.zip(Tokens, Clock.currentTimeMillis), ([tokens, now]) => tokens.verify(token, now))
