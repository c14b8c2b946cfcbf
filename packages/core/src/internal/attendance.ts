/**
 * The attendance rule of one programme's invitees at a session, written once for the report
 * (`Report.sessionAttendance`) and the overview's session summaries (`Summary.sessionSummary`).
 *
 * @internal
 */
import type { Session } from "../Session.js"

/**
 * How many of the programme's invitees were invited and present: on a session of one programme,
 * every invitation and every present attendee; on a cross-regional one, the programme's own
 * invitations and the present attendees among them.
 *
 * @internal
 */
export const invitedAndPresent = (
  session: Pick<Session, "programmeIds" | "invitations" | "attendance">,
  programmeId: string
): { readonly invited: number; readonly present: number } => {
  const single = session.programmeIds.length === 1
  const invitees = session.invitations.filter((i) => single || i.programmeId === programmeId)
  const ids = new Set<string>(invitees.map((i) => i.personId))
  const present = session.attendance.filter((a) => a.present && (single || ids.has(a.personId))).length
  return { invited: invitees.length, present }
}
