// The declarations of a package, with declaration maps: run in a package folder after `tsup`
// (which builds the JavaScript; its own dts bundler writes no maps).
//
// 1. `tsc -p tsconfig.build.json` writes dist/**/*.d.ts and dist/**/*.d.ts.map, one per module of
//    src/, each map's `sources` pointing at ../src/**/*.ts, which the package ships (`files`), so an
//    editor's "go to definition" lands in the TypeScript source.
// 2. Each X.d.ts is copied to X.d.cts (with X.d.cts.map) for `require`: relative specifiers
//    `./Y.js` become `./Y.cjs`, so the CommonJS declarations only ever import CommonJS ones.
import { spawnSync } from "node:child_process"
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { basename, join } from "node:path"

const cwd = process.cwd()
const dist = join(cwd, "dist")
const tsc = createRequire(join(cwd, "package.json")).resolve("typescript/bin/tsc")
const result = spawnSync(
  process.execPath,
  [
    tsc,
    "-p",
    "tsconfig.build.json",
    "--emitDeclarationOnly",
    "--declaration",
    "--declarationMap",
    "--sourceMap",
    "false",
    "--rootDir",
    "src",
    "--outDir",
    "dist"
  ],
  { cwd, stdio: "inherit" }
)
if (result.status !== 0) process.exit(result.status ?? 1)

const walk = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : [path]
  })

// `from "./X.js"`, `import("./X.js")`, `import "./X.js"`, `declare module "./X.js"`
const relativeJs = /(["'])(\.{1,2}\/[^"'\n]*?)\.js\1/g
let count = 0
for (const file of walk(dist).filter((f) => f.endsWith(".d.ts"))) {
  const cts = file.replace(/\.d\.ts$/, ".d.cts")
  const text = readFileSync(file, "utf8")
    .replace(relativeJs, (_m, q, path) => `${q}${path}.cjs${q}`)
    .replace(/\/\/# sourceMappingURL=(.+)\.d\.ts\.map\s*$/, (_m, name) => `//# sourceMappingURL=${name}.d.cts.map\n`)
  writeFileSync(cts, text)
  const map = JSON.parse(readFileSync(`${file}.map`, "utf8"))
  writeFileSync(`${cts}.map`, JSON.stringify({ ...map, file: basename(cts) }))
  count++
}
console.log(`types: ${count} declaration files (and .d.cts copies) with declaration maps in dist/`)
