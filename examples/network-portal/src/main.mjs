// `pnpm portal` at the root (or `pnpm --filter @copkit/example-network-portal start` after a build):
// the portal on http://127.0.0.1:3000 with demo data on SQLite and .eml files in .portal/.
import { fromEnv } from "./config.mjs"
import { startPortal } from "./portal.mjs"

const config = fromEnv()
const portal = await startPortal(config, { port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? "127.0.0.1" })
console.log(`network portal on ${portal.url} (data in ${config.dataDirectory})`)
const stop = () => void portal.close().then(() => process.exit(0))
process.on("SIGINT", stop)
process.on("SIGTERM", stop)
