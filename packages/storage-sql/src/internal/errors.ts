/**
 * Mapping of driver failures to core's typed errors, at the adapter's edge.
 *
 * @internal
 */
import { StorageError } from "@copkit/core"

const describe = (cause: unknown): string => {
  if (cause instanceof Error) {
    const code = (cause as { readonly code?: unknown }).code
    return typeof code === "string" && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message
  }
  return String(cause)
}

/** Builds a StorageError from any failure (an SqlError, a driver error, a defect). @internal */
export const storageError = (operation: string, error: unknown): StorageError => {
  if (error instanceof StorageError) return error
  if (typeof error === "object" && error !== null && "_tag" in error && (error as { _tag: unknown })._tag === "SqlError") {
    const e = error as unknown as { readonly message: string; readonly cause?: unknown }
    const inner = e.cause === undefined ? "" : `: ${describe(e.cause)}`
    return new StorageError({ operation, message: `${e.message}${inner}` })
  }
  if (typeof error === "object" && error !== null && "_tag" in error && (error as { _tag: unknown })._tag === "MigrationError") {
    const e = error as unknown as { readonly message: string; readonly cause?: unknown }
    const inner = e.cause === undefined ? "" : `: ${storageError(operation, e.cause).message}`
    return new StorageError({ operation, message: `${e.message}${inner}` })
  }
  return new StorageError({ operation, message: describe(error) })
}

/** Whether a failure came from the SQL driver. @internal */
export const isSqlError = (error: unknown): boolean =>
  typeof error === "object" && error !== null && "_tag" in error && (error as { _tag: unknown })._tag === "SqlError"
