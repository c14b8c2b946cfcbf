/** Part of the sessions service (see `Sessions.make`): not API. */
import { Clock, Effect, Option } from "effect"
import { DateTime } from "luxon"
import { CalendarImportLimitError } from "../Calendar.js"
import type { CalendarImportSettings } from "../Calendar.js"
import * as Command from "../Command.js"
import { RuleViolation } from "../Errors.js"
import * as Events from "../Events.js"
import { SessionId } from "../Ids.js"
import * as Permissions from "../Permissions.js"
import * as Planner from "../Planner.js"
import { PlanItem, Programme } from "../Programme.js"
import * as Session from "../Session.js"
import { Settings } from "../Settings.js"
import { decode, invalid } from "../Validation.js"
import {
  CreateCrossRegional,
  PlanSessions,
  ProgrammeRef,
} from "../Sessions.js"
import * as ProgrammeLife from "../Programme.js"
import type { SessionsContext } from "./sessionsContext.js"
import { programmeScope, titleOf } from "./sessionsContext.js"

const totalWords = {
  bytes: (max: number) => `the calendar feeds are larger than ${max} bytes together`,
  occurrences: (max: number) => `the calendar feeds need more than ${max} occurrences together`,
  time: (max: number) => `the calendar feeds could not be read within ${max} ms together`
} as const

/** A bound on all the feeds of one call passed (`Settings.calendarImport`'s totals); quotes no input. */
const totalLimit = (limit: "bytes" | "occurrences" | "time", max: number) =>
  new CalendarImportLimitError({ limit, max, message: totalWords[limit](max) })

/** Whether the texts take more than `max` bytes in UTF-8 together (counted only as far as needed). */
const exceedsUtf8 = (texts: ReadonlyArray<string>, max: number): boolean => {
  // UTF-8 never takes fewer bytes than UTF-16 code units: the lengths are a cheap first check.
  let units = 0
  for (const text of texts) units += text.length
  if (units > max) return true
  let bytes = 0
  for (const text of texts) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c < 0x80) bytes += 1
      else if (c < 0x800) bytes += 2
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        bytes += 4
        i++
      } else bytes += 3
    }
    if (bytes > max) return true
  }
  return false
}

/** Builds this part's methods from the shared ports. */
export const build = (context: SessionsContext) => {
  const { sessions, programmes, ids, importer } = context
  // --- planning and creation ------------------------------------------------------------------

  const approved = (programme: Programme) =>
    ProgrammeLife.planApprovedStates.includes(programme.state)
      ? Effect.void
      : Effect.fail(new RuleViolation({
        rule: "plan-approved",
        message: `The programme's plan is not approved (the programme is ${programme.state}).`,
        details: []
      }))

  const decodePlan = decode(PlanSessions)
  const plan = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodePlan(raw)
      yield* Permissions.authorizeAny("session.plan")
      const found = yield* Command.read("session.plan", programmes, input.programmeId, programmeScope)
      const programme = found.value
      yield* approved(programme)
      if (programme.plan.length === 0) {
        return yield* Effect.fail(new RuleViolation({ rule: "plan-not-empty", message: "The programme's plan has no sessions.", details: [] }))
      }
      const { feeds, programmeId: _, ...constraints } = input
      // sessions already scheduled stay where they are; cancelled ones and those before `from` are left out
      const existing = new Map((yield* sessions.list({ programmeId: programme.id })).map(({ value }) => [value.id, value]))
      const settings = yield* Settings
      const gapWeeks = constraints.maxGapWeeks ?? settings.planner.maxGapWeeks
      const lastDay = constraints.until ??
        DateTime.fromISO(constraints.from, { zone: "UTC" }).plus({ weeks: programme.plan.length * gapWeeks }).toISODate()!
      const items = programme.plan.flatMap((item) => {
        const session = item.sessionId === undefined ? undefined : existing.get(item.sessionId)
        const base = { key: item.id, role: item.role, durationMinutes: item.durationMinutes }
        if (session === undefined || session.state === "Draft") return [base]
        if (session.state === "Cancelled" || session.start === undefined || session.end === undefined) return []
        const day = DateTime.fromJSDate(session.start, { zone: session.timeZone }).toISODate()!
        if (day < constraints.from || day > lastDay) return []
        return [{ ...base, fixed: { start: session.start, end: session.end } }]
      })
      if (items.length === 0) {
        return yield* Effect.fail(new RuleViolation({ rule: "plan-not-empty", message: "No session of the plan is left to plan.", details: [] }))
      }
      const [first, ...rest] = items
      const imported: Array<Planner.BusyInput> = []
      if (feeds.length > 0) {
        if (Option.isNone(importer)) {
          return yield* Effect.fail(invalid("feeds", "calendarImporter", "cannot be read: no CalendarImporter is provided"))
        }
        const from = new Date(`${constraints.from}T00:00:00Z`)
        const until = constraints.until === undefined
          ? new Date(from.getTime() + (programme.plan.length * gapWeeks * 7 + 1) * 86_400_000)
          : new Date(new Date(`${constraints.until}T00:00:00Z`).getTime() + 2 * 86_400_000)
        const bounds = settings.calendarImport
        // all the feeds of this call together: bytes before any is read, then occurrences and time
        if (exceedsUtf8(feeds, bounds.maxTotalBytes)) return yield* Effect.fail(totalLimit("bytes", bounds.maxTotalBytes))
        const started = yield* Clock.currentTimeMillis
        for (const [i, ics] of feeds.entries()) {
          const spent = (yield* Clock.currentTimeMillis) - started
          if (spent >= bounds.totalTimeBudgetMillis) return yield* Effect.fail(totalLimit("time", bounds.totalTimeBudgetMillis))
          // this feed may use at most what the feeds before it left
          const feedBounds: CalendarImportSettings = {
            ...bounds,
            maxOccurrences: Math.max(0, Math.min(bounds.maxOccurrences, bounds.maxTotalOccurrences - imported.length)),
            timeBudgetMillis: Math.min(bounds.timeBudgetMillis, bounds.totalTimeBudgetMillis - spent)
          }
          const periods = yield* importer.value.busyPeriods(ics, { start: new Date(from.getTime() - 86_400_000), end: until }).pipe(
            Effect.provideService(Settings, { ...settings, calendarImport: feedBounds }),
            Effect.mapError((e) =>
              e._tag === "CalendarImportLimitError" && e.limit === "occurrences" && feedBounds.maxOccurrences < bounds.maxOccurrences
                ? totalLimit("occurrences", bounds.maxTotalOccurrences)
                : e._tag === "CalendarImportLimitError" && e.limit === "time" && feedBounds.timeBudgetMillis < bounds.timeBudgetMillis
                ? totalLimit("time", bounds.totalTimeBudgetMillis)
                : invalid(`feeds[${i}]`, "iCalendar", `${e.line === undefined ? "" : `line ${e.line}: `}${e.message}`)
            )
          )
          imported.push(...periods)
          // an importer that does not read the settings is held to the total all the same
          if (imported.length > bounds.maxTotalOccurrences) {
            return yield* Effect.fail(totalLimit("occurrences", bounds.maxTotalOccurrences))
          }
        }
        if ((yield* Clock.currentTimeMillis) - started > bounds.totalTimeBudgetMillis) {
          return yield* Effect.fail(totalLimit("time", bounds.totalTimeBudgetMillis))
        }
      }
      return yield* Planner.plan({
        ...constraints,
        busy: imported.length === 0 ? constraints.busy : [...constraints.busy, ...imported],
        schoolHolidayZone: constraints.schoolHolidayZone ?? programme.region.schoolHolidayZone,
        sessions: [first!, ...rest]
      }, settings.planner)
    })

  const decodeProgrammeRef = decode(ProgrammeRef)
  const createFromPlan = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeProgrammeRef(raw)
      yield* Permissions.authorizeAny("session.manage")
      const found = yield* Command.read("session.manage", programmes, input.programmeId, programmeScope)
      const programme = found.value
      yield* approved(programme)
      const at = yield* Command.now
      const created: Array<Session.Session> = []
      const plan: Array<PlanItem> = []
      for (const [index, item] of programme.plan.entries()) {
        if (item.sessionId !== undefined) {
          plan.push(item)
          continue
        }
        const session = new Session.Session({
          id: (yield* ids.next("session")) as SessionId,
          programmeIds: [programme.id],
          regionIds: [programme.regionId],
          planItemId: item.id,
          title: titleOf(programme, item, index),
          ...(item.themeId === undefined ? {} : { themeId: item.themeId }),
          goal: item.goal,
          workForms: item.workForms,
          agenda: item.agenda,
          ...(item.host === undefined ? {} : { host: item.host }),
          state: "Draft",
          sequence: 0,
          invitations: [],
          attendance: [],
          role: item.role,
          remindersSent: [],
          createdAt: at,
          updatedAt: at
        })
        created.push(session)
        plan.push(new PlanItem({ ...item, sessionId: session.id }))
      }
      if (created.length === 0) return []
      yield* Command.commit([
        Command.change(programmes, new Programme({ ...programme, plan, updatedAt: at }), found.version, [
          Events.PlanSessionsCreated.make({ programmeId: programme.id, sessionIds: created.map((s) => s.id) })
        ]),
        ...created.map((s) =>
          Command.change(sessions, s, 0, [
            Events.SessionCreated.make({ sessionId: s.id, programmeIds: s.programmeIds, planItemId: s.planItemId })
          ])
        )
      ])
      return created
    })

  const decodeCross = decode(CreateCrossRegional)
  const createCrossRegional = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeCross(raw)
      yield* Permissions.authorizeAny("session.createCrossRegional")
      const found = yield* Effect.forEach([...new Set(input.programmeIds)], (id) =>
        Command.read("session.createCrossRegional", programmes, id, programmeScope))
      if (found.length < 2) {
        return yield* Effect.fail(new RuleViolation({
          rule: "several-programmes",
          message: "A cross-regional session belongs to at least two different programmes.",
          details: []
        }))
      }
      for (const p of found) yield* approved(p.value)
      const at = yield* Command.now
      const programmeIds = found.map((p) => p.value.id)
      const regionIds = [...new Set(found.map((p) => p.value.regionId))]
      const session = new Session.Session({
        id: (yield* ids.next("session")) as SessionId,
        programmeIds: [programmeIds[0]!, ...programmeIds.slice(1)],
        regionIds: [regionIds[0]!, ...regionIds.slice(1)],
        title: input.title,
        ...(input.themeId === undefined ? {} : { themeId: input.themeId }),
        ...(input.goal === undefined ? {} : { goal: input.goal }),
        workForms: input.workForms,
        agenda: input.agenda,
        state: "Draft",
        sequence: 0,
        invitations: [],
        attendance: [],
        role: "Regular",
        remindersSent: [],
        createdAt: at,
        updatedAt: at
      })
      yield* Command.commit([
        Command.change(sessions, session, 0, [Events.SessionCreated.make({ sessionId: session.id, programmeIds: session.programmeIds })])
      ])
      return session
    })

  return { plan, createFromPlan, createCrossRegional }
}
