// The copkit command as an operator runs it: the BUILT binary (dist/bin.js) as a child process,
// against a SQLite file and against PostgreSQL (a fresh schema), with a loopback SMTP server.
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import packageJson from "../package.json" with { type: "json" }
import {
  dropSchema,
  ensureBuilt,
  environment,
  freshSchema,
  lines,
  parseCsv,
  plain,
  postgresSkipReason,
  postgresUrl,
  run,
  start,
  startSmtp,
  tempDir
} from "./support.js"
import type { TestSmtp } from "./support.js"
import { Effect, Exit, Scope } from "effect"
import { radicale, storedFiles, unavailable as radicaleUnavailable } from "../../calendar-caldav/test/radicale.js"
import type { Radicale } from "../../calendar-caldav/test/radicale.js"

const from = "Kennisnetwerk brede mkb <noreply@kennisnetwerk.example>"
const tokenKey = "a-test-key-of-at-least-32-bytes-long-0123456789"

beforeAll(ensureBuilt, 600_000)

interface Store {
  readonly env: Record<string, string>
  readonly cleanup: () => Promise<void>
}

const stores: ReadonlyArray<{ readonly name: string; readonly skip: boolean; readonly make: (label: string) => Store }> = [
  {
    name: "a SQLite file",
    skip: false,
    make: (label) => {
      const t = tempDir(label)
      return { env: { COPKIT_DATABASE: join(t.dir, "copkit.db") }, cleanup: async () => t.remove() }
    }
  },
  {
    name: "PostgreSQL",
    skip: postgresUrl === undefined,
    make: (label) => {
      const schema = freshSchema(label)
      return { env: { COPKIT_DATABASE: postgresUrl!, COPKIT_DATABASE_SCHEMA: schema }, cleanup: () => dropSchema(schema) }
    }
  }
]
if (postgresUrl === undefined) console.warn(postgresSkipReason)

/** The story of `copkit demo --no-dispatch` into the store; the programme's id. */
const demo = async (env: NodeJS.ProcessEnv, directory: string) => {
  const result = await run(["demo", directory, "--no-dispatch"], env)
  expect(result.stderr).toMatch(/copkit demo: follow-up/)
  expect(result.code).toBe(0)
  const programme = /^programme: (prg_\S+)$/m.exec(result.stdout)?.[1]
  expect(programme).toBeDefined()
  return programme!
}

describe("copkit --help and --version", () => {
  it("lists every command, with exit code 0", async () => {
    const result = await run(["--help"], environment({}))
    expect(result.code).toBe(0)
    const help = plain(result.stdout)
    for (const command of ["migrate", "serve", "token", "dispatch", "reminders", "retention", "report", "export-person", "demo"]) {
      expect(help).toMatch(new RegExp(`- ${command}\\b`))
    }
  })

  it("explains a command's options", async () => {
    const result = await run(["report", "--help"], environment({}))
    expect(result.code).toBe(0)
    const help = plain(result.stdout)
    expect(help).toContain("--format html | md | json | csv")
    expect(help).toContain("--out")
    expect(help).toContain("--as")
    const dispatch = plain((await run(["dispatch", "--help"], environment({}))).stdout)
    expect(dispatch).toContain("--once")
  })

  it("prints the package's version", async () => {
    const result = await run(["--version"], environment({}))
    expect(result.code).toBe(0)
    expect(result.stdout.trim()).toBe(packageJson.version)
  })
})

describe("usage and configuration errors exit with 2 and one clear line", () => {
  const dir = tempDir("config")
  const db = join(dir.dir, "copkit.db")
  afterAll(dir.remove)

  const expectUsage = async (args: ReadonlyArray<string>, vars: Record<string, string>, pattern: RegExp) => {
    const result = await run(args, environment(vars))
    expect(result.code, result.stderr).toBe(2)
    expect(plain(result.stderr)).toMatch(pattern)
    return result
  }

  it("names the missing or wrong variable", async () => {
    const missing = await expectUsage(["migrate"], {}, /^copkit: configuration: COPKIT_DATABASE is not set/m)
    expect(lines(missing.stderr)).toHaveLength(1)
    await expectUsage(["migrate"], { COPKIT_DATABASE: "mysql://localhost/copkit" }, /COPKIT_DATABASE must be a SQLite file path or a postgres:\/\/ URL/)
    await expectUsage(["migrate"], { COPKIT_DATABASE: db, COPKIT_DATABASE_SCHEMA: "copkit" }, /COPKIT_DATABASE_SCHEMA is for PostgreSQL only/)
    await expectUsage(["dispatch", "--once"], { COPKIT_DATABASE: db, COPKIT_FROM: from }, /COPKIT_SMTP_URL is not set/)
    await expectUsage(["dispatch", "--once"], { COPKIT_DATABASE: db, COPKIT_SMTP_URL: "smtp://127.0.0.1:2525" }, /COPKIT_FROM is not set/)
    await expectUsage(["dispatch", "--once"], { COPKIT_DATABASE: db, COPKIT_SMTP_URL: "smtp://127.0.0.1:2525", COPKIT_FROM: "nobody" }, /COPKIT_FROM is not an e-mail address/)
    await expectUsage(
      ["dispatch", "--once"],
      { COPKIT_DATABASE: db, COPKIT_SMTP_URL: "smtp://127.0.0.1:2525", COPKIT_MAIL_DIRECTORY: dir.dir, COPKIT_FROM: from },
      /configure one way of sending mail/
    )
    await expectUsage(["dispatch", "--once"], { COPKIT_DATABASE: db, COPKIT_SMTP_URL: "http://mail.example", COPKIT_FROM: from }, /COPKIT_SMTP_URL must start with smtp:\/\//)
    await expectUsage(["dispatch", "--once"], { COPKIT_DATABASE: db, COPKIT_MAIL_DIRECTORY: dir.dir, COPKIT_FROM: from, COPKIT_CALDAV_URL: "ftp://dav.example/cal/" }, /COPKIT_CALDAV_URL must be an http\(s\) URL of a calendar collection/)
    await expectUsage(["dispatch", "--once"], { COPKIT_DATABASE: db, COPKIT_MAIL_DIRECTORY: dir.dir, COPKIT_FROM: from, COPKIT_CALDAV_URL: "https://me:secret@dav.example/cal/" }, /COPKIT_CALDAV_URL must not carry a user name or password/)
    await expectUsage(["dispatch", "--once"], { COPKIT_DATABASE: db, COPKIT_MAIL_DIRECTORY: dir.dir, COPKIT_FROM: from, COPKIT_CALDAV_PASSWORD: "secret" }, /COPKIT_CALDAV_URL is not set, but COPKIT_CALDAV_USER or COPKIT_CALDAV_PASSWORD is/)
    await expectUsage(["serve"], { COPKIT_DATABASE: db }, /COPKIT_TOKEN_KEY is not set/)
    await expectUsage(["serve"], { COPKIT_DATABASE: db, COPKIT_TOKEN_KEY: "short" }, /COPKIT_TOKEN_KEY is 5 bytes long; it must be at least 32/)
    await expectUsage(["serve"], { COPKIT_DATABASE: db, COPKIT_TOKEN_KEY: tokenKey, COPKIT_LINK_KEY: tokenKey }, /COPKIT_PUBLIC_URL is not set, but COPKIT_LINK_KEY is/)
    await expectUsage(["serve"], { COPKIT_DATABASE: db, COPKIT_TOKEN_KEY: tokenKey, COPKIT_LINK_KEY: tokenKey, COPKIT_PUBLIC_URL: "ftp://x" }, /COPKIT_PUBLIC_URL must be an http\(s\) URL/)
    await expectUsage(["token", "--as", "coordinator:per_c", "--expires-in", "soon"], { COPKIT_TOKEN_KEY: tokenKey }, /--expires-in must be a duration/)
    await expectUsage(["report", "prg_x"], { COPKIT_DATABASE: db, COPKIT_ACTOR: "root" }, /COPKIT_ACTOR "root" is not an actor/)
    await expectUsage(["report", "prg_x", "--as", "key-person:per_x"], { COPKIT_DATABASE: db }, /--as key-person needs a person and a region/)
    // nothing was opened or created on the way
    expect(existsSync(db)).toBe(false)
  }, 120_000)

  it("refuses an unknown command, option or value", async () => {
    await expectUsage([], {}, /name a command/)
    await expectUsage(["frobnicate"], {}, /Invalid subcommand for copkit - use one of 'migrate'/)
    await expectUsage(["report", "prg_x", "--format", "pdf"], { COPKIT_DATABASE: db }, /html, md, json, csv/)
    await expectUsage(["report"], { COPKIT_DATABASE: db }, /programme/)
  }, 60_000)

  it("tells a failure of the work (1) from a usage error: an unreachable database", async () => {
    const result = await run(["migrate"], environment({ COPKIT_DATABASE: "postgres://copkit@127.0.0.1:1/copkit" }))
    expect(result.code).toBe(1)
    expect(lines(result.stderr).at(-1)).toMatch(/^copkit: StorageError \(connect\): /)
  })
})

for (const store of stores) {
  describe.skipIf(store.skip)(`the operator's jobs on ${store.name}`, { timeout: 90_000 }, () => {
    let s: Store
    let env: NodeJS.ProcessEnv
    let smtp: TestSmtp
    let programme: string
    /** How many messages the demo's story gives. */
    let storyMessages = 0
    const dir = tempDir("jobs")

    beforeAll(async () => {
      s = store.make("jobs")
      smtp = await startSmtp()
      env = environment({
        ...s.env,
        COPKIT_SMTP_URL: smtp.url,
        COPKIT_FROM: from,
        // answer links and feed links in the messages
        COPKIT_LINK_KEY: "the answer links' key of the command's tests, 32+ bytes",
        COPKIT_PUBLIC_URL: "https://copkit.example.nl"
      })
    })
    afterAll(async () => {
      await smtp?.close()
      await s?.cleanup()
      dir.remove()
    })

    it("migrate runs the migrations once; a second run finds nothing to do", async () => {
      const first = await run(["migrate"], env)
      expect(first.code, first.stderr).toBe(0)
      expect(first.stdout).toMatch(/^ran \d+ migration\(s\): 0001_create_tables, 0002_intake_rounds/)
      const second = await run(["migrate"], env)
      expect(second.code, second.stderr).toBe(0)
      expect(second.stdout.trim()).toBe("up to date: no migrations to run")
    })

    it("demo puts the quickstart's story into the database; dispatch --once sends its outbox by SMTP, once", async () => {
      programme = await demo(env, join(dir.dir, "demo"))
      expect(existsSync(join(dir.dir, "demo", "report.html"))).toBe(true)
      expect(smtp.received()).toHaveLength(0)

      const once = await run(["dispatch", "--once"], env)
      expect(once.code, once.stderr).toBe(0)
      const sent = Number(/(\d+) sent/.exec(once.stdout)?.[1])
      expect(sent).toBeGreaterThan(10)
      storyMessages = sent
      expect(smtp.received()).toHaveLength(sent)
      expect(new Set(smtp.received().map((m) => m.messageId)).size).toBe(sent)
      expect(smtp.received().flatMap((m) => m.to)).toContain("ilse@bakkerij.example")
      // the invitations carry the answer links (COPKIT_LINK_KEY, COPKIT_PUBLIC_URL)
      const bodies = smtp.received().map((m) => m.raw.replace(/=\r?\n/g, ""))
      expect(bodies.some((b) => b.includes("https://copkit.example.nl/links/answer/"))).toBe(true)
      expect(once.stderr).toMatch(/copkit dispatch: batch of \d+ event\(s\)/)

      const again = await run(["dispatch", "--once"], env)
      expect(again.code, again.stderr).toBe(0)
      expect(again.stdout).toMatch(/dispatched 0 event\(s\): 0 sent/)
      expect(smtp.received()).toHaveLength(sent)
    })

    it("report writes the programme's report in each format", async () => {
      const json = await run(["report", programme, "--format", "json"], env)
      expect(json.code, json.stderr).toBe(0)
      const data = JSON.parse(json.stdout)
      expect(data.programme.id).toBe(programme)
      expect(data.programme.regionName).toBe("Twente")
      expect(data.sessions).toHaveLength(3)

      const csv = await run(["report", programme, "--format", "csv", "--table", "participants"], env)
      expect(csv.code, csv.stderr).toBe(0)
      const rows = parseCsv(csv.stdout.trim())
      expect(rows[0]).toContain("name")
      const names = rows.slice(1).map((r) => r[rows[0]!.indexOf("name")])
      expect(names).toEqual(expect.arrayContaining(["Ilse Mulder", "Tom Smit"]))
      const attendance = parseCsv((await run(["report", programme, "-f", "csv"], env)).stdout.trim())
      expect(attendance[0]).toEqual(expect.arrayContaining(["session_id", "present"]))
      expect(attendance.length).toBeGreaterThan(1)

      const md = await run(["report", programme, "--format", "md", "--language", "en"], env)
      expect(md.code, md.stderr).toBe(0)
      expect(md.stdout).toMatch(/^# .*Twente/)

      const out = join(dir.dir, "reports", "twente.html")
      const html = await run(["report", programme, "--format", "html", "--out", out], env)
      expect(html.code, html.stderr).toBe(0)
      expect(html.stdout).toBe("")
      expect(html.stderr).toContain(`written to ${out}`)
      expect(readFileSync(out, "utf8")).toMatch(/^<!doctype html>/i)
    })

    it("report fails with 1 and the typed error on one line", async () => {
      const missing = await run(["report", "prg_missing"], env)
      expect(missing.code).toBe(1)
      expect(lines(missing.stderr)).toEqual(["copkit: NotFound: Programme prg_missing was not found"])
      const other = await run(["report", programme, "--as", "key-person:per_someone@achterhoek"], env)
      expect(other.code).toBe(1)
      expect(lines(other.stderr)).toEqual([
        "copkit: Forbidden: KeyPerson per_someone of region achterhoek may not programme.report: the resource belongs to another region"
      ])
      const invalid = await run(["export-person", ""], env)
      expect(invalid.code).toBe(1)
      expect(lines(invalid.stderr)).toHaveLength(1)
      expect(invalid.stderr).toMatch(/^copkit: ValidationError: personId \(rule /)
    })

    it("export-person gives everything stored about a person as JSON", async () => {
      const result = await run(["export-person", "per_sanne"], env)
      expect(result.code, result.stderr).toBe(0)
      const data = JSON.parse(result.stdout)
      expect(data.personId).toBe("per_sanne")
      expect(Object.keys(data.entities)).toContain("Application")
      expect(data.events.length).toBeGreaterThan(0)
    })

    it("reminders and retention run as the System actor and say what they did", async () => {
      const reminders = await run(["reminders"], env)
      expect(reminders.code, reminders.stderr).toBe(0)
      expect(reminders.stdout).toMatch(/^reminders: \d+ session reminder\(s\)/)
      const retention = await run(["retention"], env)
      expect(retention.code, retention.stderr).toBe(0)
      expect(retention.stdout).toMatch(/^retention: \d+ programme\(s\) and \d+ application\(s\)/)
    })

    it("dispatch runs until SIGTERM, exits 0 and gives back its claims: the next pass sends the rest at once", async () => {
      const own = store.make("sigterm")
      const slow = await startSmtp({ delayMillis: 300 })
      const demoDir = tempDir("sigterm")
      try {
        const vars = environment({ ...own.env, COPKIT_SMTP_URL: slow.url, COPKIT_FROM: from })
        await demo(vars, demoDir.dir)
        const dispatcher = start(["dispatch", "--consumer", "first"], vars)
        await dispatcher.waitForStderr(/delivers the outbox until SIGTERM/)
        const began = Date.now()
        while (slow.received().length < 2) {
          if (Date.now() - began > 30_000) throw new Error(`nothing was sent: ${dispatcher.stderr()}`)
          await new Promise((r) => setTimeout(r, 20))
        }
        dispatcher.child.kill("SIGTERM")
        const stopped = await dispatcher.exited
        expect(stopped.code, stopped.stderr).toBe(0)
        expect(stopped.stderr).toMatch(/SIGTERM: stopped; claimed work not yet delivered was released/)
        const before = slow.received().length
        expect(before).toBeLessThan(15)

        // claims held to the end of their lease (a minute) would leave this pass nothing to claim
        const rest = await run(["dispatch", "--once", "--consumer", "second"], vars)
        expect(rest.code, rest.stderr).toBe(0)
        const ids = slow.received().map((m) => m.messageId)
        expect(Number(/(\d+) sent/.exec(rest.stdout)?.[1])).toBe(ids.length - before)
        // every message of the story went out, none twice
        expect(ids.length).toBe(storyMessages)
        expect(new Set(ids).size).toBe(ids.length)
        const last = await run(["dispatch", "--once"], vars)
        expect(last.stdout).toMatch(/dispatched 0 event\(s\)/)
        expect(slow.received()).toHaveLength(storyMessages)
      } finally {
        await slow.close()
        await own.cleanup()
        demoDir.remove()
      }
    })
  })
}

describe("copkit serve", () => {
  it("answers /openapi.json and a request with a token from copkit token; stops on SIGTERM with 0; a port in use is a failure (1)", async () => {
    const t = tempDir("serve")
    try {
      const env = environment({ COPKIT_DATABASE: join(t.dir, "copkit.db"), COPKIT_TOKEN_KEY: tokenKey })
      const server = start(["serve", "--host", "127.0.0.1", "--port", "0"], env)
      const [, url] = await server.waitForStderr(/listens on (http:\/\/127\.0\.0\.1:\d+) /)
      const response = await fetch(`${url}/openapi.json`)
      expect(response.status).toBe(200)
      const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> }
      expect(document.openapi).toMatch(/^3\.1/)
      expect(Object.keys(document.paths)).toContain("/personal-data/export-person")
      const unauthenticated = await fetch(`${url}/network/overview`, { method: "POST" })
      expect(unauthenticated.status).toBe(401)
      // copkit token signs a bearer token with the same key
      const signed = await run(["token", "--as", "coordinator:per_coordinator", "--expires-in", "5 minutes"], env)
      expect(signed.code, signed.stderr).toBe(0)
      expect(signed.stderr).toMatch(/for NetworkCoordinator per_coordinator, valid until/)
      const overview = await fetch(`${url}/network/overview`, {
        method: "POST",
        headers: { authorization: `Bearer ${signed.stdout.trim()}`, "content-type": "application/json" },
        body: "{}"
      })
      expect(overview.status, await overview.clone().text()).toBe(200)

      const port = new URL(url!).port
      const second = await run(["serve", "--host", "127.0.0.1", "--port", port], env)
      expect(second.code).toBe(1)
      expect(lines(second.stderr).at(-1)).toMatch(/^copkit: ServeError: cannot listen: .*EADDRINUSE/)

      server.child.kill("SIGTERM")
      const stopped = await server.exited
      expect(stopped.code, stopped.stderr).toBe(0)
      expect(stopped.stderr).toMatch(/SIGTERM: closing the server/)
      expect(stopped.stderr).toMatch(/copkit serve: stopped/)
      await expect(fetch(`${url}/openapi.json`)).rejects.toThrow()
    } finally {
      t.remove()
    }
  })

  it("reads the port, host and CORS origins from the environment, and stops on SIGINT too", async () => {
    const t = tempDir("serve-env")
    try {
      const env = environment({
        COPKIT_DATABASE: join(t.dir, "copkit.db"),
        COPKIT_TOKEN_KEY: tokenKey,
        COPKIT_PORT: "0",
        COPKIT_HOST: "127.0.0.1",
        COPKIT_CORS_ORIGINS: "https://portal.example, https://crm.example"
      })
      const server = start(["serve"], env)
      const [, url] = await server.waitForStderr(/listens on (http:\/\/127\.0\.0\.1:\d+) /)
      expect((await fetch(`${url}/openapi.json`)).status).toBe(200)
      // a portal's page may call the API; another site's may not
      const allowed = await fetch(`${url}/network/overview`, { method: "OPTIONS", headers: { origin: "https://crm.example", "access-control-request-method": "POST" } })
      expect(allowed.headers.get("access-control-allow-origin")).toBe("https://crm.example")
      const refused = await fetch(`${url}/network/overview`, { method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "POST" } })
      expect(refused.headers.get("access-control-allow-origin")).not.toBe("https://evil.example")
      server.child.kill("SIGINT")
      const stopped = await server.exited
      expect(stopped.code, stopped.stderr).toBe(0)
      expect(stopped.stderr).toMatch(/SIGINT: closing the server/)
      expect(readdirSync(t.dir)).toContain("copkit.db")
    } finally {
      t.remove()
    }
  })
})

describe("copkit demo", () => {
  it("with nothing configured writes a SQLite file, the messages as .eml files and the report into the directory", async () => {
    const t = tempDir("demo")
    try {
      const result = await run(["demo", "story"], environment({}), t.dir)
      expect(result.code, result.stderr).toBe(0)
      const sent = Number(/^messages sent: (\d+) \(as \.eml files/m.exec(result.stdout)?.[1])
      expect(sent).toBeGreaterThan(10)
      const story = join(t.dir, "story")
      expect(readdirSync(join(story, "outbox")).filter((f) => f.endsWith(".eml"))).toHaveLength(sent)
      expect(readFileSync(join(story, "report.html"), "utf8")).toContain("Twente")
      const programme = /^programme: (prg_\S+)$/m.exec(result.stdout)?.[1]
      const report = await run(["report", programme!, "-f", "json"], environment({ COPKIT_DATABASE: join(story, "copkit.db") }))
      expect(report.code, report.stderr).toBe(0)
      expect(JSON.parse(report.stdout).programme.id).toBe(programme)
    } finally {
      t.remove()
    }
  }, 60_000)

  it("stopped by SIGTERM before it is done, a one-shot command exits with 130 and says so", async () => {
    const t = tempDir("demo-stop")
    try {
      const demo = start(["demo", "story"], environment({}), t.dir)
      await demo.waitForStderr(/copkit demo: intake/)
      demo.child.kill("SIGTERM")
      const stopped = await demo.exited
      expect(stopped.code).toBe(130)
      expect(lines(stopped.stderr).at(-1)).toBe("copkit: stopped by SIGTERM before the work was done")
      expect(stopped.stdout).toBe("")
    } finally {
      t.remove()
    }
  }, 60_000)
})

if (radicaleUnavailable !== undefined) console.warn(`skipped: copkit dispatch to CalDAV needs Radicale: ${radicaleUnavailable}`)

describe.skipIf(radicaleUnavailable !== undefined)("copkit dispatch publishes the sessions to CalDAV (Radicale)", () => {
  const scope = Effect.runSync(Scope.make())
  let server: Radicale
  const dir = tempDir("caldav")
  beforeAll(async () => {
    server = await Effect.runPromise(Scope.extend(radicale, scope))
  }, 60_000)
  afterAll(async () => {
    await Effect.runPromise(Scope.close(scope, Exit.void))
    dir.remove()
  })

  it("puts every scheduled session into the collection once, beside the e-mails; a second pass changes nothing", async () => {
    const env = environment({
      COPKIT_DATABASE: join(dir.dir, "copkit.db"),
      COPKIT_MAIL_DIRECTORY: join(dir.dir, "outbox"),
      COPKIT_FROM: from,
      COPKIT_CALDAV_URL: server.calendarUrl,
      COPKIT_CALDAV_USER: server.user,
      COPKIT_CALDAV_PASSWORD: "secret"
    })
    await demo(env, join(dir.dir, "demo"))
    const once = await run(["dispatch", "--once"], env)
    expect(once.code, once.stderr).toBe(0)
    expect(Number(/(\d+) sent/.exec(once.stdout)?.[1])).toBeGreaterThan(10)
    const files = await Effect.runPromise(storedFiles(server))
    const events = Object.values(files)
    expect(events.length).toBeGreaterThan(0)
    for (const ics of events) {
      expect(ics).toMatch(/BEGIN:VEVENT/)
      expect(ics).toMatch(/UID:/)
    }
    // one event per session: no UID twice
    const uids = events.map((ics) => /^UID:(.*)$/m.exec(ics)?.[1]?.trim())
    expect(new Set(uids).size).toBe(events.length)

    const again = await run(["dispatch", "--once"], env)
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toMatch(/dispatched 0 event\(s\)/)
    expect(Object.keys(await Effect.runPromise(storedFiles(server)))).toEqual(Object.keys(files))
  })
})
