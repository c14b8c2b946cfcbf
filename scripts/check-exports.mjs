// Checks every built package the way a user's runtime resolves it: `import` and `require` both
// load the package through its exports map, and `internal/` stays closed.
import { createRequire } from "node:module"
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { pathToFileURL } from "node:url"

const root = new URL("..", import.meta.url).pathname
let failures = 0
for (const dir of readdirSync(join(root, "packages"))) {
  const pkgDir = join(root, "packages", dir)
  const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"))
  if (manifest.private) continue
  const require = createRequire(join(pkgDir, "package.json"))
  const check = async (label, load) => {
    try {
      const mod = await load()
      const names = Object.keys(mod).filter((k) => k !== "default")
      if (names.length === 0) throw new Error("no exports")
      console.log(`ok   ${manifest.name} via ${label}: ${names.length} exports`)
    } catch (error) {
      failures++
      console.error(`FAIL ${manifest.name} via ${label}: ${error.message}`)
    }
  }
  for (const field of ["import", "require"]) {
    const target = manifest.exports["."][field]
    for (const file of [target.types, target.default]) {
      if (!existsSync(join(pkgDir, file))) {
        failures++
        console.error(`FAIL ${manifest.name}: ${field} points at ${file}, which the build did not write`)
      }
    }
  }
  // A module inside the package imports the package by its own name, as a user's ESM code would.
  const probe = join(pkgDir, ".check-exports.mjs")
  writeFileSync(probe, `export * from ${JSON.stringify(manifest.name)}\n`)
  try {
    await check("import", () => import(pathToFileURL(probe).href))
  } finally {
    rmSync(probe)
  }
  await check("require", async () => require(manifest.name))
  try {
    require.resolve(`${manifest.name}/internal/anything`)
    failures++
    console.error(`FAIL ${manifest.name}: internal/ is open`)
  } catch (error) {
    if (error.code !== "ERR_PACKAGE_PATH_NOT_EXPORTED") {
      failures++
      console.error(`FAIL ${manifest.name}: internal/ gave ${error.code}`)
    }
  }
}
if (failures > 0) {
  console.error(`${failures} export check(s) failed`)
  process.exit(1)
}
