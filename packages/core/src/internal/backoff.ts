/** The retry delay of the dispatcher's channels: not API here (`Dispatcher.backoffMillis` publishes it). */
import type { DispatcherSettings } from "./dispatcherSettings.js"

/** The delay before retry number `failures`; see `Dispatcher.backoffMillis`. */
export const backoffMillis = (failures: number, settings: DispatcherSettings, random: number): number => {
  const exponent = Math.max(0, failures - 1)
  const raw = Math.min(settings.maxDelayMillis, settings.baseDelayMillis * Math.pow(2, Math.min(exponent, 52)))
  const jitter = Math.min(1, Math.max(0, settings.jitter))
  return Math.round(raw * (1 - jitter * random))
}

