// `pnpm bench` (add `--quick` for a shorter run, under 3 minutes): every benchmark of bench/, then a
// summary. Not a test.
//
// 1. The storage benchmark (bench/storage.bench.mjs): the library's whole command path next to raw
//    better-sqlite3 and raw pg doing the same rows and transactions. Library and raw runs are
//    interleaved (one of each per round, in alternating order), each in its own process (its own
//    peak memory), for at least 5 rounds; the medians are shown, CPU per command beside throughput.
// 2. Every other `bench/*.bench.mjs` file (the planner, the dispatcher, ...), run in turn with the same
//    arguments, its output passed through.
// 3. The summary, the last lines: each line of any benchmark's output that starts with `ratio ` or
//    `scale `, in the form
//      ratio <scenario> throughput=<library/raw>x cpu=<raw cpu/library cpu>x
//      scale <read> n=<N> ms=<median>
//
// The benchmark is bundled first with esbuild from the packages' sources (the "@copkit/source"
// condition), so it needs no build of the packages; the native drivers (better-sqlite3, pg) stay
// outside the bundle and load from the adapters' own dependencies.
//
// Settings (environment): COPKIT_BENCH_ROUNDS (rounds, default 7, 5 with --quick),
// COPKIT_BENCH_APPLICATIONS (applications per run: 3 commands each), COPKIT_BENCH_POSTGRES_URL or
// COPKIT_TEST_POSTGRES_URL (PostgreSQL; skipped without).
import { spawnSync } from "node:child_process"
import { readdirSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { bundle } from "./bundle.mjs"

const here = (path) => fileURLToPath(new URL(path, import.meta.url))
const script = here("./.out/storage.bench.mjs")
const args = process.argv.slice(2)
const quick = args.includes("--quick")

await bundle("storage.bench.mjs")
if (process.env.COPKIT_BENCH_BUILD_ONLY === "1") process.exit(0)

const rounds = Math.max(5, Number(process.env.COPKIT_BENCH_ROUNDS ?? (quick ? 5 : 7)))
const applications = (db) => process.env.COPKIT_BENCH_APPLICATIONS ?? String(db === "pg" ? (quick ? 80 : 400) : (quick ? 300 : 1500))
const summary = []

const runOnce = (scenario, db) => {
  const out = spawnSync(process.execPath, [script, scenario], {
    encoding: "utf8",
    env: { ...process.env, COPKIT_BENCH_APPLICATIONS: applications(db) },
    stdio: ["ignore", "pipe", "inherit"]
  })
  if (out.status !== 0) throw new Error(`${scenario} failed with exit code ${out.status}`)
  return JSON.parse(out.stdout.trim().split("\n").at(-1))
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
const medians = (runs) => ({
  perSecond: median(runs.map((r) => r.perSecond)),
  cpuMicrosPerCommand: median(runs.map((r) => r.cpuMicrosPerCommand)),
  maxRssMiB: median(runs.map((r) => r.maxRssMiB)),
  spread: [Math.min(...runs.map((r) => r.perSecond)), Math.max(...runs.map((r) => r.perSecond))]
})

const pad = (s, n) => String(s).padEnd(n)
const num = (n) => String(Math.round(n)).padStart(7)

console.log(`copkit benchmarks${quick ? " (quick)" : ""}: ${rounds} rounds, library and raw interleaved, medians. The machine may be shared: compare ratios, not absolute figures.`)

for (const [label, db, name] of [["SQLite file (WAL, synchronous=NORMAL)", "sqlite", "sqlite-command"], ["PostgreSQL", "pg", "postgres-command"]]) {
  const lib = []
  const raw = []
  let skipped
  for (let round = 0; round < rounds && skipped === undefined; round++) {
    // alternate the order, so that neither side always runs on a warmer (or busier) machine
    const order = round % 2 === 0 ? ["lib", "raw"] : ["raw", "lib"]
    for (const side of order) {
      const r = runOnce(`${side}-${db}`, db)
      if (r.skipped !== undefined) {
        skipped = r.skipped
        break
      }
      ;(side === "lib" ? lib : raw).push(r)
    }
  }
  if (skipped !== undefined) {
    console.log(`\n${label}: skipped (${skipped})`)
    continue
  }
  const l = medians(lib)
  const r = medians(raw)
  console.log(`\n${label}: ${lib[0].commands} commands per run (create + submit + assess of ${lib[0].commands / 3} applications), median of ${rounds} runs`)
  // CPU time of the benchmark process per command (for PostgreSQL without the server's)
  console.log(`  ${pad("", 52)}${pad("commands/s", 12)}${pad("(min-max)", 16)}${pad("CPU us/cmd", 12)}peak RSS`)
  const row = (title, m) =>
    console.log(`  ${pad(title, 52)}${num(m.perSecond)}     ${pad(`(${m.spread[0]}-${m.spread[1]})`, 16)}${num(m.cpuMicrosPerCommand)}     ${m.maxRssMiB} MiB`)
  row("library, whole command path (Intake service)", l)
  row(db === "pg" ? "raw pg, same rows and transactions" : "raw better-sqlite3, same rows and transactions", r)
  const throughput = l.perSecond / r.perSecond
  const cpu = r.cpuMicrosPerCommand / l.cpuMicrosPerCommand
  console.log(`  library/raw: throughput ${throughput.toFixed(2)}x, CPU ${cpu.toFixed(2)}x, peak RSS ${(l.maxRssMiB / r.maxRssMiB).toFixed(2)}x raw (aim: >= ${db === "pg" ? "0.8" : "0.5"}x, RSS <= 2x)`)
  summary.push(`ratio ${name} throughput=${throughput.toFixed(2)}x cpu=${cpu.toFixed(2)}x`)

  // reads: a programme with 20 participants and 8 sessions; 1,000 programmes listed
  const reads = Array.from({ length: quick ? 1 : 3 }, () => runOnce(`reads-${db}`, db))
  const loadMs = median(reads.map((x) => x.loadMs))
  const listMs = median(reads.map((x) => x.listMs))
  console.log(`  load a programme with ${reads[0].enrolments} participants and ${reads[0].sessions} sessions: ${loadMs.toFixed(2)} ms`)
  console.log(`  list ${reads[0].listed} programmes: ${listMs.toFixed(2)} ms`)
  summary.push(`scale ${name.replace("-command", "")}-programme-load n=1 ms=${loadMs.toFixed(2)}`)
  summary.push(`scale ${name.replace("-command", "")}-programme-list n=${reads[0].listed} ms=${listMs.toFixed(2)}`)
}

// Every other benchmark file, in name order, with the same arguments; its summary lines are collected.
const others = readdirSync(here(".")).filter((f) => f.endsWith(".bench.mjs") && f !== "storage.bench.mjs").sort()
let failed = false
for (const file of others) {
  const out = spawnSync(process.execPath, [here(`./${file}`), ...args], { encoding: "utf8", env: process.env, stdio: ["ignore", "pipe", "inherit"] })
  process.stdout.write(out.stdout ?? "")
  for (const line of (out.stdout ?? "").split("\n")) {
    if (/^(ratio|scale) /.test(line)) summary.push(line.trim())
  }
  if (out.status !== 0) {
    console.log(`${file} failed with exit code ${out.status}`)
    failed = true
  }
}

console.log("\nSummary")
for (const line of summary) console.log(line)
if (failed) process.exitCode = 1
