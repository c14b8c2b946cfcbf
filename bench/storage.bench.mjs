// The storage benchmark: the library's whole command path (the intake service: decode, authorize,
// load, transition, save, append events) on SQLite and PostgreSQL, next to raw better-sqlite3 and
// raw pg doing the same row reads and writes in the same transactions; and the time to load a
// programme with 20 participants and 8 sessions, and to list 1,000 programmes.
//
// `node bench/run.mjs` (or `pnpm bench`) bundles this file with the packages' sources into
// bench/.out/ and runs one scenario per process, so that each gets its own peak memory, library and
// raw interleaved over several rounds:
//   node bench/.out/storage.bench.mjs <lib|ports|raw|reads>-<sqlite|pg>
// prints one JSON line. PostgreSQL needs COPKIT_BENCH_POSTGRES_URL or COPKIT_TEST_POSTGRES_URL.
//
// Figures (2 shared cores, busy: read the ratios; medians of interleaved runs): SQLite file, 1,500
// applications: raw ~200-250 µs CPU per command, ~3,000 commands/s; the library ~790 µs, ~1,150/s.
// The command path as chains of effects (no generators), on an in-memory file, 400 applications, 16
// runs each, before -> after: 1,107 -> 1,038 µs, 1,035 -> 1,126 commands/s. PostgreSQL, 400 applications: raw
// ~780 µs, ~540/s; the library 2,219 -> 1,865 µs, 299 -> 317/s. Of the library's native SQLite time,
// about 60 µs per command is its random UUIDs (B-tree pages all over the file: in one measurement COMMIT ~240 µs
// against ~190 with time-ordered ids, the same as raw's); on PostgreSQL most of the gap is socket
// writes that cost more per statement than raw's (in a profile, ~1,060 against ~570 µs per command).
// Fewer Effect steps per command (480 -> 395: a method's span and ports in one context switch, a
// transaction's connection and hooks likewise, context reads fused with their step) and models built
// without validation as one copy, interleaved pairs, medians of each pair's ratio: SQLite 1,000
// applications, 10 pairs, CPU -3 to -8% (noisy: 2 shared cores); PostgreSQL 250 applications, 6 pairs,
// CPU 2,670 -> 2,360 µs (-11%), 273 -> 304 commands/s. Per command on SQLite, still: better-sqlite3 ~320 µs
// wall (COMMIT ~240), Effect's run loop ~200 µs (a third of it @effect/sql's statement cache and the
// transaction's scope), Schema ~100 µs (half of it the create's input decode), GC ~60 µs.
// Time-ordered ids (`Ids.layerRandom` mints UUIDs of version 7 since), SQLite, 1,500 applications, 4
// interleaved pairs: 1,359 -> 1,474 commands/s, 740 -> 690 µs CPU (raw in the same minutes: 3,386/s,
// 223 µs); PostgreSQL, 300 applications, 3 pairs: no difference beyond the noise.
// On PostgreSQL the event counter and the INSERT of the events are one statement (one round trip
// fewer per command; 3 interleaved pairs, 500 applications, quiet machine: 521 -> 555, 512 -> 545, 426
// -> 457 commands/s, CPU 1,217 -> 1,122 µs). Input decoded without Effect's check of unknown fields
// when a walk over its keys shows none (the application's input: 60 -> 30 µs; SQLite, 4 pairs: CPU
// -0 to -7%; allocation per command ~300 -> ~265 KB, counted as scavenges of a fixed 16 MB nursery).
// Where the rest goes (SQLite, quiet machine, ~520 µs against raw's ~165): the library allocates
// ~265 KB per command against raw's ~22 KB (Effect's fibers, contexts and continuations, Schema's
// parsers), and better-sqlite3's own calls take 1.6-2x as long in the library's process as in raw's
// for the very same statements (timed one by one: BEGIN 2.1 against 0.8 µs, the UPDATE 33.5 against
// 18.4; COMMIT the same): the caches hold less of SQLite's pages. Tried and measured without a
// difference beyond the noise: a Map instead of @effect/sql-sqlite-node's statement Cache (4 pairs),
// PostgreSQL's reads outside a transaction straight on the pool (352 -> 309 Effect steps per
// command), the method's context built in one copy rather than two.
// Then PostgreSQL's repeated statements as named (prepared) statements, parsed and planned once per
// connection (7 interleaved pairs, 500 applications: +1% to +17% commands/s, client CPU about the
// same); raw pg's default (unnamed) statements are the baseline here, and raw with named statements
// gains about as much (10-27% in 3 runs). A whole `pnpm bench` afterwards: PostgreSQL 589 against
// 723 commands/s (0.81x), CPU 1,236 against 641 µs (0.52x); SQLite 2,269 against 5,962/s (0.38x),
// 504 against 148 µs (0.29x).
// A busier day, a whole `pnpm bench` before the next change: PostgreSQL 564 against 828/s (0.68x), CPU
// 1,421 against 621 µs; SQLite 0.47x / 0.33x. The library's PostgreSQL process was idle 45% of the
// time (a profile of the timed part): it waited on five round trips per update. Then a change of one
// entity and its events as one statement (`saveWithEvents`: the entity's write, the counter and the
// events in a data-modifying WITH, atomic on its own, so no BEGIN and COMMIT): two round trips per
// update, one per create. 4 interleaved rounds, 500 applications, before -> after: 447 -> 490, 489 ->
// 655, 477 -> 633, 455 -> 575 commands/s; CPU 1,709 -> 1,549, 1,547 -> 1,192, 1,633 -> 1,258, 1,731 ->
// 1,356 µs; raw in the same rounds 714, 706, 840, 643/s. Each statement timed around the driver's
// call (500 applications): the library's read 372 µs and its one write ~1,000 µs against raw's six
// statements of 143-343 µs each (COMMIT 322, the WAL's flush); the library's process is still idle
// about half the time, the rest is its own work (Effect's run loop, Schema's checks: ~650 µs per
// command above raw's).
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { Effect, Layer, ManagedRuntime, Redacted, Schema } from "effect"
import { Actor, Application, Enrolment, EventLog, Events, Ids, Intake, Person, Programme, Region, Repository, Session, Transaction } from "../packages/core/src/index.ts"
import { SqliteStore } from "../packages/storage-sqlite/src/index.ts"
import { PgStore } from "../packages/storage-postgres/src/index.ts"
import Database from "better-sqlite3"
import pg from "pg"

const scenario = process.argv[2]
const pgUrl = process.env.COPKIT_BENCH_POSTGRES_URL ?? process.env.COPKIT_TEST_POSTGRES_URL
const APPLICATIONS = Number(process.env.COPKIT_BENCH_APPLICATIONS ?? (scenario?.endsWith("pg") ? 500 : 2000))
const WARMUP = Math.min(200, Math.ceil(APPLICATIONS / 5))
const coordinator = { _tag: "NetworkCoordinator", personId: "per_coordinator" }

const input = (i) => ({
  region: { id: "utrecht", name: "Regio Utrecht", provinces: ["Utrecht"], municipalities: ["Utrecht", "Amersfoort", "Nieuwegein", "Zeist"], schoolHolidayZone: "Middle" },
  contact: { name: "Joost Bakker", email: "j.bakker@provincie-utrecht.nl", organisation: "Provincie Utrecht", helixRole: "Government" },
  motivation: `Veel energie bij ondernemers en gemeenten om het brede mkb te vernieuwen (${i}).`,
  urgency: "Personeelstekorten en de energietransitie vragen nu om betere mkb-ondersteuning.",
  administrators: [{ name: "Ahmed El Amrani", email: "a.elamrani@utrecht.nl", organisation: "Gemeente Utrecht", helixRole: "Government" }],
  entrepreneurs: [
    { name: "Sanne de Vries", email: "sanne@devries-metaal.nl", organisation: "De Vries Metaalbewerking", helixRole: "Entrepreneur" },
    { name: "Ilse Mulder", email: "ilse@bakkerijmulder.nl", organisation: "Bakkerij Mulder", helixRole: "Entrepreneur" }
  ],
  entrepreneurInvolvement: "Twee ondernemers uit de maakindustrie en de food-sector doen actief mee.",
  keyPersons: [
    { name: "Sanne de Vries", email: "sanne@devries-metaal.nl", organisation: "De Vries Metaalbewerking", helixRole: "Entrepreneur" },
    { name: "Joost Bakker", email: "j.bakker@provincie-utrecht.nl", organisation: "Provincie Utrecht", helixRole: "Government" },
    { name: "Fleur Jansen", email: "fleur.jansen@kvk.nl", organisation: "Kamer van Koophandel", helixRole: "Intermediary" }
  ],
  commitments: { venue: true, catering: true, participantSelection: true, activeParticipation: true, followUp: true }
})

const peak = () => {
  const usage = process.memoryUsage()
  return { maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024), heapUsedMiB: Math.round(usage.heapUsed / 1048576) }
}

/** This process's CPU time (user + system) per command since `since`: steadier than commands/s on a busy machine. */
const cpuPerCommand = (since) => {
  const used = process.cpuUsage(since)
  return Math.round((used.user + used.system) / (APPLICATIONS * 3))
}

const tempFile = () => {
  if (process.env.COPKIT_BENCH_SQLITE_MEMORY === "1") return ":memory:"
  const dir = mkdtempSync(join(tmpdir(), "copkit-bench-"))
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }))
  return join(dir, "bench.db")
}

const schemaName = (label) => `copkit_bench_${label}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`

const dropSchema = async (schema) => {
  const client = new pg.Client({ connectionString: pgUrl })
  await client.connect()
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  await client.end()
}

/** Creates the tables with the library's own migrations, so that raw and library write the same rows. */
const migrate = (layer) => ManagedRuntime.make(layer).runPromise(Effect.void)

// --- the library's command path ------------------------------------------------------------

const libraryCommands = async (storeLayer) => {
  const runtime = ManagedRuntime.make(Intake.layer.pipe(Layer.provideMerge(storeLayer), Layer.provide(Ids.layerRandom)))
  const intake = await runtime.runPromise(Intake.Intake)
  const run = (effect) => runtime.runPromise(Actor.as(effect, coordinator))
  const one = async (i) => {
    const created = await run(intake.create(input(i)))
    await run(intake.submit({ applicationId: created.id }))
    await run(intake.assess({ applicationId: created.id, criterion: "EnergyAndEnthusiasm", score: 4, note: "Veel energie in de regio." }))
  }
  for (let i = 0; i < WARMUP; i++) await one(i)
  const started = performance.now()
  const cpuStarted = process.cpuUsage()
  for (let i = 0; i < APPLICATIONS; i++) {
    await one(i)
    // COPKIT_BENCH_TRACE_HEAP=1 with node --expose-gc: the live heap every 500 applications (a leak grows it)
    if (process.env.COPKIT_BENCH_TRACE_HEAP === "1" && i % 500 === 0 && globalThis.gc !== undefined) {
      globalThis.gc()
      console.error(`after ${i} applications: heap ${Math.round(process.memoryUsage().heapUsed / 1048576)} MiB`)
    }
  }
  const seconds = (performance.now() - started) / 1000
  const cpuMicrosPerCommand = cpuPerCommand(cpuStarted)
  await runtime.dispose()
  return { commands: APPLICATIONS * 3, seconds, perSecond: Math.round((APPLICATIONS * 3) / seconds), cpuMicrosPerCommand }
}

// --- the library's storage ports alone: the same reads and writes, values built beforehand ---------

const decodeApplication = Schema.decodeUnknownSync(Application.Application)

const libraryPorts = async (storeLayer) => {
  const runtime = ManagedRuntime.make(Repository.layer.pipe(Layer.provideMerge(storeLayer)))
  const [repo, log, tx] = await runtime.runPromise(Effect.all([Repository.ApplicationRepository, EventLog.EventLog, Transaction.Transaction]))
  const prepare = (i) => {
    const now = new Date().toISOString()
    const doc = rawDocument(i, now)
    const states = [doc, ...transitions.map(([, apply]) => apply(doc, now))]
    const tags = ["ApplicationCreated", ...transitions.map(([tag]) => tag)]
    return {
      id: doc.id,
      values: states.map((d) => decodeApplication(d)),
      events: states.map((d, k) => new Events.NewEvent(Schema.decodeUnknownSync(Events.NewEvent)(eventDocument(d, k + 1, tags[k], now)), true))
    }
  }
  const one = async ({ id, values, events }) => {
    await runtime.runPromise(tx.run(Effect.zipRight(repo.save(values[0], 0), log.append([events[0]]))))
    for (const k of [1, 2]) {
      const found = await runtime.runPromise(Repository.get(repo, id))
      await runtime.runPromise(tx.run(Effect.flatMap(repo.save(values[k], found.version), () => log.append([events[k]]))))
    }
  }
  const warm = Array.from({ length: WARMUP }, (_, i) => prepare(i))
  const work = Array.from({ length: APPLICATIONS }, (_, i) => prepare(i))
  for (const w of warm) await one(w)
  const started = performance.now()
  const cpuStarted = process.cpuUsage()
  for (const w of work) await one(w)
  const seconds = (performance.now() - started) / 1000
  const cpuMicrosPerCommand = cpuPerCommand(cpuStarted)
  await runtime.dispose()
  return { commands: APPLICATIONS * 3, seconds, perSecond: Math.round((APPLICATIONS * 3) / seconds), cpuMicrosPerCommand }
}

// --- raw: the same rows, statements and transactions, by hand -------------------------------------

let ids = 0
const newId = (prefix) => `${prefix}_${process.pid}_${++ids}_${Math.random().toString(36).slice(2, 10)}`

const person = (p) => ({ ...p, id: newId("per"), language: "nl" })
const rawDocument = (i, now) => {
  const data = input(i)
  return {
    id: newId("app"),
    region: data.region,
    contact: person(data.contact),
    motivation: data.motivation,
    urgency: data.urgency,
    administrators: data.administrators.map(person),
    entrepreneurs: data.entrepreneurs.map(person),
    entrepreneurInvolvement: data.entrepreneurInvolvement,
    keyPersons: data.keyPersons.map(person),
    commitments: data.commitments,
    state: "Draft",
    assessment: [],
    createdAt: now,
    updatedAt: now
  }
}
const columns = (doc) => [
  doc.state,
  JSON.stringify([doc.region.id]),
  JSON.stringify([]),
  JSON.stringify([...new Set([doc.contact, ...doc.keyPersons, ...doc.administrators, ...doc.entrepreneurs].map((p) => p.id))]),
  null,
  doc.createdAt,
  doc.updatedAt,
  JSON.stringify(doc)
]
const eventDocument = (doc, version, tag, now) => ({
  id: newId("evt"),
  entity: "Application",
  entityId: doc.id,
  entityVersion: version,
  regionIds: [doc.region.id],
  actor: coordinator,
  occurredAt: now,
  event: tag === "ApplicationCreated"
    ? { _tag: tag, applicationId: doc.id, regionId: doc.region.id }
    : tag === "CriterionAssessed"
    ? { _tag: tag, applicationId: doc.id, criterion: "EnergyAndEnthusiasm", score: 4 }
    : { _tag: tag, applicationId: doc.id }
})
const transitions = [
  ["ApplicationSubmitted", (doc, now) => ({ ...doc, state: "Submitted", submittedAt: now, updatedAt: now })],
  ["CriterionAssessed", (doc, now) => ({
    ...doc,
    assessment: [...doc.assessment, { criterion: "EnergyAndEnthusiasm", score: 4, note: "Veel energie in de regio.", assessedBy: "per_coordinator", assessedAt: now }],
    updatedAt: now
  })]
]

const rawSqlite = async () => {
  const filename = tempFile()
  await migrate(SqliteStore.layer({ filename }))
  const db = new Database(filename)
  db.pragma("journal_mode = WAL")
  db.pragma("busy_timeout = 5000")
  db.pragma("synchronous = NORMAL")
  db.pragma("secure_delete = ON") // as the library sets it (erased data leaves no bytes behind)
  const insert = db.prepare(`INSERT INTO copkit_applications (id, version, state, region_ids, programme_ids, person_ids, date, created_at, updated_at, document)
    VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING version`)
  const update = db.prepare(`UPDATE copkit_applications SET state = ?, region_ids = ?, programme_ids = ?, person_ids = ?, date = ?, created_at = ?, updated_at = ?, document = ?,
    version = version + 1 WHERE id = ? AND version = ? RETURNING version`)
  const select = db.prepare("SELECT version, document FROM copkit_applications WHERE id = ?")
  const counter = db.prepare("UPDATE copkit_sequences SET value = value + ? WHERE name = 'events' RETURNING value")
  const append = db.prepare(`INSERT INTO copkit_events (position, id, type, entity, entity_id, entity_version, region_ids, occurred_at, document)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const begin = db.prepare("BEGIN")
  const commit = db.prepare("COMMIT")
  const rollback = db.prepare("ROLLBACK")
  const appendEvent = (doc, version, tag, now) => {
    const position = Number(counter.get(1).value)
    const e = eventDocument(doc, version, tag, now)
    append.run(position, e.id, tag, "Application", doc.id, version, JSON.stringify(e.regionIds), now, JSON.stringify({ ...e, position }))
  }
  const inTransaction = (f) => {
    begin.run()
    try {
      f()
      commit.run()
    } catch (e) {
      rollback.run()
      throw e
    }
  }
  const one = async (i) => {
    const now = new Date().toISOString()
    const doc = rawDocument(i, now)
    inTransaction(() => {
      if (insert.get(doc.id, ...columns(doc)) === undefined) throw new Error("conflict")
      appendEvent(doc, 1, "ApplicationCreated", now)
    })
    for (const [tag, apply] of transitions) {
      await null // a command is asynchronous in an application too
      const row = select.get(doc.id)
      const next = apply(JSON.parse(row.document), new Date().toISOString())
      inTransaction(() => {
        const saved = update.get(...columns(next), doc.id, row.version)
        if (saved === undefined) throw new Error("conflict")
        appendEvent(next, saved.version, tag, next.updatedAt)
      })
    }
  }
  for (let i = 0; i < WARMUP; i++) await one(i)
  const started = performance.now()
  const cpuStarted = process.cpuUsage()
  for (let i = 0; i < APPLICATIONS; i++) await one(i)
  const seconds = (performance.now() - started) / 1000
  const cpuMicrosPerCommand = cpuPerCommand(cpuStarted)
  db.close()
  return { commands: APPLICATIONS * 3, seconds, perSecond: Math.round((APPLICATIONS * 3) / seconds), cpuMicrosPerCommand }
}

const rawPg = async (schema) => {
  await migrate(PgStore.layer({ url: Redacted.make(pgUrl), schema }))
  const pool = new pg.Pool({ connectionString: pgUrl, max: 10 })
  const t = (name) => `"${schema}"."copkit_${name}"`
  const inTransaction = async (f) => {
    const client = await pool.connect()
    try {
      await client.query("BEGIN")
      await f(client)
      await client.query("COMMIT")
    } catch (e) {
      await client.query("ROLLBACK")
      throw e
    } finally {
      client.release()
    }
  }
  const appendEvent = async (client, doc, version, tag, now) => {
    const { rows } = await client.query(`UPDATE ${t("sequences")} SET value = value + $1 WHERE name = 'events' RETURNING value`, [1])
    const position = Number(rows[0].value)
    const e = eventDocument(doc, version, tag, now)
    await client.query(
      `INSERT INTO ${t("events")} (position, id, type, entity, entity_id, entity_version, region_ids, occurred_at, document) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [position, e.id, tag, "Application", doc.id, version, JSON.stringify(e.regionIds), now, JSON.stringify({ ...e, position })]
    )
  }
  const one = async (i) => {
    const now = new Date().toISOString()
    const doc = rawDocument(i, now)
    await inTransaction(async (client) => {
      const { rows } = await client.query(
        `INSERT INTO ${t("applications")} (id, version, state, region_ids, programme_ids, person_ids, date, created_at, updated_at, document)
         VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING RETURNING version`,
        [doc.id, ...columns(doc)]
      )
      if (rows.length === 0) throw new Error("conflict")
      await appendEvent(client, doc, 1, "ApplicationCreated", now)
    })
    for (const [tag, apply] of transitions) {
      const { rows: [row] } = await pool.query(`SELECT version, document FROM ${t("applications")} WHERE id = $1`, [doc.id])
      const next = apply(row.document, new Date().toISOString())
      await inTransaction(async (client) => {
        const { rows } = await client.query(
          `UPDATE ${t("applications")} SET state = $1, region_ids = $2, programme_ids = $3, person_ids = $4, date = $5, created_at = $6, updated_at = $7, document = $8,
           version = version + 1 WHERE id = $9 AND version = $10 RETURNING version`,
          [...columns(next), doc.id, row.version]
        )
        if (rows.length === 0) throw new Error("conflict")
        await appendEvent(client, next, rows[0].version, tag, next.updatedAt)
      })
    }
  }
  for (let i = 0; i < WARMUP; i++) await one(i)
  const started = performance.now()
  const cpuStarted = process.cpuUsage()
  for (let i = 0; i < APPLICATIONS; i++) await one(i)
  const seconds = (performance.now() - started) / 1000
  const cpuMicrosPerCommand = cpuPerCommand(cpuStarted)
  await pool.end()
  return { commands: APPLICATIONS * 3, seconds, perSecond: Math.round((APPLICATIONS * 3) / seconds), cpuMicrosPerCommand }
}

// --- reads: a programme with 20 participants and 8 sessions; 1,000 programmes ---------------------

const at = new Date("2027-03-04T13:30:00.000Z")
const benchPerson = (id) => new Person.Person({ id, name: `Deelnemer ${id}`, email: `${id.replace(/_/g, "")}@example.nl`, organisation: "Bedrijf BV", helixRole: "Entrepreneur", language: "nl" })
const region = new Region.Region({ id: "utrecht", name: "Regio Utrecht", provinces: ["Utrecht"], municipalities: ["Utrecht"] })
const programme = (id, regionValue = region) =>
  new Programme.Programme({
    id,
    region: regionValue,
    regionId: regionValue.id,
    applicationId: `app_${id}`,
    state: "Running",
    coreTeam: [0, 1, 2, 3].map((k) => new Programme.CoreTeamMember({ person: benchPerson(`per_${id}_core${k}`), joinedAt: at })),
    goals: Programme.emptyGoals(),
    themes: [],
    plan: [],
    createdAt: at,
    updatedAt: at
  })

const timeIt = async (runs, f) => {
  for (let i = 0; i < Math.min(5, runs); i++) await f()
  const started = performance.now()
  for (let i = 0; i < runs; i++) await f()
  return (performance.now() - started) / runs
}

const reads = async (storeLayer) => {
  const runtime = ManagedRuntime.make(Repository.layer.pipe(Layer.provideMerge(storeLayer)))
  const [programmes, enrolments, sessions] = await runtime.runPromise(
    Effect.all([Repository.ProgrammeRepository, Repository.EnrolmentRepository, Repository.SessionRepository])
  )
  const bulkRegion = new Region.Region({ id: "bulk", name: "Bulk", provinces: [], municipalities: [] })
  await runtime.runPromise(Effect.forEach(Array.from({ length: 1000 }, (_, i) => programme(`prg_bulk_${String(i).padStart(4, "0")}`, bulkRegion)), (p) => programmes.save(p, 0), { discard: true }))
  let listed = 0
  const listMs = await timeIt(20, async () => {
    listed = (await runtime.runPromise(programmes.list())).length
  })

  const p = programme("prg_load")
  const people = Array.from({ length: 20 }, (_, i) => benchPerson(`per_participant_${i}`))
  await runtime.runPromise(Effect.gen(function*() {
    yield* programmes.save(p, 0)
    for (const [i, person] of people.entries()) {
      yield* enrolments.save(new Enrolment.Enrolment({ id: `enr_${i}`, programmeId: p.id, regionId: p.regionId, person, status: "Active", enrolledAt: at }), 0)
    }
    for (let s = 0; s < 8; s++) {
      const start = new Date(at.getTime() + s * 28 * 86_400_000)
      yield* sessions.save(new Session.Session({
        id: `ses_${s}`,
        programmeIds: [p.id],
        regionIds: [p.regionId],
        title: `Leer-werkbijeenkomst ${s + 1}`,
        workForms: ["Intervision", "GuestExpert"],
        agenda: [],
        venue: new Session.Venue({ name: "Stadskantoor", city: "Utrecht" }),
        start,
        end: new Date(start.getTime() + 3 * 3_600_000),
        timeZone: "Europe/Amsterdam",
        state: "Invited",
        sequence: 1,
        invitations: people.map((person) => new Session.Invitation({ personId: person.id, programmeId: p.id, name: person.name, email: person.email, language: "nl", answer: "Accepted", answeredAt: at, invitedAt: at })),
        attendance: [],
        createdAt: at,
        updatedAt: at
      }), 0)
    }
  }))
  let loaded
  const loadMs = await timeIt(200, async () => {
    loaded = await runtime.runPromise(Effect.all([
      Repository.get(programmes, p.id),
      enrolments.list({ programmeId: p.id }),
      sessions.list({ programmeId: p.id })
    ]))
  })
  await runtime.dispose()
  return { listMs, listed, loadMs, enrolments: loaded[1].length, sessions: loaded[2].length }
}

// --- main ----------------------------------------------------------------------------------

const main = async () => {
  const started = performance.now()
  let result
  let schema
  try {
    switch (scenario) {
      case "lib-sqlite":
        result = await libraryCommands(SqliteStore.layer({ filename: tempFile() }))
        break
      case "ports-sqlite":
        result = await libraryPorts(SqliteStore.layer({ filename: tempFile() }))
        break
      case "raw-sqlite":
        result = await rawSqlite()
        break
      case "reads-sqlite":
        result = await reads(SqliteStore.layer({ filename: tempFile() }))
        break
      case "lib-pg":
      case "ports-pg":
      case "raw-pg":
      case "reads-pg":
        if (pgUrl === undefined) {
          result = { skipped: "set COPKIT_BENCH_POSTGRES_URL or COPKIT_TEST_POSTGRES_URL" }
          break
        }
        schema = schemaName(scenario.replace("-", "_"))
        result = scenario === "lib-pg"
          ? await libraryCommands(PgStore.layer({ url: Redacted.make(pgUrl), schema }))
          : scenario === "ports-pg"
          ? await libraryPorts(PgStore.layer({ url: Redacted.make(pgUrl), schema }))
          : scenario === "raw-pg"
          ? await rawPg(schema)
          : await reads(PgStore.layer({ url: Redacted.make(pgUrl), schema }))
        break
      default:
        throw new Error(`unknown scenario ${scenario}`)
    }
  } finally {
    if (schema !== undefined) await dropSchema(schema)
  }
  console.log(JSON.stringify({ scenario, ...result, ...peak(), totalSeconds: (performance.now() - started) / 1000 }))
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
