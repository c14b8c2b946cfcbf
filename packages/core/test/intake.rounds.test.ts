import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, TestClock } from "effect"
import { Actor, Application, EventLog, Intake, IntakeRounds } from "@copkit/core"
import { Fixtures, Memory } from "@copkit/testing"

// Choosing regions ("starten met regio's waar energie zit"): a round with a capacity and a
// deadline, its applications compared by readiness, and the capacity kept unless overridden.

const World = Layer.mergeAll(Intake.layer, IntakeRounds.layer).pipe(Layer.provideMerge(Memory.layer))
const { actors, regions } = Fixtures
const coordinator = Actor.as(actors.coordinator)

const region = (r: typeof regions.utrecht | typeof regions.twente | typeof regions.zuidLimburg) =>
  ({ ...r, provinces: [...r.provinces], municipalities: [...r.municipalities] })
const keyPersonOf = (regionId: string) => Actor.as({ _tag: "KeyPerson", personId: Fixtures.people.chamber.id, regionId } as Actor.Actor)

/** An application of the region in the round, submitted, in exploration, every criterion scored `score`. */
const applied = (r: Parameters<typeof region>[0], roundId: string, score: number) =>
  Effect.gen(function*() {
    const intake = yield* Intake.Intake
    const as = keyPersonOf(r.id)
    const draft = yield* intake.create({ ...Fixtures.applicationInput({ region: region(r) }), roundId }).pipe(as)
    yield* intake.submit({ applicationId: draft.id }).pipe(as)
    yield* intake.scheduleExploration({ applicationId: draft.id, at: "2027-02-20T10:00:00+01:00" }).pipe(coordinator)
    for (const criterion of Application.criteria) {
      yield* intake.assess({ applicationId: draft.id, criterion, score, note: "Gewogen in het verkenningsgesprek." }).pipe(coordinator)
    }
    return draft.id
  })

describe("Intake rounds", () => {
  it.effect("compared by readiness; the capacity holds unless the coordinator gives a reason, which the event keeps", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2027-01-10T09:00:00Z"))
      const rounds = yield* IntakeRounds.IntakeRounds
      const intake = yield* Intake.Intake
      const round = yield* rounds.open({ name: "Voorjaar 2027", capacity: 2, deadline: "2027-02-01T00:00:00+01:00" }).pipe(coordinator)
      expect(round).toMatchObject({ state: "Open", capacity: 2 })

      const utrecht = yield* applied(regions.utrecht, round.id, 4)
      const twente = yield* applied(regions.twente, round.id, 5)
      const limburg = yield* applied(regions.zuidLimburg, round.id, 2)

      const comparison = yield* rounds.compare({ roundId: round.id }).pipe(coordinator)
      // Twente scores highest; Zuid-Limburg's low scores on essential criteria block it
      expect(comparison.entries.map((e) => [e.rank, e.applicationId, e.readiness.ready])).toEqual([
        [1, twente, true],
        [2, utrecht, true],
        [3, limburg, false]
      ])
      expect(comparison.entries[2]!.readiness.findings.some((f) => f.blocking)).toBe(true)
      expect(comparison.remaining).toBe(2)

      yield* intake.accept({ applicationId: twente, reason: "Veel energie en alle toezeggingen rond." }).pipe(coordinator)
      yield* intake.accept({ applicationId: utrecht, reason: "Sterke ondernemersbetrokkenheid." }).pipe(coordinator)
      const full = yield* intake.accept({ applicationId: limburg, reason: "Toch beginnen." }).pipe(coordinator, Effect.flip)
      expect(full).toMatchObject({ _tag: "RuleViolation", rule: "round-capacity" })
      expect((yield* rounds.compare({ roundId: round.id }).pipe(coordinator)).remaining).toBe(0)

      // beyond the capacity, with the coordinator's reason (the decision rules still hold: assessed, in exploration)
      const override = "De provincie financiert een extra plaats voor een grensregio."
      yield* intake.accept({ applicationId: limburg, reason: "Grensregio met eigen middelen.", overrideCapacity: override }).pipe(coordinator)
      const log = yield* EventLog.EventLog
      const acceptedEvents = (yield* log.read()).map((e) => e.event).filter((e) => e._tag === "ApplicationAccepted")
      expect(acceptedEvents.map((e) => (e as { capacityOverride?: string }).capacityOverride)).toEqual([undefined, undefined, override])
    }).pipe(Effect.provide(World)))

  it.effect("a closed or expired round takes no applications; only the coordinator opens, closes and compares rounds", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2027-01-10T09:00:00Z"))
      const rounds = yield* IntakeRounds.IntakeRounds
      const intake = yield* Intake.Intake
      const utrechtKey = keyPersonOf(regions.utrecht.id)
      expect((yield* rounds.open({ name: "Eigen ronde", deadline: "2027-03-01T00:00:00Z" }).pipe(utrechtKey, Effect.flip))._tag).toBe("Forbidden")
      expect(yield* rounds.open({ name: "Nul", capacity: 0, deadline: "2027-03-01T00:00:00Z" }).pipe(coordinator, Effect.flip)).toMatchObject({
        _tag: "ValidationError",
        field: "capacity"
      })
      expect(yield* rounds.open({ name: "Verleden", deadline: "2026-12-01T00:00:00Z" }).pipe(coordinator, Effect.flip)).toMatchObject({
        rule: "round-open"
      })

      const round = yield* rounds.open({ name: "Najaar 2027", deadline: "2027-02-01T00:00:00Z" }).pipe(coordinator)
      expect(round.capacity).toBe(4)
      // the regions see the rounds, to apply within one
      expect((yield* rounds.list().pipe(utrechtKey)).map((r) => r.value.id)).toEqual([round.id])
      expect((yield* rounds.compare({ roundId: round.id }).pipe(utrechtKey, Effect.flip))._tag).toBe("Forbidden")

      yield* TestClock.setTime(Date.parse("2027-02-02T09:00:00Z"))
      const late = yield* intake.create({ ...Fixtures.applicationInput(), roundId: round.id }).pipe(utrechtKey, Effect.flip)
      expect(late).toMatchObject({ _tag: "RuleViolation", rule: "round-open" })
      yield* rounds.close({ roundId: round.id }).pipe(coordinator)
      expect((yield* rounds.close({ roundId: round.id }).pipe(coordinator, Effect.flip))._tag).toBe("InvalidTransition")
      // nothing was stored by the refused calls
      expect(yield* intake.list().pipe(coordinator)).toEqual([])
    }).pipe(Effect.provide(World)))
})
