// How every benchmark is built before it runs: its scenarios bundled with esbuild (tsup's) from the
// packages' sources (the "@copkit/source" condition, so no build of the packages is needed) into
// bench/.out/. The native drivers (better-sqlite3, pg) stay outside the bundle and load from the
// storage adapters' own dependencies; CommonJS modules in the bundle get a require() for Node's own
// modules. Not a benchmark itself (run.mjs runs the files named *.bench.mjs).
import { createRequire } from "node:module"
import { fileURLToPath } from "node:url"

const here = (path) => fileURLToPath(new URL(path, import.meta.url))
const esbuild = createRequire(createRequire(here("../package.json")).resolve("tsup"))("esbuild")
const drivers = { "better-sqlite3": here("../packages/storage-sqlite"), pg: here("../packages/storage-postgres") }

/**
 * Bundles bench/<name> into bench/.out/<name> and returns the output's path.
 * @param {string} name the scenarios file, as `network.scenarios.mjs`
 * @param {{ nodePaths?: ReadonlyArray<string> }} [options] extra folders to resolve packages from (e.g. an adapter's node_modules)
 */
export const bundle = async (name, options = {}) => {
  const outfile = here(`./.out/${name}`)
  await esbuild.build({
    entryPoints: [here(`./${name}`)],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    conditions: ["@copkit/source"],
    nodePaths: (options.nodePaths ?? []).map((p) => here(p)),
    logLevel: "warning",
    banner: { js: "import { createRequire as __copkitRequire } from 'node:module'; const require = __copkitRequire(import.meta.url);" },
    plugins: [{
      name: "native-drivers",
      setup(build) {
        build.onResolve({ filter: /^(better-sqlite3|pg|pg-native)$/ }, async (args) => {
          if (args.path === "pg-native") return { path: args.path, external: true }
          if (args.pluginData === "driver") return undefined
          const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: drivers[args.path], pluginData: "driver" })
          return { path: resolved.path, external: true }
        })
      }
    }]
  })
  return outfile
}
