/**
 * The Programmes service on the memory stores: withdraw (region), cancel (coordinator) and plan
 * amendments, with the sessions' cancellations and updates dispatched and read back from the
 * mailer; the permissions; bad input changes nothing.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, TestClock } from "effect"
import { Programme, Programmes, Repository, Sessions } from "@copkit/core"
import { Inspector, Memory } from "@copkit/testing"
import { groupAddresses, invitedProgramme, sent, world } from "./programmes.support.js"
import { coordinator, keyPerson, keyPersonTwente, organiser, participant, people, regions, seedProgramme } from "./sessions.fixtures.js"

const World = world(Memory.layerStorage)
const service = Programmes.Programmes
const march = () => TestClock.setTime(new Date("2027-02-01T09:00:00Z").getTime())

const events = Effect.flatMap(Inspector.Inspector, (i) => i.events())
const lastPosition = Effect.map(events, (es) => es.at(-1)?.position ?? 0)
const eventsAfter = (position: number) => Effect.map(events, (es) => es.filter((e) => e.position > position))
const storedVersion = (table: string, id: string) =>
  Effect.map(Effect.flatMap(Inspector.Inspector, (i) => i.entity(table, id)), Option.map((s) => s.version))
const sessionState = (id: string) =>
  Effect.map(Effect.flatMap(Repository.SessionRepository, (r) => Repository.get(r, id)), (v) => v.value)

describe("Programmes: withdrawn by the region", () => {
  it.effect("ends the programme with its reason and cancels its future sessions; every invitee gets the cancellation once", () =>
    Effect.gen(function*() {
      yield* march()
      const { closing, dispatcher, kickOff, programme, regular } = yield* invitedProgramme
      const before = (yield* sent).length
      expect(before).toBe(8) // two sessions, four invitees each
      const position = yield* lastPosition

      const withdrawn = yield* (yield* service).withdraw({ programmeId: programme.id, reason: "De gemeente trekt zich terug." }).pipe(keyPerson)
      expect(withdrawn.programme.state).toBe("Withdrawn")
      expect(withdrawn.programme.ending?.reason).toBe("De gemeente trekt zich terug.")
      expect(withdrawn.sessions.map((s) => [s.id, s.state]).sort()).toEqual(
        [[kickOff.id, "Cancelled"], [regular.id, "Cancelled"], [closing.id, "Cancelled"]].sort()
      )
      // one commit: the programme's event and one SessionCancelled per session
      const appended = yield* eventsAfter(position)
      expect(appended.map((e) => e.type).sort()).toEqual(["ProgrammeWithdrawn", "SessionCancelled", "SessionCancelled", "SessionCancelled"])
      expect(appended.find((e) => e.type === "ProgrammeWithdrawn")?.document).toMatchObject({
        event: { reason: "De gemeente trekt zich terug.", cancelledSessionIds: expect.arrayContaining([kickOff.id, regular.id, closing.id]) }
      })

      yield* dispatcher.runOnce
      yield* dispatcher.runOnce // a second pass sends nothing again
      const cancellations = (yield* sent).slice(before)
      expect(cancellations).toHaveLength(8) // the draft closing had no invitees
      for (const session of [kickOff, regular]) {
        const mine = cancellations.filter((m) => m.uid === `${session.id}@copkit`)
        expect(mine.map((m) => m.to).sort()).toEqual(groupAddresses)
        expect(mine.every((m) => m.kind === "Cancellation" && m.method === "CANCEL" && m.status === "CANCELLED" && m.sequence === 1)).toBe(true)
      }
    }).pipe(Effect.provide(World)))

  it.effect("leaves held sessions and sessions already started alone; a withdrawn programme cannot be withdrawn again", () =>
    Effect.gen(function*() {
      yield* march()
      const { kickOff, programme, regular } = yield* invitedProgramme
      // the kick-off is held; the clock moves past it
      yield* TestClock.setTime(new Date("2027-03-02T17:00:00Z").getTime())
      const s = yield* Sessions.Sessions
      yield* s.recordAttendance({ sessionId: kickOff.id, attendance: [{ personId: people.baker.id, present: true }] }).pipe(keyPerson)
      const running = yield* (yield* service).get({ programmeId: programme.id }).pipe(keyPerson)
      expect(running.value.state).toBe("Running")
      const dropHeld = yield* Effect.flip((yield* service).amendPlan({
        programmeId: programme.id,
        amendment: { _tag: "DropSession", planItemId: kickOff.planItemId!, reason: "Achteraf." }
      }).pipe(keyPerson))
      expect(dropHeld).toMatchObject({ _tag: "RuleViolation", rule: "session-not-held" })
      const withdrawn = yield* (yield* service).withdraw({ programmeId: programme.id, reason: "Geen budget meer." }).pipe(organiser)
      expect(withdrawn.sessions.map((x) => x.id)).not.toContain(kickOff.id)
      expect(withdrawn.sessions.map((x) => x.id)).toContain(regular.id)
      expect((yield* sessionState(kickOff.id)).state).toBe("Held")
      const again = yield* Effect.flip((yield* service).withdraw({ programmeId: programme.id, reason: "Nog eens." }).pipe(keyPerson))
      expect(again).toMatchObject({ _tag: "InvalidTransition", from: "Withdrawn", to: "Withdrawn" })
    }).pipe(Effect.provide(World)))
})

describe("Programmes: cancelled by the coordinator", () => {
  it.effect("only the coordinator cancels; the sessions' invitees get the cancellation", () =>
    Effect.gen(function*() {
      yield* march()
      const { dispatcher, programme } = yield* invitedProgramme
      const before = (yield* sent).length
      const position = yield* lastPosition
      const refused = yield* Effect.flip((yield* service).cancel({ programmeId: programme.id, reason: "Te weinig energie." }).pipe(keyPerson))
      expect(refused).toMatchObject({ _tag: "Forbidden", action: "programme.cancel" })
      expect(yield* lastPosition).toBe(position)

      const cancelled = yield* (yield* service).cancel({ programmeId: programme.id, reason: "Te weinig energie." }).pipe(coordinator)
      expect(cancelled.programme.state).toBe("Cancelled")
      expect((yield* eventsAfter(position)).map((e) => e.type)).toContain("ProgrammeCancelled")
      yield* dispatcher.runOnce
      const cancellations = (yield* sent).slice(before)
      expect(cancellations).toHaveLength(8)
      expect(cancellations.every((m) => m.method === "CANCEL")).toBe(true)
      const withdraw = yield* Effect.flip((yield* service).withdraw({ programmeId: programme.id, reason: "Te laat." }).pipe(keyPerson))
      expect(withdraw).toMatchObject({ _tag: "InvalidTransition", from: "Cancelled" })
    }).pipe(Effect.provide(World)))
})

describe("Programmes: plan amendments after approval", () => {
  it.effect("moving a scheduled session reschedules it: the sequence rises and every invitee gets the update", () =>
    Effect.gen(function*() {
      yield* march()
      const { dispatcher, programme, regular } = yield* invitedProgramme
      const before = (yield* sent).length
      const moved = yield* (yield* service).amendPlan({
        programmeId: programme.id,
        amendment: { _tag: "MoveSession", planItemId: regular.planItemId!, start: "2027-03-23T13:00:00Z", end: "2027-03-23T16:00:00Z" }
      }).pipe(keyPerson)
      expect(moved.sessions.map((s) => [s.id, s.sequence, s.start?.toISOString()])).toEqual([[regular.id, 1, "2027-03-23T13:00:00.000Z"]])
      const history = yield* events
      expect(history.find((e) => e.type === "PlanAmended")?.document).toMatchObject({ event: { _tag: "PlanAmended", kind: "MoveSession", planItemId: regular.planItemId, sessionId: regular.id } })
      yield* dispatcher.runOnce
      const updates = (yield* sent).slice(before)
      expect(updates.map((m) => m.to).sort()).toEqual(groupAddresses)
      expect(updates.every((m) => m.kind === "Update" && m.method === "REQUEST" && m.sequence === 1 && m.uid === `${regular.id}@copkit`)).toBe(true)
    }).pipe(Effect.provide(World)))

  it.effect("dropping a session cancels it (invitees get the cancellation); adding one puts a new item before the closing", () =>
    Effect.gen(function*() {
      yield* march()
      const { dispatcher, programme, regular } = yield* invitedProgramme
      const before = (yield* sent).length
      const dropped = yield* (yield* service).amendPlan({
        programmeId: programme.id,
        amendment: { _tag: "DropSession", planItemId: regular.planItemId!, reason: "De spreker kan niet." }
      }).pipe(keyPerson)
      expect(dropped.programme.plan.map((i) => i.id)).toEqual(["prg_utrecht_a", "prg_utrecht_c"])
      expect(dropped.sessions.map((s) => [s.id, s.state])).toEqual([[regular.id, "Cancelled"]])
      yield* dispatcher.runOnce
      const cancellations = (yield* sent).slice(before)
      expect(cancellations.map((m) => m.to).sort()).toEqual(groupAddresses)
      expect(cancellations.every((m) => m.method === "CANCEL" && m.uid === `${regular.id}@copkit`)).toBe(true)

      const added = yield* (yield* service).amendPlan({
        programmeId: programme.id,
        amendment: {
          _tag: "AddSession",
          item: { role: "Regular", themeId: "thm_1", goal: "Een nieuwe spreker", workForms: ["GuestExpert"], durationMinutes: 120 }
        }
      }).pipe(organiser)
      const newItem = added.programme.plan[1]!
      expect(added.programme.plan.map((i) => i.role)).toEqual(["KickOff", "Regular", "Closing"])
      expect(newItem.checklist.map((t) => t.key)).toContain("guest-expert-confirmed")
      expect((yield* events).filter((e) => e.type === "PlanAmended").at(-1)?.document).toMatchObject({ event: { _tag: "PlanAmended", kind: "AddSession", planItemId: newItem.id } })
      // the new item has no session yet: Sessions.createFromPlan creates it like any other
      expect(newItem.sessionId).toBeUndefined()
    }).pipe(Effect.provide(World)))

  it.effect("an amendment that breaks the plan is refused (plan-valid) and changes nothing; so is one before approval", () =>
    Effect.gen(function*() {
      yield* march()
      const { programme } = yield* invitedProgramme
      const position = yield* lastPosition
      const version = yield* storedVersion("programmes", programme.id)
      const dropKickOff = yield* Effect.flip((yield* service).amendPlan({
        programmeId: programme.id,
        amendment: { _tag: "DropSession", planItemId: "prg_utrecht_a", reason: "Weg ermee." }
      }).pipe(keyPerson))
      expect(dropKickOff).toMatchObject({ _tag: "RuleViolation", rule: "plan-valid" })
      const unknown = yield* Effect.flip((yield* service).amendPlan({
        programmeId: programme.id,
        amendment: { _tag: "DropSession", planItemId: "pli_404", reason: "Weg ermee." }
      }).pipe(keyPerson))
      expect(unknown).toMatchObject({ _tag: "NotFound", entity: "PlanItem" })
      expect(yield* lastPosition).toBe(position)
      expect(yield* storedVersion("programmes", programme.id)).toEqual(version)

      const draft = yield* seedProgramme(regions.twente, "prg_twente", "CoDesign")
      const early = yield* Effect.flip((yield* service).amendPlan({
        programmeId: draft.id,
        amendment: { _tag: "DropSession", planItemId: "prg_twente_b", reason: "Nog niet goedgekeurd." }
      }).pipe(coordinator))
      expect(early).toMatchObject({ _tag: "InvalidTransition", from: "CoDesign" })
    }).pipe(Effect.provide(World)))
})

describe("Programmes: permissions, reads and bad input", () => {
  it.effect("another region's key person is Forbidden to withdraw or amend, and nothing changes", () =>
    Effect.gen(function*() {
      yield* march()
      const { programme, regular } = yield* invitedProgramme
      const position = yield* lastPosition
      const s = yield* service
      const withdraw = yield* Effect.flip(s.withdraw({ programmeId: programme.id, reason: "Niet van jou." }).pipe(keyPersonTwente))
      expect(withdraw).toMatchObject({ _tag: "Forbidden", action: "programme.withdraw" })
      const amend = yield* Effect.flip(s.amendPlan({
        programmeId: programme.id,
        amendment: { _tag: "DropSession", planItemId: regular.planItemId!, reason: "Niet van jou." }
      }).pipe(keyPersonTwente))
      expect(amend).toMatchObject({ _tag: "Forbidden", action: "programme.amendPlan" })
      const byParticipant = yield* Effect.flip(s.withdraw({ programmeId: programme.id, reason: "Ik wil niet." }).pipe(participant))
      expect(byParticipant._tag).toBe("Forbidden")
      expect(yield* lastPosition).toBe(position)
      expect((yield* sessionState(regular.id)).state).toBe("Invited")
    }).pipe(Effect.provide(World)))

  it.effect("lists the actor's region's programmes; the coordinator sees every region's", () =>
    Effect.gen(function*() {
      yield* seedProgramme(regions.utrecht, "prg_utrecht")
      yield* seedProgramme(regions.twente, "prg_twente", "CoDesign")
      const s = yield* service
      expect((yield* s.list().pipe(keyPerson)).map((v) => v.value.id)).toEqual(["prg_utrecht"])
      expect((yield* s.list({}).pipe(keyPersonTwente)).map((v) => v.value.id)).toEqual(["prg_twente"])
      expect((yield* s.list().pipe(coordinator)).map((v) => v.value.id).sort()).toEqual(["prg_twente", "prg_utrecht"])
      expect((yield* s.list({ state: "CoDesign" }).pipe(coordinator)).map((v) => v.value.id)).toEqual(["prg_twente"])
      const other = yield* Effect.flip(s.list({ regionId: regions.twente.id }).pipe(keyPerson))
      expect(other._tag).toBe("Forbidden")
      const read = yield* Effect.flip(s.get({ programmeId: "prg_twente" }).pipe(keyPerson))
      expect(read._tag).toBe("Forbidden")
    }).pipe(Effect.provide(World)))

  it.effect("bad input is a ValidationError naming the field and the rule, and stores nothing", () =>
    Effect.gen(function*() {
      yield* march()
      const { programme } = yield* invitedProgramme
      const s = yield* service
      const position = yield* lastPosition
      const cases: ReadonlyArray<readonly [Effect.Effect<unknown, { readonly _tag: string }>, string, string]> = [
        // @ts-expect-error the reason is required
        [s.withdraw({ programmeId: programme.id }).pipe(keyPerson), "reason", "required"],
        [s.cancel({ programmeId: programme.id, reason: "" }).pipe(coordinator), "reason", "nonEmpty"],
        // @ts-expect-error no such amendment
        [s.amendPlan({ programmeId: programme.id, amendment: { _tag: "SwapSession", planItemId: "prg_utrecht_a" } }).pipe(keyPerson), "amendment._tag", "type"],
        [s.amendPlan({ programmeId: programme.id, amendment: { _tag: "MoveSession", planItemId: "prg_utrecht_b", start: "gisteren", end: "2027-03-23T16:00:00Z" } }).pipe(keyPerson), "amendment.start", "validDate"],
        // @ts-expect-error no such work form
        [s.amendPlan({ programmeId: programme.id, amendment: { _tag: "AddSession", item: { role: "Regular", goal: "G", workForms: ["Dance"], durationMinutes: 60 } } }).pipe(keyPerson), "amendment.item.workForms[0]", "type"],
        [s.get({ programmeId: "bad id" }).pipe(keyPerson), "programmeId", "pattern"]
      ]
      for (const [effect, field, rule] of cases) {
        const error = yield* Effect.flip(effect)
        expect({ ...error }, field).toMatchObject({ _tag: "ValidationError", field, rule })
      }
      expect(yield* lastPosition).toBe(position)
    }).pipe(Effect.provide(World)))
})

describe("Programme: the pure deciders of its life", () => {
  const at = new Date("2027-03-02T17:00:00Z")
  it.effect("start, toFollowUp, afterSessionHeld and close return the programme with its events", () =>
    Effect.gen(function*() {
      const planned = yield* seedProgramme(regions.utrecht, "prg_utrecht")
      const sessionId = "ses_1" as never
      const started = yield* Programme.start(planned, sessionId, at)
      expect(started.value.state).toBe("Running")
      expect(started.events).toEqual([{ _tag: "ProgrammeStarted", programmeId: planned.id, sessionId }])
      const direct = yield* Programme.toFollowUp(planned, sessionId, at)
      expect(direct.events.map((e) => e._tag)).toEqual(["ProgrammeStarted", "ProgrammeInFollowUp"])
      expect((yield* Programme.toFollowUp(started.value, sessionId, at)).events.map((e) => e._tag)).toEqual(["ProgrammeInFollowUp"])
      expect(Programme.afterSessionHeld(started.value, { id: sessionId, role: "Regular", updatedAt: at })).toBeUndefined()
      expect(Programme.afterSessionHeld(planned, { id: sessionId, role: "Closing", updatedAt: at })?.value.state).toBe("FollowUp")
      const early = yield* Effect.flip(Programme.close(planned, { closingSessionId: undefined, missing: ["closing session: not held"], agreements: 0 }, at))
      expect(early).toMatchObject({ _tag: "RuleViolation", rule: "programme-close-ready", details: ["closing session: not held"] })
      const closed = yield* Programme.close(direct.value, { closingSessionId: sessionId, missing: [], agreements: 3 }, at)
      expect(closed.value).toMatchObject({ state: "Completed", closedAt: at })
      expect(closed.events).toEqual([{ _tag: "ProgrammeCompleted", programmeId: planned.id, closingSessionId: sessionId, agreements: 3 }])
      const again = yield* Effect.flip(Programme.start(closed.value, sessionId, at))
      expect(again).toMatchObject({ _tag: "InvalidTransition", from: "Completed", to: "Running" })
      expect(Programme.withdrawableStates).toEqual(["CoDesign", "Planned", "Running", "FollowUp"])
      expect(Programme.closableStates).toEqual(["Planned", "Running", "FollowUp"])
    }).pipe(Effect.provide(World)))
})
