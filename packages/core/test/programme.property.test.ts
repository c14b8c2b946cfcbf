/** Properties of the programme's deciders: withdrawing or cancelling ends exactly the sessions still to come. */
import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import fc from "fast-check"
import { Programme, Session, type Ids } from "@copkit/core"
import { programme } from "./codesign.support.js"

const now = new Date("2027-03-10T12:00:00Z")
const states = Programme.ProgrammeState.literals
const sessionStates = Session.SessionState.literals

/** Sessions of `prg_utrecht` (some shared with another programme), in any state, before or after `now`. */
const sessionsArb = fc.uniqueArray(fc.integer({ min: 1, max: 50 }), { maxLength: 10 }).chain((ids) =>
  fc.tuple(
    ...ids.map((n) =>
      fc.record({
        state: fc.constantFrom(...sessionStates),
        days: fc.integer({ min: -20, max: 20 }),
        shared: fc.boolean(),
        sequence: fc.integer({ min: 0, max: 5 })
      }).map((r) => {
        const start = new Date(now.getTime() + r.days * 86_400_000 + 3_600_000)
        return new Session.Session({
          id: `ses_${n}` as Ids.SessionId,
          programmeIds: r.shared ? ["prg_utrecht" as Ids.ProgrammeId, "prg_twente" as Ids.ProgrammeId] : ["prg_utrecht" as Ids.ProgrammeId],
          regionIds: ["utrecht" as Ids.RegionId],
          title: `Sessie ${n}`,
          workForms: [],
          agenda: [],
          state: r.state,
          sequence: r.sequence,
          invitations: [],
          attendance: [],
          remindersSent: [],
          ...(r.state === "Draft" ? {} : { start, end: new Date(start.getTime() + 3_600_000) }),
          createdAt: now,
          updatedAt: now
        })
      })
    )
  )
)

describe("Programme: withdraw and cancel", () => {
  it("end an open programme and cancel exactly its own sessions still to come, each once with a raised sequence", () => {
    fc.assert(fc.property(fc.constantFrom(...states), sessionsArb, fc.boolean(), (state, sessions, byCoordinator) => {
      const p = programme({ id: "prg_utrecht", state })
      const decide = byCoordinator ? Programme.cancel : Programme.withdraw
      const result = decide(p, sessions, "Geen budget meer.", now)
      if (!Programme.openStates.includes(state)) {
        expect(Either.isLeft(result) && result.left._tag).toBe("InvalidTransition")
        return
      }
      const decided = Either.getOrThrow(result)
      expect(decided.value.state).toBe(byCoordinator ? "Cancelled" : "Withdrawn")
      expect(decided.value.ending).toEqual({ reason: "Geen budget meer.", at: now })
      const expected = sessions.filter((s) =>
        s.programmeIds.length === 1 &&
        (s.state === "Draft" || ((s.state === "Scheduled" || s.state === "Invited") && s.start!.getTime() > now.getTime()))
      )
      expect(decided.sessions.map((s) => s.value.id)).toEqual(expected.map((s) => s.id))
      for (const [i, changed] of decided.sessions.entries()) {
        expect(changed.value.state).toBe("Cancelled")
        expect(changed.value.sequence).toBe(expected[i]!.sequence + 1)
        expect(changed.events).toEqual([{ _tag: "SessionCancelled", sessionId: changed.value.id, reason: "Geen budget meer.", sequence: changed.value.sequence }])
      }
      expect(decided.events).toEqual([{
        _tag: byCoordinator ? "ProgrammeCancelled" : "ProgrammeWithdrawn",
        programmeId: p.id,
        reason: "Geen budget meer.",
        cancelledSessionIds: expected.map((s) => s.id)
      }])
    }))
  })
})
