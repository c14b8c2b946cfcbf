/**
 * Business thresholds: every number a rule depends on, with the defaults of DOMAIN.md. Override
 * them with {@link layer}.
 *
 * @since 0.1.0
 */
import { Context, Layer } from "effect"
import type { FollowUpSettings } from "./FollowUpReminders.js"
import { defaultFollowUpSettings } from "./FollowUpReminders.js"
import type { PersonalDataSettings } from "./Person.js"
import { defaultPersonalDataSettings } from "./Person.js"
import type { CalendarImportSettings } from "./Calendar.js"
import { defaultCalendarImportSettings } from "./Calendar.js"
import type { ReadinessSettings } from "./Application.js"
import { defaultReadinessSettings } from "./Application.js"
import type { ParticipantSettings } from "./Participants.js"
import { defaultParticipantSettings } from "./Participants.js"
import type { PlannerSettings } from "./Planner.js"
import { defaultPlannerSettings } from "./Planner.js"
import type { SessionSettings } from "./Session.js"
import { defaultSessionSettings } from "./Session.js"
import type { CoDesignSettings } from "./CoDesignRules.js"
import { defaultCoDesignSettings } from "./CoDesignRules.js"

/** How the notification dispatcher claims, retries and gives up. @category models */
export interface DispatcherSettings {
  /** Events claimed per batch. */
  readonly batchSize: number
  /**
   * How long a claim holds before another dispatcher may take the event over. A dispatcher renews
   * its claims every third of this while it works on a batch, so a slow batch is never taken over.
   */
  readonly leaseMillis: number
  /** Send attempts per message before it is marked Dead. */
  readonly maxAttempts: number
  /** The delay before the first retry; it doubles with each further attempt. */
  readonly baseDelayMillis: number
  /** The longest delay between two attempts. */
  readonly maxDelayMillis: number
  /** The share of a delay (0 to 1) drawn at random, so that retries spread out. */
  readonly jitter: number
  /** How long `run` waits when no event is ready. */
  readonly pollIntervalMillis: number
  /** How long one send may take before it counts as a temporary failure. */
  readonly sendTimeoutMillis: number
  /** Alarms in the attached invitations, in minutes before the start. */
  readonly invitationAlarmsMinutesBefore: ReadonlyArray<number>
  /**
   * Messages sent at once within a batch (each send and its record stay one step). Match it to
   * the mailer's connection pool (nodemailer's default pool has 5 connections).
   */
  readonly concurrency: number
}

/** The default dispatcher settings. @category constants */
export const defaultDispatcherSettings: DispatcherSettings = {
  batchSize: 20,
  leaseMillis: 60_000,
  maxAttempts: 8,
  baseDelayMillis: 30_000,
  maxDelayMillis: 6 * 60 * 60_000,
  jitter: 0.2,
  pollIntervalMillis: 5_000,
  sendTimeoutMillis: 60_000,
  invitationAlarmsMinutesBefore: [24 * 60],
  concurrency: 5
}

/** Every setting. @category models */
export interface CopkitSettings {
  readonly readiness: ReadinessSettings
  readonly coDesign: CoDesignSettings
  readonly dispatcher: DispatcherSettings
  readonly followUp: FollowUpSettings
  readonly personalData: PersonalDataSettings
  readonly participants: ParticipantSettings
  readonly planner: PlannerSettings
  readonly sessions: SessionSettings
  readonly calendarImport: CalendarImportSettings
}

/** The defaults. @category constants */
export const defaults: CopkitSettings = {
  readiness: defaultReadinessSettings,
  coDesign: defaultCoDesignSettings,
  dispatcher: defaultDispatcherSettings,
  followUp: defaultFollowUpSettings,
  personalData: defaultPersonalDataSettings,
  participants: defaultParticipantSettings,
  planner: defaultPlannerSettings,
  sessions: defaultSessionSettings,
  calendarImport: defaultCalendarImportSettings
}

/** The settings in force. Services fall back to {@link defaults} when none are provided. @category services */
export class Settings extends Context.Reference<Settings>()("@copkit/core/Settings", {
  defaultValue: (): CopkitSettings => defaults
}) {}

/** A deep-partial override of the settings. @category models */
export type SettingsOverride = {
  readonly [K in keyof CopkitSettings]?: Partial<CopkitSettings[K]>
}

/** Merges an override into the defaults. @category constructors */
export const make = (override: SettingsOverride = {}): CopkitSettings =>
  Object.fromEntries(
    Object.entries(defaults).map(([key, value]) => [key, { ...value, ...(override as Record<string, object>)[key] }])
  ) as unknown as CopkitSettings

/** Provides settings merged over the defaults. @category layers */
export const layer = (override: SettingsOverride = {}): Layer.Layer<Settings> => Layer.succeed(Settings, make(override))
