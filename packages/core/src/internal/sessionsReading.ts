/** Part of the sessions service (see `Sessions.make`): not API. */
import { Effect } from "effect"
import * as Actor from "../Actor.js"
import * as Command from "../Command.js"
import { ConcurrencyConflict } from "../Errors.js"
import * as Permissions from "../Permissions.js"
import * as Session from "../Session.js"
import * as SessionNotifications from "../SessionNotifications.js"
import { Settings } from "../Settings.js"
import { decode } from "../Validation.js"
import {
  FeedRef,
  ListSessions,
  SessionRef,
  scopeOf
} from "../Sessions.js"
import type { SentReminder } from "../Sessions.js"
import type { SessionsContext } from "./sessionsContext.js"
import { programmeScope } from "./sessionsContext.js"

/** Builds this part's methods from the shared ports. */
export const build = (context: SessionsContext) => {
  const { sessions, programmes } = context
  // --- reading --------------------------------------------------------------------------------

  const decodeSessionRef = decode(SessionRef)
  const getSession = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeSessionRef(raw)
      const found = yield* Command.read("session.read", sessions, input.sessionId, scopeOf)
      const actor = yield* Actor.CurrentActor
      return { ...found, value: Session.viewFor(actor, found.value) }
    })

  const decodeList = decode(ListSessions)
  const list = (raw: unknown = {}) =>
    Effect.gen(function*() {
      const input = yield* decodeList(raw)
      const actor = yield* Permissions.authorizeAny("session.read")
      const base = { programmeId: input.programmeId, state: input.state, limit: input.limit, offset: input.offset }
      if (actor._tag === "NetworkCoordinator" || actor._tag === "System") return yield* sessions.list(base)
      if (actor._tag === "KeyPerson" || actor._tag === "RegionalOrganiser") {
        return yield* sessions.list({ ...base, regionId: actor.regionId })
      }
      // participants, administrators and guests: the sessions they are invited to, without the other invitees' addresses
      const invited = yield* sessions.list({ ...base, personId: actor.personId })
      return invited.map((row) => ({ ...row, value: Session.viewFor(actor, row.value) }))
    })

  const decodeFeed = decode(FeedRef)
  const feedEvents = (raw: unknown) =>
    Effect.gen(function*() {
      const input = yield* decodeFeed(raw)
      const settings = yield* Settings
      const options = {
        organizer: settings.sessions.organizer,
        alarmsMinutesBefore: settings.dispatcher.invitationAlarmsMinutesBefore,
        sessionUrl: settings.sessions.sessionUrl
      }
      if ("programmeId" in input) {
        yield* Command.read("session.read", programmes, input.programmeId, programmeScope)
        const rows = yield* sessions.list({ programmeId: input.programmeId })
        return rows.flatMap(({ value }) => {
          const event = SessionNotifications.calendarEventOf(value, options)
          return event === undefined ? [] : [event]
        })
      }
      yield* Permissions.authorize("session.read", { regionIds: [], partyIds: [input.personId] })
      const rows = yield* sessions.list({ personId: input.personId })
      return rows.flatMap(({ value }) => {
        const language = value.invitations.find((i) => i.personId === input.personId)?.language
        const event = SessionNotifications.calendarEventOf(value, { ...options, language })
        return event === undefined ? [] : [event]
      })
    })

  // --- reminders ------------------------------------------------------------------------------

  const sendDueReminders = () =>
    Effect.gen(function*() {
      yield* Permissions.authorizeAny("session.remind")
      const settings = (yield* Settings).sessions
      const at = yield* Command.now
      const open = yield* sessions.list({ state: "Invited" })
      const sent: Array<SentReminder> = []
      for (const { value: s, version } of open) {
        const marks = Session.dueReminders(s, settings, at)
        if (marks.length === 0) continue
        const marked = Session.markReminders(s, marks, at)
        const reminders = marked.events.flatMap((e) =>
          e._tag === "SessionReminderDue"
            ? [{ sessionId: e.sessionId, kind: e.kind, daysBefore: e.daysBefore, personIds: e.personIds }]
            : []
        )
        const outcome = yield* Command.commit([Command.change(sessions, marked.value, version, marked.events)]).pipe(
          // a session changed meanwhile: its reminders are looked at again on the next run
          Effect.map(() => true),
          Effect.catchIf((e): e is ConcurrencyConflict => e instanceof ConcurrencyConflict, () => Effect.succeed(false))
        )
        if (outcome) sent.push(...reminders)
      }
      return sent
    })

  return { getSession, list, feedEvents, sendDueReminders }
}
