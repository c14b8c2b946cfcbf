/**
 * Properties of the answer links' signer: every signed link reads back what it names until the
 * session starts, and no change of a single character of a link is accepted.
 */
import { describe, expect, it } from "vitest"
import { Either, Redacted } from "effect"
import * as fc from "fast-check"
import { Links } from "@copkit/http"

const links = Links.make({ key: Redacted.make("a key for the properties of the answer links, 32+ bytes"), baseUrl: "https://copkit.example.nl/app/" })
const id = (prefix: string) => fc.stringMatching(new RegExp(`^${prefix}_[A-Za-z0-9_.:-]{1,60}$`))
const claim = fc.record({
  sessionId: id("ses"),
  personId: id("per"),
  answer: fc.constantFrom("Accepted", "Tentative", "Declined" as const),
  expiresAt: fc.integer({ min: 1_800_000_000, max: 2_500_000_000 }).map((s) => new Date(s * 1000))
})

describe("answer links: properties", () => {
  it("a signed link names its claim until the start, and is refused from the start on", () => {
    fc.assert(fc.property(claim, (c) => {
      const token = links.sign(c)
      const read = links.verify(token, c.expiresAt.getTime() - 1000)
      expect(Either.getOrThrow(read)).toEqual(c)
      expect(Either.isLeft(links.verify(token, c.expiresAt.getTime()))).toBe(true)
      expect(links.answerUrl(c)).toBe(`https://copkit.example.nl/app/links/answer/${token}`)
    }))
  })

  it("a link with any one character changed is refused", () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."
    fc.assert(fc.property(claim, fc.nat(), fc.constantFrom(...alphabet), (c, at, replacement) => {
      const token = links.sign(c)
      const i = at % token.length
      fc.pre(token[i] !== replacement)
      const changed = `${token.slice(0, i)}${replacement}${token.slice(i + 1)}`
      const read = links.verify(changed, c.expiresAt.getTime() - 1000)
      // a base64url character past the last full byte may decode to the same bytes: then it names the same claim
      if (Either.isRight(read)) expect(read.right).toEqual(c)
      else expect(["malformed", "signature"]).toContain(read.left.reason)
    }))
  })

  it("verify never throws on any string", () => {
    fc.assert(fc.property(fc.string({ maxLength: 3000 }), (s) => {
      expect(Either.isLeft(links.verify(s, 0)) || Either.isRight(links.verify(s, 0))).toBe(true)
    }))
  })
})
