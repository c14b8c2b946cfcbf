// The command's configuration readers: what an operator writes in --as, COPKIT_FROM, COPKIT_DATABASE
// and COPKIT_SMTP_URL is read back exactly, and anything else is refused naming the variable.
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Either, Option, Redacted } from "effect"
import fc from "fast-check"
import { Environment } from "../src/index.js"

const id = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,40}$/)

const withEnv = <A, E>(vars: Record<string, string>, effect: Effect.Effect<A, E>) =>
  Effect.runSync(Effect.either(Effect.withConfigProvider(effect, ConfigProvider.fromMap(new Map(Object.entries(vars))))))

describe("Environment.parseActor", () => {
  it("reads back every kind of actor an operator can name", () => {
    fc.assert(fc.property(id, id, (person, region) => {
      expect(Environment.parseActor(`coordinator:${person}`)).toEqual(Either.right({ _tag: "NetworkCoordinator", personId: person }))
      expect(Environment.parseActor(`key-person:${person}@${region}`)).toEqual(Either.right({ _tag: "KeyPerson", personId: person, regionId: region }))
      expect(Environment.parseActor(`organiser:${person}@${region}`)).toEqual(Either.right({ _tag: "RegionalOrganiser", personId: person, regionId: region }))
      expect(Environment.parseActor(`system:${person}`)).toEqual(Either.right({ _tag: "System", name: person }))
    }))
    expect(Environment.parseActor("system")).toEqual(Either.right({ _tag: "System", name: "copkit-cli" }))
  })

  it("refuses anything else with a reason", () => {
    const kinds = ["coordinator", "key-person", "organiser", "system"]
    fc.assert(fc.property(fc.string(), (value) => {
      fc.pre(!kinds.some((k) => value.trim() === k || value.trim().startsWith(`${k}:`)))
      const result = Environment.parseActor(value)
      expect(Either.isLeft(result) && result.left).toMatch(/is not an actor/)
    }))
    for (const value of ["coordinator", "key-person:per_x", "organiser:@twente", "key-person:per x@twente", "coordinator:"]) {
      expect(Either.isLeft(Environment.parseActor(value)), value).toBe(true)
    }
  })
})

describe("Environment.parseSender", () => {
  const address = fc.tuple(fc.stringMatching(/^[a-z0-9._+-]{1,20}$/), fc.stringMatching(/^[a-z0-9]{1,12}$/), fc.constantFrom("nl", "example", "com"))
    .filter(([local]) => !local.startsWith(".") && !local.endsWith(".") && !local.includes(".."))
    .map(([local, domain, tld]) => `${local}@${domain}.${tld}`)
  const name = fc.stringMatching(/^[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ .'-]{0,30}[A-Za-zÀ-ÿ]$/)

  it("reads \"Name <address>\" and a bare address", () => {
    fc.assert(fc.property(name, address, (n, a) => {
      expect(Environment.parseSender(`${n} <${a}>`)).toEqual(Either.right({ name: n, address: a }))
      expect(Environment.parseSender(`"${n}" <${a}>`)).toEqual(Either.right({ name: n, address: a }))
      expect(Environment.parseSender(` ${a} `)).toEqual(Either.right({ address: a }))
    }))
  })

  it("refuses what is not an address", () => {
    fc.assert(fc.property(fc.string().filter((s) => !s.includes("@")), (s) => {
      expect(Either.isLeft(Environment.parseSender(s))).toBe(true)
    }))
    for (const value of ["Kennisnetwerk <>", "<a@b.nl", "a@b", "Fleur <a b@c.nl>"]) {
      expect(Either.isLeft(Environment.parseSender(value)), value).toBe(true)
    }
  })
})

describe("Environment.database", () => {
  it("a postgres:// URL is PostgreSQL, any other value a SQLite file", () => {
    fc.assert(fc.property(fc.stringMatching(/^[a-z0-9_/.-]{1,40}$/).filter((p) => !p.includes("://")), (path) => {
      expect(withEnv({ COPKIT_DATABASE: path }, Environment.database)).toEqual(Either.right({ _tag: "Sqlite", filename: path, prefix: undefined }))
    }))
    const pg = withEnv({ COPKIT_DATABASE: "postgresql://copkit:geheim@db:5432/copkit", COPKIT_DATABASE_SCHEMA: "copkit" }, Environment.database)
    expect(Either.isRight(pg) && pg.right._tag === "Postgres" && Redacted.value(pg.right.url)).toBe("postgresql://copkit:geheim@db:5432/copkit")
    // the URL (and its password) stays out of every printed form
    expect(Either.isRight(pg) && JSON.stringify(pg.right)).not.toContain("geheim")
  })

  it("names the variable that is missing or wrong", () => {
    const cases: ReadonlyArray<readonly [Record<string, string>, string]> = [
      [{}, "COPKIT_DATABASE"],
      [{ COPKIT_DATABASE: "   " }, "COPKIT_DATABASE"],
      [{ COPKIT_DATABASE: "mysql://db/copkit" }, "COPKIT_DATABASE"],
      [{ COPKIT_DATABASE: "copkit.db", COPKIT_DATABASE_SCHEMA: "copkit" }, "COPKIT_DATABASE_SCHEMA"],
      [{ COPKIT_DATABASE: "postgres://db/copkit", COPKIT_DATABASE_SCHEMA: "copkit; drop" }, "COPKIT_DATABASE_SCHEMA"],
      [{ COPKIT_DATABASE: "copkit.db", COPKIT_TABLE_PREFIX: "a-b" }, "COPKIT_TABLE_PREFIX"]
    ]
    for (const [vars, variable] of cases) {
      const result = withEnv(vars, Environment.database)
      expect(Either.isLeft(result) && result.left.variable, JSON.stringify(vars)).toBe(variable)
    }
  })
})

describe("Environment.mail", () => {
  it("reads user and password back from an SMTP URL, whatever characters they hold", () => {
    fc.assert(fc.property(fc.string({ minLength: 1, unit: "grapheme" }), fc.string({ unit: "grapheme" }), fc.integer({ min: 1, max: 65535 }), (user, pass, port) => {
      const url = `smtps://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@smtp.example.nl:${port}`
      const result = withEnv({ COPKIT_SMTP_URL: url }, Environment.mail)
      expect(Either.isRight(result)).toBe(true)
      const mail = Either.getOrThrow(result)
      expect(mail._tag).toBe("Smtp")
      if (mail._tag !== "Smtp") return
      expect(mail.options.host).toBe("smtp.example.nl")
      expect(mail.options.port).toBe(port)
      expect(mail.options.secure).toBe(true)
      expect(mail.options.auth?.user).toBe(user)
      expect(Redacted.value(mail.options.auth!.pass)).toBe(pass)
    }))
  })

  it("reads the variables one by one, a folder of .eml files, or nothing", () => {
    const one = Either.getOrThrow(withEnv({ COPKIT_SMTP_HOST: "smtp.example.nl", COPKIT_SMTP_PORT: "465", COPKIT_SMTP_SECURE: "true", COPKIT_SMTP_USER: "u", COPKIT_SMTP_PASSWORD: "p" }, Environment.mail))
    expect(one._tag === "Smtp" && { ...one.options, auth: one.options.auth?.user }).toEqual({ host: "smtp.example.nl", port: 465, secure: true, auth: "u" })
    expect(Either.getOrThrow(withEnv({ COPKIT_MAIL_DIRECTORY: "outbox" }, Environment.mail))).toEqual({ _tag: "Directory", directory: "outbox" })
    expect(Either.getOrThrow(withEnv({}, Environment.mailOption))).toEqual(Option.none())
  })

  it("refuses two ways at once, a port that is not one, a password without a user", () => {
    const cases: ReadonlyArray<readonly [Record<string, string>, string]> = [
      [{ COPKIT_SMTP_URL: "smtp://h", COPKIT_MAIL_DIRECTORY: "outbox" }, "COPKIT_MAIL_DIRECTORY"],
      [{ COPKIT_SMTP_HOST: "h", COPKIT_SMTP_PORT: "99999" }, "COPKIT_SMTP_PORT"],
      [{ COPKIT_SMTP_HOST: "h", COPKIT_SMTP_SECURE: "maybe" }, "COPKIT_SMTP_SECURE"],
      [{ COPKIT_SMTP_HOST: "h", COPKIT_SMTP_PASSWORD: "p" }, "COPKIT_SMTP_USER"],
      [{ COPKIT_SMTP_PORT: "25" }, "COPKIT_SMTP_HOST"],
      [{ COPKIT_SMTP_URL: "imap://h" }, "COPKIT_SMTP_URL"],
      [{}, "COPKIT_SMTP_URL"]
    ]
    for (const [vars, variable] of cases) {
      const result = withEnv(vars, Environment.mail)
      expect(Either.isLeft(result) && result.left.variable, JSON.stringify(vars)).toBe(variable)
    }
  })
})
