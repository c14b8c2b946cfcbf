/**
 * Narrow reads for the network overview: what it needs of each programme and application (its
 * region, state, themes, tasks, goals' verdicts, evaluation questions: {@link ProgrammeSummary},
 * {@link ApplicationSummary}), of each session (its state, date, time zone, programmes and, when
 * held, its attendance counts) and of the agreements (how many of each status per programme),
 * without the full entities. A storage adapter may compute them in its own
 * query language (the SQL store does); {@link fromRepositories} computes them from any
 * repositories, and is what {@link Repository.layerStorage} provides when an adapter has none.
 * Either way they equal the pure rules {@link programmeSummary}, {@link applicationSummary},
 * {@link sessionSummary} and {@link agreementTallies}.
 *
 * @since 0.1.0
 */
import { Context, Effect, Schema } from "effect"
import type { Agreement, AgreementStatus } from "./Agreement.js"
import { Application } from "./Application.js"
import type { StorageError } from "./Errors.js"
import type { ProgrammeId, SessionId } from "./Ids.js"
import { invitedAndPresent } from "./internal/attendance.js"
import { ChecklistTask, GoalVerdict, Goals, PlanItem, Programme, Theme } from "./ProgrammeModel.js"
import { Region } from "./Region.js"
import type { Repository } from "./Repository.js"
import type { Session, SessionState } from "./Session.js"

/**
 * What the overview reads of a programme: a narrow read of its stored document, decoded with the
 * programme's own field schemas (the same values, the same checks) but only these fields. A
 * `Programme` is one.
 *
 * @category models
 */
export const ProgrammeSummary = Schema.Struct({
  id: Programme.fields.id,
  region: Schema.Struct({ name: Region.fields.name }),
  regionId: Programme.fields.regionId,
  applicationId: Programme.fields.applicationId,
  state: Programme.fields.state,
  goals: Schema.Struct({ intendedResults: Goals.fields.intendedResults }),
  themes: Schema.Array(Schema.Struct({
    id: Theme.fields.id,
    title: Theme.fields.title,
    catalogueKey: Theme.fields.catalogueKey,
    withdrawn: Theme.fields.withdrawn
  })),
  plan: Schema.Array(Schema.Struct({
    sessionId: PlanItem.fields.sessionId,
    checklist: Schema.Array(Schema.Struct({ dueDaysBefore: ChecklistTask.fields.dueDaysBefore, done: ChecklistTask.fields.done }))
  })),
  evaluationQuestions: Programme.fields.evaluationQuestions,
  verdicts: Schema.optional(Schema.Array(Schema.Struct({
    resultIndex: GoalVerdict.fields.resultIndex,
    result: GoalVerdict.fields.result,
    verdict: GoalVerdict.fields.verdict
  }))),
  createdAt: Programme.fields.createdAt
})
/** @category models */
export interface ProgrammeSummary extends Schema.Schema.Type<typeof ProgrammeSummary> {}

/** What the overview reads of an application (a region with no programme yet). An `Application` is one. @category models */
export const ApplicationSummary = Schema.Struct({
  id: Application.fields.id,
  region: Schema.Struct({ id: Region.fields.id, name: Region.fields.name }),
  state: Application.fields.state,
  createdAt: Application.fields.createdAt
})
/** @category models */
export interface ApplicationSummary extends Schema.Schema.Type<typeof ApplicationSummary> {}

/** The summary of a programme: its fields that {@link ProgrammeSummary} names. A pure function. @category rules */
export const programmeSummary = (p: Programme): ProgrammeSummary => ({
  id: p.id,
  region: { name: p.region.name },
  regionId: p.regionId,
  applicationId: p.applicationId,
  state: p.state,
  goals: { intendedResults: p.goals.intendedResults },
  themes: p.themes.map((t) => ({
    id: t.id,
    title: t.title,
    ...(t.catalogueKey === undefined ? {} : { catalogueKey: t.catalogueKey }),
    withdrawn: t.withdrawn
  })),
  plan: p.plan.map((i) => ({
    ...(i.sessionId === undefined ? {} : { sessionId: i.sessionId }),
    checklist: i.checklist.map((t) => ({ dueDaysBefore: t.dueDaysBefore, done: t.done }))
  })),
  ...(p.evaluationQuestions === undefined ? {} : { evaluationQuestions: p.evaluationQuestions }),
  ...(p.verdicts === undefined ? {} : { verdicts: p.verdicts.map((v) => ({ resultIndex: v.resultIndex, result: v.result, verdict: v.verdict })) }),
  createdAt: p.createdAt
})

/** The summary of an application. A pure function. @category rules */
export const applicationSummary = (a: Application): ApplicationSummary => ({
  id: a.id,
  region: { id: a.region.id, name: a.region.name },
  state: a.state,
  createdAt: a.createdAt
})

/** The attendance of one programme's invitees at a held session. @category models */
export interface ProgrammeAttendance {
  readonly programmeId: ProgrammeId
  readonly invited: number
  readonly present: number
}

/** What the overview reads of a session. @category models */
export interface SessionSummary {
  readonly id: SessionId
  readonly state: SessionState
  /** As the session holds them, in its order. */
  readonly programmeIds: ReadonlyArray<ProgrammeId>
  readonly start?: Date | undefined
  readonly timeZone: string
  /** A held session: one entry per element of `programmeIds`, in its order (`Report.sessionAttendance`); any other: none. */
  readonly attendance: ReadonlyArray<ProgrammeAttendance>
}

/** How many agreements of a programme have a status. @category models */
export interface AgreementTally {
  readonly programmeId: ProgrammeId
  readonly status: AgreementStatus
  readonly count: number
}

/** The summary of a session. A pure function. @category rules */
export const sessionSummary = (session: Session): SessionSummary => ({
  id: session.id,
  state: session.state,
  programmeIds: session.programmeIds,
  start: session.start,
  timeZone: session.timeZone,
  attendance: session.state === "Held"
    ? session.programmeIds.map((programmeId) => ({ programmeId, ...invitedAndPresent(session, programmeId) }))
    : []
})

/** How many agreements of each programme have each status, ordered by programme id, then status. A pure function. @category rules */
export const agreementTallies = (agreements: ReadonlyArray<Agreement>): ReadonlyArray<AgreementTally> => {
  const counts = new Map<string, { programmeId: ProgrammeId; status: AgreementStatus; count: number }>()
  for (const a of agreements) {
    const key = JSON.stringify([a.programmeId, a.status])
    const tally = counts.get(key)
    if (tally === undefined) counts.set(key, { programmeId: a.programmeId, status: a.status, count: 1 })
    else tally.count++
  }
  return [...counts.values()].sort((a, b) =>
    a.programmeId < b.programmeId ? -1 : a.programmeId > b.programmeId ? 1 : a.status < b.status ? -1 : a.status > b.status ? 1 : 0
  )
}

/**
 * The narrow reads of the overview. Sessions come ordered by id, as a repository lists them.
 *
 * @category ports
 */
export class Summaries extends Context.Tag("@copkit/core/Summaries")<Summaries, {
  /** The summaries of every programme ({@link programmeSummary}), ordered by id. */
  readonly programmes: () => Effect.Effect<ReadonlyArray<ProgrammeSummary>, StorageError>
  /** The summaries of every application ({@link applicationSummary}), ordered by id. */
  readonly applications: () => Effect.Effect<ReadonlyArray<ApplicationSummary>, StorageError>
  /** The summaries of the sessions in the given states, ordered by id. */
  readonly sessions: (query: { readonly state: ReadonlyArray<SessionState> }) => Effect.Effect<ReadonlyArray<SessionSummary>, StorageError>
  /** The agreements counted per programme and status ({@link agreementTallies}). */
  readonly agreements: () => Effect.Effect<ReadonlyArray<AgreementTally>, StorageError>
}>() {}

/** The narrow reads computed from the full entities of the repositories: the fallback of any adapter. @category constructors */
export const fromRepositories = (
  sessions: Repository<Session>,
  agreements: Repository<Agreement>,
  programmes: Repository<Programme>,
  applications: Repository<Application>
): Context.Tag.Service<Summaries> => ({
  programmes: () => Effect.map(programmes.list(), (listed) => listed.map((p) => programmeSummary(p.value))),
  applications: () => Effect.map(applications.list(), (listed) => listed.map((a) => applicationSummary(a.value))),
  sessions: (query) => Effect.map(sessions.list({ state: query.state }), (listed) => listed.map((s) => sessionSummary(s.value))),
  agreements: () => Effect.map(agreements.list(), (listed) => agreementTallies(listed.map((a) => a.value)))
})
