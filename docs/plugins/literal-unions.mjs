// @ts-check
// A type alias written as `typeof HelixRole.Type` (a schema's type) shows as that expression in
// typedoc; readers want its values. When the alias resolves to literals, or a union of literals,
// the page shows them: `"Entrepreneur" | "Knowledge" | ...`.
import { Converter, LiteralType, ReflectionKind, UnionType } from "typedoc"

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.TypeAlias)) return
    if (reflection.type?.type !== "query" && reflection.type?.type !== "indexedAccess") return
    const symbol = context.getSymbolFromReflection(reflection)
    if (!symbol) return
    const type = context.checker.getDeclaredTypeOfSymbol(symbol)
    const parts = type.isUnion() ? type.types : [type]
    /** @type {Array<string | number | boolean | null>} */
    const values = []
    for (const part of parts) {
      if (part.isStringLiteral() || part.isNumberLiteral()) values.push(part.value)
      else if (part.flags & 512 /* BooleanLiteral */) values.push(context.checker.typeToString(part) === "true")
      else if (part.flags & 65536 /* Null */) values.push(null)
      else return
    }
    if (values.length === 0) return
    const literals = values.map((v) => new LiteralType(v))
    reflection.type = literals.length === 1 ? literals[0] : new UnionType(literals)
  })
}
