// The dispatcher benchmark: the copkit dispatcher (`Dispatcher.make(...).runOnce` with the real
// templates, the iCalendar renderer and the pooled `SmtpMailer`) next to raw nodemailer (pooled,
// the same connections and sends in flight, the same invitations with their .ics), both sending to
// one loopback `smtp-server` that runs in a process of its own, so that only the client's CPU is
// counted. Rounds are interleaved (copkit, raw, raw, copkit, ...) in one client process after a
// warm-up of each, with a full GC before each round; the medians are shown. Not a test.
//
//   node bench/dispatcher.bench.mjs           the table, and the summary line
//     ratio dispatcher-smtp throughput=<copkit/raw>x cpu=<raw cpu/copkit cpu>x
//   node bench/dispatcher.bench.mjs --quick   fewer rounds and messages
//   node bench/dispatcher.bench.mjs --json    one JSON line
//
// The scenarios are in bench/dispatcher.scenarios.mjs (bundled into bench/.out/ with esbuild from
// the packages' sources, the "@copkit/source" condition). Settings (environment):
// COPKIT_BENCH_DISPATCHER_ROUNDS (rounds per side, default 7, 5 with --quick),
// COPKIT_BENCH_DISPATCHER_MESSAGES (messages per round, default 400, 200 with --quick),
// COPKIT_BENCH_DISPATCHER_CONCURRENCY (sends in flight and pooled connections, default 5),
// COPKIT_BENCH_DISPATCHER_PROFILE=1 (the client runs with --cpu-prof into bench/.out/; with
// COPKIT_BENCH_DISPATCHER_ONLY=copkit or raw, that side's rounds alone).
//
// Measured (same machine, one run after another; the ratio moves by about 0.1 between runs):
// before the lean send path 0.39-0.58x throughput, 0.48-0.51x CPU (busy machine); after it (a
// batch worked by `concurrency` workers, one send timer per batch, a light abort signal, cached
// date formatters) 0.62-0.80x / 0.66-0.80x (quiet); with the default batch of 100 events
// instead of 20 (fewer batch ends where the pool waits) 0.69-0.85x / 0.74-0.77x. Then, with the
// values the dispatcher builds from a decoded notification no longer checked a second time, and the
// in-memory store's single writes taking no lock while no transaction runs (the dispatcher's own
// path with a mailer that does nothing: about 285 -> 225 us per message), 0.78-0.83x / 0.69-0.77x
// (four runs, a busier machine). What is left is not one thing: the fiber runtime, the templates,
// the store's encode and decode, and a per-message fork for the send timeout (about 30 us with the
// do-nothing mailer) cost about 230 us per message on their own, and about twice that beside
// nodemailer (its own work grows too, sharing the caches and the collector with ours).
// Later (a quiet machine, the same day, one run after another): 0.79/0.80, 0.79/0.78, 0.79/0.81,
// 0.73/0.68, 0.74/0.75, 0.76/0.76, 0.69/0.74, 0.79/0.77, and in a whole `pnpm bench` 0.84/0.80. Each
// side alone (COPKIT_BENCH_DISPATCHER_ONLY) moved from a median of 1,509 to 2,260 µs per message for
// raw within a minute: the machine, not the code. With the do-nothing mailer, the per-message fork
// costs 35-45 µs (5 interleaved pairs of processes, 1,500 messages x 10 rounds); it stays, as the only
// way to abandon one hung send of any mailer without stopping the rest. An empty attachment list
// handed to nodemailer cost 12-17 µs of its work per message (gone); the Message-ID's length makes
// nodemailer fold the header (8-27 µs), left as it is: the ids of messages already sent would change.
import { spawn, spawnSync } from "node:child_process"
import { once } from "node:events"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import { bundle } from "./bundle.mjs"

const here = (path) => fileURLToPath(new URL(path, import.meta.url))
const script = here("./.out/dispatcher.scenarios.mjs")
const args = process.argv.slice(2)
const quick = args.includes("--quick")
const json = args.includes("--json")

await bundle("dispatcher.scenarios.mjs", { nodePaths: ["../packages/email-smtp/node_modules"] })

const rounds = Math.max(3, Number(process.env.COPKIT_BENCH_DISPATCHER_ROUNDS ?? (quick ? 5 : 7)))
const messages = Number(process.env.COPKIT_BENCH_DISPATCHER_MESSAGES ?? (quick ? 200 : 400))

// the server, in its own process: its first line is its port
const sink = spawn(process.execPath, [script, "sink"], { stdio: ["ignore", "pipe", "inherit"] })
const [portLine] = await once(createInterface({ input: sink.stdout }), "line")
const port = Number(portLine)

let out
try {
  out = spawnSync(
    process.execPath,
    [
      "--expose-gc",
      ...(process.env.COPKIT_BENCH_DISPATCHER_PROFILE === "1" ? ["--cpu-prof", `--cpu-prof-dir=${here("./.out")}`] : []),
      script,
      "client",
      String(port)
    ],
    {
      encoding: "utf8",
      env: { ...process.env, COPKIT_BENCH_DISPATCHER_ROUNDS: String(rounds), COPKIT_BENCH_DISPATCHER_MESSAGES: String(messages) },
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 16 * 1024 * 1024
    }
  )
} finally {
  sink.kill("SIGTERM")
}
if (out.status !== 0) {
  console.error(`the dispatcher benchmark's client failed with exit code ${out.status}`)
  process.exit(1)
}

const results = out.stdout.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l))
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
const side = (name) => {
  const runs = results.filter((r) => r.side === name)
  return {
    perSecond: median(runs.map((r) => r.perSecond)),
    cpuMicrosPerMessage: median(runs.map((r) => r.cpuMicrosPerMessage)),
    spread: [Math.min(...runs.map((r) => r.perSecond)), Math.max(...runs.map((r) => r.perSecond))]
  }
}
const copkit = side("copkit")
const raw = side("raw")
const throughput = copkit.perSecond / raw.perSecond
const cpu = raw.cpuMicrosPerMessage / copkit.cpuMicrosPerMessage
const ratio = `ratio dispatcher-smtp throughput=${throughput.toFixed(2)}x cpu=${cpu.toFixed(2)}x`

if (process.env.COPKIT_BENCH_DISPATCHER_ONLY !== undefined) {
  for (const r of results) console.log(JSON.stringify(r))
} else if (json) {
  console.log(JSON.stringify({ rounds, messages, copkit, raw, throughput, cpu }))
} else {
  const pad = (s, n) => String(s).padEnd(n)
  const num = (n) => String(Math.round(n)).padStart(7)
  console.log(`\nDispatcher to a loopback SMTP server (its own process): ${messages} invitations with an .ics per round, median of ${rounds} rounds per side`)
  console.log(`  ${pad("", 52)}${pad("msgs/s", 12)}${pad("(min-max)", 16)}CPU us/msg`)
  const row = (title, m) => console.log(`  ${pad(title, 52)}${num(m.perSecond)}     ${pad(`(${m.spread[0]}-${m.spread[1]})`, 16)}${num(m.cpuMicrosPerMessage)}`)
  row("copkit Dispatcher + SmtpMailer (pooled)", copkit)
  row("raw nodemailer (pooled), same sends in flight", raw)
  console.log(`  copkit/raw: throughput ${throughput.toFixed(2)}x, CPU ${cpu.toFixed(2)}x (aim: >= 0.8x)`)
  console.log(ratio)
}
