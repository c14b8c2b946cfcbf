/**
 * A quick proof that an input has no property a schema does not know, so that it can be decoded
 * without Effect's own check of unknown properties (`onExcessProperty: "error"`), which runs a
 * parser of the expected keys over every key of every object and costs about as much as the rest
 * of the decode together.
 *
 * The check is one walk over the input beside the schema's encoded side. It answers `true` only
 * when it can tell that every object of the input has no key beyond its struct's fields, the way
 * Effect counts them (`Object.keys` and the symbols); where it cannot tell which struct an object
 * meets (a union of several structs, a struct with index signatures, a declaration), it answers
 * `false` and the caller decodes strictly. It never looks further into a value than reading its
 * keys and fields; a value that is not what the schema expects passes it (the decode refuses it).
 *
 * @internal
 */
import { Either, ParseResult, Schema } from "effect"
import type { SchemaAST } from "effect"
import { perAst } from "./perAst.js"

/** `true` when the input certainly has no unknown property; `false` when it has one, or may have. @internal */
export type ExcessFree = (value: unknown) => boolean

const isObject = (u: unknown): u is object => typeof u === "object" && u !== null

/** The keys Effect's struct parser looks at. */
const ownKeys = (o: object): ReadonlyArray<PropertyKey> =>
  (Object.keys(o) as Array<PropertyKey>).concat(Object.getOwnPropertySymbols(o))

const always: ExcessFree = () => true
/** A value that is an object may meet the schema in a way the walk does not follow. */
const noObjects: ExcessFree = (u) => !isObject(u)

/** Whether an input that is an object may meet the schema (rather than being refused by it). */
const takesObjects = (ast: SchemaAST.AST): boolean => {
  switch (ast._tag) {
    case "TypeLiteral":
    case "TupleType":
    case "Declaration":
    case "UnknownKeyword":
    case "AnyKeyword":
    case "ObjectKeyword":
    case "Suspend":
      return true
    case "Refinement":
    case "Transformation":
      return takesObjects(ast.from)
    case "Union":
      return ast.types.some(takesObjects)
    default:
      return false
  }
}

const never = () => false

/** Whether a decode of the type refuses `undefined` (as Effect decodes a missing field). */
const refusesUndefined = (ast: SchemaAST.AST): boolean => {
  try {
    return Either.isLeft(ParseResult.decodeUnknownEither(Schema.make(ast))(undefined))
  } catch {
    return false
  }
}

/**
 * For a struct (under refinements and transformations): whether an object lacks one of the
 * fields it requires, so that the decode refuses it in any mode. Otherwise never.
 */
const lacksRequired = (ast: SchemaAST.AST): (u: unknown) => boolean => {
  switch (ast._tag) {
    case "Refinement":
    case "Transformation":
      return lacksRequired(ast.from)
    case "TypeLiteral": {
      // a missing field is decoded as `undefined`: only a field whose type refuses it is required
      const required = ast.propertySignatures.filter((p) => !p.isOptional && refusesUndefined(p.type)).map((p) => p.name)
      if (required.length === 0) return never
      return (u) => isObject(u) && !Array.isArray(u) && required.some((name) => !Object.prototype.hasOwnProperty.call(u, name))
    }
    default:
      return never
  }
}

/** The check of a schema's encoded side (what a decode reads), compiled once per node. @internal */
export const excessFree: (ast: SchemaAST.AST) => ExcessFree = perAst((ast) => compile(ast))

const compile = (ast: SchemaAST.AST): ExcessFree => {
  switch (ast._tag) {
    case "TypeLiteral": {
      if (ast.indexSignatures.length > 0) return noObjects
      const fields = new Map<PropertyKey, ExcessFree>()
      for (const p of ast.propertySignatures) fields.set(p.name, excessFree(p.type))
      return (u) => {
        // not a struct's input at all: the decode refuses it, there is nothing to prove here
        if (!isObject(u) || Array.isArray(u)) return true
        for (const key of ownKeys(u)) {
          const field = fields.get(key)
          if (field === undefined || !field((u as Record<PropertyKey, unknown>)[key])) return false
        }
        return true
      }
    }
    case "TupleType": {
      if (ast.rest.length > 1) return noObjects
      const elements = ast.elements.map((e) => excessFree(e.type))
      const rest = ast.rest.length === 1 ? excessFree(ast.rest[0]!.type) : undefined
      return (u) => {
        if (!Array.isArray(u)) return true
        for (let i = 0; i < u.length; i++) {
          const element = i < elements.length ? elements[i]! : rest
          if (element !== undefined && !element(u[i])) return false
        }
        return true
      }
    }
    case "Refinement":
    case "Transformation":
      return excessFree(ast.from)
    case "Suspend": {
      const f = ast.f
      let inner: ExcessFree | undefined
      return (u) => (inner ??= excessFree(f()))(u)
    }
    case "Union": {
      const objectMembers = ast.types.filter(takesObjects)
      if (objectMembers.length === 0) return always
      if (objectMembers.length === 1) return excessFree(objectMembers[0]!)
      // Several members take objects: the strict and the quick decode agree when no member
      // fails only for an unknown key, that is, when each member either finds no unknown key or
      // refuses the input anyway, for a field it requires and the input lacks.
      const members = objectMembers.map((m) => ({ free: excessFree(m), refuses: lacksRequired(m) }))
      return (u) => !isObject(u) || members.every((m) => m.free(u) || m.refuses(u))
    }
    case "Declaration":
      // a class instance or another declared type: its fields are not walked here
      return noObjects
    default:
      // keywords and literals: an object is refused by the decode; unknown and any take every key
      return always
  }
}
