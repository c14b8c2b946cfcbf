/**
 * Private calendar feeds: a revocable token per person (see {@link FeedToken}) that opens two
 * kinds of feed at a secret URL, served by `@copkit/http` as `text/calendar`:
 *
 * - the person's own feed: every dated session they are invited to;
 * - a programme's feed: every dated session of the programme, for the tokens of its core team
 *   (key persons and organisers) while they are in it. An online session's join link is never in
 *   a feed (see `Calendar.CalendarEvent.conference`).
 *
 * Who may do what: a person issues, rotates and revokes their own token; the coordinator anyone's.
 * Reading a feed needs only the token: an unknown, revoked or wrong token is `NotFound`.
 *
 * @since 0.4.0
 */
import { Context, Effect, Layer, Option, Schema } from "effect"
import type * as Actor from "./Actor.js"
import { CalendarEvent } from "./Calendar.js"
import * as Command from "./Command.js"
import { Line } from "./Common.js"
import type { CommandError } from "./Errors.js"
import { NotFound } from "./Errors.js"
import * as FeedTokenModel from "./FeedToken.js"
import { FeedToken } from "./FeedToken.js"
import { IdGenerator, PersonId, ProgrammeId } from "./Ids.js"
import * as Permissions from "./Permissions.js"
import type { Programme } from "./Programme.js"
import { FeedTokenRepository, ProgrammeRepository, SessionRepository } from "./Repository.js"
import * as SessionNotifications from "./SessionNotifications.js"
import { Settings } from "./Settings.js"
import { decode } from "./Validation.js"

// ---------------------------------------------------------------------------------------------
// Inputs and results
// ---------------------------------------------------------------------------------------------

/** Input of {@link FeedsService.issue}, {@link FeedsService.rotate} and {@link FeedsService.revoke}. @category inputs */
export const PersonRef = Schema.Struct({ personId: PersonId })

/** Input of {@link FeedsService.feed}: the token a link carries, and a programme for a programme's feed. @category inputs */
export const FeedRequest = Schema.Struct({
  token: Schema.String.pipe(Schema.maxLength(200)),
  programmeId: Schema.optional(ProgrammeId)
})

/** A feed's content: its name and its events, for the `CalendarRenderer`'s `feed`. @category models */
export const FeedContent = Schema.Struct({
  name: Line,
  personId: PersonId,
  events: Schema.Array(CalendarEvent)
})
/** @category models */
export type FeedContent = typeof FeedContent.Type

// ---------------------------------------------------------------------------------------------
// The service
// ---------------------------------------------------------------------------------------------

/** The feeds service. Every method runs as the {@link Actor.CurrentActor}. @category services */
export interface FeedsService {
  /**
   * The person's active feed token, issued now if they have none (so calling it twice gives the
   * same token). The person themself, or the coordinator.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Feeds } from "@copkit/core"
   *
   * const participant = Actor.make({ _tag: "Participant", personId: "per_sanne-visser", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const feeds = yield* Feeds.Feeds
   *   const issued = yield* feeds.issue({ personId: "per_sanne-visser" })
   *   console.log(`webcal://copkit.example.nl/feeds/${issued.token}.ics`)
   * }).pipe(Actor.as(participant))
   * ```
   */
  readonly issue: (input: typeof PersonRef.Encoded) => Effect.Effect<FeedToken, CommandError, Actor.CurrentActor>
  /** Revokes the person's active token (if any) and issues a new one: old links answer 404. The person themself, or the coordinator. */
  readonly rotate: (input: typeof PersonRef.Encoded) => Effect.Effect<FeedToken, CommandError, Actor.CurrentActor>
  /** Revokes the person's active token; gives the tokens revoked (none when there was none). The person themself, or the coordinator. */
  readonly revoke: (input: typeof PersonRef.Encoded) => Effect.Effect<ReadonlyArray<FeedToken>, CommandError, Actor.CurrentActor>
  /**
   * The content of a feed a token opens: the person's own (no `programmeId`), or a programme's
   * when the token's person is in its core team. The token is the credential: an unknown, revoked or
   * wrong token, or a programme it does not open, is `NotFound`.
   */
  readonly feed: (input: typeof FeedRequest.Encoded) => Effect.Effect<FeedContent, CommandError, Actor.CurrentActor>
}

/** The feeds service tag. @category services */
export class Feeds extends Context.Tag("@copkit/core/Feeds")<Feeds, FeedsService>() {}

/** The ports the feeds service needs. @category models */
export type Dependencies = FeedTokenRepository | SessionRepository | ProgrammeRepository | Command.Ports

const unknownToken = () => new NotFound({ entity: "FeedToken", id: "(the token given)" })

/** Builds the feeds service from its ports. @category constructors */
export const make: Effect.Effect<FeedsService, never, Dependencies> = Effect.gen(function*() {
  const tokens = yield* FeedTokenRepository
  const sessions = yield* SessionRepository
  const programmes = yield* ProgrammeRepository
  const ids = yield* IdGenerator
  const method = yield* Command.methods<Dependencies>("Feeds")
  const decodeRef = decode(PersonRef)
  const decodeRequest = decode(FeedRequest)

  const active = (personId: string) => tokens.list({ personId, state: "Active" })

  const authorized = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeRef(raw)
      // a person their own, the coordinator anyone's (no region role reaches another person's token)
      yield* Permissions.authorize("feed.manage", { regionIds: [], partyIds: [input.personId] })
      return input
    })

  const issueNew = (personId: PersonId) =>
    Effect.gen(function*() {
      const id = (yield* ids.next("feedToken")) as FeedTokenModel.FeedTokenId
      const issued = FeedTokenModel.issue(id, personId, FeedTokenModel.newSecret(), yield* Command.now)
      return { change: Command.change(tokens, issued.value, 0, issued.events), value: issued.value }
    })

  const revokeAll = (personId: string) =>
    Effect.gen(function*() {
      const at = yield* Command.now
      const changes: Array<Command.Change<FeedToken>> = []
      for (const { value, version } of yield* active(personId)) {
        // only active tokens are listed, and an active token can always be revoked
        const revoked = yield* Effect.orDie(FeedTokenModel.revoke(value, at))
        changes.push(Command.change(tokens, revoked.value, version, revoked.events))
      }
      return changes
    })

  const issue = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* authorized(raw)
      const current = yield* active(input.personId)
      if (current.length > 0) return current[0]!.value
      const fresh = yield* issueNew(input.personId)
      yield* Command.commit([fresh.change])
      return fresh.value
    })

  const rotate = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* authorized(raw)
      const revoked = yield* revokeAll(input.personId)
      const fresh = yield* issueNew(input.personId)
      yield* Command.commit([...revoked, fresh.change])
      return fresh.value
    })

  const revoke = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* authorized(raw)
      const revoked = yield* revokeAll(input.personId)
      if (revoked.length > 0) yield* Command.commit(revoked)
      return revoked.map((c) => c.value)
    })

  const feed = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeRequest(raw)
      const parsed = FeedTokenModel.parse(input.token)
      if (parsed === undefined) return yield* Effect.fail(unknownToken())
      const found = yield* tokens.find(parsed.id)
      if (Option.isNone(found) || !FeedTokenModel.opens(found.value.value, input.token)) return yield* Effect.fail(unknownToken())
      const personId = found.value.value.personId
      const settings = yield* Settings
      const options = {
        organizer: settings.sessions.organizer,
        alarmsMinutesBefore: settings.dispatcher.invitationAlarmsMinutesBefore,
        sessionUrl: settings.sessions.sessionUrl
      }
      if (input.programmeId !== undefined) {
        const programme = yield* programmes.find(input.programmeId)
        const p = Option.getOrUndefined(programme)?.value as Programme | undefined
        // a programme's feed opens to its core team only; to anyone else it does not exist
        if (p === undefined || !p.coreTeam.some((m) => m.person.id === personId)) {
          return yield* Effect.fail(new NotFound({ entity: "Programme", id: input.programmeId }))
        }
        const rows = yield* sessions.list({ programmeId: p.id })
        const events = rows.flatMap(({ value }) => {
          const event = SessionNotifications.calendarEventOf(value, options)
          return event === undefined ? [] : [event]
        })
        return { name: p.region.name, personId, events }
      }
      const rows = yield* sessions.list({ personId })
      const events = rows.flatMap(({ value }) => {
        const language = value.invitations.find((i) => i.personId === personId)?.language
        const event = SessionNotifications.calendarEventOf(value, { ...options, language })
        return event === undefined ? [] : [event]
      })
      const language = rows.flatMap(({ value }) => value.invitations.filter((i) => i.personId === personId))[0]?.language
      return { name: (language === "en" ? "My sessions" : "Mijn bijeenkomsten") as typeof Line.Type, personId, events }
    })

  return Feeds.of({
    issue: method("issue", issue),
    rotate: method("rotate", rotate),
    revoke: method("revoke", revoke),
    feed: method("feed", feed)
  })
})

/** The feeds service, built from the ports in the context. @category layers */
export const layer: Layer.Layer<Feeds, never, Dependencies> = Layer.effect(Feeds, make)
