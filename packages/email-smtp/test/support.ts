/** Test support: a real SMTP server on a loopback port, a MIME structure reader, fixtures. */
import { Effect, Layer, Ref, Schema } from "effect"
import type { Scope } from "effect"
import type { StorageError } from "@copkit/core"
import { Calendar, EventLog, Events, Notification } from "@copkit/core"
import { Fixtures } from "@copkit/testing"
import { simpleParser } from "mailparser"
import type { ParsedMail } from "mailparser"
import { SMTPServer } from "smtp-server"
import type { SMTPServerOptions } from "smtp-server"

/** What the server does with the next message's data. */
export type Reply = "accept" | "drop" | { readonly code: number; readonly message: string }

export interface Received {
  readonly from: string
  readonly to: ReadonlyArray<string>
  readonly raw: Buffer
  readonly parsed: ParsedMail
  readonly secure: boolean
  readonly user: string | undefined
}

export interface TestServer {
  readonly port: number
  /** Messages the server accepted, in order. */
  readonly received: Effect.Effect<ReadonlyArray<Received>>
  /** Every DATA the server was offered (accepted or not). */
  readonly offered: Effect.Effect<number>
  /** How the next messages are answered: `replies(n)` for the n-th DATA (1-based). */
  readonly setReplies: (replies: (n: number) => Reply) => Effect.Effect<void>
}

interface Connection {
  readonly _socket?: { destroy: () => void }
}

/** Starts `smtp-server` on 127.0.0.1 (the given port, or a free one) for the scope. */
export const startServer = (
  options: { readonly port?: number; readonly server?: Partial<SMTPServerOptions> } = {}
): Effect.Effect<TestServer, never, Scope.Scope> =>
  Effect.gen(function*() {
    const received = yield* Ref.make<ReadonlyArray<Received>>([])
    let replies: (n: number) => Reply = () => "accept"
    let offered = 0
    const server: SMTPServer = yield* Effect.acquireRelease(
      Effect.async<SMTPServer>((resume) => {
        const s: SMTPServer = new SMTPServer({
          authOptional: true,
          disabledCommands: ["STARTTLS"],
          logger: false,
          ...options.server,
          onData(stream, session, callback) {
            const n = ++offered
            const reply = replies(n)
            const chunks: Array<Buffer> = []
            if (reply === "drop") {
              stream.once("data", () => {
                for (const c of (s as unknown as { connections: Set<Connection> }).connections) c._socket?.destroy()
              })
              stream.on("data", () => undefined)
              stream.on("end", () => undefined)
              return
            }
            stream.on("data", (c: Buffer) => chunks.push(c))
            stream.on("end", () => {
              if (reply !== "accept") {
                const err = Object.assign(new Error(reply.message), { responseCode: reply.code })
                return callback(err)
              }
              const raw = Buffer.concat(chunks)
              simpleParser(raw).then((parsed) => {
                const mailFrom = session.envelope.mailFrom
                Effect.runSync(Ref.update(received, (all) => [...all, {
                  from: mailFrom === false ? "" : mailFrom.address,
                  to: session.envelope.rcptTo.map((r) => r.address),
                  raw,
                  parsed,
                  secure: session.secure,
                  user: typeof session.user === "string" ? session.user : undefined
                }]))
                callback()
              }, (e: Error) => callback(e))
            })
          }
        })
        s.listen(options.port ?? 0, "127.0.0.1", () => resume(Effect.succeed(s)))
      }),
      (s) =>
        Effect.async<void>((resume) => {
          for (const c of (s as unknown as { connections: Set<Connection> }).connections) c._socket?.destroy()
          s.close(() => resume(Effect.void))
        })
    )
    const address = server.server.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    return {
      port,
      received: Ref.get(received),
      offered: Effect.sync(() => offered),
      setReplies: (f) => Effect.sync(() => void (replies = f))
    }
  })

/** A port on which nothing listens (a server was there and was closed). */
export const closedPort: Effect.Effect<number> = Effect.scoped(Effect.map(startServer(), (s) => s.port))

// --- MIME structure, read from the raw bytes --------------------------------------------------

export interface Part {
  readonly headers: ReadonlyMap<string, string>
  /** The media type, lower case, as `multipart/mixed`. */
  readonly type: string
  readonly params: ReadonlyMap<string, string>
  readonly parts: ReadonlyArray<Part>
  readonly body: string
}

const headerParams = (value: string): { type: string; params: Map<string, string> } => {
  const [type = "", ...rest] = value.split(";")
  const params = new Map<string, string>()
  for (const p of rest) {
    const i = p.indexOf("=")
    if (i > 0) params.set(p.slice(0, i).trim().toLowerCase(), p.slice(i + 1).trim().replace(/^"|"$/g, ""))
  }
  return { type: type.trim().toLowerCase(), params }
}

/** Parses a message into its MIME tree (headers unfolded, bodies as they are on the wire). */
export const mimeTree = (raw: string): Part => {
  const split = raw.indexOf("\r\n\r\n")
  const head = split < 0 ? raw : raw.slice(0, split)
  const body = split < 0 ? "" : raw.slice(split + 4)
  const headers = new Map<string, string>()
  for (const line of head.replace(/\r\n[ \t]+/g, " ").split("\r\n")) {
    const i = line.indexOf(":")
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim())
  }
  const { params, type } = headerParams(headers.get("content-type") ?? "text/plain")
  const boundary = params.get("boundary")
  const parts: Array<Part> = []
  if (type.startsWith("multipart/") && boundary !== undefined) {
    const sections = body.split(`--${boundary}`)
    for (const section of sections.slice(1)) {
      if (section.startsWith("--")) break
      // The CRLF before a delimiter belongs to the delimiter.
      parts.push(mimeTree(section.replace(/^\r\n/, "").replace(/\r\n$/, "")))
    }
  }
  return { headers, type, params, parts, body }
}

/** Decodes a leaf's body per its Content-Transfer-Encoding. */
export const decodeBody = (part: Part): string => {
  const cte = (part.headers.get("content-transfer-encoding") ?? "7bit").toLowerCase()
  if (cte === "base64") return Buffer.from(part.body.replace(/\s+/g, ""), "base64").toString("utf8")
  if (cte === "quoted-printable") {
    const bytes = part.body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
    return Buffer.from(bytes, "latin1").toString("utf8")
  }
  return part.body
}

// --- a small world for the dispatcher -----------------------------------------------------------

/** A CalendarRenderer for the tests: a minimal but well-formed iCalendar file. */
export const testCalendar = Layer.succeed(Calendar.CalendarRenderer, {
  invitation: (event, attendee, method) =>
    Effect.succeed(
      [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//copkit//test//EN",
        `METHOD:${method}`,
        "BEGIN:VEVENT",
        `UID:${event.uid}`,
        `SEQUENCE:${event.sequence}`,
        "DTSTAMP:20270101T000000Z",
        `DTSTART:${event.start.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "")}`,
        `DTEND:${event.end.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "")}`,
        `SUMMARY:${event.summary}`,
        `STATUS:${event.status}`,
        `ORGANIZER;CN=${event.organizer.name}:mailto:${event.organizer.email}`,
        `ATTENDEE;CN=${attendee.name};PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:${attendee.email}`,
        "END:VEVENT",
        "END:VCALENDAR",
        ""
      ].join("\r\n")
    ),
  feed: () => Effect.succeed("")
})

const decodeNotification = Schema.decodeUnknownSync(Notification.Notification)

export const session = {
  uid: "ses_1@copkit.example",
  sequence: 0,
  title: "Sessie 1: inspiratie",
  start: "2027-03-04T13:30:00Z",
  end: "2027-03-04T16:30:00Z",
  timeZone: "Europe/Amsterdam",
  venue: "Stadhuis Utrecht, Stadsplateau 1",
  host: "Gemeente Utrecht",
  agenda: [{ title: "Welkom", minutes: 15 }, { title: "Inspiratie uit Twente", minutes: 45 }]
}

/** A notification for one recipient. */
export const notification = (eventId: string, extra: Record<string, unknown> = {}) =>
  decodeNotification({
    kind: "Invitation",
    eventId,
    recipient: { personId: "per_ilse", name: "Ilse Mulder", email: "ilse@bakkerijmulder.nl", language: "nl" },
    programmeName: "Regio Utrecht",
    organizer: { name: "Joost Bakker", email: "j.bakker@provincie-utrecht.nl" },
    session,
    calendarMethod: "REQUEST",
    ...extra
  })

let counter = 0

/** Appends an event; the returned notifications are what the test source will say it calls for. */
export const appendEvent: Effect.Effect<Events.RecordedEvent, StorageError, EventLog.EventLog> = Effect.suspend(() => Fixtures.appendEvent({ id: `evt_m${++counter}`, occurredAt: new Date("2027-02-01T09:00:00Z") }))

/** A NotificationSource reading from a map the test fills in. */
export const mapSource = (wanted: Ref.Ref<ReadonlyMap<string, ReadonlyArray<Notification.Notification>>>) =>
  Layer.succeed(Notification.NotificationSource, {
    forEvent: (event: Events.RecordedEvent) => Effect.map(Ref.get(wanted), (m) => m.get(event.id) ?? [])
  })
