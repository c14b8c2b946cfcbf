// Compiles every TypeScript sample a reader is shown against the BUILT packages, so the docs cannot
// drift from the API. Samples are the ```ts blocks of
//   (a) the `@example` tags of the doc comments in packages/*/src/**/*.ts, and
//   (b) docs/guides/*.md and the README.md files (root, packages/*, examples/*).
// Each block is written as its own module into .samples/ (inside the repo, git-ignored), where
// `@copkit/*` resolve through a node_modules folder of links to packages/* — so through each
// package's exports map to its dist .d.ts, exactly as a user's install resolves them (no
// `@copkit/source` condition) — and `effect`, `@effect/*` and the other libraries resolve to the
// versions the workspace installed. Then one `tsc --noEmit` checks them all.
//
// A block must be self-contained (its imports included). A block that is a fragment on purpose
// is skipped with a reason, which is printed:
//   Markdown:  a line `<!-- no-check: why -->` right before the fence;
//   @example:  `// @no-check: why` as the first line of the block.
// Needs `pnpm build` first. Usage: node scripts/check-samples.mjs [--keep]
import { spawnSync } from "node:child_process"
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join, relative } from "node:path"

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "")
const out = join(root, ".samples")
const keep = process.argv.includes("--keep")

/** @typedef {{ origin: string, line: number, code: string, skip?: string }} Sample */
/** @type {Array<Sample>} */
const samples = []

const walk = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : [path]
  })

// ---- (a) @example tags --------------------------------------------------------------------------
const fence = /^```(ts|typescript)\s*$/

for (const pkg of readdirSync(join(root, "packages"))) {
  const src = join(root, "packages", pkg, "src")
  if (!existsSync(src)) continue
  for (const file of walk(src).filter((f) => f.endsWith(".ts"))) {
    const text = readFileSync(file, "utf8")
    const rel = relative(root, file)
    for (const comment of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
      const startLine = text.slice(0, comment.index).split("\n").length
      const lines = comment[0].split("\n").map((l) => l.replace(/^\s*\/?\*\*?\/?( ?)/, "").replace(/\s*\*\/$/, ""))
      let inExample = false
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]
        if (/^@example\b/.test(line)) {
          inExample = true
          continue
        }
        if (/^@\w+/.test(line)) inExample = false
        if (!inExample || !fence.test(line.trim())) continue
        const body = []
        let j = i + 1
        for (; j < lines.length && !/^```\s*$/.test(lines[j].trim()); j++) body.push(lines[j])
        const code = body.join("\n")
        const skip = /^\s*\/\/\s*@no-check:?\s*(.*)$/.exec(body[0] ?? "")
        samples.push({
          origin: rel,
          line: startLine + i + 1,
          code,
          ...(skip ? { skip: skip[1] || "(no reason given)" } : {})
        })
        i = j
      }
    }
  }
}

// ---- (b) guides and READMEs ---------------------------------------------------------------------
const markdown = [
  ...readdirSync(join(root, "docs", "guides")).filter((f) => f.endsWith(".md")).map((f) => join(root, "docs", "guides", f)),
  join(root, "README.md"),
  ...["packages", "examples"].flatMap((group) =>
    readdirSync(join(root, group)).map((d) => join(root, group, d, "README.md")).filter((f) => existsSync(f))
  )
]
for (const file of markdown) {
  const lines = readFileSync(file, "utf8").split("\n")
  for (let i = 0; i < lines.length; i++) {
    if (!fence.test(lines[i].trim())) continue
    const body = []
    let j = i + 1
    for (; j < lines.length && !/^```\s*$/.test(lines[j].trim()); j++) body.push(lines[j])
    let k = i - 1
    while (k >= 0 && lines[k].trim() === "") k--
    const skip = k >= 0 ? /^<!--\s*no-check:?\s*(.*?)\s*-->$/.exec(lines[k].trim()) : null
    samples.push({
      origin: relative(root, file),
      line: i + 2,
      code: body.join("\n"),
      ...(skip ? { skip: skip[1] || "(no reason given)" } : {})
    })
    i = j
  }
}

// ---- the folder the samples compile in ----------------------------------------------------------
rmSync(out, { recursive: true, force: true })
mkdirSync(join(out, "node_modules"), { recursive: true })
const link = (name, target) => {
  const path = join(out, "node_modules", name)
  if (existsSync(path)) return
  mkdirSync(dirname(path), { recursive: true })
  symlinkSync(target, path, "dir")
}
// the published packages, by their names
for (const dir of readdirSync(join(root, "packages"))) {
  const manifest = JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8"))
  link(manifest.name, join(root, "packages", dir))
}
// every library some workspace package installed (what a user adds next to copkit: effect,
// @effect/sql, @effect/platform, ...); the root's first, so there is one `effect`
const installed = [root, ...["packages", "examples"].flatMap((g) => readdirSync(join(root, g)).map((d) => join(root, g, d)))]
for (const base of installed) {
  const modules = join(base, "node_modules")
  if (!existsSync(modules)) continue
  for (const name of readdirSync(modules)) {
    if (name.startsWith(".") || name === "@copkit") continue
    if (name.startsWith("@")) {
      for (const sub of readdirSync(join(modules, name))) link(`${name}/${sub}`, join(modules, name, sub))
    } else {
      link(name, join(modules, name))
    }
  }
}

const slug = (s) => s.replace(/[^A-Za-z0-9]+/g, "_")
const checked = []
for (const [n, sample] of samples.entries()) {
  if (sample.skip !== undefined) {
    console.log(`skip ${sample.origin}:${sample.line}: ${sample.skip}`)
    continue
  }
  const file = `${String(n).padStart(3, "0")}_${slug(sample.origin)}_L${sample.line}.ts`
  // `export {}` makes every sample its own module, whether or not it imports anything
  writeFileSync(join(out, file), `${sample.code}\nexport {}\n`)
  checked.push({ ...sample, file })
}

writeFileSync(
  join(out, "tsconfig.json"),
  JSON.stringify(
    {
      extends: "../tsconfig.base.json",
      compilerOptions: {
        // resolve @copkit/* as published: no @copkit/source condition, so to dist/*.d.ts
        customConditions: [],
        noEmit: true,
        declaration: false,
        declarationMap: false,
        sourceMap: false,
        // a sample may name a value it does not use further
        noUnusedLocals: false,
        noUnusedParameters: false,
        // read the packages' declarations as a user's tsc would
        skipLibCheck: true,
        typeRoots: [join(root, "node_modules", "@types")]
      },
      files: checked.map((s) => s.file)
    },
    null,
    2
  )
)

const tsc = createRequire(join(root, "package.json")).resolve("typescript/bin/tsc")
const result = spawnSync(process.execPath, [tsc, "-p", join(out, "tsconfig.json"), "--pretty", "false"], {
  cwd: out,
  encoding: "utf8"
})
const output = `${result.stdout}${result.stderr}`
const byFile = new Map(checked.map((s) => [s.file, s]))
const failed = new Set()
const shown = new Map()
const unplaced = []
for (const line of output.split("\n").filter(Boolean)) {
  const m = /^(.+?\.ts)\((\d+),(\d+)\): (.*)$/.exec(line)
  const sample = m && byFile.get(m[1])
  if (!sample) {
    if (!/^\s/.test(line)) unplaced.push(line)
    else if (unplaced.length > 0) unplaced.push(line)
    else console.error(line)
    continue
  }
  failed.add(sample.file)
  shown.set(sample.file, (shown.get(sample.file) ?? 0) + 1)
  if (shown.get(sample.file) > 5) continue
  console.error(`FAIL ${sample.origin}:${sample.line + Number(m[2]) - 1} (sample ${m[1]}, line ${m[2]}): ${m[4]}`)
}
for (const line of unplaced) console.error(line)
for (const [file, n] of shown) if (n > 5) console.error(`     ... and ${n - 5} more error(s) in ${byFile.get(file).origin}:${byFile.get(file).line}`)

const prose = (n, one) => `${n} ${one}${n === 1 ? "" : "s"}`
const skipped = samples.length - checked.length
if (result.status !== 0) {
  console.error(
    `\n${prose(failed.size, "sample")} of ${checked.length} did not compile against the built packages` +
      (unplaced.length > 0 ? " (and tsc reported the errors above)" : "") +
      `; the files are in ${relative(root, out)}/`
  )
  process.exit(1)
}
console.log(
  `\n${checked.length} passed, 0 failed, ${skipped} skipped: every sample compiles against the built packages`
)
if (!keep) rmSync(out, { recursive: true, force: true })
