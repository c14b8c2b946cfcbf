/**
 * Across the network: an overview of every region (where it stands in the lifecycle, attendance,
 * agreement completion, its evaluation and impact, themes several regions share) and a search over the insights and practice
 * examples of all regions, by theme and text.
 *
 * Who may do what:
 * - the overview: the coordinator (it compares regions);
 * - the search: by each insight's visibility ({@link mayFind}): the coordinator finds all; key
 *   persons and organisers their own region's and every `Network` or `Public` insight (insights are
 *   recorded so that the network learns across regions: "de kennis en ervaring over wat werkt
 *   verdiepen en verrijken"); participants, administrators and guest experts their own region's
 *   and the `Public` ones. Insights hold no personal fields besides the author's id.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Option, Schema } from "effect"
import * as Actor from "./Actor.js"
import type { Agreement } from "./Agreement.js"
import type { ApplicationState } from "./Application.js"
import * as Command from "./Command.js"
import type { CommandError } from "./Errors.js"
import type { EvaluationAnswer, EvaluationSettings } from "./Evaluation.js"
import { aggregate, defaultEvaluationSettings, overallAverage, questionsOf } from "./Evaluation.js"
import { progressOf, verdictsOf } from "./Impact.js"
import type { Measure } from "./Measure.js"
import { ProgrammeId, RegionId, SessionId, ThemeId } from "./Ids.js"
import type { Insight, Visibility } from "./Insight.js"
import { InsightKind } from "./Insight.js"
import * as Permissions from "./Permissions.js"
import type { Programme, ProgrammeState } from "./Programme.js"
import type { AttendanceCount } from "./Report.js"
import { counts as taskCounts } from "./Tasks.js"
import {
  EvaluationRepository,
  InsightRepository,
  MeasureRepository,
  ProgrammeRepository,
  SessionRepository
} from "./Repository.js"
import type { Session } from "./Session.js"
import * as SearchIndex from "./SearchIndex.js"
import { Settings } from "./Settings.js"
import type { AgreementTally, ApplicationSummary, ProgrammeSummary, SessionSummary } from "./Summary.js"
import { agreementTallies, sessionSummary, Summaries } from "./Summary.js"
import { decode } from "./Validation.js"
import { searchPage } from "./internal/searchPage.js"

// ---------------------------------------------------------------------------------------------
// Pure rules: the overview
// ---------------------------------------------------------------------------------------------

/** The stages of the lifecycle, and the ways out of it. @category models */
export type Stage = "Intake" | "CoDesign" | "Sessions" | "FollowUp" | "Completed" | "Declined" | "Withdrawn" | "Cancelled"

/** The stage of a programme's state. @category rules */
export const stageOfProgramme = (state: ProgrammeState): Stage => {
  switch (state) {
    case "CoDesign":
      return "CoDesign"
    case "Planned":
    case "Running":
      return "Sessions"
    default:
      return state
  }
}

/** The stage of an application's state (a region with no programme yet). @category rules */
export const stageOfApplication = (state: ApplicationState): Stage => {
  switch (state) {
    case "Draft":
    case "Submitted":
    case "Exploring":
      return "Intake"
    case "Accepted":
      return "CoDesign"
    default:
      return state
  }
}

/** One region in the overview. @category models */
export interface RegionOverview {
  readonly regionId: RegionId
  readonly regionName: string
  readonly stage: Stage
  /** The state of the programme (or, before one exists, of the application). */
  readonly state: string
  readonly applicationId?: string | undefined
  readonly programmeId?: ProgrammeId | undefined
  readonly sessionsHeld: number
  /** Over the held sessions. */
  readonly attendance: AttendanceCount
  readonly agreements: {
    readonly total: number
    readonly done: number
    readonly dropped: number
    /** `done / (total − dropped)`, absent when none counts. */
    readonly completionRate?: number | undefined
  }
  readonly themes: ReadonlyArray<string>
  /** The tasks of the shown programme's plan: open, and open past their deadline. */
  readonly tasks: { readonly open: number; readonly overdue: number }
  /** Evaluation and impact of the shown programme; absent before there is one. */
  readonly impact?: RegionImpact | undefined
}

/** A region's evaluation and impact in the overview. @category models */
export interface RegionImpact {
  /** The mean evaluation (1 to 5) of its held sessions with enough answers; absent when none has. */
  readonly evaluationAverage?: number | undefined
  /** The held sessions whose evaluation reached the minimum number of answers. */
  readonly sessionsEvaluated: number
  /** The verdicts on its intended results, and how many have none yet. */
  readonly verdicts: { readonly Reached: number; readonly Partly: number; readonly NotReached: number; readonly missing: number }
  readonly indicators: number
  /** The mean progress of its indicators with a value (0 = baseline, 1 = target); absent when none has one. */
  readonly indicatorProgress?: number | undefined
}

/** The evaluation and impact of one programme, for the overview. A pure function. @category rules */
export const impactOf = (
  programme: ProgrammeSummary,
  held: ReadonlyArray<Pick<Session, "id">>,
  answers: ReadonlyArray<EvaluationAnswer>,
  measures: ReadonlyArray<Measure>,
  settings: Pick<EvaluationSettings, "minAnswers" | "defaultQuestions">
): RegionImpact => {
  const questions = questionsOf(programme, settings)
  const averages = held.flatMap((s) => {
    const a = overallAverage(aggregate(s.id, programme.id, questions, answers, settings.minAnswers))
    return a === undefined ? [] : [a]
  })
  const verdicts = { Reached: 0, Partly: 0, NotReached: 0, missing: 0 }
  for (const v of verdictsOf(programme)) {
    if (v.verdict === undefined) verdicts.missing++
    else verdicts[v.verdict.verdict]++
  }
  const indicators = progressOf(measures.filter((m) => m.programmeId === programme.id))
  const progress = indicators.flatMap((i) => (i.progress === undefined ? [] : [i.progress]))
  const mean = (xs: ReadonlyArray<number>, digits: number) =>
    xs.length === 0 ? undefined : Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10 ** digits) / 10 ** digits
  return {
    evaluationAverage: mean(averages, 1),
    sessionsEvaluated: averages.length,
    verdicts,
    indicators: indicators.length,
    indicatorProgress: mean(progress, 2)
  }
}

/** A theme that several regions chose. @category models */
export interface SharedTheme {
  /** The catalogue key, or the normalised title when the themes have none. */
  readonly key: string
  /** The first of `titles` in alphabetical order. */
  readonly title: string
  /** Every title the regions gave the theme, distinct, in alphabetical order. */
  readonly titles: ReadonlyArray<string>
  readonly regions: ReadonlyArray<{ readonly regionId: RegionId; readonly programmeId: ProgrammeId; readonly themeId: ThemeId }>
}

/** The network overview. @category models */
export interface NetworkOverview {
  readonly regions: ReadonlyArray<RegionOverview>
  readonly byStage: Readonly<Partial<Record<Stage, number>>>
  readonly attendance: AttendanceCount
  readonly agreementCompletionRate?: number | undefined
  readonly sharedThemes: ReadonlyArray<SharedTheme>
}

const ratio = (n: number, d: number): number | undefined => (d > 0 ? Math.round((n / d) * 1000) / 1000 : undefined)

const attendance = (present: number, invited: number): AttendanceCount => {
  const rate = ratio(present, invited)
  return rate === undefined ? { invited, present } : { invited, present, rate }
}

const latest = <A extends { readonly createdAt: Date; readonly id: string }>(xs: ReadonlyArray<A>): A | undefined =>
  [...xs].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1)).at(-1)

const themeKey = (t: { readonly title: string; readonly catalogueKey?: string | undefined }): string =>
  (t.catalogueKey ?? t.title).trim().toLocaleLowerCase("nl").replace(/\s+/g, " ")

/** What the overview is built from besides the sessions and agreements. @category models */
export interface OverviewData {
  /** The applications, or their summaries (an `Application` is its own). */
  readonly applications: ReadonlyArray<ApplicationSummary>
  /** The programmes, or their summaries (a `Programme` is its own). */
  readonly programmes: ReadonlyArray<ProgrammeSummary>
  /** When the overview is made (for overdue tasks); the latest session change when not given. */
  readonly now?: Date | undefined
  /** The evaluation answers and measures, for each region's impact (only aggregates are shown). */
  readonly evaluations?: ReadonlyArray<EvaluationAnswer> | undefined
  readonly measures?: ReadonlyArray<Measure> | undefined
  readonly evaluationSettings?: Pick<EvaluationSettings, "minAnswers" | "defaultQuestions"> | undefined
}

/**
 * Builds the overview from all applications, programmes, sessions and agreements. Each region is
 * shown by its latest programme, or its latest application when it has none. Themes count as
 * shared when their catalogue key (or, without one, their title) is the same in at least
 * `minRegions` regions. A pure function: {@link fromSummaries} of the sessions' summaries and
 * the agreements' tallies.
 *
 * @category rules
 */
export const overview = (
  data: OverviewData & {
    /** The sessions with a date (held ones count for attendance; all give the tasks their deadlines). */
    readonly sessions: ReadonlyArray<Session>
    readonly agreements: ReadonlyArray<Agreement>
  },
  minRegions = 2
): NetworkOverview =>
  fromSummaries({ ...data, sessions: data.sessions.map(sessionSummary), agreements: agreementTallies(data.agreements) }, minRegions)

/**
 * {@link overview} from the narrow reads of the sessions and agreements ({@link Summaries}):
 * what the service builds it from, so that no session or agreement is read whole. A pure function.
 *
 * @category rules
 */
export const fromSummaries = (
  data: OverviewData & {
    /** The summaries of the sessions with a date, ordered by id (held ones count for attendance; all give the tasks their deadlines). */
    readonly sessions: ReadonlyArray<SessionSummary>
    /** The agreements counted per programme and status. */
    readonly agreements: ReadonlyArray<AgreementTally>
  },
  minRegions = 2
): NetworkOverview => {
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
  const programmesByRegion = group<ProgrammeSummary>(data.programmes, (p) => [p.regionId])
  const applicationsByRegion = group<ApplicationSummary>(data.applications, (a) => [a.region.id])
  const sessionsByProgramme = group(data.sessions, (s) => s.programmeIds)
  const agreementsByProgramme = new Map<string, { total: number; done: number; dropped: number }>()
  for (const t of data.agreements) {
    const counts = agreementsByProgramme.get(t.programmeId) ?? { total: 0, done: 0, dropped: 0 }
    counts.total += t.count
    if (t.status === "Done") counts.done += t.count
    if (t.status === "Dropped") counts.dropped += t.count
    agreementsByProgramme.set(t.programmeId, counts)
  }
  const evaluationsByProgramme = group(data.evaluations ?? [], (a) => [a.programmeId])
  const measuresByProgramme = group(data.measures ?? [], (m) => [m.programmeId])
  const now = data.now ?? new Date()
  const regionIds = [...new Set([...applicationsByRegion.keys(), ...programmesByRegion.keys()])].sort() as Array<RegionId>
  const regions = regionIds.map((regionId): RegionOverview => {
    const programme = latest(programmesByRegion.get(regionId) ?? [])
    const application = latest(applicationsByRegion.get(regionId) ?? [])
    const own = programme === undefined ? [] : sessionsByProgramme.get(programme.id) ?? []
    const held = own.filter((s) => s.state === "Held")
    const counts = held.map((s) => s.attendance.find((a) => a.programmeId === programme!.id) ?? { invited: 0, present: 0 })
    const invited = counts.reduce((n, c) => n + c.invited, 0)
    const present = counts.reduce((n, c) => n + c.present, 0)
    const tasks = programme === undefined ? { open: 0, overdue: 0 } : taskCounts(programme, new Map(own.map((s) => [s.id as string, s])), now)
    const { total, done, dropped } = (programme === undefined ? undefined : agreementsByProgramme.get(programme.id)) ??
      { total: 0, done: 0, dropped: 0 }
    return {
      regionId,
      regionName: programme?.region.name ?? application?.region.name ?? regionId,
      stage: programme !== undefined ? stageOfProgramme(programme.state) : stageOfApplication(application!.state),
      state: programme?.state ?? application!.state,
      applicationId: programme?.applicationId ?? application?.id,
      programmeId: programme?.id,
      sessionsHeld: held.length,
      attendance: attendance(present, invited),
      agreements: { total, done, dropped, completionRate: ratio(done, total - dropped) },
      themes: programme === undefined ? [] : programme.themes.filter((t) => !t.withdrawn).map((t) => t.title),
      tasks: { open: tasks.open, overdue: tasks.overdue },
      impact: programme === undefined ? undefined : impactOf(
        programme,
        held,
        evaluationsByProgramme.get(programme.id) ?? [],
        measuresByProgramme.get(programme.id) ?? [],
        data.evaluationSettings ?? defaultEvaluationSettings
      )
    }
  })
  const byStage: Partial<Record<Stage, number>> = {}
  for (const r of regions) byStage[r.stage] = (byStage[r.stage] ?? 0) + 1
  const shown = new Set(regions.map((r) => r.programmeId).filter((id) => id !== undefined))
  const groups = new Map<string, { titles: Set<string>; regionIds: Set<string>; regions: Array<SharedTheme["regions"][number]> }>()
  for (const p of data.programmes.filter((x) => shown.has(x.id))) {
    for (const t of p.themes.filter((x) => !x.withdrawn)) {
      const key = themeKey(t)
      const g = groups.get(key) ?? { titles: new Set<string>(), regionIds: new Set<string>(), regions: [] }
      g.titles.add(t.title)
      if (!g.regionIds.has(p.regionId)) {
        g.regionIds.add(p.regionId)
        g.regions.push({ regionId: p.regionId, programmeId: p.id, themeId: t.id })
      }
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

// ---------------------------------------------------------------------------------------------
// Pure rules: the search
// ---------------------------------------------------------------------------------------------

/** Input of {@link NetworkService.search}. @category inputs */
export const Search = Schema.Struct({
  /** Words that must all occur in the insight's title, text, tags or theme titles (any case, accents ignored). */
  text: Schema.optional(Schema.String.pipe(Schema.maxLength(500))),
  /** A theme: its id, its catalogue key, or words of its title; also matches an insight's tags. */
  theme: Schema.optional(Schema.String.pipe(Schema.maxLength(200))),
  kind: Schema.optional(InsightKind),
  regionId: Schema.optional(RegionId),
  ...searchPage
})

/** One hit of the search. @category models */
export interface SearchHit {
  readonly insight: Insight
  readonly regionName: string
  readonly themes: ReadonlyArray<string>
  /** Higher is better: a word in the title counts more than one in the text. */
  readonly score: number
}

/** Lower case, accents removed, spaces collapsed: how the search compares text. @category rules */
export const fold: (s: string) => string = SearchIndex.fold

/**
 * What the actor may find ({@link mayFind}, {@link mayReadMinutes}) as the store filters it: every
 * insight and minutes, or those of the actor's region and those of some visibilities.
 *
 * @category rules
 */
export const accessOf = (actor: Actor.Actor): SearchIndex.Access => {
  switch (actor._tag) {
    case "NetworkCoordinator":
    case "System":
      return { _tag: "All" }
    case "KeyPerson":
    case "RegionalOrganiser":
      return { _tag: "Limited", regionId: actor.regionId, visibilities: ["Network", "Public"] }
    case "Participant":
    case "Administrator":
      return { _tag: "Limited", regionId: actor.regionId, visibilities: ["Public"] }
    case "GuestExpert":
      return { _tag: "Limited", visibilities: ["Public"] }
  }
}

/**
 * Searches insights by theme and text, best first (then newest first). A pure function of the
 * insights and the programmes (for theme titles and region names).
 *
 * @category rules
 */
export const search = (
  insights: ReadonlyArray<Insight>,
  programmes: ReadonlyArray<Programme>,
  query: { readonly text?: string | undefined; readonly theme?: string | undefined; readonly kind?: InsightKind | undefined; readonly regionId?: string | undefined }
): ReadonlyArray<SearchHit> => {
  const byId = new Map(programmes.map((p) => [p.id as string, p]))
  const words = query.text === undefined ? [] : fold(query.text).split(" ").filter((w) => w.length > 0)
  const theme = query.theme === undefined ? undefined : fold(query.theme)
  const hits: Array<SearchHit> = []
  for (const i of insights) {
    if (query.kind !== undefined && i.kind !== query.kind) continue
    if (query.regionId !== undefined && i.regionId !== query.regionId) continue
    const p = byId.get(i.programmeId)
    const themes = (p?.themes ?? []).filter((t) => i.themeIds.includes(t.id))
    if (theme !== undefined && theme !== "") {
      const matches = i.themeIds.some((id) => fold(id) === theme) ||
        themes.some((t) => fold(t.catalogueKey ?? "") === theme || fold(t.title).includes(theme)) ||
        i.tags.some((tag) => fold(tag) === theme)
      if (!matches) continue
    }
    const title = fold(i.title)
    const body = fold([i.text, ...i.tags, ...themes.map((t) => t.title)].join(" "))
    let score = 0
    let all = true
    for (const w of words) {
      const inTitle = title.includes(w)
      const inBody = body.includes(w)
      if (!inTitle && !inBody) {
        all = false
        break
      }
      score += inTitle ? 3 : 1
    }
    if (!all) continue
    hits.push({ insight: i, regionName: p?.region.name ?? i.regionId, themes: themes.map((t) => t.title), score })
  }
  return hits.sort((a, b) =>
    b.score - a.score || b.insight.recordedAt.getTime() - a.insight.recordedAt.getTime() || (a.insight.id < b.insight.id ? -1 : 1)
  )
}

/**
 * Whether the actor may find the insight in the network search, by its visibility: the coordinator
 * finds every insight; a region's own people find its insights; key persons and organisers of
 * other regions find `Network` and `Public` ones; participants, administrators and guest experts
 * of other regions find `Public` ones only.
 *
 * @category rules
 */
export const mayFind = (actor: Actor.Actor, insight: Pick<Insight, "regionId" | "visibility">): boolean => {
  switch (actor._tag) {
    case "NetworkCoordinator":
    case "System":
      return true
    case "KeyPerson":
    case "RegionalOrganiser":
      return insight.regionId === actor.regionId || insight.visibility !== "Region"
    case "Participant":
    case "Administrator":
      return insight.regionId === actor.regionId || insight.visibility === "Public"
    case "GuestExpert":
      return insight.visibility === "Public"
  }
}

/**
 * Whether the actor may find a session's published minutes in the network search, by their
 * visibility, as {@link mayFind} for insights: a session of several regions counts as each
 * region's own.
 *
 * @category rules
 */
export const mayReadMinutes = (
  actor: Actor.Actor,
  minutes: { readonly regionIds: ReadonlyArray<string>; readonly visibility: Visibility }
): boolean =>
  minutes.regionIds.some((regionId) => mayFind(actor, { regionId: regionId as RegionId, visibility: minutes.visibility }))

/** Input of {@link NetworkService.searchMinutes}. @category inputs */
export const SearchMinutes = Schema.Struct({
  /** Words that must all occur in the session's title or the minutes (any case, accents ignored). */
  text: Schema.optional(Schema.String.pipe(Schema.maxLength(500))),
  /** A theme: its id, or words of its title (the session's theme). */
  theme: Schema.optional(Schema.String.pipe(Schema.maxLength(200))),
  regionId: Schema.optional(RegionId),
  ...searchPage
})

/** Published minutes found by the network search. @category models */
export interface MinutesHit {
  readonly sessionId: SessionId
  readonly programmeIds: ReadonlyArray<ProgrammeId>
  readonly regionIds: ReadonlyArray<RegionId>
  readonly regionNames: ReadonlyArray<string>
  /** The session's title. */
  readonly title: string
  /** When the session was held, when known. */
  readonly start: Date | undefined
  readonly theme: string | undefined
  readonly text: string
  readonly visibility: Visibility
  readonly publishedAt: Date | undefined
  /** Higher is better: a word in the title counts more than one in the minutes. */
  readonly score: number
}

/**
 * Searches the published minutes of sessions by theme and text, best first (then newest first). A
 * pure function of the sessions and the programmes (for theme titles and region names); the
 * caller passes only the sessions the actor may read ({@link mayReadMinutes}).
 *
 * @category rules
 */
export const searchMinutes = (
  sessions: ReadonlyArray<Session>,
  programmes: ReadonlyArray<Programme>,
  query: { readonly text?: string | undefined; readonly theme?: string | undefined; readonly regionId?: string | undefined }
): ReadonlyArray<MinutesHit> => {
  const byId = new Map(programmes.map((p) => [p.id as string, p]))
  const words = query.text === undefined ? [] : fold(query.text).split(" ").filter((w) => w.length > 0)
  const theme = query.theme === undefined ? undefined : fold(query.theme)
  const hits: Array<MinutesHit> = []
  for (const s of sessions) {
    const minutes = s.minutes
    if (minutes === undefined || minutes.state !== "Published") continue
    if (query.regionId !== undefined && !s.regionIds.includes(query.regionId as RegionId)) continue
    const owners = s.programmeIds.map((id) => byId.get(id)).filter((p): p is Programme => p !== undefined)
    const themeTitle = s.themeId === undefined
      ? undefined
      : owners.flatMap((p) => p.themes).find((t) => t.id === s.themeId)?.title
    if (theme !== undefined && theme !== "") {
      const matches = (s.themeId !== undefined && fold(s.themeId) === theme) ||
        (themeTitle !== undefined && fold(themeTitle).includes(theme))
      if (!matches) continue
    }
    const title = fold(s.title)
    const body = fold([minutes.text, themeTitle ?? ""].join(" "))
    let score = 0
    let all = true
    for (const w of words) {
      const inTitle = title.includes(w)
      if (!inTitle && !body.includes(w)) {
        all = false
        break
      }
      score += inTitle ? 3 : 1
    }
    if (!all) continue
    hits.push({
      sessionId: s.id,
      programmeIds: s.programmeIds,
      regionIds: s.regionIds,
      regionNames: s.regionIds.map((r) => owners.find((p) => p.region.id === r)?.region.name ?? r),
      title: s.title,
      start: s.start,
      theme: themeTitle,
      text: minutes.text,
      visibility: minutes.visibility,
      publishedAt: minutes.publishedAt,
      score
    })
  }
  const time = (h: MinutesHit) => (h.publishedAt ?? h.start)?.getTime() ?? 0
  return hits.sort((a, b) => b.score - a.score || time(b) - time(a) || (a.sessionId < b.sessionId ? -1 : 1))
}

// ---------------------------------------------------------------------------------------------
// The service
// ---------------------------------------------------------------------------------------------

/** Input of {@link NetworkService.overview}. @category inputs */
export const Overview = Schema.Struct({
  /** How many regions must share a theme for it to count as shared (default 2). */
  minRegions: Schema.optionalWith(Schema.Int.pipe(Schema.between(2, 1000)), { default: () => 2 })
})

/** The network service. Every method runs as the {@link Actor.CurrentActor}. @category services */
export interface NetworkService {
  /**
   * Every region's stage, attendance, agreement completion, and the themes regions share. Coordinator only.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Network } from "@copkit/core"
   *
   * const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_marieke-jansen" })
   *
   * const program = Effect.gen(function*() {
   *   const network = yield* Network.Network
   *   const overview = yield* network.overview({ minRegions: 2 })
   *   for (const region of overview.regions) console.log(region)
   *   console.log(overview.sharedThemes)
   * }).pipe(Actor.as(coordinator))
   * ```
   */
  readonly overview: (input?: typeof Overview.Encoded) => Effect.Effect<NetworkOverview, CommandError, Actor.CurrentActor>
  /**
   * Searches the insights and practice examples the actor may see, by theme and text.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Network } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const network = yield* Network.Network
   *   const hits = yield* network.search({ text: "energiehub", kind: "PracticeExample", limit: 10 })
   *   for (const hit of hits) console.log(hit.regionName, hit.insight.title, hit.themes)
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly search: (input?: typeof Search.Encoded) => Effect.Effect<ReadonlyArray<SearchHit>, CommandError, Actor.CurrentActor>
  /**
   * Searches the published minutes the actor may read, by theme and text: by each one's
   * visibility ({@link mayReadMinutes}), as the insights.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Actor, Network } from "@copkit/core"
   *
   * const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_jan-bakker", regionId: "twente" })
   *
   * const program = Effect.gen(function*() {
   *   const network = yield* Network.Network
   *   const hits = yield* network.searchMinutes({ text: "energiehub", limit: 10 })
   *   for (const hit of hits) console.log(hit.regionNames, hit.title, hit.publishedAt)
   * }).pipe(Actor.as(keyPerson))
   * ```
   */
  readonly searchMinutes: (input?: typeof SearchMinutes.Encoded) => Effect.Effect<ReadonlyArray<MinutesHit>, CommandError, Actor.CurrentActor>
}

/** The network service tag. @category services */
export class Network extends Context.Tag("@copkit/core/Network")<Network, NetworkService>() {}

/** The ports the network service needs. @category models */
export type Dependencies =
  | ProgrammeRepository
  | SessionRepository
  | InsightRepository
  | EvaluationRepository
  | MeasureRepository
  | Summaries
  | Command.Ports

/** Builds the network service from its ports. @category constructors */
export const make: Effect.Effect<NetworkService, never, Dependencies> = Effect.gen(function*() {
  const programmes = yield* ProgrammeRepository
  const sessions = yield* SessionRepository
  const insights = yield* InsightRepository
  const summaries = yield* Summaries
  const evaluations = yield* EvaluationRepository
  const measures = yield* MeasureRepository
  const method = yield* Command.methods<Dependencies>("Network")
  const values = <A>(l: ReadonlyArray<{ readonly value: A }>) => l.map((v) => v.value)
  /** The hits in the order of the index's ids (the rule, run on the page, gives each its score and names). */
  const inOrder = <H>(ids: ReadonlyArray<string>, hits: ReadonlyArray<H>, idOf: (h: H) => string): ReadonlyArray<H> => {
    const byId = new Map(hits.map((h) => [idOf(h), h]))
    return ids.flatMap((id) => {
      const hit = byId.get(id)
      return hit === undefined ? [] : [hit]
    })
  }

  const decodeOverview = decode(Overview)
  const overviewOf = (raw: unknown = {}) =>
    Effect.gen(function*() {
      const input = yield* decodeOverview(raw)
      yield* Permissions.authorizeAny("network.overview")
      // the programmes, applications, sessions and agreements by their narrow reads: none is read whole
      return fromSummaries(
        {
          applications: yield* summaries.applications(),
          programmes: yield* summaries.programmes(),
          sessions: yield* summaries.sessions({ state: ["Scheduled", "Invited", "Held"] }),
          agreements: yield* summaries.agreements(),
          now: yield* Command.now,
          evaluations: values(yield* evaluations.list({ state: "Answered" })),
          measures: values(yield* measures.list()),
          evaluationSettings: (yield* Settings).evaluation
        },
        input.minRegions
      )
    })

  const decodeSearch = decode(Search)
  const searchOf = (raw: unknown = {}) =>
    Effect.gen(function*() {
      const input = yield* decodeSearch(raw)
      const actor = yield* Permissions.authorizeAny("network.search")
      const regionId = input.regionId
      const index = yield* Effect.serviceOption(SearchIndex.SearchIndex)
      const words = SearchIndex.wordsOf(input.text)
      const theme = input.theme === undefined ? undefined : fold(input.theme)
      if (Option.isSome(index) && SearchIndex.storable(words, theme)) {
        // the store's full-text index: the page's ids, in the rule's order; then only those are read
        const ids = yield* index.value.insights({
          words,
          theme,
          kind: input.kind,
          regionId,
          access: accessOf(actor),
          limit: input.limit,
          offset: input.offset
        })
        if (ids.length === 0) return []
        const page = values(yield* insights.list({ ids }))
        const owners = values(yield* programmes.list({ ids: [...new Set(page.map((i) => i.programmeId as string))] }))
        return inOrder(ids, search(page, owners, { ...input, regionId }), (h) => h.insight.id)
      }
      const found = values(yield* insights.list({ regionId })).filter((i) => mayFind(actor, i))
      const hits = search(found, values(yield* programmes.list({ regionId })), { ...input, regionId })
      return hits.slice(input.offset, input.offset + input.limit)
    })

  const decodeSearchMinutes = decode(SearchMinutes)
  const searchMinutesOf = (raw: unknown = {}) =>
    Effect.gen(function*() {
      const input = yield* decodeSearchMinutes(raw)
      const actor = yield* Permissions.authorizeAny("network.search")
      const index = yield* Effect.serviceOption(SearchIndex.SearchIndex)
      const words = SearchIndex.wordsOf(input.text)
      const theme = input.theme === undefined ? undefined : fold(input.theme)
      if (Option.isSome(index) && SearchIndex.storable(words, theme)) {
        const ids = yield* index.value.minutes({
          words,
          theme,
          regionId: input.regionId,
          access: accessOf(actor),
          limit: input.limit,
          offset: input.offset
        })
        if (ids.length === 0) return []
        const page = values(yield* sessions.list({ ids }))
        const owners = values(yield* programmes.list({ ids: [...new Set(page.flatMap((s) => s.programmeIds as ReadonlyArray<string>))] }))
        return inOrder(ids, searchMinutes(page, owners, input), (h) => h.sessionId)
      }
      // a region asked for: only its sessions are read (the programmes, for every region's name)
      const held = yield* sessions.list({ state: "Held", ...(input.regionId === undefined ? {} : { regionId: input.regionId }) })
      const readable = values(held).filter((s) =>
        s.minutes?.state === "Published" && mayReadMinutes(actor, { regionIds: s.regionIds, visibility: s.minutes.visibility })
      )
      const hits = searchMinutes(readable, values(yield* programmes.list()), input)
      return hits.slice(input.offset, input.offset + input.limit)
    })

  return Network.of({
    overview: method("overview", overviewOf),
    search: method("search", searchOf),
    searchMinutes: method("searchMinutes", searchMinutesOf)
  })
})

/** The network service, built from the ports in the context. @category layers */
export const layer: Layer.Layer<Network, never, Dependencies> = Layer.effect(Network, make)
