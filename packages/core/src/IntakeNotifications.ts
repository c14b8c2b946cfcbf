/**
 * The messages the intake owes people: a receipt when an application is submitted, a calendar
 * invitation to the exploratory conversation ("verkenningsgesprek") to the contact and the key
 * persons (an update when it moves, a cancellation when the application is withdrawn or declined
 * before it took place), and the decision with its reason.
 *
 * @since 0.2.0
 */
import { Effect, Layer, Option } from "effect"
import type { Application } from "./Application.js"
import type { Email, Language, Line } from "./Common.js"
import { defaultTimeZone } from "./Common.js"
import type { StorageError } from "./Errors.js"
import type { RecordedEvent } from "./Events.js"
import type { Handler, MessageKind, NotificationSource } from "./Notification.js"
import { layerWith, Notification, Recipient, SessionDetails } from "./Notification.js"
import type { Person } from "./Person.js"
import { ApplicationRepository } from "./Repository.js"
import { Settings } from "./Settings.js"

/** The intake event types this module answers. @category constants */
export const notifiedEvents = [
  "ApplicationSubmitted",
  "ExplorationScheduled",
  "ApplicationAccepted",
  "ApplicationDeclined",
  "ApplicationWithdrawn"
] as const

/** The calendar UID of an application's exploratory conversation: stable while it moves. @category accessors */
export const explorationUid = (application: Pick<Application, "id">): string => `${application.id}.exploration@copkit`

const titles: Record<Language, (region: string) => string> = {
  nl: (region) => `Verkenningsgesprek kennisnetwerk: ${region}`,
  en: (region) => `Exploratory conversation: ${region}`
}

/** The contact first, then the key persons; one message per address (any case); people without one get none. */
const recipientsOf = (people: ReadonlyArray<Person>): ReadonlyArray<Recipient> => {
  const seen = new Set<string>()
  const out: Array<Recipient> = []
  for (const person of people) {
    if (person.email === undefined) continue
    const key = person.email.toLowerCase()
    if (seen.has(key) || seen.has(person.id)) continue
    seen.add(key)
    seen.add(person.id)
    out.push(new Recipient({ personId: person.id, name: person.name, email: person.email, language: person.language }))
  }
  return out
}

/** The conversation as a calendar item, for one recipient; `undefined` without a date. */
const explorationDetails = (application: Application, language: Language, sequence: number): SessionDetails | undefined => {
  const x = application.exploration
  if (x === undefined) return undefined
  return new SessionDetails({
    uid: explorationUid(application),
    sequence,
    title: titles[language](application.region.name) as typeof Line.Type,
    start: x.at,
    end: new Date(x.at.getTime() + x.durationMinutes * 60_000),
    timeZone: defaultTimeZone,
    ...(x.location === undefined ? {} : { venue: x.location }),
    agenda: []
  })
}

/**
 * The notifications of an intake event, reading the application as it is now. `None` for any other
 * event, so that it composes with the other services' sources.
 *
 * - `ApplicationSubmitted` → `ApplicationReceived` to the contact;
 * - `ExplorationScheduled` → `ExplorationInvitation` (or `ExplorationUpdate` when it moved), a
 *   calendar `REQUEST`, to the contact and the key persons;
 * - `ApplicationAccepted` / `ApplicationDeclined` → the decision with its reason to the contact and
 *   the key persons; a decline before the conversation took place also cancels its calendar item;
 * - `ApplicationWithdrawn` → `ExplorationCancellation` (`CANCEL`) when the conversation was still to come.
 *
 * @category notifications
 */
export const forIntakeEvent: Handler<ApplicationRepository> = (
  event: RecordedEvent
): Effect.Effect<Option.Option<ReadonlyArray<Notification>>, StorageError, ApplicationRepository> =>
  Effect.gen(function*() {
    const e = event.event
    if (!(notifiedEvents as ReadonlyArray<string>).includes(e._tag)) return Option.none()
    const applicationId = (e as { readonly applicationId: Application["id"] }).applicationId
    const found = yield* Effect.flatMap(ApplicationRepository, (repo) => repo.find(applicationId))
    if (Option.isNone(found)) return Option.some([])
    const a = found.value.value
    const sender = (yield* Settings).sessions.organizer
    const organizer = { name: sender.name as typeof Line.Type, email: sender.email as Email }
    const upcoming = a.exploration !== undefined && a.exploration.at.getTime() > event.occurredAt.getTime()
    const everyone = recipientsOf([a.contact, ...a.keyPersons])
    const message = (
      recipient: Recipient,
      kind: MessageKind,
      extra: Partial<ConstructorParameters<typeof Notification>[0]> = {}
    ) =>
      new Notification({
        kind,
        eventId: event.id,
        recipient,
        programmeName: a.region.name,
        organizer,
        ...extra
      })
    const calendar = (recipient: Recipient, method: "REQUEST" | "CANCEL") => {
      const sequence = (a.exploration?.sequence ?? 0) + (method === "CANCEL" ? 1 : 0)
      const session = explorationDetails(a, recipient.language, sequence)
      return session === undefined ? {} : { session, calendarMethod: method }
    }
    switch (e._tag) {
      case "ApplicationSubmitted":
        return Option.some(recipientsOf([a.contact]).map((r) => message(r, "ApplicationReceived")))
      case "ExplorationScheduled": {
        // a later move superseded this one: only the latest date is sent
        if (a.state !== "Exploring" || a.exploration?.at.getTime() !== e.at.getTime()) return Option.some([])
        const kind = e.rescheduled ? "ExplorationUpdate" : "ExplorationInvitation"
        return Option.some(everyone.map((r) => message(r, kind, calendar(r, "REQUEST"))))
      }
      case "ApplicationAccepted":
        return Option.some(everyone.map((r) => message(r, "ApplicationAccepted", { decision: { outcome: "Accepted", reason: e.reason } })))
      case "ApplicationDeclined":
        return Option.some(everyone.map((r) =>
          message(r, "ApplicationDeclined", {
            decision: { outcome: "Declined", reason: e.reason },
            ...(upcoming ? calendar(r, "CANCEL") : {})
          })
        ))
      case "ApplicationWithdrawn":
        return Option.some(upcoming ? everyone.map((r) => message(r, "ExplorationCancellation", calendar(r, "CANCEL"))) : [])
      default:
        return Option.some([])
    }
  })

/** The notification source of intake events alone. @category layers */
export const layer: Layer.Layer<NotificationSource, never, ApplicationRepository> = layerWith(forIntakeEvent)
