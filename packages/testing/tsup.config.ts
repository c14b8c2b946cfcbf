import { config } from "../../tsup.base.js"

export default config({ entry: ["src/index.ts", "src/contracts.ts"] })
