// The network-wide reads as the network grows: `Network.overview`, a programme's report,
// `Network.search`, `Network.searchMinutes` and erasing one person, on a SQLite file and on PostgreSQL, at N = 10, 100 and
// 1,000 programmes (20 participants, 8 sessions, 10 agreements, 2 insights each). Each N runs in a
// process of its own; the medians of the rounds are printed, then one summary line per read and N:
//   scale network-<read>-<db> n=<N> ms=<median>
// Not a test: `pnpm bench` runs it (with --quick: N = 10 and 100, 3 rounds).
//
// Measured on a shared 2-core machine (medians of 5, ms; before -> after the 0006 indexes and the
// erasure's `mentioning` query; the "before" run had a busier machine):
//   SQLite n=1000  overview 4909 -> 2681, report 105 -> 9.9, search 87 -> 50, erase 11295 -> 581
//   PostgreSQL n=1000  overview 8034 -> 2830, report 78 -> 17.5, search 202 -> 107, erase 22686 -> 2195
// The overview from the sessions' and agreements' summaries (Summary.Summaries: computed in the
// database, kept per session version; none read whole), before -> after, same machine:
//   SQLite n=1000  overview 2956 -> 76 (n=100: 12)   PostgreSQL n=1000  overview 1818 -> 91 (n=100: 12)
// (its first round, with no summary kept yet: about 280 ms on SQLite, 540 ms on PostgreSQL).
// The first overview of a fresh process (overview-first, below), n=1000, on a busy machine, 7
// interleaved pairs on the same stores, medians (ms): SQLite 737 -> 217, PostgreSQL 1110 -> 247;
// the bench's own run after: 209 and 229 (warm overview 72 / 83, as before). Where it went before
// (one read at a time, this process's CPU): programmes decoded whole ~200-350 (cold schema code:
// a second decode of the same rows takes a fifth), the sessions' summaries computed from 40 MB of
// documents ~250-330 on SQLite and ~600-800 ms wall on PostgreSQL (parsing the JSON alone is ~340
// ms there: no query on the documents can be fast), the overview itself ~100 (cold). Narrow
// decoding of the programmes (only the summary's fields) halved their part; what took the rest
// away: each session's and programme's summary kept beside it as it is saved (migration 0008,
// with its version; no command measurably slower: 100 saves in 4 interleaved pairs, SQLite
// session 1000-1100 -> 850-1150 us, PostgreSQL 1470-2320 -> 1560-2030 us), and on SQLite an index
// holding the sessions' summaries (a column after a 5 KB document is behind its overflow pages:
// listing 8,000 sessions' summaries 72 -> 3 ms, their ids and versions 37 -> 7). Left (CPU, ms):
// sessions' summaries parsed 70-80, programmes' 13-40, the overview's own code, cold, 80-130.
// Then the network search in the store (migration 0007: folded index rows, FTS5 trigrams on SQLite,
// a tsvector with GIN on PostgreSQL; only the page's insights or sessions are read), medians of 5, ms,
// before -> after on the same (busy) machine, one run after the other:
//   SQLite n=1000  search 61.6 -> 4.3, minutes 1656 -> 23.8
//   PostgreSQL n=1000  search 123.6 -> 7.4, minutes 1592 -> 38.7
// ("minutes" is Network.searchMinutes for "verslag regio 7": every minutes text holds "verslag".)
// At N = 10,000 (SQLite, 410,000 entities, seeded in 266 s; 3 rounds on a busy machine): the
// overview took 3.1-3.4 s while the store kept 1,000 decoded programmes (it decoded all 10,000 on
// every call); keeping up to 20,000 programmes and applications: 1.0-1.6 s (n=1000 in the same
// runs: 75-109 ms; about linear). report 6.5-21, search 5-11, minutes 56-75 ms; erase 14 s there
// (the rounds after the first: names that start longer ones, below).
// Erasing one person, n=1000 (quiet machine, 3 rounds): SQLite 552-570 ms -> 433-438 -> 231-259,
// PostgreSQL about 1,800 -> 1,100 -> 940-950 -> 440-449. The steps: on PostgreSQL each document is
// lowered once for every name (LIKE ANY); what the selection gives but the redaction cannot change
// is ruled out on its JSON before it is encoded; the selection asks for the name as a whole word
// at its end (GLOB on SQLite, a regular expression on PostgreSQL), so the names of regions 3 and 6
// no longer select those of regions 30-39 and 300-399 (about 900 sessions). What is left on
// PostgreSQL is reading every document (the sessions' scan alone ~180 ms, whatever the test).
// An index of each entity's words kept on every save (tried: FTS5 on SQLite, text[] with GIN on
// PostgreSQL) brought it to 79 / 49 ms but cost every command +45% CPU on SQLite and +20% on
// PostgreSQL: not kept (an erasure is rare; commands are not).
// Then on PostgreSQL (busy machine, 3 runs of 5 rounds each, interleaved, medians of the runs' medians):
//   erase n=10 62 -> 64, n=100 95 -> 79, n=1000 469 -> 253 ms (runs: 467-472 -> 230-271)
// Where the 470 ms went (EXPLAIN ANALYZE, n=1000): the sessions' selection 321 ms of it, mostly
// LOWER in the database's collation (C.UTF-8 folds every character: ~150 ms), then each document
// decompressed and cast again for every test, and LIKE (~35 ms a name). Now each document is cast
// once, its ASCII letters lowered once with COLLATE "C" (~65 ms), each name found by strpos (~10
// ms): sessions 321 -> 140, enrolments 51 -> 29, agreements 34 -> 16 ms. And the erasure reads
// the kinds side by side (4 at a time): the sessions' scan no longer waits for the others'. On a
// database some minutes old (not just seeded) it takes about 140 ms (5 rounds, 3 runs). SQLite unchanged
// (the same SQL; its erasure's CPU 274 -> 265 ms at n=1000, within noise), and the command
// bench too (lib-pg / raw-pg 1.92 -> 1.90, 8 interleaved pairs; the command path is not touched).
//
// overview-first is the first Network.overview of a fresh process on the store just measured (the
// store is kept, then opened by a new process, `rounds` times): what a freshly started app instance
// answers first, with no summary or decoded entity in memory yet. Printed as
//   scale network-overview-first-<db> n=<N> ms=<median>
//
// Settings (environment): COPKIT_BENCH_NETWORK_SIZES (e.g. "10,100,1000,10000"),
// COPKIT_BENCH_NETWORK_ROUNDS (default 5, 3 with --quick), COPKIT_BENCH_POSTGRES_URL or
// COPKIT_TEST_POSTGRES_URL (PostgreSQL; skipped without).
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { bundle } from "./bundle.mjs"

const here = (path) => fileURLToPath(new URL(path, import.meta.url))
const script = here("./.out/network.scenarios.mjs")
const quick = process.argv.includes("--quick")

await bundle("network.scenarios.mjs")

const sizes = (process.env.COPKIT_BENCH_NETWORK_SIZES ?? (quick ? "10,100" : "10,100,1000")).split(",").map(Number)
const rounds = Number(process.env.COPKIT_BENCH_NETWORK_ROUNDS ?? (quick ? 3 : 5))
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
const reads = ["overview", "report", "search", "minutes", "erase"]
const aims = { overview: 200, report: 100, search: 50, minutes: 50, erase: 300 }
const summary = []

console.log(`\nNetwork-wide reads: N programmes of 20 participants, 8 sessions, 10 agreements and 2 insights; median of ${rounds} rounds (aims at N = 1,000: ${reads.map((r) => `${r} <= ${aims[r]} ms`).join(", ")})`)
for (const db of ["sqlite", "pg"]) {
  for (const n of sizes) {
    const out = spawnSync(process.execPath, [script, db, String(n), String(rounds), "keep"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 16 * 1024 * 1024 })
    if (out.status !== 0) {
      console.log(`  ${db} n=${n}: failed with exit code ${out.status}`)
      process.exitCode = 1
      continue
    }
    const result = JSON.parse(out.stdout.trim().split("\n").at(-1))
    if (result.skipped !== undefined) {
      console.log(`  ${db}: skipped (${result.skipped})`)
      break
    }
    // the first overview of a fresh process on the same store, `rounds` times (the last one drops the store)
    const firsts = []
    for (let r = 0; r < rounds; r++) {
      const fresh = spawnSync(process.execPath, [script, db, "first", result.kept, ...(r === rounds - 1 ? ["drop"] : [])], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] })
      if (fresh.status !== 0) {
        console.log(`  ${db} n=${n}: the first overview failed with exit code ${fresh.status}`)
        process.exitCode = 1
        break
      }
      firsts.push(JSON.parse(fresh.stdout.trim().split("\n").at(-1)).first)
    }
    result["overview-first"] = firsts
    const figures = [...reads, ...(firsts.length === rounds ? ["overview-first"] : [])].map((r) => [r, median(result[r])])
    console.log(`  ${db.padEnd(6)} n=${String(n).padStart(5)} (${result.entities} entities, seeded in ${result.seedSeconds} s${result.dbMiB === undefined ? "" : `, ${result.dbMiB} MiB`}): ${figures.map(([r, ms]) => `${r} ${ms.toFixed(1)} ms`).join(", ")}`)
    for (const [r, ms] of figures) summary.push(`scale network-${r}-${db} n=${n} ms=${ms.toFixed(1)}`)
  }
}
for (const line of summary) console.log(line)
