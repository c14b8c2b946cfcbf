// The planner benchmark's scenarios: how the time to plan a 12-session programme grows with the
// number of the region's busy periods (100, 1,000, 5,000, 10,000 and 100,000); the same with an
// outcome that must not change as they grow (the region's own days, made up to the number with
// night-time periods that never meet a session), asserted and printed; and every day blocked, so
// that the planner also searches for the blocking constraint. Not a test. The last lines are
// `scale planner n=<busy periods> ms=<median>` (the same-outcome scenario) and
// `scale planner-no-fit n=<busy periods> ms=<median>`, which `pnpm bench` gathers in its summary;
// the process fails when the outcome changes with the number of busy periods.
//
// Run it with `node bench/planner.bench.mjs` (which bundles this file from the packages' sources
// with esbuild, so no build is needed); `--json` prints one JSON line instead of the table.
import { performance } from "node:perf_hooks"
import { Either } from "effect"
import { Planner } from "../packages/core/src/index.ts"

const quick = process.argv.includes("--quick")
const SIZES = [100, 1_000, 5_000, 10_000, 100_000]
const RUNS = Number(process.env.COPKIT_BENCH_PLANNER_RUNS ?? (quick ? 5 : 15))
const HOUR = 3_600_000
const from = Date.UTC(2027, 0, 4)

/** A deterministic pseudo-random sequence (mulberry32), so that every run plans the same calendar. */
const random = (seed) => () => {
  seed |= 0
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

/** `count` busy periods of 1 to 4 hours between 08:00 and 20:00 UTC, spread over the two years planned. */
const busyPeriods = (count) => {
  const next = random(count)
  return Array.from({ length: count }, (_, i) => {
    const day = Math.floor(next() * 730)
    const start = from + day * 24 * HOUR + (8 + Math.floor(next() * 12)) * HOUR
    return { start: new Date(start), end: new Date(start + (1 + Math.floor(next() * 4)) * HOUR), summary: `Regio-activiteit ${i + 1}` }
  })
}

const sessions = Array.from({ length: 12 }, (_, i) => ({
  key: `pli_${i + 1}`,
  role: i === 0 ? "KickOff" : i === 11 ? "Closing" : "Regular",
  durationMinutes: i === 0 || i === 11 ? 150 : 180
}))

const request = (busy) => ({
  sessions,
  from: "2027-01-11",
  busy,
  schoolHolidayZone: "Middle",
  keyPersonUnavailable: [{ name: "Sleutelpersoon", dates: ["2027-02-02", "2027-03-09", "2027-04-13"] }],
  administratorsUnavailable: ["2027-01-12", "2027-01-13"]
})

const measure = (input) => {
  let result = Either.getOrThrow(Planner.plan(input)) // warm-up
  const times = []
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now()
    result = Either.getOrThrow(Planner.plan(input))
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  return { median: times[Math.floor(times.length / 2)], min: times[0], max: times.at(-1), status: result.status, rejected: result.rejected.length }
}

const rows = []
for (const size of SIZES) {
  const busy = busyPeriods(size)
  rows.push({ scenario: "12 sessions", busy: size, ...measure(request(busy)) })
}
// The same-outcome scenario: the region's own days (which the plan must work around, at every
// size) and, to make up the number, busy periods that never meet a session (nights, 00:00-06:00
// UTC). The outcome (the chosen dates and every skipped date with its reasons) must not change as
// they grow, only the time to reach it.
const regionDays = [
  // the whole allowed window of the first preferred day: the kick-off moves on
  { start: new Date("2027-01-14T07:00:00Z"), end: new Date("2027-01-14T20:00:00Z"), summary: "Regiodag" },
  { start: new Date("2027-01-14T12:00:00Z"), end: new Date("2027-01-14T15:00:00Z"), summary: "Werkconferentie" },
  // the preferred afternoon of the next one: skipped, a later afternoon is free
  { start: new Date("2027-01-19T11:00:00Z"), end: new Date("2027-01-19T17:00:00Z"), summary: "Bestuursoverleg" }
]
const nightPeriods = (count) => {
  const next = random(count + 7)
  return Array.from({ length: count - regionDays.length }, (_, i) => {
    const day = Math.floor(next() * 730)
    const start = from + day * 24 * HOUR + Math.floor(next() * 5) * HOUR
    return { start: new Date(start), end: new Date(start + HOUR), summary: `Nachtdienst ${i + 1}` }
  }).concat(regionDays)
}
/** What the planner decided: the chosen dates and times, and every skipped date with its reasons. */
const outcomeOf = (result) => ({
  status: result.status,
  sessions: result.sessions.map((s) => `${s.key} ${s.date} ${s.time}`),
  skipped: result.rejected.map((r) => `${r.key} ${r.date}: ${r.reasons.map((x) => `${x.constraint} (${x.message})`).join("; ")}`)
})
const stable = []
for (const size of SIZES) {
  const input = request(nightPeriods(size))
  const outcome = outcomeOf(Either.getOrThrow(Planner.plan(input)))
  stable.push({ scenario: "12 sessions, same outcome", busy: size, outcome, ...measure(input) })
}
const differing = stable.filter((r) => JSON.stringify(r.outcome) !== JSON.stringify(stable[0].outcome))
const sameOutcome = differing.length === 0
rows.push(...stable.map(({ outcome: _, ...r }) => r))
// every working afternoon and evening taken: no plan fits, and the planner looks for what blocks it
const blockedBusy = [...busyPeriods(10_000), ...Array.from({ length: 730 }, (_, d) => ({
  start: new Date(from + d * 24 * HOUR + 7 * HOUR),
  end: new Date(from + d * 24 * HOUR + 21 * HOUR),
  summary: "Vol"
}))]
rows.push({ scenario: "12 sessions, no plan fits", busy: blockedBusy.length, ...measure(request(blockedBusy)) })

if (process.argv.includes("--json")) {
  console.log(JSON.stringify({ runs: RUNS, sameOutcome, outcome: stable[0].outcome, rows }))
} else {
  const pad = (s, n) => String(s).padEnd(n)
  const ms = (n) => `${n.toFixed(2)} ms`.padStart(11)
  console.log(`\nPlanner: a 12-session programme against the region's busy periods (median of ${RUNS} runs)`)
  console.log(`  ${pad("scenario", 28)}${pad("busy periods", 14)}${pad("median", 11)} ${pad("min", 11)} ${pad("max", 11)} result`)
  for (const r of rows) {
    console.log(`  ${pad(r.scenario, 28)}${pad(r.busy, 14)}${ms(r.median)} ${ms(r.min)} ${ms(r.max)} ${r.status}`)
  }
  const first = rows[0]
  const last = rows[SIZES.length - 1]
  console.log(`  growth from ${first.busy} to ${last.busy} busy periods (x${last.busy / first.busy}): time x${(last.median / first.median).toFixed(2)}`)
  console.log(`  same outcome for every number of night-time busy periods: ${sameOutcome ? "yes" : `NO (differs at ${differing.map((r) => r.busy).join(", ")})`}`)
  // the outcome itself, so that a reader sees what stays the same
  const { status, sessions: chosen, skipped } = stable[0].outcome
  const reasons = new Map()
  for (const line of skipped) {
    for (const [, c] of line.matchAll(/(?:: |; )(\w+) \(/g)) reasons.set(c, (reasons.get(c) ?? 0) + 1)
  }
  console.log(`\n  the outcome at every size: ${status}, ${chosen.length} sessions, ${skipped.length} dates skipped`)
  console.log(`  chosen:  ${chosen.map((c) => c.split(" ").slice(1).join(" ")).join(", ")}`)
  console.log(`  skipped, by reason: ${[...reasons].map(([c, k]) => `${c} ${k}`).join(", ")}`)
  for (const line of skipped) console.log(`    ${line}`)
  console.log("")
  for (const r of stable) console.log(`scale planner n=${r.busy} ms=${r.median.toFixed(2)}`)
  const blocked = rows.at(-1)
  console.log(`scale planner-no-fit n=${blocked.busy} ms=${blocked.median.toFixed(2)}`)
}
if (!sameOutcome) {
  console.error(`planner bench: the outcome changed with the number of busy periods (at ${differing.map((r) => r.busy).join(", ")})`)
  process.exitCode = 1
}
