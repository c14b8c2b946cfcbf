import { it } from "@effect/vitest"
import { Effect } from "effect"
import { StorageContract } from "@copkit/testing/contracts"
import { freshSchema, skipReason, storeLayer, url } from "./support.js"

if (url === undefined) {
  console.warn(skipReason)
  it.skipIf(true)(`the PostgreSQL storage contract (${skipReason})`, () => Effect.void)
} else {
  StorageContract.suite("postgres", storeLayer(freshSchema("contract")))
  StorageContract.suite("postgres, another prefix", storeLayer(freshSchema("prefix"), "app_"))
}
