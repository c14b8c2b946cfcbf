// The guides and the code agree on rule names: every rule or check name a guide mentions exists,
// and the rules guide lists every rule and every plan check.
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { PlanValidation, ruleNames } from "@copkit/core"

const root = join(import.meta.dirname, "../../..")
const guides = join(root, "docs/guides")
const read = (file: string) => readFileSync(file, "utf8")

/** Names in backticks that look like rule names: lower-case words joined by dashes. */
const kebabNames = (text: string): Set<string> => new Set([...text.matchAll(/`([a-z0-9]+(?:-[a-z0-9]+)+)`/g)].map((m) => m[1]!))

/** Kebab-case names that are not rules: the workspace's packages and folders, and every dependency named in a manifest. */
const notRules = (): Set<string> => {
  const names = new Set<string>()
  for (const dir of ["packages", "examples"]) {
    for (const entry of readdirSync(join(root, dir))) {
      names.add(entry)
      const manifest = JSON.parse(read(join(root, dir, entry, "package.json"))) as Record<string, Record<string, string> | undefined>
      for (const field of ["dependencies", "devDependencies", "peerDependencies"]) {
        for (const dep of Object.keys(manifest[field] ?? {})) names.add(dep.replace(/^@[^/]+\//, ""))
      }
    }
  }
  const rootManifest = JSON.parse(read(join(root, "package.json"))) as Record<string, Record<string, string> | undefined>
  for (const dep of Object.keys(rootManifest["devDependencies"] ?? {})) names.add(dep.replace(/^@[^/]+\//, ""))
  // the schema rules of a ValidationError, and the secure-delete pragma the personal-data guide names
  for (const other of ["not-allowed", "secure-delete", "example-quickstart", "example-promise-api"]) names.add(other)
  return names
}

describe("rule names in the guides", () => {
  const known = new Set<string>([...ruleNames, ...PlanValidation.planCheckNames])
  const files = readdirSync(guides).filter((f) => f.endsWith(".md"))

  it("every rule or check name a guide mentions exists in the code", () => {
    const others = notRules()
    const unknown: Array<string> = []
    for (const file of files) {
      for (const name of kebabNames(read(join(guides, file)))) {
        if (!known.has(name) && !others.has(name)) unknown.push(`${file}: ${name}`)
      }
    }
    expect(unknown).toEqual([])
  })

  it("the rules guide lists every rule and every plan check", () => {
    const listed = kebabNames(read(join(guides, "rules.md")))
    expect([...known].filter((name) => !listed.has(name))).toEqual([])
  })

  it("rule names are kebab-case", () => {
    for (const name of known) expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/)
  })
})
