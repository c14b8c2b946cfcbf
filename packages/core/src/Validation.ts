/**
 * Decoding of plain input into domain values: every problem becomes a {@link ValidationError}
 * that names the field and the rule.
 *
 * @since 0.1.0
 */
import { Effect, Either, ParseResult, Schema, SchemaAST } from "effect"
import { FieldIssue, ValidationError } from "./Errors.js"
import { excessFree } from "./internal/excess.js"

const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>((acc, key) => {
    if (typeof key === "number") return `${acc}[${key}]`
    const name = String(key)
    return acc === "" ? name : `${acc}.${name}`
  }, "")

/** A rule name in lower camel case, without Effect's `effect/schema/` prefix: `between`, `email`. */
const ruleName = (name: string): string =>
  name.replace(/^effect\/(schema|SchemaId)\//i, "").replace(/^[A-Z]/, (c) => c.toLowerCase())

const ruleOfRefinement = (ast: SchemaAST.Refinement): string => {
  const schemaId = ast.annotations[SchemaAST.SchemaIdAnnotationId]
  if (typeof schemaId === "symbol") return ruleName(schemaId.description ?? "refinement")
  if (typeof schemaId === "string") return ruleName(schemaId)
  const id = ast.annotations[SchemaAST.IdentifierAnnotationId]
  if (typeof id === "string") return ruleName(id)
  const brand = ast.annotations[SchemaAST.BrandAnnotationId]
  if (Array.isArray(brand) && brand.length > 0) return ruleName(String(brand[0]))
  return "refinement"
}

const messageOf = (issue: ParseResult.ParseIssue): string =>
  ParseResult.TreeFormatter.formatIssueSync(issue).split("\n").at(-1)?.replace(/^[\s└─]+/, "") ?? "is not valid"

const collect = (
  issue: ParseResult.ParseIssue,
  path: ReadonlyArray<PropertyKey>,
  out: Array<FieldIssue>
): void => {
  switch (issue._tag) {
    case "Pointer":
      return collect(issue.issue, [...path, ...(Array.isArray(issue.path) ? issue.path : [issue.path])], out)
    case "Composite": {
      const issues = Array.isArray(issue.issues) ? issue.issues : [issue.issues]
      for (const i of issues) collect(i as ParseResult.ParseIssue, path, out)
      return
    }
    case "Refinement":
      if (issue.kind === "From") return collect(issue.issue, path, out)
      out.push(new FieldIssue({ field: formatPath(path), rule: ruleOfRefinement(issue.ast), message: messageOf(issue.issue) }))
      return
    case "Transformation":
      return collect(issue.issue, path, out)
    case "Missing":
      out.push(new FieldIssue({ field: formatPath(path), rule: "required", message: "is required" }))
      return
    case "Unexpected":
      out.push(new FieldIssue({ field: formatPath(path), rule: "not-allowed", message: "is not a known field" }))
      return
    case "Forbidden":
      out.push(new FieldIssue({ field: formatPath(path), rule: "forbidden", message: messageOf(issue) }))
      return
    case "Type":
      out.push(new FieldIssue({ field: formatPath(path), rule: "type", message: messageOf(issue) }))
      return
  }
}

/** Turns a parse error into a {@link ValidationError}. @category constructors */
export const fromParseError = (error: ParseResult.ParseError): ValidationError => {
  const issues: Array<FieldIssue> = []
  collect(error.issue, [], issues)
  const first = issues[0] ?? new FieldIssue({ field: "", rule: "type", message: error.message })
  const field = first.field === "" ? "input" : first.field
  return new ValidationError({
    field,
    rule: first.rule,
    message: `${field}: ${first.message}`,
    issues: issues.length > 0 ? issues : [first]
  })
}

const options: SchemaAST.ParseOptions = { errors: "all", onExcessProperty: "error" }
/** The same, with Effect's own check of unknown fields left out: for input shown to have none. */
const withoutExcessCheck: SchemaAST.ParseOptions = { errors: "all" }

/**
 * Decodes unknown input with a schema. Unknown fields are refused, every problem is reported.
 *
 * @category decoding
 */
export const decode = <A, I>(schema: Schema.Schema<A, I, never>) => {
  const run = decodeEither(schema)
  return (raw: unknown): Effect.Effect<A, ValidationError> =>
    Effect.suspend(() => Either.match(run(raw), { onLeft: Effect.fail, onRight: Effect.succeed }))
}

/**
 * Decodes synchronously, returning an Either. Input that cannot even be read (a getter that throws,
 * a `Proxy` whose traps throw) is refused with the rule `readable`, never thrown.
 *
 * @category decoding
 */
export const decodeEither = <A, I>(schema: Schema.Schema<A, I, never>) => {
  const run = Schema.decodeUnknownEither(schema, options)
  // Effect's check of unknown fields parses every key of every object against the expected ones and
  // costs as much as the rest of the decode: input that a walk over its keys shows to have none is
  // decoded without it (the same value: with no unknown field the two decodes take the same path);
  // everything else, and every failure, is decoded strictly, so the errors are the strict ones.
  const known = excessFree(schema.ast)
  const quick = Schema.decodeUnknownEither(schema, withoutExcessCheck)
  return (raw: unknown): Either.Either<A, ValidationError> => {
    try {
      if (known(raw)) {
        const decoded = quick(raw)
        if (Either.isRight(decoded)) return decoded as Either.Either<A, never>
      }
      return Either.mapLeft(run(raw), fromParseError)
    } catch (error) {
      return Either.left(invalid("input", "readable", `could not be read (${describeThrown(error)})`))
    }
  }
}

/** A short description of a thrown value, at most 100 characters of its message. */
const describeThrown = (error: unknown): string => {
  try {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : typeof error
    return text.length > 100 ? `${text.slice(0, 100)}…` : text
  } catch {
    return "an unreadable value was thrown"
  }
}

/** A ValidationError for one field and rule, for checks that a schema cannot express. @category constructors */
export const invalid = (field: string, rule: string, message: string): ValidationError =>
  new ValidationError({ field, rule, message: `${field}: ${message}`, issues: [new FieldIssue({ field, rule, message })] })
