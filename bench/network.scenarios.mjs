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
import { mkdtempSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
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
  Transaction
} from "../packages/core/src/index.ts"
import { SqliteStore } from "../packages/storage-sqlite/src/index.ts"
import { PgStore } from "../packages/storage-postgres/src/index.ts"

const [db, nArg, roundsArg] = process.argv.slice(2)
const n = Number(nArg)
const rounds = Number(roundsArg ?? 5)
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

const dir = mkdtempSync(join(tmpdir(), "copkit-bench-network-"))
const filename = join(dir, "network.db")
const pgUrl = process.env.COPKIT_BENCH_POSTGRES_URL || process.env.COPKIT_TEST_POSTGRES_URL || undefined
const schema = `bench_network_${process.pid}`
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
  return out
}).pipe(Actor.as(coordinator), Effect.provide(services), Effect.provide(storage))

if (db === "pg" && pgUrl === undefined) {
  console.log(JSON.stringify({ db, n, skipped: "no PostgreSQL (set COPKIT_TEST_POSTGRES_URL)" }))
} else {
  try {
    const result = await Effect.runPromise(program)
    if (db === "sqlite") result.dbMiB = Math.round(statSync(filename).size / 1024 / 1024 * 10) / 10
    console.log(JSON.stringify(result))
  } finally {
    rmSync(dir, { recursive: true, force: true })
    if (db === "pg") {
      const pg = (await import("pg")).default
      const client = new pg.Client({ connectionString: pgUrl })
      await client.connect()
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await client.end()
    }
  }
}
