/**
 * Personal data under the GDPR: a person's export, their erasure, and the retention period.
 *
 * - **Export**: everything stored about one person (every entity that names them, found through
 *   the `personId` column of every entity kind, and every event they caused or that names them), as
 *   JSON. Only their own data: other people named in the same entities appear by id alone.
 * - **Erasure**: the person's personal fields are removed everywhere: their name becomes
 *   {@link marker}; their e-mail address, organisation and position are removed (or, where a field
 *   is required, replaced by {@link marker} or {@link placeholderEmail}); their name and e-mail
 *   address are replaced by {@link marker} in every free text (notes, minutes, insights,
 *   motivations). Their id stays as a pseudonym so that attendance, enrolments, agreements and
 *   insights still count: a report before and after shows the same numbers. What they wrote
 *   (progress notes, insights) stays, being about the work rather than about them, with their
 *   id as author and their name scrubbed. Their session evaluations lose their scores and open
 *   answers (an entity kind's own `erase` step, `Evaluation.erase`), so that they no longer count in
 *   any result. Invitations to sessions not yet held are withdrawn, so
 *   that nothing is sent to them any more. In the delivery records of the messages sent to them
 *   (keyed by their id), their e-mail address is replaced by {@link placeholderEmail}, in the
 *   same transaction. Names are matched as whole words, ignoring case:
 *   a nickname or a misspelling is not found. Only free text is scrubbed: states and other fixed
 *   values, dates, instants, time zones and ids stay as they are, also where one reads as the
 *   person's name (a session `Held` when a person is named "Held").
 * - **Retention**: {@link PersonalDataService.applyRetention} erases the people of every programme
 *   that ended (completed, withdrawn or cancelled) longer ago than the retention period (setting
 *   `personalData.retentionMonthsAfterCompletion`, default 24 months) from that programme's
 *   entities, and those of every declined or withdrawn application from that application.
 *
 * The event log holds ids, never e-mail addresses or names (the events of this library are built
 * so); it is append-only and is not rewritten. Ids chosen by callers should not be personal
 * (`per_sanne` is): ids survive erasure.
 *
 * @since 0.1.0
 */
import { Context, Effect, Either, Layer, Schema } from "effect"
import type * as Actor from "./Actor.js"
import type { Application } from "./Application.js"
import * as Command from "./Command.js"
import { Email } from "./Common.js"
import type { EntityKind } from "./Entity.js"
import { ApplicationKind, kinds, ProgrammeKind } from "./Entity.js"
import type { CommandError } from "./Errors.js"
import { RuleViolation } from "./Errors.js"
import { EventLog } from "./EventLog.js"
import * as Events from "./Events.js"
import type { ApplicationId } from "./Ids.js"
import { PersonId, ProgrammeId } from "./Ids.js"
import { plusMonths } from "./internal/dates.js"
import { escapeRegExp, mayRedact, mentionAfter, mentionBefore } from "./internal/mayRedact.js"
import type { TextView } from "./internal/redaction.js"
import { textView, unknownView } from "./internal/redaction.js"
import { Deliveries } from "./Outbox.js"
import * as Permissions from "./Permissions.js"
import { Programme } from "./Programme.js"
import * as ProgrammeLife from "./Programme.js"
import type { Repository, Versioned } from "./Repository.js"
import { EntityStore } from "./Repository.js"
import { Settings } from "./Settings.js"
import * as Transaction from "./Transaction.js"
import { decode } from "./Validation.js"

// ---------------------------------------------------------------------------------------------
// Pure rules: redaction
// ---------------------------------------------------------------------------------------------

/** What replaces an erased name, organisation or mention. @category constants */
export const marker = "[verwijderd]"

/** What replaces an erased e-mail address where the field is required (an invitation of a held session). @category constants */
export const placeholderEmail = Email.make("verwijderd@example.invalid")

const isEmail = Schema.is(Email)

/** Whose data to erase, and how they are mentioned in free text. @category models */
export interface Target {
  readonly personIds: ReadonlySet<string>
  /** Names and e-mail addresses to replace by {@link marker} in free text. */
  readonly mentions: ReadonlyArray<string>
  /** When set, parts tied to another programme (an invitation of a cross-regional session) are left alone. */
  readonly programmeId?: string | undefined
}

/**
 * A function that replaces every mention (whole words, any case) in a text by {@link marker}.
 * Mentions shorter than three characters are ignored; longer mentions are replaced first.
 *
 * @category rules
 */
export const scrubber = (mentions: ReadonlyArray<string>): (text: string) => string => {
  const patterns = [...new Set(mentions.map((m) => m.trim()).filter((m) => m.length >= 3))]
    .sort((a, b) => b.length - a.length)
    .map((m) => new RegExp(`${mentionBefore}${escapeRegExp(m)}${mentionAfter}`, "giu"))
  return (text) => patterns.reduce((out, pattern) => out.replace(pattern, marker), text)
}

/** The mentions {@link scrubber} replaces (three characters or more, trimmed), distinct. */
const scrubbedMentions = (mentions: ReadonlyArray<string>): ReadonlyArray<string> =>
  [...new Set(mentions.map((m) => m.trim()).filter((m) => m.length >= 3))]

/** The scrubber of a target, built once for all the documents an erasure redacts for it. */
const scrubbers = new WeakMap<Target, (text: string) => string>()
const scrubberOf = (target: Target): (text: string) => string => {
  let scrub = scrubbers.get(target)
  if (scrub === undefined) {
    scrub = scrubber(target.mentions)
    scrubbers.set(target, scrub)
  }
  return scrub
}

/** Replaces every mention in a text by {@link marker} (see {@link scrubber}). @category rules */
export const scrub = (text: string, mentions: ReadonlyArray<string>): string => scrubber(mentions)(text)

const isIdKey = (key: string | undefined): boolean =>
  key !== undefined && (key === "id" || key === "_tag" || /Ids?$/.test(key) || key === "author" || key === "voter" ||
    key === "proposedBy" || key === "assessedBy" || key === "decidedBy" || key === "updatedBy")

const personIdOf = (o: Record<string, unknown>): string | undefined =>
  typeof o["personId"] === "string"
    ? o["personId"]
    : typeof o["id"] === "string" && "helixRole" in o
    ? o["id"]
    : undefined

/**
 * Redacts an encoded document (the JSON an entity is stored as): every object about a target
 * person (a person, an invitation, an agreement's owner) loses its personal fields, every free
 * text loses its mentions, and invitations of a session not yet held are withdrawn. A pure function.
 *
 * With the document's `schema` (its entity kind's, as an erasure and an export pass it), only the
 * strings the schema gives as free text are scrubbed: literals (states, kinds), branded strings
 * (ids, e-mail addresses, dates), instants and time zones are left as they are, so that a person
 * named like one of them ("Held", "Amsterdam") can be erased without breaking the entity. Without
 * a schema every string is taken for text, except ids (known by their keys).
 *
 * @category rules
 */
export const redact = (document: unknown, target: Target, schema?: Schema.Schema.All): unknown => {
  const scrubText = scrubberOf(target)
  const walk = (value: unknown, key: string | undefined, view: TextView): unknown => {
    if (typeof value === "string") return isIdKey(key) || !view.text ? value : scrubText(value)
    if (Array.isArray(value)) return value.map((v, i) => walk(v, key, view.element(i)))
    if (value === null || typeof value !== "object") return value
    const o = value as Record<string, unknown>
    if (target.programmeId !== undefined && typeof o["programmeId"] === "string" && o["programmeId"] !== target.programmeId) return o
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(o)) out[k] = walk(v, k, view.field(k))
    const pid = personIdOf(o)
    if (pid !== undefined && target.personIds.has(pid)) {
      const personLike = "helixRole" in o
      if ("name" in o) out["name"] = marker
      if ("email" in o) {
        if (personLike) delete out["email"]
        else out["email"] = placeholderEmail
      }
      if ("organisation" in o) {
        if (personLike) delete out["organisation"]
        else out["organisation"] = marker
      }
      if ("position" in o) delete out["position"]
    }
    return out
  }
  const out = walk(document, undefined, schema === undefined ? unknownView : textView(schema))
  if (out !== null && typeof out === "object" && !Array.isArray(out)) {
    const root = out as Record<string, unknown>
    if (Array.isArray(root["invitations"]) && typeof root["state"] === "string" && !["Held", "Cancelled"].includes(root["state"])) {
      root["invitations"] = (root["invitations"] as ReadonlyArray<Record<string, unknown>>).filter((i) =>
        !(typeof i["personId"] === "string" && target.personIds.has(i["personId"]) &&
          (target.programmeId === undefined || i["programmeId"] === target.programmeId))
      )
    }
  }
  return out
}

/**
 * The names and e-mail addresses a document holds for the target persons: what their mentions in
 * free text look like. A pure function.
 *
 * @category rules
 */
export const mentionsIn = (document: unknown, personIds: ReadonlySet<string>): ReadonlyArray<string> => {
  const found = new Set<string>()
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk)
    if (value === null || typeof value !== "object") return
    const o = value as Record<string, unknown>
    const pid = personIdOf(o)
    if (pid !== undefined && personIds.has(pid)) {
      for (const k of ["name", "email"]) {
        const v = o[k]
        if (typeof v === "string" && v !== marker && v !== placeholderEmail) found.add(v)
      }
    }
    Object.values(o).forEach(walk)
  }
  walk(document)
  return [...found]
}

/** The other people an encoded document names with personal fields (a name, an address). */
const othersIn = (document: unknown, personId: string, into: Set<string>): void => {
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk)
    if (value === null || typeof value !== "object") return
    const o = value as Record<string, unknown>
    const pid = personIdOf(o)
    if (pid !== undefined && pid !== personId && ("name" in o || "email" in o || "organisation" in o || "position" in o)) into.add(pid)
    Object.values(o).forEach(walk)
  }
  walk(document)
}

/**
 * What a person's export may show of the documents that name them: their own data, and of every
 * other person only the id. Other people's names, e-mail addresses, organisations and positions
 * are replaced as an erasure would ({@link redact}), their names and addresses are scrubbed from
 * free text, and their invitations to sessions not yet held are left out. `schemas`, when given,
 * holds each document's schema (or `undefined`), in the same order, for {@link redact}. A pure function.
 *
 * @category rules
 */
export const ownView = (
  documents: ReadonlyArray<unknown>,
  personId: string,
  schemas?: ReadonlyArray<Schema.Schema.All | undefined>
): ReadonlyArray<unknown> => {
  const others = new Set<string>()
  for (const d of documents) othersIn(d, personId, others)
  if (others.size === 0) return documents
  const own = new Set(documents.flatMap((d) => mentionsIn(d, new Set([personId]))).map((m) => m.toLocaleLowerCase()))
  const mentions = [...new Set(documents.flatMap((d) => mentionsIn(d, others)))].filter((m) => !own.has(m.toLocaleLowerCase()))
  const target: Target = { personIds: others, mentions }
  return documents.map((d, i) => redact(d, target, schemas?.[i]))
}

// ---------------------------------------------------------------------------------------------
// Inputs and results
// ---------------------------------------------------------------------------------------------

/** Input of {@link PersonalDataService.exportPerson} and {@link PersonalDataService.erase}. @category inputs */
export const PersonRef = Schema.Struct({ personId: PersonId })

/** Everything stored about one person. Entities and events as stored (encoded JSON). @category models */
export interface PersonalDataExport {
  readonly personId: string
  readonly exportedAt: string
  /** Per entity kind (`Application`, `Session`, ...), every entity that names the person. */
  readonly entities: Readonly<Record<string, ReadonlyArray<unknown>>>
  /** Every event the person caused or that names them, in order. */
  readonly events: ReadonlyArray<unknown>
}

/** What an erasure changed. @category models */
export interface ErasureResult {
  readonly personId: string
  /** The entities changed, per kind. */
  readonly changed: Readonly<Record<string, number>>
}

/** What a retention run erased. @category models */
export interface RetentionResult {
  readonly programmes: ReadonlyArray<{ readonly programmeId: ProgrammeId; readonly persons: number; readonly entities: number }>
  readonly applications: ReadonlyArray<{ readonly applicationId: ApplicationId; readonly persons: number }>
}

/** The personal-data service. Every method runs as the {@link Actor.CurrentActor}. @category services */
export interface PersonalDataService {
  /**
   * Everything stored about a person, as JSON-ready data: their own data only (other people the
   * same entities name appear by id alone, see {@link ownView}). The coordinator, or the person themself.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, PersonalData } from "@copkit/core"
   *
   * const participant = Actor.make({ _tag: "Participant", personId: "per_sanne-visser", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const personalData = yield* PersonalData.PersonalData
   *   const data = yield* personalData.exportPerson({ personId: "per_sanne-visser" })
   *   console.log(JSON.stringify(data, null, 2))
   * }).pipe(Actor.as(participant))
   * ```
   */
  readonly exportPerson: (input: typeof PersonRef.Encoded) => Effect.Effect<PersonalDataExport, CommandError, Actor.CurrentActor>
  /**
   * Erases a person's personal fields everywhere, keeping anonymous counts. Coordinator only.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, PersonalData } from "@copkit/core"
   *
   * const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke-jansen" })
   *
   * const program = Effect.gen(function*() {
   *   const personalData = yield* PersonalData.PersonalData
   *   const result = yield* personalData.erase({ personId: "per_sanne-visser" })
   *   console.log(result.changed) // e.g. { Enrolment: 1, Session: 4 }
   * }).pipe(Actor.as(coordinator))
   * ```
   */
  readonly erase: (input: typeof PersonRef.Encoded) => Effect.Effect<ErasureResult, CommandError | RuleViolation, Actor.CurrentActor>
  /**
   * Erases the people of every programme (and application) that ended longer ago than the retention period. Coordinator or System.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, PersonalData } from "@copkit/core"
   *
   * const system = Actor.make({ _tag: "System", name: "nightly-jobs" })
   *
   * const program = Effect.gen(function*() {
   *   const personalData = yield* PersonalData.PersonalData
   *   const result = yield* personalData.applyRetention()
   *   console.log(result.programmes.length, result.applications.length)
   * }).pipe(Actor.as(system))
   * ```
   */
  readonly applyRetention: () => Effect.Effect<RetentionResult, CommandError | RuleViolation, Actor.CurrentActor>
}

/** The personal-data service tag. @category services */
export class PersonalData extends Context.Tag("@copkit/core/PersonalData")<PersonalData, PersonalDataService>() {}

/** The ports the personal-data service needs. @category models */
export type Dependencies = EntityStore | Deliveries | Command.Ports

const encodeEvent = Schema.encodeSync(Events.RecordedEvent)

/** Whether an encoded event names a person: as its actor or anywhere in what happened. @category rules */
export const eventNames = (encoded: unknown, personId: string): boolean => {
  const e = encoded as { readonly actor?: { readonly personId?: unknown }; readonly event?: unknown }
  if (e.actor?.personId === personId) return true
  const found = (v: unknown): boolean =>
    v === personId || (Array.isArray(v) ? v.some(found) : v !== null && typeof v === "object" ? Object.values(v).some(found) : false)
  return found(e.event)
}

/** The application states (without a programme) after which the retention period runs. @category constants */
export const endedApplicationStates: ReadonlyArray<Application["state"]> = ["Declined", "Withdrawn"]

/** The moment an ended programme's personal data expires: months after it closed (or, withdrawn or cancelled, last changed). @category rules */
export const expiresAt = (programme: Programme, retentionMonths: number, timeZone = "Europe/Amsterdam"): Date | undefined => {
  if (!ProgrammeLife.endedStates.includes(programme.state)) return undefined
  return plusMonths(programme.closedAt ?? programme.updatedAt, retentionMonths, timeZone)
}

/** The moment a declined or withdrawn application's personal data expires. @category rules */
export const applicationExpiresAt = (application: Application, retentionMonths: number, timeZone = "Europe/Amsterdam"): Date | undefined => {
  if (!endedApplicationStates.includes(application.state) || application.programmeId !== undefined) return undefined
  return plusMonths(application.decision?.decidedAt ?? application.withdrawal?.at ?? application.updatedAt, retentionMonths, timeZone)
}

/** How many entities an erasure reads at a time. @category constants */
export const erasurePageSize = 500

/**
 * How many entity kinds an erasure reads at once (each its own statement; a SQL store's pool
 * gives each a connection): the sessions' scan no longer waits for every other kind's.
 */
const erasureReadConcurrency = 4

/** Builds the personal-data service from its ports. @category constructors */
export const make: Effect.Effect<PersonalDataService, never, Dependencies> = Effect.gen(function*() {
  const store = yield* EntityStore
  const log = yield* EventLog
  const deliveries = yield* Deliveries
  const method = yield* Command.methods<Dependencies>("PersonalData")
  const repositories = kinds.map((kind) => ({ kind, repository: store.repository(kind) as Repository<unknown> }))
  const decodeRef = decode(PersonRef)

  const exportPerson = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeRef(raw)
      yield* Permissions.authorize("personalData.export", { regionIds: [], partyIds: [input.personId] })
      const entities: Record<string, ReadonlyArray<unknown>> = {}
      const schemas: Record<string, Schema.Schema.All> = {}
      for (const { kind, repository } of repositories) {
        const encode = Schema.encodeSync(kind.schema as Schema.Schema<unknown, unknown>)
        const found = yield* repository.list({ personId: input.personId })
        if (found.length > 0) {
          entities[kind.name] = found.map((v) => encode(v.value))
          schemas[kind.name] = kind.schema
        }
      }
      // Only the person's own data: the entities that name them name other people too.
      const kinds = Object.keys(entities)
      const own = ownView(
        kinds.flatMap((k) => entities[k]!),
        input.personId,
        kinds.flatMap((k) => entities[k]!.map(() => schemas[k]))
      )
      let n = 0
      for (const k of kinds) entities[k] = own.slice(n, (n += entities[k]!.length))
      const events = (yield* log.read()).map((e) => encodeEvent(e)).filter((e) => eventNames(e, input.personId))
      return { personId: input.personId, exportedAt: (yield* Command.now).toISOString(), entities, events }
    })

  /** Redacts the given entities for the target; returns the changes (not yet committed). */
  const redactAll = (
    entries: ReadonlyArray<{ readonly kind: EntityKind<unknown, unknown>; readonly repository: Repository<unknown>; readonly found: Versioned<unknown> }>,
    target: Target,
    events: (kind: EntityKind<unknown, unknown>) => ReadonlyArray<Events.DomainEvent>
  ) =>
    Effect.gen(function*() {
      const changes: Array<Command.Change<unknown>> = []
      const mayChange = mayRedact(target.personIds, scrubbedMentions(target.mentions))
      for (const { kind, repository, found } of entries) {
        // most of what a store selects is not changed (a name that is the start of another): not encoded
        if (kind.erase === undefined && !mayChange(JSON.stringify(found.value))) continue
        const schema = kind.schema as Schema.Schema<unknown, unknown>
        const before = Schema.encodeSync(schema)(found.value)
        let after = redact(before, target, schema)
        // a kind may erase more than the generic redaction (an evaluation answer loses its content)
        const eraseMore = kind.erase
        if (eraseMore !== undefined) {
          const redacted = Schema.decodeUnknownEither(schema)(after)
          if (Either.isRight(redacted)) after = Schema.encodeSync(schema)(eraseMore(redacted.right, target.personIds))
        }
        if (JSON.stringify(before) === JSON.stringify(after)) continue
        const decoded = Schema.decodeUnknownEither(schema)(after)
        if (Either.isLeft(decoded)) {
          return yield* Effect.fail(
            new RuleViolation({
              rule: "erasure-keeps-entities-valid",
              message: `${kind.name} ${kind.idOf(found.value)} would not be valid after erasure; nothing was erased.`,
              details: [decoded.left.message]
            })
          )
        }
        changes.push(Command.change(repository, decoded.right, found.version, events(kind)))
      }
      return changes as ReadonlyArray<Command.Change<unknown>>
    })

  const erase = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeRef(raw)
      yield* Permissions.authorizeAny("personalData.erase")
      const personIds = new Set<string>([input.personId])
      // How the person is named: from the entities that name them (the personId column).
      // Every kind at once (a database reads them side by side), taken in the kinds' order.
      const named = yield* Effect.forEach(repositories, ({ kind, repository }) =>
        Effect.map(repository.list({ personId: input.personId }), (found) => {
          const encode = Schema.encodeSync(kind.schema as Schema.Schema<unknown, unknown>)
          return found.flatMap((f) => mentionsIn(encode(f.value), personIds))
        }), { concurrency: erasureReadConcurrency })
      const mentions = new Set<string>(named.flat())
      // Every entity of every kind that may name them, a page at a time: a free text anywhere may
      // mention the person. The store selects the candidates (their id or a mention in the stored
      // document, a superset); the redaction decides. The kinds are read side by side, as the
      // reads one after the other were: each sees its kind as its own statement starts, none in
      // one snapshot with the commit (whose version checks catch a changed candidate).
      const target: Target = { personIds, mentions: [...mentions] }
      const mentioning = { personId: input.personId, texts: scrubbedMentions(target.mentions) }
      const perKind = yield* Effect.forEach(repositories, ({ kind, repository }) =>
        Effect.gen(function*() {
          const changes: Array<Command.Change<unknown>> = []
          for (let offset = 0;; offset += erasurePageSize) {
            const page = yield* repository.list({ mentioning, limit: erasurePageSize, offset })
            changes.push(...yield* redactAll(
              page.map((found) => ({ kind: kind as EntityKind<unknown, unknown>, repository, found })),
              target,
              () => [Events.PersonalDataErased.make({ personId: input.personId })]
            ))
            if (page.length < erasurePageSize) break
          }
          return changes
        }), { concurrency: erasureReadConcurrency })
      // in the kinds' order, as one after the other
      const changes = perKind.flat()
      const changed: Record<string, number> = {}
      for (const c of changes) changed[c.repository.kind.name] = (changed[c.repository.kind.name] ?? 0) + 1
      // The delivery records name the recipient's address: replaced, in the same transaction.
      const addresses = target.mentions.filter(isEmail)
      yield* Transaction.run(Effect.gen(function*() {
        if (changes.length > 0) yield* Command.commit(changes)
        for (const address of addresses) yield* deliveries.eraseRecipient(address, placeholderEmail)
      }))
      return { personId: input.personId, changed }
    })

  const applyRetention = () =>
    Effect.gen(function*() {
      yield* Permissions.authorizeAny("personalData.retention")
      const settings = yield* Settings
      const at = yield* Command.now
      const programmes = store.repository(ProgrammeKind)
      const result: Array<{ programmeId: ProgrammeId; persons: number; entities: number }> = []
      for (const p of yield* programmes.list({ state: ProgrammeLife.endedStates })) {
        if (p.value.personalDataExpiredAt !== undefined) continue
        const until = expiresAt(p.value, settings.personalData.retentionMonthsAfterCompletion, settings.followUp.timeZone)
        if (until === undefined || until.getTime() > at.getTime()) continue
        const programmeId = p.value.id
        const entries: Array<{ kind: EntityKind<unknown, unknown>; repository: Repository<unknown>; found: Versioned<unknown> }> = []
        const personIds = new Set<string>()
        for (const { kind, repository } of repositories) {
          for (const found of yield* repository.list({ programmeId })) {
            entries.push({ kind: kind as EntityKind<unknown, unknown>, repository, found })
            const index = kind.index(found.value)
            // A session shared with other programmes: only this programme's invitees.
            const own = kind.name === "Session"
              ? ((found.value as { readonly invitations: ReadonlyArray<{ readonly personId: string; readonly programmeId: string }> }).invitations
                .filter((i) => i.programmeId === programmeId).map((i) => i.personId))
              : index.personIds
            for (const id of own) personIds.add(id)
          }
        }
        const mentions = new Set<string>()
        for (const { kind, found } of entries) {
          for (const m of mentionsIn(Schema.encodeSync(kind.schema as Schema.Schema<unknown, unknown>)(found.value), personIds)) mentions.add(m)
        }
        const event = Events.PersonalDataExpired.make({ programmeId, persons: personIds.size })
        const changes = yield* redactAll(
          entries.filter((x) => x.kind.name !== "Programme"),
          { personIds, mentions: [...mentions], programmeId },
          () => [event]
        )
        // The programme itself: redacted and marked, so that the next run skips it.
        const redacted = yield* redactAll(
          [{ kind: ProgrammeKind as EntityKind<unknown, unknown>, repository: programmes as Repository<unknown>, found: p }],
          { personIds, mentions: [...mentions], programmeId },
          () => []
        )
        const current = (redacted[0]?.value as Programme | undefined) ?? p.value
        const marked = new Programme({ ...current, personalDataExpiredAt: at })
        yield* Command.commit([...changes, Command.change(programmes, marked, p.version, [event])])
        result.push({ programmeId, persons: personIds.size, entities: changes.length + 1 })
      }
      // Applications that never became a programme: only the application itself names its people.
      const applications = store.repository(ApplicationKind)
      const expiredApplications: Array<{ applicationId: ApplicationId; persons: number }> = []
      for (const a of yield* applications.list({ state: endedApplicationStates })) {
        const until = applicationExpiresAt(a.value, settings.personalData.retentionMonthsAfterCompletion, settings.followUp.timeZone)
        if (until === undefined || until.getTime() > at.getTime()) continue
        const personIds = new Set(ApplicationKind.index(a.value).personIds)
        const entry = { kind: ApplicationKind as EntityKind<unknown, unknown>, repository: applications as Repository<unknown>, found: a }
        const mentions = mentionsIn(Schema.encodeSync(ApplicationKind.schema)(a.value), personIds)
        const event = Events.PersonalDataExpired.make({ applicationId: a.value.id, persons: personIds.size })
        // Erased once: a second run finds nothing left to change.
        const changes = yield* redactAll([entry], { personIds, mentions }, () => [event])
        if (changes.length === 0) continue
        yield* Command.commit(changes)
        expiredApplications.push({ applicationId: a.value.id, persons: personIds.size })
      }
      return { programmes: result, applications: expiredApplications }
    })

  return PersonalData.of({
    exportPerson: method("exportPerson", exportPerson),
    erase: method("erase", erase),
    applyRetention: method("applyRetention", applyRetention)
  })
})

/** The personal-data service, built from the ports in the context. @category layers */
export const layer: Layer.Layer<PersonalData, never, Dependencies> = Layer.effect(PersonalData, make)
