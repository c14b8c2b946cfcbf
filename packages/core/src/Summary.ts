/**
 * Narrow reads for the network overview: what it needs of each session (its state, date, time
 * zone, programmes and, when held, its attendance counts) and of the agreements (how many of each
 * status per programme), without the full entities. A storage adapter may compute them in its own
 * query language (the SQL store does); {@link fromRepositories} computes them from any
 * repositories, and is what {@link Repository.layerStorage} provides when an adapter has none.
 * Either way they equal the pure rules {@link sessionSummary} and {@link agreementTallies}.
 *
 * @since 0.1.0
 */
import { Context, Effect } from "effect"
import type { Agreement, AgreementStatus } from "./Agreement.js"
import type { StorageError } from "./Errors.js"
import type { ProgrammeId, SessionId } from "./Ids.js"
import { invitedAndPresent } from "./internal/attendance.js"
import type { Repository } from "./Repository.js"
import type { Session, SessionState } from "./Session.js"

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
  /** The summaries of the sessions in the given states, ordered by id. */
  readonly sessions: (query: { readonly state: ReadonlyArray<SessionState> }) => Effect.Effect<ReadonlyArray<SessionSummary>, StorageError>
  /** The agreements counted per programme and status ({@link agreementTallies}). */
  readonly agreements: () => Effect.Effect<ReadonlyArray<AgreementTally>, StorageError>
}>() {}

/** The narrow reads computed from the full entities of two repositories: the fallback of any adapter. @category constructors */
export const fromRepositories = (
  sessions: Repository<Session>,
  agreements: Repository<Agreement>
): Context.Tag.Service<Summaries> => ({
  sessions: (query) => Effect.map(sessions.list({ state: query.state }), (listed) => listed.map((s) => sessionSummary(s.value))),
  agreements: () => Effect.map(agreements.list(), (listed) => agreementTallies(listed.map((a) => a.value)))
})
