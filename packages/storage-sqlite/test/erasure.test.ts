/**
 * Erased personal data leaves no bytes behind: after `PersonalData.erase` through the core service
 * on a SQLite file, the person's e-mail address is in neither the database file nor its WAL.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll } from "vitest"
import { describe, expect, it } from "@effect/vitest"
import { Layer, ManagedRuntime } from "effect"
import { Actor, Ids, Intake, PersonalData } from "@copkit/core"
import { Fixtures } from "@copkit/testing"
import { SqliteStore } from "@copkit/storage-sqlite"

const dir = mkdtempSync(join(tmpdir(), "copkit-erasure-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Whether a file's raw bytes hold the text (as UTF-8). */
const holds = (file: string, text: string): boolean => existsSync(file) && readFileSync(file).includes(Buffer.from(text, "utf8"))

describe("SqliteStore: erasure", () => {
  it("leaves the erased address in neither the database file nor its WAL", { timeout: 60_000 }, async () => {
    const filename = join(dir, "erase.db")
    const runtime = ManagedRuntime.make(Layer.mergeAll(Intake.layer, PersonalData.layer).pipe(
      Layer.provideMerge(SqliteStore.layer({ filename })),
      Layer.provide(Ids.layerRandom)
    ))
    try {
      const { baker } = Fixtures.people
      const address = baker.email
      const intake = await runtime.runPromise(Intake.Intake)
      // Several versions of the row: each one's old page images land in the WAL and the file.
      const created = await runtime.runPromise(Actor.as(intake.create(Fixtures.applicationInput()), Fixtures.actors.coordinator))
      await runtime.runPromise(Actor.as(intake.submit({ applicationId: created.id }), Fixtures.actors.coordinator))
      for (let i = 0; i < 5; i++) {
        await runtime.runPromise(Actor.as(
          intake.assess({ applicationId: created.id, criterion: "EnergyAndEnthusiasm", score: 4, note: `Ronde ${i}.` }),
          Fixtures.actors.coordinator
        ))
      }
      expect(holds(filename, address) || holds(`${filename}-wal`, address)).toBe(true)

      const personalData = await runtime.runPromise(PersonalData.PersonalData)
      await runtime.runPromise(Actor.as(personalData.erase({ personId: baker.id }), Fixtures.actors.coordinator))

      expect(holds(filename, address)).toBe(false)
      expect(holds(`${filename}-wal`, address)).toBe(false)
    } finally {
      await runtime.dispose()
    }
  })
})
