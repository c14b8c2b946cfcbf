/**
 * Closing a programme: its closing session, what it still lacks, and the step to `Completed`.
 * Pure rules; {@link close} returns the closed programme and its `ProgrammeCompleted` event.
 *
 * @since 0.1.0
 */
import { Either } from "effect"
import type { Agreement } from "./Agreement.js"
import type { Transitioned } from "./Command.js"
import type { InvalidTransition, RuleViolation } from "./Errors.js"
import type { Programme } from "./Programme.js"
import * as ProgrammeLife from "./Programme.js"
import type { Session } from "./Session.js"
import type { FollowUpSettings } from "./FollowUpReminders.js"
import { checkVerdicts, missingVerdicts } from "./Impact.js"

/**
 * The programme's closing session: the session of the plan's `Closing` item when one is
 * scheduled, else the programme's last session (by start) that was not cancelled.
 *
 * @category rules
 */
export const closingSession = (programme: Programme, sessions: ReadonlyArray<Session>): Session | undefined => {
  const own = sessions.filter((s) => s.programmeIds.includes(programme.id))
  const item = programme.plan.find((i) => i.role === "Closing")
  if (item !== undefined) {
    const linked = own.find((s) => s.planItemId === item.id || (item.sessionId !== undefined && s.id === item.sessionId))
    if (linked !== undefined && linked.state !== "Cancelled") return linked
  }
  const candidates = own
    .filter((s) => s.state !== "Cancelled")
    .sort((a, b) => (a.start?.getTime() ?? Number.MAX_SAFE_INTEGER) - (b.start?.getTime() ?? Number.MAX_SAFE_INTEGER))
  return candidates.at(-1)
}

/**
 * What a programme still lacks before it may close: the closing session held, and agreements
 * recorded (dropped ones do not count). Empty when it may close.
 *
 * @category rules
 */
export const missingForClose = (
  programme: Programme,
  sessions: ReadonlyArray<Session>,
  agreements: ReadonlyArray<Agreement>,
  settings: Pick<FollowUpSettings, "minAgreementsToClose">
): ReadonlyArray<string> => {
  const missing: Array<string> = []
  const closing = closingSession(programme, sessions)
  if (closing === undefined) missing.push("closing session: no session of this programme is scheduled")
  else if (closing.state !== "Held") missing.push(`closing session: "${closing.title}" (${closing.id}) is ${closing.state}, not Held`)
  const recorded = agreements.filter((a) => a.programmeId === programme.id && a.status !== "Dropped").length
  if (recorded < settings.minAgreementsToClose) {
    missing.push(`agreements: ${recorded} recorded, at least ${settings.minAgreementsToClose} needed`)
  }
  return missing
}

/**
 * Everything a programme still lacks before it may close: {@link missingForClose}, and a verdict
 * on each intended result of its goals (`Impact.missingVerdicts`). What `FollowUp.closeReadiness` returns.
 *
 * @category rules
 */
export const stillMissing = (
  programme: Programme,
  sessions: ReadonlyArray<Session>,
  agreements: ReadonlyArray<Agreement>,
  settings: Pick<FollowUpSettings, "minAgreementsToClose">
): ReadonlyArray<string> => [...missingForClose(programme, sessions, agreements, settings), ...missingVerdicts(programme)]

/** A closed programme with its event, and the session that closed it. @category models */
export interface Closed extends Transitioned<Programme> {
  readonly closingSession: Session
}

/**
 * Closes the programme: `Completed`, once the closing session is held and agreements are
 * recorded; refused with the rule `programme-close-ready` naming what is missing otherwise, and
 * then with the rule `goal-verdicts` while an intended result of the goals has no verdict.
 * Returns the programme and its `ProgrammeCompleted` event.
 *
 * @category rules
 */
export const close = (
  programme: Programme,
  sessions: ReadonlyArray<Session>,
  agreements: ReadonlyArray<Agreement>,
  settings: Pick<FollowUpSettings, "minAgreementsToClose">,
  now: Date
): Either.Either<Closed, InvalidTransition | RuleViolation> => {
  const closing = closingSession(programme, sessions)
  return Either.map(
    ProgrammeLife.close(programme, {
      closingSessionId: closing?.id,
      missing: missingForClose(programme, sessions, agreements, settings),
      agreements: agreements.filter((a) => a.programmeId === programme.id && a.status !== "Dropped").length
    }, now),
    (closed) => ({ ...closed, closingSession: closing! })
  ).pipe(Either.flatMap((closed) => Either.map(checkVerdicts(programme), () => closed)))
}
