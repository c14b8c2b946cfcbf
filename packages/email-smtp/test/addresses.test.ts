import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import * as fc from "fast-check"
import { Addresses } from "@copkit/email-smtp"

const validAddress = fc.emailAddress().filter((s) => s.length <= 254)
const validName = fc.string({ unit: "grapheme", minLength: 1, maxLength: 60 }).filter((s) =>
  s.trim().length > 0 && !/[\u0000-\u001F\u007F\u2028\u2029]/.test(s)
)

/** Inserts `bad` at a position of `s`. */
const insert = (s: string, bad: string, at: number) => {
  const i = at % (s.length + 1)
  return s.slice(0, i) + bad + s.slice(i)
}

describe("Addresses.validate (property)", () => {
  it("accepts every ordinary address with any one-line name, keeping them apart", () => {
    fc.assert(
      fc.property(validAddress, validName, (address, name) => {
        const result = Addresses.validateEither({ name, address })
        expect(Either.isRight(result)).toBe(true)
        if (Either.isRight(result)) expect(result.right).toMatchObject({ name, address })
      }),
      { numRuns: 300 }
    )
  })

  it("refuses a name with CR or LF, naming the field `name`", () => {
    fc.assert(
      fc.property(validAddress, validName, fc.constantFrom("\r", "\n", "\r\n", "\u2028"), fc.nat(), (address, name, bad, at) => {
        const result = Addresses.validateEither({ name: insert(name, `${bad}Bcc: x@evil.example`, at), address })
        expect(Either.isLeft(result)).toBe(true)
        if (Either.isLeft(result)) expect(result.left.field).toBe("name")
      }),
      { numRuns: 200 }
    )
  })

  it("refuses an address carrying a second address, a display name, a header or white space", () => {
    fc.assert(
      fc.property(
        validAddress,
        fc.constantFrom("\r\n", "\n", "\r", ",", ";", "<", ">", " ", "\t", "\"", ":", "(", ")", "\u0000"),
        fc.nat(),
        (address, bad, at) => {
          const result = Addresses.validateEither({ address: insert(address, `${bad}x@evil.example`, at) })
          expect(Either.isLeft(result)).toBe(true)
          if (Either.isLeft(result)) {
            expect(result.left.field).toBe("address")
            expect(result.left.rule).toBe("email")
          }
        }
      ),
      { numRuns: 300 }
    )
  })

  it.effect("the Effect form fails with a ValidationError", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Addresses.validate({ name: "Eve", address: "eve@example.nl, x@evil.example" }))
      expect(error).toMatchObject({ _tag: "ValidationError", field: "address", rule: "email" })
      const ok = yield* Addresses.validate({ address: "eve@example.nl" })
      expect(ok.name).toBeUndefined()
    }))
})
