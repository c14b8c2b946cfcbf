/**
 * The file mailer: core's `Mailer` port writing each message as an `.eml` file into a folder,
 * byte for byte what the SMTP mailer would send. The embedded default, so that the quickstart
 * works with no mail server; open the files with any mail program.
 *
 * @since 0.1.0
 */
import { Config, Effect, Layer } from "effect"
import type { ConfigError } from "effect"
import { Mailer } from "@copkit/core"
import nodemailer from "nodemailer"
import { mkdir, writeFile } from "node:fs/promises"
import { join, resolve } from "node:path"
import * as Message from "./internal/message.js"

/** Where the files go. @category models */
export interface Options {
  /** The folder; made when missing. */
  readonly directory: string
}

/** A file name from a Message-ID: `<a.b@c>` becomes `a.b@c.eml`. @category constructors */
export const fileNameFor = (messageId: string, copy = 1): string => {
  const base = messageId.replace(/^<|>$/g, "").replace(/[^A-Za-z0-9._@-]/g, "_").slice(0, 200)
  return copy === 1 ? `${base}.eml` : `${base}.${copy}.eml`
}

const isExists = (e: unknown) => typeof e === "object" && e !== null && "code" in e && e.code === "EEXIST"

/**
 * Makes the folder and returns the mailer. A message sent again with the same Message-ID is
 * written beside the first (`.2.eml`), never over it.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { FileMailer } from "@copkit/email-smtp"
 *
 * const program = Effect.gen(function*() {
 *   const mailer = yield* FileMailer.make({ directory: "./outbox" })
 *   // every message mailer.send(...) is given lands as ./outbox/<Message-ID>.eml
 * })
 * ```
 *
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<Mailer.Mailer["Type"], Mailer.DeliveryError> =>
  Effect.gen(function*() {
    const directory = resolve(options.directory)
    yield* Message.attempt(() => mkdir(directory, { recursive: true }))
    const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "windows" })
    const write = (name: (copy: number) => string, bytes: Buffer) =>
      Message.attempt(async () => {
        for (let copy = 1;; copy++) {
          const file = join(directory, name(copy))
          try {
            await writeFile(file, bytes, { flag: "wx" })
            return file
          } catch (e) {
            if (!isExists(e)) throw e
          }
        }
      })
    const send = (input: Mailer.OutgoingMessage) =>
      Effect.gen(function*() {
        const message = yield* Message.validate(input)
        const info = yield* Message.attempt(() => transporter.sendMail(Message.toNodemailer(message)))
        const bytes = Buffer.isBuffer(info.message) ? info.message : Buffer.from(String(info.message))
        const file = yield* write((copy) => fileNameFor(message.messageId, copy), bytes)
        return new Mailer.DeliveryReceipt({
          messageId: message.messageId,
          accepted: message.to.map((a) => a.address),
          rejected: [],
          response: `written to ${file}`
        })
      })
    return { send }
  })

/**
 * The file mailer as core's Mailer port. Fails when the folder cannot be made.
 *
 * @example
 * ```ts
 * import { FileMailer } from "@copkit/email-smtp"
 *
 * // for development and the demo: every message as an .eml file to open in a mail program
 * const mailer = FileMailer.layer({ directory: "./outbox" })
 * ```
 *
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<Mailer.Mailer, Mailer.DeliveryError> =>
  Layer.effect(Mailer.Mailer, make(options))

/**
 * The file mailer from configuration, e.g. `layerConfig({ directory: Config.string("MAIL_DIR") })`.
 *
 * @example
 * ```ts
 * import { Config } from "effect"
 * import { FileMailer } from "@copkit/email-smtp"
 *
 * const mailer = FileMailer.layerConfig({ directory: Config.string("MAIL_DIR").pipe(Config.withDefault("./outbox")) })
 * ```
 *
 * @category layers
 */
export const layerConfig = (
  config: Config.Config.Wrap<Options>
): Layer.Layer<Mailer.Mailer, ConfigError.ConfigError | Mailer.DeliveryError> =>
  Layer.effect(Mailer.Mailer, Effect.flatMap(Config.unwrap(config), make))
