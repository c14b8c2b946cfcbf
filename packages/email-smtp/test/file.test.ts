import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Ref } from "effect"
import { Dispatcher, Mailer, Notification, Outbox } from "@copkit/core"
import { FileMailer, SmtpMailer, Templates } from "@copkit/email-smtp"
import { Memory } from "@copkit/testing"
import { simpleParser } from "mailparser"
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { appendEvent, decodeBody, mapSource, mimeTree, notification, startServer, testCalendar } from "./support.js"
import type { Part } from "./support.js"

const tempDir = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "copkit-mail-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
)

/** The shape of a MIME tree: types and the calendar method, without boundaries or dates. */
const shape = (p: Part): unknown => ({
  type: p.type,
  method: p.params.get("method"),
  parts: p.parts.map(shape)
})

const options: Dispatcher.Options = { consumer: "file", from: { name: "Copkit", address: "noreply@copkit.example" } }

describe("FileMailer", () => {
  it.scoped("the dispatcher writes each message as an .eml file with the same structure SMTP gets", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const server = yield* startServer()
      const wanted = yield* Ref.make<ReadonlyMap<string, ReadonlyArray<Notification.Notification>>>(new Map())
      const base = Layer.mergeAll(Memory.layerStorage, mapSource(wanted), Templates.layer, testCalendar)
      yield* Effect.gen(function*() {
        const event = yield* appendEvent
        yield* Ref.update(wanted, (m) => new Map([...m, [event.id, [notification(event.id)]]]))
        expect(yield* Dispatcher.runOnce(options)).toMatchObject({ sent: 1, completed: 1 })
        expect(yield* Effect.flatMap(Outbox.Deliveries, (d) => d.list())).toMatchObject([{ status: "Sent" }])
      }).pipe(Effect.provide(Layer.merge(base, FileMailer.layer({ directory: join(dir, "outbox") }))))
      const files = readdirSync(join(dir, "outbox"))
      expect(files.length).toBe(1)
      expect(files[0]).toMatch(/^copkit\.[0-9a-f]{40}@copkit\.example\.eml$/)
      const bytes = readFileSync(join(dir, "outbox", files[0]!))
      const fileTree = mimeTree(bytes.toString("utf8"))
      expect(bytes.includes("\r\n")).toBe(true)
      const parsed = yield* Effect.promise(() => simpleParser(bytes))
      expect(parsed.subject).toBe("Uitnodiging: Sessie 1: inspiratie op donderdag 4 maart 2027")
      expect(parsed.to).toMatchObject({ value: [{ name: "Ilse Mulder", address: "ilse@bakkerijmulder.nl" }] })
      expect(`<${files[0]!.replace(/\.eml$/, "")}>`).toBe(parsed.messageId)
      // The same message over SMTP has the same structure.
      yield* Effect.gen(function*() {
        const event = yield* appendEvent
        yield* Ref.update(wanted, (m) => new Map([...m, [event.id, [notification(event.id)]]]))
        expect(yield* Dispatcher.runOnce(options)).toMatchObject({ sent: 1 })
      }).pipe(Effect.provide(Layer.merge(base, SmtpMailer.layer({ host: "127.0.0.1", port: server.port, pool: false }))))
      const [overSmtp] = yield* server.received
      const smtpTree = mimeTree(overSmtp!.raw.toString("utf8"))
      expect(shape(fileTree)).toEqual(shape(smtpTree))
      expect(shape(fileTree)).toEqual({
        type: "multipart/mixed",
        method: undefined,
        parts: [
          {
            type: "multipart/alternative",
            method: undefined,
            parts: [
              { type: "text/plain", method: undefined, parts: [] },
              { type: "text/html", method: undefined, parts: [] },
              { type: "text/calendar", method: "REQUEST", parts: [] }
            ]
          },
          { type: "application/ics", method: undefined, parts: [] }
        ]
      })
      expect(decodeBody(fileTree.parts[1]!)).toContain("METHOD:REQUEST")
    }))

  it.scoped("a message sent again is written beside the first, never over it", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const mailer = yield* FileMailer.make({ directory: dir })
      const message = new Mailer.OutgoingMessage({
        messageId: "<copkit.same@copkit.example>",
        from: new Mailer.Address({ address: "noreply@copkit.example" as never }),
        to: [new Mailer.Address({ name: "Ilse", address: "ilse@bakkerijmulder.nl" as never })],
        subject: "Hallo",
        text: "Hallo",
        html: "<p>Hallo</p>",
        language: "nl",
        attachments: []
      })
      const first = yield* mailer.send(message)
      const second = yield* mailer.send(message)
      expect(first.response).toContain("copkit.same@copkit.example.eml")
      expect(second.response).toContain("copkit.same@copkit.example.2.eml")
      expect(readdirSync(dir).sort()).toEqual(["copkit.same@copkit.example.2.eml", "copkit.same@copkit.example.eml"])
      const bad = yield* Effect.flip(mailer.send({ ...message, subject: "Hallo\r\nBcc: x@evil.example" } as unknown as Mailer.OutgoingMessage))
      expect(bad).toMatchObject({ _tag: "DeliveryError", temporary: false })
      expect(readdirSync(dir).length).toBe(2)
    }))

  it.scoped("a folder that cannot be made is a DeliveryError, not a thrown error", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      writeFileSync(join(dir, "a-file"), "")
      const error = yield* Effect.flip(FileMailer.make({ directory: join(dir, "a-file", "outbox") }))
      expect(error._tag).toBe("DeliveryError")
      expect(error.message).toMatch(/ENOTDIR|EEXIST/)
    }))
})
