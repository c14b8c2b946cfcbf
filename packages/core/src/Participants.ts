/**
 * The fixed group of a programme: enrolment, the reserve list, leaving and taking a place, and the
 * group's size and helix mix. Pure rules; the `Sessions` service does the I/O around them.
 *
 * @since 0.1.0
 */
import { Either, Schema } from "effect"
import type { Transitioned } from "./Command.js"
import type { DomainEvent } from "./Events.js"
import { Email, Language, Line, Paragraph } from "./Common.js"
import { Enrolment } from "./Enrolment.js"
import { InvalidTransition, RuleViolation } from "./Errors.js"
import { EnrolmentId, PersonId, ProgrammeId } from "./Ids.js"
import type { HelixRole } from "./Person.js"
import { HelixRole as HelixRoleSchema, helixCoverage } from "./Person.js"
import * as Session from "./Session.js"

/** The size of the fixed group. @category models */
export interface ParticipantSettings {
  /** The intended size of the group. */
  readonly target: number
  /** Below this size the group report warns. */
  readonly minimum: number
  /** Above this size the group report warns. */
  readonly maximum: number
  /**
   * A fixed participant who missed this many held sessions in a row is noticed: the core team gets
   * a message and the group report warns (`participant-missing`). 0 turns it off.
   */
  readonly missedInARow: number
}

/** The defaults of DOMAIN.md: target 20, warn below 12 and above 25, notice 2 missed sessions in a row. @category constants */
export const defaultParticipantSettings: ParticipantSettings = { target: 20, minimum: 12, maximum: 25, missedInARow: 2 }

/** One participant's attendance over the programme's held sessions. @category models */
export interface ParticipantAttendance {
  readonly personId: string
  /** Held sessions the person was invited to. */
  readonly invited: number
  readonly present: number
  /** Held sessions missed since the last one attended (the latest first), by start. */
  readonly missedInARow: number
  /** The sessions of that streak, oldest first. */
  readonly missedSessionIds: ReadonlyArray<string>
}

/**
 * Each person's attendance over a programme's held sessions (ordered by start): invited, present,
 * and the sessions missed in a row up to the latest. An invitee without an attendance entry counts
 * as absent. A pure function.
 *
 * @category rules
 */
export const attendanceOf = (
  programmeId: string,
  sessions: ReadonlyArray<Session.Session>
): ReadonlyMap<string, ParticipantAttendance> => {
  const held = sessions
    .filter((s) => s.state === "Held" && s.programmeIds.includes(programmeId as never) && s.start !== undefined)
    .sort((a, b) => a.start!.getTime() - b.start!.getTime() || (a.id < b.id ? -1 : 1))
  const out = new Map<string, { invited: number; present: number; missed: Array<string> }>()
  for (const s of held) {
    const present = new Set(s.attendance.filter((a) => a.present).map((a) => a.personId as string))
    for (const i of s.invitations) {
      if (i.programmeId !== programmeId) continue
      const row = out.get(i.personId) ?? { invited: 0, present: 0, missed: [] }
      row.invited += 1
      if (present.has(i.personId)) {
        row.present += 1
        row.missed = []
      } else {
        row.missed.push(s.id)
      }
      out.set(i.personId, row)
    }
  }
  return new Map([...out].map(([personId, r]) => [personId, {
    personId,
    invited: r.invited,
    present: r.present,
    missedInARow: r.missed.length,
    missedSessionIds: r.missed
  }]))
}

/**
 * The participants a held session makes reach `settings.missedInARow` missed sessions in a row
 * exactly (so each streak is noticed once): fixed (`Active`) participants invited to it who were
 * not there. Event `ParticipantMissedSessions` per person, for the core team's notice.
 *
 * @category deciders
 */
export const missedSessionNotices = (
  session: Session.Session,
  programmeId: string,
  sessions: ReadonlyArray<Session.Session>,
  group: ReadonlyArray<Enrolment>,
  settings: ParticipantSettings
): ReadonlyArray<DomainEvent> => {
  if (settings.missedInARow <= 0 || session.state !== "Held") return []
  const active = new Map(group.filter((e) => e.status === "Active").map((e) => [e.person.id as string, e]))
  const all = [...sessions.filter((s) => s.id !== session.id), session]
  const attendance = attendanceOf(programmeId, all)
  const events: Array<DomainEvent> = []
  for (const i of session.invitations) {
    const enrolment = active.get(i.personId)
    if (i.programmeId !== programmeId || enrolment === undefined) continue
    const row = attendance.get(i.personId)
    if (row === undefined || row.missedInARow !== settings.missedInARow || row.missedSessionIds.at(-1) !== session.id) continue
    events.push({
      _tag: "ParticipantMissedSessions",
      programmeId: enrolment.programmeId,
      enrolmentId: enrolment.id,
      personId: enrolment.person.id,
      sessionIds: row.missedSessionIds as ReadonlyArray<Session.Session["id"]>
    })
  }
  return events
}

/** A participant as a caller enrols them: organisation, helix role and e-mail are required. @category inputs */
export const ParticipantInput = Schema.Struct({
  id: Schema.optional(PersonId),
  name: Line,
  email: Email,
  organisation: Line,
  position: Schema.optional(Line),
  helixRole: HelixRoleSchema,
  language: Schema.optional(Language)
})
/** @category inputs */
export type ParticipantInput = typeof ParticipantInput.Encoded

/** Input of `Sessions.enrol`. @category inputs */
export const Enrol = Schema.Struct({
  programmeId: ProgrammeId,
  participant: ParticipantInput,
  /** Put the person on the reserve list instead of in the group. */
  reserve: Schema.optionalWith(Schema.Boolean, { default: () => false })
})

/** Input of `Sessions.leave`. @category inputs */
export const Leave = Schema.Struct({
  enrolmentId: EnrolmentId,
  reason: Paragraph,
  /** Let the first person on the reserve list take the place (default true). */
  promoteReserve: Schema.optionalWith(Schema.Boolean, { default: () => true })
})

/** Input of `Sessions.group`. @category inputs */
export const GroupRef = Schema.Struct({ programmeId: ProgrammeId })

/** A finding of the group report. @category models */
export interface GroupWarning {
  readonly rule: "group-below-minimum" | "group-above-maximum" | "helix-missing" | "participant-missing"
  readonly message: string
}

/** The state of a programme's group. @category models */
export interface GroupReport {
  readonly programmeId: string
  readonly active: ReadonlyArray<Enrolment>
  /** The reserve list, in order. */
  readonly reserve: ReadonlyArray<Enrolment>
  readonly size: number
  readonly target: number
  /** Participants per helix role. */
  readonly helixMix: Readonly<Record<HelixRole, number>>
  /** The triple-helix roles nobody in the group has. */
  readonly helixMissing: ReadonlyArray<HelixRole>
  readonly warnings: ReadonlyArray<GroupWarning>
  /** Each fixed participant's attendance over the held sessions (empty without sessions). */
  readonly attendance: ReadonlyArray<ParticipantAttendance>
}

/** The enrolments still in the group or on the reserve list. @category rules */
export const current = (enrolments: ReadonlyArray<Enrolment>): ReadonlyArray<Enrolment> =>
  enrolments.filter((e) => e.status !== "Left")

/** The reserve list, first in line first. @category rules */
export const reserveList = (enrolments: ReadonlyArray<Enrolment>): ReadonlyArray<Enrolment> =>
  enrolments
    .filter((e) => e.status === "Reserve")
    .sort((a, b) => (a.reservePosition ?? 0) - (b.reservePosition ?? 0) || a.enrolledAt.getTime() - b.enrolledAt.getTime())

/**
 * Refuses a person already in the group or on its reserve list (same person id, or same e-mail
 * address in any case). Rule `participant-once`.
 *
 * @category rules
 */
export const checkNotEnrolled = (
  enrolments: ReadonlyArray<Enrolment>,
  person: { readonly id: string; readonly email?: string | undefined }
): Either.Either<void, RuleViolation> => {
  const email = person.email?.toLowerCase()
  const twin = current(enrolments).find((e) =>
    e.person.id === person.id || (email !== undefined && e.person.email?.toLowerCase() === email)
  )
  return twin === undefined
    ? Either.void
    : Either.left(new RuleViolation({
      rule: "participant-once",
      message: `${person.email ?? person.id} is already enrolled in this programme (${twin.status}).`,
      details: [`enrolment: ${twin.id}`]
    }))
}

/** The next position on the reserve list. @category rules */
export const nextReservePosition = (enrolments: ReadonlyArray<Enrolment>): number =>
  enrolments.reduce((max, e) => Math.max(max, e.reservePosition ?? 0), 0) + 1

/** What {@link leave} decides: the enrolment that left, the reserve who took the place, and each changed upcoming session, each with its events. @category models */
export interface Departure {
  readonly left: Transitioned<Enrolment>
  readonly promoted: Transitioned<Enrolment> | undefined
  readonly sessions: ReadonlyArray<Transitioned<Session.Session>>
}

/**
 * A participant leaves the group or the reserve list (`→ Left`, with the reason; event
 * `ParticipantLeft`). When an `Active` participant leaves and `promoteReserve` is set, the first on
 * the reserve list ({@link reserveList}) takes the place (`ReservePromoted`). Of the `sessions`
 * given, those still to come (scheduled or invited, starting after `now`) lose the leaver's
 * invitation (`SessionInvitationWithdrawn`: they get a cancellation), and the invited ones gain one
 * for the promoted person (`SessionInvitationsSent`). A pure function: the service loads and commits.
 *
 * @category deciders
 */
export const leave = (
  enrolment: Enrolment,
  group: ReadonlyArray<Enrolment>,
  sessions: ReadonlyArray<Session.Session>,
  input: { readonly reason: string; readonly promoteReserve: boolean },
  now: Date
): Either.Either<Departure, InvalidTransition> => {
  if (enrolment.status === "Left") {
    return Either.left(new InvalidTransition({
      entity: "Enrolment",
      id: enrolment.id,
      from: enrolment.status,
      to: "Left",
      reason: "the participant has left already"
    }))
  }
  const left: Transitioned<Enrolment> = {
    value: new Enrolment({ ...enrolment, status: "Left", leftAt: now, leftReason: input.reason }),
    events: [{
      _tag: "ParticipantLeft",
      enrolmentId: enrolment.id,
      programmeId: enrolment.programmeId,
      personId: enrolment.person.id,
      reason: input.reason
    }]
  }
  const first = enrolment.status === "Active" && input.promoteReserve
    ? reserveList(group.filter((e) => e.id !== enrolment.id))[0]
    : undefined
  const promoted: Transitioned<Enrolment> | undefined = first === undefined ? undefined : {
    value: new Enrolment({ ...withoutReservePosition(first), status: "Active" }),
    events: [{
      _tag: "ReservePromoted",
      enrolmentId: first.id,
      programmeId: first.programmeId,
      personId: first.person.id,
      replacing: enrolment.id
    }]
  }
  const person = promoted?.value.person
  const changed: Array<Transitioned<Session.Session>> = []
  for (const session of sessions) {
    const upcoming = (session.state === "Scheduled" || session.state === "Invited") &&
      session.start !== undefined && session.start.getTime() > now.getTime()
    if (!upcoming) continue
    const withdrawn = Session.withdrawInvitation(session, enrolment.person.id, now)
    let value = withdrawn?.value
    const events = [...(withdrawn?.events ?? [])]
    if (person !== undefined && person.email !== undefined && session.state === "Invited") {
      const invited = Session.invite(value ?? session, [
        new Session.Invitation({
          personId: person.id,
          programmeId: enrolment.programmeId,
          name: person.name,
          email: person.email,
          language: person.language,
          answer: "NeedsAction",
          invitedAt: now
        })
      ], now)
      if (Either.isRight(invited)) {
        value = invited.right.value
        events.push(...invited.right.events)
      }
    }
    if (value !== undefined) changed.push({ value, events })
  }
  return Either.right({ left, promoted, sessions: changed })
}

const withoutReservePosition = (enrolment: Enrolment) => {
  const { reservePosition: _, ...rest } = enrolment
  return rest
}

/**
 * The group report: size against the settings, helix mix and what is missing; with the programme's
 * sessions, each fixed participant's attendance and a `participant-missing` warning for each who
 * missed `missedInARow` held sessions or more in a row.
 *
 * @category rules
 */
export const report = (
  programmeId: string,
  enrolments: ReadonlyArray<Enrolment>,
  settings: ParticipantSettings = defaultParticipantSettings,
  sessions: ReadonlyArray<Session.Session> = []
): GroupReport => {
  const active = enrolments.filter((e) => e.status === "Active")
  const coverage = helixCoverage(active.map((e) => e.person))
  const warnings: Array<GroupWarning> = []
  if (active.length < settings.minimum) {
    warnings.push({
      rule: "group-below-minimum",
      message: `The group has ${active.length} participants, fewer than ${settings.minimum} (target ${settings.target}).`
    })
  }
  if (active.length > settings.maximum) {
    warnings.push({
      rule: "group-above-maximum",
      message: `The group has ${active.length} participants, more than ${settings.maximum} (target ${settings.target}).`
    })
  }
  for (const role of coverage.missing) {
    warnings.push({ rule: "helix-missing", message: `Nobody in the group is of the ${role} helix.` })
  }
  const byPerson = attendanceOf(programmeId, sessions)
  const attendance = active.map((e) =>
    byPerson.get(e.person.id) ?? { personId: e.person.id, invited: 0, present: 0, missedInARow: 0, missedSessionIds: [] }
  )
  if (settings.missedInARow > 0) {
    for (const e of active) {
      const missed = byPerson.get(e.person.id)?.missedInARow ?? 0
      if (missed >= settings.missedInARow) {
        warnings.push({ rule: "participant-missing", message: `${e.person.name} missed the last ${missed} sessions in a row.` })
      }
    }
  }
  return {
    attendance,
    programmeId,
    active,
    reserve: reserveList(enrolments),
    size: active.length,
    target: settings.target,
    helixMix: coverage.counts,
    helixMissing: coverage.missing,
    warnings
  }
}
