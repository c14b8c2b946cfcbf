/**
 * The sessions' summaries kept beside them (migration 0008, `src/internal/sessionSummaries.ts`),
 * checked on SQLite (storage-sqlite's tests) and PostgreSQL (storage-postgres's): each save keeps
 * its session's summary; a store opened afresh (no summary cached) reads those and returns the
 * pure rule's summaries; one whose version is not the session's (written by an older release) is
 * not used; and the migration fills the column for the sessions stored before it. The same for
 * the programmes' summaries.
 */
import { expect } from "@effect/vitest"
import { Effect, Schema } from "effect"
import type { SqlClient } from "@effect/sql"
import type { Ids } from "@copkit/core"
import { Entity, Programme, Region, Session, Summary } from "@copkit/core"

const at = new Date("2027-03-04T13:30:00.000Z")

/** A session of one or two programmes, held (with attendance) or invited. */
export const sessionOf = (id: string, options: { readonly held: boolean; readonly programmes: ReadonlyArray<string>; readonly start?: Date }) =>
  new Session.Session({
    id: id as Ids.SessionId,
    programmeIds: options.programmes as never,
    regionIds: ["region-summaries"] as never,
    title: "Bijeenkomst",
    workForms: [],
    agenda: [],
    ...(options.start === undefined ? {} : { start: options.start, end: new Date(options.start.getTime() + 3_600_000) }),
    timeZone: "Europe/Amsterdam",
    state: options.held ? "Held" : "Invited",
    sequence: 0,
    invitations: [0, 1, 2, 3].map((k) =>
      new Session.Invitation({
        personId: `per_${id}_${k}` as Ids.PersonId,
        programmeId: options.programmes[k % options.programmes.length] as Ids.ProgrammeId,
        name: "Iemand",
        email: "iemand@example.nl" as never,
        language: "nl",
        answer: "Accepted",
        invitedAt: at
      })
    ),
    attendance: options.held ? [0, 1, 2].map((k) => new Session.Attendance({ personId: `per_${id}_${k}` as Ids.PersonId, present: k !== 1, recordedAt: at })) : [],
    createdAt: at,
    updatedAt: at
  })

const encodeSession = Schema.encodeSync(Session.Session)
const encodeProgramme = Schema.encodeSync(Programme.Programme)

/** A programme with a theme and a task. */
export const programmeOf = (id: string, state: Programme.ProgrammeState) =>
  new Programme.Programme({
    id: id as Ids.ProgrammeId,
    region: new Region.Region({ id: `region-${id}` as Ids.RegionId, name: `Regio ${id}`, provinces: ["Utrecht"], municipalities: ["Zeist"] }),
    regionId: `region-${id}` as Ids.RegionId,
    applicationId: `app_${id}` as Ids.ApplicationId,
    state,
    coreTeam: [],
    goals: new Programme.Goals({ intendedResults: ["Ondernemers vinden elkaar."], whoIsNeeded: [], whoCanContribute: [] }),
    themes: [new Programme.Theme({ id: `thm_${id}` as Ids.ThemeId, title: "Energie", catalogueKey: "energie", scope: "Regional", tags: [], proposedBy: "per_x" as Ids.PersonId, proposedAt: at, votes: [] })],
    plan: [new Programme.PlanItem({
      id: `pli_${id}` as Ids.PlanItemId,
      role: "KickOff",
      goal: "Kennismaken",
      workForms: [],
      durationMinutes: 120,
      agenda: [],
      administratorsInvited: true,
      checklist: [new Programme.ChecklistTask({ key: "zaal", title: "Zaal regelen", owner: "Region", dueDaysBefore: 7 })]
    })],
    evaluationQuestions: [new Programme.EvaluationQuestion({ key: "nuttig", kind: "Scale", text: { nl: "Hoe nuttig?", en: "How useful?" } })],
    createdAt: at,
    updatedAt: at
  })
const states = ["Scheduled", "Invited", "Held"] as const

/**
 * The check. `open` opens the store afresh on the same database (its migrations run); `table` is
 * the sessions table's name as SQL takes it; `migrations` the migrations table's.
 */
export const keptSummaries = <E, R>(options: {
  readonly open: Effect.Effect<{ readonly summaries?: Summary.Summaries["Type"] | undefined; readonly store: import("@copkit/core").Repository.Storage["store"] }, E, R>
  readonly sql: SqlClient.SqlClient
  readonly table: string
  readonly programmes: string
  readonly migrations: string
  /** The SQLite index that holds the summaries (dropped with the column). */
  readonly index: string
}) =>
  Effect.gen(function*() {
    const { sql } = options
    const ids = [1, 2, 3, 4].map((k) => `ses_summary_${Date.now().toString(36)}_${k}`)
    const sessions = [
      sessionOf(ids[0]!, { held: true, programmes: ["prg_a"], start: at }),
      sessionOf(ids[1]!, { held: true, programmes: ["prg_a", "prg_b"], start: at }),
      sessionOf(ids[2]!, { held: false, programmes: ["prg_b"], start: at }),
      sessionOf(ids[3]!, { held: false, programmes: ["prg_a"] })
    ]
    const first = yield* options.open
    const repository = first.store.repository(Entity.SessionKind)
    for (const s of sessions) yield* repository.save(s, 0)
    const programmeIds = [1, 2].map((k) => `prg_summary_${Date.now().toString(36)}_${k}`)
    const programmes = [programmeOf(programmeIds[0]!, "Running"), programmeOf(programmeIds[1]!, "CoDesign")]
    for (const p of programmes) yield* first.store.repository(Entity.ProgrammeKind).save(p, 0)
    const oursP = (listed: ReadonlyArray<Summary.ProgrammeSummary>) => listed.filter((p) => programmeIds.includes(p.id))
    // changed once: the kept summary is the new version's
    const changed = new Session.Session({ ...sessions[0]!, attendance: sessions[0]!.attendance.map((a) => new Session.Attendance({ ...a, present: !a.present })) })
    yield* repository.save(changed, 1)
    const current = [changed, ...sessions.slice(1)]
    const ours = (listed: ReadonlyArray<Summary.SessionSummary>) => listed.filter((s) => ids.includes(s.id))
    const kept = yield* sql<{ readonly id: string; readonly summary: string | null }>`SELECT id, summary FROM ${sql(options.table)} WHERE ${sql.in("id", ids)} ORDER BY id`
    expect(kept.map((row) => JSON.parse(row.summary ?? "null")?.version)).toEqual([2, 1, 1, 1])

    // a store opened afresh reads the kept summaries: the pure rule's
    const fresh = yield* options.open
    expect(ours(yield* fresh.summaries!.sessions({ state: [...states] }))).toEqual(current.map(Summary.sessionSummary))
    expect(oursP(yield* fresh.summaries!.programmes())).toEqual(programmes.map(Summary.programmeSummary))

    // an older release saves a session (a new version, its document changed, no summary kept): not used
    const older = new Session.Session({ ...sessions[1]!, attendance: [] })
    yield* sql`UPDATE ${sql(options.table)} SET version = version + 1, document = ${JSON.stringify(encodeSession(older))} WHERE id = ${older.id}`
    const afterOlder = [changed, older, ...sessions.slice(2)]
    const olderProgramme = new Programme.Programme({ ...programmes[1]!, state: "Planned", themes: [] })
    yield* sql`UPDATE ${sql(options.programmes)} SET version = version + 1, document = ${JSON.stringify(encodeProgramme(olderProgramme))} WHERE id = ${olderProgramme.id}`
    const programmesAfter = [programmes[0]!, olderProgramme]
    const reopened = yield* options.open
    expect(ours(yield* reopened.summaries!.sessions({ state: [...states] }))).toEqual(afterOlder.map(Summary.sessionSummary))
    expect(oursP(yield* reopened.summaries!.programmes())).toEqual(programmesAfter.map(Summary.programmeSummary))

    // a database from before migration 0008: the migration fills the column from the documents
    yield* sql`DROP INDEX IF EXISTS ${sql(options.index)}`
    yield* sql`ALTER TABLE ${sql(options.table)} DROP COLUMN summary`
    yield* sql`ALTER TABLE ${sql(options.programmes)} DROP COLUMN summary`
    yield* sql`DELETE FROM ${sql(options.migrations)} WHERE migration_id >= 8`
    const migrated = yield* options.open
    const filled = yield* sql<{ readonly id: string; readonly summary: string | null }>`SELECT id, summary FROM ${sql(options.table)} WHERE ${sql.in("id", ids)} ORDER BY id`
    expect(filled.map((row) => JSON.parse(row.summary ?? "null")?.version)).toEqual([2, 2, 1, 1])
    expect(ours(yield* migrated.summaries!.sessions({ state: [...states] }))).toEqual(afterOlder.map(Summary.sessionSummary))
    const filledP = yield* sql<{ readonly id: string; readonly summary: string | null }>`SELECT id, summary FROM ${sql(options.programmes)} WHERE ${sql.in("id", programmeIds)} ORDER BY id`
    expect(filledP.map((row) => JSON.parse(row.summary ?? "null")?.version)).toEqual([1, 2])
    expect(oursP(yield* migrated.summaries!.programmes())).toEqual(programmesAfter.map(Summary.programmeSummary))
    // and that read came from the column: a summary kept there is what a fresh store returns
    yield* sql`UPDATE ${sql(options.table)} SET summary = ${JSON.stringify({ ...JSON.parse(filled[3]!.summary!), timeZone: "Europe/Brussels" })} WHERE id = ${ids[3]!}`
    const marked = (yield* (yield* options.open).summaries!.sessions({ state: [...states] })).find((s) => s.id === ids[3])
    expect(marked?.timeZone).toBe("Europe/Brussels")
    const keptP = JSON.parse(filledP[0]!.summary!)
    yield* sql`UPDATE ${sql(options.programmes)} SET summary = ${JSON.stringify({ ...keptP, summary: { ...keptP.summary, state: "FollowUp" } })} WHERE id = ${programmeIds[0]!}`
    const markedP = (yield* (yield* options.open).summaries!.programmes()).find((p) => p.id === programmeIds[0])
    expect(markedP?.state).toBe("FollowUp")
    expect(markedP?.createdAt).toEqual(at)
    expect(markedP?.evaluationQuestions?.[0]).toBeInstanceOf(Programme.EvaluationQuestion)
  })
