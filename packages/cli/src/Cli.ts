/**
 * The `copkit` command on `@effect/cli`: the jobs an operator runs from a shell or cron, configured
 * from the environment (see `Environment`). {@link main} runs the command tree
 * on the arguments on Node with signal handling and exit codes (see `ExitCode`), as the `copkit` binary does.
 *
 * ```sh
 * export COPKIT_DATABASE=/var/lib/copkit/copkit.db
 * copkit migrate
 * copkit report prg_x --format md
 * ```
 *
 * @since 0.1.0
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { hostname } from "node:os"
import { dirname, join, resolve } from "node:path"
import { Args, Command, Options } from "@effect/cli"
import type { HttpServer } from "@effect/platform"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { Console, Context, Deferred, Duration, Effect, FiberId, Layer, Logger, Option, Schema } from "effect"
import { Actor, FollowUp, PersonalData, Programmes, Report, ReportRender, Sessions, Settings } from "@copkit/core"
import type { Dispatcher } from "@copkit/core"
import { Dispatcher as DispatcherModule } from "@copkit/core"
import * as Environment from "./Environment.js"
import * as Demo from "./internal/demo.js"
import * as Layers from "./internal/layers.js"
import { awaitStop, describeExit, StopSignal, stoppable, UsageError } from "./internal/outcome.js"

// ---------------------------------------------------------------------------------------------
// Output: results to stdout, progress and errors to stderr
// ---------------------------------------------------------------------------------------------

const write = (text: string) => Effect.sync(() => void process.stdout.write(text.endsWith("\n") ? text : `${text}\n`))

/** A progress line on stderr: `copkit <command>: text`. */
const progress = (command: string) => (text: string) => Console.error(`copkit ${command}: ${text}`)

/** Writes a result to `--out` (creating the folder) or to stdout. */
const output = (command: string, out: Option.Option<string>, text: string) =>
  Option.match(out, {
    onNone: () => write(text),
    onSome: (file) =>
      Effect.try({
        try: () => {
          mkdirSync(dirname(resolve(file)), { recursive: true })
          writeFileSync(file, text.endsWith("\n") ? text : `${text}\n`)
        },
        catch: (e) => new UsageError({ message: `--out ${file}: cannot write the file: ${e instanceof Error ? e.message : String(e)}` })
      }).pipe(Effect.zipRight(progress(command)(`written to ${file}`)))
  })

// ---------------------------------------------------------------------------------------------
// Options shared by the commands
// ---------------------------------------------------------------------------------------------

const asOption = Options.text("as").pipe(
  Options.withDescription(
    "Who the operator acts as: system[:name] (the default, system:copkit-cli), coordinator:<personId>, key-person:<personId>@<regionId> or organiser:<personId>@<regionId>. Falls back to COPKIT_ACTOR."
  ),
  Options.optional
)

const outOption = Options.text("out").pipe(
  Options.withAlias("o"),
  Options.withDescription("Write the result to this file instead of stdout."),
  Options.optional
)

/** The services on the configured database, as the operator's actor. */
const withServices = <A, E, R>(as: Option.Option<string>, work: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const database = yield* Environment.database
    const actor = yield* Environment.actor(as)
    return yield* work.pipe(Actor.as(actor), Effect.provide(Layers.services(database)))
  })

// ---------------------------------------------------------------------------------------------
// The commands
// ---------------------------------------------------------------------------------------------

const migrate = Command.make("migrate", {}, () =>
  Effect.gen(function*() {
    const database = yield* Environment.database
    const log = progress("migrate")
    yield* log(database._tag === "Sqlite" ? `SQLite file ${database.filename}` : `PostgreSQL${database.schema === undefined ? "" : `, schema ${database.schema}`}`)
    const ran = yield* stoppable(Layers.migrate(database))
    yield* write(ran.length === 0 ? "up to date: no migrations to run" : `ran ${ran.length} migration(s): ${ran.map(([id, name]) => `${String(id).padStart(4, "0")}_${name}`).join(", ")}`)
  })).pipe(Command.withDescription("Runs the database migrations not yet run (COPKIT_DATABASE). Running it again does nothing."))

/** @copkit/http, loaded by the commands that need it (it takes a while: the other commands start faster without it). */
const http = Effect.promise(() => import("@copkit/http"))

/** The server's address as a URL; every address (`::`, `0.0.0.0`) as localhost. */
const where = (address: HttpServer.Address): string => {
  if (address._tag === "UnixAddress") return `unix://${address.path}`
  const every = address.hostname === "::" || address.hostname === "0.0.0.0"
  const host = every ? "localhost" : address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname
  return `http://${host}:${address.port}`
}

const serve = Command.make("serve", {
  host: Options.text("host").pipe(Options.withDescription("The address to listen on (default: every address). Falls back to COPKIT_HOST."), Options.optional),
  port: Options.integer("port").pipe(Options.withDescription("The port (default 8080; 0 picks a free one). Falls back to COPKIT_PORT."), Options.optional),
  cors: Options.text("cors").pipe(
    Options.withDescription("The origins whose web pages may call the API, comma-separated (* for any). Off by default. Falls back to COPKIT_CORS_ORIGINS."),
    Options.optional
  )
}, ({ cors, host, port }) =>
  Effect.gen(function*() {
    const log = progress("serve")
    const database = yield* Environment.database
    const key = yield* Environment.tokenKey
    const chosenPort = Option.isSome(port) ? port.value : Option.getOrElse(yield* Environment.portOption(), () => 8080)
    if (chosenPort < 0 || chosenPort > 65535) return yield* new UsageError({ message: `--port must be 0 to 65535, not ${chosenPort}` })
    const hostValue = Option.isSome(host) ? host.value : Option.getOrUndefined(yield* Environment.optional("COPKIT_HOST"))
    const origins = Option.isSome(cors) ? cors : yield* Environment.optional("COPKIT_CORS_ORIGINS")
    const allowedOrigins = Option.map(origins, (value) => value.split(",").map((o) => o.trim()).filter((o) => o !== ""))
    const links = Option.getOrUndefined(yield* Environment.links)
    const { Authenticator, Server, Tokens } = yield* http
    const { HttpServer: ServerTag } = yield* Effect.promise(() => import("@effect/platform/HttpServer"))
    const server = Server.layer({
      port: chosenPort,
      host: hostValue,
      cors: Option.match(allowedOrigins, {
        onNone: () => undefined,
        onSome: (list) => (list.includes("*") ? true : { allowedOrigins: list })
      }),
      links
    }).pipe(
      Layer.provide(Authenticator.layerTokens),
      Layer.provide(Tokens.layer({ key })),
      Layer.provide(Layers.services(database))
    )
    yield* Effect.scoped(Effect.gen(function*() {
      const context = yield* Layer.build(server)
      const address = where(Context.get(context, ServerTag).address)
      yield* log(`the API listens on ${address} (OpenAPI at ${address}/openapi.json, reference at ${address}/docs); stop with SIGTERM or Ctrl-C`)
      yield* log(links === undefined
        ? "private feeds at /feeds/<token>.ics; answers by link are off (set COPKIT_LINK_KEY and COPKIT_PUBLIC_URL)"
        : `private feeds at /feeds/<token>.ics; answers by link at /links/answer/<token> (links point to ${links.baseUrl})`)
      const signal = yield* awaitStop
      yield* log(`${signal}: closing the server`)
    }))
    yield* log("stopped")
  })).pipe(Command.withDescription("Serves the HTTP API of @copkit/http, private feeds and (with COPKIT_LINK_KEY and COPKIT_PUBLIC_URL) answers by link, until SIGTERM or SIGINT (COPKIT_DATABASE, COPKIT_TOKEN_KEY)."))

const emptyReport: Dispatcher.BatchReport = { claimed: 0, completed: 0, released: 0, sent: 0, retrying: 0, dead: 0, skipped: 0, conflicts: 0 }
const addReports = (a: Dispatcher.BatchReport, b: Dispatcher.BatchReport): Dispatcher.BatchReport => ({
  claimed: a.claimed + b.claimed,
  completed: a.completed + b.completed,
  released: a.released + b.released,
  sent: a.sent + b.sent,
  retrying: a.retrying + b.retrying,
  dead: a.dead + b.dead,
  skipped: a.skipped + b.skipped,
  conflicts: a.conflicts + b.conflicts
})
const describeBatch = (r: Dispatcher.BatchReport) =>
  `${r.claimed} event(s): ${r.sent} sent, ${r.retrying} to retry, ${r.dead} dead, ${r.skipped} skipped, ${r.released} released`

/** Claims batch after batch until none is left; progress per batch. */
const pass = (dispatcher: Dispatcher.Dispatcher, log: (text: string) => Effect.Effect<void>) =>
  Effect.gen(function*() {
    let total = emptyReport
    for (;;) {
      const batch = yield* dispatcher.runOnce
      if (batch.claimed === 0) return total
      total = addReports(total, batch)
      yield* log(`batch of ${describeBatch(batch)}`)
    }
  })

const dispatch = Command.make("dispatch", {
  once: Options.boolean("once").pipe(Options.withDescription("One pass: deliver what is due now, then stop.")),
  consumer: Options.text("consumer").pipe(
    Options.withDescription("This dispatcher's name in its claims (default copkit-<host>). Falls back to COPKIT_CONSUMER."),
    Options.optional
  )
}, ({ consumer, once }) =>
  Effect.gen(function*() {
    const log = progress("dispatch")
    const database = yield* Environment.database
    const mail = yield* Environment.mail
    const from = yield* Environment.sender
    const fromEnv = yield* Environment.optional("COPKIT_CONSUMER")
    const name = Option.getOrElse(Option.orElse(consumer, () => fromEnv), () => `copkit-${hostname()}`)
    const links = yield* Environment.links
    const calDav = yield* Environment.calDav
    // with a CalDAV collection: every scheduled, moved or cancelled session is published there too
    const channels = Option.isNone(calDav) ? Layers.mailer(mail) : Layer.merge(Layers.mailer(mail), Layers.calendarChannel(calDav.value))
    // with the link key and the public address: answer links and feed links in the messages
    const linkLayer = Option.isNone(links) ? Layer.empty : Layer.unwrapEffect(Effect.map(http, (h) => h.Links.layer(links.value)))
    yield* Effect.gen(function*() {
      const dispatcher = yield* DispatcherModule.make({ consumer: name, from })
      if (once) {
        const total = yield* stoppable(pass(dispatcher, log))
        yield* write(`dispatched ${describeBatch(total)}`)
        return
      }
      const settings = (yield* Settings.Settings).dispatcher
      yield* log(`${name} delivers the outbox until SIGTERM or Ctrl-C (sending as ${from.address}${Option.isSome(calDav) ? `; publishing sessions to ${calDav.value.calendarUrl}` : ""})`)
      const loop = Effect.forever(
        pass(dispatcher, log).pipe(
          Effect.catchAll((e) => log(`StorageError (${e.operation}): ${e.message}; trying again`)),
          Effect.zipRight(Effect.sleep(settings.pollIntervalMillis))
        )
      )
      const signal = yield* Effect.raceFirst(loop, awaitStop)
      yield* log(`${signal}: stopped; claimed work not yet delivered was released`)
    }).pipe(Effect.provide(channels.pipe(Layer.provideMerge(Layers.services(database).pipe(Layer.provide(linkLayer))))))
  })).pipe(Command.withDescription(
    "Delivers the outbox by e-mail until SIGTERM or SIGINT, or one pass with --once (COPKIT_DATABASE, COPKIT_SMTP_URL or COPKIT_SMTP_HOST or COPKIT_MAIL_DIRECTORY, COPKIT_FROM; COPKIT_LINK_KEY and COPKIT_PUBLIC_URL for answer links and feed links; COPKIT_CALDAV_URL, COPKIT_CALDAV_USER and COPKIT_CALDAV_PASSWORD to publish sessions to CalDAV)."
  ))

const reminders = Command.make("reminders", { as: asOption }, ({ as }) =>
  withServices(as, stoppable(Effect.gen(function*() {
    const sessions = yield* Sessions.Sessions
    const followUp = yield* FollowUp.FollowUp
    const programmes = yield* Programmes.Programmes
    const log = progress("reminders")
    const sent = yield* sessions.sendDueReminders()
    yield* log(`${sent.length} session reminder(s)`)
    const run = yield* followUp.runReminders()
    yield* log(`${run.dueSoon.length} agreement(s) due soon, ${run.overdue.length} overdue, ${run.checkIns.length} check-in(s)`)
    const tasks = yield* programmes.sendTaskReminders()
    yield* write(
      `reminders: ${sent.length} session reminder(s), ${run.dueSoon.length} agreement(s) due soon, ${run.overdue.length} overdue, ${run.checkIns.length} follow-up check-in(s), ${tasks} task reminder(s); copkit dispatch sends them`
    )
  })))).pipe(Command.withDescription("Raises the reminders due now (sessions, agreements, follow-up check-ins, tasks); run it daily. copkit dispatch sends them."))

const retention = Command.make("retention", { as: asOption }, ({ as }) =>
  withServices(as, stoppable(Effect.gen(function*() {
    const personalData = yield* PersonalData.PersonalData
    const result = yield* personalData.applyRetention()
    const persons = result.programmes.reduce((n, p) => n + p.persons, 0) + result.applications.reduce((n, a) => n + a.persons, 0)
    yield* write(`retention: ${result.programmes.length} programme(s) and ${result.applications.length} application(s) past the retention period; ${persons} person(s) erased`)
  })))).pipe(Command.withDescription("Erases the people of programmes and applications that ended longer ago than the retention period; run it daily."))

const formats = ["html", "md", "json", "csv"] as const
const encodeReport = Schema.encode(Report.ProgrammeReport)

const report = Command.make("report", {
  programme: Args.text({ name: "programme" }).pipe(Args.withDescription("The programme's id (prg_...).")),
  format: Options.choice("format", formats).pipe(
    Options.withAlias("f"),
    Options.withDescription("html (a standalone page), md (Markdown), json (the report's data) or csv (one table, see --table)."),
    Options.withDefault("md" as const)
  ),
  table: Options.choice("table", ["participants", "attendance", "agreements"] as const).pipe(
    Options.withDescription("The table of a csv report."),
    Options.withDefault("attendance" as const)
  ),
  language: Options.choice("language", ["nl", "en"] as const).pipe(
    Options.withDescription("The language of the labels of html and md."),
    Options.withDefault("nl" as const)
  ),
  out: outOption,
  as: asOption
}, ({ as, format, language, out, programme, table }) =>
  withServices(as, stoppable(Effect.gen(function*() {
    const followUp = yield* FollowUp.FollowUp
    if (format === "csv") return yield* followUp.exportCsv({ programmeId: programme, table })
    const data = yield* followUp.report({ programmeId: programme })
    if (format === "html") return ReportRender.toHtml(data, { language })
    if (format === "md") return ReportRender.toMarkdown(data, { language })
    return JSON.stringify(yield* Effect.orDie(encodeReport(data)), null, 2)
  }))).pipe(Effect.flatMap((text) => output("report", out, text)))).pipe(
    Command.withDescription("A programme's report as html, md, json or csv, to stdout or --out.")
  )

const exportPerson = Command.make("export-person", {
  person: Args.text({ name: "person" }).pipe(Args.withDescription("The person's id (per_...).")),
  out: outOption,
  as: asOption
}, ({ as, out, person }) =>
  withServices(as, stoppable(Effect.gen(function*() {
    const personalData = yield* PersonalData.PersonalData
    return yield* personalData.exportPerson({ personId: person })
  }))).pipe(Effect.flatMap((data) => output("export-person", out, JSON.stringify(data, null, 2))))).pipe(
    Command.withDescription("Everything stored about one person, as JSON (a data subject's access request), to stdout or --out.")
  )

const token = Command.make("token", {
  as: Options.text("as").pipe(Options.withDescription(
    "Whom the token names: coordinator:<personId>, key-person:<personId>@<regionId>, organiser:<personId>@<regionId> or system[:name]."
  )),
  expiresIn: Options.text("expires-in").pipe(
    Options.withDescription("How long the token is valid, as \"8 hours\", \"30 minutes\" or \"7 days\"."),
    Options.withDefault("8 hours")
  )
}, ({ as, expiresIn }) =>
  Effect.gen(function*() {
    const key = yield* Environment.tokenKey
    const actor = yield* Environment.actor(Option.some(as))
    const duration = Duration.decodeUnknown(expiresIn.trim())
    if (Option.isNone(duration) || !Duration.isFinite(duration.value) || Duration.toMillis(duration.value) <= 0) {
      return yield* new UsageError({ message: `--expires-in must be a duration such as "8 hours", not "${expiresIn}"` })
    }
    const expiresAt = new Date(Date.now() + Duration.toMillis(duration.value))
    yield* progress("token")(`for ${Actor.describe(actor)}, valid until ${expiresAt.toISOString()}`)
    const { Tokens } = yield* http
    yield* write(Tokens.make({ key }).sign(actor, expiresAt))
  })).pipe(Command.withDescription("Signs a bearer token for the API of copkit serve (COPKIT_TOKEN_KEY), naming the actor given with --as."))

const demoSender: Environment.Sender = { name: "Kennisnetwerk brede mkb", address: "noreply@kennisnetwerk.example" }

const demo = Command.make("demo", {
  directory: Args.text({ name: "directory" }).pipe(
    Args.withDescription("Where the story's files go (report.html, outbox/, and copkit.db unless COPKIT_DATABASE is set)."),
    Args.withDefault("copkit-demo")
  ),
  noDispatch: Options.boolean("no-dispatch").pipe(Options.withDescription("Leave the outbox for copkit dispatch instead of sending it."))
}, ({ directory, noDispatch }) =>
  Effect.gen(function*() {
    const log = progress("demo")
    yield* Effect.try({
      try: () => mkdirSync(directory, { recursive: true }),
      catch: (e) => new UsageError({ message: `cannot create ${directory}: ${e instanceof Error ? e.message : String(e)}` })
    })
    const database = Option.getOrElse(yield* Environment.databaseOption, (): Environment.Database => ({ _tag: "Sqlite", filename: join(directory, "copkit.db") }))
    const mail = Option.getOrElse(yield* Environment.mailOption, (): Environment.Mail => ({ _tag: "Directory", directory: join(directory, "outbox") }))
    const from = Option.getOrElse(yield* Environment.senderOption, () => demoSender)
    yield* log(`the quickstart's story of one region, from the application to the report, into ${directory}`)
    const result = yield* stoppable(
      Demo.run({ directory, dispatch: !noDispatch, from, progress: (step, text) => log(`${step.padEnd(10)} ${text}`) }).pipe(
        Effect.provide(Layers.mailer(mail).pipe(Layer.provideMerge(Layers.services(database))))
      )
    )
    yield* write([
      `programme: ${result.programmeId}`,
      `application: ${result.applicationId}`,
      `sessions: ${result.sessionIds.join(" ")}`,
      `messages sent: ${result.messagesSent}${mail._tag === "Directory" && !noDispatch ? ` (as .eml files in ${mail.directory})` : ""}`,
      `report: ${result.report}`,
      `database: ${database._tag === "Sqlite" ? database.filename : "COPKIT_DATABASE (PostgreSQL)"}`
    ].join("\n"))
  })).pipe(Command.withDescription("Runs the quickstart's story (one region, from application to report) into a directory, to try copkit out."))

/** The `copkit` command and its subcommands. */
const command = Command.make("copkit", {}, () =>
  new UsageError({ message: "name a command: migrate, serve, token, dispatch, reminders, retention, report, export-person or demo (copkit --help)" })).pipe(
    Command.withDescription("copkit: the jobs of a knowledge network's Communities of Practice, from a shell or cron."),
    Command.withSubcommands([migrate, serve, token, dispatch, reminders, retention, report, exportPerson, demo])
  )

const ansi = /\u001b\[[0-9;]*m/g
const strip = (value: unknown) => (typeof value === "string" ? value.replace(ansi, "") : value)
const colours = (stream: NodeJS.WriteStream) => stream.isTTY === true && process.env["NO_COLOR"] === undefined

/** @effect/cli colours its help and errors: not when the stream is a file or a pipe, or NO_COLOR is set. */
const withoutColours = (console: Console.Console): Console.Console => ({
  ...console,
  log: (...args) => console.log(...(colours(process.stdout) ? args : args.map(strip))),
  error: (...args) => console.error(...(colours(process.stderr) ? args : args.map(strip)))
})

/** The subcommands, in the order `copkit --help` lists them. @category constants */
export const commands: ReadonlyArray<string> = ["migrate", "serve", "token", "dispatch", "reminders", "retention", "report", "export-person", "demo"]

/** What {@link main} needs to know. @category models */
export interface MainOptions {
  /** Shown by `--version`. */
  readonly version: string
}

/**
 * Runs the command on the arguments (`process.argv`: the runtime and script first), on Node, and
 * resolves with the exit code (see `ExitCode`). The first SIGTERM or SIGINT asks the command to
 * stop (a server closes, a dispatcher gives back its claims); a second one ends the process at once.
 * Logs go to stderr.
 *
 * @category running
 */
export const main = (argv: ReadonlyArray<string>, options: MainOptions): Promise<number> => {
  const stop = Deferred.unsafeMake<string>(FiberId.none)
  let signals = 0
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1
    if (signals > 1) process.exit(130)
    Effect.runSync(Deferred.succeed(stop, signal))
  }
  process.on("SIGTERM", onSignal)
  process.on("SIGINT", onSignal)
  const cli = Command.run(command, { name: "copkit", version: options.version })
  const program = Effect.consoleWith((console) => Effect.withConsole(cli(argv), withoutColours(console))).pipe(
    Effect.provide(NodeContext.layer),
    Effect.provideService(StopSignal, stop),
    Effect.provide(Logger.replace(Logger.defaultLogger, Logger.withConsoleError(Logger.logfmtLogger)))
  )
  return Effect.runPromiseExit(program).then((exit) => {
    process.off("SIGTERM", onSignal)
    process.off("SIGINT", onSignal)
    const { code, line } = describeExit(exit)
    if (line !== undefined) process.stderr.write(`copkit: ${line}\n`)
    return code
  })
}
