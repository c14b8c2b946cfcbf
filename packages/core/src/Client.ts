/**
 * The Promise facade, for teams that do not use Effect: the same services as async functions
 * taking the actor first and the same plain input, typed from the same declarations. A failure
 * rejects with the same error class the Effect API fails with (`ValidationError`, `Forbidden`,
 * ...), so `instanceof` and the error's fields work as usual.
 *
 * ```ts
 * import { Client } from "@copkit/core"
 * import { SqliteStore } from "@copkit/storage-sqlite"
 *
 * const copkit = Client.make({ storage: SqliteStore.layer({ filename: "copkit.db" }) })
 * const draft = await copkit.intake.create(actor, { region, contact, motivation, urgency, keyPersons })
 * await copkit.dispose()
 * ```
 *
 * @since 0.1.0
 */
import { Cause, Clock, Effect, Either, Exit, Fiber, Layer, ManagedRuntime } from "effect"
import type { Context } from "effect"
import * as ActorModule from "./Actor.js"
import type { CalendarImporter, CalendarRenderer } from "./Calendar.js"
import { CoDesign } from "./CoDesign.js"
import * as Dispatcher from "./Dispatcher.js"
import { Forbidden } from "./Errors.js"
import { Directory } from "./Directory.js"
import { Evaluations } from "./Evaluations.js"
import { Feeds } from "./Feeds.js"
import { FollowUp } from "./FollowUp.js"
import { History } from "./History.js"
import * as Ids from "./Ids.js"
import { Intake } from "./Intake.js"
import { IntakeRounds } from "./IntakeRounds.js"
import type { Mailer } from "./Mailer.js"
import { Network } from "./Network.js"
import type { MessageTemplates } from "./Notification.js"
import { PersonalData } from "./PersonalData.js"
import { Programmes } from "./Programmes.js"
import type { StoragePorts } from "./Repository.js"
import * as AllServices from "./Services.js"
import { Sessions } from "./Sessions.js"
import * as Settings from "./Settings.js"
import { decodeEither } from "./Validation.js"

/**
 * The services the facade exposes, by the name they have on the client.
 *
 * @category models
 */
export const services = {
  intake: Intake,
  rounds: IntakeRounds,
  coDesign: CoDesign,
  programmes: Programmes,
  sessions: Sessions,
  followUp: FollowUp,
  network: Network,
  personalData: PersonalData,
  history: History,
  evaluations: Evaluations,
  directory: Directory,
  feeds: Feeds
} as const

/** The name of a service on the client. @category models */
export type ServiceName = keyof typeof services

/** The tags of the services the facade needs. @category models */
export type Services = Context.Tag.Identifier<(typeof services)[ServiceName]>

/** An actor as the facade takes it: the model, or plain data as a login system gives it. @category models */
export type ActorInput = ActorModule.Actor | typeof ActorModule.Actor.Encoded

/** A service's methods as async functions taking the actor first, then the same input. @category models */
export type Promised<S> = {
  readonly [K in keyof S]: S[K] extends (...args: infer Args) => Effect.Effect<infer A, any, any>
    ? (actor: ActorInput, ...args: Args) => Promise<A>
    : never
}

/** The dispatcher as async functions: one pass, or a loop started and stopped. @category models */
export interface DispatcherClient {
  /** Claims one batch and delivers it; every delivery is recorded before the promise resolves. */
  readonly runOnce: () => Promise<Dispatcher.BatchReport>
  /** Starts working batch after batch in the background, until {@link DispatcherClient.stop}. */
  readonly start: () => void
  /** Stops the loop started by `start`; claimed work not yet handled is given back. */
  readonly stop: () => Promise<void>
}

/** The Promise client. @category models */
export type Client =
  & { readonly [K in ServiceName]: Promised<Context.Tag.Service<(typeof services)[K]>> }
  & {
    /** The dispatcher; it rejects every call when the client was built without `dispatcher` options. */
    readonly dispatcher: DispatcherClient
    /** Releases what the layers acquired (database connections, SMTP pools) and stops the dispatcher. */
    readonly dispose: () => Promise<void>
  }

/**
 * What the dispatcher of a client needs: the sender, and the layers of the mailer, the message
 * templates and the calendar renderer, from the adapter packages.
 *
 * @category models
 */
export interface DispatcherOptions {
  /** The sender of every message. */
  readonly from: { readonly name?: string | undefined; readonly address: string }
  /** The name of this dispatcher in claims; several may run at once. Defaults to `copkit`. */
  readonly consumer?: string | undefined
  /** The domain of the generated Message-IDs; the sender's domain when not given. */
  readonly messageIdDomain?: string | undefined
  /** `SmtpMailer.layer({ ... })` or `FileMailer.layer({ directory })` from `@copkit/email-smtp`. */
  readonly mailer: Layer.Layer<Mailer, unknown>
  /** `Templates.layer` from `@copkit/email-smtp`. */
  readonly templates: Layer.Layer<MessageTemplates, unknown>
  /** `ICalendar.layer` from `@copkit/calendar-ical`. */
  readonly calendar: Layer.Layer<CalendarRenderer, unknown>
}

/**
 * Plain options for {@link make}: each part is a call of an adapter package's `layer(...)`, so a
 * Promise user never imports `effect`.
 *
 * @category models
 */
export interface Options {
  /** `SqliteStore.layer({ filename })` or `PgStore.layer({ url })`. */
  readonly storage: Layer.Layer<StoragePorts, unknown>
  /** Overrides of the business settings (group size, reminders, retention, ...). */
  readonly settings?: Settings.SettingsOverride | undefined
  /** Reads a region's calendar feeds when planning: `ICalendarImport.layerImporter`. */
  readonly importer?: Layer.Layer<CalendarImporter, unknown> | undefined
  /** Sending: without it, `client.dispatcher` rejects. */
  readonly dispatcher?: DispatcherOptions | undefined
  /**
   * The current time, for demos, simulations and tests: copkit reads every moment from it (when a
   * thing happened, what is due, whether a session's start is still ahead). Waiting (timeouts, the
   * dispatcher's pauses) still takes real time. Default: the system clock.
   */
  readonly now?: (() => Date | number) | undefined
}

/** A clock that reads the time from `now` and waits in real time. */
const clockOf = (now: () => Date | number): Clock.Clock => {
  const real = Clock.make()
  const millis = (): number => {
    const value = now()
    return typeof value === "number" ? value : value.getTime()
  }
  return {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: millis,
    currentTimeMillis: Effect.sync(millis),
    unsafeCurrentTimeNanos: () => BigInt(millis()) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => BigInt(millis()) * 1_000_000n),
    sleep: (duration) => real.sleep(duration)
  }
}

const methodNames: {
  readonly [K in ServiceName]: { readonly [M in keyof Context.Tag.Service<(typeof services)[K]>]: true }
} = {
  intake: {
    create: true,
    update: true,
    submit: true,
    scheduleExploration: true,
    assess: true,
    readiness: true,
    accept: true,
    decline: true,
    withdraw: true,
    get: true,
    list: true
  },
  rounds: { open: true, close: true, list: true, compare: true },
  coDesign: {
    get: true,
    coreTeam: true,
    addMember: true,
    removeMember: true,
    setGoals: true,
    proposeTheme: true,
    editTheme: true,
    withdrawTheme: true,
    vote: true,
    ranking: true,
    setPlan: true,
    validatePlan: true,
    approvePlan: true,
    sharedSessions: true
  },
  programmes: {
    get: true,
    list: true,
    withdraw: true,
    cancel: true,
    amendPlan: true,
    tasks: true,
    assignTask: true,
    completeTask: true,
    reopenTask: true,
    sendTaskReminders: true
  },
  sessions: {
    enrol: true,
    leave: true,
    group: true,
    plan: true,
    createFromPlan: true,
    scheduleFromPlan: true,
    schedule: true,
    reschedule: true,
    changeJoinLink: true,
    addMaterial: true,
    removeMaterial: true,
    cancel: true,
    invite: true,
    answer: true,
    recordAttendance: true,
    writeMinutes: true,
    publishMinutes: true,
    recordInsight: true,
    createCrossRegional: true,
    feedEvents: true,
    sendDueReminders: true,
    get: true,
    list: true
  },
  followUp: {
    recordAgreement: true,
    reviseAgreement: true,
    startAgreement: true,
    completeAgreement: true,
    dropAgreement: true,
    addNote: true,
    getAgreement: true,
    listAgreements: true,
    defineMeasure: true,
    reviseMeasure: true,
    listMeasures: true,
    synergy: true,
    runReminders: true,
    closeReadiness: true,
    close: true,
    report: true,
    exportCsv: true
  },
  network: { overview: true, search: true, searchMinutes: true },
  personalData: { exportPerson: true, erase: true, applyRetention: true },
  history: { ofEntity: true },
  evaluations: { setQuestions: true, questions: true, answer: true, results: true, recordVerdict: true, defineIndicator: true, recordIndicatorValue: true, recordCheckIn: true },
  directory: { join: true, update: true, withdraw: true, get: true, search: true },
  feeds: { issue: true, rotate: true, revoke: true, feed: true }
}

const toError = (cause: Cause.Cause<unknown>): unknown => {
  const failure = Cause.failureOption(cause)
  if (failure._tag === "Some") return failure.value
  return Cause.squash(cause)
}

const decodeActor = decodeEither(ActorModule.Actor)

const notAnActor = (action: string): Forbidden =>
  new Forbidden({ actor: "an invalid actor", action, reason: "the call has no valid actor (a plain object with _tag and ids)" })

const isLayer = (u: unknown): u is Layer.Layer<Services, unknown> => Layer.isLayer(u)

const fromOptions = (options: Options): Layer.Layer<Services | Dispatcher.Requirements, unknown> => {
  const ports = Layer.mergeAll(
    options.storage,
    Ids.layerRandom,
    Settings.layer(options.settings ?? {}),
    ...(options.importer === undefined ? [] : [options.importer]),
    ...(options.dispatcher === undefined
      ? []
      : [options.dispatcher.mailer, options.dispatcher.templates, options.dispatcher.calendar])
  )
  const services = Layer.mergeAll(AllServices.layer, AllServices.layerNotifications).pipe(Layer.provideMerge(ports))
  return (options.now === undefined ? services : Layer.merge(services, Layer.setClock(clockOf(options.now)))) as Layer.Layer<
    Services | Dispatcher.Requirements,
    unknown
  >
}

/**
 * Builds a client, from plain options (each part an adapter's `layer(...)`) or from a layer that
 * provides the services (`Services.layer` on top of the adapters' layers). The layers are built
 * once, on the first call.
 *
 * @example
 * ```ts
 * import { Client } from "@copkit/core"
 * import { ICalendar } from "@copkit/calendar-ical"
 * import { FileMailer, Templates } from "@copkit/email-smtp"
 * import { SqliteStore } from "@copkit/storage-sqlite"
 *
 * const copkit = Client.make({
 *   storage: SqliteStore.layer({ filename: "copkit.db" }),
 *   dispatcher: {
 *     from: { name: "Kennisnetwerk", address: "noreply@kennisnetwerk.example.nl" },
 *     mailer: FileMailer.layer({ directory: "outbox" }),
 *     templates: Templates.layer,
 *     calendar: ICalendar.layer
 *   }
 * })
 *
 * const coordinator = { _tag: "NetworkCoordinator", personId: "per_marieke-jansen" } as const
 * const open = await copkit.intake.list(coordinator, { state: "Submitted" })
 * await copkit.dispatcher.runOnce()
 * await copkit.dispose()
 * ```
 *
 * @category constructors
 */
export const make = (options: Options | Layer.Layer<Services, unknown, never>): Client => {
  const layer = isLayer(options) ? options : fromOptions(options)
  const dispatcherOptions = isLayer(options) ? undefined : options.dispatcher
  const runtime = ManagedRuntime.make(layer as Layer.Layer<Services, unknown, never>)
  const run = <A>(effect: Effect.Effect<A, unknown, Services>): Promise<A> =>
    runtime.runPromiseExit(effect).then((exit) => {
      if (Exit.isSuccess(exit)) return exit.value
      throw toError(exit.cause)
    })

  const client: Record<string, unknown> = {}
  for (const name of Object.keys(methodNames) as Array<ServiceName>) {
    const tag = services[name] as unknown as Context.Tag<
      any,
      Record<string, (...args: ReadonlyArray<any>) => Effect.Effect<unknown, unknown, ActorModule.CurrentActor>>
    >
    const methods: Record<string, (actor: ActorInput, input?: unknown) => Promise<unknown>> = {}
    for (const method of Object.keys(methodNames[name])) {
      const action = `${name}.${method}`
      methods[method] = (actor, ...args) =>
        run(Effect.gen(function*() {
          const decoded = Either.getOrUndefined(decodeActor(actor))
          if (decoded === undefined) return yield* Effect.fail(notAnActor(action))
          const service = yield* tag
          return yield* ActorModule.as(service[method]!(...(args as [unknown])), decoded)
        }))
    }
    client[name] = Object.freeze(methods)
  }

  let loop: Fiber.RuntimeFiber<never, unknown> | undefined
  const dispatcherMake = Effect.suspend(() =>
    dispatcherOptions === undefined
      ? Effect.dieMessage("The client was built without `dispatcher` options (mailer, templates, calendar, from).")
      : Dispatcher.make({
        consumer: dispatcherOptions.consumer ?? "copkit",
        from: dispatcherOptions.from,
        messageIdDomain: dispatcherOptions.messageIdDomain
      })
  ) as unknown as Effect.Effect<Dispatcher.Dispatcher, unknown, Services>
  const stop = async (): Promise<void> => {
    const fiber = loop
    loop = undefined
    if (fiber !== undefined) await runtime.runPromise(Fiber.interrupt(fiber))
  }
  client.dispatcher = Object.freeze({
    runOnce: () => run(Effect.flatMap(dispatcherMake, (d) => d.runOnce)),
    start: () => {
      if (loop !== undefined) return
      loop = runtime.runFork(Effect.flatMap(dispatcherMake, (d) => d.run))
    },
    stop
  } satisfies DispatcherClient)
  client.dispose = async () => {
    await stop()
    await runtime.dispose()
  }
  return Object.freeze(client) as Client
}

