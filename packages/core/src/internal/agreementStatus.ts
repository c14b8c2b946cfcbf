/**
 * The agreement status literal, in a module of its own so that `Events.ts` can use it without
 * importing `Agreement.ts` (whose rules build events): no import cycle. Public as
 * `Agreement.AgreementStatus`.
 *
 * @internal
 */
import { Schema } from "effect"

/** `Open → InProgress → Done`, or `Dropped` with a reason. */
export const AgreementStatus = Schema.Literal("Open", "InProgress", "Done", "Dropped")
