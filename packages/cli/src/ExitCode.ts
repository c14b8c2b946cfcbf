/**
 * The exit codes of the `copkit` command.
 *
 * | code | meaning |
 * |---|---|
 * | 0 | done (a long-running command stopped by SIGTERM or SIGINT also ends with 0) |
 * | 1 | the work failed: a typed error of the library (`ValidationError`, `RuleViolation`, `NotFound`, `Forbidden`, `StorageError`, ...), a server that cannot listen, an unexpected failure |
 * | 2 | usage or configuration: an unknown command or option, a missing or invalid `COPKIT_*` variable |
 * | 130 | a one-shot command stopped by SIGTERM or SIGINT before it was done |
 *
 * @since 0.1.0
 */

/** The exit codes by name. @category constants */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  interrupted: 130
} as const

/** An exit code. @category models */
export type ExitCode = typeof ExitCode[keyof typeof ExitCode]
