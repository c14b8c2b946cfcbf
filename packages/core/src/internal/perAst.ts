/**
 * What a walker over schemas compiles for each node of a schema, compiled once per node and shared
 * by every schema that holds it (as Effect keeps its parsers). A recursive schema reaches itself only
 * through `Suspend`, whose inner schema a walker compiles when it is first needed.
 *
 * @internal
 */
import type { SchemaAST } from "effect"

/** Memoizes `compile` by schema node. @internal */
export const perAst = <A>(compile: (ast: SchemaAST.AST) => A): (ast: SchemaAST.AST) => A => {
  const compiled = new WeakMap<SchemaAST.AST, A>()
  return (ast) => {
    let value = compiled.get(ast)
    if (value === undefined) {
      value = compile(ast)
      compiled.set(ast, value)
    }
    return value
  }
}
