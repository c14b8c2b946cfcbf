import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Layer, Option, TestClock } from "effect"
import { Actor, Application, Intake, Settings } from "@copkit/core"
import { Fixtures, Inspector, Memory } from "@copkit/testing"

const TestLayer = Intake.layer.pipe(Layer.provideMerge(Memory.layer))

const { actors } = Fixtures
const coordinator = Actor.as(actors.coordinator)
const keyPerson = Actor.as(actors.keyPerson)

const intake = Intake.Intake

/** Creates and submits Utrecht's application as its key person. */
const submitted = (overrides: Partial<Intake.ApplicationContentInput> = {}) =>
  Effect.gen(function*() {
    const service = yield* intake
    const draft = yield* service.create(Fixtures.applicationInput(overrides)).pipe(keyPerson)
    return yield* service.submit({ applicationId: draft.id }).pipe(keyPerson)
  })

const assessAll = (applicationId: string, score = 4) =>
  Effect.gen(function*() {
    const service = yield* intake
    for (const criterion of Application.criteria) {
      yield* service.assess({ applicationId, criterion, score, note: `Beoordeling ${criterion}` }).pipe(coordinator)
    }
  })

/** An application in Exploring, fully assessed. */
const explored = Effect.gen(function*() {
  const service = yield* intake
  const app = yield* submitted()
  yield* service.scheduleExploration({ applicationId: app.id, at: "2027-01-12T09:30:00Z", location: "Stadhuis Utrecht" }).pipe(coordinator)
  yield* assessAll(app.id)
  return app
})

const eventTypes = Effect.flatMap(Inspector.Inspector, (i) => i.events()).pipe(Effect.map((es) => es.map((e) => e.type)))

describe("Intake: the lifecycle", () => {
  it.effect("a region applies, is explored, assessed and accepted; a programme in CoDesign is created", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(new Date("2027-01-05T10:00:00Z").getTime())
      const service = yield* intake
      const draft = yield* service.create(Fixtures.applicationInput()).pipe(keyPerson)
      expect(draft.state).toBe("Draft")
      expect(draft.createdAt.toISOString()).toBe("2027-01-05T10:00:00.000Z")
      const sub = yield* service.submit({ applicationId: draft.id }).pipe(keyPerson)
      expect(sub.state).toBe("Submitted")
      const exp = yield* service.scheduleExploration({ applicationId: draft.id, at: "2027-01-12T09:30:00Z" }).pipe(coordinator)
      expect(exp.state).toBe("Exploring")
      expect(exp.exploration?.at.toISOString()).toBe("2027-01-12T09:30:00.000Z")
      yield* assessAll(draft.id, 4)
      const summary = yield* service.readiness({ applicationId: draft.id }).pipe(coordinator)
      expect(summary.ready).toBe(true)
      expect(summary.score).toBe(4)
      expect(summary.assessed).toEqual(Application.criteria)
      const { application, programme } = yield* service.accept({ applicationId: draft.id, reason: "Veel energie en draagvlak." }).pipe(coordinator)
      expect(application.state).toBe("Accepted")
      expect(application.decision?.outcome).toBe("Accepted")
      expect(application.decision?.decidedBy).toBe(actors.coordinator.personId)
      expect(application.programmeId).toBe(programme.id)
      expect(programme.state).toBe("CoDesign")
      expect(programme.regionId).toBe("utrecht")
      expect(programme.coreTeam.map((m) => m.person.name)).toEqual(["Sanne de Vries", "Joost Bakker", "Fleur Jansen"])
      expect(yield* eventTypes).toEqual([
        "ApplicationCreated",
        "ApplicationSubmitted",
        "ExplorationScheduled",
        ...Application.criteria.map(() => "CriterionAssessed"),
        "ApplicationAccepted",
        "ProgrammeCreated"
      ])
      const stored = yield* Effect.flatMap(Inspector.Inspector, (i) => i.entity("programmes", programme.id))
      expect(Option.map(stored, (s) => s.state)).toEqual(Option.some("CoDesign"))
    }).pipe(Effect.provide(TestLayer)))

  it.effect("the exploratory conversation can be moved while exploring", () =>
    Effect.gen(function*() {
      const service = yield* intake
      const app = yield* submitted()
      yield* service.scheduleExploration({ applicationId: app.id, at: "2027-01-12T09:30:00Z" }).pipe(coordinator)
      const moved = yield* service.scheduleExploration({ applicationId: app.id, at: "2027-01-19T09:30:00Z" }).pipe(coordinator)
      expect(moved.exploration?.at.toISOString()).toBe("2027-01-19T09:30:00.000Z")
      const events = yield* Effect.flatMap(Inspector.Inspector, (i) => i.events())
      expect(events.at(-1)?.document).toMatchObject({ event: { _tag: "ExplorationScheduled", rescheduled: true } })
    }).pipe(Effect.provide(TestLayer)))

  it.effect("a later score for a criterion replaces the earlier one in the readiness", () =>
    Effect.gen(function*() {
      const service = yield* intake
      const app = yield* explored
      yield* service.assess({ applicationId: app.id, criterion: "EnergyAndEnthusiasm", score: 1, note: "Toch weinig energie" }).pipe(coordinator)
      const summary = yield* service.readiness({ applicationId: app.id }).pipe(coordinator)
      expect(summary.ready).toBe(false)
      expect(summary.findings.map((f) => f.code)).toContain("criterion-below-threshold")
    }).pipe(Effect.provide(TestLayer)))

  it.effect("decline records the reason; withdraw by the region records its reason", () =>
    Effect.gen(function*() {
      const service = yield* intake
      const a = yield* submitted()
      const declined = yield* service.decline({ applicationId: a.id, reason: "Geen ondernemers betrokken." }).pipe(coordinator)
      expect(declined.state).toBe("Declined")
      expect(declined.decision).toMatchObject({ outcome: "Declined", reason: "Geen ondernemers betrokken." })
      const b = yield* submitted()
      const withdrawn = yield* service.withdraw({ applicationId: b.id, reason: "Andere prioriteiten." }).pipe(keyPerson)
      expect(withdrawn.state).toBe("Withdrawn")
      expect(withdrawn.withdrawal?.reason).toBe("Andere prioriteiten.")
    }).pipe(Effect.provide(TestLayer)))

  it.effect("a draft can be updated; the region of an application cannot change", () =>
    Effect.gen(function*() {
      const service = yield* intake
      const draft = yield* service.create(Fixtures.applicationInput()).pipe(keyPerson)
      const updated = yield* service.update({ applicationId: draft.id, ...Fixtures.applicationInput({ motivation: "Nieuwe motivatie" }) }).pipe(keyPerson)
      expect(updated.motivation).toBe("Nieuwe motivatie")
      const moved = yield* service.update({ applicationId: draft.id, ...Fixtures.applicationInput(), region: { ...Fixtures.regions.utrecht, id: "utrecht", name: "Anders", provinces: [], municipalities: [] } }).pipe(keyPerson)
      expect(moved.region.name).toBe("Anders")
      const other = yield* Effect.flip(
        service.update({ applicationId: draft.id, ...Fixtures.applicationInput(), region: { ...Fixtures.regions.twente, provinces: [], municipalities: [] } }).pipe(coordinator)
      )
      expect(other).toMatchObject({ _tag: "RuleViolation", rule: "region-unchanged" })
    }).pipe(Effect.provide(TestLayer)))

  it.effect("list filters by state and region", () =>
    Effect.gen(function*() {
      const service = yield* intake
      yield* submitted()
      yield* service.create(Fixtures.applicationInput()).pipe(keyPerson)
      yield* service.create(Fixtures.applicationInput({ region: { ...Fixtures.regions.twente, provinces: ["Overijssel"], municipalities: ["Enschede"] } })).pipe(Actor.as(actors.keyPersonTwente))
      expect((yield* service.list({}).pipe(coordinator)).length).toBe(3)
      expect((yield* service.list({ state: "Draft" }).pipe(coordinator)).length).toBe(2)
      expect((yield* service.list({ state: ["Draft", "Submitted"], regionId: "utrecht" }).pipe(coordinator)).length).toBe(2)
      expect((yield* service.list({ regionId: "twente" }).pipe(coordinator)).map((v) => v.value.region.id)).toEqual(["twente"])
      expect((yield* service.list({ limit: 1, offset: 1 }).pipe(coordinator)).length).toBe(1)
    }).pipe(Effect.provide(TestLayer)))
})

describe("Intake: refused transitions", () => {
  const refused = <A, E>(effect: Effect.Effect<A, E>) => Effect.map(Effect.flip(effect), (e) => e as unknown as { _tag: string; from?: string; to?: string; rule?: string })

  it.effect("each step is refused outside its states, and nothing is written", () =>
    Effect.gen(function*() {
      const service = yield* intake
      const inspector = yield* Inspector.Inspector
      const draft = yield* service.create(Fixtures.applicationInput()).pipe(keyPerson)
      const before = (yield* inspector.events()).length
      expect(yield* refused(service.scheduleExploration({ applicationId: draft.id, at: "2027-01-12T09:30:00Z" }).pipe(coordinator)))
        .toMatchObject({ _tag: "InvalidTransition", from: "Draft", to: "Exploring" })
      expect(yield* refused(service.assess({ applicationId: draft.id, criterion: "Urgency", score: 3, note: "x" }).pipe(coordinator)))
        .toMatchObject({ _tag: "InvalidTransition", from: "Draft" })
      expect(yield* refused(service.accept({ applicationId: draft.id, reason: "x" }).pipe(coordinator)))
        .toMatchObject({ _tag: "InvalidTransition", from: "Draft", to: "Accepted" })
      expect(yield* refused(service.decline({ applicationId: draft.id, reason: "x" }).pipe(coordinator)))
        .toMatchObject({ _tag: "InvalidTransition", from: "Draft", to: "Declined" })
      yield* service.submit({ applicationId: draft.id }).pipe(keyPerson)
      expect(yield* refused(service.submit({ applicationId: draft.id }).pipe(keyPerson)))
        .toMatchObject({ _tag: "InvalidTransition", from: "Submitted", to: "Submitted" })
      expect(yield* refused(service.accept({ applicationId: draft.id, reason: "x" }).pipe(coordinator)))
        .toMatchObject({ _tag: "InvalidTransition", from: "Submitted", to: "Accepted" })
      expect((yield* inspector.events()).length).toBe(before + 1)
    }).pipe(Effect.provide(TestLayer)))

  it.effect("accept needs every criterion assessed", () =>
    Effect.gen(function*() {
      const service = yield* intake
      const app = yield* submitted()
      yield* service.scheduleExploration({ applicationId: app.id, at: "2027-01-12T09:30:00Z" }).pipe(coordinator)
      yield* service.assess({ applicationId: app.id, criterion: "Urgency", score: 5, note: "Urgent" }).pipe(coordinator)
      const error = yield* Effect.flip(service.accept({ applicationId: app.id, reason: "x" }).pipe(coordinator))
      expect(error).toMatchObject({ _tag: "RuleViolation", rule: "assessment-complete" })
      expect((error as { details: ReadonlyArray<string> }).details).toHaveLength(5)
      expect(Option.map(yield* Effect.flatMap(Inspector.Inspector, (i) => i.entity("applications", app.id)), (r) => r.state))
        .toEqual(Option.some("Exploring"))
      expect(yield* Effect.flatMap(Inspector.Inspector, (i) => i.count("programmes"))).toBe(0)
    }).pipe(Effect.provide(TestLayer)))

  it.effect("closed applications refuse every further step", () =>
    Effect.gen(function*() {
      const service = yield* intake
      const accepted = yield* explored
      yield* service.accept({ applicationId: accepted.id, reason: "Goed" }).pipe(coordinator)
      const declined = yield* submitted()
      yield* service.decline({ applicationId: declined.id, reason: "Nee" }).pipe(coordinator)
      const withdrawn = yield* submitted()
      yield* service.withdraw({ applicationId: withdrawn.id, reason: "Weg" }).pipe(keyPerson)
      for (const [app, state] of [[accepted, "Accepted"], [declined, "Declined"], [withdrawn, "Withdrawn"]] as const) {
        const id = app.id
        for (const step of [
          service.submit({ applicationId: id }).pipe(keyPerson),
          service.withdraw({ applicationId: id, reason: "x" }).pipe(keyPerson),
          service.scheduleExploration({ applicationId: id, at: "2027-02-01T10:00:00Z" }).pipe(coordinator),
          service.assess({ applicationId: id, criterion: "Urgency", score: 2, note: "x" }).pipe(coordinator),
          service.accept({ applicationId: id, reason: "x" }).pipe(coordinator),
          service.decline({ applicationId: id, reason: "x" }).pipe(coordinator),
          service.update({ applicationId: id, ...Fixtures.applicationInput() }).pipe(keyPerson)
        ]) {
          expect(yield* refused(step as Effect.Effect<unknown, unknown>)).toMatchObject({ _tag: "InvalidTransition", from: state })
        }
      }
    }).pipe(Effect.provide(TestLayer)))

  it.effect("an unknown application is NotFound", () =>
    Effect.gen(function*() {
      const service = yield* intake
      expect(yield* Effect.flip(service.get({ applicationId: "app_nope" }).pipe(coordinator)))
        .toMatchObject({ _tag: "NotFound", entity: "Application", id: "app_nope" })
    }).pipe(Effect.provide(TestLayer)))

  it.effect("a person named twice as key person is refused", () =>
    Effect.gen(function*() {
      const service = yield* intake
      const error = yield* Effect.flip(
        service.create(Fixtures.applicationInput({ keyPersons: [Fixtures.people.chamber, Fixtures.people.chamber, Fixtures.people.entrepreneur] })).pipe(keyPerson)
      )
      expect(error).toMatchObject({ _tag: "RuleViolation", rule: "key-person-once" })
      expect(yield* Effect.flatMap(Inspector.Inspector, (i) => i.count("applications"))).toBe(0)
    }).pipe(Effect.provide(TestLayer)))

  it.effect("two coordinators deciding at once: one wins, the other gets ConcurrencyConflict", () =>
    Effect.gen(function*() {
      const service = yield* intake
      const app = yield* explored
      const results = yield* Effect.all(
        [
          Effect.either(service.accept({ applicationId: app.id, reason: "Ja" }).pipe(coordinator)),
          Effect.either(service.decline({ applicationId: app.id, reason: "Nee" }).pipe(coordinator))
        ],
        { concurrency: "unbounded" }
      )
      const outcomes = results as ReadonlyArray<Either.Either<unknown, { readonly _tag: string }>>
      const failures = outcomes.filter(Either.isLeft).map((r) => r.left._tag)
      expect(outcomes.filter(Either.isRight)).toHaveLength(1)
      expect(failures).toHaveLength(1)
      expect(["ConcurrencyConflict", "InvalidTransition"]).toContain(failures[0])
      const types = yield* eventTypes
      expect(types.filter((t) => t === "ApplicationAccepted" || t === "ApplicationDeclined")).toHaveLength(1)
    }).pipe(Effect.provide(TestLayer)))
})

describe("Intake: permissions", () => {
  it.effect("a key person of another region can neither read nor change the application", () =>
    Effect.gen(function*() {
      const service = yield* intake
      const app = yield* submitted()
      const twente = Actor.as(actors.keyPersonTwente)
      for (const step of [
        service.get({ applicationId: app.id }),
        service.readiness({ applicationId: app.id }),
        service.withdraw({ applicationId: app.id, reason: "x" }),
        service.update({ applicationId: app.id, ...Fixtures.applicationInput() })
      ]) {
        expect(yield* Effect.flip(twente(step as Effect.Effect<unknown, unknown, Actor.CurrentActor>)))
          .toMatchObject({ _tag: "Forbidden", actor: "KeyPerson per_twente of region twente" })
      }
      expect(yield* Effect.flip(service.list({ regionId: "utrecht" }).pipe(twente))).toMatchObject({ _tag: "Forbidden" })
      expect(yield* service.list({}).pipe(twente)).toEqual([])
      expect(yield* Effect.flip(service.create(Fixtures.applicationInput()).pipe(twente)))
        .toMatchObject({ _tag: "Forbidden", action: "application.create" })
    }).pipe(Effect.provide(TestLayer)))

  it.effect("only the coordinator explores, assesses and decides", () =>
    Effect.gen(function*() {
      const service = yield* intake
      const app = yield* submitted()
      for (const actor of [actors.keyPerson, actors.organiser, actors.participant, actors.administrator]) {
        const as = Actor.as(actor)
        expect(yield* Effect.flip(service.assess({ applicationId: app.id, criterion: "Urgency", score: 5, note: "x" }).pipe(as)))
          .toMatchObject({ _tag: "Forbidden", action: "application.assess" })
        expect(yield* Effect.flip(service.scheduleExploration({ applicationId: app.id, at: "2027-01-12T09:30:00Z" }).pipe(as)))
          .toMatchObject({ _tag: "Forbidden" })
        expect(yield* Effect.flip(service.accept({ applicationId: app.id, reason: "x" }).pipe(as))).toMatchObject({ _tag: "Forbidden" })
        expect(yield* Effect.flip(service.decline({ applicationId: app.id, reason: "x" }).pipe(as))).toMatchObject({ _tag: "Forbidden" })
      }
      expect((yield* service.get({ applicationId: app.id }).pipe(coordinator)).value.assessment).toEqual([])
    }).pipe(Effect.provide(TestLayer)))

  it.effect("a participant or administrator cannot read or create applications; the organiser can", () =>
    Effect.gen(function*() {
      const service = yield* intake
      const app = yield* submitted()
      for (const actor of [actors.participant, actors.administrator]) {
        expect(yield* Effect.flip(service.get({ applicationId: app.id }).pipe(Actor.as(actor)))).toMatchObject({ _tag: "Forbidden" })
        expect(yield* Effect.flip(service.list({}).pipe(Actor.as(actor)))).toMatchObject({ _tag: "Forbidden" })
      }
      const own = yield* service.create(Fixtures.applicationInput()).pipe(Actor.as(actors.organiser))
      expect(own.state).toBe("Draft")
      expect((yield* service.list({}).pipe(Actor.as(actors.organiser))).length).toBe(2)
    }).pipe(Effect.provide(TestLayer)))
})

describe("Intake: readiness", () => {
  it.effect("flags what is missing: entrepreneurs, administrators, commitments, key persons, helices, scores", () =>
    Effect.gen(function*() {
      const service = yield* intake
      const app = yield* submitted({
        administrators: [],
        entrepreneurs: [],
        keyPersons: [Fixtures.people.civilServant, Fixtures.people.alderman],
        commitments: { venue: true, catering: false }
      })
      const summary = yield* service.readiness({ applicationId: app.id }).pipe(keyPerson)
      const codes = summary.findings.map((f) => f.code)
      expect(summary.ready).toBe(false)
      expect(summary.score).toBeUndefined()
      expect(codes).toEqual(expect.arrayContaining([
        "no-entrepreneur-involvement",
        "no-administrator-named",
        "commitments-not-confirmed",
        "too-few-key-persons",
        "helix-role-missing",
        "criterion-not-assessed"
      ]))
      expect(summary.findings.find((f) => f.code === "commitments-not-confirmed")?.message)
        .toBe("Commitments not confirmed: catering, participantSelection, activeParticipation, followUp.")
      expect(summary.findings.find((f) => f.code === "no-administrator-named")?.blocking).toBe(false)
    }).pipe(Effect.provide(TestLayer)))

  it.effect("thresholds are settings", () =>
    Effect.gen(function*() {
      const service = yield* intake
      const app = yield* explored
      const strict = yield* service.readiness({ applicationId: app.id }).pipe(coordinator)
      expect(strict.ready).toBe(true)
      const lenient = yield* service.readiness({ applicationId: app.id }).pipe(
        coordinator,
        Effect.provide(Settings.layer({ readiness: { minimumScore: 5 } }))
      )
      expect(lenient.ready).toBe(false)
    }).pipe(Effect.provide(TestLayer)))
})
