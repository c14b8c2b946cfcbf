/**
 * Where an entity's encoded JSON holds free text, read from its schema: what `PersonalData.redact`
 * scrubs mentions from, and what it leaves as it is.
 *
 * A string is free text unless its schema says it is a fixed value: a literal or a union of them
 * (states, kinds, languages), a branded string (ids, e-mail addresses, calendar dates), a string
 * that decodes to something other than text (an instant, a number), or a schema annotated with
 * {@link fixedValue} (a time zone, which is a `Line` by its checks). A fixed value that happens to
 * read as a person's name ("Held", "Amsterdam") is not a mention of them, and replacing it would
 * break the entity (a state no longer decodes) or change its meaning (a session's time zone).
 * Where the schema says nothing (an unknown field, `Schema.Unknown`), a string is taken for text,
 * as it was before schemas guided the redaction.
 *
 * @internal
 */
import type { Schema } from "effect"
import { Option, SchemaAST } from "effect"
import { isCheckedString } from "./checkedString.js"
import { perAst } from "./perAst.js"

/** The annotation that marks a string schema as a fixed value, never scrubbed. @internal */
export const FixedValueAnnotationId: unique symbol = Symbol.for("@copkit/core/PersonalData/FixedValue")

/** The annotations of a string schema that holds a fixed value, not free text (`Line.annotations(fixedValue)`). @internal */
export const fixedValue = { [FixedValueAnnotationId]: true } as const

/** What a schema says about the strings at one place of a document, before unions are resolved. */
type Node =
  | { readonly _tag: "Text" }
  | { readonly _tag: "Fixed" }
  /** No string can be here (a number, a boolean, `undefined`). */
  | { readonly _tag: "None" }
  /** The schema does not say (`Unknown`, `Any`, a declaration): strings are taken for text. */
  | { readonly _tag: "Unknown" }
  | { readonly _tag: "Object"; readonly fields: ReadonlyMap<string, Node>; readonly rest: ReadonlyArray<Node> }
  | { readonly _tag: "Array"; readonly elements: ReadonlyArray<Node>; readonly rest: ReadonlyArray<Node> }
  | { readonly _tag: "Union"; readonly members: ReadonlyArray<Node> }
  | { readonly _tag: "Lazy"; readonly get: () => Node }

const text: Node = { _tag: "Text" }
const fixed: Node = { _tag: "Fixed" }
const none: Node = { _tag: "None" }
const unknown: Node = { _tag: "Unknown" }

const isFixed = (ast: SchemaAST.AST): boolean =>
  ast.annotations[FixedValueAnnotationId] === true || Option.isSome(SchemaAST.getBrandAnnotation(ast))

/**
 * Whether a decoded value of this schema may hold text: a string, or a structure (a JSON text
 * decoded into an object may hold names). A date, a number or a literal holds none.
 */
const decodesToText = (ast: SchemaAST.AST, seen = new Set<SchemaAST.AST>()): boolean => {
  if (seen.has(ast)) return true
  seen.add(ast)
  switch (ast._tag) {
    case "StringKeyword":
    case "TypeLiteral":
    case "TupleType":
    case "UnknownKeyword":
    case "AnyKeyword":
    case "ObjectKeyword":
      return true
    case "Refinement":
      return !isFixed(ast) && decodesToText(ast.from, seen)
    case "Transformation":
      return decodesToText(ast.to, seen)
    case "Suspend":
      return decodesToText(ast.f(), seen)
    case "Union":
      return ast.types.some((t) => decodesToText(t, seen))
    case "Declaration":
      // a checked string (Common's texts, ids, addresses) stands for its chain of filters; else a
      // class or an option of something with text (a date has no type parameters)
      return !isFixed(ast) && (isCheckedString(ast) || ast.typeParameters.some((t) => decodesToText(t, seen)))
    default:
      return false
  }
}

/** The node of the encoded side of a schema, compiled once per AST. */
const nodeOf: (ast: SchemaAST.AST) => Node = perAst((ast) => compile(ast))

const compile = (ast: SchemaAST.AST): Node => {
  if (ast.annotations[FixedValueAnnotationId] === true) return fixed
  switch (ast._tag) {
    case "StringKeyword":
      return text
    case "Literal":
    case "Enums":
    case "TemplateLiteral":
    case "UniqueSymbol":
      return fixed
    case "NumberKeyword":
    case "BooleanKeyword":
    case "BigIntKeyword":
    case "SymbolKeyword":
    case "UndefinedKeyword":
    case "VoidKeyword":
    case "NeverKeyword":
      return none
    case "Declaration":
      // a branded checked string (an id, an address, a date) is a fixed value
      return isFixed(ast) ? fixed : unknown
    case "UnknownKeyword":
    case "AnyKeyword":
    case "ObjectKeyword":
      return unknown
    case "Refinement":
      return isFixed(ast) ? fixed : nodeOf(ast.from)
    case "Transformation": {
      // documents are encoded: the `from` side is what they hold
      const from = nodeOf(ast.from)
      return from === text && !decodesToText(ast.to) ? fixed : from
    }
    case "TypeLiteral":
      return {
        _tag: "Object",
        fields: new Map(
          ast.propertySignatures.flatMap((ps) => typeof ps.name === "string" ? [[ps.name, nodeOf(ps.type)] as const] : [])
        ),
        rest: ast.indexSignatures.map((is) => nodeOf(is.type))
      }
    case "TupleType":
      return { _tag: "Array", elements: ast.elements.map((e) => nodeOf(e.type)), rest: ast.rest.map((r) => nodeOf(r.type)) }
    case "Union":
      return { _tag: "Union", members: ast.types.map(nodeOf) }
    case "Suspend": {
      const f = ast.f
      return { _tag: "Lazy", get: () => nodeOf(f()) }
    }
  }
}

/**
 * What the schema says of one place in a document, every union resolved: whether a string there
 * is free text, and the places inside it. Computed when first asked and kept.
 *
 * @internal
 */
export interface TextView {
  /** A string here is free text (or the schema does not say). */
  readonly text: boolean
  readonly field: (key: string) => TextView
  readonly element: (index: number) => TextView
}

/** The view where no schema is known: every string is text. @internal */
export const unknownView: TextView = { text: true, field: () => unknownView, element: () => unknownView }

/** The members a place may be, unions and suspensions opened; `undefined` when one of them is unknown. */
const flatten = (from: ReadonlyArray<Node>): ReadonlyArray<Node> | undefined => {
  const out = new Set<Node>()
  const seen = new Set<Node>()
  const add = (node: Node): boolean => {
    if (seen.has(node)) return true
    seen.add(node)
    switch (node._tag) {
      case "Unknown":
        return false
      case "Union":
        return node.members.every(add)
      case "Lazy":
        return add(node.get())
      default:
        out.add(node)
        return true
    }
  }
  return from.every(add) ? [...out] : undefined
}

const viewOf = (from: ReadonlyArray<Node>): TextView => {
  const members = flatten(from)
  if (members === undefined) return unknownView
  const objects = members.filter((n) => n._tag === "Object")
  const arrays = members.filter((n) => n._tag === "Array")
  const strings = members.filter((n) => n._tag === "Text" || n._tag === "Fixed")
  const fields = new Map<string, TextView>()
  const elements = new Map<number, TextView>()
  const longest = Math.max(0, ...arrays.map((a) => a.elements.length))
  // a key no member names has the same view whatever it is (a record's keys): kept once, not per key
  let rest: TextView | undefined
  const restView = (): TextView => {
    if (rest === undefined) {
      const inner = objects.flatMap((o) => o.rest)
      rest = inner.length === 0 ? unknownView : viewOf(inner)
    }
    return rest
  }
  return {
    // text if any member says text; a string where the schema expects none is taken for text
    text: strings.length === 0 || strings.includes(text),
    field: (key) => {
      let view = fields.get(key)
      if (view === undefined) {
        if (!objects.some((o) => o.fields.has(key))) return restView()
        view = viewOf(objects.flatMap((o) => {
          const field = o.fields.get(key)
          return field !== undefined ? [field] : o.rest
        }))
        fields.set(key, view)
      }
      return view
    },
    element: (index) => {
      const at = index < longest ? index : longest
      let view = elements.get(at)
      if (view === undefined) {
        const inner = arrays.flatMap((a) => {
          const element = a.elements[at]
          return element !== undefined ? [element] : a.rest
        })
        view = inner.length === 0 ? unknownView : viewOf(inner)
        elements.set(at, view)
      }
      return view
    }
  }
}

const views = new WeakMap<SchemaAST.AST, TextView>()

/** The view of a schema's encoded documents, built once per schema. @internal */
export const textView = (schema: Schema.Schema.All): TextView => {
  let view = views.get(schema.ast)
  if (view === undefined) {
    view = viewOf([nodeOf(schema.ast)])
    views.set(schema.ast, view)
  }
  return view
}
