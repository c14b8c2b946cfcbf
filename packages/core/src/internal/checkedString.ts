/**
 * A string schema whose checks run as one function, and that refuses exactly as a chain of
 * `Schema.filter`s does.
 *
 * Every filter in a chain is a node the parser walks on every decode, and on every encode too (an
 * encode checks the type side first): each node costs a few wrappers (`orElse`, `flatMap`, an
 * `Option`, the check for effects), so a text of four filters costs more than the checks it runs.
 * The command path decodes and encodes dozens of texts and ids per command.
 *
 * Here a valid string costs one call of `accepts`. Anything else is handed to the chain it stands
 * for, which gives the very issue it always gave (the same filter, identifier, message and path), so
 * a {@link ValidationError} names the same field and rule with the same message. `accepts` must
 * accept a string only when the chain does; where it is stricter, the chain decides.
 *
 * The chain is the declaration's surrogate: JSON Schema and equivalences are derived from it as
 * before (arbitraries and pretty printers, which do not look at a surrogate, are given), and a brand put on the result (`.pipe(Schema.brand(…))`)
 * reaches the chain as well. It describes itself as the chain does, so messages that describe a struct
 * (`Expected { readonly name: … }`) read as before.
 *
 * @internal
 */
import type { FastCheck } from "effect"
import { Either, Option, ParseResult, Schema, SchemaAST } from "effect"

/** The chain a declaration stands for, with any annotation put on the declaration since. */
const chainOf = (ast: SchemaAST.AST): SchemaAST.AST => Option.getOrThrow(SchemaAST.getSurrogateAnnotation(ast))

/**
 * A declaration that describes itself as its chain does. A subclass, because annotating a node
 * (`Schema.brand`, `.annotations`) copies it with its prototype: a brand shows in both as before.
 */
class CheckedString extends SchemaAST.Declaration {
  override toString(): string {
    return String(chainOf(this))
  }
}

/** `chain`, checked by `accepts` alone whenever `accepts` says yes. @internal */
export const checkedString = (
  chain: Schema.Schema<string>,
  accepts: (s: string) => boolean
): Schema.SchemaClass<string> => {
  const decode = () => (input: unknown, options: SchemaAST.ParseOptions, ast: SchemaAST.Declaration) =>
    typeof input === "string" && accepts(input) ? Either.right(input) : ParseResult.decodeUnknownEither(Schema.make(chainOf(ast)))(input, options)
  const encode = () => (input: unknown, options: SchemaAST.ParseOptions, ast: SchemaAST.Declaration) =>
    typeof input === "string" && accepts(input) ? Either.right(input) : ParseResult.encodeUnknownEither(Schema.make(chainOf(ast)))(input, options)
  return Schema.make(new CheckedString([], decode, encode, {
    [SchemaAST.SurrogateAnnotationId]: chain.ast,
    // arbitraries and pretty printers are not derived from a surrogate: strings the chain accepts
    // (not Effect's `Arbitrary` itself, which would bring fast-check into every bundle of core), and
    // a string printed as Effect prints one
    [SchemaAST.ArbitraryAnnotationId]: () => (fc: typeof FastCheck) => fc.string().filter(Schema.is(chain)),
    [SchemaAST.PrettyAnnotationId]: () => (s: string) => JSON.stringify(s)
  }))
}

/** Whether a node is a checked string (annotated copies, brands included, keep the class). @internal */
export const isCheckedString = (ast: SchemaAST.AST): boolean => ast instanceof CheckedString
