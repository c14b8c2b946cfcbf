/**
 * Radicale from Debian's packages, started on a free loopback port with a temporary storage
 * folder, for the CalDAV tests; and a raw view of what it stored.
 */
import { CalendarContract } from "@copkit/testing/contracts"
import { Effect, Layer, Option } from "effect"
import { spawn, spawnSync } from "node:child_process"
import { existsSync } from "node:fs"
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"

const python = "/usr/bin/python3"

/** Why the Radicale tests cannot run here, or undefined when they can. */
export const unavailable: string | undefined = !existsSync(python)
  ? `${python} is missing`
  : spawnSync(python, ["-c", "import radicale"], { stdio: "ignore" }).status !== 0
  ? "Radicale is not installed (apt-get install -y radicale)"
  : undefined

export const freePort = Effect.promise(() =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))))
    })
  })
)

export interface Radicale {
  readonly origin: string
  readonly folder: string
  /** A calendar collection, created with MKCALENDAR, owned by `user`. */
  readonly calendarUrl: string
  readonly user: string
  readonly auth: Record<string, string>
}

/** Starts Radicale for the scope; stops it and removes its folder after. */
export const radicale: Effect.Effect<Radicale, never, import("effect").Scope.Scope> = Effect.gen(function*() {
  const port = yield* freePort
  const folder = yield* Effect.acquireRelease(
    Effect.promise(() => mkdtemp(join(tmpdir(), "copkit-radicale-"))),
    (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
  )
  const child = yield* Effect.acquireRelease(
    Effect.sync(() =>
      spawn(python, [
        "-m", "radicale", "-C", "/dev/null",
        "--server-hosts", `127.0.0.1:${port}`,
        "--auth-type", "none",
        "--rights-type", "owner_only",
        "--storage-filesystem-folder", folder
      ], { stdio: ["ignore", "ignore", "pipe"] })
    ),
    (child) =>
      Effect.async<void>((resume) => {
        if (child.exitCode !== null) return resume(Effect.void)
        child.once("exit", () => resume(Effect.void))
        child.kill("SIGTERM")
      })
  )
  let stderr = ""
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000)
  })
  const origin = `http://127.0.0.1:${port}`
  // Ready when GET / answers 302 (a plain loop: the tests' TestClock must not hold it up).
  yield* Effect.tryPromise(async () => {
    const until = Date.now() + 20_000
    while (Date.now() < until) {
      if (child.exitCode !== null) break
      const status = await fetch(`${origin}/`, { redirect: "manual" }).then((r) => r.status, () => 0)
      if (status === 302) return
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    throw new Error("not ready")
  }).pipe(Effect.orDieWith(() => new Error(`Radicale did not start on ${origin}: ${stderr}`)))
  const user = "coordinator"
  const auth = { authorization: `Basic ${Buffer.from(`${user}:secret`).toString("base64")}` }
  const calendarUrl = `${origin}/${user}/copkit/`
  const made = yield* Effect.promise(() => fetch(calendarUrl, { method: "MKCALENDAR", headers: auth }))
  if (made.status !== 201) return yield* Effect.dieMessage(`MKCALENDAR answered ${made.status}`)
  return { origin, folder, calendarUrl, user, auth }
})

/** Reads what Radicale stored, without the adapter: a raw GET, and the file in its storage folder. */
export const serverLayer = (server: Radicale): Layer.Layer<CalendarContract.CalendarServer> =>
  Layer.succeed(CalendarContract.CalendarServer, {
    stored: (url) =>
      Effect.promise(async () => {
        const response = await fetch(url, { headers: server.auth })
        const ics = await response.text()
        if (response.status === 404) return Option.none()
        if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}`)
        return Option.some({ ics, etag: response.headers.get("etag") ?? undefined })
      }),
    overwrite: (url, ics) =>
      Effect.promise(async () => {
        const response = await fetch(url, {
          method: "PUT",
          headers: { ...server.auth, "content-type": "text/calendar; charset=utf-8" },
          body: ics
        })
        await response.arrayBuffer()
        if (response.status >= 300) throw new Error(`PUT ${url} answered ${response.status}`)
      })
  })

/** The `.ics` files in the storage folder of the calendar, by name, as Radicale wrote them to disk. */
export const storedFiles = (server: Radicale) =>
  Effect.promise(async () => {
    const dir = join(server.folder, "collection-root", server.user, "copkit")
    const names = (await readdir(dir)).filter((n) => n.endsWith(".ics"))
    return Object.fromEntries(await Promise.all(names.map(async (n) => [n, await readFile(join(dir, n), "utf8")] as const)))
  })
