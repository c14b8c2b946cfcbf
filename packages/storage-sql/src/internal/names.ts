/**
 * Table names: a prefix (default `copkit_`) and, on PostgreSQL, an optional schema.
 *
 * @internal
 */
import { Either } from "effect"
import { StorageError } from "@copkit/core"

/** The names of every table and index the store uses. @internal */
export interface Names {
  readonly prefix: string
  /** A table's name, qualified with the schema when there is one: `schema.copkit_events`. */
  readonly table: (name: string) => string
  /** An index's name (never qualified: an index lives in its table's schema). */
  readonly index: (name: string) => string
  readonly migrations: string
}

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/

/** Checks the options and builds the names. @internal */
export const make = (options: { readonly prefix?: string | undefined; readonly schema?: string | undefined }): Either.Either<Names, StorageError> => {
  const prefix = options.prefix ?? "copkit_"
  if (prefix !== "" && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(prefix)) {
    return Either.left(new StorageError({ operation: "configure", message: `The table prefix ${JSON.stringify(prefix)} may hold only letters, digits and _, and must not start with a digit` }))
  }
  const schema = options.schema
  if (schema !== undefined && !identifier.test(schema)) {
    return Either.left(new StorageError({ operation: "configure", message: `The schema name ${JSON.stringify(schema)} may hold only letters, digits and _, and must not start with a digit` }))
  }
  const table = (name: string) => (schema === undefined ? `${prefix}${name}` : `${schema}.${prefix}${name}`)
  return Either.right({
    prefix,
    table,
    index: (name) => `${prefix}${name}`,
    migrations: table("migrations")
  })
}
