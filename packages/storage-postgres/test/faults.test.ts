/**
 * PostgreSQL under faults: connections killed mid-run (`pg_terminate_backend` from a second, raw
 * connection) and a network that goes silent after connecting (a loopback TCP proxy that stops
 * forwarding). Every failed command fails with a StorageError, never a raw SqlError or a defect,
 * within the timeouts; after the kills the application recovers.
 */
import { createServer, connect } from "node:net"
import type { AddressInfo, Server, Socket } from "node:net"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Duration, Exit, Layer, ManagedRuntime, Option } from "effect"
import { Actor, Ids, Intake, StorageError } from "@copkit/core"
import { Fixtures } from "@copkit/testing"
import { PgStore } from "@copkit/storage-postgres"
import pg from "pg"
import { freshSchema, skipReason, url } from "./support.js"

const coordinator = Fixtures.actors.coordinator

/** The intake service on a store of its own (own schema, own application name), with a raw admin connection. */
const setup = async (options: Omit<PgStore.Options, "url" | "schema"> & { readonly url?: string }, schema: string) => {
  const runtime = ManagedRuntime.make(Intake.layer.pipe(
    Layer.provideMerge(PgStore.layer({ url: url!, schema, ...options })),
    Layer.provide(Ids.layerRandom)
  ))
  const intake = await runtime.runPromise(Intake.Intake)
  const create = (i: number) =>
    runtime.runPromiseExit(Actor.as(intake.create(Fixtures.applicationInput({ motivation: `Veel energie bij ondernemers en gemeenten (${i}).` })), coordinator))
  return { runtime, create }
}

const dropSchema = async (schema: string) => {
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  await admin.end()
}

/** Describes how a command failed: "StorageError", "SqlError", "defect" or another tag. */
const failureKind = (exit: Exit.Exit<unknown, unknown>): string | undefined => {
  if (Exit.isSuccess(exit)) return undefined
  const failure = Cause.failureOption(exit.cause)
  if (Option.isNone(failure)) return "defect"
  const e = failure.value
  if (e instanceof StorageError) return "StorageError"
  return typeof e === "object" && e !== null && "_tag" in e ? String((e as { _tag: unknown })._tag) : "unknown"
}

if (url === undefined) {
  console.warn(skipReason)
  it.skipIf(true)(`PostgreSQL under faults (${skipReason})`, () => {})
} else {
  const pgUrl: string = url
  describe("PostgreSQL under faults", () => {
    it("fails every command whose connection is killed with a StorageError, and recovers", { timeout: 120_000 }, async () => {
      const schema = freshSchema("kill")
      const applicationName = `copkit-kill-${process.pid}-${Math.random().toString(36).slice(2, 8)}`
      const { runtime, create } = await setup({ applicationName, maxConnections: 6 }, schema)
      const admin = new pg.Client({ connectionString: url })
      await admin.connect()
      try {
        let stop = false
        let kills = 0
        const killer = (async () => {
          while (!stop) {
            const { rows } = await admin.query(
              "SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE application_name = $1",
              [applicationName]
            )
            kills += rows.filter((r) => r.killed === true).length
            await new Promise((resolve) => setTimeout(resolve, 15))
          }
        })()
        const exits: Array<Exit.Exit<unknown, unknown>> = []
        let next = 0
        await Promise.all(Array.from({ length: 8 }, async () => {
          while (next < 240) exits.push(await create(next++))
        }))
        stop = true
        await killer
        const kinds = exits.map(failureKind).filter((k) => k !== undefined)
        expect(kills).toBeGreaterThan(0)
        expect(kinds.length).toBeGreaterThan(0)
        expect(kinds.filter((k) => k !== "StorageError")).toEqual([])
        // Recovery: with no more kills, every command succeeds. A connection killed in the killer's
        // last round is known dead only when its socket's close reaches the pool (asynchronously,
        // later on a loaded machine): give the pool that moment before the check.
        await new Promise((resolve) => setTimeout(resolve, 500))
        const later = await Promise.all(Array.from({ length: 20 }, (_, i) => create(1000 + i)))
        expect(later.map(failureKind).filter((k) => k !== undefined)).toEqual([])
      } finally {
        await admin.end()
        await runtime.dispose()
        await dropSchema(schema)
      }
    })

    it("fails a command with a StorageError within the timeouts when the network goes silent", { timeout: 60_000 }, async () => {
      const target = new URL(pgUrl)
      let forwarding = true
      const sockets: Array<Socket> = []
      const proxy: Server = createServer((client) => {
        const upstream = connect(Number(target.port || 5432), target.hostname)
        sockets.push(client, upstream)
        client.on("data", (chunk) => {
          if (forwarding) upstream.write(chunk)
        })
        upstream.on("data", (chunk) => {
          if (forwarding) client.write(chunk)
        })
        client.on("error", () => upstream.destroy())
        upstream.on("error", () => client.destroy())
        client.on("close", () => upstream.destroy())
        upstream.on("close", () => client.destroy())
      })
      await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve))
      const proxied = new URL(pgUrl)
      proxied.hostname = "127.0.0.1"
      proxied.port = String((proxy.address() as AddressInfo).port)
      const schema = freshSchema("silent")
      const { runtime, create } = await setup({
        url: proxied.toString(),
        statementTimeout: Duration.seconds(1),
        queryTimeout: Duration.seconds(2),
        connectTimeout: Duration.seconds(2)
      }, schema)
      try {
        expect(failureKind(await create(0))).toBeUndefined()
        forwarding = false
        const started = Date.now()
        const exit = await create(1)
        const elapsed = Date.now() - started
        expect(failureKind(exit)).toBe("StorageError")
        // a statement and its rollback at most, each within the query timeout
        expect(elapsed).toBeLessThan(10_000)
      } finally {
        forwarding = true
        for (const s of sockets) s.destroy()
        await runtime.dispose()
        await new Promise((resolve) => proxy.close(resolve))
        await dropSchema(schema)
      }
    })
  })
}
