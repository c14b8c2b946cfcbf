/**
 * The dispatcher's settings, in a module of their own (no imports) so that `Settings.ts` can
 * assemble them while `Dispatcher.ts`, their public home, reads the `Settings` tag: not API here.
 */

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
  batchSize: 100,
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
