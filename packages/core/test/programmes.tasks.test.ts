import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, TestClock } from "effect"
import { Actor, Calendar, PersonalData, Dispatcher, EventLog, Network, Notification, Programme, Programmes, Repository, Services, Sessions } from "@copkit/core"
import { Memory } from "@copkit/testing"
import { actors, coordinator, keyPerson, keyPersonTwente, people, regions, seedProgramme, system } from "./sessions.fixtures.js"

// The plan's tasks made real: assigned to a person, ticked off (who, when), reopened; the assignee
// reminded before the deadline and when it has passed, each once; open and overdue tasks in the
// report and the network overview.

const World = Layer.mergeAll(
  PersonalData.layer,
  Sessions.layer,
  Services.layerNotifications,
  Programmes.layer,
  Network.layer,
  Layer.succeed(Notification.MessageTemplates, {
    render: (n) => Effect.succeed({ subject: `${n.kind} ${n.task?.title ?? ""}`.trim(), text: "Hallo", html: "<p>Hallo</p>" })
  }),
  Layer.succeed(Calendar.CalendarRenderer, { invitation: () => Effect.succeed(""), feed: () => Effect.succeed("") })
).pipe(Layer.provideMerge(Memory.layer))

const checklist = [
  new Programme.ChecklistTask({ key: "venue", title: "Zaal reserveren", owner: "Region", dueDaysBefore: 14 }),
  new Programme.ChecklistTask({ key: "content", title: "Gastspreker vragen", owner: "Coordinator", dueDaysBefore: 21 })
]

describe("The plan's tasks", () => {
  it.effect("assigned by their owner, ticked off by the assignee, reopened; reminded before and after the deadline, each once", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2027-02-01T09:00:00Z"))
      const seeded = yield* seedProgramme(regions.utrecht, "prg_utrecht")
      const repo = yield* Repository.ProgrammeRepository
      yield* repo.save(
        new Programme.Programme({
          ...seeded,
          plan: seeded.plan.map((item) => new Programme.PlanItem({ ...item, checklist }))
        }),
        1
      )
      const s = yield* Sessions.Sessions
      const p = yield* Programmes.Programmes
      const [first] = yield* s.createFromPlan({ programmeId: seeded.id }).pipe(keyPerson)
      // the kick-off on 1 April: the venue is due 18 March, the guest speaker 11 March
      yield* s.schedule({ sessionId: first!.id, start: "2027-04-01T12:00:00Z", end: "2027-04-01T15:00:00Z" }).pipe(keyPerson)
      const ref = { programmeId: seeded.id, planItemId: first!.planItemId!, taskKey: "venue" }
      const baker = { ...people.baker, id: people.baker.id }

      // the region assigns its task; the coordinator's task is the coordinator's to assign
      yield* p.assignTask({ ...ref, assignee: baker }).pipe(keyPerson)
      const refused = yield* p.assignTask({ ...ref, taskKey: "content", assignee: baker }).pipe(keyPerson, Effect.flip)
      expect(refused._tag).toBe("Forbidden")
      yield* p.assignTask({ ...ref, taskKey: "content", assignee: { ...people.chamber, id: people.chamber.id } }).pipe(coordinator)
      // another region may not touch it; an unknown task is a named rule
      expect((yield* p.assignTask({ ...ref, assignee: baker }).pipe(keyPersonTwente, Effect.flip))._tag).toBe("Forbidden")
      expect(yield* p.assignTask({ ...ref, taskKey: "catering", assignee: baker }).pipe(keyPerson, Effect.flip)).toMatchObject({
        _tag: "RuleViolation",
        rule: "task-known"
      })

      const views = yield* p.tasks({ programmeId: seeded.id }).pipe(keyPerson)
      const venue = views.find((v) => v.planItemId === ref.planItemId && v.taskKey === "venue")!
      // whole days in the session's zone: 14:00 in Amsterdam both times (summer time starts between)
      expect(venue.deadline?.toISOString()).toBe("2027-03-18T13:00:00.000Z")
      expect(venue.task.assignee?.id).toBe(people.baker.id)

      const dispatcher = yield* Dispatcher.make({ consumer: "test", from: { address: "noreply@copkit.example" } })
      const mailer = yield* Memory.MemoryMailer
      const taskMail = Effect.map(mailer.sent, (all) => all.filter((m) => m.subject.startsWith("Task")).map((m) => [m.to[0]?.address, m.subject]))

      // 10 March: 3 days before the guest speaker's deadline (11 March): its assignee is reminded, once
      yield* TestClock.setTime(Date.parse("2027-03-10T09:00:00Z"))
      expect(yield* p.sendTaskReminders().pipe(system)).toBe(1)
      expect(yield* p.sendTaskReminders().pipe(system)).toBe(0)
      yield* dispatcher.runOnce
      expect(yield* taskMail).toEqual([[people.chamber.email, "TaskDue Gastspreker vragen"]])

      // the baker ticks the venue off; the guest speaker passes its deadline open: overdue, once
      yield* p.completeTask(ref).pipe(Actor.as(actors.participant))
      yield* TestClock.setTime(Date.parse("2027-03-19T09:00:00Z"))
      expect(yield* p.sendTaskReminders().pipe(system)).toBe(1)
      expect(yield* p.sendTaskReminders().pipe(system)).toBe(0)
      yield* dispatcher.runOnce
      expect(yield* taskMail).toEqual([
        [people.chamber.email, "TaskDue Gastspreker vragen"],
        [people.chamber.email, "TaskOverdue Gastspreker vragen"]
      ])
      const done = (yield* p.tasks({ programmeId: seeded.id }).pipe(keyPerson)).find((v) => v.planItemId === ref.planItemId && v.taskKey === "venue")!
      expect(done.task).toMatchObject({ done: true, completedBy: people.baker.id })
      expect(done.task.completedAt?.toISOString()).toBe("2027-03-10T09:00:00.000Z")
      expect(yield* p.completeTask(ref).pipe(keyPerson, Effect.flip)).toMatchObject({ _tag: "InvalidTransition" })

      // the overview shows the region's open and overdue tasks (the three plan items have two each)
      const overview = yield* Effect.flatMap(Network.Network, (n) => n.overview()).pipe(coordinator)
      expect(overview.regions.find((r) => r.regionId === regions.utrecht.id)?.tasks).toEqual({ open: 5, overdue: 1 })

      // reopened: open again, and its reminders may come again
      const reopened = yield* p.reopenTask(ref).pipe(keyPerson)
      const task = reopened.plan.find((i) => i.id === ref.planItemId)!.checklist.find((t) => t.key === "venue")!
      expect(task).toMatchObject({ done: false, reminders: [] })
      expect(task.completedBy).toBeUndefined()
      expect(yield* p.sendTaskReminders().pipe(system)).toBe(1)

      const log = yield* EventLog.EventLog
      const tags = (yield* log.read()).map((e) => e.event._tag).filter((t) => t.startsWith("Task"))
      expect(tags).toEqual(["TaskAssigned", "TaskAssigned", "TaskDueSoon", "TaskCompleted", "TaskOverdue", "TaskReopened", "TaskOverdue"])
    }).pipe(Effect.provide(World)))

  it.effect("an assignee's data: the programme is in their export, and erasure takes their name and address off the task", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2027-02-01T09:00:00Z"))
      const seeded = yield* seedProgramme(regions.utrecht, "prg_utrecht")
      const repo = yield* Repository.ProgrammeRepository
      yield* repo.save(new Programme.Programme({ ...seeded, plan: seeded.plan.map((item) => new Programme.PlanItem({ ...item, checklist })) }), 1)
      const p = yield* Programmes.Programmes
      const planItemId = seeded.plan[0]!.id
      const helper = { id: "per_helper", name: "Kees de Helper", email: "kees@helper.example.nl", organisation: "Helpers bv", helixRole: "Entrepreneur" as const }
      yield* p.assignTask({ programmeId: seeded.id, planItemId, taskKey: "venue", assignee: helper }).pipe(keyPerson)
      const data = yield* PersonalData.PersonalData
      const exported = yield* data.exportPerson({ personId: "per_helper" }).pipe(coordinator)
      expect(JSON.stringify(exported.entities["Programme"] ?? [])).toContain("Kees de Helper")
      yield* data.erase({ personId: "per_helper" }).pipe(coordinator)
      const after = Option.getOrThrow(yield* repo.find(seeded.id)).value
      const assignee = after.plan[0]!.checklist.find((t) => t.key === "venue")!.assignee!
      expect(assignee.id).toBe("per_helper")
      expect(JSON.stringify(after)).not.toContain("Kees de Helper")
      expect(JSON.stringify(after)).not.toContain("kees@helper.example.nl")
    }).pipe(Effect.provide(World)))
})
