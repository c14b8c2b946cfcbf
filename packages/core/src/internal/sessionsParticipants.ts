/** Part of the sessions service (see `Sessions.make`): not API. */
import { Effect } from "effect"
import * as Command from "../Command.js"
import { Enrolment } from "../Enrolment.js"
import { RuleViolation } from "../Errors.js"
import * as Events from "../Events.js"
import { EnrolmentId, PersonId } from "../Ids.js"
import * as Participants from "../Participants.js"
import * as Permissions from "../Permissions.js"
import { Person } from "../Person.js"
import { Settings } from "../Settings.js"
import { decode } from "../Validation.js"
import {
  ProgrammeRef,
} from "../Sessions.js"
import * as ProgrammeLife from "../Programme.js"
import type { SessionsContext } from "./sessionsContext.js"
import { programmeScope } from "./sessionsContext.js"

/** Builds this part's methods from the shared ports. */
export const build = (context: SessionsContext) => {
  const { sessions, programmes, enrolments, ids, enrolmentsOf } = context
  // --- participants ---------------------------------------------------------------------------

  const decodeEnrol = decode(Participants.Enrol)
  const enrol = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeEnrol(raw)
      yield* Permissions.authorizeAny("participant.manage")
      const programme = yield* Command.read("participant.manage", programmes, input.programmeId, programmeScope)
      if (!ProgrammeLife.openStates.includes(programme.value.state)) {
        return yield* Effect.fail(new RuleViolation({
          rule: "programme-open",
          message: `Participants enrol in an open programme; this one is ${programme.value.state}.`,
          details: []
        }))
      }
      const existing = yield* enrolmentsOf(input.programmeId)
      const p = input.participant
      const personId = p.id ?? ((yield* ids.next("person")) as PersonId)
      yield* Participants.checkNotEnrolled(existing.map((e) => e.value), { id: personId, email: p.email })
      const at = yield* Command.now
      const status = input.reserve ? "Reserve" as const : "Active" as const
      const enrolment = new Enrolment({
        id: (yield* ids.next("enrolment")) as EnrolmentId,
        programmeId: input.programmeId,
        regionId: programme.value.regionId,
        person: new Person({ ...p, id: personId, language: p.language ?? "nl" }),
        status,
        ...(input.reserve ? { reservePosition: Participants.nextReservePosition(existing.map((e) => e.value)) } : {}),
        enrolledAt: at
      })
      yield* Command.commit([
        Command.change(enrolments, enrolment, 0, [
          Events.ParticipantEnrolled.make({ enrolmentId: enrolment.id, programmeId: enrolment.programmeId, personId, status })
        ])
      ])
      return enrolment
    })

  const decodeLeave = decode(Participants.Leave)
  const leave = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeLeave(raw)
      yield* Permissions.authorizeAny("participant.manage")
      const current = yield* Command.read("participant.manage", enrolments, input.enrolmentId, (e) => ({ regionIds: [e.regionId] }))
      const e = current.value
      const at = yield* Command.now
      const group = yield* enrolmentsOf(e.programmeId)
      const upcoming = yield* sessions.list({ programmeId: e.programmeId, state: ["Scheduled", "Invited"] })
      const { left, promoted, sessions: changed } = yield* Participants.leave(
        e,
        group.map((x) => x.value),
        upcoming.map((x) => x.value),
        input,
        at
      )
      // the decider changes only entities it was given: each is saved at the version read
      const versions = new Map<string, number>([...group, ...upcoming].map((x) => [x.value.id, x.version]))
      const changes: Array<Command.Change<any>> = [
        Command.change(enrolments, left.value, current.version, left.events)
      ]
      if (promoted !== undefined) {
        changes.push(Command.change(enrolments, promoted.value, versions.get(promoted.value.id)!, promoted.events))
      }
      for (const s of changed) changes.push(Command.change(sessions, s.value, versions.get(s.value.id)!, s.events))
      yield* Command.commit(changes)
      return { left: left.value, promoted: promoted?.value }
    })

  const decodeProgrammeRef = decode(ProgrammeRef)
  const group = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeProgrammeRef(raw)
      yield* Command.read("participant.read", programmes, input.programmeId, programmeScope)
      const all = yield* enrolmentsOf(input.programmeId)
      const settings = yield* Settings
      const held = yield* sessions.list({ programmeId: input.programmeId, state: "Held" })
      return Participants.report(input.programmeId, all.map((e) => e.value), settings.participants, held.map((h) => h.value))
    })

  return { enrol, leave, group }
}
