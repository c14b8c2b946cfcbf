/**
 * `Schema.Class` with a constructor that checks its input with a parser compiled once per class.
 *
 * Effect 3's own constructor runs `ParseResult.validateSync(constructorSchema)` on every `new`. That
 * call works out the schema's type side again each time, and whenever a field holds a
 * transformation (a `Date`, a nested class, an array of classes, an optional with a default) the
 * type side is a new AST object, so the parser cache misses and a new parser is compiled for every
 * instance: about 90 µs for a delivery record, against 6 µs with the parser kept. The checks are
 * the same (the type side of the class's fields, after the defaults are filled in), the error is
 * the same kind (a `ParseError`, thrown), and decoding, encoding and `new X(props, true)` are
 * untouched. The declared type is exactly `Schema.Class`'s, so nothing of this shows in the API.
 */
import { ParseResult, Schema, SchemaAST } from "effect"

type Props = Record<PropertyKey, unknown>

const validationDisabled = (options: unknown): boolean =>
  options === true || (typeof options === "object" && options !== null && (options as { disableValidation?: unknown }).disableValidation === true)

type Defaults = ReadonlyArray<readonly [PropertyKey, () => unknown]>

/** The fields that have a default, with it: read once per class. */
const defaultsOf = (fields: Schema.Struct.Fields): Defaults =>
  Reflect.ownKeys(fields).flatMap((key) => {
    const field = fields[key as string]
    if (!Schema.isPropertySignature(field)) return []
    const ast = field.ast
    const defaultValue = ast._tag === "PropertySignatureDeclaration" ? ast.defaultValue : ast.to.defaultValue
    return defaultValue === undefined ? [] : [[key, defaultValue] as const]
  })

/** Fills in the defaults where the input leaves them undefined (as Effect does). */
const mergeDefaults = (defaults: Defaults, props: Props): Props => {
  for (const [key, value] of defaults) if (props[key] === undefined) props[key] = value()
  return props
}

/**
 * The constructor option for a value built from parts that were decoded already: not checked
 * again (every store encodes, and so checks, a value before it writes it).
 */
export const trusted = { disableValidation: true } as const

/** Like `Schema.Class`, with the constructor's parser compiled once. */
export const Class: typeof Schema.Class = ((identifier: string) => (fieldsOr: never, annotations?: never) => {
  const Base = Schema.Class<never>(identifier)(fieldsOr, annotations) as unknown as new(props: Props, options?: unknown) => object
  const fields = (Base as unknown as { readonly fields: Schema.Struct.Fields }).fields
  let check: ((value: unknown) => Props) | undefined
  let defaults: Defaults | undefined
  return class extends Base {
    constructor(props: Props = {}, options: unknown = false) {
      if (validationDisabled(options)) {
        // What Effect's constructor does without validation (a copy of the props with the defaults
        // filled in, assigned to an instance of the class), without its second copy and its walk
        // over every field: every decode and every transition builds its values this way. The
        // instance is returned rather than built by `super`, which a subclass's own fields accept.
        defaults ??= defaultsOf(fields)
        return Object.assign(Object.create(new.target.prototype), mergeDefaults(defaults, { ...props }))
      } else {
        check ??= ParseResult.validateSync(
          Schema.typeSchema(Schema.Struct(fields)).annotations({ [SchemaAST.TitleAnnotationId]: `${identifier} (Constructor)` })
        ) as (value: unknown) => Props
        defaults ??= defaultsOf(fields)
        super(check(mergeDefaults(defaults, { ...props })), true)
      }
    }
  }
}) as unknown as typeof Schema.Class
