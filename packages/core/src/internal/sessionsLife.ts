/** Part of the sessions service (see `Sessions.make`): not API. */
import { Effect, Either, Option, Schema } from "effect"
import * as Actor from "../Actor.js"
import * as Command from "../Command.js"
import type { CommandError } from "../Errors.js"
import { InvalidTransition, RuleViolation } from "../Errors.js"
import * as Events from "../Events.js"
import { InsightId, PersonId, ProgrammeId, SessionId } from "../Ids.js"
import { Insight } from "../Insight.js"
import * as Participants from "../Participants.js"
import * as Permissions from "../Permissions.js"
import { Person } from "../Person.js"
import {
  get,
} from "../Repository.js"
import * as Session from "../Session.js"
import { Settings } from "../Settings.js"
import { decode } from "../Validation.js"
import {
  AddMaterial,
  AnswerInvitation,
  CancelSession,
  ChangeJoinLink,
  InviteSession,
  RecordAttendance,
  RecordInsight,
  RemoveMaterial,
  ScheduleFromPlan,
  ScheduleSession,
  WriteMinutes,
  PublishMinutes,
  scopeOf
} from "../Sessions.js"
import * as ProgrammeLife from "../Programme.js"
import { SessionRepository } from "../Repository.js"
import type { SessionsContext } from "./sessionsContext.js"
import { actorPersonId, manageAction, programmeScope } from "./sessionsContext.js"

/** Builds this part's methods from the shared ports. */
export const build = (context: SessionsContext) => {
  const { sessions, programmes, enrolments, insights, applications, ids } = context
  // --- the session's life ---------------------------------------------------------------------

  /** Loads a session, checks the right to manage it (coordinator for cross-regional ones) and commits the transition. */
  /**
   * The command path for a change of one session: `Command.update`, with the right a function of
   * the session (the coordinator runs cross-regional sessions, the region its own).
   */
  const manage = <I extends { readonly sessionId: SessionId }, IE, E>(
    schema: Schema.Schema<I, IE, never>,
    apply: (
      s: Session.Session,
      input: I,
      context: Command.TransitionContext
    ) => Either.Either<Command.Transitioned<Session.Session>, E> | Effect.Effect<Command.Transitioned<Session.Session>, E | CommandError>
  ) =>
    Command.update({
      action: manageAction,
      anyAction: "session.manage",
      input: schema,
      repository: SessionRepository,
      id: (i) => i.sessionId,
      scope: scopeOf,
      apply
    })

  const slotOf = (i: typeof ScheduleSession.Type): Session.Slot => ({
    start: i.start,
    end: i.end,
    venue: i.venue === undefined ? undefined : new Session.Venue(i.venue),
    host: i.host,
    format: i.format,
    joinUrl: i.joinUrl
  })

  const schedule = manage(ScheduleSession, (s, i, { now }) => Session.schedule(s, slotOf(i), now))

  const decodeFromPlan = decode(ScheduleFromPlan)
  const scheduleFromPlan = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeFromPlan(raw)
      yield* Permissions.authorizeAny("session.manage")
      const programme = (yield* Command.read("session.manage", programmes, input.programmeId, programmeScope)).value
      const at = yield* Command.now
      const keys = input.sessions.map((p) => p.key)
      const twice = keys.find((k, i) => keys.indexOf(k) !== i)
      if (twice !== undefined) {
        return yield* Effect.fail(new RuleViolation({ rule: "plan-item-once", message: `Plan item ${twice} is given twice.`, details: [] }))
      }
      const changes: Array<Command.Change<Session.Session>> = []
      for (const proposal of input.sessions) {
        const item = programme.plan.find((i) => i.id === proposal.key)
        if (item === undefined) {
          return yield* Effect.fail(new RuleViolation({
            rule: "plan-item-known",
            message: `The programme's plan has no item ${proposal.key}.`,
            details: []
          }))
        }
        if (item.sessionId === undefined) {
          return yield* Effect.fail(new RuleViolation({
            rule: "session-created",
            message: `No session was created for plan item ${item.id} yet (createFromPlan).`,
            details: []
          }))
        }
        const current = yield* get(sessions, item.sessionId)
        yield* Permissions.authorize(manageAction(current.value), scopeOf(current.value))
        const next = yield* Session.schedule(current.value, {
          start: proposal.start,
          end: proposal.end,
          venue: current.value.venue ?? (input.venue === undefined ? undefined : new Session.Venue(input.venue)),
          host: current.value.host ?? input.host
        }, at)
        changes.push(Command.change(sessions, next.value, current.version, next.events))
      }
      yield* Command.commit(changes)
      return changes.map((c) => c.value)
    })

  const reschedule = manage(ScheduleSession, (s, i, { now }) => Session.reschedule(s, slotOf(i), now))

  const changeJoinLink = manage(ChangeJoinLink, (s, i, { now }) => Session.changeJoinLink(s, i, now))

  const addMaterial = manage(AddMaterial, (s, i, { actor, now }) =>
    Effect.flatMap(ids.next("material"), (id) =>
      Session.addMaterial(
        s,
        new Session.Material({
          id,
          title: i.title,
          url: i.url,
          kind: i.kind,
          addedBy: actorPersonId(actor),
          addedAt: now
        }),
        now
      )))

  const removeMaterial = manage(RemoveMaterial, (s, i, { now }) => Session.removeMaterial(s, i.materialId, now))

  const cancel = manage(CancelSession, (s, i, { now }) => Session.cancel(s, i.reason, now))

  const invite = manage(InviteSession, (s, i, { now }) =>
    Effect.gen(function*() {
      const invitations: Array<Session.Invitation> = []
      const add = (person: Person, programmeId: ProgrammeId) => {
        if (person.email === undefined) return
        invitations.push(new Session.Invitation({
          personId: person.id,
          programmeId,
          name: person.name,
          email: person.email,
          language: person.language,
          answer: "NeedsAction",
          invitedAt: now
        }))
      }
      for (const programmeId of s.programmeIds) {
        const rows = yield* enrolments.list({ programmeId, state: "Active" })
        for (const { value: e } of rows) add(e.person, programmeId)
        // the kick-off and the closing: the administrators named in the region's application too
        const programme = yield* get(programmes, programmeId)
        const item = programme.value.plan.find((p) => p.id === s.planItemId)
        if (item?.administratorsInvited === true && item.role !== "Regular") {
          const application = yield* applications.find(programme.value.applicationId)
          if (Option.isSome(application)) for (const a of application.value.value.administrators) add(a, programmeId)
        }
      }
      for (const guest of i.guests) {
        const id = guest.id ?? ((yield* ids.next("person")) as PersonId)
        add(new Person({ ...guest, id, language: guest.language ?? "nl" }), s.programmeIds[0])
      }
      const { events, value } = yield* Session.invite(s, invitations, now)
      return { value, events }
    }))

  const decodeAnswer = decode(AnswerInvitation)
  const answer = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeAnswer(raw)
      yield* Permissions.authorizeAny("session.answer")
      const current = yield* get(sessions, input.sessionId)
      const s = current.value
      const invited = s.invitations.some((i) => i.personId === input.personId)
      // the invitee answers for themselves; the region (or coordinator) may record anyone's answer
      yield* Permissions.authorize("session.answer", { regionIds: s.regionIds, partyIds: invited ? [input.personId] : [] })
      const at = yield* Command.now
      const next = yield* Session.answer(s, input.personId, input.answer, at)
      yield* Command.commit([Command.change(sessions, next.value, current.version, next.events)])
      return Session.viewFor(yield* Actor.CurrentActor, next.value)
    })

  /** The programme's stage follows its sessions: the programme's own decider says how. */
  const stageAfterHeld = ProgrammeLife.afterSessionHeld

  const decodeAttendance = decode(RecordAttendance)
  const recordAttendance = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeAttendance(raw)
      yield* Permissions.authorizeAny("session.manage")
      const current = yield* get(sessions, input.sessionId)
      const s = current.value
      yield* Permissions.authorize(manageAction(s), scopeOf(s))
      const at = yield* Command.now
      const { value, events } = yield* Session.recordAttendance(s, input.attendance, at)
      const notices: Array<Events.DomainEvent> = []
      if (s.state !== "Held") {
        // the first time the session is held: who has now missed too many in a row (once per streak)
        const settings = (yield* Settings).participants
        for (const programmeId of value.programmeIds) {
          if (settings.missedInARow <= 0) break
          const held = yield* sessions.list({ programmeId, state: "Held" })
          const group = yield* context.enrolmentsOf(programmeId)
          notices.push(...Participants.missedSessionNotices(
            value,
            programmeId,
            held.map((h) => h.value),
            group.map((g) => g.value),
            settings
          ))
        }
      }
      const changes: Array<Command.Change<any>> = [Command.change(sessions, value, current.version, [...events, ...notices])]
      if (s.state !== "Held") {
        for (const programmeId of value.programmeIds) {
          const programme = yield* get(programmes, programmeId)
          const next = stageAfterHeld(programme.value, value)
          if (next !== undefined) changes.push(Command.change(programmes, next.value, programme.version, next.events))
        }
      }
      yield* Command.commit(changes)
      return value
    })

  const writeMinutes = manage(WriteMinutes, (s, i, { actor, now }) => Session.draftMinutes(s, i.text, actorPersonId(actor), now, i.visibility))

  const publishMinutes = manage(PublishMinutes, (s, i, { actor, now }) => Session.publishMinutes(s, actorPersonId(actor), now, i.visibility))

  const decodeInsight = decode(RecordInsight)
  const recordInsight = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeInsight(raw)
      const actor = yield* Permissions.authorizeAny("insight.record")
      const current = yield* get(sessions, input.sessionId)
      const s = current.value
      const programmeId = input.programmeId ?? s.programmeIds[0]
      if (!s.programmeIds.includes(programmeId)) {
        return yield* Effect.fail(new RuleViolation({
          rule: "insight-programme",
          message: `The session does not belong to programme ${programmeId}.`,
          details: []
        }))
      }
      const programme = yield* get(programmes, programmeId)
      yield* Permissions.authorize("insight.record", { regionIds: [programme.value.regionId] })
      if (s.state !== "Held") {
        return yield* Effect.fail(new InvalidTransition({
          entity: "Session",
          id: s.id,
          from: s.state,
          to: "Insight",
          reason: "insights are recorded once the session is held"
        }))
      }
      const at = yield* Command.now
      const insight = new Insight({
        id: (yield* ids.next("insight")) as InsightId,
        sessionId: s.id,
        programmeId,
        regionId: programme.value.regionId,
        kind: input.kind,
        title: input.title,
        text: input.text,
        themeIds: input.themeIds ?? (s.themeId === undefined ? [] : [s.themeId]),
        tags: input.tags,
        author: actorPersonId(actor),
        recordedAt: at,
        visibility: input.visibility
      })
      yield* Command.commit([
        Command.change(insights, insight, 0, [
          Events.InsightRecorded.make({ insightId: insight.id, sessionId: s.id, programmeId, themeIds: insight.themeIds })
        ])
      ])
      return insight
    })

  return { schedule, scheduleFromPlan, reschedule, changeJoinLink, addMaterial, removeMaterial, cancel, invite, answer, recordAttendance, writeMinutes, publishMinutes, recordInsight }
}
