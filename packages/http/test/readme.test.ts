// The README's complete example is test/readme.example.ts, which `pnpm typecheck` checks: they must not differ.
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { expect, it } from "vitest"

it("the README's example is the type-checked one", () => {
  const dir = join(import.meta.dirname, "..")
  const example = readFileSync(join(dir, "test/readme.example.ts"), "utf8")
    .split("\n").slice(1).join("\n")
    .replace(`if (process.env["COPKIT_README_RUN"] === "1") Layer.launch(server)`, "Layer.launch(server)")
  expect(readFileSync(join(dir, "README.md"), "utf8")).toContain("```ts\n" + example + "```")
})
