/**
 * The command's configuration, read from the environment (`COPKIT_*` variables). Every reader fails
 * with a {@link ConfigurationError} naming the variable and what is wrong with it; the command turns
 * that into exit code 2.
 *
 * | variable | for | value |
 * |---|---|---|
 * | `COPKIT_DATABASE` | every command but `demo` | a SQLite file path, or a `postgres://` URL |
 * | `COPKIT_DATABASE_SCHEMA` | PostgreSQL | the schema of the tables (created if missing) |
 * | `COPKIT_TABLE_PREFIX` | both | put before every table name (default `copkit_`) |
 * | `COPKIT_SMTP_URL` | `dispatch` | `smtp://user:password@host:port` (`smtps://` for TLS from the first byte) |
 * | `COPKIT_SMTP_HOST`, `_PORT`, `_USER`, `_PASSWORD`, `_SECURE` | `dispatch` | the same, one by one |
 * | `COPKIT_MAIL_DIRECTORY` | `dispatch` | write every message as an `.eml` file there instead of sending it |
 * | `COPKIT_FROM` | `dispatch` | the sender, `Name <address>` or `address` |
 * | `COPKIT_TOKEN_KEY` | `serve`, `token` | the key of the bearer tokens, at least 32 bytes |
 * | `COPKIT_HOST`, `COPKIT_PORT` | `serve` | where to listen (`--host`, `--port` win) |
 * | `COPKIT_CORS_ORIGINS` | `serve` | origins whose pages may call the API, comma-separated, `*` for any (`--cors` wins) |
 * | `COPKIT_CONSUMER` | `dispatch` | the dispatcher's name in its claims (`--consumer` wins) |
 * | `COPKIT_ACTOR` | every command | who the operator acts as (`--as` wins; default `system:copkit-cli`) |
 * | `COPKIT_LINK_KEY` | `serve`, `dispatch` | the key of the answer links, at least 32 bytes (with `COPKIT_PUBLIC_URL`; the same for both commands) |
 * | `COPKIT_PUBLIC_URL` | `serve`, `dispatch` | the server's public address, `https://copkit.example.nl`: where answer links and feed links point |
 * | `COPKIT_CALDAV_URL` | `dispatch` | publish sessions to CalDAV: a calendar collection's URL; `{programmeId}` in it gives every programme a collection of its own |
 * | `COPKIT_CALDAV_USER`, `COPKIT_CALDAV_PASSWORD` | `dispatch` | the CalDAV account (Basic authentication) |
 *
 * @since 0.1.0
 */
import { Config, Effect, Either, Option, Redacted, Schema } from "effect"
import { Actor, Common } from "@copkit/core"
import type { SmtpMailer } from "@copkit/email-smtp"

/** A variable or an option that is missing or not valid. Exit code 2. @category errors */
export class ConfigurationError extends Schema.TaggedError<ConfigurationError>()("ConfigurationError", {
  /** The variable (`COPKIT_DATABASE`) or option (`--format`) at fault. */
  variable: Schema.String,
  message: Schema.String
}) {}

/** Where the data lives. @category models */
export type Database =
  | { readonly _tag: "Sqlite"; readonly filename: string; readonly prefix?: string | undefined }
  | {
    readonly _tag: "Postgres"
    readonly url: Redacted.Redacted<string>
    readonly schema?: string | undefined
    readonly prefix?: string | undefined
  }

/** How messages leave: an SMTP server, or a directory of `.eml` files. @category models */
export type Mail =
  | { readonly _tag: "Smtp"; readonly options: SmtpMailer.Options }
  | { readonly _tag: "Directory"; readonly directory: string }

/** The sender of every message. @category models */
export interface Sender {
  readonly name?: string | undefined
  readonly address: string
}

const variable = (name: string): Effect.Effect<Option.Option<string>> =>
  Config.option(Config.string(name)).pipe(
    Effect.map(Option.map((value) => value.trim())),
    Effect.map(Option.filter((value) => value !== "")),
    // Config.string cannot fail on a present value; a broken provider is not the user's fault
    Effect.orDie
  )

const fail = (name: string, message: string) => Effect.fail(new ConfigurationError({ variable: name, message }))

const required = (name: string, what: string): Effect.Effect<string, ConfigurationError> =>
  Effect.flatMap(variable(name), Option.match({ onNone: () => fail(name, `is not set: ${what}`), onSome: Effect.succeed }))

const isPostgres = (value: string): boolean => /^postgres(ql)?:\/\//i.test(value)

/** Where the data lives, from an explicit value (a SQLite path or a PostgreSQL URL) and the schema and prefix variables. @category constructors */
export const databaseFrom = (value: string): Effect.Effect<Database, ConfigurationError> =>
  Effect.gen(function*() {
    const prefix = Option.getOrUndefined(yield* variable("COPKIT_TABLE_PREFIX"))
    if (prefix !== undefined && !/^[A-Za-z0-9_]+$/.test(prefix)) {
      return yield* fail("COPKIT_TABLE_PREFIX", `must be letters, digits and _ only, not "${prefix}"`)
    }
    const schema = Option.getOrUndefined(yield* variable("COPKIT_DATABASE_SCHEMA"))
    if (isPostgres(value)) {
      if (!URL.canParse(value)) return yield* fail("COPKIT_DATABASE", "is not a valid postgres:// URL")
      if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema)) {
        return yield* fail("COPKIT_DATABASE_SCHEMA", `must be a plain name (letters, digits, _), not "${schema}"`)
      }
      return { _tag: "Postgres", url: Redacted.make(value), schema, prefix } as const
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
      return yield* fail("COPKIT_DATABASE", `must be a SQLite file path or a postgres:// URL, not a ${value.slice(0, value.indexOf(":"))}: URL`)
    }
    if (schema !== undefined) return yield* fail("COPKIT_DATABASE_SCHEMA", "is for PostgreSQL only; COPKIT_DATABASE names a SQLite file")
    return { _tag: "Sqlite", filename: value, prefix } as const
  })

/** `COPKIT_DATABASE` (required): a SQLite file path, or a `postgres://` URL. @category config */
export const database: Effect.Effect<Database, ConfigurationError> = Effect.flatMap(
  required("COPKIT_DATABASE", "a SQLite file path (copkit.db) or a postgres:// URL"),
  databaseFrom
)

/** `COPKIT_DATABASE` when set. @category config */
export const databaseOption: Effect.Effect<Option.Option<Database>, ConfigurationError> = Effect.flatMap(
  variable("COPKIT_DATABASE"),
  Option.match({ onNone: () => Effect.succeedNone, onSome: (value) => Effect.asSome(databaseFrom(value)) })
)

const port = (name: string, value: string): Effect.Effect<number, ConfigurationError> => {
  const n = Number(value)
  return /^\d+$/.test(value) && n >= 0 && n <= 65535 ? Effect.succeed(n) : fail(name, `must be a port number (0 to 65535), not "${value}"`)
}

const flag = (name: string, value: string): Effect.Effect<boolean, ConfigurationError> => {
  const v = value.toLowerCase()
  if (["1", "true", "yes", "on"].includes(v)) return Effect.succeed(true)
  if (["0", "false", "no", "off"].includes(v)) return Effect.succeed(false)
  return fail(name, `must be true or false, not "${value}"`)
}

const smtpFromUrl = (value: string): Effect.Effect<SmtpMailer.Options, ConfigurationError> =>
  Effect.gen(function*() {
    if (!URL.canParse(value)) return yield* fail("COPKIT_SMTP_URL", "is not a URL: smtp://user:password@host:port")
    const url = new URL(value)
    const secure = url.protocol === "smtps:"
    if (!secure && url.protocol !== "smtp:") return yield* fail("COPKIT_SMTP_URL", `must start with smtp:// or smtps://, not ${url.protocol}//`)
    if (url.hostname === "") return yield* fail("COPKIT_SMTP_URL", "names no host")
    const portNumber = url.port === "" ? undefined : yield* port("COPKIT_SMTP_URL", url.port)
    const user = decodeURIComponent(url.username)
    return {
      host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
      port: portNumber,
      secure,
      auth: user === "" ? undefined : { user, pass: Redacted.make(decodeURIComponent(url.password)) }
    }
  })

/**
 * How messages leave: `COPKIT_SMTP_URL`, or `COPKIT_SMTP_HOST` (with `_PORT`, `_USER`, `_PASSWORD`,
 * `_SECURE`), or `COPKIT_MAIL_DIRECTORY`; exactly one of the three. None when nothing is set.
 *
 * @category config
 */
export const mailOption: Effect.Effect<Option.Option<Mail>, ConfigurationError> = Effect.gen(function*() {
  const url = yield* variable("COPKIT_SMTP_URL")
  const host = yield* variable("COPKIT_SMTP_HOST")
  const directory = yield* variable("COPKIT_MAIL_DIRECTORY")
  const set = [
    Option.isSome(url) ? "COPKIT_SMTP_URL" : undefined,
    Option.isSome(host) ? "COPKIT_SMTP_HOST" : undefined,
    Option.isSome(directory) ? "COPKIT_MAIL_DIRECTORY" : undefined
  ].filter((name) => name !== undefined)
  if (set.length > 1) return yield* fail(set[1]!, `set together with ${set[0]}: configure one way of sending mail`)
  if (Option.isSome(directory)) return Option.some({ _tag: "Directory", directory: directory.value } as const)
  if (Option.isSome(url)) return Option.some({ _tag: "Smtp", options: yield* smtpFromUrl(url.value) } as const)
  if (Option.isNone(host)) {
    for (const name of ["COPKIT_SMTP_PORT", "COPKIT_SMTP_USER", "COPKIT_SMTP_PASSWORD", "COPKIT_SMTP_SECURE"]) {
      if (Option.isSome(yield* variable(name))) return yield* fail("COPKIT_SMTP_HOST", `is not set, but ${name} is`)
    }
    return Option.none()
  }
  const portValue = yield* variable("COPKIT_SMTP_PORT")
  const secureValue = yield* variable("COPKIT_SMTP_SECURE")
  const user = yield* variable("COPKIT_SMTP_USER")
  const password = yield* variable("COPKIT_SMTP_PASSWORD")
  if (Option.isSome(password) && Option.isNone(user)) return yield* fail("COPKIT_SMTP_USER", "is not set, but COPKIT_SMTP_PASSWORD is")
  const options: SmtpMailer.Options = {
    host: host.value,
    port: Option.isSome(portValue) ? yield* port("COPKIT_SMTP_PORT", portValue.value) : undefined,
    secure: Option.isSome(secureValue) ? yield* flag("COPKIT_SMTP_SECURE", secureValue.value) : undefined,
    auth: Option.isSome(user) ? { user: user.value, pass: Redacted.make(Option.getOrElse(password, () => "")) } : undefined
  }
  return Option.some({ _tag: "Smtp", options } as const)
})

/** {@link mailOption}, required. @category config */
export const mail: Effect.Effect<Mail, ConfigurationError> = Effect.flatMap(
  mailOption,
  Option.match({
    onNone: () =>
      fail("COPKIT_SMTP_URL", "is not set (nor COPKIT_SMTP_HOST, nor COPKIT_MAIL_DIRECTORY): say where the messages go"),
    onSome: Effect.succeed
  })
)

const isAddress = Schema.is(Common.Email)

/** A sender from `Name <address>` or `address`. @category constructors */
export const parseSender = (value: string): Either.Either<Sender, string> => {
  const named = /^(.*?)\s*<([^<>]+)>$/.exec(value.trim())
  const name = named === null ? undefined : named[1]!.replace(/^"(.*)"$/, "$1").trim()
  const address = (named === null ? value : named[2]!).trim()
  if (!isAddress(address)) return Either.left(`is not an e-mail address ("Name <address>" or "address"): "${value}"`)
  return Either.right(name === undefined || name === "" ? { address } : { name, address })
}

/** `COPKIT_FROM` when set. @category config */
export const senderOption: Effect.Effect<Option.Option<Sender>, ConfigurationError> = Effect.flatMap(
  variable("COPKIT_FROM"),
  Option.match({
    onNone: () => Effect.succeedNone,
    onSome: (value) =>
      Either.match(parseSender(value), { onLeft: (message) => fail("COPKIT_FROM", message), onRight: Effect.succeedSome })
  })
)

/** `COPKIT_FROM` (required): the sender of every message. @category config */
export const sender: Effect.Effect<Sender, ConfigurationError> = Effect.flatMap(
  senderOption,
  Option.match({ onNone: () => fail("COPKIT_FROM", "is not set: the sender, as \"Name <address>\""), onSome: Effect.succeed })
)

/** `COPKIT_TOKEN_KEY` (required by `serve`): the key of the bearer tokens, at least 32 bytes. @category config */
export const tokenKey: Effect.Effect<Redacted.Redacted<string>, ConfigurationError> = Effect.flatMap(
  required("COPKIT_TOKEN_KEY", "the key of the API's bearer tokens, at least 32 bytes (e.g. openssl rand -base64 48)"),
  (key) =>
    Buffer.byteLength(key, "utf8") < 32
      ? fail("COPKIT_TOKEN_KEY", `is ${Buffer.byteLength(key, "utf8")} bytes long; it must be at least 32`)
      : Effect.succeed(Redacted.make(key))
)

/** The answer links' key and the server's public address. @category models */
export interface LinkSettings {
  readonly key: Redacted.Redacted<string>
  readonly baseUrl: string
}

/**
 * `COPKIT_LINK_KEY` and `COPKIT_PUBLIC_URL`, both or neither: with them, `serve` serves answers by
 * link and `dispatch` puts answer links and feed links into the messages. None when neither is set.
 *
 * @category config
 */
export const links: Effect.Effect<Option.Option<LinkSettings>, ConfigurationError> = Effect.gen(function*() {
  const key = yield* variable("COPKIT_LINK_KEY")
  const url = yield* variable("COPKIT_PUBLIC_URL")
  if (Option.isNone(key) && Option.isNone(url)) return Option.none()
  if (Option.isNone(key)) return yield* fail("COPKIT_LINK_KEY", "is not set, but COPKIT_PUBLIC_URL is: set both for answer links, or neither")
  if (Option.isNone(url)) return yield* fail("COPKIT_PUBLIC_URL", "is not set, but COPKIT_LINK_KEY is: set both for answer links, or neither")
  const bytes = Buffer.byteLength(key.value, "utf8")
  if (bytes < 32) return yield* fail("COPKIT_LINK_KEY", `is ${bytes} bytes long; it must be at least 32`)
  if (!URL.canParse(url.value) || !/^https?:$/.test(new URL(url.value).protocol) || new URL(url.value).hostname === "") {
    return yield* fail("COPKIT_PUBLIC_URL", "must be an http(s) URL with a host, as https://copkit.example.nl")
  }
  return Option.some({ key: Redacted.make(key.value), baseUrl: url.value })
})

/** Where the dispatcher publishes sessions over CalDAV. @category models */
export interface CalDavSettings {
  /** A collection's URL; `{programmeId}` in it is replaced by the programme's id. */
  readonly calendarUrl: string
  readonly username?: string | undefined
  readonly password?: Redacted.Redacted<string> | undefined
}

/** The collection URL of a programme: the template with `{programmeId}` replaced, or the one collection. @category config */
export const calendarUrlOf = (settings: CalDavSettings, programmeId: string): string =>
  settings.calendarUrl.replaceAll("{programmeId}", encodeURIComponent(programmeId))

/**
 * `COPKIT_CALDAV_URL` (with `COPKIT_CALDAV_USER` and `COPKIT_CALDAV_PASSWORD`): `dispatch` publishes
 * every scheduled, moved or cancelled session to the programme's CalDAV collection as well. The
 * collections must exist. None when `COPKIT_CALDAV_URL` is not set.
 *
 * @category config
 */
export const calDav: Effect.Effect<Option.Option<CalDavSettings>, ConfigurationError> = Effect.gen(function*() {
  const url = yield* variable("COPKIT_CALDAV_URL")
  const user = yield* variable("COPKIT_CALDAV_USER")
  const password = yield* variable("COPKIT_CALDAV_PASSWORD")
  if (Option.isNone(url)) {
    if (Option.isSome(user) || Option.isSome(password)) {
      return yield* fail("COPKIT_CALDAV_URL", "is not set, but COPKIT_CALDAV_USER or COPKIT_CALDAV_PASSWORD is: name the calendar collection")
    }
    return Option.none()
  }
  const example = calendarUrlOf({ calendarUrl: url.value }, "prg_example")
  if (!URL.canParse(example) || !/^https?:$/.test(new URL(example).protocol) || new URL(example).hostname === "") {
    return yield* fail("COPKIT_CALDAV_URL", "must be an http(s) URL of a calendar collection, as https://dav.example.nl/kennisnetwerk/{programmeId}/")
  }
  if (new URL(example).username !== "") {
    return yield* fail("COPKIT_CALDAV_URL", "must not carry a user name or password: use COPKIT_CALDAV_USER and COPKIT_CALDAV_PASSWORD")
  }
  if (Option.isSome(password) && Option.isNone(user)) return yield* fail("COPKIT_CALDAV_USER", "is not set, but COPKIT_CALDAV_PASSWORD is")
  return Option.some({
    calendarUrl: url.value,
    username: Option.getOrUndefined(user),
    password: Option.isSome(password) ? Redacted.make(password.value) : undefined
  })
})

/** A port from `COPKIT_PORT` when set. @category config */
export const portOption = (name = "COPKIT_PORT"): Effect.Effect<Option.Option<number>, ConfigurationError> =>
  Effect.flatMap(variable(name), Option.match({ onNone: () => Effect.succeedNone, onSome: (v) => Effect.asSome(port(name, v)) }))

/** A variable's value when set (trimmed, empty counts as unset). @category config */
export const optional = (name: string): Effect.Effect<Option.Option<string>> => variable(name)

/** The operator's actor when none is named: a System actor. @category constants */
export const defaultActor: Actor.Actor = Actor.make({ _tag: "System", name: "copkit-cli" })

const decodeActor = Schema.decodeUnknownEither(Actor.Actor)

/**
 * Who the operator acts as, from `--as` or `COPKIT_ACTOR`:
 * `system[:name]`, `coordinator:<personId>`, `key-person:<personId>@<regionId>`,
 * `organiser:<personId>@<regionId>`. Left: what is wrong.
 *
 * @category constructors
 */
export const parseActor = (value: string): Either.Either<Actor.Actor, string> => {
  const [kind = "", rest] = value.trim().split(/:(.*)/s, 2)
  const inRegion = (tag: "KeyPerson" | "RegionalOrganiser") => {
    const at = rest?.lastIndexOf("@") ?? -1
    if (rest === undefined || at <= 0) return Either.left(`${kind} needs a person and a region: ${kind}:<personId>@<regionId>`)
    return Either.right({ _tag: tag, personId: rest.slice(0, at), regionId: rest.slice(at + 1) })
  }
  const input: Either.Either<unknown, string> = kind === "system"
    ? Either.right({ _tag: "System", name: rest ?? "copkit-cli" })
    : kind === "coordinator"
    ? rest === undefined ? Either.left("coordinator needs a person: coordinator:<personId>") : Either.right({ _tag: "NetworkCoordinator", personId: rest })
    : kind === "key-person"
    ? inRegion("KeyPerson")
    : kind === "organiser"
    ? inRegion("RegionalOrganiser")
    : Either.left(`"${value}" is not an actor: system[:name], coordinator:<personId>, key-person:<personId>@<regionId> or organiser:<personId>@<regionId>`)
  return Either.flatMap(input, (i) => Either.mapLeft(decodeActor(i), () => `"${value}" is not a valid actor (a person id, a region id?)`))
}

/** The actor from the `--as` option, else `COPKIT_ACTOR`, else {@link defaultActor}. @category config */
export const actor = (option: Option.Option<string>): Effect.Effect<Actor.Actor, ConfigurationError> =>
  Effect.gen(function*() {
    const fromEnv = yield* variable("COPKIT_ACTOR")
    const [name, value] = Option.isSome(option)
      ? ["--as", option.value] as const
      : Option.isSome(fromEnv)
      ? ["COPKIT_ACTOR", fromEnv.value] as const
      : [undefined, undefined]
    if (value === undefined) return defaultActor
    return yield* Either.match(parseActor(value), { onLeft: (message) => fail(name!, message), onRight: Effect.succeed })
  })
