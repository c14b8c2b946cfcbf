// `pnpm build` at the root first, then: pnpm --filter @copkit/example-quickstart start [folder]
import { main } from "./quickstart.mjs"

const directory = process.argv[2] ?? ".quickstart"
const summary = await main(directory)
console.log(`Done. Look in ${directory}: copkit.db (SQLite), outbox/*.eml (the e-mails), report.html.`)
console.log(summary)
