/**
 * A learning-work session: when and where, its invitations, attendance and minutes.
 *
 * @since 0.1.0
 */
import { Class } from "./internal/schemaClass.js"
import { Either, Schema } from "effect"
import type { Actor } from "./Actor.js"
import { allows } from "./Permissions.js"
import { DateTime } from "luxon"
import { defaultTimeZone, Email, Instant, Language, Line, LongText } from "./Common.js"
import { fixedValue } from "./internal/redaction.js"
import { PersonId, PlanItemId, ProgrammeId, RegionId, SessionId, ThemeId } from "./Ids.js"
import type { Transitioned } from "./Command.js"
import type { RuleName } from "./Errors.js"
import { InvalidTransition, RuleViolation } from "./Errors.js"
import type { DomainEvent } from "./Events.js"
import { AgendaItem, SessionRole } from "./ProgrammeModel.js"
import { WorkForm } from "./WorkForm.js"
import { Visibility } from "./Insight.js"

/** `Draft → Scheduled → Invited → Held`, plus `Cancelled`. @category models */
export const SessionState = Schema.Literal("Draft", "Scheduled", "Invited", "Held", "Cancelled")
/** @category models */
export type SessionState = typeof SessionState.Type

/** Where a session takes place. @category models */
export class Venue extends Class<Venue>("Venue")({
  name: Line,
  address: Schema.optional(Line),
  /** A place name: an erasure leaves it (the venue's name and address are free text, scrubbed of the person's name). */
  city: Schema.optional(Line.annotations(fixedValue))
}) {}

/** A link of at most 2,000 characters with one of the protocols, a host, and no spaces. */
const webUrl = (protocols: ReadonlyArray<string>, identifier: string, description: string) => {
  const message = `${protocols.map((p) => p.slice(0, -1)).join(" or ")} URL with a host, without spaces`
  return Schema.String.pipe(
    Schema.maxLength(2000),
    Schema.filter((s) => {
      try {
        const url = new URL(s)
        return protocols.includes(url.protocol) && url.hostname !== "" && !/\s/.test(s) ? undefined : `an ${message}`
      } catch {
        return `an ${message}`
      }
    }, { identifier, description })
  )
}

/** How a session is attended: at the venue, online, or both. @category models */
export const SessionFormat = Schema.Literal("OnSite", "Online", "Hybrid")
/** @category models */
export type SessionFormat = typeof SessionFormat.Type

/**
 * The link to join an online or hybrid session: an `https` URL of at most 2,000 characters. It goes
 * into the invitations (e-mail and calendar item) only, never into a feed or a report.
 *
 * @category models
 */
export const JoinUrl = webUrl(["https:"], "JoinUrl", "an https URL to join the session online")
/** @category models */
export type JoinUrl = typeof JoinUrl.Type

/** The kind of a material. @category models */
export const MaterialKind = Schema.Literal("Slides", "Case", "Recording", "Document", "Link")
/** @category models */
export type MaterialKind = typeof MaterialKind.Type

/** A titled link attached to a session: slides, a case, a recording. @category models */
export class Material extends Class<Material>("Material")({
  id: Schema.String.pipe(Schema.pattern(/^mat_[A-Za-z0-9_-]{1,64}$/)),
  title: Line,
  url: webUrl(["https:", "http:"], "MaterialUrl", "an http(s) URL of the material"),
  kind: MaterialKind,
  addedBy: PersonId,
  addedAt: Instant
}) {}

/** An invitee's answer. @category models */
export const Answer = Schema.Literal("NeedsAction", "Accepted", "Declined", "Tentative")
/** @category models */
export type Answer = typeof Answer.Type

/** The invitation of one person to a session, and their answer. @category models */
export class Invitation extends Class<Invitation>("Invitation")({
  personId: PersonId,
  programmeId: ProgrammeId,
  name: Line,
  email: Email,
  language: Language,
  answer: Answer,
  answeredAt: Schema.optional(Instant),
  invitedAt: Instant
}) {}

/** Whether a person was there. @category models */
export class Attendance extends Class<Attendance>("Attendance")({
  personId: PersonId,
  present: Schema.Boolean,
  recordedAt: Instant
}) {}

/** Minutes: `Draft → Published`; the core team may amend a draft. @category models */
export class Minutes extends Class<Minutes>("Minutes")({
  state: Schema.Literal("Draft", "Published"),
  text: LongText,
  updatedBy: PersonId,
  updatedAt: Instant,
  publishedAt: Schema.optional(Instant),
  /**
   * Who may find the published minutes in the network search (`Network.searchMinutes`): the
   * region's own people (`Region`, the default: minutes often name people), every region's key
   * persons and organisers (`Network`), or everyone who may search (`Public`).
   */
  visibility: Schema.optionalWith(Visibility, { default: () => "Region" as const })
}) {}

/** The two kinds of reminder a session sends. @category models */
export const ReminderKind = Schema.Literal("Reminder", "AnswerReminder")
/** @category models */
export type ReminderKind = typeof ReminderKind.Type

/** A reminder that was sent (or passed over) for one start time, so that it goes out once. @category models */
export class ReminderMark extends Class<ReminderMark>("ReminderMark")({
  kind: ReminderKind,
  daysBefore: Schema.Int.pipe(Schema.positive()),
  /** The start the reminder was computed from: a rescheduled session gets its reminders again. */
  start: Instant,
  at: Instant,
  /** `false` when the reminder's time had passed together with a nearer one, which was sent instead. */
  sent: Schema.Boolean
}) {}

/** A session. A cross-regional session belongs to several programmes. @category models */
export class Session extends Class<Session>("Session")({
  id: SessionId,
  programmeIds: Schema.NonEmptyArray(ProgrammeId),
  regionIds: Schema.NonEmptyArray(RegionId),
  planItemId: Schema.optional(PlanItemId),
  title: Line,
  themeId: Schema.optional(ThemeId),
  goal: Schema.optional(LongText),
  workForms: Schema.Array(WorkForm),
  agenda: Schema.Array(AgendaItem),
  host: Schema.optional(Line),
  venue: Schema.optional(Venue),
  /** At the venue (the default), online, or both. */
  format: Schema.optionalWith(SessionFormat, { default: () => "OnSite" as const }),
  /** The link to join an online or hybrid session (invitations only). */
  joinUrl: Schema.optional(JoinUrl),
  start: Schema.optional(Instant),
  end: Schema.optional(Instant),
  /** An IANA time zone name: a fixed value, which an erasure leaves as it is (a person named "Amsterdam"). */
  timeZone: Schema.optionalWith(Line.annotations(fixedValue), { default: () => defaultTimeZone }),
  state: SessionState,
  /** The iCalendar SEQUENCE: raised on every change an invitee must hear about. */
  sequence: Schema.Int.pipe(Schema.nonNegative()),
  invitations: Schema.Array(Invitation),
  attendance: Schema.Array(Attendance),
  minutes: Schema.optional(Minutes),
  cancellationReason: Schema.optional(LongText),
  /** The plan role (kick-off, regular, closing) of the item it was created from. */
  role: Schema.optional(SessionRole),
  /** Titled links: slides, a case, a recording. */
  materials: Schema.optionalWith(Schema.Array(Material).pipe(Schema.maxItems(100)), { default: () => [] }),
  /** The reminders handled, one per kind, offset and start. */
  remindersSent: Schema.optionalWith(Schema.Array(ReminderMark), { default: () => [] }),
  createdAt: Instant,
  updatedAt: Instant
}) {}

// ---------------------------------------------------------------------------------------------
// Settings and the pure rules of a session's life
// ---------------------------------------------------------------------------------------------

/** The reminders of sessions, in whole days before the start. @category models */
export interface SessionSettings {
  /** Every invitee who has not declined gets a reminder this many days before the start. */
  readonly reminderDaysBefore: ReadonlyArray<number>
  /** Invitees who have not answered get an answer reminder this many days before the start. */
  readonly answerReminderDaysBefore: ReadonlyArray<number>
  /** Who session invitations come from (the calendar ORGANIZER). */
  readonly organizer: { readonly name: string; readonly email: string }
  /** The link back to a session in the host application, `{sessionId}` replaced by its id (none by default). */
  readonly sessionUrl?: string | undefined
}

/** The defaults: reminders 7 days and 1 day before, an answer reminder 14 days before. @category constants */
export const defaultSessionSettings: SessionSettings = {
  reminderDaysBefore: [7, 1],
  answerReminderDaysBefore: [14],
  organizer: { name: "Kennisnetwerk brede mkb", email: "kennisnetwerk@example.nl" }
}

/** The states in which a session is still open (not held, not cancelled). @category constants */
export const openStates: ReadonlyArray<SessionState> = ["Draft", "Scheduled", "Invited"]

const refuse = (session: Session, to: string, reason: string) =>
  Either.left(new InvalidTransition({ entity: "Session", id: session.id, from: session.state, to, reason }))

const inState = (
  session: Session,
  allowed: ReadonlyArray<SessionState>,
  to: string
): Either.Either<void, InvalidTransition> =>
  allowed.includes(session.state)
    ? Either.void
    : refuse(session, to, `only a session in ${allowed.join(" or ")} can go to ${to}`)

const rule = (name: RuleName, message: string, details: ReadonlyArray<string> = []) =>
  Either.left(new RuleViolation({ rule: name, message, details }))

/** When and where a session takes place. @category models */
export interface Slot {
  readonly start: Date
  readonly end: Date
  readonly venue?: Venue | undefined
  readonly host?: string | undefined
  /** The format; the session's own when not given. */
  readonly format?: SessionFormat | undefined
  /** The join link; the session's own when not given (and the format stays online or hybrid). */
  readonly joinUrl?: string | undefined
}

/** The minutes the agenda takes. @category rules */
export const agendaMinutes = (session: Pick<Session, "agenda">): number =>
  session.agenda.reduce((sum, item) => sum + item.minutes, 0)

/** How the session is attended after a change: the format and join link given, else its own. */
const attendedAs = (
  session: Session,
  change: { readonly format?: SessionFormat | undefined; readonly joinUrl?: string | undefined }
): { readonly format: SessionFormat; readonly joinUrl: string | undefined } => {
  const format = change.format ?? session.format
  return { format, joinUrl: change.joinUrl ?? (format === "OnSite" ? undefined : session.joinUrl) }
}

/** An online or hybrid session needs a join link (`join-link-required`); one at the venue has none (`join-link-online-only`). */
const checkFormat = (
  attended: { readonly format: SessionFormat; readonly joinUrl: string | undefined }
): Either.Either<void, RuleViolation> => {
  if (attended.format !== "OnSite" && attended.joinUrl === undefined) {
    return rule("join-link-required", `An ${attended.format.toLowerCase()} session needs a join link (joinUrl).`)
  }
  if (attended.format === "OnSite" && attended.joinUrl !== undefined) {
    return rule("join-link-online-only", "A session at the venue has no join link: make it Online or Hybrid.")
  }
  return Either.void
}

const checkSlot = (session: Session, slot: Slot, now: Date): Either.Either<void, RuleViolation> => {
  const format = checkFormat(attendedAs(session, slot))
  if (Either.isLeft(format)) return format
  if (slot.start.getTime() <= now.getTime()) {
    return rule("start-in-future", "A session is scheduled for a time that has not yet come.")
  }
  if (slot.end.getTime() <= slot.start.getTime()) {
    return rule("end-after-start", "A session must end after it starts.")
  }
  const span = (slot.end.getTime() - slot.start.getTime()) / 60_000
  const needed = agendaMinutes(session)
  if (needed > span) {
    return rule("agenda-fits", `The agenda takes ${needed} minutes but the session lasts ${span} minutes.`)
  }
  return Either.void
}

const withSlot = (session: Session, slot: Slot) => {
  const { joinUrl: _, ...rest } = session
  const attended = attendedAs(session, slot)
  return {
    ...rest,
    start: slot.start,
    end: slot.end,
    venue: slot.venue ?? session.venue,
    host: slot.host ?? session.host,
    format: attended.format,
    ...(attended.joinUrl === undefined ? {} : { joinUrl: attended.joinUrl as JoinUrl })
  }
}

/** A session and the events of its change. */
const changed = (value: Session, ...events: ReadonlyArray<DomainEvent>): Transitioned<Session> => ({ value, events })

/** `Draft → Scheduled`: date, time, venue and host. The agenda must fit the time span. Event `SessionScheduled`. @category transitions */
export const schedule = (
  session: Session,
  slot: Slot,
  now: Date
): Either.Either<Transitioned<Session>, InvalidTransition | RuleViolation> =>
  Either.flatMap(inState(session, ["Draft"], "Scheduled"), () =>
    Either.map(checkSlot(session, slot, now), () =>
      changed(
        new Session({ ...withSlot(session, slot), state: "Scheduled", updatedAt: now }),
        { _tag: "SessionScheduled", sessionId: session.id, start: slot.start, end: slot.end }
      )))

/**
 * Moves a `Scheduled` or `Invited` session. The calendar sequence rises, so that every invitee's
 * calendar takes the update; reminders follow the new start. When the time changes, every answer
 * goes back to `NeedsAction` (as calendar clients ask again, RFC 5546): an answer was for the old time.
 * Event `SessionRescheduled` (every invitee gets the update).
 *
 * @category transitions
 */
export const reschedule = (
  session: Session,
  slot: Slot,
  now: Date
): Either.Either<Transitioned<Session>, InvalidTransition | RuleViolation> =>
  Either.flatMap(inState(session, ["Scheduled", "Invited"], session.state), () =>
    Either.map(checkSlot(session, slot, now), () => {
      const moved = session.start?.getTime() !== slot.start.getTime() || session.end?.getTime() !== slot.end.getTime()
      const invitations = moved
        ? session.invitations.map((i) => {
          if (i.answer === "NeedsAction") return i
          const { answeredAt: _, ...rest } = i
          return new Invitation({ ...rest, answer: "NeedsAction" })
        })
        : session.invitations
      const value = new Session({ ...withSlot(session, slot), invitations, sequence: session.sequence + 1, updatedAt: now })
      return changed(value, {
        _tag: "SessionRescheduled",
        sessionId: session.id,
        start: slot.start,
        end: slot.end,
        previousStart: session.start,
        sequence: value.sequence
      })
    }))

/** Any open state `→ Cancelled`, with the reason; the sequence rises. Event `SessionCancelled` (every invitee gets the cancellation). @category transitions */
export const cancel = (session: Session, reason: string, now: Date): Either.Either<Transitioned<Session>, InvalidTransition> =>
  Either.map(inState(session, openStates, "Cancelled"), () => {
    const value = new Session({
      ...session,
      state: "Cancelled",
      cancellationReason: reason,
      sequence: session.sequence + 1,
      updatedAt: now
    })
    return changed(value, { _tag: "SessionCancelled", sessionId: session.id, reason, sequence: value.sequence })
  })

/**
 * Makes a `Scheduled` or `Invited` session online, hybrid or at the venue, or changes its join
 * link. The sequence rises: every invitee gets an update with the new link (event
 * `SessionJoinLinkChanged`). Rules `join-link-required` and `join-link-online-only`.
 *
 * @category transitions
 */
export const changeJoinLink = (
  session: Session,
  change: { readonly format: SessionFormat; readonly joinUrl?: string | undefined },
  now: Date
): Either.Either<Transitioned<Session>, InvalidTransition | RuleViolation> =>
  Either.flatMap(inState(session, ["Scheduled", "Invited"], session.state), () => {
    const attended = { format: change.format, joinUrl: change.joinUrl }
    return Either.map(checkFormat(attended), () => {
      const { joinUrl: _, ...rest } = session
      const value = new Session({
        ...rest,
        format: attended.format,
        ...(attended.joinUrl === undefined ? {} : { joinUrl: attended.joinUrl as JoinUrl }),
        sequence: session.sequence + 1,
        updatedAt: now
      })
      return changed(value, { _tag: "SessionJoinLinkChanged", sessionId: session.id, format: value.format, sequence: value.sequence })
    })
  })

/** What {@link invite} decides: the session, its event, and the invitations it added. @category models */
export interface Invited extends Transitioned<Session> {
  readonly added: ReadonlyArray<Invitation>
}

/**
 * `Scheduled → Invited` (or more invitations for an `Invited` session): adds the invitations of the
 * people not yet invited. Fails with `nobody-to-invite` when every one of them is invited already.
 * Event `SessionInvitationsSent` (one message to each person added).
 *
 * @category transitions
 */
export const invite = (
  session: Session,
  invitations: ReadonlyArray<Invitation>,
  now: Date
): Either.Either<Invited, InvalidTransition | RuleViolation> =>
  Either.flatMap(inState(session, ["Scheduled", "Invited"], "Invited"), () => {
    // one invitation per person: the same id or the same address (in any case) is invited once
    const known = new Set<string>(session.invitations.flatMap((i) => [i.personId, i.email.toLowerCase()]))
    const added: Array<Invitation> = []
    for (const invitation of invitations) {
      if (known.has(invitation.personId) || known.has(invitation.email.toLowerCase())) continue
      known.add(invitation.personId)
      known.add(invitation.email.toLowerCase())
      added.push(invitation)
    }
    if (added.length === 0) {
      return rule("nobody-to-invite", "Everyone in the group is invited already (or the group is empty).")
    }
    const value = new Session({ ...session, state: "Invited", invitations: [...session.invitations, ...added], updatedAt: now })
    return Either.right({
      ...changed(value, {
        _tag: "SessionInvitationsSent",
        sessionId: session.id,
        personIds: added.map((a) => a.personId),
        sequence: value.sequence
      }),
      added
    })
  })

/**
 * Takes a person's invitation off an open session (they left the group); `undefined` when they were
 * not invited. Event `SessionInvitationWithdrawn` (they get a cancellation).
 *
 * @category transitions
 */
export const withdrawInvitation = (session: Session, personId: PersonId, now: Date): Transitioned<Session> | undefined => {
  const invitation = session.invitations.find((i) => i.personId === personId)
  if (!openStates.includes(session.state) || invitation === undefined) return undefined
  return changed(
    new Session({ ...session, invitations: session.invitations.filter((i) => i.personId !== personId), updatedAt: now }),
    { _tag: "SessionInvitationWithdrawn", sessionId: session.id, personId, programmeId: invitation.programmeId }
  )
}

/** Records an invitee's answer (accept, decline, tentative) while the session is `Invited`. Event `SessionInvitationAnswered`. @category transitions */
export const answer = (
  session: Session,
  personId: PersonId,
  value: Exclude<Answer, "NeedsAction">,
  now: Date
): Either.Either<Transitioned<Session>, InvalidTransition | RuleViolation> =>
  Either.flatMap(inState(session, ["Invited"], "Invited"), () => {
    if (!session.invitations.some((i) => i.personId === personId)) {
      return rule("not-invited", `${personId} is not invited to this session.`)
    }
    return Either.right(changed(
      new Session({
        ...session,
        invitations: session.invitations.map((i) =>
          i.personId === personId ? new Invitation({ ...i, answer: value, answeredAt: now }) : i
        ),
        updatedAt: now
      }),
      { _tag: "SessionInvitationAnswered", sessionId: session.id, personId, answer: value }
    ))
  })

/**
 * Records who was there, `Invited → Held` (or corrects the attendance of a `Held` session). The
 * session must have started, and every person named must be invited. Events `SessionHeld` (the first
 * time) and `SessionAttendanceRecorded` (the counts).
 *
 * @category transitions
 */
export const recordAttendance = (
  session: Session,
  entries: ReadonlyArray<{ readonly personId: PersonId; readonly present: boolean }>,
  now: Date
): Either.Either<Transitioned<Session>, InvalidTransition | RuleViolation> =>
  Either.flatMap(inState(session, ["Invited", "Held"], "Held"), () => {
    if (session.start === undefined || session.start.getTime() > now.getTime()) {
      return rule("session-started", "Attendance is recorded once the session has started.")
    }
    const invited = new Set<string>(session.invitations.map((i) => i.personId))
    const strangers = entries.filter((e) => !invited.has(e.personId)).map((e) => e.personId)
    if (strangers.length > 0) {
      return rule("attendee-invited", "Attendance is recorded for invitees only.", strangers.map((p) => `not invited: ${p}`))
    }
    const byPerson = new Map<string, Attendance>(session.attendance.map((a) => [a.personId, a]))
    for (const e of entries) byPerson.set(e.personId, new Attendance({ personId: e.personId, present: e.present, recordedAt: now }))
    const attendance = session.invitations.flatMap((i) => {
      const a = byPerson.get(i.personId)
      return a === undefined ? [] : [a]
    })
    const present = attendance.filter((a) => a.present).length
    const events: Array<DomainEvent> = session.state === "Held" ? [] : [{ _tag: "SessionHeld", sessionId: session.id }]
    events.push({ _tag: "SessionAttendanceRecorded", sessionId: session.id, present, absent: attendance.length - present })
    return Either.right(changed(new Session({ ...session, state: "Held", attendance, updatedAt: now }), ...events))
  })

/** Writes or amends the draft minutes of a `Held` session; published minutes are final. Event `SessionMinutesDrafted`. @category transitions */
export const draftMinutes = (
  session: Session,
  text: string,
  by: PersonId,
  now: Date,
  visibility?: Visibility
): Either.Either<Transitioned<Session>, InvalidTransition> => {
  if (session.state !== "Held") return refuse(session, "Minutes.Draft", "minutes are written after the session is held")
  if (session.minutes?.state === "Published") {
    return refuse(session, "Minutes.Draft", "the minutes are published and can no longer be changed")
  }
  return Either.right(changed(
    new Session({
      ...session,
      minutes: new Minutes({ state: "Draft", text, updatedBy: by, updatedAt: now, visibility: visibility ?? session.minutes?.visibility ?? "Region" }),
      updatedAt: now
    }),
    { _tag: "SessionMinutesDrafted", sessionId: session.id }
  ))
}

/** Minutes `Draft → Published`. Event `SessionMinutesPublished`. @category transitions */
export const publishMinutes = (
  session: Session,
  by: PersonId,
  now: Date,
  visibility?: Visibility
): Either.Either<Transitioned<Session>, InvalidTransition> => {
  const minutes = session.minutes
  if (session.state !== "Held" || minutes === undefined || minutes.state !== "Draft") {
    return refuse(session, "Minutes.Published", "only draft minutes of a held session can be published")
  }
  return Either.right(changed(
    new Session({
      ...session,
      minutes: new Minutes({ ...minutes, state: "Published", updatedBy: by, publishedAt: now, visibility: visibility ?? minutes.visibility }),
      updatedAt: now
    }),
    { _tag: "SessionMinutesPublished", sessionId: session.id }
  ))
}

/**
 * Attaches a material to a session in any state but cancelled (before, to prepare; after, to
 * share). The same URL is attached once (rule `material-once`). Event `SessionMaterialAdded`.
 *
 * @category transitions
 */
export const addMaterial = (
  session: Session,
  material: Material,
  now: Date
): Either.Either<Transitioned<Session>, InvalidTransition | RuleViolation> => {
  if (session.state === "Cancelled") return refuse(session, "Material", "a cancelled session takes no materials")
  if (session.materials.some((m) => m.url === material.url)) {
    return rule("material-once", `${material.url} is attached to this session already.`)
  }
  if (session.materials.length >= 100) return rule("material-once", "A session holds at most 100 materials.")
  return Either.right(changed(
    new Session({ ...session, materials: [...session.materials, material], updatedAt: now }),
    { _tag: "SessionMaterialAdded", sessionId: session.id, materialId: material.id, kind: material.kind }
  ))
}

/** Takes a material off a session; `material-known` when it has none with that id. Event `SessionMaterialRemoved`. @category transitions */
export const removeMaterial = (
  session: Session,
  materialId: string,
  now: Date
): Either.Either<Transitioned<Session>, RuleViolation> => {
  if (!session.materials.some((m) => m.id === materialId)) {
    return rule("material-known", `The session has no material ${materialId}.`)
  }
  return Either.right(changed(
    new Session({ ...session, materials: session.materials.filter((m) => m.id !== materialId), updatedAt: now }),
    { _tag: "SessionMaterialRemoved", sessionId: session.id, materialId }
  ))
}

/** The invitees a reminder of the kind goes to: everyone who did not decline, or those who did not answer. @category rules */
export const reminderRecipients = (session: Session, kind: ReminderKind): ReadonlyArray<Invitation> =>
  session.invitations.filter((i) => (kind === "AnswerReminder" ? i.answer === "NeedsAction" : i.answer !== "Declined"))

/** When a reminder falls: whole days before the start, in the session's time zone (so across DST it keeps the clock time). @category rules */
export const reminderTime = (start: Date, daysBefore: number, timeZone: string): Date =>
  DateTime.fromJSDate(start, { zone: timeZone }).minus({ days: daysBefore }).toJSDate()

/**
 * The reminders due at `now` for an `Invited` session that has not started: per kind, the nearest
 * offset whose time has come and that was not yet handled for this start. Offsets whose time came
 * before anyone was invited are passed over, as are farther offsets overtaken by a nearer one.
 *
 * @category rules
 */
export const dueReminders = (session: Session, settings: SessionSettings, now: Date): ReadonlyArray<ReminderMark> => {
  const start = session.start
  if (session.state !== "Invited" || start === undefined || start.getTime() <= now.getTime()) return []
  const firstInvited = Math.min(...session.invitations.map((i) => i.invitedAt.getTime()))
  const handled = new Set(
    session.remindersSent.filter((m) => m.start.getTime() === start.getTime()).map((m) => `${m.kind}/${m.daysBefore}`)
  )
  const marks: Array<ReminderMark> = []
  const kinds: ReadonlyArray<readonly [ReminderKind, ReadonlyArray<number>]> = [
    ["AnswerReminder", settings.answerReminderDaysBefore],
    ["Reminder", settings.reminderDaysBefore]
  ]
  for (const [kind, offsets] of kinds) {
    const due = [...new Set(offsets)]
      .filter((d) => !handled.has(`${kind}/${d}`))
      .map((d) => ({ d, at: reminderTime(start, d, session.timeZone) }))
      .filter(({ at }) => at.getTime() <= now.getTime())
      .sort((a, b) => a.d - b.d)
    due.forEach(({ d, at }, index) => {
      const sent = index === 0 && at.getTime() >= firstInvited && reminderRecipients(session, kind).length > 0
      marks.push(new ReminderMark({ kind, daysBefore: d, start, at: now, sent }))
    })
  }
  return marks
}

/**
 * Records reminders as handled (see {@link dueReminders}). Event `SessionReminderDue` for each mark
 * that is sent, naming its recipients ({@link reminderRecipients}).
 *
 * @category transitions
 */
export const markReminders = (session: Session, marks: ReadonlyArray<ReminderMark>, now: Date): Transitioned<Session> =>
  changed(
    new Session({ ...session, remindersSent: [...session.remindersSent, ...marks], updatedAt: now }),
    ...marks.filter((m) => m.sent).map((m): DomainEvent => ({
      _tag: "SessionReminderDue",
      sessionId: session.id,
      kind: m.kind,
      daysBefore: m.daysBefore,
      start: m.start,
      personIds: reminderRecipients(session, m.kind).map((i) => i.personId)
    }))
  )

/**
 * What stands in a session read by a party reader for another person's e-mail address (an
 * address under the reserved `.invalid` domain, never delivered).
 *
 * @category constants
 */
export const hiddenEmail = "verborgen@example.invalid"

/**
 * A session as the actor may see it. The coordinator and the key persons and organisers of the
 * session's regions see every invitee's address; everyone else (participants, administrators,
 * guest experts) sees names and their own address only: other invitees' addresses become
 * {@link hiddenEmail}. A pure function.
 *
 * @category rules
 */
export const viewFor = (actor: Actor, session: Session): Session => {
  if (allows(actor, "participant.read", { regionIds: session.regionIds })) return session
  const own = "personId" in actor ? actor.personId : undefined
  return new Session({
    ...session,
    invitations: session.invitations.map((i) =>
      i.personId === own ? i : new Invitation({ ...i, email: hiddenEmail as Invitation["email"] }, { disableValidation: true })
    )
  }, { disableValidation: true })
}
