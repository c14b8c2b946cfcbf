import { mkdtempSync, readdirSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { simpleParser } from "mailparser"
import { describe, expect, it } from "vitest"
import { main } from "../src/promise-api.mjs"


describe("the Promise-only example", () => {
  it("has no effect import anywhere", () => {
    for (const file of ["promise-api.mjs", "main.mjs"]) {
      const source = readFileSync(new URL(`../src/${file}`, import.meta.url), "utf8")
      expect(source).not.toMatch(/from\s+["']effect|from\s+["']@effect\/|import\(["']effect/)
    }
  })

  it("runs an intake and a co-design on SQLite, dispatches into .eml files, handles ValidationError and Forbidden", async () => {
    const directory = mkdtempSync(join(tmpdir(), "copkit-promise-api-"))
    const result = await main(directory)
    expect(result.validation).toMatchObject({ field: "contact.email", rule: "email" })
    expect(result.forbidden).toMatchObject({ action: "application.decide" })
    expect(result.forbidden?.actor).toContain("achterhoek")
    expect(result.sent).toBeGreaterThanOrEqual(2) // the kick-off's invitations
    const files = readdirSync(join(directory, "outbox")).filter((f) => f.endsWith(".eml"))
    expect(files).toHaveLength(result.sent)
    for (const f of files) {
      const mail = await simpleParser(readFileSync(join(directory, "outbox", f)))
      expect(mail.subject).toBeTruthy()
    }
  })
})
