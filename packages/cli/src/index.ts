/**
 * @copkit/cli: the `copkit` command, the jobs an operator runs from a shell or cron (migrations,
 * the HTTP API, the dispatcher, reminders, retention, reports, personal-data exports, a demo),
 * configured from the environment.
 *
 * @since 0.1.0
 * @module @copkit/cli
 */

/** The command tree on `@effect/cli`, and `main`, which runs it with signal handling and exit codes. */
export * as Cli from "./Cli.js"
/** The configuration from `COPKIT_*` variables. */
export * as Environment from "./Environment.js"
/** The exit codes. */
export { ExitCode } from "./ExitCode.js"
