/**
 * An entity's stored document, encoded with as little work as the value allows.
 *
 * A save must refuse a value that would not encode (a bug that built one without validation), and
 * store the encoded form. Encoding a whole aggregate on every save costs more than the statement
 * that writes it, yet most saves change a few fields of a value the store has just read or written,
 * which is known to encode. So, for a `Schema.Class` kind (a struct of fields, no class-wide
 * filter), given such a known value, only the fields that are not the very same as the known
 * value's are encoded (each with its own field's schema: the same checks, the same error), and the
 * document is the value's JSON: every stored kind's encoded form is the JSON of its type side
 * (dates as ISO strings, classes as their fields): {@link jsonFaithful} checks a kind's schema for
 * it, and a kind that is not takes the whole encode. A value of
 * another class, with a key that is not a field, or with nothing known, is encoded whole, as before.
 *
 * Values are immutable (as every model of core): a field that is the same reference as the known
 * value's holds what was checked then.
 *
 * @internal
 */
import { Either, Option, ParseResult, Schema, SchemaAST } from "effect"

/** Encodes a value to its document; `known` is a value of the kind known to encode, if any. @internal */
export type DocumentEncoder<A> = (value: A, known: A | undefined) => Either.Either<string, ParseResult.ParseError>

const hasOwn = (value: object, key: string): boolean => Object.prototype.hasOwnProperty.call(value, key)

const dateTransformations: ReadonlySet<SchemaAST.AST> = new Set([Schema.Date.ast, Schema.DateFromString.ast])

/** A class's side: a declaration with a surrogate (what `Schema.Class` builds), whose JSON is its fields. */
const isClass = (ast: SchemaAST.AST): boolean =>
  ast._tag === "Declaration" && ast.typeParameters.length === 1 && Option.isSome(SchemaAST.getSurrogateAnnotation(ast))

/**
 * Whether every value of the schema's type side has the encoded value's JSON as its own JSON: each
 * transformation in it is a class (fields to instance), a date (ISO string to Date), or optional
 * fields with defaults (no key renamed, no type changed). Anything else (an Option, a number from a
 * string, a renamed key) is not. @internal
 */
export const jsonFaithful = (root: SchemaAST.AST): boolean => {
  const visited = new Set<SchemaAST.AST>()
  const go = (ast: SchemaAST.AST): boolean => {
    if (visited.has(ast)) return true
    visited.add(ast)
    switch (ast._tag) {
      case "Transformation": {
        const t = ast.transformation
        const allowed = dateTransformations.has(ast) ||
          (t._tag === "FinalTransformation" && isClass(ast.to)) ||
          (t._tag === "TypeLiteralTransformation" && ast.from._tag === "TypeLiteral" && ast.to._tag === "TypeLiteral" &&
            t.propertySignatureTransformations.every((p) => {
              const from = (ast.from as SchemaAST.TypeLiteral).propertySignatures.find((s) => s.name === p.from)
              const to = (ast.to as SchemaAST.TypeLiteral).propertySignatures.find((s) => s.name === p.to)
              return p.from === p.to && from !== undefined && to !== undefined &&
                (from.type === to.type || (from.type._tag === "Union" && from.type.types.includes(to.type)) ||
                  // a default on a field of classes: its type side, the same type (an Option is not)
                  [String(to.type), `${String(to.type)} | undefined`].includes(String(SchemaAST.typeAST(from.type))))
            }))
        return allowed && go(ast.from) && go(ast.to)
      }
      case "TypeLiteral":
        return ast.propertySignatures.every((p) => go(p.type)) && ast.indexSignatures.every((i) => go(i.type))
      case "Union":
        return ast.types.every(go)
      case "TupleType":
        return ast.elements.every((e) => go(e.type)) && ast.rest.every((e) => go(e.type))
      case "Refinement":
        return go(ast.from)
      case "Suspend":
        return go(ast.f())
      case "Declaration":
        return ast.typeParameters.every(go)
      default:
        return true
    }
  }
  return go(root)
}

/** Builds the encoder of a kind's documents from its schema. @internal */
export const make = <A, I>(schema: Schema.Schema<A, I>): DocumentEncoder<A> => {
  const whole = Schema.encodeEither(schema)
  const encodeWhole = (value: A) => Either.map(whole(value), (encoded) => JSON.stringify(encoded))
  const fields = typeof schema === "function" ? (schema as unknown as { readonly fields?: Schema.Struct.Fields }).fields : undefined
  const ast = schema.ast
  if (
    fields === undefined || ast._tag !== "Transformation" ||
    ast.from._tag !== "TypeLiteral" || ast.to._tag !== "Declaration" || !jsonFaithful(ast)
  ) {
    return encodeWhole
  }
  const keys = new Set(Object.keys(fields))
  if (keys.size !== Reflect.ownKeys(fields).length) return encodeWhole
  const checks = [...keys].map((key) => {
    const encode = ParseResult.encodeEither(Schema.Struct({ [key]: fields[key]! }) as unknown as Schema.Schema<unknown, unknown>)
    return [key, (value: object) => encode(hasOwn(value, key) ? { [key]: (value as Record<string, unknown>)[key] } : {})] as const
  })
  const constructor = schema as unknown as abstract new(...args: ReadonlyArray<never>) => object
  return (value, known) => {
    if (known === undefined || !(value instanceof constructor) || !(known instanceof constructor)) return encodeWhole(value)
    for (const key of Object.keys(value)) if (!keys.has(key)) return encodeWhole(value)
    const v = value as unknown as Record<string, unknown>
    const k = known as unknown as Record<string, unknown>
    for (const [key, check] of checks) {
      if (v[key] === k[key] && hasOwn(value, key) === hasOwn(known, key)) continue
      const checked = check(value)
      if (Either.isLeft(checked)) return Either.left(new ParseResult.ParseError({ issue: checked.left }))
    }
    return Either.right(JSON.stringify(value))
  }
}
