// The complete example of the README, type-checked with the tests (`pnpm typecheck`); it is not run.
import { NodeRuntime } from "@effect/platform-node"
import { Config, Effect, Layer } from "effect"
import { Ids, Services, Settings } from "@copkit/core"
import { Authenticator, Server, Tokens } from "@copkit/http"
import { SqliteStore } from "@copkit/storage-sqlite"

// Every service of copkit on a SQLite file
const services = Services.layer.pipe(
  Layer.provideMerge(Layer.mergeAll(SqliteStore.layer({ filename: "copkit.db" }), Ids.layerRandom, Settings.layer()))
)

// Signed bearer tokens, the key from the environment (at least 32 bytes)
const tokens = Tokens.layerConfig({ key: Config.redacted("COPKIT_TOKEN_KEY") })

// The API on port 8080: /intake/create, ..., /openapi.json and the reference page at /docs
const server = Server.layer({ port: 8080, cors: { allowedOrigins: ["https://portal.example"] } }).pipe(
  Layer.provide(Authenticator.layerTokens),
  Layer.provide(tokens),
  Layer.provide(services)
)

// Your login signs a token for the person who logged in: here a key person of Utrecht, for 8 hours
export const login = Tokens.sign(
  { _tag: "KeyPerson", personId: "per_fleur", regionId: "utrecht" },
  new Date(Date.now() + 8 * 60 * 60 * 1000)
).pipe(Effect.provide(tokens))

if (process.env["COPKIT_README_RUN"] === "1") Layer.launch(server).pipe(NodeRuntime.runMain)
