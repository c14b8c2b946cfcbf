/**
 * The overview is the same as before it was built from summaries: the overview as release 0.x
 * computed it (copied here as the reference, with the attendance and task rules of that release)
 * against `Network.overview` and `Network.fromSummaries`, on generated networks (fast-check).
 */
import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import {
  Agreement,
  Application,
  Evaluation,
  Network,
  Programme,
  Region,
  Session,
  Summary,
  Tasks
} from "@copkit/core"
import type { Ids, Report } from "@copkit/core"
import { Fixtures } from "@copkit/testing"
import { Schema } from "effect"

type Application = Application.Application
type Programme = Programme.Programme
type Session = Session.Session
type Agreement = Agreement.Agreement
type EvaluationAnswer = Evaluation.EvaluationAnswer
type EvaluationSettings = Evaluation.EvaluationSettings
type Measure = import("@copkit/core").Measure.Measure

/** `Report.sessionAttendance` as it was. */
const referenceAttendance = (session: Session, programmeId: string) => {
  const invitees = session.invitations.filter((i) => session.programmeIds.length === 1 || i.programmeId === programmeId)
  const ids = new Set(invitees.map((i) => i.personId))
  const present = session.attendance.filter((a) => a.present && (session.programmeIds.length === 1 || ids.has(a.personId))).length
  return { invited: invitees.length, present }
}

/** `Tasks.counts` as it was: from the task views. */
const referenceTasks = (programme: Programme, sessions: ReadonlyMap<string, Session>, now: Date) => {
  const all = Tasks.tasksOf(programme, sessions, now)
  const done = all.filter((t) => t.task.done).length
  return { total: all.length, done, open: all.length - done, overdue: all.filter((t) => t.overdue).length }
}

const ratio = (n: number, d: number): number | undefined => (d > 0 ? Math.round((n / d) * 1000) / 1000 : undefined)

const attendance = (present: number, invited: number): Report.AttendanceCount => {
  const rate = ratio(present, invited)
  return rate === undefined ? { invited, present } : { invited, present, rate }
}

const latest = <A extends { readonly createdAt: Date; readonly id: string }>(xs: ReadonlyArray<A>): A | undefined =>
  [...xs].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1)).at(-1)

const themeKey = (t: { readonly title: string; readonly catalogueKey?: string | undefined }): string =>
  (t.catalogueKey ?? t.title).trim().toLocaleLowerCase("nl").replace(/\s+/g, " ")


const reference = (
  data: {
    readonly applications: ReadonlyArray<Application>
    readonly programmes: ReadonlyArray<Programme>
    /** The sessions with a date (held ones count for attendance; all give the tasks their deadlines). */
    readonly sessions: ReadonlyArray<Session>
    readonly agreements: ReadonlyArray<Agreement>
    /** When the overview is made (for overdue tasks); the latest session change when not given. */
    readonly now?: Date | undefined
    /** The evaluation answers and measures, for each region's impact (only aggregates are shown). */
    readonly evaluations?: ReadonlyArray<EvaluationAnswer> | undefined
    readonly measures?: ReadonlyArray<Measure> | undefined
    readonly evaluationSettings?: Pick<EvaluationSettings, "minAnswers" | "defaultQuestions"> | undefined
  },
  minRegions = 2
): Network.NetworkOverview => {
  // grouped once: each region's part is then read without scanning every list again
  const group = <A>(xs: ReadonlyArray<A>, keys: (x: A) => ReadonlyArray<string>) => {
    const out = new Map<string, Array<A>>()
    for (const x of xs) {
      for (const k of keys(x)) {
        const list = out.get(k)
        if (list === undefined) out.set(k, [x])
        else list.push(x)
      }
    }
    return out
  }
  const programmesByRegion = group<Programme>(data.programmes, (p) => [p.regionId])
  const applicationsByRegion = group<Application>(data.applications, (a) => [a.region.id])
  const sessionsByProgramme = group(data.sessions, (s) => s.programmeIds)
  const agreementsByProgramme = group(data.agreements, (a) => [a.programmeId])
  const evaluationsByProgramme = group(data.evaluations ?? [], (a) => [a.programmeId])
  const measuresByProgramme = group(data.measures ?? [], (m) => [m.programmeId])
  const now = data.now ?? new Date()
  const regionIds = [...new Set([...applicationsByRegion.keys(), ...programmesByRegion.keys()])].sort() as Array<Ids.RegionId>
  const regions = regionIds.map((regionId): Network.RegionOverview => {
    const programme = latest(programmesByRegion.get(regionId) ?? [])
    const application = latest(applicationsByRegion.get(regionId) ?? [])
    const own = programme === undefined ? [] : sessionsByProgramme.get(programme.id) ?? []
    const held = own.filter((s) => s.state === "Held")
    const counts = held.map((s) => referenceAttendance(s, programme!.id))
    const invited = counts.reduce((n, c) => n + c.invited, 0)
    const present = counts.reduce((n, c) => n + c.present, 0)
    const tasks = programme === undefined ? { open: 0, overdue: 0 } : referenceTasks(programme, new Map(own.map((s) => [s.id as string, s])), now)
    const agreements = programme === undefined ? [] : agreementsByProgramme.get(programme.id) ?? []
    const done = agreements.filter((a) => a.status === "Done").length
    const dropped = agreements.filter((a) => a.status === "Dropped").length
    return {
      regionId,
      regionName: programme?.region.name ?? application?.region.name ?? regionId,
      stage: programme !== undefined ? Network.stageOfProgramme(programme.state) : Network.stageOfApplication(application!.state),
      state: programme?.state ?? application!.state,
      applicationId: programme?.applicationId ?? application?.id,
      programmeId: programme?.id,
      sessionsHeld: held.length,
      attendance: attendance(present, invited),
      agreements: { total: agreements.length, done, dropped, completionRate: ratio(done, agreements.length - dropped) },
      themes: programme === undefined ? [] : programme.themes.filter((t) => !t.withdrawn).map((t) => t.title),
      tasks: { open: tasks.open, overdue: tasks.overdue },
      impact: programme === undefined ? undefined : Network.impactOf(
        programme,
        held,
        evaluationsByProgramme.get(programme.id) ?? [],
        measuresByProgramme.get(programme.id) ?? [],
        data.evaluationSettings ?? Evaluation.defaultEvaluationSettings
      )
    }
  })
  const byStage: Partial<Record<Network.Stage, number>> = {}
  for (const r of regions) byStage[r.stage] = (byStage[r.stage] ?? 0) + 1
  const shown = new Set(regions.map((r) => r.programmeId).filter((id) => id !== undefined))
  const groups = new Map<string, { titles: Set<string>; regions: Array<Network.SharedTheme["regions"][number]> }>()
  for (const p of data.programmes.filter((x) => shown.has(x.id))) {
    for (const t of p.themes.filter((x) => !x.withdrawn)) {
      const key = themeKey(t)
      const g = groups.get(key) ?? { titles: new Set<string>(), regions: [] }
      g.titles.add(t.title)
      if (!g.regions.some((r) => r.regionId === p.regionId)) g.regions.push({ regionId: p.regionId, programmeId: p.id, themeId: t.id })
      groups.set(key, g)
    }
  }
  const sharedThemes = [...groups.entries()]
    .filter(([, g]) => g.regions.length >= minRegions)
    .map(([key, g]) => {
      const titles = [...g.titles].sort((a, b) => a.localeCompare(b, "nl"))
      return { key, title: titles[0]!, titles, regions: [...g.regions].sort((a, b) => (a.regionId < b.regionId ? -1 : 1)) }
    })
    .sort((a, b) => b.regions.length - a.regions.length || (a.key < b.key ? -1 : 1))
  const invited = regions.reduce((n, r) => n + r.attendance.invited, 0)
  const present = regions.reduce((n, r) => n + r.attendance.present, 0)
  const done = regions.reduce((n, r) => n + r.agreements.done, 0)
  const counting = regions.reduce((n, r) => n + r.agreements.total - r.agreements.dropped, 0)
  return { regions, byStage, attendance: attendance(present, invited), agreementCompletionRate: ratio(done, counting), sharedThemes }
}


const at = new Date("2027-03-04T13:30:00.000Z")
const day = 86_400_000

const networks = fc.record({
  programmes: fc.array(fc.record({
    region: fc.nat(4),
    state: fc.constantFrom(...(["CoDesign", "Planned", "Running", "FollowUp", "Completed", "Withdrawn", "Cancelled"] as const)),
    created: fc.nat(3),
    tasks: fc.array(fc.record({ session: fc.nat(9), dueDaysBefore: fc.nat(40), done: fc.boolean() }), { maxLength: 4 }),
    themes: fc.array(fc.record({ key: fc.constantFrom("arbeidsmarkt", "Energie ", "energie", undefined), title: fc.constantFrom("Personeel", "Energie", "Warmte  net"), withdrawn: fc.boolean() }), { maxLength: 3 }),
    agreements: fc.array(fc.constantFrom(...(["Open", "InProgress", "Done", "Dropped"] as const)), { maxLength: 5 })
  }), { maxLength: 6 }),
  applications: fc.array(fc.record({
    region: fc.nat(5),
    created: fc.nat(3),
    state: fc.constantFrom(...(["Draft", "Submitted", "Exploring", "Accepted", "Declined", "Withdrawn"] as const))
  }), { maxLength: 4 }),
  sessions: fc.array(fc.record({
    programmes: fc.array(fc.nat(5), { minLength: 1, maxLength: 3 }),
    state: fc.constantFrom(...(["Scheduled", "Invited", "Held", "Held"] as const)),
    start: fc.option(fc.integer({ min: -30, max: 60 }), { nil: undefined }),
    timeZone: fc.constantFrom("Europe/Amsterdam", "America/New_York"),
    invitations: fc.array(fc.record({ person: fc.nat(5), programme: fc.nat(5) }), { maxLength: 6 }),
    attendance: fc.array(fc.record({ person: fc.nat(6), present: fc.boolean() }), { maxLength: 7 })
  }), { maxLength: 10 }),
  now: fc.integer({ min: -10, max: 70 }),
  minRegions: fc.integer({ min: 2, max: 3 })
}).filter((n) => n.programmes.length + n.applications.length > 0)

type Shape = typeof networks extends fc.Arbitrary<infer A> ? A : never

const region = (k: number) => new Region.Region({ id: `region-${k}` as Ids.RegionId, name: `Regio ${k}`, provinces: ["Utrecht"], municipalities: ["Zeist"] })

const build = (shape: Shape) => {
  const programmeId = (k: number) => `prg_${k % Math.max(1, shape.programmes.length)}` as Ids.ProgrammeId
  const sessionId = (k: number) => `ses_${k}` as Ids.SessionId
  const programmes = shape.programmes.map((p, k) => new Programme.Programme({
    id: programmeId(k),
    region: region(p.region),
    regionId: region(p.region).id,
    applicationId: `app_of_${k}` as Ids.ApplicationId,
    state: p.state,
    coreTeam: [],
    goals: new Programme.Goals({ intendedResults: ["Ondernemers vinden elkaar."], whoIsNeeded: [], whoCanContribute: [] }),
    themes: p.themes.map((t, i) => new Programme.Theme({
      id: `thm_${k}_${i}` as Ids.ThemeId,
      title: t.title,
      ...(t.key === undefined ? {} : { catalogueKey: t.key }),
      scope: "CrossRegional",
      tags: [],
      proposedBy: "per_0" as Ids.PersonId,
      proposedAt: at,
      votes: [],
      withdrawn: t.withdrawn
    })),
    plan: p.tasks.map((t, i) => new Programme.PlanItem({
      id: `pli_${k}_${i}` as Ids.PlanItemId,
      role: "Regular",
      goal: `Doel ${i + 1}`,
      workForms: ["Intervision"],
      durationMinutes: 120,
      agenda: [],
      administratorsInvited: false,
      checklist: [new Programme.ChecklistTask({ key: `taak-${i}`, title: "Zaal regelen", owner: "Region", dueDaysBefore: t.dueDaysBefore, done: t.done })],
      sessionId: sessionId(t.session)
    })),
    createdAt: new Date(at.getTime() + p.created * day),
    updatedAt: at
  }))
  const applications = shape.applications.map((a, k) => {
    const r = region(a.region)
    return Schema.decodeUnknownSync(Application.Application)({
      id: `app_${k}`,
      ...Fixtures.applicationInput({ region: { id: r.id, name: r.name, provinces: [...r.provinces], municipalities: [...r.municipalities] } }),
      state: a.state,
      assessment: [],
      createdAt: new Date(at.getTime() + a.created * day).toISOString(),
      updatedAt: at.toISOString()
    })
  })
  const sessions = shape.sessions.map((s, k) => {
    const own = s.programmes.map(programmeId)
    return new Session.Session({
      id: sessionId(k),
      programmeIds: own as never,
      regionIds: ["region-0"] as never,
      title: `Bijeenkomst ${k + 1}`,
      workForms: [],
      agenda: [],
      ...(s.start === undefined ? {} : { start: new Date(at.getTime() + s.start * day), end: new Date(at.getTime() + s.start * day + 3_600_000) }),
      timeZone: s.timeZone,
      state: s.state,
      sequence: 0,
      invitations: s.invitations.map((i) => new Session.Invitation({
        personId: `per_${i.person}` as Ids.PersonId,
        programmeId: (i.programme < 3 ? own[i.programme % own.length]! : programmeId(i.programme)) as Ids.ProgrammeId,
        name: "Iemand",
        email: "iemand@example.nl" as never,
        language: "nl",
        answer: "Accepted",
        invitedAt: at
      })),
      attendance: s.attendance.map((a) => new Session.Attendance({ personId: `per_${a.person}` as Ids.PersonId, present: a.present, recordedAt: at })),
      createdAt: at,
      updatedAt: at
    })
  })
  const agreements = shape.programmes.flatMap((p, k) => p.agreements.map((status, i) => new Agreement.Agreement({
    id: `agr_${k}_${i}` as Ids.AgreementId,
    programmeId: programmeId(k),
    regionId: region(p.region).id,
    action: "Vervolg afspreken.",
    owner: { personId: "per_0", name: "Iemand", organisation: "Bedrijf" } as never,
    dueDate: "2027-09-30" as never,
    status,
    notes: [],
    createdAt: at,
    updatedAt: at
  })))
  return { applications, programmes, sessions, agreements, now: new Date(at.getTime() + shape.now * day) }
}

describe("Network.overview from summaries", () => {
  it("is the overview as it was computed from the full entities", () => {
    fc.assert(
      fc.property(networks, (shape) => {
        const data = build(shape)
        const expected = reference(data, shape.minRegions)
        expect(Network.overview(data, shape.minRegions)).toEqual(expected)
        expect(Network.fromSummaries({
          ...data,
          sessions: data.sessions.map(Summary.sessionSummary),
          agreements: Summary.agreementTallies(data.agreements)
        }, shape.minRegions)).toEqual(expected)
      }),
      { numRuns: 300 }
    )
  })
})
