/**
 * Validation of a programme's session plan: a list of named checks, each with a clear message, the
 * setting that governs it and whether it blocks the plan's approval. Every check runs; the result
 * lists every failed check, not just the first.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import type { PlanItemId } from "./Ids.js"
import type { PlanItem, Programme } from "./ProgrammeModel.js"
import { TaskOwner } from "./ProgrammeModel.js"
import type { LearningKind } from "./WorkForm.js"
import { learningKindOf, LearningKind as LearningKindSchema } from "./WorkForm.js"

/** The names of the plan checks. @category models */
export const PlanCheckName = Schema.Literal(
  "minimum-sessions",
  "kick-off-first",
  "closing-last",
  "administrators-invited",
  "work-forms",
  "learning-mix",
  "agenda-fits",
  "tasks-owned",
  "themes-known",
  "theme-per-session",
  "goals-set"
)
/** @category models */
export type PlanCheckName = typeof PlanCheckName.Type

/** Every plan check, in the order they run. @category constants */
export const planCheckNames: ReadonlyArray<PlanCheckName> = PlanCheckName.literals

/** The outcome of one check. @category models */
export interface PlanCheck {
  readonly name: PlanCheckName
  readonly passed: boolean
  /** Whether a failure blocks approval (setting `coDesign.blockingChecks`). */
  readonly blocking: boolean
  /** What the check asks for, in one sentence; `findings` say what is wrong. */
  readonly message: string
  /** The settings that govern the check, as `coDesign.minWorkFormsPerSession`. */
  readonly settings: ReadonlyArray<string>
  /** One line per offending session or item. */
  readonly findings: ReadonlyArray<string>
  /** The plan items the findings concern. */
  readonly planItemIds: ReadonlyArray<PlanItemId>
}

/** The result of validating a plan. @category models */
export interface PlanValidation {
  /** True when no blocking check failed. */
  readonly valid: boolean
  /** Every check, passed or not. */
  readonly checks: ReadonlyArray<PlanCheck>
  /** The checks that failed, blocking or not. */
  readonly failed: ReadonlyArray<PlanCheck>
  /** The failed checks that block approval. */
  readonly blocking: ReadonlyArray<PlanCheck>
  /** How often each kind of learning occurs over the plan (work forms of sessions and agenda items). */
  readonly learningMix: Readonly<Record<LearningKind, number>>
}

/** How often each kind of learning occurs in the plan, from the sessions' and agenda items' work forms. @category rules */
export const learningMix = (plan: ReadonlyArray<PlanItem>): Readonly<Record<LearningKind, number>> => {
  const mix = Object.fromEntries(LearningKindSchema.literals.map((k) => [k, 0])) as Record<LearningKind, number>
  for (const item of plan) {
    const forms = new Set([...item.workForms, ...item.agenda.flatMap((a) => (a.workForm === undefined ? [] : [a.workForm]))])
    for (const form of forms) mix[learningKindOf[form]] += 1
  }
  return mix
}

/** The total minutes of a session's agenda. @category rules */
export const agendaMinutes = (item: PlanItem): number => item.agenda.reduce((sum, a) => sum + a.minutes, 0)

const label = (item: PlanItem, index: number): string => `session ${index + 1} (${item.id})`

const owners: ReadonlyArray<string> = TaskOwner.literals

interface Outcome {
  readonly failed: ReadonlyArray<{ readonly item?: PlanItem; readonly finding: string }>
  readonly message: string
}

/**
 * The settings the plan checks read: the thresholds of each check and which checks block approval.
 * Part of the co-design settings (`Settings.coDesign`).
 *
 * @category models
 */
export interface PlanCheckSettings {
  /** The fewest sessions of a plan (default 2: the kick-off and the closing). */
  readonly minSessions: number
  /** The fewest work forms per session (default 1). */
  readonly minWorkFormsPerSession: number
  /** The kinds of learning the plan must mix (default all three). */
  readonly requiredLearningKinds: ReadonlyArray<LearningKind>
  /** Whether administrators must be invited to the first and the last session (default true). */
  readonly administratorsAtKickOffAndClosing: boolean
  /** The checklist tasks every session must have, by key. */
  readonly requiredTaskKeys: ReadonlyArray<string>
  /** The plan checks whose failure blocks approval; the others only warn. */
  readonly blockingChecks: ReadonlyArray<PlanCheckName>
}

/**
 * Validates a programme's plan against the co-design settings. A pure function: every check runs
 * and reports, whether or not another failed.
 *
 * @category rules
 */
export const validate = (programme: Programme, settings: PlanCheckSettings): PlanValidation => {
  const plan = programme.plan
  const first = plan[0]
  const last = plan.at(-1)
  const liveThemes = new Set(programme.themes.filter((t) => !t.withdrawn).map((t) => t.id))
  const allThemes = new Map(programme.themes.map((t) => [t.id, t] as const))
  const mix = learningMix(plan)

  const run = (name: PlanCheckName, settingNames: ReadonlyArray<string>, outcome: Outcome): PlanCheck => {
    const items = outcome.failed.flatMap((f) => (f.item === undefined ? [] : [f.item.id]))
    return {
      name,
      passed: outcome.failed.length === 0,
      blocking: settings.blockingChecks.includes(name),
      message: outcome.message,
      settings: settingNames.map((s) => `coDesign.${s}`),
      findings: outcome.failed.map((f) => f.finding),
      planItemIds: [...new Set(items)]
    }
  }

  const perItem = (f: (item: PlanItem, index: number) => string | undefined) =>
    plan.flatMap((item, index) => {
      const finding = f(item, index)
      return finding === undefined ? [] : [{ item, finding }]
    })

  const checks: Array<PlanCheck> = [
    run("minimum-sessions", ["minSessions"], {
      message: `The plan needs at least ${settings.minSessions} session(s); it has ${plan.length}.`,
      failed: plan.length < settings.minSessions ? [{ finding: `${plan.length} of ${settings.minSessions} sessions planned` }] : []
    }),
    run("kick-off-first", [], {
      message: "The first session is the kick-off, and only the first.",
      failed: [
        ...(first === undefined || first.role !== "KickOff" ? [{ finding: "the first session is not the kick-off" as string, ...(first ? { item: first } : {}) }] : []),
        ...perItem((item, i) => (i > 0 && item.role === "KickOff" ? `${label(item, i)} is a kick-off but not the first session` : undefined))
      ]
    }),
    run("closing-last", [], {
      message: "The last session is the closing, and only the last.",
      failed: [
        ...(last === undefined || last.role !== "Closing" ? [{ finding: "the last session is not the closing" as string, ...(last ? { item: last } : {}) }] : []),
        ...perItem((item, i) => (i < plan.length - 1 && item.role === "Closing" ? `${label(item, i)} is a closing but not the last session` : undefined))
      ]
    }),
    run("administrators-invited", ["administratorsAtKickOffAndClosing"], {
      message: "Administrators take part in the kick-off and the closing: invite them to the first and the last session.",
      failed: settings.administratorsAtKickOffAndClosing
        ? perItem((item, i) =>
          (i === 0 || i === plan.length - 1) && !item.administratorsInvited
            ? `${label(item, i)}: administrators are not invited`
            : undefined)
        : []
    }),
    run("work-forms", ["minWorkFormsPerSession"], {
      message: `Every session has at least ${settings.minWorkFormsPerSession} work form(s).`,
      failed: perItem((item, i) =>
        item.workForms.length < settings.minWorkFormsPerSession
          ? `${label(item, i)} has ${item.workForms.length} work form(s)`
          : undefined)
    }),
    run("learning-mix", ["requiredLearningKinds"], {
      message: `The programme mixes the kinds of learning: ${settings.requiredLearningKinds.join(", ")}.`,
      failed: settings.requiredLearningKinds
        .filter((k) => mix[k] === 0)
        .map((k) => ({ finding: `no session serves ${k}` }))
    }),
    run("agenda-fits", [], {
      message: "Every session's agenda fits in the session's time.",
      failed: perItem((item, i) => {
        const total = agendaMinutes(item)
        return total > item.durationMinutes
          ? `${label(item, i)}: the agenda takes ${total} minutes, the session ${item.durationMinutes}`
          : undefined
      })
    }),
    run("tasks-owned", ["requiredTaskKeys"], {
      message: `Every preparation task has an owner, and every session's checklist covers ${settings.requiredTaskKeys.join(", ")}.`,
      failed: plan.flatMap((item, i) => [
        ...item.checklist
          .filter((t) => !owners.includes(t.owner))
          .map((t) => ({ item, finding: `${label(item, i)}: the task ${t.key} has no owner` })),
        ...settings.requiredTaskKeys
          .filter((key) => !item.checklist.some((t) => t.key === key))
          .map((key) => ({ item, finding: `${label(item, i)}: nobody is assigned the task ${key}` }))
      ])
    }),
    run("themes-known", [], {
      message: "Every session's theme is one of the programme's themes, not withdrawn.",
      failed: perItem((item, i) => {
        if (item.themeId === undefined || liveThemes.has(item.themeId)) return undefined
        return allThemes.has(item.themeId)
          ? `${label(item, i)}: the theme ${item.themeId} was withdrawn`
          : `${label(item, i)}: the theme ${item.themeId} is not a theme of the programme`
      })
    }),
    run("theme-per-session", [], {
      message: "Every regular session has a theme.",
      failed: perItem((item, i) => (item.role === "Regular" && item.themeId === undefined ? `${label(item, i)} has no theme` : undefined))
    }),
    run("goals-set", [], {
      message: "The goals are set beforehand: at least one intended result.",
      failed: programme.goals.intendedResults.length === 0 ? [{ finding: "no intended result is set (CoDesign.setGoals)" }] : []
    })
  ]
  const failed = checks.filter((c) => !c.passed)
  const blocking = failed.filter((c) => c.blocking)
  return { valid: blocking.length === 0, checks, failed, blocking, learningMix: mix }
}

/** The lines a refusal lists, one per failed blocking check: `name: finding; finding`. @category rules */
export const blockingDetails = (validation: PlanValidation): ReadonlyArray<string> =>
  validation.blocking.map((c) => `${c.name}: ${c.findings.length === 0 ? c.message : c.findings.join("; ")}`)
