/** Part of the sessions service (see `Sessions.make`): not API. */
import { Effect, Either } from "effect"
import * as Command from "../Command.js"
import { Enrolment } from "../Enrolment.js"
import { InvalidTransition, RuleViolation } from "../Errors.js"
import * as Events from "../Events.js"
import { EnrolmentId, PersonId } from "../Ids.js"
import * as Participants from "../Participants.js"
import * as Permissions from "../Permissions.js"
import { Person } from "../Person.js"
import * as Session from "../Session.js"
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
      if (e.status === "Left") {
        return yield* Effect.fail(new InvalidTransition({
          entity: "Enrolment",
          id: e.id,
          from: e.status,
          to: "Left",
          reason: "the participant has left already"
        }))
      }
      const at = yield* Command.now
      const left = new Enrolment({ ...e, status: "Left", leftAt: at, leftReason: input.reason })
      const changes: Array<Command.Change<any>> = [
        Command.change(enrolments, left, current.version, [
          Events.ParticipantLeft.make({ enrolmentId: e.id, programmeId: e.programmeId, personId: e.person.id, reason: input.reason })
        ])
      ]
      let promoted: Enrolment | undefined
      if (e.status === "Active" && input.promoteReserve) {
        const all = yield* enrolmentsOf(e.programmeId)
        const first = Participants.reserveList(all.map((x) => x.value))[0]
        const version = all.find((x) => x.value.id === first?.id)?.version
        if (first !== undefined && version !== undefined) {
          const { reservePosition: _, ...rest } = first
          promoted = new Enrolment({ ...rest, status: "Active" })
          changes.push(Command.change(enrolments, promoted, version, [
            Events.ReservePromoted.make({ enrolmentId: first.id, programmeId: first.programmeId, personId: first.person.id, replacing: e.id })
          ]))
        }
      }
      // upcoming sessions: the one who left is taken off (and gets a cancellation); the one who
      // took the place is invited where the others are
      const upcoming = (yield* sessions.list({ programmeId: e.programmeId, state: ["Scheduled", "Invited"] }))
        .filter(({ value }) => value.start !== undefined && value.start.getTime() > at.getTime())
      for (const { value: session, version } of upcoming) {
        let next = Session.withdrawInvitation(session, e.person.id, at)
        const events: Array<Events.DomainEvent> = next === undefined
          ? []
          : [Events.SessionInvitationWithdrawn.make({ sessionId: session.id, personId: e.person.id, programmeId: e.programmeId })]
        if (promoted !== undefined && promoted.person.email !== undefined && session.state === "Invited") {
          const invited = Session.invite(next ?? session, [
            new Session.Invitation({
              personId: promoted.person.id,
              programmeId: e.programmeId,
              name: promoted.person.name,
              email: promoted.person.email,
              language: promoted.person.language,
              answer: "NeedsAction",
              invitedAt: at
            })
          ], at)
          if (Either.isRight(invited)) {
            next = invited.right.session
            events.push(Events.SessionInvitationsSent.make({ sessionId: session.id, personIds: [promoted.person.id], sequence: next.sequence }))
          }
        }
        if (next !== undefined) changes.push(Command.change(sessions, next, version, events))
      }
      yield* Command.commit(changes)
      return { left, promoted }
    })

  const decodeProgrammeRef = decode(ProgrammeRef)
  const group = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeProgrammeRef(raw)
      yield* Command.read("participant.read", programmes, input.programmeId, programmeScope)
      const all = yield* enrolmentsOf(input.programmeId)
      const settings = yield* Settings
      return Participants.report(input.programmeId, all.map((e) => e.value), settings.participants)
    })

  return { enrol, leave, group }
}
