// The planner benchmark: bundles bench/planner.scenarios.mjs from the packages' sources (the
// "@copkit/source" condition) with esbuild, runs it in its own process and prints its table:
// the time to plan a 12-session programme against 100, 1,000, 5,000, 10,000 and 100,000 busy
// periods, the outcome that stays the same as they grow, and the `scale planner ...` lines.
// Not a test.
//
//   node bench/planner.bench.mjs           the table
//   node bench/planner.bench.mjs --json    one JSON line
//   node bench/planner.bench.mjs --quick   fewer runs per scenario
//
// COPKIT_BENCH_PLANNER_RUNS sets the runs per scenario (default 15; the median, min and max are shown).
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { bundle } from "./bundle.mjs"

const here = (path) => fileURLToPath(new URL(path, import.meta.url))
const script = here("./.out/planner.scenarios.mjs")

await bundle("planner.scenarios.mjs")

const out = spawnSync(process.execPath, [script, ...process.argv.slice(2)], { encoding: "utf8", env: process.env, stdio: ["ignore", "inherit", "inherit"] })
process.exitCode = out.status ?? 1
