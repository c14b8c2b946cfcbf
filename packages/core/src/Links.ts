/**
 * The links that messages carry when the host application serves them: an invitation's answer
 * links (accept, maybe, decline: signed, one per invitation and answer, expiring at the session's
 * start) and the `webcal:` link of a person's private feed. A port with a default: without an
 * implementation, messages carry no such links. `@copkit/http`'s `Links.layer({ key, baseUrl })`
 * signs them for the routes it serves.
 *
 * @since 0.4.0
 */
import { Context } from "effect"

/** The three answer links of one invitation. @category models */
export interface AnswerLinks {
  readonly accept: string
  readonly tentative: string
  readonly decline: string
}

/** What an invitation's answer links are made from. @category models */
export interface AnswerLinkRequest {
  readonly sessionId: string
  readonly personId: string
  /** When the links stop working: the session's start. */
  readonly expiresAt: Date
}

/** Makes the links messages carry. @category models */
export interface LinksService {
  /** The answer links of an invitation, or `undefined` when answers by link are off. */
  readonly answer: (request: AnswerLinkRequest) => AnswerLinks | undefined
  /** The `webcal:` link of a person's feed for a feed token (`FeedToken.token`), or `undefined` when feeds are not served. */
  readonly personFeed: (token: string) => string | undefined
  /** The `webcal:` link of a programme's feed for a feed token, or `undefined` when feeds are not served. */
  readonly programmeFeed: (token: string, programmeId: string) => string | undefined
}

/** No links: the default. @category constants */
export const none: LinksService = {
  answer: () => undefined,
  personFeed: () => undefined,
  programmeFeed: () => undefined
}

/** The links port; messages carry no links unless an implementation is provided. @category ports */
export class Links extends Context.Reference<Links>()("@copkit/core/Links", { defaultValue: (): LinksService => none }) {}
