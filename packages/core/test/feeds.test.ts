// Private feeds: a revocable token per person (issued, rotated, revoked; a person their own, the
// coordinator any), the person's feed and a programme's (its core team only), personal data in the
// export and gone with the erasure; properties of the token's parser and of its rules.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Layer } from "effect"
import * as fc from "fast-check"
import type { Ids } from "@copkit/core"
import { Actor, EventLog, Feeds, FeedToken, PersonalData, Repository } from "@copkit/core"
import { Fixtures, Memory } from "@copkit/testing"

const World = Layer.mergeAll(Feeds.layer, PersonalData.layer).pipe(Layer.provideMerge(Memory.layer))

const { actors, people, regions } = Fixtures
const coordinator = Actor.as(actors.coordinator)
const keyPerson = Actor.as(actors.keyPerson)
const participant = Actor.as(actors.participant)
const other = Actor.as({ _tag: "Participant", personId: people.entrepreneur.id, regionId: regions.utrecht.id })

const failureTag = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.exit(self), (exit) => (Exit.isFailure(exit) ? (exit.cause as any).error?._tag ?? String(exit.cause) : "success"))

describe("Feeds", () => {
  it.effect("a person issues their own token (twice the same); rotating revokes it; others may not", () =>
    Effect.gen(function*() {
      const feeds = yield* Feeds.Feeds
      const first = yield* feeds.issue({ personId: people.baker.id }).pipe(participant)
      expect(FeedToken.parse(first.token)).toEqual({ id: first.id, secret: first.token.split(".")[1] })
      expect((yield* feeds.issue({ personId: people.baker.id }).pipe(participant)).token).toBe(first.token)
      expect(yield* failureTag(feeds.issue({ personId: people.baker.id }).pipe(other))).toBe("Forbidden")
      expect(yield* failureTag(feeds.revoke({ personId: people.baker.id }).pipe(keyPerson))).toBe("Forbidden")
      const rotated = yield* feeds.rotate({ personId: people.baker.id }).pipe(coordinator)
      expect(rotated.token).not.toBe(first.token)
      expect(yield* failureTag(feeds.feed({ token: first.token }).pipe(participant))).toBe("NotFound")
      expect((yield* feeds.feed({ token: rotated.token }).pipe(participant)).personId).toBe(people.baker.id)
      const revoked = yield* feeds.revoke({ personId: people.baker.id }).pipe(participant)
      expect(revoked.map((t) => t.state)).toEqual(["Revoked"])
      expect(revoked[0]!.token).toBe("")
      expect(yield* feeds.revoke({ personId: people.baker.id }).pipe(participant)).toEqual([])
      expect(yield* failureTag(feeds.feed({ token: rotated.token }).pipe(participant))).toBe("NotFound")
      // events: issued, issued, revoked, revoked — ids only
      const events = (yield* Effect.flatMap(EventLog.EventLog, (log) => log.read())).map((e) => e.event._tag)
      expect(events).toEqual(["FeedTokenIssued", "FeedTokenRevoked", "FeedTokenIssued", "FeedTokenRevoked"])
    }).pipe(Effect.provide(World)))

  it.effect("a wrong secret, a malformed token, another programme: NotFound", () =>
    Effect.gen(function*() {
      const feeds = yield* Feeds.Feeds
      const issued = yield* feeds.issue({ personId: people.baker.id }).pipe(participant)
      expect(yield* failureTag(feeds.feed({ token: `${issued.id}.${"x".repeat(43)}` }).pipe(participant))).toBe("NotFound")
      expect(yield* failureTag(feeds.feed({ token: "nothing" }).pipe(participant))).toBe("NotFound")
      expect(yield* failureTag(feeds.feed({ token: issued.token, programmeId: "prg_unknown" }).pipe(participant))).toBe("NotFound")
      expect(yield* failureTag(feeds.feed({ token: 42 as never }).pipe(participant))).toBe("ValidationError")
    }).pipe(Effect.provide(World)))

  it.effect("feed tokens are in the export, and revoked without their secret after the erasure", () =>
    Effect.gen(function*() {
      const feeds = yield* Feeds.Feeds
      const personalData = yield* PersonalData.PersonalData
      const issued = yield* feeds.issue({ personId: people.baker.id }).pipe(participant)
      const exported = yield* personalData.exportPerson({ personId: people.baker.id }).pipe(participant)
      expect((exported.entities["FeedToken"] as ReadonlyArray<any>).map((t) => t.token)).toEqual([issued.token])
      const erased = yield* personalData.erase({ personId: people.baker.id }).pipe(coordinator)
      expect(erased.changed["FeedToken"]).toBe(1)
      const stored = yield* Effect.flatMap(Repository.FeedTokenRepository, (repo) => repo.find(issued.id))
      expect(stored._tag === "Some" && stored.value.value).toMatchObject({ state: "Revoked", token: "" })
      expect(yield* failureTag(feeds.feed({ token: issued.token }).pipe(participant))).toBe("NotFound")
    }).pipe(Effect.provide(World)))
})

describe("FeedToken: properties", () => {
  const id = fc.stringMatching(/^fdt_[A-Za-z0-9_-]{1,64}$/).map((s) => s as FeedToken.FeedTokenId)
  const at = new Date("2027-01-01T00:00:00Z")

  it("parse reads back every issued token, and never throws on any string", () => {
    fc.assert(fc.property(id, (tokenId) => {
      const issued = FeedToken.issue(tokenId, people.baker.id as Ids.PersonId, FeedToken.newSecret(), at).value
      const parsed = FeedToken.parse(issued.token)
      expect(parsed?.id).toBe(tokenId)
      expect(FeedToken.opens(issued, issued.token)).toBe(true)
    }))
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => {
      const parsed = FeedToken.parse(s)
      if (parsed !== undefined) expect(`${parsed.id}.${parsed.secret}`).toBe(s)
    }))
  })

  it("a token opens only with its own secret, and never once revoked or erased", () => {
    fc.assert(fc.property(id, fc.stringMatching(/^[A-Za-z0-9_-]{43}$/), (tokenId, guess) => {
      const issued = FeedToken.issue(tokenId, people.baker.id as Ids.PersonId, FeedToken.newSecret(), at).value
      expect(FeedToken.opens(issued, `${tokenId}.${guess}`)).toBe(issued.token === `${tokenId}.${guess}`)
      const revoked = FeedToken.revoke(issued, at)
      expect(revoked._tag === "Right" && FeedToken.opens(revoked.right.value, issued.token)).toBe(false)
      expect(FeedToken.opens(FeedToken.erase(issued, new Set([people.baker.id])), issued.token)).toBe(false)
      expect(FeedToken.erase(issued, new Set(["per_someone_else"]))).toBe(issued)
    }))
  })
})
