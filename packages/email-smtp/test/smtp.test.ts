import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Layer, Redacted } from "effect"
import { Calendar, Mailer, Notification } from "@copkit/core"
import { SmtpMailer, Templates } from "@copkit/email-smtp"
import { generateKeyPairSync } from "node:crypto"
import { closedPort, decodeBody, mimeTree, notification, startServer, testCalendar } from "./support.js"

/** A full message for a notification, as the dispatcher would build it. */
const messageFor = (n: Notification.Notification, messageId = "<copkit.test1@copkit.example>") =>
  Effect.gen(function*() {
    const rendered = Templates.render(n)
    const renderer = yield* Calendar.CalendarRenderer
    const calendar = n.calendarMethod === undefined || n.session === undefined ? undefined : new Mailer.CalendarPart({
      method: n.calendarMethod,
      ics: yield* renderer.invitation(
        new Calendar.CalendarEvent({
          uid: n.session.uid,
          sequence: n.session.sequence,
          summary: n.session.title,
          start: n.session.start,
          end: n.session.end,
          timeZone: n.session.timeZone,
          organizer: n.organizer,
          status: n.calendarMethod === "CANCEL" ? "CANCELLED" : "CONFIRMED",
          alarmsMinutesBefore: [],
          stamp: new Date(0),
          language: n.recipient.language
        }),
        new Calendar.CalendarAttendee({ name: n.recipient.name, email: n.recipient.email, answer: "NeedsAction" }),
        n.calendarMethod
      )
    })
    return new Mailer.OutgoingMessage({
      messageId,
      from: new Mailer.Address({ name: "Copkit", address: "noreply@copkit.example" as never }),
      to: [new Mailer.Address({ name: n.recipient.name, address: n.recipient.email })],
      replyTo: new Mailer.Address({ name: n.organizer.name, address: n.organizer.email }),
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      language: n.recipient.language,
      ...(calendar === undefined ? {} : { calendar }),
      attachments: []
    })
  }).pipe(Effect.provide(testCalendar))

const sendWith = (options: SmtpMailer.Options, message: Mailer.OutgoingMessage) =>
  Effect.flatMap(Mailer.Mailer, (m) => m.send(message)).pipe(Effect.provide(SmtpMailer.layer(options)))

const local = (port: number): SmtpMailer.Options => ({ host: "127.0.0.1", port, pool: false })

describe("SmtpMailer against smtp-server", () => {
  it.scoped("an invitation arrives as iMIP: mixed > alternative(text, html, calendar REQUEST) + the .ics attached", () =>
    Effect.gen(function*() {
      const server = yield* startServer()
      const message = yield* messageFor(notification("evt_1"))
      const receipt = yield* sendWith(local(server.port), message)
      expect(receipt.accepted).toEqual(["ilse@bakkerijmulder.nl"])
      expect(receipt.messageId).toBe("<copkit.test1@copkit.example>")
      const [got] = yield* server.received
      expect(got!.to).toEqual(["ilse@bakkerijmulder.nl"])
      expect(got!.from).toBe("noreply@copkit.example")
      const tree = mimeTree(got!.raw.toString("utf8"))
      expect(tree.headers.get("message-id")).toBe("<copkit.test1@copkit.example>")
      expect(tree.headers.get("content-language")).toBe("nl")
      expect(tree.type).toBe("multipart/mixed")
      expect(tree.parts.map((p) => p.type)).toEqual(["multipart/alternative", "application/ics"])
      const [alternative, attachment] = tree.parts
      expect(alternative!.parts.map((p) => p.type)).toEqual(["text/plain", "text/html", "text/calendar"])
      const calendarPart = alternative!.parts[2]!
      expect(calendarPart.params.get("method")).toBe("REQUEST")
      expect(decodeBody(calendarPart)).toContain("METHOD:REQUEST")
      expect(attachment!.headers.get("content-disposition")).toMatch(/^attachment/)
      expect(attachment!.params.get("name") ?? attachment!.headers.get("content-disposition")).toContain("invite.ics")
      expect(decodeBody(attachment!)).toBe(decodeBody(calendarPart))
      // What a mail program sees.
      const parsed = got!.parsed
      expect(parsed.messageId).toBe("<copkit.test1@copkit.example>")
      expect(parsed.subject).toBe("Uitnodiging: Sessie 1: inspiratie op donderdag 4 maart 2027")
      expect(parsed.from?.value).toEqual([{ name: "Copkit", address: "noreply@copkit.example" }])
      expect(parsed.replyTo?.value).toEqual([{ name: "Joost Bakker", address: "j.bakker@provincie-utrecht.nl" }])
      expect(parsed.text).toContain("donderdag 4 maart 2027")
      expect(parsed.text).toContain("14:30 – 17:30")
      expect(parsed.text).toContain("Stadhuis Utrecht, Stadsplateau 1")
      expect(parsed.html).toContain("14:30 – 17:30")
      expect(parsed.attachments.map((a) => [a.contentType, a.filename])).toContainEqual(["application/ics", "invite.ics"])
    }))

  it.scoped("a cancellation in English carries CANCEL in the MIME header and in the file", () =>
    Effect.gen(function*() {
      const server = yield* startServer()
      const n = notification("evt_2", {
        kind: "Cancellation",
        calendarMethod: "CANCEL",
        recipient: { personId: "per_mark", name: "Mark Visser", email: "m.visser@hu.nl", language: "en" },
        session: {
          uid: "ses_1@copkit.example",
          sequence: 2,
          title: "Session 1",
          start: "2027-07-01T12:00:00Z",
          end: "2027-07-01T14:00:00Z",
          timeZone: "Europe/Amsterdam",
          venue: "Stadhuis Utrecht",
          agenda: [],
          cancellationReason: "Too few participants"
        }
      })
      yield* sendWith(local(server.port), yield* messageFor(n))
      const [got] = yield* server.received
      const tree = mimeTree(got!.raw.toString("utf8"))
      expect(tree.headers.get("content-language")).toBe("en")
      const calendarPart = tree.parts[0]!.parts.find((p) => p.type === "text/calendar")!
      expect(calendarPart.params.get("method")).toBe("CANCEL")
      expect(decodeBody(calendarPart)).toContain("METHOD:CANCEL")
      expect(decodeBody(calendarPart)).toContain("STATUS:CANCELLED")
      expect(got!.parsed.subject).toBe("Cancelled: Session 1 on Thursday, 1 July 2027")
      // Summer time: 12:00Z is 14:00 in Amsterdam.
      expect(got!.parsed.text).toContain("14:00 – 16:00")
      expect(got!.parsed.text).toContain("Too few participants")
      expect(got!.parsed.attachments.map((a) => a.filename)).toContain("cancel.ics")
    }))

  it.scoped("a calendar part whose method differs from the file's is refused, nothing sent", () =>
    Effect.gen(function*() {
      const server = yield* startServer()
      const message = yield* messageFor(notification("evt_3"))
      const mismatched = new Mailer.OutgoingMessage({
        ...message,
        calendar: new Mailer.CalendarPart({ method: "CANCEL", ics: message.calendar!.ics })
      })
      const error = yield* Effect.flip(sendWith(local(server.port), mismatched))
      expect(error).toMatchObject({ _tag: "DeliveryError", temporary: false })
      expect(error.message).toContain("method CANCEL but the file says REQUEST")
      expect(yield* server.offered).toBe(0)
    }))

  it.scoped("a CR or LF in a name or subject cannot add a header or a recipient: refused before sending", () =>
    Effect.gen(function*() {
      const server = yield* startServer()
      const message = yield* messageFor(notification("evt_4", { calendarMethod: undefined, session: undefined, kind: "FollowUpCheckIn" }))
      // A caller that skipped the constructors hands over plain objects.
      const attempts: ReadonlyArray<Record<string, unknown>> = [
        { to: [{ name: "Eve\r\nBcc: victim@evil.example", address: "ilse@bakkerijmulder.nl" }] },
        { to: [{ name: "Eve", address: "ilse@bakkerijmulder.nl\r\nBcc: victim@evil.example" }] },
        { to: [{ name: "Eve", address: "ilse@bakkerijmulder.nl, victim@evil.example" }] },
        { subject: "Hallo\r\nBcc: victim@evil.example" },
        { subject: "Hallo\nX-Injected: yes" },
        { replyTo: { name: "Eve\nBcc: victim@evil.example", address: "eve@evil.example" } },
        { messageId: "<a@b>\r\nBcc: victim@evil.example" }
      ]
      for (const change of attempts) {
        const plain = { ...message, ...change } as unknown as Mailer.OutgoingMessage
        const error = yield* Effect.flip(sendWith(local(server.port), plain))
        expect(error).toMatchObject({ _tag: "DeliveryError", temporary: false })
      }
      expect(yield* server.offered).toBe(0)
    }))

  it.scoped("angle brackets, commas, quotes and HTML in names stay in the name: one recipient, no new header", () =>
    Effect.gen(function*() {
      const server = yield* startServer()
      const name = `Eve <victim@evil.example>, "Bcc: other@evil.example" <b>bold</b> ; Mallory`
      const n = notification("evt_5", {
        recipient: { personId: "per_eve", name, email: "eve@copkit.example", language: "nl" },
        programmeName: "<script>alert('x')</script> & Co"
      })
      yield* sendWith(local(server.port), yield* messageFor(n))
      const [got] = yield* server.received
      expect(got!.to).toEqual(["eve@copkit.example"])
      expect(got!.parsed.to).toMatchObject({ value: [{ address: "eve@copkit.example", name }] })
      const raw = got!.raw.toString("utf8")
      const head = raw.slice(0, raw.indexOf("\r\n\r\n"))
      expect(head).not.toMatch(/^bcc:/im)
      const htmlPart = mimeTree(raw).parts[0]!.parts.find((p) => p.type === "text/html")!
      expect(decodeBody(htmlPart)).not.toContain("<script>")
      expect(decodeBody(htmlPart)).not.toContain("<b>")
      expect(got!.parsed.html).toContain("Beste Eve &lt;victim@evil.example&gt;, &quot;Bcc: other@evil.example&quot; &lt;b&gt;bold&lt;/b&gt; ; Mallory,")
      expect(got!.parsed.html).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co")
      expect(got!.parsed.html).not.toContain("<b>bold")
      expect(got!.parsed.text).toContain(`Beste ${name},`)
    }))

  it.scoped("STARTTLS is used when required, and the password is sent only over it (Redacted in options)", () =>
    Effect.gen(function*() {
      const server = yield* startServer({
        server: {
          disabledCommands: [],
          authOptional: false,
          onAuth(auth, session, callback) {
            if (!session.secure) return callback(new Error("TLS first"))
            if (auth.username === "copkit" && auth.password === "geheim") return callback(null, { user: "copkit" })
            return callback(Object.assign(new Error("Invalid credentials"), { responseCode: 535 }))
          }
        }
      })
      const options: SmtpMailer.Options = {
        ...local(server.port),
        requireTLS: true,
        tls: { rejectUnauthorized: false },
        auth: { user: "copkit", pass: Redacted.make("geheim") }
      }
      expect(String(options.auth?.pass)).not.toContain("geheim")
      const message = yield* messageFor(notification("evt_6"))
      yield* sendWith(options, message)
      const [got] = yield* server.received
      expect(got!.secure).toBe(true)
      expect(got!.user).toBe("copkit")
      // Wrong password: a temporary failure (the configuration, not the message, is at fault).
      const wrong = yield* Effect.flip(sendWith({ ...options, auth: { user: "copkit", pass: Redacted.make("fout") } }, message))
      expect(wrong).toMatchObject({ _tag: "DeliveryError", temporary: true, code: 535 })
      // The self-signed certificate is refused unless told otherwise.
      const strict = yield* Effect.flip(sendWith({ ...options, tls: {} }, message))
      expect(strict).toMatchObject({ _tag: "DeliveryError", temporary: true })
      expect((yield* server.received).length).toBe(1)
    }))

  it.scoped("DKIM: the message is signed with the configured domain and selector", () =>
    Effect.gen(function*() {
      const server = yield* startServer()
      const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 })
      const pem = privateKey.export({ type: "pkcs1", format: "pem" }).toString()
      yield* sendWith(
        { ...local(server.port), dkim: { domainName: "copkit.example", keySelector: "mail", privateKey: Redacted.make(pem) } },
        yield* messageFor(notification("evt_7"))
      )
      const [got] = yield* server.received
      const tree = mimeTree(got!.raw.toString("utf8"))
      const signature = tree.headers.get("dkim-signature") ?? ""
      expect(signature).toMatch(/\bd=copkit\.example;/)
      expect(signature).toMatch(/\bs=mail;/)
      expect(signature).toMatch(/\bb=[A-Za-z0-9+/= ]{100,}/)
    }))

  it.scoped("server replies map to DeliveryError: 4xx temporary, 5xx permanent, down temporary", () =>
    Effect.gen(function*() {
      const server = yield* startServer()
      const message = yield* messageFor(notification("evt_8"))
      yield* server.setReplies(() => ({ code: 451, message: "Greylisted, try again later" }))
      const soft = yield* Effect.flip(sendWith(local(server.port), message))
      expect(soft).toMatchObject({ _tag: "DeliveryError", temporary: true, code: 451 })
      expect(soft.message).toContain("Greylisted")
      yield* server.setReplies(() => ({ code: 554, message: "Rejected as spam" }))
      const hard = yield* Effect.flip(sendWith(local(server.port), message))
      expect(hard).toMatchObject({ _tag: "DeliveryError", temporary: false, code: 554 })
      yield* server.setReplies(() => "drop")
      const dropped = yield* Effect.flip(sendWith(local(server.port), message))
      expect(dropped).toMatchObject({ _tag: "DeliveryError", temporary: true })
      const port = yield* closedPort
      const down = yield* Effect.flip(sendWith({ ...local(port), connectionTimeoutMillis: 2000 }, message))
      expect(down).toMatchObject({ _tag: "DeliveryError", temporary: true })
      expect(down.message).toMatch(/ECONNECTION|ESOCKET|ECONNREFUSED/)
      expect((yield* server.received).length).toBe(0)
    }))

  it.scoped("pooled: many messages over few connections, the pool closed with the scope", () =>
    Effect.gen(function*() {
      let connections = 0
      const server = yield* startServer({
        server: {
          onConnect(_session, callback) {
            connections++
            callback()
          }
        }
      })
      const exit = yield* Effect.exit(
        Effect.gen(function*() {
          const mailer = yield* Mailer.Mailer
          const base = yield* messageFor(notification("evt_9"))
          yield* Effect.forEach(
            Array.from({ length: 12 }, (_, i) => i),
            (i) => mailer.send(new Mailer.OutgoingMessage({ ...base, messageId: `<copkit.pool${i}@copkit.example>` })),
            { concurrency: 4 }
          )
        }).pipe(Effect.provide(SmtpMailer.layer({ host: "127.0.0.1", port: server.port, maxConnections: 2 })))
      )
      expect(Exit.isSuccess(exit)).toBe(true)
      const received = yield* server.received
      expect(received.length).toBe(12)
      expect(new Set(received.map((r) => r.parsed.messageId)).size).toBe(12)
      expect(connections).toBeGreaterThanOrEqual(1)
      expect(connections).toBeLessThanOrEqual(2)
    }))

  it.effect("layerConfig reads the options, the password as Redacted", () =>
    Effect.gen(function*() {
      const { ConfigProvider, Config } = yield* Effect.promise(() => import("effect"))
      const layer = SmtpMailer.layerConfig({
        host: Config.string("SMTP_HOST"),
        port: Config.integer("SMTP_PORT"),
        auth: { user: Config.string("SMTP_USER"), pass: Config.redacted("SMTP_PASS") }
      })
      const ok = yield* Effect.exit(
        Effect.scoped(Layer.build(layer)).pipe(
          Effect.withConfigProvider(
            ConfigProvider.fromMap(new Map([["SMTP_HOST", "127.0.0.1"], ["SMTP_PORT", "2525"], ["SMTP_USER", "u"], ["SMTP_PASS", "p"]]))
          )
        )
      )
      expect(Exit.isSuccess(ok)).toBe(true)
      const missing = yield* Effect.exit(
        Effect.scoped(Layer.build(layer)).pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map())))
      )
      expect(Exit.isFailure(missing)).toBe(true)
    }))
})
