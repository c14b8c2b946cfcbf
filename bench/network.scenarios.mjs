// The network-wide reads at the scale of a national network, bundled by bench/network.bench.mjs into
// bench/.out/ from the packages' sources (the "@copkit/source" condition). Not a test.
//
//   node bench/.out/network.scenarios.mjs sqlite <N> <rounds>
//   node bench/.out/network.scenarios.mjs pg <N> <rounds>      (COPKIT_BENCH_POSTGRES_URL or COPKIT_TEST_POSTGRES_URL)
//
// Seeds N running programmes, each with 20 enrolled participants, 8 sessions (4 held, with
// attendance and published minutes; 4 scheduled), 10 agreements and 2 insights, through the
// library's own repositories (values built as the services build them, saved in one transaction per
// programme), then times, `rounds` times each, on the same store:
//   overview   Network.overview as the coordinator
//   report     FollowUp.report of one programme
//   search     Network.search for a word in 1 of every 10 insights
//   minutes    Network.searchMinutes for words in the minutes and the titles of the regions with a 7 in their number
//   erase      PersonalData.erase of one participant (a different one each round)
// and prints one JSON line: { n, entities, seedSeconds, dbMiB, overview: [ms...], ... }.
//
//   node bench/.out/network.scenarios.mjs <db> <N> <rounds> keep
// does the same and keeps the store (the SQLite file or the PostgreSQL schema, named in the line's
// `kept`), for
//   node bench/.out/network.scenarios.mjs <db> first <kept> [phases] [drop]
// which opens that store in this fresh process and times its first overview (`first`: ms); with
// `phases`, first each read the overview makes, one after the other, as it makes them (`phases`:
// { name: ms }); with `drop`, it removes the store afterwards.
import { mkdtempSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { basename, dirname, join } from "node:path"
import { performance } from "node:perf_hooks"
import { Effect, Layer, Redacted, Schema } from "effect"
import {
  Actor,
  Agreement,
  Enrolment,
  FollowUp,
  Ids,
  Insight,
  Network,
  PersonalData,
  Programme,
  Repository,
  Session,
  Summary,
  Transaction
} from "../packages/core/src/index.ts"
import { SqliteStore } from "../packages/storage-sqlite/src/index.ts"
import { PgStore } from "../packages/storage-postgres/src/index.ts"

const [db, nArg, roundsArg, ...flags] = process.argv.slice(2)
const first = nArg === "first"
const n = first ? 0 : Number(nArg)
const rounds = first ? 0 : Number(roundsArg ?? 5)
const t0 = new Date("2027-02-01T09:00:00Z")
const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_coordinator" })

const decodePerson = Schema.decodeUnknownSync(Enrolment.Enrolment.fields.person)
const decodeRegion = Schema.decodeUnknownSync(Programme.Programme.fields.region)
const words = ["kassa", "webshop", "personeel", "energie", "warmte", "subsidie", "scholing", "logistiek", "export", "zorg"]

const programmeOf = (i) => {
  const id = `prg_${i}`
  const regionId = `region-${i}`
  const themes = [
    new Programme.Theme({ id: `thm_${i}_a`, title: "Personeel en arbeidsmarkt", catalogueKey: "arbeidsmarkt", scope: "CrossRegional", tags: [], proposedBy: `per_${i}_0`, proposedAt: t0, votes: [], withdrawn: false }),
    new Programme.Theme({ id: `thm_${i}_b`, title: `Thema van regio ${i}`, scope: "Regional", tags: [], proposedBy: `per_${i}_0`, proposedAt: t0, votes: [], withdrawn: false })
  ]
  const plan = Array.from({ length: 8 }, (_, k) =>
    new Programme.PlanItem({
      id: `${id}_pli_${k}`,
      role: k === 0 ? "KickOff" : k === 7 ? "Closing" : "Regular",
      themeId: themes[k % 2].id,
      goal: `Doel ${k + 1}`,
      workForms: ["Intervision"],
      durationMinutes: 180,
      agenda: [],
      administratorsInvited: k === 0 || k === 7,
      checklist: []
    }))
  return new Programme.Programme({
    id,
    region: decodeRegion({ id: regionId, name: `Regio ${i}`, provinces: ["Utrecht"], municipalities: [`Gemeente ${i}`] }),
    regionId,
    applicationId: `app_${i}`,
    state: "Running",
    coreTeam: [],
    goals: new Programme.Goals({ intendedResults: ["Ondernemers vinden elkaar."], whoIsNeeded: ["Ondernemers"], whoCanContribute: [] }),
    themes,
    plan,
    planApprovedAt: t0,
    createdAt: t0,
    updatedAt: t0
  })
}

const seedProgramme = (i) =>
  Effect.gen(function*() {
    const programme = programmeOf(i)
    const people = Array.from({ length: 20 }, (_, k) =>
      decodePerson({ id: `per_${i}_${k}`, name: `Deelnemer ${k} van regio ${i}`, email: `d${k}@regio${i}.example`, organisation: `Bedrijf ${k}`, helixRole: "Entrepreneur" }))
    yield* (yield* Repository.ProgrammeRepository).save(programme, 0)
    const enrolments = yield* Repository.EnrolmentRepository
    for (const [k, person] of people.entries()) {
      yield* enrolments.save(new Enrolment.Enrolment({ id: `enr_${i}_${k}`, programmeId: programme.id, regionId: programme.regionId, person, status: "Active", enrolledAt: t0 }), 0)
    }
    const sessions = yield* Repository.SessionRepository
    for (let k = 0; k < 8; k++) {
      const start = new Date(Date.UTC(2027, 1, 2 + k * 21, 13))
      const held = k < 4
      yield* sessions.save(
        new Session.Session({
          id: `ses_${i}_${k}`,
          programmeIds: [programme.id],
          regionIds: [programme.regionId],
          planItemId: programme.plan[k].id,
          title: `Bijeenkomst ${k + 1} van regio ${i}`,
          themeId: programme.themes[k % 2].id,
          workForms: ["Intervision"],
          agenda: [],
          start,
          end: new Date(start.getTime() + 3 * 3_600_000),
          state: held ? "Held" : "Invited",
          sequence: 0,
          invitations: people.map((p) => new Session.Invitation({ personId: p.id, programmeId: programme.id, name: p.name, email: p.email, language: "nl", answer: "Accepted", invitedAt: t0 })),
          attendance: held ? people.map((p, x) => new Session.Attendance({ personId: p.id, present: x % 5 !== 4, recordedAt: start })) : [],
          ...(held ? { minutes: new Session.Minutes({ state: "Published", text: `Verslag van bijeenkomst ${k + 1}.`, updatedBy: people[0].id, updatedAt: start, publishedAt: start }) } : {}),
          createdAt: t0,
          updatedAt: t0
        }),
        0
      )
    }
    const agreements = yield* Repository.AgreementRepository
    for (let k = 0; k < 10; k++) {
      const owner = people[k]
      yield* agreements.save(
        new Agreement.Agreement({
          id: `agr_${i}_${k}`,
          programmeId: programme.id,
          regionId: programme.regionId,
          action: `Afspraak ${k + 1}: vervolg met ${owner.name}`,
          owner: { personId: owner.id, name: owner.name, organisation: owner.organisation },
          dueDate: "2027-09-30",
          sessionId: `ses_${i}_3`,
          status: k % 3 === 0 ? "Done" : "Open",
          notes: [],
          createdAt: t0,
          updatedAt: t0
        }),
        0
      )
    }
    const insights = yield* Repository.InsightRepository
    for (let k = 0; k < 2; k++) {
      yield* insights.save(
        new Insight.Insight({
          id: `ins_${i}_${k}`,
          sessionId: `ses_${i}_${k}`,
          programmeId: programme.id,
          regionId: programme.regionId,
          kind: k === 0 ? "PracticeExample" : "WhatWorked",
          title: `Praktijkvoorbeeld ${words[(i * 2 + k) % 10]} uit regio ${i}`,
          text: `Wat werkte: ${words[(i + k) % 10]} samen aanpakken.`,
          themeIds: [programme.themes[0].id],
          tags: [words[(i * 2 + k) % 10]],
          author: people[0].id,
          recordedAt: t0
        }),
        0
      )
    }
  }).pipe(Transaction.run)

const time = (effect) =>
  Effect.gen(function*() {
    const started = performance.now()
    yield* effect
    return performance.now() - started
  })

const services = Layer.mergeAll(Network.layer, FollowUp.layer, PersonalData.layer).pipe(Layer.provide(Ids.layerRandom))

const pgUrl = process.env.COPKIT_BENCH_POSTGRES_URL || process.env.COPKIT_TEST_POSTGRES_URL || undefined
const keep = !first && flags.includes("keep")
const drop = !first || flags.includes("drop")
const dir = first ? undefined : mkdtempSync(join(tmpdir(), "copkit-bench-network-"))
const filename = first ? roundsArg : join(dir, "network.db")
const schema = first ? roundsArg : `bench_network_${process.pid}`
const storage = db === "pg"
  ? PgStore.layer({ url: Redacted.make(pgUrl), schema })
  : SqliteStore.layer({ filename })

const program = Effect.gen(function*() {
  const seeding = performance.now()
  for (let i = 0; i < n; i++) yield* seedProgramme(i)
  const seedSeconds = (performance.now() - seeding) / 1000
  const network = yield* Network.Network
  const followUp = yield* FollowUp.FollowUp
  const personalData = yield* PersonalData.PersonalData
  const out = { db, n, entities: n * (1 + 20 + 8 + 10 + 2), seedSeconds: Math.round(seedSeconds * 10) / 10, overview: [], report: [], search: [], minutes: [], erase: [] }
  for (let r = 0; r < rounds; r++) {
    out.overview.push(yield* time(network.overview({})))
    out.report.push(yield* time(followUp.report({ programmeId: `prg_${(r * 7) % n}` })))
    const hits = yield* network.search({ text: "webshop" })
    if (hits.length === 0) throw new Error("the search found nothing")
    out.search.push(yield* time(network.search({ text: "webshop" })))
    const minutes = yield* network.searchMinutes({ text: "verslag regio 7" })
    if (minutes.length === 0) throw new Error("the minutes search found nothing")
    out.minutes.push(yield* time(network.searchMinutes({ text: "verslag regio 7" })))
    out.erase.push(yield* time(personalData.erase({ personId: `per_${(r * 3) % n}_${5 + r}` })))
  }
  if (keep) out.kept = db === "pg" ? schema : filename
  return out
}).pipe(Actor.as(coordinator), Effect.provide(services), Effect.provide(storage))

/** Each read of the overview on its own, in its order (see Network.overview), then the overview: where a fresh process's time goes. */
const phases = Effect.gen(function*() {
  const out = {}
  // wall ms, and this process's CPU ms (the database server's work is in the wall time only)
  const phase = (name, effect) =>
    Effect.suspend(() => {
      const cpu = process.cpuUsage()
      return Effect.map(time(effect), (ms) => {
        const used = process.cpuUsage(cpu)
        out[name] = [Math.round(ms * 10) / 10, Math.round((used.user + used.system) / 100) / 10]
      })
    })
  yield* phase("applications", Effect.flatMap(Summary.Summaries, (s) => s.applications()))
  yield* phase("programmes", Effect.flatMap(Summary.Summaries, (s) => s.programmes()))
  yield* phase("sessions", Effect.flatMap(Summary.Summaries, (s) => s.sessions({ state: ["Scheduled", "Invited", "Held"] })))
  yield* phase("agreements", Effect.flatMap(Summary.Summaries, (s) => s.agreements()))
  yield* phase("evaluations", Effect.flatMap(Repository.EvaluationRepository, (r) => r.list({ state: "Answered" })))
  yield* phase("measures", Effect.flatMap(Repository.MeasureRepository, (r) => r.list()))
  yield* phase("overview after", Effect.flatMap(Network.Network, (network) => network.overview({})))
  return out
})

/** The first overview of a fresh process on a kept store. */
const firstOverview = Effect.gen(function*() {
  const out = { db, first: undefined }
  if (flags.includes("phases")) out.phases = yield* phases
  else {
    const cpu = process.cpuUsage()
    out.first = yield* time(Effect.flatMap(Network.Network, (network) => network.overview({})))
    const used = process.cpuUsage(cpu)
    out.cpu = Math.round((used.user + used.system) / 100) / 10
  }
  return out
}).pipe(Actor.as(coordinator), Effect.provide(services), Effect.provide(storage))

if (first && (roundsArg === undefined || (db === "sqlite" && !basename(dirname(roundsArg)).startsWith("copkit-bench-network-")))) {
  throw new Error("first: name a store kept by this script")
}
if (db === "pg" && pgUrl === undefined) {
  console.log(JSON.stringify({ db, n, skipped: "no PostgreSQL (set COPKIT_TEST_POSTGRES_URL)" }))
} else {
  let kept = false
  try {
    const result = await Effect.runPromise(first ? firstOverview : program)
    if (db === "sqlite" && !first) result.dbMiB = Math.round(statSync(filename).size / 1024 / 1024 * 10) / 10
    kept = keep
    console.log(JSON.stringify(result))
  } finally {
    if (drop && !kept) {
      // a kept file: its folder is the one this script made for it
      if (db === "sqlite") rmSync(first ? dirname(filename) : dir, { recursive: true, force: true })
      if (db === "pg") {
        const pg = (await import("pg")).default
        const client = new pg.Client({ connectionString: pgUrl })
        await client.connect()
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
        await client.end()
      }
    }
  }
}
