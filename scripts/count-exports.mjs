// Counts the public exports of @copkit/core: every name reachable from src/index.ts (namespaces expanded).
import ts from "typescript"
import path from "node:path"
const root = process.argv[2]
const index = path.join(root, "packages/core/src/index.ts")
const program = ts.createProgram([index], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, allowJs: false, noEmit: true })
const checker = program.getTypeChecker()
const sf = program.getSourceFile(index)
const mod = checker.getSymbolAtLocation(sf)
let total = 0
const per = {}
for (const sym of checker.getExportsOfModule(mod)) {
  let target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym
  if (target.flags & ts.SymbolFlags.Module) {
    const n = checker.getExportsOfModule(target).length
    per[sym.name] = n
    total += n
  } else { per[sym.name] = 1; total += 1 }
}
console.log(JSON.stringify(per))
console.log("modules", Object.keys(per).length, "total exports", total)
