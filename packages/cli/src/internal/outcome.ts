// How a run ends: the exit code and the one line printed to stderr.
import { Cause, Context, Deferred, Effect, Exit, Option, Schema } from "effect"
import { ValidationError as CliValidationError } from "@effect/cli"
import { ExitCode } from "../ExitCode.js"

/** A usage error found by the command itself (an option's value, a file that cannot be written). Exit 2. */
export class UsageError extends Schema.TaggedError<UsageError>()("UsageError", {
  message: Schema.String
}) {}

/** A one-shot command stopped by a signal. Exit 130. */
export class Stopped extends Schema.TaggedError<Stopped>()("Stopped", {
  signal: Schema.String
}) {}

/** The signal that asks the command to stop (SIGTERM, SIGINT), once it came. */
export class StopSignal extends Context.Tag("@copkit/cli/StopSignal")<StopSignal, Deferred.Deferred<string>>() {}

/** Waits for the stop signal. */
export const awaitStop: Effect.Effect<string, never, StopSignal> = Effect.flatMap(StopSignal, Deferred.await)

/** A one-shot piece of work: a stop signal interrupts it and fails with {@link Stopped}. */
export const stoppable = <A, E, R>(work: Effect.Effect<A, E, R>): Effect.Effect<A, E | Stopped, R | StopSignal> =>
  Effect.raceFirst(work, Effect.flatMap(awaitStop, (signal) => Effect.fail(new Stopped({ signal }))))

const oneLine = (text: string): string => text.replace(/\s*[\r\n]+\s*/g, " ").trim()

const field = (value: unknown, name: string): unknown =>
  typeof value === "object" && value !== null && name in value ? (value as Record<string, unknown>)[name] : undefined

const text = (value: unknown, name: string): string => {
  const v = field(value, name)
  return typeof v === "string" ? v : v === undefined ? "" : String(v)
}

/** The exit code and the line for a typed error. */
export const describeError = (error: unknown): { readonly code: number; readonly line: string | undefined } => {
  if (CliValidationError.isValidationError(error)) return { code: ExitCode.usage, line: undefined } // @effect/cli printed it
  const tag = text(error, "_tag")
  switch (tag) {
    case "ConfigurationError":
      return { code: ExitCode.usage, line: `configuration: ${text(error, "variable")} ${text(error, "message")}` }
    case "UsageError":
      return { code: ExitCode.usage, line: text(error, "message") }
    case "Stopped":
      return { code: ExitCode.interrupted, line: `stopped by ${text(error, "signal")} before the work was done` }
    case "ValidationError":
      return { code: ExitCode.failure, line: `ValidationError: ${text(error, "field")} (rule ${text(error, "rule")}): ${text(error, "message")}` }
    case "RuleViolation": {
      const details = field(error, "details")
      const more = Array.isArray(details) && details.length > 0 ? ` (${details.join("; ")})` : ""
      return { code: ExitCode.failure, line: `RuleViolation: rule ${text(error, "rule")}: ${text(error, "message")}${more}` }
    }
    case "StorageError":
      return { code: ExitCode.failure, line: `StorageError (${text(error, "operation")}): ${text(error, "message")}` }
    case "DeliveryError":
      return { code: ExitCode.failure, line: `DeliveryError: ${text(error, "message")}` }
    case "ServeError": {
      const cause = field(error, "cause")
      return { code: ExitCode.failure, line: `ServeError: cannot listen: ${cause instanceof Error ? cause.message : String(cause)}` }
    }
    case "":
      return { code: ExitCode.failure, line: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }
    default:
      // NotFound, Forbidden, InvalidTransition, ConcurrencyConflict, ...: their message says it all
      return { code: ExitCode.failure, line: `${tag}: ${text(error, "message")}` }
  }
}

/** The exit code of a finished run, and the line to print to stderr (none when nothing is to be said). */
export const describeExit = (exit: Exit.Exit<unknown, unknown>): { readonly code: number; readonly line: string | undefined } => {
  if (Exit.isSuccess(exit)) return { code: ExitCode.ok, line: undefined }
  const failure = Cause.failureOption(exit.cause)
  if (Option.isSome(failure)) {
    const described = describeError(failure.value)
    return { ...described, line: described.line === undefined ? undefined : oneLine(described.line) }
  }
  if (Cause.isInterruptedOnly(exit.cause)) return { code: ExitCode.interrupted, line: "interrupted" }
  const defect = Cause.squash(exit.cause)
  return {
    code: ExitCode.failure,
    line: oneLine(`unexpected failure: ${defect instanceof Error ? `${defect.name}: ${defect.message}` : String(defect)}`)
  }
}
