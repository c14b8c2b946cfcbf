/** Test support: the BUILT `copkit` binary as a child process, a loopback SMTP server, fresh stores. */
import { spawn, spawnSync } from "node:child_process"
import type { ChildProcess } from "node:child_process"
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import Pg from "pg"
import { SMTPServer } from "smtp-server"

/** The binary as built by `pnpm build` (tests run after the build, as in CI). */
export const bin = fileURLToPath(new URL("../dist/bin.js", import.meta.url))

const packageDir = fileURLToPath(new URL("..", import.meta.url))
const newest = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
    const path = join(dir, entry.name)
    return Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs)
  }, 0)

/**
 * The tests run the built binary. CI builds first (`pnpm build`); a `pnpm test` straight after the
 * install builds the command and the packages it needs here, and a source newer than the binary
 * rebuilds the command (a dependency changed since its build is not noticed: build it yourself).
 */
export const ensureBuilt = () => {
  const workspacePackages = ["core", "storage-sql", "storage-sqlite", "storage-postgres", "email-smtp", "calendar-ical", "http"]
  const missing = !existsSync(bin) ||
    workspacePackages.some((name) => !existsSync(join(packageDir, "..", name, "dist", "index.js")))
  const stale = !missing && newest(join(packageDir, "src")) > statSync(bin).mtimeMs
  if (!missing && !stale) return
  const filter = missing ? "@copkit/cli..." : "@copkit/cli"
  console.warn(`copkit command tests: building ${filter} first (${missing ? "not built" : "the sources changed"})`)
  const result = spawnSync("pnpm", ["--filter", filter, "run", "build"], { cwd: packageDir, stdio: "inherit" })
  if (result.status !== 0 || !existsSync(bin)) throw new Error(`${bin} could not be built: run pnpm build first (the tests run the built binary)`)
}

/** The PostgreSQL test server, from the environment; the PostgreSQL tests are skipped without it. */
export const postgresUrl = process.env["COPKIT_TEST_POSTGRES_URL"]
export const postgresSkipReason =
  "copkit command's PostgreSQL tests skipped: COPKIT_TEST_POSTGRES_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test)"

/** A schema name of its own for each test. */
export const freshSchema = (label: string) =>
  `copkit_cli_${label}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`

export const dropSchema = async (schema: string) => {
  const client = new Pg.Client({ connectionString: postgresUrl })
  await client.connect()
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  } finally {
    await client.end()
  }
}

/** Runs one SQL query on the test server. */
export const query = async <R extends Record<string, unknown>>(text: string): Promise<Array<R>> => {
  const client = new Pg.Client({ connectionString: postgresUrl })
  await client.connect()
  try {
    return (await client.query<R>(text)).rows
  } finally {
    await client.end()
  }
}

/** A temporary folder, removed by the returned function. */
export const tempDir = (label: string) => {
  const dir = mkdtempSync(join(tmpdir(), `copkit-cli-${label}-`))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** The environment of a child: the machine's, without any COPKIT_ variable of the test runner, plus these. */
export const environment = (vars: Record<string, string | undefined>): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("COPKIT_") && k !== "NODE_OPTIONS") env[k] = v
  for (const [k, v] of Object.entries(vars)) if (v !== undefined) env[k] = v
  return env
}

/** Strips ANSI colour codes (the help of @effect/cli is coloured). */
export const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, "")

export interface Result {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/** A running `copkit` process. */
export interface Running {
  readonly child: ChildProcess
  readonly stdout: () => string
  readonly stderr: () => string
  /** Resolves when stderr matches (rejects after the timeout or when the process ends first). */
  readonly waitForStderr: (pattern: RegExp, timeoutMillis?: number) => Promise<RegExpMatchArray>
  readonly exited: Promise<Result>
}

export const start = (args: ReadonlyArray<string>, env: NodeJS.ProcessEnv, cwd?: string): Running => {
  const child = spawn(process.execPath, [bin, ...args], { env, cwd, stdio: ["ignore", "pipe", "pipe"] })
  let stdout = ""
  let stderr = ""
  child.stdout!.setEncoding("utf8").on("data", (c: string) => void (stdout += c))
  child.stderr!.setEncoding("utf8").on("data", (c: string) => void (stderr += c))
  const exited = new Promise<Result>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }))
  )
  const waitForStderr = (pattern: RegExp, timeoutMillis = 30_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const started = Date.now()
      const poll = () => {
        const match = pattern.exec(stderr)
        if (match !== null) return resolve(match)
        if (child.exitCode !== null || child.signalCode !== null) {
          return reject(new Error(`copkit ${args.join(" ")} ended (${child.exitCode ?? child.signalCode}) before ${pattern}: ${stderr}`))
        }
        if (Date.now() - started > timeoutMillis) return reject(new Error(`no ${pattern} on stderr after ${timeoutMillis} ms: ${stderr}`))
        setTimeout(poll, 50)
      }
      poll()
    })
  return { child, stdout: () => stdout, stderr: () => stderr, waitForStderr, exited }
}

/** Runs `copkit args...` to the end. */
export const run = (args: ReadonlyArray<string>, env: NodeJS.ProcessEnv, cwd?: string): Promise<Result> => start(args, env, cwd).exited

/** The lines a command wrote to stderr, without empty ones. */
export const lines = (text: string) => text.split("\n").filter((l) => l.trim() !== "")

// --- a loopback SMTP server -------------------------------------------------------------------

export interface Received {
  readonly to: ReadonlyArray<string>
  readonly messageId: string | undefined
  readonly raw: string
}

export interface TestSmtp {
  readonly port: number
  readonly url: string
  readonly received: () => ReadonlyArray<Received>
  readonly close: () => Promise<void>
}

/** `smtp-server` on 127.0.0.1 (no TLS, no auth); each message is accepted after `delayMillis`. */
export const startSmtp = (options: { readonly delayMillis?: number } = {}): Promise<TestSmtp> =>
  new Promise((resolve) => {
    const received: Array<Received> = []
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Array<Buffer> = []
        stream.on("data", (c: Buffer) => chunks.push(c))
        stream.on("end", () => {
          const raw = Buffer.concat(chunks).toString("utf8")
          const messageId = /^Message-ID:\s*(\S+)/im.exec(raw)?.[1]
          setTimeout(() => {
            received.push({ to: session.envelope.rcptTo.map((r) => r.address), messageId, raw })
            callback()
          }, options.delayMillis ?? 0)
        })
      }
    })
    server.listen(0, "127.0.0.1", () => {
      const address = server.server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      resolve({
        port,
        url: `smtp://127.0.0.1:${port}`,
        received: () => [...received],
        close: () =>
          new Promise<void>((done) => {
            for (const c of (server as unknown as { connections: Set<{ _socket?: { destroy: () => void } }> }).connections) {
              c._socket?.destroy()
            }
            server.close(() => done())
          })
      })
    })
  })

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF). */
export const parseCsv = (text: string): Array<Array<string>> => {
  const rows: Array<Array<string>> = []
  let row: Array<string> = []
  let field = ""
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === "\"" && text[i + 1] === "\"") {
        field += "\""
        i++
      } else if (c === "\"") quoted = false
      else field += c
    } else if (c === "\"") quoted = true
    else if (c === ",") {
      row.push(field)
      field = ""
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++
      row.push(field)
      rows.push(row)
      row = []
      field = ""
    } else field += c
  }
  if (field !== "" || row.length > 0) {
    row.push(field)
    rows.push(row)
  }
  return rows
}
