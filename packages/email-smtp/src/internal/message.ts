/**
 * From a core `OutgoingMessage` to nodemailer's options, after checking every part of it, and
 * from nodemailer's errors to core's `DeliveryError`. Shared by the SMTP and the file mailer so
 * that both produce the same bytes.
 */
import { Effect } from "effect"
import { Mailer, Validation } from "@copkit/core"
import type { SendMailOptions } from "nodemailer"

const messageIdPattern = /^<[^\s<>@]+@[^\s<>@]+>$/

/** The METHOD line of an iCalendar text (unfolded lines only; METHOD is never folded in practice). */
const methodOf = (ics: string): string | undefined => /^METHOD:([A-Za-z-]+)\r?$/m.exec(ics)?.[1]?.toUpperCase()

const permanent = (message: string) => new Mailer.DeliveryError({ temporary: false, message })

const decodeMessage = Validation.decode(Mailer.OutgoingMessage)

/** The message, or what is wrong with its Message-ID or its calendar part. */
const partsChecked = (m: Mailer.OutgoingMessage): Effect.Effect<Mailer.OutgoingMessage, Mailer.DeliveryError> => {
  if (!messageIdPattern.test(m.messageId)) return Effect.fail(permanent("the message is not valid: messageId must look like <id@domain>"))
  if (m.calendar === undefined) return Effect.succeed(m)
  const method = methodOf(m.calendar.ics)
  return method === m.calendar.method
    ? Effect.succeed(m)
    : Effect.fail(permanent(`the message is not valid: the calendar part says method ${m.calendar.method} but the file says ${method ?? "none"}`))
}

/**
 * Checks a message again at the adapter's edge: a plain object (a caller may hand one over) is
 * decoded, every address and the subject; an `OutgoingMessage` built with its constructor (the
 * dispatcher's) was checked when it was built and is not decoded a second time. Then, either way,
 * the Message-ID, and that the calendar part's method is the file's.
 */
export const validate = (input: Mailer.OutgoingMessage): Effect.Effect<Mailer.OutgoingMessage, Mailer.DeliveryError> =>
  input instanceof Mailer.OutgoingMessage
    ? partsChecked(input)
    : Effect.flatMap(
      Effect.mapError(decodeMessage(input), (e) => permanent(`the message is not valid: ${e.message} (rule ${e.rule})`)),
      partsChecked
    )

const mailbox = (a: Mailer.Address) => ({ name: a.name ?? "", address: a.address })

/** The file name of the attached invitation. */
export const calendarFileName = (method: Mailer.CalendarPart["method"]): string =>
  method === "CANCEL" ? "cancel.ics" : "invite.ics"

/**
 * Nodemailer's options for a validated message. Addresses go as `{ name, address }` objects,
 * never as strings; content is given as strings only, and file and URL access is switched off.
 */
export const toNodemailer = (m: Mailer.OutgoingMessage): SendMailOptions => ({
  messageId: m.messageId,
  from: mailbox(m.from),
  to: m.to.map(mailbox),
  ...(m.replyTo === undefined ? {} : { replyTo: mailbox(m.replyTo) }),
  subject: m.subject,
  text: m.text,
  html: m.html,
  headers: { "Content-Language": m.language },
  ...(m.calendar === undefined
    ? {}
    : { icalEvent: { method: m.calendar.method, content: m.calendar.ics, filename: calendarFileName(m.calendar.method) } }),
  // none given when there are none: the same bytes, and nodemailer does less per message
  ...(m.attachments.length === 0
    ? {}
    : { attachments: m.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })) }),
  disableFileAccess: true,
  disableUrlAccess: true
})

interface DriverError {
  readonly code?: unknown
  readonly responseCode?: unknown
  readonly response?: unknown
  readonly message?: unknown
}

/** Codes of failures that no retry of the same message can fix. */
const permanentCodes = new Set(["EMESSAGE", "EMAXRECIPIENTS", "EOTP", "ECONFIG", "EFILEACCESS", "EURLACCESS", "ESTREAM"])

/**
 * Maps a nodemailer error: a 4xx reply (and 503) or a broken connection is temporary, a 5xx reply
 * permanent. Authentication failures are counted temporary: they are the server's configuration,
 * not the message's fault, and an operator can fix them before the attempts run out.
 */
export const deliveryError = (cause: unknown): Mailer.DeliveryError => {
  const e = (typeof cause === "object" && cause !== null ? cause : {}) as DriverError
  const code = typeof e.code === "string" ? e.code : undefined
  const responseCode = typeof e.responseCode === "number" ? e.responseCode : undefined
  const text = typeof e.response === "string" && e.response.length > 0
    ? e.response
    : typeof e.message === "string"
    ? e.message
    : String(cause)
  const message = (code === undefined ? text : `${code}: ${text}`).replace(/[\r\n]+/g, " ").slice(0, 1000)
  if (code === "EAUTH" || code === "ENOAUTH" || code === "EOAUTH2") {
    return new Mailer.DeliveryError({ temporary: true, message, ...(responseCode === undefined ? {} : { code: responseCode }) })
  }
  if (responseCode !== undefined) {
    const isPermanent = responseCode >= 500 && responseCode < 600 && responseCode !== 503
    return new Mailer.DeliveryError({ temporary: !isPermanent, message, code: responseCode })
  }
  return new Mailer.DeliveryError({ temporary: code === undefined || !permanentCodes.has(code), message })
}

/** The accepted and rejected recipients nodemailer reports, as plain addresses. */
export const addresses = (list: unknown): ReadonlyArray<string> =>
  Array.isArray(list)
    ? list.map((a: unknown) =>
      typeof a === "string" ? a : typeof a === "object" && a !== null && "address" in a ? String(a.address) : String(a)
    )
    : []

/**
 * The abort signal of one send. Nodemailer takes any object shaped like an `AbortSignal` (it checks
 * `aborted`, `addEventListener` and `removeEventListener`); Node's own costs an `EventTarget` with
 * its maps per message, measurably more on a busy send path than this, which only ever holds
 * nodemailer's two `abort` listeners.
 */
class SendSignal {
  aborted = false
  reason: unknown = undefined
  private listeners: Array<() => void> = []
  addEventListener(type: string, listener: () => void): void {
    if (type === "abort") this.listeners.push(listener)
  }
  removeEventListener(type: string, listener: () => void): void {
    if (type === "abort") this.listeners = this.listeners.filter((l) => l !== listener)
  }
  abort(reason: unknown): void {
    if (this.aborted) return
    this.aborted = true
    this.reason = reason
    // listeners are added with `once`: each runs at most once
    for (const listener of this.listeners.splice(0)) listener()
  }
}

/**
 * Runs a nodemailer promise, mapping every failure (thrown or rejected) to a DeliveryError. When
 * the effect is interrupted (the dispatcher abandoned a send that did not answer in time), the
 * signal aborts it: a queued message is taken out of the pool's queue, a message being delivered
 * has its connection closed, so it does not go out late.
 */
export const attempt = <A>(f: (signal: AbortSignal) => Promise<A>): Effect.Effect<A, Mailer.DeliveryError> =>
  Effect.async<A, Mailer.DeliveryError>((resume) => {
    const signal = new SendSignal()
    let promise: Promise<A>
    try {
      promise = f(signal as unknown as AbortSignal)
    } catch (e) {
      resume(Effect.fail(deliveryError(e)))
      return
    }
    promise.then(
      (a) => resume(Effect.succeed(a)),
      (e: unknown) => resume(Effect.fail(deliveryError(e)))
    )
    return Effect.sync(() => signal.abort(new Error("the send was abandoned")))
  })
