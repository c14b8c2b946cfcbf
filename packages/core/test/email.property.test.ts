import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import fc from "fast-check"
import { Common } from "@copkit/core"

const decode = Schema.decodeUnknownEither(Common.Email)
const accepted = (s: string) => Either.isRight(decode(s))

describe("Common.Email", () => {
  it("accepts international addresses as SMTPUTF8 and IDNA allow them", () => {
    for (const address of ["info@müller.nl", "jörg@example.nl", "info@xn--mller-kva.nl", "δοκιμή@παράδειγμα.δοκιμή", "用户@例子.广告", "fleur.jansen+copkit@kvk.nl"]) {
      expect(accepted(address), address).toBe(true)
    }
  })

  it("refuses what is not one plain address, naming the rule", () => {
    for (const address of ["", "info", "a@b", "a@@b.nl", "a b@c.nl", "<a@b.nl>", "Fleur <a@b.nl>", "a@-b.nl", "a.@b.nl", "a@b_c.nl", "\"quoted\"@b.nl", "a,b@c.nl"]) {
      expect(accepted(address), address).toBe(false)
    }
    const result = decode("a@b")
    expect(Either.isLeft(result) && String(result.left)).toContain("must be an e-mail address")
  })

  it("accepts generated well-formed addresses, ASCII and Unicode", () => {
    const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/)
    const unicodeLabel = fc.constantFrom("müller", "straße", "köln", "例子", "παράδειγμα", "zürich")
    const local = fc.oneof(fc.stringMatching(/^[a-z0-9!#$%&'*+/=?^_`{|}~-]{1,20}$/), fc.constantFrom("jörg", "ünal", "søren", "用户"))
    fc.assert(
      fc.property(local, fc.array(fc.oneof(label, unicodeLabel), { minLength: 1, maxLength: 3 }), fc.constantFrom("nl", "de", "com", "be"), (l, labels, tld) => {
        expect(accepted(`${l}@${labels.join(".")}.${tld}`)).toBe(true)
      })
    )
  })

  it("never accepts an address carrying a line break or control character (header injection)", () => {
    const control = fc.constantFrom("\r", "\n", "\r\n", "\u0000", "\t", "\u0085", "\u2028", "\u2029", "\u007f")
    fc.assert(
      fc.property(fc.constantFrom("a@b.nl", "jörg@müller.nl"), control, fc.nat(12), fc.constantFrom("", "Bcc: x@evil.nl", "Subject: hi"), (address, c, at, tail) => {
        const i = Math.min(at, address.length)
        expect(accepted(address.slice(0, i) + c + tail + address.slice(i))).toBe(false)
        expect(accepted(address + c + tail)).toBe(false)
      })
    )
  })

  it("never accepts more than 254 characters (nor a local part over 64)", () => {
    // local part of 10, then labels of 50 characters: "aaaaaaaaaa@" + "x…x." * k + "nl"
    const address = (n: number) => {
      let domain = "nl"
      while (11 + domain.length < n) domain = `${"x".repeat(Math.min(50, n - 11 - domain.length - 1) || 1)}.${domain}`
      return `aaaaaaaaaa@${domain}`
    }
    fc.assert(
      fc.property(fc.integer({ min: 200, max: 400 }), (n) => {
        const a = address(n)
        expect(accepted(a)).toBe(a.length <= 254)
      })
    )
    expect(accepted(`${"a".repeat(65)}@example.nl`)).toBe(false)
  })
})
