// Checks a packed tarball's declaration maps: every .d.ts / .d.cts in it names a map that is in the
// tarball, and every source that map names is in the tarball too (so an editor's "go to
// definition" lands in the shipped TypeScript source). Usage: node scripts/check-declaration-maps.mjs X.tgz
import { execFileSync } from "node:child_process"
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { basename, dirname, join, relative, resolve } from "node:path"

const tarball = process.argv[2]
const dir = mkdtempSync(join(tmpdir(), "declaration-maps-"))
const problems = []
let declarations = 0
try {
  execFileSync("tar", ["-xzf", tarball, "-C", dir])
  const root = join(dir, "package")
  const walk = (d) => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]))
  for (const file of walk(root).filter((f) => /\.d\.c?ts$/.test(f))) {
    declarations++
    const name = relative(root, file)
    const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(file, "utf8"))?.[1]
    if (url === undefined) {
      problems.push(`${name}: no sourceMappingURL`)
      continue
    }
    const mapFile = resolve(dirname(file), url)
    if (!existsSync(mapFile)) {
      problems.push(`${name}: its map ${url} is not in the tarball`)
      continue
    }
    const map = JSON.parse(readFileSync(mapFile, "utf8"))
    if (map.file !== basename(file)) problems.push(`${relative(root, mapFile)}: "file" is ${map.file}, not ${basename(file)}`)
    for (const source of map.sources) {
      const path = resolve(dirname(mapFile), map.sourceRoot ?? "", source)
      if (!path.startsWith(`${root}/`) || !existsSync(path)) {
        problems.push(`${relative(root, mapFile)}: source ${source} is not in the tarball`)
      }
    }
  }
  if (declarations === 0) problems.push("no declaration files")
} finally {
  rmSync(dir, { recursive: true, force: true })
}
for (const p of problems) console.error(`${basename(tarball)}: ${p}`)
if (problems.length > 0) process.exit(1)
console.log(`${basename(tarball)}: ${declarations} declaration files, each with a map whose sources are in the tarball`)
