// Starts the coordinator app on http://127.0.0.1:3000 with an in-memory store and two sample
// applications. Run `pnpm build` at the root first, then `pnpm --filter @copkit/example-coordinator-app start`.
import { Layer } from "effect"
import { Client, Services } from "@copkit/core"
import { Fixtures, Memory } from "@copkit/testing"
import { createApp } from "./app.mjs"

const client = Client.make(Services.layer.pipe(Layer.provideMerge(Memory.layer)))
const utrecht = await client.intake.create(Fixtures.actors.keyPerson, Fixtures.applicationInput())
await client.intake.submit(Fixtures.actors.keyPerson, { applicationId: utrecht.id })

const server = createApp({ client, actor: Fixtures.actors.coordinator })
server.listen(3000, "127.0.0.1", () => console.log("coordinator app on http://127.0.0.1:3000"))
process.on("SIGINT", () => server.close(() => client.dispose().then(() => process.exit(0))))
