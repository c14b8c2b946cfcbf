// node src/main.mjs [folder]: runs the Promise-only example in a folder (default .promise-api).
import { main } from "./promise-api.mjs"

const result = await main(process.argv[2] ?? ".promise-api")
console.log(`done: ${result.sent} e-mail(s), programme ${result.programmeId}`)
