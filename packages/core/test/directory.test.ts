// The opt-in directory: consent, who may list, change, withdraw and search, and the search itself.
// The storage side (memory, SQLite, PostgreSQL, export and erasure) is in @copkit/testing's contract.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Exit, Layer, Schema, TestClock } from "effect"
import fc from "fast-check"
import { Actor, Directory, Ids } from "@copkit/core"
import { Inspector, Memory } from "@copkit/testing"

const TestLayer = Directory.layer.pipe(Layer.provideMerge(Layer.mergeAll(Memory.layer, Ids.layerSequential)))

const anna = Actor.make({ _tag: "KeyPerson", personId: "per_anna", regionId: "zwolle" })
const joost = Actor.make({ _tag: "RegionalOrganiser", personId: "per_joost", regionId: "utrecht" })
const guest = Actor.make({ _tag: "GuestExpert", personId: "per_gast" })
const participant = Actor.make({ _tag: "Participant", personId: "per_ilse", regionId: "utrecht" })
const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke" })

const as = <A, E>(actor: Actor.Actor, f: (d: Directory.DirectoryService) => Effect.Effect<A, E, Actor.CurrentActor>) =>
  Effect.flatMap(Directory.Directory, f).pipe(Actor.as(actor))

const failure = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.exit(self), (exit) => {
    if (Exit.isSuccess(exit) || exit.cause._tag !== "Fail") throw new Error("expected a typed failure")
    return exit.cause.error as E & { readonly _tag: string }
  })

const entry = { consent: true as const, name: "Anna de Vries", organisation: "Gemeente Zwolle", themes: ["Energietransitie", "Warmtenetten"] }

describe("Directory", () => {
  it.effect("lists a key person with consent, for themself, and refuses a second listing", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(new Date("2027-04-01T10:00:00Z").getTime())
      const listed = yield* as(anna, (d) => d.join(entry))
      expect(listed).toMatchObject({ id: "dir_per_anna", personId: "per_anna", role: "KeyPerson", regionId: "zwolle", state: "Listed" })
      expect(listed.consentedAt.toISOString()).toBe("2027-04-01T10:00:00.000Z")
      expect(yield* failure(as(anna, (d) => d.join(entry)))).toMatchObject({ _tag: "RuleViolation", rule: "directory-listed" })
      const events = (yield* Effect.flatMap(Inspector.Inspector, (i) => i.events())).map((e) => e.type)
      expect(events).toEqual(["DirectoryEntryListed"])
    }).pipe(Effect.provide(TestLayer)))

  it.effect("lists only key persons, organisers and guest experts", () =>
    Effect.gen(function*() {
      expect(yield* failure(as(participant, (d) => d.join(entry)))).toMatchObject({ _tag: "Forbidden" })
      expect(yield* failure(as(coordinator, (d) => d.join(entry)))).toMatchObject({ _tag: "Forbidden" })
      const g = yield* as(guest, (d) => d.join({ ...entry, name: "Gast" }))
      expect(g.regionId).toBeUndefined()
    }).pipe(Effect.provide(TestLayer)))

  it.effect("changes and withdraws only one's own entry; the coordinator may withdraw any", () =>
    Effect.gen(function*() {
      yield* as(anna, (d) => d.join(entry))
      yield* as(joost, (d) => d.join({ consent: true, name: "Joost Bakker", themes: ["arbeidsmarkt"] }))
      const changed = yield* as(anna, (d) => d.update({ themes: ["Energietransitie", "Bedrijventerreinen"], about: "Warmte uit de haven." }))
      expect(changed).toMatchObject({ name: "Anna de Vries", organisation: "Gemeente Zwolle", themes: ["Energietransitie", "Bedrijventerreinen"] })
      // null clears an optional field; a field left out stays; an empty string is refused and changes nothing
      const cleared = yield* as(anna, (d) => d.update({ organisation: null, email: null }))
      expect(cleared.organisation).toBeUndefined()
      expect(cleared.email).toBeUndefined()
      expect(cleared.about).toBe("Warmte uit de haven.")
      expect(yield* failure(as(anna, (d) => d.update({ about: "" })))).toMatchObject({ _tag: "ValidationError", field: "about" })
      expect((yield* as(anna, (d) => d.get({ personId: "per_anna" }))).about).toBe("Warmte uit de haven.")
      yield* as(anna, (d) => d.update({ organisation: "Gemeente Zwolle" }))
      // another region's organiser: neither withdraw nor read Anna's entry
      expect(yield* failure(as(joost, (d) => d.withdraw({ personId: "per_anna" })))).toMatchObject({ _tag: "Forbidden" })
      expect(yield* failure(as(joost, (d) => d.get({ personId: "per_anna" })))).toMatchObject({ _tag: "Forbidden" })
      const withdrawn = yield* as(coordinator, (d) => d.withdraw({ personId: "per_joost" }))
      expect(withdrawn).toMatchObject({ state: "Withdrawn", themes: [], name: "[verwijderd]" })
      expect(yield* failure(as(joost, (d) => d.update({ name: "J. Bakker" })))).toMatchObject({ rule: "directory-not-listed" })
      expect(yield* failure(as(joost, (d) => d.withdraw({ personId: "per_joost" })))).toMatchObject({ rule: "directory-not-listed" })
      // joining again lists anew, with a new consent
      yield* TestClock.adjust("1 day")
      const again = yield* as(joost, (d) => d.join({ consent: true, name: "Joost Bakker", themes: ["arbeidsmarkt"] }))
      expect(again.state).toBe("Listed")
      expect(again.withdrawnAt).toBeUndefined()
      // an event for every change, none for the refusals
      const events = (yield* Effect.flatMap(Inspector.Inspector, (i) => i.events())).map((e) => e.type)
      expect(events).toEqual([
        "DirectoryEntryListed",
        "DirectoryEntryListed",
        "DirectoryEntryUpdated",
        "DirectoryEntryUpdated",
        "DirectoryEntryUpdated",
        "DirectoryEntryWithdrawn",
        "DirectoryEntryListed"
      ])
    }).pipe(Effect.provide(TestLayer)))

  it.effect("is searched by everyone signed in, by theme and words, accents and case ignored; withdrawn entries are gone at once", () =>
    Effect.gen(function*() {
      yield* as(anna, (d) => d.join(entry))
      yield* as(joost, (d) => d.join({ consent: true, name: "Joost Bakker", themes: ["arbeidsmarkt", "energie"], about: "Coöperaties." }))
      yield* as(guest, (d) => d.join({ consent: true, name: "Gast Expert", themes: ["warmtenetten"] }))
      const byTheme = yield* as(participant, (d) => d.search({ theme: "warmtenetten" }))
      // an exact theme ranks above a partial one; then by name
      expect(byTheme.map((h) => h.name)).toEqual(["Anna de Vries", "Gast Expert"])
      expect((yield* as(participant, (d) => d.search({ theme: "ENERGIE" }))).map((h) => h.name)).toEqual(["Joost Bakker", "Anna de Vries"])
      expect((yield* as(guest, (d) => d.search({ text: "cooperaties" }))).map((h) => h.name)).toEqual(["Joost Bakker"])
      expect((yield* as(guest, (d) => d.search({ role: "KeyPerson" }))).map((h) => h.name)).toEqual(["Anna de Vries"])
      expect((yield* as(guest, (d) => d.search({ regionId: "utrecht" }))).map((h) => h.name)).toEqual(["Joost Bakker"])
      yield* as(anna, (d) => d.withdraw({ personId: "per_anna" }))
      expect((yield* as(participant, (d) => d.search({ theme: "warmtenetten" }))).map((h) => h.name)).toEqual(["Gast Expert"])
    }).pipe(Effect.provide(TestLayer)))

  it.effect("refuses bad input naming the field, and stores nothing", () =>
    Effect.gen(function*() {
      expect(yield* failure(as(anna, (d) => d.join({ ...entry, consent: false as never })))).toMatchObject({ _tag: "ValidationError", field: "consent" })
      expect(yield* failure(as(anna, (d) => d.join({ ...entry, themes: [] })))).toMatchObject({ _tag: "ValidationError", field: "themes" })
      expect(yield* failure(as(anna, (d) => d.join({ ...entry, email: "anna@" })))).toMatchObject({ _tag: "ValidationError", field: "email" })
      expect((yield* Effect.flatMap(Inspector.Inspector, (i) => i.events()))).toEqual([])
    }).pipe(Effect.provide(TestLayer)))

  it("decodes a join only with consent true and 1 to 20 non-empty themes (property)", () => {
    const decode = Schema.decodeUnknownEither(Directory.Join)
    fc.assert(
      fc.property(
        fc.oneof(fc.constant(true), fc.constant(false), fc.constant("true"), fc.constant(undefined), fc.integer()),
        fc.array(fc.string({ maxLength: 30 }), { maxLength: 25 }),
        (consent, themes) => {
          const result = decode({ consent, name: "Anna", themes })
          const valid = consent === true && themes.length >= 1 && themes.length <= 20 && themes.every((t) => t.trim().length > 0 && !/[\u0000-\u001f\u007f]/.test(t))
          if (valid) expect(Either.isRight(result)).toBe(true)
          if (consent !== true || themes.length === 0 || themes.length > 20) expect(Either.isLeft(result)).toBe(true)
        }
      )
    )
  })

  it("search finds only listed entries, every hit matching the theme (property)", () => {
    const now = new Date("2027-04-01T10:00:00Z")
    const arbitraryEntry = fc.record({
      n: fc.integer({ min: 0, max: 1000 }),
      state: fc.constantFrom("Listed", "Withdrawn", "Erased"),
      themes: fc.array(fc.constantFrom("energie", "Energietransitie", "arbeidsmarkt", "digitalisering", "Zorg en welzijn"), { minLength: 1, maxLength: 3 })
    })
    fc.assert(
      fc.property(fc.array(arbitraryEntry, { maxLength: 20 }), fc.constantFrom("energie", "ARBEIDSMARKT", "zorg", "water"), (raw, theme) => {
        const entries = raw.map((e, i) =>
          new Directory.DirectoryEntry({
            id: `dir_per_${i}`,
            personId: `per_${i}` as Ids.PersonId,
            role: "KeyPerson",
            state: e.state as Directory.DirectoryState,
            name: `Persoon ${e.n}`,
            themes: e.themes,
            consentedAt: now,
            createdAt: now,
            updatedAt: now
          }))
        const hits = Directory.search(entries, { theme })
        const folded = Directory.fold(theme)
        for (const hit of hits) {
          expect(entries.find((e) => e.personId === hit.personId)?.state).toBe("Listed")
          expect(hit.themes.some((t) => Directory.fold(t).includes(folded) || folded.includes(Directory.fold(t)))).toBe(true)
        }
        const expected = entries.filter((e) => e.state === "Listed" && e.themes.some((t) => Directory.fold(t).includes(folded) || folded.includes(Directory.fold(t))))
        expect(hits).toHaveLength(expected.length)
      })
    )
  })
})
