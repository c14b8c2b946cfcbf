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
// a leaf module: Tasks.ts reads the Settings tag and publishes these two
import type { TaskSettings } from "./internal/taskSettings.js"
import { defaultTaskSettings } from "./internal/taskSettings.js"
import type { EvaluationSettings } from "./Evaluation.js"
import { defaultEvaluationSettings } from "./Evaluation.js"
import type { CoDesignSettings } from "./CoDesignRules.js"
import { defaultCoDesignSettings } from "./CoDesignRules.js"
// a leaf module: Dispatcher.ts reads the Settings tag and publishes these two
import type { DispatcherSettings } from "./internal/dispatcherSettings.js"
import { defaultDispatcherSettings } from "./internal/dispatcherSettings.js"

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
  readonly tasks: TaskSettings
  readonly evaluation: EvaluationSettings
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
  calendarImport: defaultCalendarImportSettings,
  tasks: defaultTaskSettings,
  evaluation: defaultEvaluationSettings
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
