/**
 * Notifications: what the dispatcher sends, per event and recipient. Services append events; a
 * {@link NotificationSource} says which messages an event calls for; {@link MessageTemplates}
 * renders each in the recipient's language; the dispatcher sends and records them.
 *
 * @since 0.1.0
 */
import { Class } from "./internal/schemaClass.js"
import { Context, Effect, Layer, Option, Schema } from "effect"
import { Email, Instant, Language, Line, LocalDate } from "./Common.js"
import type { StorageError } from "./Errors.js"
import type { RecordedEvent } from "./Events.js"
import { EventId, PersonId } from "./Ids.js"

/** Every kind of message the services send. @category models */
export const MessageKind = Schema.Literal(
  "Invitation",
  "Update",
  "Cancellation",
  "Reminder",
  "AnswerReminder",
  "MissedSessions",
  "TaskDue",
  "TaskOverdue",
  "ApplicationReceived",
  "ExplorationInvitation",
  "ExplorationUpdate",
  "ExplorationCancellation",
  "ApplicationAccepted",
  "ApplicationDeclined",
  "AgreementDue",
  "AgreementOverdue",
  "FollowUpCheckIn",
  "EvaluationRequest"
)
/** @category models */
export type MessageKind = typeof MessageKind.Type

/** Who receives a notification. @category models */
export class Recipient extends Class<Recipient>("Recipient")({
  personId: PersonId,
  name: Line,
  email: Email,
  language: Language
}) {}

/** The session a notification is about, with what a calendar invitation needs. @category models */
export class SessionDetails extends Class<SessionDetails>("SessionDetails")({
  uid: Schema.String,
  sequence: Schema.Int.pipe(Schema.nonNegative()),
  title: Line,
  start: Instant,
  end: Instant,
  timeZone: Line,
  venue: Schema.optional(Schema.String),
  host: Schema.optional(Line),
  url: Schema.optional(Schema.String),
  /** At the venue, online or hybrid. */
  format: Schema.optionalWith(Schema.Literal("OnSite", "Online", "Hybrid"), { default: () => "OnSite" as const }),
  /** The link to join online (invitations and updates only; never in a feed or report). */
  joinUrl: Schema.optional(Schema.String),
  agenda: Schema.Array(Schema.Struct({ title: Line, minutes: Schema.Int })),
  cancellationReason: Schema.optional(Schema.String)
}) {}

/** The agreement a notification is about. @category models */
export class AgreementDetails extends Class<AgreementDetails>("AgreementDetails")({
  action: Schema.String,
  dueDate: LocalDate,
  url: Schema.optional(Schema.String)
}) {}

/** One message for one recipient, caused by one event. @category models */
export class Notification extends Class<Notification>("Notification")({
  kind: MessageKind,
  eventId: EventId,
  recipient: Recipient,
  /** The programme's (or network's) name, for the subject and the greeting. */
  programmeName: Line,
  organizer: Schema.Struct({ name: Line, email: Email }),
  session: Schema.optional(SessionDetails),
  /** For invitations, updates and cancellations: the iCalendar method of the attached invitation. */
  calendarMethod: Schema.optional(Schema.Literal("REQUEST", "CANCEL")),
  agreement: Schema.optional(AgreementDetails),
  /** For follow-up check-ins: how many months after closing. */
  monthsAfterClosing: Schema.optional(Schema.Int),
  /** For follow-up check-ins: the actions of the agreements still open, to record an outcome for. */
  openAgreements: Schema.optional(Schema.Array(Schema.String)),
  /** For `TaskDue` and `TaskOverdue`: the task, its deadline and its session. */
  task: Schema.optional(Schema.Struct({
    title: Line,
    deadline: Instant,
    timeZone: Line,
    sessionTitle: Schema.optional(Line)
  })),
  /** For the intake's decision messages: the outcome and its reason. */
  decision: Schema.optional(Schema.Struct({ outcome: Schema.Literal("Accepted", "Declined"), reason: Schema.String })),
  /** For `EvaluationRequest`: the link to the evaluation form (when the settings give one) and how many questions it asks. */
  evaluation: Schema.optional(Schema.Struct({ url: Schema.optional(Schema.String), questions: Schema.Int })),
  /** For `MissedSessions`: the participant who missed sessions in a row, and those sessions. */
  absence: Schema.optional(Schema.Struct({
    participant: Schema.Struct({ name: Line, organisation: Schema.optional(Line) }),
    sessions: Schema.Array(Schema.Struct({ title: Line, start: Instant, timeZone: Line }))
  })),
  /**
   * For invitations, updates and answer reminders, when the host serves answers by link (the
   * `Links` port): the recipient's signed links to accept, answer maybe, or decline.
   */
  answerLinks: Schema.optional(Schema.Struct({ accept: Schema.String, tentative: Schema.String, decline: Schema.String })),
  /** For session messages, when the recipient has a feed token and the host serves feeds: the `webcal:` link of their own feed. */
  feedUrl: Schema.optional(Schema.String)
}) {}

/** The key of one notification, `eventId/personId/channel` (ids only, no e-mail address: it survives erasure); never sent twice. @category constructors */
export const deliveryKey = (n: Notification, channel: "email" | "calendar" = "email"): string =>
  `${n.eventId}/${n.recipient.personId}/${channel}`

/** A rendered message body, text and HTML from the same source. @category models */
export interface RenderedMessage {
  readonly subject: string
  readonly text: string
  readonly html: string
}

/** Says which notifications an event calls for (reading current state as needed). @category ports */
export class NotificationSource extends Context.Tag("@copkit/core/NotificationSource")<NotificationSource, {
  readonly forEvent: (event: RecordedEvent) => Effect.Effect<ReadonlyArray<Notification>, StorageError>
}>() {}

/** Renders a notification in its recipient's language. @category ports */
export class MessageTemplates extends Context.Tag("@copkit/core/MessageTemplates")<MessageTemplates, {
  readonly render: (notification: Notification) => Effect.Effect<RenderedMessage>
}>() {}

/** Says which notifications an event calls for, or `None` when the event is not its own. @category models */
export type Handler<R = never> = (event: RecordedEvent) => Effect.Effect<Option.Option<ReadonlyArray<Notification>>, StorageError, R>

/** The context a list of handlers needs. @category models */
export type HandlersContext<Hs extends ReadonlyArray<Handler<any>>> = Effect.Effect.Context<ReturnType<Hs[number]>>

/** Asks each handler in turn; the first that knows the event answers. An event no one knows calls for nothing. @category combinators */
export const combine = <Hs extends ReadonlyArray<Handler<any>>>(...handlers: Hs) =>
(event: RecordedEvent): Effect.Effect<ReadonlyArray<Notification>, StorageError, HandlersContext<Hs>> =>
  Effect.gen(function*() {
    for (const handler of handlers) {
      const answer = yield* handler(event)
      if (Option.isSome(answer)) return answer.value
    }
    return []
  })

/** A {@link NotificationSource} from handlers, with the ports they need captured when it is built. @category layers */
export const layerWith = <Hs extends ReadonlyArray<Handler<any>>>(
  ...handlers: Hs
): Layer.Layer<NotificationSource, never, HandlersContext<Hs>> =>
  Layer.effect(
    NotificationSource,
    Effect.map(Effect.context<HandlersContext<Hs>>(), (context) => {
      const run = combine(...handlers)
      return NotificationSource.of({ forEvent: (event) => Effect.provide(run(event), context) })
    })
  )
