/**
 * Builders shared by the follow-up, report, network and personal-data tests: a programme with its
 * participants, sessions and insights, saved directly through the in-memory repositories.
 */
import { Effect, Layer, Schema } from "effect"
import type { Ids } from "@copkit/core"
import {
  Enrolment,
  FollowUp,
  Insight,
  Network,
  PersonalData,
  Person,
  Programme,
  Repository,
  Session
} from "@copkit/core"
import { Fixtures, Memory } from "@copkit/testing"

export const TestLayer = Layer.mergeAll(FollowUp.layer, Network.layer, PersonalData.layer).pipe(
  Layer.provideMerge(Memory.layer)
)

export const t0 = new Date("2027-02-01T09:00:00Z")
export const at = (iso: string): Date => new Date(iso)

type FixturePerson = (typeof Fixtures.people)[keyof typeof Fixtures.people]

export const personOf = (p: FixturePerson | Record<string, unknown>): Person.Person => Schema.decodeUnknownSync(Person.Person)(p)

/** Extra participants with plain ids, so that a programme has a realistic group. */
export const participant = (n: number, regionTag = "utr"): Person.Person =>
  personOf({
    id: `per_${regionTag}_${n}`,
    name: `Deelnemer ${regionTag.toUpperCase()} ${n}`,
    email: `deelnemer${n}@${regionTag}.example.nl`,
    organisation: `Bedrijf ${n} ${regionTag}`,
    helixRole: n % 3 === 0 ? "Government" : n % 3 === 1 ? "Entrepreneur" : "Intermediary"
  })

export interface ProgrammeOptions {
  readonly id?: string
  readonly region?: (typeof Fixtures.regions)[keyof typeof Fixtures.regions]
  readonly state?: Programme.ProgrammeState
  readonly closedAt?: Date
  readonly withClosingItem?: boolean
  /** Give every intended result a verdict (default), as closing needs. */
  readonly verdicts?: boolean
  readonly themes?: ReadonlyArray<{ id: string; title: string; catalogueKey?: string; scope?: Programme.ThemeScope }>
}

export const programmeValue = (o: ProgrammeOptions = {}): Programme.Programme => {
  const region = o.region ?? Fixtures.regions.utrecht
  const id = (o.id ?? "prg_utrecht") as Ids.ProgrammeId
  const themes = o.themes ??
    [
      { id: "thm_digi", title: "Digitalisering in het mkb", catalogueKey: "digitalisering", scope: "CrossRegional" as const },
      { id: "thm_personeel", title: "Personeel en arbeidsmarkt" }
    ]
  const plan = [
    new Programme.PlanItem({
      id: `${id}_pli_1` as Ids.PlanItemId,
      role: "KickOff",
      themeId: themes[0]?.id as Ids.ThemeId,
      goal: "Aftrap met bestuurders: de opgave van het mkb in beeld.",
      workForms: ["GuestExpert", "Intervision"],
      durationMinutes: 180,
      agenda: [],
      administratorsInvited: true,
      checklist: []
    }),
    new Programme.PlanItem({
      id: `${id}_pli_2` as Ids.PlanItemId,
      role: "Regular",
      goal: "Leren van praktijkvoorbeelden.",
      workForms: ["PracticeExample", "ProjectVisit"],
      durationMinutes: 180,
      agenda: [],
      administratorsInvited: false,
      checklist: []
    }),
    ...(o.withClosingItem === false ? [] : [
      new Programme.PlanItem({
        id: `${id}_pli_3` as Ids.PlanItemId,
        role: "Closing",
        goal: "Afsluiting: vervolgafspraken met bestuurders.",
        workForms: ["InteractiveForm"],
        durationMinutes: 180,
        agenda: [],
        administratorsInvited: true,
        checklist: []
      })
    ])
  ]
  return new Programme.Programme({
    id,
    region: Schema.decodeUnknownSync(Programme.Programme.fields.region)(region),
    regionId: region.id,
    applicationId: `app_${region.id}` as Ids.ApplicationId,
    state: o.state ?? "Running",
    coreTeam: [Fixtures.people.entrepreneur, Fixtures.people.civilServant, Fixtures.people.chamber].map((p) =>
      new Programme.CoreTeamMember({ person: personOf(p), joinedAt: t0 })
    ),
    goals: new Programme.Goals({
      intendedResults: ["Meer ondernemers vinden de weg naar ondersteuning.", "Een gedeelde agenda voor het brede mkb."],
      whoIsNeeded: ["Ondernemers", "Gemeenten"],
      whoCanContribute: ["Kamer van Koophandel"]
    }),
    themes: themes.map((t) =>
      new Programme.Theme({
        id: t.id as Ids.ThemeId,
        title: t.title,
        scope: t.scope ?? "Regional",
        ...(t.catalogueKey === undefined ? {} : { catalogueKey: t.catalogueKey }),
        tags: [],
        proposedBy: Fixtures.people.chamber.id,
        proposedAt: t0,
        votes: [new Programme.Vote({ voter: Fixtures.people.chamber.id, points: 3, castAt: t0 })],
        withdrawn: false
      })
    ),
    plan,
    planApprovedAt: t0,
    ...(o.closedAt === undefined ? {} : { closedAt: o.closedAt }),
    ...(o.verdicts === false ? {} : {
      verdicts: ["Meer ondernemers vinden de weg naar ondersteuning.", "Een gedeelde agenda voor het brede mkb."].map((result, resultIndex) =>
        new Programme.GoalVerdict({ resultIndex, result, verdict: resultIndex === 0 ? "Reached" : "Partly", note: "Besproken in de slotbijeenkomst.", recordedBy: Fixtures.people.chamber.id, recordedAt: t0 })
      )
    }),
    createdAt: t0,
    updatedAt: t0
  })
}

export const saveProgramme = (o: ProgrammeOptions = {}) =>
  Effect.flatMap(Repository.ProgrammeRepository, (r) => Effect.map(r.save(programmeValue(o), 0), (v) => v.value))

export const enrol = (programme: Programme.Programme, people: ReadonlyArray<Person.Person>, status: Enrolment.EnrolmentStatus = "Active") =>
  Effect.flatMap(Repository.EnrolmentRepository, (r) =>
    Effect.forEach(people, (person) =>
      Effect.map(
        r.save(
          new Enrolment.Enrolment({
            id: `enr_${programme.id}_${person.id}` as Ids.EnrolmentId,
            programmeId: programme.id,
            regionId: programme.regionId,
            person,
            status,
            enrolledAt: t0
          }),
          0
        ),
        (v) => v.value
      )))

export interface SessionOptions {
  readonly id: string
  readonly planItem?: number
  readonly state: Session.SessionState
  readonly start: Date
  readonly invitees: ReadonlyArray<Person.Person>
  readonly present?: ReadonlyArray<Person.Person>
  readonly minutes?: string
  readonly themeId?: string
  readonly title?: string
  readonly programmes?: ReadonlyArray<Programme.Programme>
}

export const saveSession = (programme: Programme.Programme, o: SessionOptions) =>
  Effect.flatMap(Repository.SessionRepository, (r) => {
    const all = o.programmes ?? [programme]
    const session = new Session.Session({
      id: o.id as Ids.SessionId,
      programmeIds: all.map((p) => p.id) as unknown as readonly [Ids.ProgrammeId, ...Array<Ids.ProgrammeId>],
      regionIds: all.map((p) => p.regionId) as unknown as readonly [Ids.RegionId, ...Array<Ids.RegionId>],
      ...(o.planItem === undefined ? {} : { planItemId: programme.plan[o.planItem - 1]!.id }),
      title: o.title ?? `Bijeenkomst ${o.id}`,
      ...(o.themeId === undefined ? {} : { themeId: o.themeId as Ids.ThemeId }),
      workForms: ["Intervision"],
      agenda: [],
      host: "Bakkerij Mulder",
      start: o.start,
      end: new Date(o.start.getTime() + 3 * 3600_000),
      timeZone: "Europe/Amsterdam",
      state: o.state,
      sequence: 0,
      invitations: o.invitees.map((p) =>
        new Session.Invitation({
          personId: p.id,
          programmeId: programme.id,
          name: p.name,
          email: p.email!,
          language: p.language,
          answer: "Accepted",
          invitedAt: t0
        })
      ),
      attendance: o.state === "Held"
        ? o.invitees.map((p) =>
          new Session.Attendance({ personId: p.id, present: (o.present ?? o.invitees).some((x) => x.id === p.id), recordedAt: o.start })
        )
        : [],
      ...(o.minutes === undefined ? {} : {
        minutes: new Session.Minutes({ state: "Published", text: o.minutes, updatedBy: Fixtures.people.chamber.id, updatedAt: o.start })
      }),
      createdAt: t0,
      updatedAt: t0
    })
    return Effect.map(r.save(session, 0), (v) => v.value)
  })

export const saveInsight = (
  programme: Programme.Programme,
  o: {
    id: string
    sessionId: string
    kind?: Insight.InsightKind
    title: string
    text: string
    themeIds?: ReadonlyArray<string>
    tags?: ReadonlyArray<string>
    author?: string
    recordedAt?: Date
    visibility?: Insight.Visibility
  }
) =>
  Effect.flatMap(Repository.InsightRepository, (r) =>
    Effect.map(
      r.save(
        new Insight.Insight({
          id: o.id as Ids.InsightId,
          sessionId: o.sessionId as Ids.SessionId,
          programmeId: programme.id,
          regionId: programme.regionId,
          kind: o.kind ?? "WhatWorked",
          title: o.title,
          text: o.text,
          themeIds: (o.themeIds ?? []) as ReadonlyArray<Ids.ThemeId>,
          tags: o.tags ?? [],
          author: (o.author ?? Fixtures.people.chamber.id) as Ids.PersonId,
          recordedAt: o.recordedAt ?? t0,
          visibility: o.visibility ?? "Network"
        }),
        0
      ),
      (v) => v.value
    ))

/** The people of Utrecht's group: the fixture's baker and entrepreneur plus six more. */
export const utrechtGroup = (): ReadonlyArray<Person.Person> => [
  personOf(Fixtures.people.baker),
  personOf(Fixtures.people.entrepreneur),
  ...[1, 2, 3, 4, 5, 6].map((n) => participant(n))
]

/**
 * A running Utrecht programme with a group of 8, a held kick-off (7 of 8 present), a held second
 * session (5 of 8), a scheduled closing session, and two insights.
 */
export const runningProgramme = (o: ProgrammeOptions = {}) =>
  Effect.gen(function*() {
    const programme = yield* saveProgramme(o)
    const group = utrechtGroup()
    yield* enrol(programme, group)
    const kickoff = yield* saveSession(programme, {
      id: `ses_${programme.id}_1`,
      planItem: 1,
      state: "Held",
      start: at("2027-03-02T13:00:00Z"),
      themeId: "thm_digi",
      title: "Aftrap",
      invitees: group,
      present: group.slice(0, 7)
    })
    const second = yield* saveSession(programme, {
      id: `ses_${programme.id}_2`,
      planItem: 2,
      state: "Held",
      start: at("2027-04-06T12:00:00Z"),
      title: "Praktijkvoorbeelden",
      invitees: group,
      present: group.slice(0, 5),
      minutes: `Ilse Mulder vertelde over de bakkerij. Vragen aan ${Fixtures.people.baker.email}.`
    })
    const closing = yield* saveSession(programme, {
      id: `ses_${programme.id}_3`,
      planItem: 3,
      state: "Invited",
      start: at("2027-05-11T12:00:00Z"),
      title: "Afsluiting",
      invitees: group
    })
    yield* saveInsight(programme, {
      id: `ins_${programme.id}_1`,
      sessionId: kickoff.id,
      kind: "PracticeExample",
      title: "Digitale kassa in de bakkerij",
      text: "Ilse Mulder liet zien hoe een digitale kassa voorraadbeheer makkelijker maakt.",
      themeIds: ["thm_digi"],
      tags: ["kassa"]
    })
    yield* saveInsight(programme, {
      id: `ins_${programme.id}_2`,
      sessionId: second.id,
      kind: "WhatWorked",
      title: "Intervisie in kleine groepen",
      text: "Groepen van vier werkten beter dan plenair.",
      themeIds: ["thm_personeel"]
    })
    return { programme, group, kickoff, second, closing }
  })

/** Marks a session as held, with everyone invited present. */
export const hold = (sessionId: string) =>
  Effect.flatMap(Repository.SessionRepository, (r) =>
    Effect.flatMap(Repository.get(r, sessionId), (s) =>
      r.save(
        new Session.Session({
          ...s.value,
          state: "Held",
          attendance: s.value.invitations.map((i) => new Session.Attendance({ personId: i.personId, present: true, recordedAt: s.value.start! }))
        }),
        s.version
      )))
