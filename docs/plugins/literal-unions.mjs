// @ts-check
// A type alias written as `typeof HelixRole.Type` (a schema's type) shows as that expression in
// typedoc; readers want its values. When the alias resolves to literals, or a union of literals,
// the page shows them: `"Entrepreneur" | "Government" | ...`.
import { Converter, LiteralType, ReflectionKind, UnionType } from "typedoc"

/** @param {import("typedoc").Application} app */
export function load(app) {
  /** @type {Map<import("typedoc").DeclarationReflection, Array<string | number | boolean>>} */
  const found = new Map()
  // While converting, the checker is there: read the alias's declared type.
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.TypeAlias)) return
    const symbol = context.getSymbolFromReflection(reflection)
    if (!symbol) return
    const type = context.checker.getDeclaredTypeOfSymbol(symbol)
    const parts = type.isUnion() ? type.types : [type]
    /** @type {Array<string | number | boolean>} */
    const values = []
    for (const part of parts) {
      if (part.isStringLiteral() || part.isNumberLiteral()) values.push(part.value)
      else if (part.flags & 512 /* BooleanLiteral */) values.push(context.checker.typeToString(part) === "true")
      else return
    }
    if (values.length > 0) found.set(reflection, values)
  })
  // Once converted, replace a written type that hides the values (`typeof X.Type`) by the values.
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, () => {
    for (const [reflection, values] of found) {
      const kind = reflection.type?.type
      if (kind !== "query" && kind !== "indexedAccess" && kind !== "reference") continue
      const literals = values.map((v) => new LiteralType(v))
      reflection.type = literals.length === 1 ? literals[0] : new UnionType(literals)
    }
  })
}
