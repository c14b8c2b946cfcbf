/**
 * The network's opt-in directory: key persons, regional organisers and guest experts who choose to
 * be found by theme, so that regions find each other between sessions. Nobody is listed without
 * their own consent (recorded with its moment); withdrawing it takes the entry out of the search
 * at once and clears what it said, keeping only that consent was given and withdrawn, and when.
 *
 * Who may do what:
 * - join (give consent), change the entry, read it: the person themself, if they are a key
 *   person, a regional organiser or a guest expert;
 * - withdraw: the person themself, or the coordinator (for someone who asks by other means);
 * - search: everyone signed in to the network (participants, administrators and guest experts too);
 *   the coordinator and System jobs as well.
 *
 * An entry is personal data: it is in the person's export, and an erasure clears it as a
 * withdrawal does.
 *
 * @since 0.4.0
 */
import { Context, Effect, Layer, Option, Schema } from "effect"
import * as Actor from "./Actor.js"
import * as Command from "./Command.js"
import { Email, Instant, Line, Paragraph } from "./Common.js"
import type { CommandError } from "./Errors.js"
import { RuleViolation } from "./Errors.js"
import { PersonId, RegionId } from "./Ids.js"
import { Class } from "./internal/schemaClass.js"
import * as Network from "./Network.js"
import * as Permissions from "./Permissions.js"
import { DirectoryRepository, get } from "./Repository.js"
import { decode } from "./Validation.js"
import { searchPage } from "./internal/searchPage.js"

// ---------------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------------

/** The roles that may be listed. @category models */
export const DirectoryRole = Schema.Literal("KeyPerson", "RegionalOrganiser", "GuestExpert")
/** @category models */
export type DirectoryRole = typeof DirectoryRole.Type

/** `Listed` (found by the search), `Withdrawn` (consent withdrawn, content cleared), `Erased`. @category models */
export const DirectoryState = Schema.Literal("Listed", "Withdrawn", "Erased")
/** @category models */
export type DirectoryState = typeof DirectoryState.Type

/** A theme someone knows about, in their own words (`energietransitie`, `Digitalisering in het mkb`). @category models */
export const DirectoryTheme = Line

/** One person's entry. Its id is derived from the person's: one entry per person. @category models */
export class DirectoryEntry extends Class<DirectoryEntry>("DirectoryEntry")({
  /** `dir_` and the person's id. */
  id: Schema.String.pipe(Schema.startsWith("dir_")),
  personId: PersonId,
  role: DirectoryRole,
  /** The region of a key person or organiser; none for a guest expert. */
  regionId: Schema.optional(RegionId),
  state: DirectoryState,
  name: Line,
  organisation: Schema.optional(Line),
  themes: Schema.Array(DirectoryTheme).pipe(Schema.maxItems(20)),
  /** What they offer, in a few lines. */
  about: Schema.optional(Paragraph),
  /** An address other members may write to; only when given. */
  email: Schema.optional(Email),
  consentedAt: Instant,
  withdrawnAt: Schema.optional(Instant),
  createdAt: Instant,
  updatedAt: Instant
}) {}

/** The id of a person's entry. @category constructors */
export const entryId = (personId: string): string => `dir_${personId}`

/** What a withdrawal or an erasure leaves: the consent's dates, the role and region; the content cleared. @category rules */
export const cleared = (entry: DirectoryEntry, state: "Withdrawn" | "Erased", now: Date, marker = "[verwijderd]"): DirectoryEntry =>
  new DirectoryEntry({
    id: entry.id,
    personId: entry.personId,
    role: entry.role,
    ...(entry.regionId === undefined ? {} : { regionId: entry.regionId }),
    state,
    name: marker,
    themes: [],
    consentedAt: entry.consentedAt,
    withdrawnAt: entry.withdrawnAt ?? now,
    createdAt: entry.createdAt,
    updatedAt: now
  })

/** The erasure step of the entity kind: the entry is cleared as on withdrawal, and marked `Erased`. @category rules */
export const erase = (entry: DirectoryEntry, personIds: ReadonlySet<string>): DirectoryEntry =>
  personIds.has(entry.personId) ? cleared(entry, "Erased", entry.updatedAt) : entry

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

const Themes = Schema.Array(DirectoryTheme).pipe(
  Schema.minItems(1, { message: () => "must name at least one theme" }),
  Schema.maxItems(20)
)

/** Input of {@link DirectoryService.join}: the entry, and the consent, which must be `true`. @category inputs */
export const Join = Schema.Struct({
  /** The person's explicit consent to be listed and found by everyone in the network. */
  consent: Schema.Literal(true).annotations({ message: () => "must be true: nobody is listed without their consent" }),
  name: Line,
  organisation: Schema.optional(Line),
  themes: Themes,
  about: Schema.optional(Paragraph),
  email: Schema.optional(Email)
})

/**
 * Input of {@link DirectoryService.update}: the fields to change; a field left out stays as it is.
 * `organisation`, `about` and `email` are cleared with `null` (an empty string is not allowed).
 *
 * @category inputs
 */
export const Update = Schema.Struct({
  name: Schema.optional(Line),
  organisation: Schema.optional(Schema.NullOr(Line)),
  themes: Schema.optional(Themes),
  about: Schema.optional(Schema.NullOr(Paragraph)),
  email: Schema.optional(Schema.NullOr(Email))
})

/** Input of {@link DirectoryService.withdraw} and {@link DirectoryService.get}. @category inputs */
export const PersonRef = Schema.Struct({ personId: PersonId })

/** Input of {@link DirectoryService.search}. @category inputs */
export const Search = Schema.Struct({
  /** A theme, or words of one: matches the themes people named (any case, accents ignored). */
  theme: Schema.optional(Schema.String.pipe(Schema.maxLength(200))),
  /** Words that must all occur in the name, organisation, themes or about text. */
  text: Schema.optional(Schema.String.pipe(Schema.maxLength(500))),
  role: Schema.optional(DirectoryRole),
  regionId: Schema.optional(RegionId),
  ...searchPage
})

/** One person found. @category models */
export interface DirectoryHit {
  readonly personId: PersonId
  readonly name: string
  readonly organisation: string | undefined
  readonly role: DirectoryRole
  readonly regionId: RegionId | undefined
  readonly themes: ReadonlyArray<string>
  readonly about: string | undefined
  readonly email: string | undefined
  /** Higher is better: a matching theme counts more than a word elsewhere. */
  readonly score: number
}

// ---------------------------------------------------------------------------------------------
// Pure rules
// ---------------------------------------------------------------------------------------------

/** Lower case, accents removed, spaces collapsed: the network search's comparison. @category rules */
export const fold: (s: string) => string = Network.fold

/**
 * Searches the listed entries, best first (then by name). Withdrawn and erased entries are never
 * found. A pure function.
 *
 * @category rules
 */
export const search = (
  entries: ReadonlyArray<DirectoryEntry>,
  query: {
    readonly theme?: string | undefined
    readonly text?: string | undefined
    readonly role?: DirectoryRole | undefined
    readonly regionId?: string | undefined
  }
): ReadonlyArray<DirectoryHit> => {
  const theme = query.theme === undefined ? "" : fold(query.theme)
  const words = query.text === undefined ? [] : fold(query.text).split(" ").filter((w) => w.length > 0)
  const hits: Array<DirectoryHit> = []
  for (const e of entries) {
    if (e.state !== "Listed") continue
    if (query.role !== undefined && e.role !== query.role) continue
    if (query.regionId !== undefined && e.regionId !== query.regionId) continue
    const themes = e.themes.map(fold)
    let score = 0
    if (theme !== "") {
      const exact = themes.filter((t) => t === theme).length
      const partial = themes.filter((t) => t !== theme && (t.includes(theme) || theme.includes(t))).length
      if (exact + partial === 0) continue
      score += exact * 5 + partial * 3
    }
    const body = fold([e.name, e.organisation ?? "", ...e.themes, e.about ?? ""].join(" "))
    if (!words.every((w) => body.includes(w))) continue
    score += words.filter((w) => themes.some((t) => t.includes(w))).length * 2 + words.length
    hits.push({
      personId: e.personId,
      name: e.name,
      organisation: e.organisation,
      role: e.role,
      regionId: e.regionId,
      themes: e.themes,
      about: e.about,
      email: e.email,
      score
    })
  }
  return hits.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name, "nl") || (a.personId < b.personId ? -1 : 1))
}

const listable: ReadonlySet<Actor.Actor["_tag"]> = new Set(["KeyPerson", "RegionalOrganiser", "GuestExpert"])

// ---------------------------------------------------------------------------------------------
// The service
// ---------------------------------------------------------------------------------------------

/** The directory service. Every method runs as the {@link Actor.CurrentActor}. @category services */
export interface DirectoryService {
  /**
   * Lists the actor in the directory, with their consent. A key person, organiser or guest expert
   * only, for themself. Refused while they are listed (rule `directory-listed`: change the entry
   * with `update`); after a withdrawal, joining again lists them anew. Event `DirectoryEntryListed`.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Directory } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const directory = yield* Directory.Directory
   *   yield* directory.join({
   *     consent: true,
   *     name: "Jan Bakker",
   *     organisation: "Gemeente Enschede",
   *     themes: ["energietransitie", "bedrijventerreinen"],
   *     about: "Zette met ondernemers een energiehub op."
   *   })
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly join: (input: typeof Join.Encoded) => Effect.Effect<DirectoryEntry, CommandError | RuleViolation, Actor.CurrentActor>
  /** Changes the actor's own listed entry. Event `DirectoryEntryUpdated`. */
  readonly update: (input: typeof Update.Encoded) => Effect.Effect<DirectoryEntry, CommandError | RuleViolation, Actor.CurrentActor>
  /**
   * Withdraws the consent: the entry leaves the search at once and its content is cleared. The
   * person themself, or the coordinator. Event `DirectoryEntryWithdrawn`.
   */
  readonly withdraw: (input: typeof PersonRef.Encoded) => Effect.Effect<DirectoryEntry, CommandError | RuleViolation, Actor.CurrentActor>
  /** Reads an entry, in any state: the person themself, or the coordinator. */
  readonly get: (input: typeof PersonRef.Encoded) => Effect.Effect<DirectoryEntry, CommandError, Actor.CurrentActor>
  /**
   * Finds listed people by theme and text, best first.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Directory } from "@copkit/core"
   *
   * const organiser = Actor.make({ _tag: "RegionalOrganiser", personId: "per_joost", regionId: "utrecht" })
   *
   * const program = Effect.gen(function*() {
   *   const directory = yield* Directory.Directory
   *   const people = yield* directory.search({ theme: "energietransitie" })
   *   return people.map((p) => `${p.name} (${p.organisation ?? p.role})`)
   * }).pipe(Actor.as(organiser))
   * ```
   */
  readonly search: (input?: typeof Search.Encoded) => Effect.Effect<ReadonlyArray<DirectoryHit>, CommandError, Actor.CurrentActor>
}

/** The directory service tag. @category services */
export class Directory extends Context.Tag("@copkit/core/Directory")<Directory, DirectoryService>() {}

/** The ports the directory service needs. @category models */
export type Dependencies = DirectoryRepository | Command.Ports

const ownScope = (personId: string): Permissions.Scope => ({ regionIds: [], partyIds: [personId as PersonId] })

const listed = (personId: string) =>
  new RuleViolation({
    rule: "directory-listed",
    message: `${personId} is listed already; change the entry, or withdraw it first.`,
    details: []
  })

const notListed = (personId: string) =>
  new RuleViolation({
    rule: "directory-not-listed",
    message: `${personId} is not listed: only a listed entry can be changed or withdrawn.`,
    details: []
  })

/** Builds the directory service from its ports. @category constructors */
export const make: Effect.Effect<DirectoryService, never, Dependencies> = Effect.gen(function*() {
  const entries = yield* DirectoryRepository
  const method = yield* Command.methods<Dependencies>("Directory")

  /** The actor, if they may have an entry of their own: a key person, organiser or guest expert. */
  const self = (action: Permissions.Action) =>
    Effect.flatMap(Actor.CurrentActor, (actor) =>
      listable.has(actor._tag) && "personId" in actor
        ? Effect.succeed(actor as Extract<Actor.Actor, { readonly personId: PersonId }>)
        : Effect.fail(Permissions.forbidden(actor, action)))

  const decodeJoin = decode(Join)
  const join = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeJoin(raw)
      const actor = yield* self("directory.join")
      const id = entryId(actor.personId)
      const existing = yield* entries.find(id)
      if (Option.isSome(existing) && existing.value.value.state === "Listed") return yield* Effect.fail(listed(actor.personId))
      const now = yield* Command.now
      const entry = new DirectoryEntry({
        id,
        personId: actor.personId,
        role: actor._tag as DirectoryRole,
        ...(Actor.regionOf(actor) === undefined ? {} : { regionId: Actor.regionOf(actor)! }),
        state: "Listed",
        name: input.name,
        ...(input.organisation === undefined ? {} : { organisation: input.organisation }),
        themes: input.themes,
        ...(input.about === undefined ? {} : { about: input.about }),
        ...(input.email === undefined ? {} : { email: input.email }),
        consentedAt: now,
        createdAt: Option.match(existing, { onNone: () => now, onSome: (v) => v.value.createdAt }),
        updatedAt: now
      })
      const version = Option.match(existing, { onNone: () => 0, onSome: (v) => v.version })
      yield* Command.commit([Command.change(entries, entry, version, [{ _tag: "DirectoryEntryListed", personId: actor.personId }])])
      return entry
    })

  const decodeUpdate = decode(Update)
  const update = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeUpdate(raw)
      const actor = yield* self("directory.manage")
      const found = yield* entries.find(entryId(actor.personId))
      if (Option.isNone(found) || found.value.value.state !== "Listed") return yield* Effect.fail(notListed(actor.personId))
      const { organisation, about, email, ...rest } = found.value.value
      // a field given replaces; null clears; left out keeps
      const pick = <A>(given: A | null | undefined, current: A | undefined): A | undefined =>
        given === null ? undefined : given ?? current
      const kept = { organisation: pick(input.organisation, organisation), about: pick(input.about, about), email: pick(input.email, email) }
      const entry = new DirectoryEntry({
        ...rest,
        ...Object.fromEntries(Object.entries(kept).filter(([, v]) => v !== undefined)),
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.themes === undefined ? {} : { themes: input.themes }),
        updatedAt: yield* Command.now
      })
      yield* Command.commit([Command.change(entries, entry, found.value.version, [{ _tag: "DirectoryEntryUpdated", personId: actor.personId }])])
      return entry
    })

  const decodeRef = decode(PersonRef)
  const withdraw = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeRef(raw)
      yield* Permissions.authorize("directory.manage", ownScope(input.personId))
      const found = yield* get(entries, entryId(input.personId))
      if (found.value.state !== "Listed") return yield* Effect.fail(notListed(input.personId))
      const entry = cleared(found.value, "Withdrawn", yield* Command.now)
      yield* Command.commit([Command.change(entries, entry, found.version, [{ _tag: "DirectoryEntryWithdrawn", personId: input.personId }])])
      return entry
    })

  const read = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeRef(raw)
      yield* Permissions.authorize("directory.manage", ownScope(input.personId))
      return (yield* get(entries, entryId(input.personId))).value
    })

  const decodeSearch = decode(Search)
  const searchOf = (raw: unknown = {}) =>
    Effect.gen(function*() {
      const input = yield* decodeSearch(raw)
      yield* Permissions.authorizeAny("directory.search")
      const found = (yield* entries.list({ state: "Listed", ...(input.regionId === undefined ? {} : { regionId: input.regionId }) })).map((v) => v.value)
      return search(found, input).slice(input.offset, input.offset + input.limit)
    })

  return Directory.of({
    join: method("join", join),
    update: method("update", update),
    withdraw: method("withdraw", withdraw),
    get: method("get", read),
    search: method("search", searchOf)
  })
})

/** The directory service, built from the ports in the context. @category layers */
export const layer: Layer.Layer<Directory, never, Dependencies> = Layer.effect(Directory, make)
