/**
 * Address checks: a mailbox is a display name and an address kept apart, both checked before
 * anything is sent. An address is the plain `local@domain` form; a name is one line. Neither can
 * carry a line break, a second address or a header.
 *
 * @since 0.1.0
 */
import type { Effect, Either } from "effect"
import { Mailer, Validation } from "@copkit/core"
import type { ValidationError } from "@copkit/core"

/** A mailbox as callers give it. @category models */
export interface AddressInput {
  readonly name?: string | undefined
  readonly address: string
}

const decode = Validation.decode(Mailer.Address)
const decodeEither = Validation.decodeEither(Mailer.Address)

const plain = (input: AddressInput): unknown =>
  input.name === undefined ? { address: input.address } : { name: input.name, address: input.address }

/** Checks a mailbox; a `ValidationError` names the field (`name` or `address`) and the rule. @category constructors */
export const validate = (input: AddressInput): Effect.Effect<Mailer.Address, ValidationError> => decode(plain(input))

/** Checks a mailbox synchronously. @category constructors */
export const validateEither = (input: AddressInput): Either.Either<Mailer.Address, ValidationError> =>
  decodeEither(plain(input))
