import { Schema } from "effect"

/** The page of a search's hits: at most 500, 50 by default, from `offset`. */
export const searchPage = {
  limit: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 500)), { default: () => 50 }),
  offset: Schema.optionalWith(Schema.Int.pipe(Schema.nonNegative()), { default: () => 0 })
}
