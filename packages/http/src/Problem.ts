/**
 * Errors as `application/problem+json` (RFC 9457): every body has `type`, `title`, `status` and
 * `detail`, followed by the fields of the error (`field` and `rule` of a `ValidationError`, `rule`
 * of a `RuleViolation`, ...). The schemas here are the API's error schemas: the handlers fail with
 * the core's own errors, and these schemas encode them with their status.
 *
 * | error | status |
 * |---|---|
 * | `ValidationError` (also a body that is not JSON) | 400 |
 * | `Unauthorized` (no token, a bad signature, an expired token) | 401 |
 * | `Forbidden` | 403 |
 * | `NotFound` | 404 |
 * | `ConcurrencyConflict`, `InvalidTransition` | 409 |
 * | `PayloadTooLarge` | 413 |
 * | `RuleViolation` | 422 |
 * | `StorageError` | 503 |
 *
 * @since 0.1.0
 */
import { HttpApiSchema } from "@effect/platform"
import { Schema } from "effect"
import {
  ConcurrencyConflict,
  FieldIssue,
  Forbidden,
  InvalidTransition,
  NotFound,
  RuleViolation,
  StorageError,
  ValidationError
} from "@copkit/core"

/** The media type of every error body. @category constants */
export const contentType = "application/problem+json"

/** Where the problem types are described: the HTTP guide, one section per type. @category constants */
export const typeBase = "https://github.com/copkit/copkit/blob/main/docs/guides/http.md#"

/** The caller gave no valid credentials: no token, a malformed one, a bad signature, or an expired one. @category errors */
export class Unauthorized extends Schema.TaggedError<Unauthorized>()("Unauthorized", {
  /** Why the credentials were refused. */
  reason: Schema.Literal("missing", "malformed", "signature", "expired"),
  message: Schema.String
}) {}

/** The request body is larger than the server accepts. @category errors */
export class PayloadTooLarge extends Schema.TaggedError<PayloadTooLarge>()("PayloadTooLarge", {
  /** The largest body accepted, in bytes. */
  limit: Schema.Int
}) {
  /** @internal */
  override get message() {
    return `The request body is larger than ${this.limit} bytes`
  }
}

/** The statuses of the errors, by tag. @category constants */
export const statuses = {
  ValidationError: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  ConcurrencyConflict: 409,
  InvalidTransition: 409,
  PayloadTooLarge: 413,
  RuleViolation: 422,
  StorageError: 503
} as const

/** The tag of an error the API answers with a problem. @category models */
export type ProblemTag = keyof typeof statuses

const titles: Record<ProblemTag, string> = {
  ValidationError: "The input is not valid",
  Unauthorized: "Not authenticated",
  Forbidden: "Not allowed",
  NotFound: "Not found",
  ConcurrencyConflict: "Changed in the meantime",
  InvalidTransition: "Not possible in this state",
  PayloadTooLarge: "Request body too large",
  RuleViolation: "A rule refused the change",
  StorageError: "Storage unavailable"
}

/** The `type` URI of a problem, as `…/http.md#validationerror`. @category accessors */
export const typeOf = (tag: ProblemTag): string => `${typeBase}${tag.toLowerCase()}`

type ErrorSchema = Schema.Schema<any, any, never> & { readonly fields: Schema.Struct.Fields }

/**
 * The problem schema of one error class: its type is the error (so a handler fails with the core's
 * error as it is), its encoded form the problem body.
 */
const problem = <S extends ErrorSchema>(error: S, tag: ProblemTag, detail: (e: Schema.Schema.Type<S>) => string) => {
  const { _tag: _, ...fields } = error.fields
  const status = statuses[tag]
  const body = Schema.Struct({
    type: Schema.String,
    title: Schema.String,
    status: Schema.Literal(status),
    detail: Schema.String,
    ...fields
  }).annotations({ identifier: `${tag}Problem`, title: `${tag} (${status})`, description: titles[tag] })
  return Schema.transform(body, Schema.typeSchema(error), {
    strict: false,
    decode: ({ detail: _d, status: _s, title: _t, type: _ty, ...rest }) => Schema.decodeSync(error)({ _tag: tag, ...rest }),
    encode: (e) => ({
      ...Schema.encodeSync(error)(e) as Record<string, unknown>,
      type: typeOf(tag),
      title: titles[tag],
      status,
      detail: detail(e)
    })
  }).pipe(
    HttpApiSchema.withEncoding({ kind: "Json", contentType }),
    (s) => s.annotations({ ...HttpApiSchema.annotations({ status }), identifier: `${tag}Problem` })
  )
}

const messageOf = (e: { readonly message: string }) => e.message

/** `ValidationError` as 400: `field` and `rule` name the first problem, `issues` all. @category schemas */
export const ValidationErrorProblem = problem(ValidationError, "ValidationError", messageOf)
/** `Unauthorized` as 401. @category schemas */
export const UnauthorizedProblem = problem(Unauthorized, "Unauthorized", messageOf)
/** `Forbidden` as 403, naming the actor, the action and the reason. @category schemas */
export const ForbiddenProblem = problem(Forbidden, "Forbidden", messageOf)
/** `NotFound` as 404, naming the entity and its id. @category schemas */
export const NotFoundProblem = problem(NotFound, "NotFound", messageOf)
/** `ConcurrencyConflict` as 409, with the expected and the actual version. @category schemas */
export const ConcurrencyConflictProblem = problem(ConcurrencyConflict, "ConcurrencyConflict", messageOf)
/** `InvalidTransition` as 409, with the states from and to. @category schemas */
export const InvalidTransitionProblem = problem(InvalidTransition, "InvalidTransition", messageOf)
/** `PayloadTooLarge` as 413, with the limit. @category schemas */
export const PayloadTooLargeProblem = problem(PayloadTooLarge, "PayloadTooLarge", messageOf)
/** `RuleViolation` as 422, naming the rule. @category schemas */
export const RuleViolationProblem = problem(RuleViolation, "RuleViolation", messageOf)
/** `StorageError` as 503. @category schemas */
export const StorageErrorProblem = problem(StorageError, "StorageError", messageOf)

/** The problems every service endpoint can answer with (401 comes from the authentication). @category schemas */
export const endpointProblems = [
  ValidationErrorProblem,
  ForbiddenProblem,
  NotFoundProblem,
  ConcurrencyConflictProblem,
  InvalidTransitionProblem,
  PayloadTooLargeProblem,
  RuleViolationProblem,
  StorageErrorProblem
] as const

/** A body that is not JSON, as the `ValidationError` it answers with. @category constructors */
export const notJson = (message: string): ValidationError =>
  new ValidationError({
    field: "",
    rule: "json",
    message: `The request body is not JSON: ${message}`,
    issues: [new FieldIssue({ field: "", rule: "json", message })]
  })
