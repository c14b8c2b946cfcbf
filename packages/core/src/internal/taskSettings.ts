/**
 * The tasks' settings, in a module of their own (no imports) so that `Settings.ts` can assemble
 * them while `Tasks.ts`, their public home, reads the `Settings` tag: not API here.
 */

/** When tasks remind their assignee. */
export interface TaskSettings {
  /** Days before a task's deadline that its assignee gets a reminder (once). */
  readonly remindDaysBefore: number
}

/** The default: a reminder 3 days before the deadline. */
export const defaultTaskSettings: TaskSettings = { remindDaysBefore: 3 }
