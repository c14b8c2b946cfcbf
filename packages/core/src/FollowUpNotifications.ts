/**
 * The notifications of the follow-up events: a due or overdue reminder to an agreement's owner,
 * and the check-ins to a closed programme's core team.
 *
 * @since 0.1.0
 */
import { Effect, Layer, Option } from "effect"
import { isOpen } from "./Agreement.js"
import type { Email, Line } from "./Common.js"
import type { StorageError } from "./Errors.js"
import type { RecordedEvent } from "./Events.js"
import { findPerson } from "./internal/people.js"
import type { NotificationSource } from "./Notification.js"
import { AgreementDetails, Notification, Recipient } from "./Notification.js"
import type { Person } from "./Person.js"
import { AgreementRepository, EnrolmentRepository, ProgrammeRepository } from "./Repository.js"
import type { Handler } from "./Notification.js"
import { layerWith } from "./Notification.js"
import { Settings } from "./Settings.js"

/** The follow-up event types this module's notification source answers. @category constants */
export const notifiedEvents = ["AgreementDueSoon", "AgreementOverdue", "FollowUpCheckInDue"] as const

const recipientOf = (person: Person): Option.Option<Recipient> =>
  person.email === undefined
    ? Option.none()
    : Option.some(new Recipient({ personId: person.id, name: person.name, email: person.email, language: person.language }))

/**
 * The notifications of the follow-up events: a due or overdue reminder to the agreement's owner,
 * and a check-in to the programme's core team. `None` for any other event, so that it composes
 * with the other services' sources. People without an e-mail address (or erased) get nothing.
 *
 * @category notifications
 */
export const forFollowUpEvent: Handler<ProgrammeRepository | EnrolmentRepository | AgreementRepository> = (
  event: RecordedEvent
): Effect.Effect<Option.Option<ReadonlyArray<Notification>>, StorageError, ProgrammeRepository | EnrolmentRepository | AgreementRepository> =>
  Effect.gen(function*() {
    const e = event.event
    if (e._tag !== "AgreementDueSoon" && e._tag !== "AgreementOverdue" && e._tag !== "FollowUpCheckInDue") return Option.none()
    // The same organiser as the session messages: one network, one sender.
    const sender = (yield* Settings).sessions.organizer
    const programmes = yield* ProgrammeRepository
    const organizer = { name: sender.name as typeof Line.Type, email: sender.email as Email }
    if (e._tag === "FollowUpCheckInDue") {
      const programme = yield* programmes.find(e.programmeId)
      if (Option.isNone(programme)) return Option.some([])
      const p = programme.value.value
      // what the check-in records an outcome for (`Evaluations.recordCheckIn`): the agreements still open
      const open = (yield* Effect.flatMap(AgreementRepository, (r) => r.list({ programmeId: p.id })))
        .map((a) => a.value).filter(isOpen).map((a) => a.action)
      return Option.some(
        p.coreTeam.flatMap((m) =>
          Option.toArray(Option.map(recipientOf(m.person), (recipient) =>
            new Notification({
              kind: "FollowUpCheckIn",
              eventId: event.id,
              recipient,
              programmeName: p.region.name,
              organizer,
              monthsAfterClosing: e.monthsAfterClosing,
              openAgreements: open
            })))
        )
      )
    }
    const agreements = yield* AgreementRepository
    const found = yield* agreements.find(e.agreementId)
    if (Option.isNone(found)) return Option.some([])
    const agreement = found.value.value
    // A reminder raised before the agreement was done or dropped is not sent after.
    if (!isOpen(agreement)) return Option.some([])
    const programme = yield* programmes.find(agreement.programmeId)
    if (Option.isNone(programme)) return Option.some([])
    const enrolments = yield* EnrolmentRepository
    const enrolled = yield* enrolments.list({ programmeId: agreement.programmeId, personId: agreement.owner.personId })
    const owner = findPerson(programme.value.value, enrolled.map((x) => x.value), agreement.owner.personId)
    if (owner === undefined) return Option.some([])
    return Option.some(
      Option.toArray(Option.map(recipientOf(owner), (recipient) =>
        new Notification({
          kind: e._tag === "AgreementDueSoon" ? "AgreementDue" : "AgreementOverdue",
          eventId: event.id,
          recipient,
          programmeName: programme.value.value.region.name,
          organizer,
          agreement: new AgreementDetails({ action: agreement.action, dueDate: agreement.dueDate })
        })))
    )
  })

/**
 * The notification source of the follow-up events alone. To answer every service's events,
 * combine the handlers: `Notification.layerWith(SessionNotifications.forSessionEvent, FollowUpNotifications.forFollowUpEvent)`.
 *
 * @category layers
 */
export const layer: Layer.Layer<NotificationSource, never, ProgrammeRepository | EnrolmentRepository | AgreementRepository> =
  layerWith(forFollowUpEvent)
