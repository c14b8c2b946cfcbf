import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, TestClock } from "effect"
import { Actor, Application, Client, CoDesign, Forbidden, Intake, Programme, Repository, RuleViolation, Services, Settings, type Ids } from "@copkit/core"
import { Fixtures, Inspector, Memory } from "@copkit/testing"
import { programme as programmeValue, theme } from "./codesign.support.js"

const TestLayer = Layer.mergeAll(CoDesign.layer, Intake.layer).pipe(Layer.provideMerge(Memory.layer))

const { actors, people } = Fixtures
const coordinator = Actor.as(actors.coordinator)
const keyPerson = Actor.as(actors.keyPerson) // Fleur Jansen, in Utrecht's core team
const organiser = Actor.as(actors.organiser) // Joost Bakker, in Utrecht's core team
const participant = Actor.as(actors.participant)
const twente = Actor.as(actors.keyPersonTwente)

const codesign = CoDesign.CoDesign

/** Utrecht's programme, through the intake: create, submit, explore, assess every criterion, accept. */
const acceptedProgramme = Effect.gen(function*() {
  const intake = yield* Intake.Intake
  const draft = yield* intake.create(Fixtures.applicationInput()).pipe(Actor.as(actors.keyPerson))
  yield* intake.submit({ applicationId: draft.id }).pipe(Actor.as(actors.keyPerson))
  yield* intake.scheduleExploration({ applicationId: draft.id, at: "2027-01-12T09:30:00Z" }).pipe(Actor.as(actors.coordinator))
  for (const criterion of Application.criteria) {
    yield* intake.assess({ applicationId: draft.id, criterion, score: 4, note: "Goed" }).pipe(Actor.as(actors.coordinator))
  }
  const { programme } = yield* intake.accept({ applicationId: draft.id, reason: "Veel energie." }).pipe(Actor.as(actors.coordinator))
  return programme
})

const inspector = Inspector.Inspector
const events = Effect.flatMap(inspector, (i) => i.events())
const eventTypesAfter = (position: number) =>
  Effect.map(events, (es) => es.filter((e) => e.position > position).map((e) => e.type))
const lastPosition = Effect.map(events, (es) => es.at(-1)?.position ?? 0)
const storedVersion = (id: string) =>
  Effect.map(Effect.flatMap(inspector, (i) => i.entity("programmes", id)), Option.map((s) => s.version))

const agenda: typeof CoDesign.PlanItemInput.Encoded["agenda"] = [
  { title: "Nieuws van de dag", minutes: 30 },
  { title: "Intervisie op een casus", minutes: 60, workForm: "Intervision" },
  { title: "Verdieping met gast-expert", minutes: 60, workForm: "GuestExpert" }
]

const planInput = (programmeId: string, themeIds: readonly [string, string]): typeof CoDesign.SetPlan.Encoded => ({
  programmeId,
  items: [
    { role: "KickOff", goal: "Kennismaken en ambities delen", workForms: ["GuestExpert", "Intervision"], durationMinutes: 180, agenda, administratorsInvited: true, host: "Gemeente Utrecht" },
    { role: "Regular", themeId: themeIds[0], goal: "Leren van elkaars praktijk", workForms: ["PracticeExample", "InteractiveForm"], durationMinutes: 180, agenda },
    { role: "Regular", themeId: themeIds[1], goal: "Zien hoe het werkt", workForms: ["ProjectVisit"], durationMinutes: 240, agenda: [{ title: "Bedrijfsbezoek", minutes: 150, workForm: "ProjectVisit" }] },
    { role: "Closing", goal: "Vervolgafspraken maken", workForms: ["InteractiveForm"], durationMinutes: 150, agenda: [{ title: "Wie doet wat", minutes: 90 }], administratorsInvited: true }
  ]
})

describe("CoDesign: the whole co-design of a programme", () => {
  it.effect("core team, goals, themes, votes, ranking, plan, validation and approval: CoDesign -> Planned", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(new Date("2027-01-20T09:00:00Z").getTime())
      const programme = yield* acceptedProgramme
      const service = yield* codesign
      const start = yield* lastPosition

      // The core team comes from the application: three key persons, the triple helix covered.
      const team = yield* service.coreTeam({ programmeId: programme.id }).pipe(keyPerson)
      expect(team.size).toBe(3)
      expect(team.covered).toEqual(["Entrepreneur", "Government", "Intermediary"])
      expect(team.warnings).toEqual([])

      yield* TestClock.adjust("1 hour")
      const grown = yield* service.addMember({ programmeId: programme.id, person: people.college }).pipe(organiser)
      expect(grown.coreTeam.map((m) => m.person.id)).toContain(people.college.id)
      const withBaker = yield* service.addMember({ programmeId: programme.id, person: people.baker }).pipe(coordinator)
      expect(withBaker.coreTeam).toHaveLength(5)
      expect((yield* service.coreTeam({ programmeId: programme.id }).pipe(coordinator)).warnings.map((w) => w.code)).toEqual(["core-team-too-large"])
      yield* service.removeMember({ programmeId: programme.id, personId: people.baker.id }).pipe(organiser)

      const goals = yield* service.setGoals({
        programmeId: programme.id,
        intendedResults: ["Meer mkb-bedrijven vinden hun weg naar ondersteuning."],
        whoIsNeeded: ["Ondernemers uit de maakindustrie"],
        whoCanContribute: ["Kamer van Koophandel", "Hogeschool Utrecht"]
      }).pipe(keyPerson)
      expect(goals.goals.whoCanContribute).toEqual(["Kamer van Koophandel", "Hogeschool Utrecht"])

      // Proposed first: on equal points the proposal time would put it first, but more supporters win.
      const staff = yield* service.proposeTheme({ programmeId: programme.id, title: "Personeel vinden en binden", scope: "Regional" }).pipe(organiser)
      yield* TestClock.adjust("1 minute")
      const digital = yield* service.proposeTheme({
        programmeId: programme.id,
        title: "Digitalisering van het mkb",
        scope: "CrossRegional",
        catalogueKey: "digitalisering",
        tags: ["ai", "data"]
      }).pipe(keyPerson)
      expect(digital).toMatchObject({ id: "thm_2", proposedBy: people.chamber.id, scope: "CrossRegional", votes: [] })
      yield* TestClock.adjust("1 minute")
      const export_ = yield* service.proposeTheme({ programmeId: programme.id, title: "Export", scope: "Regional" }).pipe(coordinator)
      yield* service.editTheme({ programmeId: programme.id, themeId: staff.id, tags: ["personeel"], description: "Krapte op de arbeidsmarkt." }).pipe(keyPerson)
      yield* service.withdrawTheme({ programmeId: programme.id, themeId: export_.id, reason: "Past beter bij een andere regio." }).pipe(coordinator)

      // Votes: points 0-10 per theme; a new vote replaces the voter's earlier one.
      yield* service.vote({ programmeId: programme.id, themeId: staff.id, points: 3 }).pipe(keyPerson)
      yield* service.vote({ programmeId: programme.id, themeId: staff.id, points: 8 }).pipe(keyPerson)
      yield* service.vote({ programmeId: programme.id, themeId: digital.id, points: 6 }).pipe(organiser)
      yield* service.vote({ programmeId: programme.id, themeId: digital.id, points: 2 }).pipe(coordinator)
      const ranking = yield* service.ranking({ programmeId: programme.id }).pipe(keyPerson)
      expect(ranking.map((r) => [r.rank, r.themeId, r.points, r.supporters])).toEqual([
        [1, digital.id, 8, 2],
        [2, staff.id, 8, 1]
      ])

      const planned = yield* service.setPlan(planInput(programme.id, [digital.id, staff.id])).pipe(organiser)
      expect(planned.plan.map((i) => i.id)).toEqual(["pli_1", "pli_2", "pli_3", "pli_4"])
      expect(planned.plan[0]!.checklist.map((t) => t.key)).toEqual(["venue", "invite-participants", "guest-expert-confirmed", "catering", "materials"])
      expect(planned.plan[3]!.checklist.map((t) => t.key)).not.toContain("guest-expert-confirmed")

      const validation = yield* service.validatePlan({ programmeId: programme.id }).pipe(keyPerson)
      expect(validation.failed).toEqual([])
      expect(validation.valid).toBe(true)

      yield* TestClock.setTime(new Date("2027-02-01T12:00:00Z").getTime())
      const approved = yield* service.approvePlan({ programmeId: programme.id }).pipe(coordinator)
      expect(approved.programme.state).toBe("Planned")
      expect(approved.programme.planApprovedAt?.toISOString()).toBe("2027-02-01T12:00:00.000Z")

      expect(yield* eventTypesAfter(start)).toEqual([
        "CoreTeamMemberAdded",
        "CoreTeamMemberAdded",
        "CoreTeamMemberRemoved",
        "GoalsSet",
        "ThemeProposed",
        "ThemeProposed",
        "ThemeProposed",
        "ThemeEdited",
        "ThemeWithdrawn",
        "ThemeVoted",
        "ThemeVoted",
        "ThemeVoted",
        "ThemeVoted",
        "SessionPlanSet",
        "SessionPlanApproved"
      ])
      const stored = yield* Effect.flatMap(inspector, (i) => i.entity("programmes", programme.id))
      expect(Option.map(stored, (s) => [s.state, s.version])).toEqual(Option.some(["Planned", 16]))
      const last = (yield* events).at(-1)!
      expect(last.document).toMatchObject({ entityVersion: 16, event: { _tag: "SessionPlanApproved", planItemIds: ["pli_1", "pli_2", "pli_3", "pli_4"], warnings: [] } })

      // Planned: co-design is closed.
      const late = yield* Effect.flip(service.proposeTheme({ programmeId: programme.id, title: "Te laat", scope: "Regional" }).pipe(keyPerson))
      expect(late).toMatchObject({ _tag: "InvalidTransition", from: "Planned" })
    }).pipe(Effect.provide(TestLayer)))

  it.effect("approval is refused with plan-valid while a blocking check fails, listing every one; nothing changes", () =>
    Effect.gen(function*() {
      const programme = yield* acceptedProgramme
      const service = yield* codesign
      const t = yield* service.proposeTheme({ programmeId: programme.id, title: "Digitalisering", scope: "Regional" }).pipe(keyPerson)
      yield* service.withdrawTheme({ programmeId: programme.id, themeId: t.id }).pipe(keyPerson)
      yield* service.setPlan({
        programmeId: programme.id,
        items: [
          { role: "Regular", themeId: t.id, goal: "Iets", workForms: [], durationMinutes: 60, agenda: [{ title: "Te lang", minutes: 61 }] },
          { role: "Closing", goal: "Afronden", workForms: ["Intervision"], durationMinutes: 60, checklist: [] }
        ]
      }).pipe(keyPerson)
      const validation = yield* service.validatePlan({ programmeId: programme.id }).pipe(coordinator)
      expect(validation.failed.map((c) => [c.name, c.blocking])).toEqual([
        ["kick-off-first", true],
        ["administrators-invited", true],
        ["work-forms", true],
        ["learning-mix", false],
        ["agenda-fits", true],
        ["tasks-owned", true],
        ["themes-known", true],
        ["goals-set", true]
      ])
      const before = yield* lastPosition
      const version = yield* storedVersion(programme.id)
      const refused = yield* Effect.flip(service.approvePlan({ programmeId: programme.id }).pipe(coordinator))
      expect(refused).toMatchObject({ _tag: "RuleViolation", rule: "plan-valid" })
      expect(refused._tag === "RuleViolation" && refused.details.map((d) => d.split(":")[0])).toEqual([
        "kick-off-first",
        "administrators-invited",
        "work-forms",
        "agenda-fits",
        "tasks-owned",
        "themes-known",
        "goals-set"
      ])
      expect(yield* lastPosition).toBe(before)
      expect(yield* storedVersion(programme.id)).toEqual(version)
    }).pipe(Effect.provide(TestLayer)))

  it.effect("what blocks is a setting: with every check a warning, the same plan is approved", () =>
    Effect.gen(function*() {
      const programme = yield* acceptedProgramme
      const service = yield* codesign
      yield* service.setPlan({ programmeId: programme.id, items: [{ role: "Regular", goal: "Iets", workForms: [], durationMinutes: 60 }] }).pipe(keyPerson)
      const approved = yield* service.approvePlan({ programmeId: programme.id }).pipe(coordinator)
      expect(approved.programme.state).toBe("Planned")
      expect(approved.validation.failed.length).toBeGreaterThan(0)
      const last = (yield* events).at(-1)!
      expect((last.document as { event: { warnings: Array<string> } }).event.warnings).toContain("kick-off-first")
    }).pipe(Effect.provide(TestLayer), Effect.provide(Settings.layer({ coDesign: { blockingChecks: [] } }))))
})

describe("CoDesign: permissions", () => {
  it.effect("another region can neither read nor change the programme; participants cannot co-design", () =>
    Effect.gen(function*() {
      const programme = yield* acceptedProgramme
      const service = yield* codesign
      const before = yield* lastPosition
      const refusals = [
        yield* Effect.flip(service.get({ programmeId: programme.id }).pipe(twente)),
        yield* Effect.flip(service.ranking({ programmeId: programme.id }).pipe(twente)),
        yield* Effect.flip(service.addMember({ programmeId: programme.id, person: people.college }).pipe(twente)),
        yield* Effect.flip(service.proposeTheme({ programmeId: programme.id, title: "X", scope: "Regional" }).pipe(Actor.as(actors.organiserTwente))),
        yield* Effect.flip(service.setGoals({ programmeId: programme.id }).pipe(participant)),
        yield* Effect.flip(service.vote({ programmeId: programme.id, themeId: "thm_1", points: 3 }).pipe(participant)),
        yield* Effect.flip(service.setPlan({ programmeId: programme.id, items: [] }).pipe(Actor.as(actors.administrator))),
        yield* Effect.flip(service.coreTeam({ programmeId: programme.id }).pipe(participant))
      ]
      expect(refusals.map((e) => e._tag)).toEqual(Array(refusals.length).fill("Forbidden"))
      expect(yield* lastPosition).toBe(before)
    }).pipe(Effect.provide(TestLayer)))

  it.effect("only the coordinator approves a plan and proposes shared sessions", () =>
    Effect.gen(function*() {
      const programme = yield* acceptedProgramme
      const service = yield* codesign
      const approve = yield* Effect.flip(service.approvePlan({ programmeId: programme.id }).pipe(keyPerson))
      expect(approve).toMatchObject({ _tag: "Forbidden", action: "programme.approvePlan" })
      const shared = yield* Effect.flip(service.sharedSessions({ catalogue: { entries: [] } }).pipe(organiser))
      expect(shared).toMatchObject({ _tag: "Forbidden", action: "network.coordinate" })
    }).pipe(Effect.provide(TestLayer)))

  it.effect("a vote or proposal by someone of the region outside the core team is a RuleViolation; nothing is stored", () =>
    Effect.gen(function*() {
      const programme = yield* acceptedProgramme
      const service = yield* codesign
      const t = yield* service.proposeTheme({ programmeId: programme.id, title: "Digitalisering", scope: "Regional" }).pipe(keyPerson)
      const outsider = Actor.as({ _tag: "RegionalOrganiser", personId: "per_outsider" as Ids.PersonId, regionId: Fixtures.regions.utrecht.id })
      const before = yield* lastPosition
      const vote = yield* Effect.flip(service.vote({ programmeId: programme.id, themeId: t.id, points: 5 }).pipe(outsider))
      expect(vote).toMatchObject({ _tag: "RuleViolation", rule: "core-team-member" })
      const propose = yield* Effect.flip(service.proposeTheme({ programmeId: programme.id, title: "X", scope: "Regional" }).pipe(outsider))
      expect(propose).toMatchObject({ _tag: "RuleViolation", rule: "core-team-member" })
      expect(yield* lastPosition).toBe(before)
      // The organiser outside the core team may still shape the team and the plan.
      yield* service.addMember({ programmeId: programme.id, person: people.college }).pipe(outsider)
      expect(yield* eventTypesAfter(before)).toEqual(["CoreTeamMemberAdded"])
    }).pipe(Effect.provide(TestLayer)))
})

describe("CoDesign: bad input", () => {
  it.effect("fails with a ValidationError naming the field, and stores nothing", () =>
    Effect.gen(function*() {
      const programme = yield* acceptedProgramme
      const service = yield* codesign
      const before = yield* lastPosition
      const version = yield* storedVersion(programme.id)
      const cases: ReadonlyArray<readonly [Effect.Effect<unknown, { readonly _tag: string }>, string, string]> = [
        [service.addMember({ programmeId: programme.id, person: { name: "", helixRole: "Entrepreneur" } }).pipe(keyPerson), "person.name", "nonEmpty"],
        // @ts-expect-error no such helix role
        [service.addMember({ programmeId: programme.id, person: { name: "Anna", helixRole: "Farmer" } }).pipe(keyPerson), "person.helixRole", "type"],
        [service.vote({ programmeId: programme.id, themeId: "thm_1", points: 11 }).pipe(keyPerson), "points", "between"],
        [service.proposeTheme({ programmeId: programme.id, title: "Twee\nregels", scope: "Regional" }).pipe(keyPerson), "title", "singleLine"],
        // @ts-expect-error no such theme scope
        [service.proposeTheme({ programmeId: programme.id, title: "X", scope: "National" }).pipe(keyPerson), "scope", "type"],
        [service.setGoals({ programmeId: programme.id, intendedResults: [""] }).pipe(keyPerson), "intendedResults[0]", "nonEmpty"],
        // @ts-expect-error no such work form
        [service.setPlan({ programmeId: programme.id, items: [{ role: "Regular", goal: "G", workForms: ["Dance"], durationMinutes: 60 }] }).pipe(keyPerson), "items[0].workForms[0]", "type"],
        [service.setPlan({ programmeId: programme.id, items: [{ role: "Regular", goal: "G", workForms: [], durationMinutes: 5 }] }).pipe(keyPerson), "items[0].durationMinutes", "between"],
        [service.setPlan({ programmeId: programme.id, items: [{ id: "pli_x", role: "Regular", goal: "G", workForms: [], durationMinutes: 60 }, { id: "pli_x", role: "Closing", goal: "G", workForms: [], durationMinutes: 60 }] }).pipe(keyPerson), "items[1].id", "unique"],
        // @ts-expect-error a checklist task needs an owner
        [service.setPlan({ programmeId: programme.id, items: [{ role: "Regular", goal: "G", workForms: [], durationMinutes: 60, checklist: [{ key: "venue", title: "Zaal", dueDaysBefore: 10 }] }] }).pipe(keyPerson), "items[0].checklist[0].owner", "required"],
        [service.removeMember({ programmeId: programme.id, personId: "bad id" }).pipe(keyPerson), "personId", "pattern"],
        // @ts-expect-error no such field
        [service.get({ programmeId: programme.id, extra: 1 }).pipe(keyPerson), "extra", "not-allowed"],
        [service.sharedSessions({ catalogue: { entries: [{ key: "a", title: "A" }, { key: "a", title: "B" }] } }).pipe(coordinator), "catalogue.entries[1].key", "unique"]
      ]
      for (const [effect, field, rule] of cases) {
        const error = yield* Effect.flip(effect)
        expect(error, field).toMatchObject({ _tag: "ValidationError", field, rule })
      }
      expect(yield* lastPosition).toBe(before)
      expect(yield* storedVersion(programme.id)).toEqual(version)
    }).pipe(Effect.provide(TestLayer)))

  it.effect("a person is in the core team at most once; unknown themes and members are NotFound", () =>
    Effect.gen(function*() {
      const programme = yield* acceptedProgramme
      const service = yield* codesign
      const before = yield* lastPosition
      expect(yield* Effect.flip(service.addMember({ programmeId: programme.id, person: people.chamber }).pipe(keyPerson)))
        .toMatchObject({ _tag: "RuleViolation", rule: "core-team-once" })
      expect(yield* Effect.flip(service.vote({ programmeId: programme.id, themeId: "thm_404", points: 1 }).pipe(keyPerson)))
        .toMatchObject({ _tag: "NotFound", entity: "Theme", id: "thm_404" })
      expect(yield* Effect.flip(service.removeMember({ programmeId: programme.id, personId: "per_nobody" }).pipe(keyPerson)))
        .toMatchObject({ _tag: "NotFound", entity: "CoreTeamMember" })
      expect(yield* Effect.flip(service.get({ programmeId: "prg_404" }).pipe(coordinator))).toMatchObject({ _tag: "NotFound", entity: "Programme" })
      expect(yield* lastPosition).toBe(before)
    }).pipe(Effect.provide(TestLayer)))
})

describe("CoDesign: shared sessions across the network", () => {
  it.effect("matches the cross-regional themes of every open programme on the catalogue and tags", () =>
    Effect.gen(function*() {
      const repository = yield* Repository.ProgrammeRepository
      const save = (p: Programme.Programme) => repository.save(p, 0)
      yield* save(programmeValue({ id: "prg_u", regionId: "utrecht", themes: [theme("thm_u", { scope: "CrossRegional", catalogueKey: "digitalisering" })] }))
      yield* save(programmeValue({ id: "prg_t", regionId: "twente", themes: [theme("thm_t", { scope: "CrossRegional", tags: ["AI", "data"] })] }))
      yield* save(programmeValue({ id: "prg_g", regionId: "groningen", state: "Running", themes: [theme("thm_g", { scope: "CrossRegional", catalogueKey: "cyber" })] }))
      yield* save(programmeValue({ id: "prg_z", regionId: "zuid-limburg", state: "Completed", themes: [theme("thm_z", { scope: "CrossRegional", catalogueKey: "digitalisering" })] }))
      yield* save(programmeValue({ id: "prg_d", regionId: "drenthe", themes: [theme("thm_d", { scope: "Regional", catalogueKey: "digitalisering" })] }))
      const service = yield* codesign
      const before = yield* lastPosition
      const proposals = yield* service.sharedSessions({
        catalogue: {
          entries: [
            { key: "digitalisering", title: "Digitalisering in het mkb", tags: ["ai", "data", "digitaal"], related: ["cyber"] },
            { key: "cyber", title: "Cyberveiligheid" }
          ]
        }
      }).pipe(coordinator)
      expect(proposals).toHaveLength(1)
      expect(proposals[0]).toMatchObject({
        key: "cyber",
        title: "Digitalisering in het mkb",
        regionIds: ["groningen", "twente", "utrecht"],
        programmeIds: ["prg_g", "prg_t", "prg_u"],
        catalogueKeys: ["cyber", "digitalisering"],
        reasons: ["RelatedCatalogueThemes", "SameCatalogueTheme"]
      })
      expect(yield* lastPosition).toBe(before)
    }).pipe(Effect.provide(TestLayer)))
})

describe("CoDesign: through the Promise facade", () => {
  it("co-designs with async functions; a refusal rejects with the same error class", async () => {
    const copkit = Client.make(Services.layer.pipe(Layer.provideMerge(Memory.layer)))
    try {
      const draft = await copkit.intake.create(actors.keyPerson, Fixtures.applicationInput())
      await copkit.intake.submit(actors.keyPerson, { applicationId: draft.id })
      await copkit.intake.scheduleExploration(actors.coordinator, { applicationId: draft.id, at: "2027-01-12T09:30:00Z" })
      for (const criterion of Application.criteria) {
        await copkit.intake.assess(actors.coordinator, { applicationId: draft.id, criterion, score: 4, note: "Goed" })
      }
      const { programme } = await copkit.intake.accept(actors.coordinator, { applicationId: draft.id, reason: "Veel energie." })
      const t = await copkit.coDesign.proposeTheme(actors.keyPerson, { programmeId: programme.id, title: "Digitalisering", scope: "CrossRegional" })
      await copkit.coDesign.vote(actors.organiser, { programmeId: programme.id, themeId: t.id, points: 7 })
      const ranking = await copkit.coDesign.ranking(actors.keyPerson, { programmeId: programme.id })
      expect(ranking.map((r) => [r.themeId, r.points])).toEqual([[t.id, 7]])
      const refused = await copkit.coDesign.approvePlan(actors.coordinator, { programmeId: programme.id }).catch((e: unknown) => e)
      expect(refused).toBeInstanceOf(RuleViolation)
      expect(refused).toMatchObject({ rule: "plan-valid" })
      const forbidden = await copkit.coDesign.vote(actors.keyPersonTwente, { programmeId: programme.id, themeId: t.id, points: 1 }).catch((e: unknown) => e)
      expect(forbidden).toBeInstanceOf(Forbidden)
    } finally {
      await copkit.dispose()
    }
  })
})
