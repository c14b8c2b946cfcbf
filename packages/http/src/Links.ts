/**
 * The links that invitation e-mails carry, signed for the routes this package serves:
 *
 * - **answers by link**: `<baseUrl>/links/answer/<token>`, one per invitation and answer (accept,
 *   maybe, decline), the token `base64url(payload).base64url(HMAC-SHA256)` naming the session, the
 *   person and the answer, and expiring at the session's start. A GET shows a confirmation page with
 *   a form (mail scanners follow links: a GET records nothing); its POST records the answer.
 * - **private feeds**: `webcal://<host>/feeds/<feed token>.ics` (the person's own sessions) and
 *   `webcal://<host>/feeds/<feed token>/programmes/<programmeId>.ics` (a programme's, for its core
 *   team). The feed token is the person's revocable token of core's `Feeds` service.
 *
 * {@link layer} gives both this signer (for the routes: `Api.layer({ links })` does that itself)
 * and core's `Links` port, so that the dispatcher's messages carry the links. The key is
 * `Redacted`; give it at least 32 random bytes, and the same key to the server and the dispatcher.
 *
 * ```ts
 * const links = Links.layer({ key: Redacted.make(process.env.COPKIT_LINK_KEY!), baseUrl: "https://copkit.example.nl" })
 * ```
 *
 * @since 0.4.0
 */
import { createHmac, timingSafeEqual } from "node:crypto"
import { Config, Context, Effect, Either, Layer, Redacted, Schema } from "effect"
import type { ConfigError } from "effect"
import { Links as CoreLinks } from "@copkit/core"

/** The signing key and where the routes are served. @category models */
export interface Options {
  /** The HMAC-SHA256 key: a string (UTF-8) or bytes; at least 32 bytes. */
  readonly key: Redacted.Redacted<string> | Redacted.Redacted<Uint8Array>
  /** The public address of the server, as `https://copkit.example.nl` (a path prefix is kept). */
  readonly baseUrl: string
}

/** An answer a link records. @category models */
export const LinkAnswer = Schema.Literal("Accepted", "Tentative", "Declined")
/** @category models */
export type LinkAnswer = typeof LinkAnswer.Type

/** What an answer link names. @category models */
export interface AnswerClaim {
  readonly sessionId: string
  readonly personId: string
  readonly answer: LinkAnswer
  /** When the link stops working (the session's start). */
  readonly expiresAt: Date
}

/** Why a link was refused. @category errors */
export class LinkRefused extends Schema.TaggedError<LinkRefused>()("LinkRefused", {
  reason: Schema.Literal("malformed", "signature", "expired"),
  message: Schema.String
}) {}

/** Signs and checks answer links, and writes the feed links. @category models */
export interface LinkService {
  /** The public address, without a trailing slash. */
  readonly baseUrl: string
  /** The token of one answer link. */
  readonly sign: (claim: AnswerClaim) => string
  /** What a token names, if its signature is right and it has not expired at `now` (ms since the epoch). */
  readonly verify: (token: string, now: number) => Either.Either<AnswerClaim, LinkRefused>
  /** The URL of one answer link. */
  readonly answerUrl: (claim: AnswerClaim) => string
  /** Core's links port, for the dispatcher's messages. */
  readonly links: CoreLinks.LinksService
}

/** The link signer. @category services */
export class Links extends Context.Tag("@copkit/http/Links")<Links, LinkService>() {}

const Payload = Schema.parseJson(Schema.Struct({ s: Schema.String, p: Schema.String, a: LinkAnswer, exp: Schema.Int }))
const encodePayload = Schema.encodeSync(Payload)
const decodePayload = Schema.decodeUnknownEither(Payload)

/** The MAC's domain: an answer link's signature is never a bearer token's (even under one key). */
const domain = "copkit/answer-link/v1\n"

const refuse = (reason: LinkRefused["reason"], message: string) => Either.left(new LinkRefused({ reason, message }))

/** The `webcal:` form of an http(s) base URL. */
const webcal = (baseUrl: string): string => baseUrl.replace(/^https?:/i, "webcal:")

/**
 * A link service for a key and a base URL. Throws when the key is shorter than 32 bytes or the base
 * URL is not an http(s) URL.
 *
 * @category constructors
 */
export const make = (options: Options): LinkService => {
  const raw = Redacted.value(options.key as Redacted.Redacted<string | Uint8Array>)
  const key = typeof raw === "string" ? Buffer.from(raw, "utf8") : Buffer.from(raw)
  if (key.length < 32) throw new Error("The link key must be at least 32 bytes long")
  let parsed: URL
  try {
    parsed = new URL(options.baseUrl)
  } catch {
    throw new Error(`The base URL of the links is not a URL: ${options.baseUrl}`)
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new Error("The base URL of the links must be an http(s) URL")
  const baseUrl = `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, "")
  const mac = (data: string): Buffer => createHmac("sha256", key).update(domain).update(data).digest()

  const sign = (claim: AnswerClaim): string => {
    const payload = Buffer.from(
      encodePayload({ s: claim.sessionId, p: claim.personId, a: claim.answer, exp: Math.floor(claim.expiresAt.getTime() / 1000) }),
      "utf8"
    ).toString("base64url")
    return `${payload}.${mac(payload).toString("base64url")}`
  }

  const verify = (token: string, now: number): Either.Either<AnswerClaim, LinkRefused> => {
    const parts = token.split(".")
    if (token.length > 2000 || parts.length !== 2 || !/^[\w-]+$/.test(parts[0]!) || !/^[\w-]+$/.test(parts[1]!)) {
      return refuse("malformed", "The link is not of the form payload.signature")
    }
    const [payload, signature] = parts as [string, string]
    const given = Buffer.from(signature, "base64url")
    const expected = mac(payload)
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return refuse("signature", "The link's signature is not valid")
    }
    const decoded = decodePayload(Buffer.from(payload, "base64url").toString("utf8"))
    if (Either.isLeft(decoded)) return refuse("malformed", "The link does not name an invitation and an answer")
    if (decoded.right.exp * 1000 <= now) return refuse("expired", "The link has expired: the session has started")
    const { a, exp, p, s } = decoded.right
    return Either.right({ sessionId: s, personId: p, answer: a, expiresAt: new Date(exp * 1000) })
  }

  const answerUrl = (claim: AnswerClaim): string => `${baseUrl}/links/answer/${sign(claim)}`

  const links: CoreLinks.LinksService = {
    answer: (request) => {
      const of = (answer: LinkAnswer) => answerUrl({ ...request, answer })
      return { accept: of("Accepted"), tentative: of("Tentative"), decline: of("Declined") }
    },
    personFeed: (token) => `${webcal(baseUrl)}/feeds/${encodeURIComponent(token)}.ics`,
    programmeFeed: (token, programmeId) =>
      `${webcal(baseUrl)}/feeds/${encodeURIComponent(token)}/programmes/${encodeURIComponent(programmeId)}.ics`
  }

  return { baseUrl, sign, verify, answerUrl, links }
}

/**
 * The link signer and core's `Links` port for a key and a base URL: give it to the dispatcher so
 * that invitations carry answer links and feed links.
 *
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<Links | CoreLinks.Links> =>
  Layer.effectContext(Effect.sync(() => {
    const service = make(options)
    return Context.make(Links, service).pipe(Context.add(CoreLinks.Links, service.links))
  }))

/** {@link layer} with its options read from configuration (e.g. `Config.redacted("COPKIT_LINK_KEY")`, `Config.string("COPKIT_PUBLIC_URL")`). @category layers */
export const layerConfig = (config: Config.Config.Wrap<Options>): Layer.Layer<Links | CoreLinks.Links, ConfigError.ConfigError> =>
  Layer.unwrapEffect(Effect.map(Config.unwrap(config), layer))
