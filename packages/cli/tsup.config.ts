import { config } from "../../tsup.base.js"

// The library (ESM and CJS) and the `copkit` binary (ESM only; tsup keeps its shebang and makes it
// executable). The build script empties dist/ first, as both configs build side by side.
export default [
  config({ entry: ["src/index.ts"], clean: false }),
  config({ entry: ["src/bin.ts"], format: ["esm"], clean: false })
]
