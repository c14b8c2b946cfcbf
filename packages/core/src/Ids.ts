/**
 * Branded identifiers of every entity, and the port that mints new ones.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Ref, Schema } from "effect"
import { checkedString } from "./internal/checkedString.js"
import { uuid7 } from "./internal/uuid7.js"

const idCharacters = /^[A-Za-z0-9_.:-]+$/

/** The rules of an id, one filter each: what a refused id is told, rule by rule. */
const idRules = Schema.String.pipe(
  Schema.minLength(1, { message: () => "must not be empty" }),
  Schema.maxLength(200, { message: () => "must be at most 200 characters" }),
  Schema.pattern(idCharacters, {
    message: () => "may hold only letters, digits and _ . : -"
  })
)

// Ids are decoded and encoded many times a command: checked by one function (see
// internal/checkedString), the rules above deciding and telling whatever it does not accept.
const idString = checkedString(idRules, (s) => s.length <= 200 && idCharacters.test(s))

/** @category ids */
export const RegionId = idString.pipe(Schema.brand("RegionId"))
/** @category ids */
export type RegionId = typeof RegionId.Type
/** @category ids */
export const PersonId = idString.pipe(Schema.brand("PersonId"))
/** @category ids */
export type PersonId = typeof PersonId.Type
/** @category ids */
export const ApplicationId = idString.pipe(Schema.brand("ApplicationId"))
/** @category ids */
export type ApplicationId = typeof ApplicationId.Type
/** @category ids */
export const RoundId = idString.pipe(Schema.brand("RoundId"))
/** @category ids */
export type RoundId = typeof RoundId.Type
/** @category ids */
export const ProgrammeId = idString.pipe(Schema.brand("ProgrammeId"))
/** @category ids */
export type ProgrammeId = typeof ProgrammeId.Type
/** @category ids */
export const ThemeId = idString.pipe(Schema.brand("ThemeId"))
/** @category ids */
export type ThemeId = typeof ThemeId.Type
/** @category ids */
export const PlanItemId = idString.pipe(Schema.brand("PlanItemId"))
/** @category ids */
export type PlanItemId = typeof PlanItemId.Type
/** @category ids */
export const SessionId = idString.pipe(Schema.brand("SessionId"))
/** @category ids */
export type SessionId = typeof SessionId.Type
/** @category ids */
export const EnrolmentId = idString.pipe(Schema.brand("EnrolmentId"))
/** @category ids */
export type EnrolmentId = typeof EnrolmentId.Type
/** @category ids */
export const InsightId = idString.pipe(Schema.brand("InsightId"))
/** @category ids */
export type InsightId = typeof InsightId.Type
/** @category ids */
export const AgreementId = idString.pipe(Schema.brand("AgreementId"))
/** @category ids */
export type AgreementId = typeof AgreementId.Type
/** @category ids */
export const MeasureId = idString.pipe(Schema.brand("MeasureId"))
/** @category ids */
export type MeasureId = typeof MeasureId.Type
/** @category ids */
export const EventId = idString.pipe(Schema.brand("EventId"))
/** @category ids */
export type EventId = typeof EventId.Type

/**
 * The kinds of id the library mints; each gets its own short prefix so that an id says what it names.
 *
 * @category ids
 */
export type IdKind =
  | "round"
  | "material"
  | "person"
  | "application"
  | "programme"
  | "theme"
  | "planItem"
  | "session"
  | "enrolment"
  | "insight"
  | "agreement"
  | "measure"
  | "event"
  | "task"
  | "note"
  | "feedToken"

/** The prefix each kind of id carries. @category ids */
export const prefixes: Readonly<Record<IdKind, string>> = {
  round: "rnd",
  material: "mat",
  person: "per",
  application: "app",
  programme: "prg",
  theme: "thm",
  planItem: "pli",
  session: "ses",
  enrolment: "enr",
  insight: "ins",
  agreement: "agr",
  measure: "msr",
  event: "evt",
  task: "tsk",
  note: "not",
  feedToken: "fdt"
}

/**
 * The port that mints ids. Production uses time-ordered random UUIDs ({@link layerRandom}); tests use {@link layerSequential}.
 *
 * @category services
 */
export class IdGenerator extends Context.Tag("@copkit/core/IdGenerator")<
  IdGenerator,
  { readonly next: (kind: IdKind) => Effect.Effect<string> }
>() {}

/**
 * Mints `prefix_uuid` ids: time-ordered UUIDs (version 7: the time in milliseconds, then 74 random
 * bits from the platform's cryptographic generator), so that ids minted later sort after earlier
 * ones and a store's index takes new rows at its end. An id tells when it was minted (as the
 * entity's `createdAt` does), and is as hard to guess as before.
 *
 * @category layers
 */
export const layerRandom: Layer.Layer<IdGenerator> = Layer.succeed(IdGenerator, {
  next: (kind) => Effect.sync(() => `${prefixes[kind]}_${uuid7()}`)
})

/** Mints `prefix_1`, `prefix_2`, ... per kind: predictable ids for tests and examples. @category layers */
export const layerSequential: Layer.Layer<IdGenerator> = Layer.effect(
  IdGenerator,
  Effect.map(Ref.make<Partial<Record<IdKind, number>>>({}), (counters) => ({
    next: (kind: IdKind) =>
      Ref.modify(counters, (c) => {
        const n = (c[kind] ?? 0) + 1
        return [`${prefixes[kind]}_${n}`, { ...c, [kind]: n }] as const
      })
  }))
)

/** Mints a new id of the given kind. @category constructors */
export const next = (kind: IdKind): Effect.Effect<string, never, IdGenerator> =>
  Effect.flatMap(IdGenerator, (ids) => ids.next(kind))
