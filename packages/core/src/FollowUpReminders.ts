/**
 * The reminders of the follow-up: before and after an agreement's due date, and the check-ins
 * some months after a programme closed. Pure rules: each returns the entity with the reminder
 * marked as raised, and the one event to raise (so that each reminder is raised once).
 *
 * @since 0.1.0
 */
import { Option } from "effect"
import { DateTime } from "luxon"
import type { Agreement } from "./Agreement.js"
import { Agreement as AgreementClass, isOpen } from "./Agreement.js"
import * as Events from "./Events.js"
import { daysBetween } from "./internal/dates.js"
import type { Programme } from "./Programme.js"
import { Programme as ProgrammeClass } from "./Programme.js"

/** A reminder decision: the entity with the reminder marked as raised, and the event to raise. @category models */
export interface Reminder<A, E> {
  readonly value: A
  readonly event: E
  readonly events: ReadonlyArray<E>
}

/** The reminder events of an agreement. @category models */
export type AgreementReminderEvent = typeof Events.AgreementDueSoon.Type | typeof Events.AgreementOverdue.Type

const reminder = <A, E>(value: A, event: E): Reminder<A, E> => ({ value, event, events: [event] })

/**
 * Which reminder an agreement calls for on a day (`YYYY-MM-DD` in the follow-up's zone): one
 * `AgreementDueSoon` when a reminder offset before the due date has come (only the nearest, when
 * the job missed earlier ones: the others are marked as raised too), or one `AgreementOverdue`
 * after the due date. Never one already raised; none for a done or dropped agreement.
 *
 * @category rules
 */
export const dueReminder = (
  agreement: Agreement,
  today: string,
  settings: Pick<FollowUpSettings, "dueReminderDaysBefore" | "overdueReminder">
): Option.Option<Reminder<Agreement, AgreementReminderEvent>> => {
  if (!isOpen(agreement)) return Option.none()
  const sent = new Set(agreement.remindersSent ?? [])
  const daysLeft = daysBetween(today, agreement.dueDate)
  const dueKeys = settings.dueReminderDaysBefore.map((d) => `due-${d}`)
  const marked = (keys: ReadonlyArray<string>) => new AgreementClass({ ...agreement, remindersSent: [...new Set([...sent, ...keys])] })
  if (daysLeft < 0) {
    if (!settings.overdueReminder || sent.has("overdue")) return Option.none()
    return Option.some(reminder(
      marked([...dueKeys, "overdue"]),
      Events.AgreementOverdue.make({ agreementId: agreement.id, dueDate: agreement.dueDate })
    ))
  }
  const come = settings.dueReminderDaysBefore.filter((d) => daysLeft <= d && !sent.has(`due-${d}`))
  if (come.length === 0) return Option.none()
  const nearest = Math.min(...come)
  return Option.some(reminder(
    marked(come.map((d) => `due-${d}`)),
    Events.AgreementDueSoon.make({ agreementId: agreement.id, dueDate: agreement.dueDate, daysBefore: nearest })
  ))
}

/**
 * Which follow-up check-in a completed programme calls for at an instant: the latest offset (in
 * months after closing) that has come and was not raised; earlier missed ones are marked raised.
 *
 * @category rules
 */
export const checkIn = (
  programme: Programme,
  now: Date,
  settings: Pick<FollowUpSettings, "checkInMonthsAfterClosing" | "timeZone">
): Option.Option<Reminder<Programme, typeof Events.FollowUpCheckInDue.Type>> => {
  if (programme.state !== "Completed" || programme.closedAt === undefined) return Option.none()
  const closed = DateTime.fromMillis(programme.closedAt.getTime(), { zone: settings.timeZone })
  const sent = new Set(programme.checkInsSent ?? [])
  const come = settings.checkInMonthsAfterClosing.filter((m) =>
    !sent.has(m) && closed.plus({ months: m }).toMillis() <= now.getTime()
  )
  if (come.length === 0) return Option.none()
  const latest = Math.max(...come)
  return Option.some(reminder(
    new ProgrammeClass({ ...programme, checkInsSent: [...new Set([...sent, ...come])].sort((a, b) => a - b) }),
    Events.FollowUpCheckInDue.make({ programmeId: programme.id, monthsAfterClosing: latest })
  ))
}

/** Follow-up reminders, check-ins and closing. @category models */
export interface FollowUpSettings {
  /** Reminders to an agreement's owner, in days before its due date. */
  readonly dueReminderDaysBefore: ReadonlyArray<number>
  /** Whether the owner gets one reminder once an open agreement is past its due date. */
  readonly overdueReminder: boolean
  /** The follow-up check-ins with the core team, in months after the programme closed. */
  readonly checkInMonthsAfterClosing: ReadonlyArray<number>
  /** The agreements a programme must have recorded before it may close. */
  readonly minAgreementsToClose: number
  /** The zone in which due dates (calendar days) are read. */
  readonly timeZone: string
}

/** The default follow-up settings: a week before the due date, once overdue, 3 and 6 months after closing. @category constants */
export const defaultFollowUpSettings: FollowUpSettings = {
  dueReminderDaysBefore: [7],
  overdueReminder: true,
  checkInMonthsAfterClosing: [3, 6],
  minAgreementsToClose: 1,
  timeZone: "Europe/Amsterdam"
}
