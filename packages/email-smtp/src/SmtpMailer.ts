/**
 * The SMTP mailer: core's `Mailer` port over nodemailer, with pooled connections, TLS settings,
 * optional DKIM signing and credentials kept `Redacted`. Every message is checked before it is
 * sent; every failure becomes a `DeliveryError` (temporary for 4xx replies and broken
 * connections, permanent for 5xx replies).
 *
 * @since 0.1.0
 */
import { Config, Effect, Layer, Redacted } from "effect"
import type { ConfigError, Scope } from "effect"
import { Mailer } from "@copkit/core"
import nodemailer from "nodemailer"
import type { SMTPPoolOptions, SMTPTransportOptions } from "nodemailer"
import * as Message from "./internal/message.js"

/** Where and how to connect. @category models */
export interface Options {
  readonly host: string
  /** Defaults to 587, or 465 when `secure`. */
  readonly port?: number | undefined
  /** TLS from the first byte (port 465). Otherwise STARTTLS is used when the server offers it. */
  readonly secure?: boolean | undefined
  /** Refuse to send unless the connection is upgraded with STARTTLS. */
  readonly requireTLS?: boolean | undefined
  readonly auth?: {
    readonly user: string
    readonly pass: Redacted.Redacted<string>
  } | undefined
  /** Keep connections open and reuse them (the default), with at most this many at once. */
  readonly pool?: boolean | undefined
  readonly maxConnections?: number | undefined
  /** Messages per pooled connection before it is renewed. */
  readonly maxMessages?: number | undefined
  readonly tls?: {
    /** Check the server's certificate (the default). Only a test server may do without. */
    readonly rejectUnauthorized?: boolean | undefined
    readonly servername?: string | undefined
    readonly minVersion?: "TLSv1.2" | "TLSv1.3" | undefined
    /** Extra trusted certificate authorities, PEM. */
    readonly ca?: string | undefined
  } | undefined
  /** DKIM signing of every message. */
  readonly dkim?: {
    readonly domainName: string
    readonly keySelector: string
    readonly privateKey: Redacted.Redacted<string>
  } | undefined
  /** The name this client gives in EHLO. */
  readonly clientName?: string | undefined
  readonly connectionTimeoutMillis?: number | undefined
  readonly greetingTimeoutMillis?: number | undefined
  readonly socketTimeoutMillis?: number | undefined
}

const transportOptions = (options: Options): SMTPPoolOptions | SMTPTransportOptions => {
  const tls = options.tls
  const base: SMTPTransportOptions = {
    host: options.host,
    ...(options.port === undefined ? {} : { port: options.port }),
    secure: options.secure ?? false,
    ...(options.requireTLS === undefined ? {} : { requireTLS: options.requireTLS }),
    ...(options.auth === undefined ? {} : { auth: { user: options.auth.user, pass: Redacted.value(options.auth.pass) } }),
    ...(tls === undefined ? {} : {
      tls: {
        ...(tls.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: tls.rejectUnauthorized }),
        ...(tls.servername === undefined ? {} : { servername: tls.servername }),
        ...(tls.minVersion === undefined ? {} : { minVersion: tls.minVersion }),
        ...(tls.ca === undefined ? {} : { ca: tls.ca })
      }
    }),
    ...(options.dkim === undefined ? {} : {
      dkim: {
        domainName: options.dkim.domainName,
        keySelector: options.dkim.keySelector,
        privateKey: Redacted.value(options.dkim.privateKey)
      }
    }),
    ...(options.clientName === undefined ? {} : { name: options.clientName }),
    ...(options.connectionTimeoutMillis === undefined ? {} : { connectionTimeout: options.connectionTimeoutMillis }),
    ...(options.greetingTimeoutMillis === undefined ? {} : { greetingTimeout: options.greetingTimeoutMillis }),
    ...(options.socketTimeoutMillis === undefined ? {} : { socketTimeout: options.socketTimeoutMillis })
  }
  if (options.pool === false) return base
  return {
    ...base,
    pool: true,
    ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
    ...(options.maxMessages === undefined ? {} : { maxMessages: options.maxMessages })
  }
}

/**
 * Opens the transport (connections are made on the first send) and closes it with the scope.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { SmtpMailer } from "@copkit/email-smtp"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function*() {
 *     const mailer = yield* SmtpMailer.make({
 *       host: "smtp.example.nl",
 *       port: 587,
 *       requireTLS: true,
 *       auth: { user: "kennisnetwerk@example.nl", pass: Redacted.make("geheim") }
 *     })
 *     // mailer.send(message): what the dispatcher calls for every outbox message
 *   })
 * )
 * ```
 *
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<Mailer.Mailer["Type"], never, Scope.Scope> =>
  Effect.gen(function*() {
    const transporter = yield* Effect.acquireRelease(
      Effect.sync(() => nodemailer.createTransport(transportOptions(options) as SMTPTransportOptions)),
      (t) => Effect.sync(() => t.close())
    )
    // One step after another, without a generator: this runs once per message.
    const send = (input: Mailer.OutgoingMessage) =>
      Effect.flatMap(Message.validate(input), (message) =>
        Effect.map(
          Message.attempt((signal) => transporter.sendMail({ ...Message.toNodemailer(message), signal })),
          (info) =>
            new Mailer.DeliveryReceipt({
              messageId: message.messageId,
              accepted: Message.addresses(info.accepted),
              rejected: Message.addresses(info.rejected),
              response: typeof info.response === "string" ? info.response : ""
            }, true)
        )).pipe(Effect.withSpan("SmtpMailer.send", { attributes: { messageId: input.messageId }, captureStackTrace: false }))
    return { send }
  })

/**
 * The SMTP mailer as core's Mailer port.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { SmtpMailer } from "@copkit/email-smtp"
 *
 * const mailer = SmtpMailer.layer({
 *   host: "smtp.example.nl",
 *   requireTLS: true,
 *   auth: { user: "kennisnetwerk@example.nl", pass: Redacted.make("geheim") },
 *   maxConnections: 3
 * })
 * ```
 *
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<Mailer.Mailer> => Layer.scoped(Mailer.Mailer, make(options))

/**
 * The SMTP mailer from configuration, for example
 * `layerConfig({ host: Config.string("SMTP_HOST"), auth: { user: Config.string("SMTP_USER"), pass: Config.redacted("SMTP_PASS") } })`.
 *
 * @example
 * ```ts
 * import { Config } from "effect"
 * import { SmtpMailer } from "@copkit/email-smtp"
 *
 * const mailer = SmtpMailer.layerConfig({
 *   host: Config.string("SMTP_HOST"),
 *   port: Config.integer("SMTP_PORT").pipe(Config.withDefault(587)),
 *   requireTLS: Config.succeed(true),
 *   auth: Config.all({ user: Config.string("SMTP_USER"), pass: Config.redacted("SMTP_PASSWORD") })
 * })
 * ```
 *
 * @category layers
 */
export const layerConfig = (config: Config.Config.Wrap<Options>): Layer.Layer<Mailer.Mailer, ConfigError.ConfigError> =>
  Layer.scoped(Mailer.Mailer, Effect.flatMap(Config.unwrap(config), make))
