// copkit's errors as a page shows them: the field errors next to their fields, the rest on top.
import { ConcurrencyConflict, Forbidden, InvalidTransition, NotFound, RuleViolation, ValidationError } from "@copkit/core"

/**
 * What a failed action shows: the field errors next to their fields, the rest on top.
 * @param {unknown} error @param {(nl: string, en: string) => string} say
 * @returns {{ status: number, errors: Record<string, string>, message: string | undefined }}
 */
export const explain = (error, say) => {
  if (error instanceof ValidationError) {
    /** @type {Record<string, string>} */
    const errors = {}
    for (const issue of error.issues.length > 0 ? error.issues : [{ field: error.field, rule: error.rule, message: error.message }]) {
      errors[issue.field] ??= `${issue.message} (${issue.rule})`
    }
    return { status: 422, errors, message: say(`Controleer ${error.field}: ${error.message} (${error.rule})`, `Check ${error.field}: ${error.message} (${error.rule})`) }
  }
  if (error instanceof RuleViolation) {
    return { status: 422, errors: {}, message: `${error.message}${error.details.length ? ` ${error.details.join("; ")}` : ""} (${error.rule})` }
  }
  if (error instanceof InvalidTransition) {
    return { status: 409, errors: {}, message: say(`Kan niet van ${error.from} naar ${error.to}: ${error.reason}`, `Cannot go from ${error.from} to ${error.to}: ${error.reason}`) }
  }
  if (error instanceof ConcurrencyConflict) {
    return { status: 409, errors: {}, message: say("Iemand anders heeft dit net gewijzigd; probeer het opnieuw.", "Someone else changed this just now; please try again.") }
  }
  if (error instanceof Forbidden) return { status: 403, errors: {}, message: say(`Niet toegestaan: ${error.reason}`, `Not allowed: ${error.reason}`) }
  if (error instanceof NotFound) return { status: 404, errors: {}, message: say(`Niet gevonden: ${error.id}`, `Not found: ${error.id}`) }
  throw error
}

