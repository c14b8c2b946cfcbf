/**
 * The tasks of a programme's plan: each session's checklist (venue, catering, inviting for the
 * region; content and guest experts for the coordinator) made real. A task is assigned to a person,
 * ticked off (who, when) and reopened; its deadline is `dueDaysBefore` whole days before its
 * session's start (in the session's time zone); the assignee is reminded before the deadline and
 * when it has passed, each once. Pure rules and the notifications of their events; the
 * `Programmes` service loads and commits.
 *
 * @since 0.2.0
 */
import { Effect, Either, Option } from "effect"
import { DateTime } from "luxon"
import type { Transitioned } from "./Command.js"
import type { Email, Line } from "./Common.js"
import { InvalidTransition, RuleViolation } from "./Errors.js"
import type { DomainEvent, RecordedEvent } from "./Events.js"
import type { PersonId, PlanItemId } from "./Ids.js"
import type { Handler } from "./Notification.js"
import { Notification, Recipient } from "./Notification.js"
import type { Person } from "./Person.js"
import { ChecklistTask, PlanItem, Programme } from "./ProgrammeModel.js"
import { ProgrammeRepository, SessionRepository } from "./Repository.js"
import type { Session } from "./Session.js"
import { Settings } from "./Settings.js"

export {
  /** The default: a reminder 3 days before the deadline. @category constants */
  defaultTaskSettings,
  /** When tasks remind their assignee (the `tasks` part of `Settings`). @category models */
  type TaskSettings
} from "./internal/taskSettings.js"
import type { TaskSettings } from "./internal/taskSettings.js"

/** Where a task is in a programme: its plan item and its key. @category models */
export interface TaskRef {
  readonly planItemId: string
  readonly taskKey: string
}

/** A task with where it is and when it is due. @category models */
export interface TaskView extends TaskRef {
  readonly task: ChecklistTask
  readonly sessionTitle?: string | undefined
  /** `dueDaysBefore` days before the session's start; none while the session has no date. */
  readonly deadline?: Date | undefined
  readonly overdue: boolean
}

/** The deadline of a task: whole days before its session's start, in the session's time zone. @category rules */
export const deadlineOf = (task: Pick<ChecklistTask, "dueDaysBefore">, session: Pick<Session, "start" | "timeZone"> | undefined): Date | undefined =>
  session?.start === undefined
    ? undefined
    : DateTime.fromJSDate(session.start, { zone: session.timeZone }).minus({ days: task.dueDaysBefore }).toJSDate()

/** Every task of a programme, with its deadline (sessions by id), in plan order. @category rules */
export const tasksOf = (
  programme: Programme,
  sessions: ReadonlyMap<string, Session>,
  now: Date
): ReadonlyArray<TaskView> =>
  programme.plan.flatMap((item) => {
    const session = item.sessionId === undefined ? undefined : sessions.get(item.sessionId)
    const live = session !== undefined && session.state !== "Cancelled" ? session : undefined
    return item.checklist.map((task): TaskView => {
      const deadline = deadlineOf(task, live)
      return {
        planItemId: item.id,
        taskKey: task.key,
        task,
        ...(live === undefined ? {} : { sessionTitle: live.title }),
        ...(deadline === undefined ? {} : { deadline }),
        overdue: !task.done && deadline !== undefined && deadline.getTime() < now.getTime()
      }
    })
  })

const find = (programme: Programme, ref: TaskRef): Either.Either<{ readonly item: PlanItem; readonly task: ChecklistTask }, RuleViolation> => {
  const item = programme.plan.find((i) => i.id === ref.planItemId)
  const task = item?.checklist.find((t) => t.key === ref.taskKey)
  return item === undefined || task === undefined
    ? Either.left(new RuleViolation({ rule: "task-known", message: `The plan has no task ${ref.taskKey} in item ${ref.planItemId}.`, details: [] }))
    : Either.right({ item, task })
}

/** The programme with one task replaced. */
const withTask = (programme: Programme, ref: TaskRef, task: ChecklistTask, now: Date): Programme =>
  new Programme({
    ...programme,
    plan: programme.plan.map((item) =>
      item.id !== ref.planItemId
        ? item
        : new PlanItem({ ...item, checklist: item.checklist.map((t) => (t.key === ref.taskKey ? task : t)) })
    ),
    updatedAt: now
  }, { disableValidation: true })

const rebuildTask = (task: ChecklistTask, fields: Partial<ConstructorParameters<typeof ChecklistTask>[0]>): ChecklistTask => {
  const next = { ...task, ...fields }
  for (const k of Object.keys(next) as Array<keyof typeof next>) if (next[k] === undefined) delete next[k]
  return new ChecklistTask(next)
}

const open = (programme: Programme, to: string): Either.Either<void, InvalidTransition> =>
  ["CoDesign", "Planned", "Running"].includes(programme.state)
    ? Either.void
    : Either.left(new InvalidTransition({
      entity: "Programme",
      id: programme.id,
      from: programme.state,
      to,
      reason: "tasks change while the programme is in co-design, planned or running"
    }))

/** Assigns a task to a person (again: to another). Event `TaskAssigned`. @category deciders */
export const assign = (
  programme: Programme,
  ref: TaskRef,
  assignee: Person,
  now: Date
): Either.Either<Transitioned<Programme>, InvalidTransition | RuleViolation> =>
  Either.flatMap(open(programme, "Task.Assigned"), () =>
    Either.map(find(programme, ref), ({ task }) => ({
      value: withTask(programme, ref, rebuildTask(task, { assignee, reminders: [] }), now),
      events: [{
        _tag: "TaskAssigned",
        programmeId: programme.id,
        planItemId: ref.planItemId as PlanItemId,
        taskKey: ref.taskKey,
        personId: assignee.id
      }]
    })))

/** Ticks a task off (who, when); a done task is refused. Event `TaskCompleted`. @category deciders */
export const complete = (
  programme: Programme,
  ref: TaskRef,
  by: PersonId,
  now: Date
): Either.Either<Transitioned<Programme>, InvalidTransition | RuleViolation> =>
  Either.flatMap(open(programme, "Task.Completed"), () =>
    Either.flatMap(find(programme, ref), ({ task }) =>
      task.done
        ? Either.left(new InvalidTransition({ entity: "Task", id: ref.taskKey, from: "Done", to: "Done", reason: "the task is done already" }))
        : Either.right({
          value: withTask(programme, ref, rebuildTask(task, { done: true, completedBy: by, completedAt: now }), now),
          events: [{ _tag: "TaskCompleted", programmeId: programme.id, planItemId: ref.planItemId as PlanItemId, taskKey: ref.taskKey, by }]
        })))

/** Opens a done task again; its reminders may come again. Event `TaskReopened`. @category deciders */
export const reopen = (
  programme: Programme,
  ref: TaskRef,
  now: Date
): Either.Either<Transitioned<Programme>, InvalidTransition | RuleViolation> =>
  Either.flatMap(open(programme, "Task.Reopened"), () =>
    Either.flatMap(find(programme, ref), ({ task }) =>
      !task.done
        ? Either.left(new InvalidTransition({ entity: "Task", id: ref.taskKey, from: "Open", to: "Open", reason: "the task is open" }))
        : Either.right({
          value: withTask(programme, ref, rebuildTask(task, { done: false, completedBy: undefined, completedAt: undefined, reminders: [] }), now),
          events: [{ _tag: "TaskReopened", programmeId: programme.id, planItemId: ref.planItemId as PlanItemId, taskKey: ref.taskKey }]
        })))

/**
 * The reminders due at `now`, each once per task: `DueSoon` from `remindDaysBefore` days before the
 * deadline, `Overdue` once it has passed (an overdue task not yet reminded gets only `Overdue`).
 * Only open, assigned tasks of a programme that is planned or running. Events `TaskDueSoon` and
 * `TaskOverdue`; `undefined` when none is due.
 *
 * @category deciders
 */
export const remind = (
  programme: Programme,
  sessions: ReadonlyMap<string, Session>,
  settings: TaskSettings,
  now: Date
): Transitioned<Programme> | undefined => {
  if (programme.state !== "Planned" && programme.state !== "Running") return undefined
  let value = programme
  const events: Array<DomainEvent> = []
  for (const view of tasksOf(programme, sessions, now)) {
    const { task, deadline } = view
    if (task.done || task.assignee === undefined || deadline === undefined) continue
    const overdue = deadline.getTime() < now.getTime()
    const soon = !overdue && deadline.getTime() - settings.remindDaysBefore * 86_400_000 <= now.getTime()
    const kind = overdue ? "Overdue" as const : soon ? "DueSoon" as const : undefined
    if (kind === undefined || task.reminders.includes(kind)) continue
    // overdue before anyone was reminded: only the overdue reminder
    const marks = overdue && !task.reminders.includes("DueSoon") ? ["DueSoon", "Overdue"] as const : [kind]
    value = withTask(value, view, rebuildTask(task, { reminders: [...task.reminders, ...marks] }), now)
    events.push({
      _tag: overdue ? "TaskOverdue" : "TaskDueSoon",
      programmeId: programme.id,
      planItemId: view.planItemId as PlanItemId,
      taskKey: view.taskKey,
      personId: task.assignee.id,
      deadline
    })
  }
  return events.length === 0 ? undefined : { value, events }
}

/** Open and overdue tasks of a programme, for the report and the overview. @category rules */
export const counts = (
  programme: {
    readonly plan: ReadonlyArray<{
      readonly sessionId?: PlanItem["sessionId"]
      readonly checklist: ReadonlyArray<Pick<ChecklistTask, "dueDaysBefore" | "done">>
    }>
  },
  sessions: ReadonlyMap<string, Pick<Session, "state" | "start" | "timeZone">>,
  now: Date
): { readonly total: number; readonly done: number; readonly open: number; readonly overdue: number } => {
  // as tasksOf counts them, without the views (a done task is never overdue: no deadline needed)
  let total = 0
  let done = 0
  let overdue = 0
  for (const item of programme.plan) {
    const session = item.sessionId === undefined ? undefined : sessions.get(item.sessionId)
    const live = session !== undefined && session.state !== "Cancelled" ? session : undefined
    for (const task of item.checklist) {
      total++
      if (task.done) {
        done++
        continue
      }
      const deadline = deadlineOf(task, live)
      if (deadline !== undefined && deadline.getTime() < now.getTime()) overdue++
    }
  }
  return { total, done, open: total - done, overdue }
}

/**
 * `TaskDueSoon` → `TaskDue`, `TaskOverdue` → `TaskOverdue`, to the assignee (when the task is
 * still open and theirs). `None` for any other event.
 *
 * @category notifications
 */
export const forTaskEvent: Handler<ProgrammeRepository | SessionRepository> = (event: RecordedEvent) =>
  Effect.gen(function*() {
    const e = event.event
    if (e._tag !== "TaskDueSoon" && e._tag !== "TaskOverdue") return Option.none()
    const found = yield* Effect.flatMap(ProgrammeRepository, (r) => r.find(e.programmeId))
    if (Option.isNone(found)) return Option.some([])
    const programme = found.value.value
    const item = programme.plan.find((i) => i.id === e.planItemId)
    const task = item?.checklist.find((t) => t.key === e.taskKey)
    const person = task?.assignee
    if (task === undefined || task.done || person === undefined || person.id !== e.personId || person.email === undefined) {
      return Option.some([])
    }
    const session = item?.sessionId === undefined
      ? undefined
      : Option.getOrUndefined(yield* Effect.flatMap(SessionRepository, (r) => r.find(item.sessionId!)))?.value
    const sender = (yield* Settings).sessions.organizer
    return Option.some([
      new Notification({
        kind: e._tag === "TaskOverdue" ? "TaskOverdue" : "TaskDue",
        eventId: event.id,
        recipient: new Recipient({ personId: person.id, name: person.name, email: person.email, language: person.language }),
        programmeName: programme.region.name,
        organizer: { name: sender.name as typeof Line.Type, email: sender.email as Email },
        task: {
          title: task.title,
          deadline: e.deadline,
          timeZone: session?.timeZone ?? "Europe/Amsterdam",
          ...(session === undefined ? {} : { sessionTitle: session.title })
        }
      })
    ])
  })
