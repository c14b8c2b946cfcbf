import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll } from "vitest"
import { Layer } from "effect"
import { Inspector } from "@copkit/testing"
import { StorageContract } from "@copkit/testing/contracts"
import { SqlInspector } from "@copkit/storage-sql"
import { SqliteStore } from "@copkit/storage-sqlite"

const dir = mkdtempSync(join(tmpdir(), "copkit-sqlite-contract-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const store = (filename: string, prefix?: string) =>
  SqlInspector.layer(Inspector.Inspector, { prefix }).pipe(Layer.provideMerge(SqliteStore.layer({ filename, prefix })))

StorageContract.suite("sqlite file", store(join(dir, "contract.db")))
StorageContract.suite("sqlite file, another prefix", store(join(dir, "contract-prefix.db"), "app_"))
StorageContract.suite("sqlite :memory:", store(":memory:"))
