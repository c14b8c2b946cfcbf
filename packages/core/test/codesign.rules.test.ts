import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { CoDesignRules, PlanValidation, Programme, Settings, ThemeMatching, ThemeRanking, type Ids } from "@copkit/core"
import { Fixtures } from "@copkit/testing"
import { at, ballot, goodPlan, member, personOf, planItem, programme, t0, theme } from "./codesign.support.js"

const settings = CoDesignRules.defaultCoDesignSettings
const { actors, people } = Fixtures

const left = <A, E>(e: Either.Either<A, E>): E => {
  if (Either.isRight(e)) throw new Error("expected a Left")
  return e.left
}
const right = <A, E>(e: Either.Either<A, E>): A => {
  if (Either.isLeft(e)) throw new Error(`expected a Right, got ${String(e.left)}`)
  return e.right
}

describe("CoDesignRules: the core team", () => {
  it("reports the helix roles covered and no warning for a full triple helix of three", () => {
    const report = CoDesignRules.coreTeamReport(programme(), settings)
    expect(report.size).toBe(3)
    expect(report.covered).toEqual(["Entrepreneur", "Government", "Intermediary"])
    expect(report.missing).toEqual([])
    expect(report.warnings).toEqual([])
  })

  it("warns when entrepreneurs, government or intermediaries are missing, and when the team is too small", () => {
    const report = CoDesignRules.coreTeamReport(programme({ coreTeam: [member(people.college)] }), settings)
    expect(report.missing).toEqual(["Entrepreneur", "Government", "Intermediary"])
    expect(report.warnings.map((w) => w.code)).toEqual([
      "core-team-too-small",
      "helix-role-missing",
      "helix-role-missing",
      "helix-role-missing"
    ])
    expect(report.warnings[1]!.helixRole).toBe("Entrepreneur")
  })

  it("warns above the maximum, and the thresholds are settings", () => {
    const five = programme({
      coreTeam: [people.entrepreneur, people.civilServant, people.chamber, people.college, people.baker].map(member)
    })
    expect(CoDesignRules.coreTeamReport(five, settings).warnings.map((w) => w.code)).toEqual(["core-team-too-large"])
    const wide = Settings.make({ coDesign: { maxCoreTeam: 5 } }).coDesign
    expect(CoDesignRules.coreTeamReport(five, wide).warnings).toEqual([])
    expect(wide.minCoreTeam).toBe(3)
  })

  it("adds a person at most once (rule core-team-once) and removes a member with their votes", () => {
    const p = programme({ themes: [theme("thm_1", { votes: [ballot(people.chamber.id, 5), ballot(people.entrepreneur.id, 3)] })] })
    const added = right(CoDesignRules.addMember(p, personOf(people.college), at("2027-02-02T10:00:00Z"))).value
    expect(added.coreTeam.map((m) => m.person.id)).toContain(people.college.id)
    expect(added.updatedAt.toISOString()).toBe("2027-02-02T10:00:00.000Z")
    expect(left(CoDesignRules.addMember(added, personOf(people.college), t0))).toMatchObject({ _tag: "RuleViolation", rule: "core-team-once" })
    const removed = right(CoDesignRules.removeMember(p, people.chamber.id, t0)).value
    expect(removed.coreTeam.map((m) => m.person.id)).not.toContain(people.chamber.id)
    expect(removed.themes[0]!.votes.map((v) => v.voter)).toEqual([people.entrepreneur.id])
    expect(left(CoDesignRules.removeMember(removed, people.chamber.id, t0))).toMatchObject({ _tag: "NotFound", entity: "CoreTeamMember" })
  })

  it("refuses every change once the programme left CoDesign", () => {
    const planned = programme({ state: "Planned" })
    expect(left(CoDesignRules.addMember(planned, personOf(people.college), t0))).toMatchObject({ _tag: "InvalidTransition", from: "Planned" })
    expect(left(CoDesignRules.setGoals(planned, Programme.emptyGoals(), t0))._tag).toBe("InvalidTransition")
    expect(left(CoDesignRules.setPlan(planned, [], t0))._tag).toBe("InvalidTransition")
    expect(left(CoDesignRules.approvePlan(planned, settings, t0))).toMatchObject({ _tag: "InvalidTransition", to: "Planned" })
  })
})

describe("CoDesignRules: themes and votes", () => {
  const p = programme({ themes: [theme("thm_1"), theme("thm_2", { withdrawn: true })] })

  it("lets core-team members and the coordinator take part, nobody else (rule core-team-member)", () => {
    expect(right(CoDesignRules.themeParticipant(p, actors.keyPerson))).toBe(people.chamber.id)
    expect(right(CoDesignRules.themeParticipant(p, actors.coordinator))).toBe(actors.coordinator.personId)
    expect(left(CoDesignRules.themeParticipant(p, actors.participant)).rule).toBe("core-team-member")
    expect(left(CoDesignRules.themeParticipant(p, actors.system)).rule).toBe("core-team-member")
  })

  it("a vote replaces the voter's earlier vote; a non-member's vote is a RuleViolation", () => {
    const once = right(CoDesignRules.vote(p, "thm_1" as Ids.ThemeId, ballot(people.chamber.id, 4), actors.keyPerson)).value
    const twice = right(CoDesignRules.vote(once, "thm_1" as Ids.ThemeId, ballot(people.chamber.id, 9, at("2027-02-03T00:00:00Z")), actors.keyPerson)).value
    expect(twice.themes[0]!.votes.map((v) => [v.voter, v.points])).toEqual([[people.chamber.id, 9]])
    expect(left(CoDesignRules.vote(p, "thm_1" as Ids.ThemeId, ballot(people.baker.id, 4), actors.participant))).toMatchObject({ rule: "core-team-member" })
    expect(left(CoDesignRules.vote(p, "thm_1" as Ids.ThemeId, ballot(people.entrepreneur.id, 4), actors.keyPerson))).toMatchObject({ rule: "own-vote" })
  })

  it("a withdrawn theme takes no votes and no edits; an unknown theme is NotFound", () => {
    expect(left(CoDesignRules.vote(p, "thm_2" as Ids.ThemeId, ballot(people.chamber.id, 4), actors.keyPerson))).toMatchObject({ rule: "theme-not-withdrawn" })
    expect(left(CoDesignRules.editTheme(p, "thm_2" as Ids.ThemeId, { title: "X" }, actors.keyPerson, t0))).toMatchObject({ rule: "theme-not-withdrawn" })
    expect(left(CoDesignRules.withdrawTheme(p, "thm_9" as Ids.ThemeId, actors.keyPerson, t0))).toMatchObject({ _tag: "NotFound", entity: "Theme" })
  })

  it("edits keep the votes and the fields not given", () => {
    const voted = right(CoDesignRules.vote(p, "thm_1" as Ids.ThemeId, ballot(people.chamber.id, 4), actors.keyPerson)).value
    const edited = right(CoDesignRules.editTheme(voted, "thm_1" as Ids.ThemeId, { scope: "CrossRegional", tags: ["ai"] }, actors.coordinator, t0)).value
    expect(edited.themes[0]).toMatchObject({ title: "Thema thm_1", scope: "CrossRegional", tags: ["ai"] })
    expect(edited.themes[0]!.votes).toHaveLength(1)
  })
})

describe("ThemeRanking: points sum", () => {
  it("ranks by the sum of points, then supporters, then proposal time, then id", () => {
    const themes = [
      theme("thm_a", { votes: [ballot("per_1", 5), ballot("per_2", 5)] }), // 10 points, 2 supporters
      theme("thm_b", { votes: [ballot("per_1", 10), ballot("per_2", 0)], proposedAt: at("2026-12-01T00:00:00Z") }), // 10 points, 1 supporter, earliest
      theme("thm_c", { votes: [ballot("per_1", 3)], proposedAt: at("2027-01-01T00:00:00Z") }), // 3, earlier
      theme("thm_d", { votes: [ballot("per_2", 3)] }), // 3, later
      theme("thm_f", { votes: [] }),
      theme("thm_e", { votes: [] }),
      theme("thm_x", { votes: [ballot("per_1", 10), ballot("per_2", 10)], withdrawn: true })
    ]
    const ranking = ThemeRanking.rank(themes)
    expect(ranking.map((r) => r.themeId)).toEqual(["thm_a", "thm_b", "thm_c", "thm_d", "thm_e", "thm_f"])
    expect(ranking.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6])
    expect(ranking[1]).toMatchObject({ points: 10, supporters: 1, voters: 2 })
  })

  it("counts a voter's latest vote only", () => {
    const s = ThemeRanking.score(theme("thm_a", { votes: [ballot("per_1", 2, t0), ballot("per_1", 7, at("2027-03-01T00:00:00Z"))] }))
    expect(s).toEqual({ points: 7, supporters: 1, voters: 1 })
  })
})

describe("PlanValidation: every check, named, with its setting", () => {
  const themes = [theme("thm_1"), theme("thm_2"), theme("thm_3", { withdrawn: true })]

  it("a good plan passes every check", () => {
    const v = PlanValidation.validate(programme({ themes, plan: goodPlan(["thm_1", "thm_2"]) }), settings)
    expect(v.failed).toEqual([])
    expect(v.valid).toBe(true)
    expect(v.checks.map((c) => c.name)).toEqual(PlanValidation.planCheckNames)
    expect(v.learningMix).toEqual({ Inspiration: 2, LearningTogether: 2, Practice: 1 })
    expect(v.checks.find((c) => c.name === "work-forms")!.settings).toEqual(["coDesign.minWorkFormsPerSession"])
  })

  it("lists every failed check, not just the first, each saying whether it blocks", () => {
    const plan = [
      planItem("pli_1", { role: "Regular", themeId: "thm_3", workForms: [], durationMinutes: 60, agenda: [{ title: "Lang", minutes: 90 }] }),
      planItem("pli_2", { role: "KickOff", themeId: "thm_404", workForms: ["Intervision"], checklist: [] })
    ]
    const v = PlanValidation.validate(programme({ themes, plan }), settings)
    expect(v.valid).toBe(false)
    expect(v.failed.map((c) => [c.name, c.blocking])).toEqual([
      ["kick-off-first", true],
      ["closing-last", true],
      ["administrators-invited", true],
      ["work-forms", true],
      ["learning-mix", false],
      ["agenda-fits", true],
      ["tasks-owned", true],
      ["themes-known", true]
    ])
    const byName = new Map(v.failed.map((c) => [c.name, c]))
    expect(byName.get("agenda-fits")!.findings).toEqual(["session 1 (pli_1): the agenda takes 90 minutes, the session 60"])
    expect(byName.get("themes-known")!.findings).toEqual([
      "session 1 (pli_1): the theme thm_3 was withdrawn",
      "session 2 (pli_2): the theme thm_404 is not a theme of the programme"
    ])
    expect(byName.get("tasks-owned")!.findings).toEqual([
      "session 2 (pli_2): nobody is assigned the task venue",
      "session 2 (pli_2): nobody is assigned the task catering",
      "session 2 (pli_2): nobody is assigned the task invite-participants",
      "session 2 (pli_2): nobody is assigned the task materials"
    ])
    expect(byName.get("learning-mix")!.findings).toEqual(["no session serves Inspiration", "no session serves Practice"])
    expect(byName.get("kick-off-first")!.planItemIds).toEqual(["pli_1", "pli_2"])
  })

  it("an empty plan fails minimum-sessions, kick-off-first and closing-last", () => {
    const v = PlanValidation.validate(programme(), settings)
    expect(v.blocking.map((c) => c.name)).toEqual(["minimum-sessions", "kick-off-first", "closing-last"])
  })

  it("the thresholds and what blocks are settings", () => {
    const plan = goodPlan(["thm_1", "thm_2"]).map((i) => new Programme.PlanItem({ ...i, administratorsInvited: false }))
    const p = programme({ themes, plan })
    expect(PlanValidation.validate(p, settings).blocking.map((c) => c.name)).toEqual(["administrators-invited"])
    const lenient = Settings.make({ coDesign: { administratorsAtKickOffAndClosing: false, minWorkFormsPerSession: 2 } }).coDesign
    const v = PlanValidation.validate(p, lenient)
    expect(v.failed.map((c) => c.name)).toEqual(["work-forms"])
    expect(v.failed[0]!.findings).toHaveLength(3)
    const warnOnly = Settings.make({ coDesign: { blockingChecks: [] } }).coDesign
    expect(PlanValidation.validate(programme(), warnOnly).valid).toBe(true)
  })

  it("agenda items' work forms count for the mix, and a regular session without theme only warns", () => {
    const plan = [
      planItem("pli_a", { role: "KickOff", workForms: ["Intervision"], administratorsInvited: true }),
      new Programme.PlanItem({
        ...planItem("pli_b", { workForms: ["Intervision"] }),
        agenda: [new Programme.AgendaItem({ title: "Gastspreker", minutes: 45, workForm: "GuestExpert" }), new Programme.AgendaItem({ title: "Bezoek", minutes: 60, workForm: "ProjectVisit" })]
      }),
      planItem("pli_c", { role: "Closing", workForms: ["Intervision"], administratorsInvited: true })
    ]
    const v = PlanValidation.validate(programme({ themes, plan }), settings)
    expect(v.failed.map((c) => [c.name, c.blocking])).toEqual([["theme-per-session", false]])
    expect(v.valid).toBe(true)
  })

  it("approval moves CoDesign -> Planned, or is refused with plan-valid listing every failed blocking check", () => {
    const good = programme({ themes, plan: goodPlan(["thm_1", "thm_2"]) })
    const approved = right(CoDesignRules.approvePlan(good, settings, at("2027-03-01T12:00:00Z")))
    expect(approved.value.state).toBe("Planned")
    expect(approved.value.planApprovedAt?.toISOString()).toBe("2027-03-01T12:00:00.000Z")
    const bad = programme({ themes, plan: [planItem("pli_x", { workForms: [] })] })
    const refused = left(CoDesignRules.approvePlan(bad, settings, t0))
    expect(refused).toMatchObject({ _tag: "RuleViolation", rule: "plan-valid" })
    expect(refused._tag === "RuleViolation" && refused.details.map((d) => d.split(":")[0])).toEqual([
      "minimum-sessions",
      "kick-off-first",
      "closing-last",
      "administrators-invited",
      "work-forms"
    ])
  })

  it("a plan without goals fails the blocking check goals-set, and approval is refused", () => {
    const noGoals = programme({ themes, plan: goodPlan(["thm_1", "thm_2"]), goals: Programme.emptyGoals() })
    const v = PlanValidation.validate(noGoals, settings)
    expect(v.blocking.map((c) => c.name)).toEqual(["goals-set"])
    expect(PlanValidation.planCheckNames).toContain("goals-set")
    const refused = left(CoDesignRules.approvePlan(noGoals, settings, t0))
    expect(refused).toMatchObject({ _tag: "RuleViolation", rule: "plan-valid" })
    expect(refused._tag === "RuleViolation" && refused.details).toEqual(["goals-set: no intended result is set (CoDesign.setGoals)"])
  })

  it("approval returns the planned programme with its event", () => {
    const approved = right(CoDesignRules.approvePlan(programme({ themes, plan: goodPlan(["thm_1", "thm_2"]) }), settings, t0))
    expect(approved.events).toEqual([{ _tag: "SessionPlanApproved", programmeId: approved.value.id, planItemIds: approved.value.plan.map((i) => i.id), warnings: [] }])
  })

  it("plan item ids are unique (a ValidationError naming the field)", () => {
    const e = left(CoDesignRules.setPlan(programme(), [planItem("pli_1"), planItem("pli_1")], t0))
    expect(e).toMatchObject({ _tag: "ValidationError", field: "items[1].id", rule: "unique" })
  })

  it("the default checklist divides the labour and adds the guest expert only when one comes", () => {
    expect(CoDesignRules.checklistFor(["Intervision"]).map((t) => [t.key, t.owner])).toEqual([
      ["venue", "Region"],
      ["invite-participants", "Region"],
      ["catering", "Region"],
      ["materials", "Coordinator"]
    ])
    expect(CoDesignRules.checklistFor(["GuestExpert"]).map((t) => t.key)).toContain("guest-expert-confirmed")
  })
})

describe("ThemeMatching: shared sessions across regions", () => {
  const catalogue = new ThemeMatching.ThemeCatalogue({
    entries: [
      new ThemeMatching.CatalogueEntry({ key: "digitalisering", title: "Digitalisering in het mkb", tags: ["digitaal", "ai", "data"], related: ["cyber"] }),
      new ThemeMatching.CatalogueEntry({ key: "cyber", title: "Cyberveiligheid", tags: ["security"], related: [] }),
      new ThemeMatching.CatalogueEntry({ key: "arbeidsmarkt", title: "Personeel en arbeidsmarkt", tags: ["personeel", "scholing"], related: [] })
    ]
  })
  const m = { minSharedTags: 2, minRegions: 2 }
  const prog = (region: string, themes: ReadonlyArray<Programme.Theme>, state: Programme.ProgrammeState = "CoDesign") =>
    programme({ id: `prg_${region}`, regionId: region, themes, state })

  it("groups regions by the same catalogue theme, related catalogue themes and shared tags", () => {
    const proposals = ThemeMatching.proposeSharedSessions([
      prog("utrecht", [theme("thm_u1", { scope: "CrossRegional", catalogueKey: "digitalisering" })]),
      prog("twente", [theme("thm_t1", { scope: "CrossRegional", catalogueKey: "cyber" })]),
      // no key: inferred from its tags
      prog("groningen", [theme("thm_g1", { scope: "CrossRegional", tags: ["AI", " Data "] })]),
      prog("zuid-limburg", [
        theme("thm_z1", { scope: "CrossRegional", tags: ["Personeel", "scholing"] }),
        theme("thm_z2", { scope: "Regional", catalogueKey: "digitalisering" })
      ]),
      prog("drenthe", [theme("thm_d1", { scope: "CrossRegional", tags: ["scholing", "personeel", "techniek"] })])
    ], catalogue, m)
    expect(proposals.map((p) => [p.key, p.title, p.regionIds])).toEqual([
      ["cyber", "Digitalisering in het mkb", ["groningen", "twente", "utrecht"]],
      ["arbeidsmarkt", "Personeel en arbeidsmarkt", ["drenthe", "zuid-limburg"]]
    ])
    expect(proposals[0]!.reasons).toEqual(["RelatedCatalogueThemes", "SameCatalogueTheme"])
    expect(proposals[0]!.themes.find((t) => t.themeId === "thm_g1")).toMatchObject({ catalogueKey: "digitalisering", inferred: true })
    expect(proposals[1]!.sharedTags).toEqual(["personeel", "scholing"])
  })

  it("leaves out regional, withdrawn and closed programmes' themes, and groups of one region", () => {
    const proposals = ThemeMatching.proposeSharedSessions([
      prog("utrecht", [theme("thm_u1", { scope: "CrossRegional", catalogueKey: "cyber" }), theme("thm_u2", { scope: "CrossRegional", catalogueKey: "cyber" })]),
      prog("twente", [theme("thm_t1", { scope: "CrossRegional", catalogueKey: "cyber", withdrawn: true })]),
      prog("groningen", [theme("thm_g1", { scope: "CrossRegional", catalogueKey: "cyber" })], "Withdrawn"),
      prog("drenthe", [theme("thm_d1", { scope: "Regional", catalogueKey: "cyber" })])
    ], catalogue, m)
    expect(proposals).toEqual([])
  })

  it("the same title counts, and minRegions is a setting", () => {
    const ps = [
      prog("a", [theme("thm_a", { scope: "CrossRegional", title: "Energietransitie" })]),
      prog("b", [theme("thm_b", { scope: "CrossRegional", title: "energietransitie " })])
    ]
    expect(ThemeMatching.proposeSharedSessions(ps, catalogue, m).map((p) => [p.key, p.reasons])).toEqual([["theme:thm_a", ["SameTitle"]]])
    expect(ThemeMatching.proposeSharedSessions(ps, catalogue, { ...m, minRegions: 3 })).toEqual([])
  })
})
