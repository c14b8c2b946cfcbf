/**
 * The notifications of session events, for the dispatcher: an invitation, update or cancellation
 * (with a calendar invitation) or a reminder for each invitee an event concerns.
 *
 * Sources compose: each handler answers `None` for events it does not know, and {@link combine}
 * asks them in turn (`Notification.combine`). Add another service's handler with `Notification.layerWith`:
 *
 * ```ts
 * Notification.layerWith(SessionNotifications.forSessionEvent, FollowUpNotifications.forFollowUpEvent)
 * ```
 *
 * @since 0.1.0
 */
import { Effect, Layer, Option } from "effect"
import { CalendarEvent } from "./Calendar.js"
import { evaluationRequests } from "./EvaluationNotifications.js"
import type { Email, Line } from "./Common.js"
import type { MessageKind } from "./Notification.js"
import * as NotificationModule from "./Notification.js"
import { Notification, NotificationSource, Recipient, SessionDetails } from "./Notification.js"
import type { RecordedEvent } from "./Events.js"
import type { Programme } from "./Programme.js"
import { Links, none as noLinks } from "./Links.js"
import { EnrolmentRepository, FeedTokenRepository, ProgrammeRepository, SessionRepository } from "./Repository.js"
import type { Session } from "./Session.js"
import { Invitation } from "./Session.js"
import { Settings } from "./Settings.js"

/** Moved to {@link Notification}: kept here so that existing imports work. @category models */
export type Handler<R = never> = NotificationModule.Handler<R>
/** Moved to {@link Notification}. @category models */
export type HandlersContext<Hs extends ReadonlyArray<Handler<any>>> = NotificationModule.HandlersContext<Hs>
/** Moved to `Notification.combine`: kept here so that existing imports work. @category combinators */
export const combine = NotificationModule.combine
/** Moved to `Notification.layerWith`: kept here so that existing imports work. @category layers */
export const layerWith = NotificationModule.layerWith

/** The calendar UID of a session: stable for its whole life. @category accessors */
export const uidOf = (session: Pick<Session, "id">): string => `${session.id}@copkit`

const venueText = (session: Session): string | undefined => {
  const v = session.venue
  if (v === undefined) return undefined
  return [v.name, v.address, v.city].filter((x) => x !== undefined).join(", ")
}

/** The session as a notification shows it, or `undefined` while it has no date. `urlTemplate` links back to it. @category accessors */
export const detailsOf = (session: Session, urlTemplate?: string): SessionDetails | undefined => {
  if (session.start === undefined || session.end === undefined) return undefined
  const venue = venueText(session)
  const url = urlTemplate?.replaceAll("{sessionId}", encodeURIComponent(session.id))
  return new SessionDetails({
    uid: uidOf(session),
    sequence: session.sequence,
    title: session.title,
    start: session.start,
    end: session.end,
    timeZone: session.timeZone,
    ...(venue === undefined ? {} : { venue }),
    ...(session.host === undefined ? {} : { host: session.host }),
    ...(url === undefined ? {} : { url }),
    format: session.format,
    ...(session.joinUrl === undefined ? {} : { joinUrl: session.joinUrl }),
    agenda: session.agenda.map((a) => ({ title: a.title, minutes: a.minutes })),
    ...(session.cancellationReason === undefined ? {} : { cancellationReason: session.cancellationReason })
  })
}

/** What a session's calendar event needs besides the session. @category models */
export interface CalendarEventOptions {
  readonly organizer: { readonly name: string; readonly email: string }
  /** Alarms, in minutes before the start. */
  readonly alarmsMinutesBefore: ReadonlyArray<number>
  /** The link back to the session, `{sessionId}` replaced by its id. */
  readonly sessionUrl?: string | undefined
  readonly language?: "nl" | "en" | undefined
}

/**
 * A session as a calendar event, for feeds and calendar servers: the same uid and sequence as its
 * invitations, `CANCELLED` once cancelled. `undefined` while it has no date.
 *
 * @category accessors
 */
export const calendarEventOf = (session: Session, options: CalendarEventOptions): CalendarEvent | undefined => {
  const details = detailsOf(session, options.sessionUrl)
  if (details === undefined) return undefined
  const description = [session.goal, ...session.agenda.map((a) => `${a.title} (${a.minutes} min)`)]
    .filter((x) => x !== undefined)
    .join("\n")
  return new CalendarEvent({
    uid: details.uid,
    sequence: details.sequence,
    summary: details.title,
    ...(description === "" ? {} : { description }),
    ...(details.venue === undefined ? {} : { location: details.venue }),
    ...(details.host === undefined ? {} : { host: details.host }),
    start: details.start,
    end: details.end,
    timeZone: details.timeZone,
    organizer: { name: options.organizer.name as typeof Line.Type, email: options.organizer.email as Email },
    status: session.state === "Cancelled" ? "CANCELLED" : "CONFIRMED",
    ...(details.url === undefined ? {} : { url: details.url }),
    alarmsMinutesBefore: options.alarmsMinutesBefore.filter((m) => Number.isInteger(m) && m > 0),
    stamp: session.updatedAt,
    language: options.language ?? "nl"
  })
}

/** The session event types this module answers (all of them; most call for no message). @category constants */
export const sessionEvents = [
  "ParticipantEnrolled",
  "ParticipantLeft",
  "ReservePromoted",
  "ParticipantMissedSessions",
  "SessionCreated",
  "SessionScheduled",
  "SessionRescheduled",
  "SessionJoinLinkChanged",
  "SessionMaterialAdded",
  "SessionMaterialRemoved",
  "SessionCancelled",
  "SessionInvitationsSent",
  "SessionInvitationAnswered",
  "SessionInvitationWithdrawn",
  "SessionReminderDue",
  "SessionAttendanceRecorded",
  "SessionHeld",
  "SessionMinutesDrafted",
  "SessionMinutesPublished",
  "InsightRecorded"
] as const

const known = new Set<string>(sessionEvents)

/**
 * The notifications of a session event, reading the session as it is now: one per invitee the event
 * concerns, in each invitee's language. `SessionInvitationsSent` → `Invitation` (REQUEST) to those
 * invited; `SessionRescheduled` and `SessionJoinLinkChanged` → `Update` (REQUEST) to everyone invited; `SessionCancelled` →
 * `Cancellation` (CANCEL) to everyone invited, `SessionInvitationWithdrawn` → `Cancellation` to
 * the one taken off; `SessionReminderDue` → `Reminder` or
 * `AnswerReminder`, unless the session moved or was cancelled since, or the person answered
 * (declined) meanwhile; `SessionHeld` → `EvaluationRequest` to each attendee (see
 * `EvaluationNotifications`). Other session events call for nothing; any other event is `None`.
 *
 * @category notifications
 */
export const forSessionEvent: Handler<SessionRepository | ProgrammeRepository | EnrolmentRepository> = (event) =>
  Effect.gen(function*() {
    const e = event.event
    if (!known.has(e._tag)) return Option.none()
    if (e._tag === "ParticipantMissedSessions") return Option.some(yield* missedSessions(event, e))
    if (e._tag === "SessionHeld") return Option.some(yield* evaluationRequests(event, e.sessionId))
    if (
      e._tag !== "SessionInvitationsSent" && e._tag !== "SessionRescheduled" && e._tag !== "SessionCancelled" &&
      e._tag !== "SessionJoinLinkChanged" &&
      e._tag !== "SessionReminderDue" && e._tag !== "SessionInvitationWithdrawn"
    ) return Option.some([])
    const found = yield* Effect.flatMap(SessionRepository, (repo) => repo.find(e.sessionId))
    if (Option.isNone(found)) return Option.some([])
    const session = found.value.value
    const settings = (yield* Settings).sessions
    const details = detailsOf(session, settings.sessionUrl)
    if (details === undefined) return Option.some([])

    let invitees: ReadonlyArray<Invitation>
    let kind: MessageKind
    let calendarMethod: "REQUEST" | "CANCEL" | undefined
    switch (e._tag) {
      case "SessionInvitationsSent": {
        if (session.state === "Cancelled") return Option.some([])
        const ids = new Set<string>(e.personIds)
        invitees = session.invitations.filter((i) => ids.has(i.personId))
        kind = "Invitation"
        calendarMethod = "REQUEST"
        break
      }
      case "SessionRescheduled":
      case "SessionJoinLinkChanged": {
        if (session.state === "Cancelled") return Option.some([])
        invitees = session.invitations.filter((i) => i.invitedAt.getTime() <= event.occurredAt.getTime())
        kind = "Update"
        calendarMethod = "REQUEST"
        break
      }
      case "SessionCancelled": {
        invitees = session.invitations
        kind = "Cancellation"
        calendarMethod = "CANCEL"
        break
      }
      case "SessionInvitationWithdrawn": {
        // the invitation is gone from the session: the person's details come from their enrolment
        if (session.state === "Cancelled") return Option.some([])
        const enrolled = yield* Effect.flatMap(EnrolmentRepository, (repo) => repo.list({ programmeId: e.programmeId, personId: e.personId }))
        const person = enrolled[0]?.value.person
        if (person?.email === undefined) return Option.some([])
        invitees = [
          new Invitation({
            personId: person.id,
            programmeId: e.programmeId,
            name: person.name,
            email: person.email,
            language: person.language,
            answer: "Declined",
            invitedAt: event.occurredAt
          })
        ]
        kind = "Cancellation"
        calendarMethod = "CANCEL"
        break
      }
      case "SessionReminderDue": {
        if (session.state !== "Invited" || session.start?.getTime() !== e.start.getTime()) return Option.some([])
        const ids = new Set<string>(e.personIds)
        invitees = session.invitations.filter((i) =>
          ids.has(i.personId) && (e.kind === "AnswerReminder" ? i.answer === "NeedsAction" : i.answer !== "Declined")
        )
        kind = e.kind
        calendarMethod = undefined
        break
      }
    }
    const organizer = { name: settings.organizer.name as typeof Line.Type, email: settings.organizer.email as Email }
    const programmes = yield* ProgrammeRepository
    const names = new Map<string, string>()
    for (const programmeId of new Set(invitees.map((i) => i.programmeId))) {
      const p = yield* programmes.find(programmeId)
      names.set(programmeId, Option.match(p, { onNone: () => session.title, onSome: (v) => (v.value as Programme).region.name }))
    }
    // the links the host serves (none unless the Links port is provided): answers until the start, the person's own feed
    const links = yield* Links
    const answerable = kind === "Invitation" || kind === "Update" || kind === "AnswerReminder"
    const feedTokens = yield* Effect.serviceOption(FeedTokenRepository)
    const feedUrls = new Map<string, string>()
    if (kind !== "Cancellation" && Option.isSome(feedTokens) && links !== noLinks) {
      for (const i of invitees) {
        const active = yield* feedTokens.value.list({ personId: i.personId, state: "Active" })
        const url = active[0] === undefined ? undefined : links.personFeed(active[0].value.token)
        if (url !== undefined) feedUrls.set(i.personId, url)
      }
    }
    return Option.some(invitees.map((i) => {
      const answerLinks = answerable ? links.answer({ sessionId: session.id, personId: i.personId, expiresAt: details.start }) : undefined
      const feedUrl = feedUrls.get(i.personId)
      return new Notification({
        kind,
        eventId: event.id,
        recipient: new Recipient({ personId: i.personId, name: i.name, email: i.email, language: i.language }),
        programmeName: (names.get(i.programmeId) ?? session.title) as typeof Line.Type,
        organizer,
        session: details,
        ...(calendarMethod === undefined ? {} : { calendarMethod }),
        ...(answerLinks === undefined ? {} : { answerLinks }),
        ...(feedUrl === undefined ? {} : { feedUrl })
      })
    }))
  })

/**
 * `ParticipantMissedSessions` → `MissedSessions` to each member of the programme's core team with an
 * address (the region's organisers are among them): who missed which sessions.
 */
const missedSessions = (
  event: RecordedEvent,
  e: Extract<RecordedEvent["event"], { readonly _tag: "ParticipantMissedSessions" }>
) =>
  Effect.gen(function*() {
    const programme = yield* Effect.flatMap(ProgrammeRepository, (repo) => repo.find(e.programmeId))
    if (Option.isNone(programme)) return []
    const p = programme.value.value as Programme
    const enrolled = yield* Effect.flatMap(EnrolmentRepository, (repo) => repo.find(e.enrolmentId))
    if (Option.isNone(enrolled)) return []
    const person = enrolled.value.value.person
    const repo = yield* SessionRepository
    const missed: Array<{ title: Session["title"]; start: Date; timeZone: Session["timeZone"] }> = []
    for (const id of e.sessionIds) {
      const found = yield* repo.find(id)
      if (Option.isSome(found) && found.value.value.start !== undefined) {
        const s = found.value.value
        missed.push({ title: s.title, start: s.start!, timeZone: s.timeZone })
      }
    }
    const settings = (yield* Settings).sessions
    const organizer = { name: settings.organizer.name as typeof Line.Type, email: settings.organizer.email as Email }
    return p.coreTeam.flatMap(({ person: member }) =>
      member.email === undefined ? [] : [
        new Notification({
          kind: "MissedSessions",
          eventId: event.id,
          recipient: new Recipient({ personId: member.id, name: member.name, email: member.email, language: member.language }),
          programmeName: p.region.name,
          organizer,
          absence: {
            participant: { name: person.name, ...(person.organisation === undefined ? {} : { organisation: person.organisation }) },
            sessions: missed
          }
        })
      ]
    )
  })

/** The notification source of session events alone. @category layers */
export const layer: Layer.Layer<NotificationSource, never, SessionRepository | ProgrammeRepository | EnrolmentRepository> =
  layerWith(forSessionEvent)
