/**
 * The transaction boundary: everything a command writes commits together or not at all.
 *
 * @since 0.1.0
 */
import { Context, Effect } from "effect"
import type { StorageError } from "./Errors.js"

/** The transaction boundary port. Nested calls join the outer transaction. @category ports */
export class Transaction extends Context.Tag("@copkit/core/Transaction")<Transaction, {
  readonly run: <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E | StorageError, R>
}>() {}

/** Runs an effect in one transaction. @category combinators */
export const run = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E | StorageError, R | Transaction> =>
  Effect.flatMap(Transaction, (tx) => tx.run(self))
