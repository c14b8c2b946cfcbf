/**
 * Business thresholds: every number a rule depends on, with the defaults of DOMAIN.md. Override
 * them with {@link layer}.
 *
 * @since 0.1.0
 */
import { Context, Layer } from "effect"
import type { ReadinessSettings } from "./Application.js"
import { defaultReadinessSettings } from "./Application.js"

/** Every setting. @category models */
export interface CopkitSettings {
  readonly readiness: ReadinessSettings
}

/** The defaults. @category constants */
export const defaults: CopkitSettings = {
  readiness: defaultReadinessSettings
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
