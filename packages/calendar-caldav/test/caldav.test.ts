import { describe, expect, it } from "@effect/vitest"
import { Calendar } from "@copkit/core"
import { CalendarContract } from "@copkit/testing/contracts"
import { Config, ConfigError, ConfigProvider, Effect, Either, Layer, Option, Redacted } from "effect"
import { createServer } from "node:net"
import type { Socket } from "node:net"
import { CalDav } from "../src/index.js"
import { freePort, radicale, serverLayer, storedFiles, unavailable } from "./radicale.js"

if (unavailable !== undefined) {
  console.warn(`@copkit/calendar-caldav: the Radicale tests are skipped: ${unavailable}`)
}

const { event } = CalendarContract

const options = (server: { readonly calendarUrl: string; readonly user: string }) => ({
  calendarUrl: server.calendarUrl,
  username: server.user,
  password: Redacted.make("secret"),
  timeout: "5 seconds" as const
})

const withRadicale = Layer.unwrapScoped(
  Effect.map(radicale, (server) =>
    Layer.mergeAll(
      CalDav.layer(options(server)),
      serverLayer(server),
      Layer.succeed(RadicaleInfo, server)
    ))
)

class RadicaleInfo extends Effect.Tag("test/RadicaleInfo")<RadicaleInfo, {
  readonly calendarUrl: string
  readonly folder: string
  readonly user: string
  readonly origin: string
  readonly auth: Record<string, string>
}>() {}

describe.skipIf(unavailable !== undefined)("CalDAV against Radicale", () => {
  CalendarContract.publisherSuite("@copkit/calendar-caldav on Radicale", withRadicale)

  it.layer(withRadicale, { timeout: "30 seconds" })("the stored files", (it) => {
    it.effect("create, update, conflict and cancel, checked in Radicale's storage folder", () =>
      Effect.gen(function*() {
        const publisher = yield* Calendar.CalendarPublisher
        const server = yield* CalendarContract.CalendarServer
        const info = yield* RadicaleInfo
        const uid = "ses_storage_1@copkit.test"
        const created = yield* publisher.publish(event({ uid }))
        expect(created.url).toBe(`${info.calendarUrl}${encodeURIComponent(uid)}.ics`)
        expect(created.etag).toMatch(/^"/)
        const onDisk = Object.values(yield* storedFiles(info))
        expect(onDisk.some((text) => text.includes(`UID:${uid}`) && text.includes("DTSTART;TZID=Europe/Amsterdam:20270328T100000"))).toBe(true)
        expect(onDisk.some((text) => text.includes("BEGIN:VTIMEZONE"))).toBe(true)

        // Creating it again (the caller lost the stored ETag) does not overwrite: conflict.
        const again = yield* Effect.either(publisher.publish(event({ uid, summary: "Dubbel" })))
        expect(Either.isLeft(again) && again.left).toMatchObject({ _tag: "CalendarConflict", uid, actualEtag: created.etag })

        const updated = yield* publisher.publish(
          event({ uid, sequence: 1, start: "2027-10-31T09:00:00.000Z", end: "2027-10-31T11:00:00.000Z" }),
          created
        )
        const raw = Option.getOrThrow(yield* server.stored(updated.url))
        expect(raw.etag).toBe(updated.etag)
        expect(raw.ics).toContain("SEQUENCE:1")
        expect(raw.ics).toContain("DTSTART;TZID=Europe/Amsterdam:20271031T100000")

        // Changed behind the adapter's back with a raw PUT: the next update is a conflict, not an overwrite.
        yield* server.overwrite(updated.url, raw.ics.replace("SEQUENCE:1", "SEQUENCE:7"))
        const theirs = Option.getOrThrow(yield* server.stored(updated.url))
        const stale = yield* Effect.either(publisher.publish(event({ uid, sequence: 2 }), updated))
        expect(Either.isLeft(stale) && stale.left).toMatchObject({
          _tag: "CalendarConflict",
          uid,
          expectedEtag: updated.etag,
          actualEtag: theirs.etag
        })
        expect(Option.getOrThrow(yield* server.stored(updated.url)).ics).toContain("SEQUENCE:7")
        const noEtag = yield* Effect.either(publisher.publish(event({ uid, sequence: 2 }), { uid, url: updated.url }))
        expect(Either.isLeft(noEtag) && noEtag.left._tag).toBe("CalendarConflict")

        // Cancelled: deleted with If-Match; a second delete finds it gone and is fine.
        const current = { uid, url: updated.url, etag: theirs.etag }
        yield* publisher.remove(current)
        expect(Option.isNone(yield* server.stored(updated.url))).toBe(true)
        expect(Object.values(yield* storedFiles(info)).some((text) => text.includes(`UID:${uid}`))).toBe(false)
        yield* publisher.remove(current)
      }))

    it.effect("a refusal by the server is a CalendarError with its status", () =>
      Effect.gen(function*() {
        const info = yield* RadicaleInfo
        // Another user's calendar: owner_only rights refuse the write.
        const other = yield* CalDav.make({ ...options(info), calendarUrl: `${info.origin}/someone-else/copkit/`, username: "intruder" })
        const result = yield* Effect.either(other.publish(event()))
        expect(Either.isLeft(result) && result.left).toMatchObject({ _tag: "CalendarError", operation: "create", temporary: false })
        expect(Either.isLeft(result) && result.left._tag === "CalendarError" && result.left.status).toBeGreaterThanOrEqual(400)
      }))
  })
})

describe("CalDAV without a server", () => {
  it.live("a closed port is a temporary CalendarError, at once", () =>
    Effect.gen(function*() {
      const port = yield* freePort
      const publisher = yield* CalDav.make({ calendarUrl: `http://127.0.0.1:${port}/cal/`, timeout: "2 seconds" })
      const started = Date.now()
      const result = yield* Effect.either(publisher.publish(event()))
      expect(Either.isLeft(result) && result.left).toMatchObject({ _tag: "CalendarError", temporary: true, operation: "create" })
      expect(Date.now() - started).toBeLessThan(2_000)
    }))

  it.live("a server that never answers is a temporary CalendarError within the timeout", () =>
    Effect.gen(function*() {
      const sockets = new Set<Socket>()
      const silent = createServer((socket) => void sockets.add(socket))
      const port = yield* Effect.async<number>((resume) => {
        silent.listen(0, "127.0.0.1", () => {
          const address = silent.address()
          resume(Effect.succeed(typeof address === "object" && address !== null ? address.port : 0))
        })
      })
      yield* Effect.addFinalizer(() =>
        Effect.async<void>((resume) => {
          for (const s of sockets) s.destroy()
          silent.close(() => resume(Effect.void))
        })
      )
      const publisher = yield* CalDav.make({ calendarUrl: `http://127.0.0.1:${port}/cal/`, timeout: "500 millis" })
      const started = Date.now()
      const published = { uid: "x", url: `http://127.0.0.1:${port}/cal/x.ics`, etag: "\"1\"" }
      const results: ReadonlyArray<Either.Either<unknown, Calendar.CalendarError | Calendar.CalendarConflict>> = yield* Effect.all([
        Effect.either(publisher.publish(event())),
        Effect.either(publisher.publish(event(), published)),
        Effect.either(publisher.remove(published))
      ], { concurrency: "unbounded" })
      const elapsed = Date.now() - started
      for (const result of results) {
        expect(Either.isLeft(result) && result.left).toMatchObject({ _tag: "CalendarError", temporary: true })
        expect(Either.isLeft(result) && result.left.message).toMatch(/did not answer within/)
      }
      expect(elapsed).toBeGreaterThanOrEqual(450)
      expect(elapsed).toBeLessThan(2_000)
      console.info(`@copkit/calendar-caldav: a silent server gave CalendarError after ${elapsed} ms (timeout 500 ms)`)
    }).pipe(Effect.scoped))

  it.effect("a calendar URL that is not http(s), or holds credentials, is a ConfigError", () =>
    Effect.gen(function*() {
      for (const calendarUrl of ["ftp://example.nl/cal/", "not a url", "https://user:geheim@example.nl/cal/"]) {
        const result = yield* Effect.either(CalDav.make({ calendarUrl }))
        expect(Either.isLeft(result) && result.left._op).toBe("InvalidData")
        expect(Either.isLeft(result) && String(result.left)).not.toContain("geheim")
      }
    }))

  it.live("layerConfig reads its options, the password as Redacted, and the password appears in no error", () =>
    Effect.gen(function*() {
      const port = yield* freePort
      const provider = ConfigProvider.fromMap(new Map([
        ["CALDAV_URL", `http://127.0.0.1:${port}/cal/`],
        ["CALDAV_USER", "coordinator"],
        ["CALDAV_PASSWORD", "zeer-geheim"]
      ]))
      const layer = CalDav.layerConfig({
        calendarUrl: Config.string("CALDAV_URL"),
        username: Config.string("CALDAV_USER"),
        password: Config.redacted("CALDAV_PASSWORD"),
        timeout: Config.succeed("1 second" as const),
        render: Config.succeed(undefined)
      })
      const result = yield* Effect.either(
        Effect.flatMap(Calendar.CalendarPublisher, (p) => p.publish(event())).pipe(
          Effect.provide(layer),
          Effect.withConfigProvider(provider)
        )
      )
      expect(Either.isLeft(result) && result.left).toMatchObject({ _tag: "CalendarError", temporary: true })
      expect(JSON.stringify(Either.isLeft(result) && result.left)).not.toContain("zeer-geheim")
      const missing = yield* Effect.either(
        Effect.flatMap(Calendar.CalendarPublisher, (p) => p.publish(event())).pipe(
          Effect.provide(layer),
          Effect.withConfigProvider(ConfigProvider.fromMap(new Map()))
        )
      )
      expect(Either.isLeft(missing) && ConfigError.isConfigError(missing.left)).toBe(true)
      expect(Either.isLeft(missing) && String(missing.left)).toContain("CALDAV_URL")
    }))
})
