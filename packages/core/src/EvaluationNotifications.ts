/**
 * The evaluation request: when a session is held (`SessionHeld`), each person recorded as present
 * gets a short message asking them to evaluate it, in their language, with the link to the form
 * when the settings give one (`evaluation.answerUrl`, `{sessionId}` replaced). Sent through the
 * dispatcher like every message, once per event and person. `SessionNotifications.forSessionEvent`
 * answers `SessionHeld` with these; turn them off with `evaluation.requestAfterSession: false`.
 *
 * Attendance corrected after the session was first held sends no second request: people added
 * later may still answer (they are attendees), they are not asked by e-mail.
 *
 * @since 0.3.0
 */
import { Effect, Option } from "effect"
import type { Email, Line } from "./Common.js"
import type { StorageError } from "./Errors.js"
import { questionsOf } from "./Evaluation.js"
import type { RecordedEvent } from "./Events.js"
import type { SessionId } from "./Ids.js"
import { Notification, Recipient, SessionDetails } from "./Notification.js"
import type { Programme } from "./ProgrammeModel.js"
import { ProgrammeRepository, SessionRepository } from "./Repository.js"
import { Settings } from "./Settings.js"

/**
 * The evaluation requests of a held session: one `EvaluationRequest` per attendee with an
 * invitation (their address and language), none when the settings turn them off or the session
 * is not held (any more). Reads the session as it is now.
 *
 * @category notifications
 */
export const evaluationRequests = (
  event: RecordedEvent,
  sessionId: SessionId
): Effect.Effect<ReadonlyArray<Notification>, StorageError, SessionRepository | ProgrammeRepository> =>
  Effect.gen(function*() {
    const settings = yield* Settings
    if (!settings.evaluation.requestAfterSession) return []
    const found = yield* Effect.flatMap(SessionRepository, (repo) => repo.find(sessionId))
    if (Option.isNone(found)) return []
    const session = found.value.value
    if (session.state !== "Held" || session.start === undefined || session.end === undefined) return []
    const present = new Set(session.attendance.filter((a) => a.present).map((a) => a.personId))
    const invitees = session.invitations.filter((i) => present.has(i.personId))
    const programmes = yield* ProgrammeRepository
    const byId = new Map<string, Programme | undefined>()
    for (const programmeId of new Set(invitees.map((i) => i.programmeId))) {
      byId.set(programmeId, Option.getOrUndefined(Option.map(yield* programmes.find(programmeId), (v) => v.value)))
    }
    const organizer = { name: settings.sessions.organizer.name as typeof Line.Type, email: settings.sessions.organizer.email as Email }
    const url = settings.evaluation.answerUrl?.replaceAll("{sessionId}", encodeURIComponent(session.id))
    const details = new SessionDetails({
      uid: `${session.id}@copkit`,
      sequence: session.sequence,
      title: session.title,
      start: session.start,
      end: session.end,
      timeZone: session.timeZone,
      format: session.format,
      agenda: []
    })
    return invitees.map((i) => {
      const programme = byId.get(i.programmeId)
      const questions = programme === undefined ? settings.evaluation.defaultQuestions : questionsOf(programme, settings.evaluation)
      return new Notification({
        kind: "EvaluationRequest",
        eventId: event.id,
        recipient: new Recipient({ personId: i.personId, name: i.name, email: i.email, language: i.language }),
        programmeName: (programme?.region.name ?? session.title) as typeof Line.Type,
        organizer,
        session: details,
        evaluation: { ...(url === undefined ? {} : { url }), questions: questions.length }
      })
    })
  })
