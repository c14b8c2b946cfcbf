/** Shared setup of the sessions tests: a planned programme per region, enrolled participants. */
import { Effect, Layer } from "effect"
import { Actor, Ids, Participants, Programme, Region, Repository, SessionNotifications, Sessions } from "@copkit/core"
import { Fixtures, Memory } from "@copkit/testing"

export const TestLayer = Layer.mergeAll(Sessions.layer, SessionNotifications.layer).pipe(Layer.provideMerge(Memory.layer))

export const { actors, people, regions } = Fixtures
export const coordinator = Actor.as(actors.coordinator)
export const keyPerson = Actor.as(actors.keyPerson)
export const organiser = Actor.as(actors.organiser)
export const participant = Actor.as(actors.participant)
export const keyPersonTwente = Actor.as(actors.keyPersonTwente)
export const system = Actor.as(actors.system)

const at = new Date("2026-12-01T09:00:00Z")

const item = (id: string, role: "KickOff" | "Regular" | "Closing", durationMinutes = 180) =>
  new Programme.PlanItem({
    id: id as Ids.PlanItemId,
    role,
    themeId: "thm_1" as Ids.ThemeId,
    goal: `Doel van ${id}`,
    workForms: ["Intervision"],
    durationMinutes,
    agenda: [new Programme.AgendaItem({ title: "Nieuws van de dag", minutes: 30 }), new Programme.AgendaItem({ title: "Intervisie", minutes: 90 })],
    administratorsInvited: role !== "Regular",
    checklist: []
  })

/** Stores a programme of the region in the given state, with a three-session plan. */
export const seedProgramme = (
  region: typeof regions.utrecht | typeof regions.twente,
  id: string,
  state: Programme.ProgrammeState = "Planned",
  applicationId = `app_${id}`
) =>
  Effect.gen(function*() {
    const repo = yield* Repository.ProgrammeRepository
    const programme = new Programme.Programme({
      id: id as Ids.ProgrammeId,
      region: new Region.Region({ ...region, provinces: [...region.provinces], municipalities: [...region.municipalities] }),
      regionId: region.id,
      applicationId: applicationId as Ids.ApplicationId,
      state,
      coreTeam: [],
      goals: Programme.emptyGoals(),
      themes: [
        new Programme.Theme({
          id: "thm_1" as Ids.ThemeId,
          title: "Personeelstekorten",
          scope: "Regional",
          tags: [],
          proposedBy: people.chamber.id,
          proposedAt: at,
          votes: []
        })
      ],
      plan: [item(`${id}_a`, "KickOff"), item(`${id}_b`, "Regular"), item(`${id}_c`, "Closing")],
      ...(state === "CoDesign" ? {} : { planApprovedAt: at }),
      createdAt: at,
      updatedAt: at
    })
    yield* repo.save(programme, 0)
    return programme
  })

/** The Utrecht group: the baker (the participant actor), the entrepreneur, the college (English) and the chamber. */
export const utrechtGroup = [people.baker, people.entrepreneur, people.college, people.chamber]

export const enrolAll = (programmeId: string, persons: ReadonlyArray<typeof Participants.ParticipantInput.Encoded>, reserve = false) =>
  Effect.gen(function*() {
    const service = yield* Sessions.Sessions
    const out = []
    for (const p of persons) out.push(yield* service.enrol({ programmeId, participant: p, reserve }).pipe(keyPerson))
    return out
  })
