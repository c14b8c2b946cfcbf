import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import fc from "fast-check"
import { type Command, Ids, Session } from "@copkit/core"

const person = (n: number) => `per_${n}` as Ids.PersonId
const t0 = Date.parse("2027-03-01T09:00:00Z")
const HOUR = 3_600_000

const unchanged = (value: Session.Session): Command.Transitioned<Session.Session> => ({ value, events: [] })

const draft = () =>
  new Session.Session({
    id: "ses_1" as Ids.SessionId,
    programmeIds: ["prg_1" as Ids.ProgrammeId],
    regionIds: ["utrecht" as Ids.RegionId],
    title: "Bijeenkomst",
    workForms: [],
    agenda: [],
    state: "Draft",
    sequence: 0,
    invitations: [],
    attendance: [],
    remindersSent: [],
    createdAt: new Date(t0),
    updatedAt: new Date(t0)
  })

const invitation = (n: number, at: number) =>
  new Session.Invitation({
    personId: person(n),
    programmeId: "prg_1" as Ids.ProgrammeId,
    name: `Deelnemer ${n}`,
    email: `d${n}@example.nl` as never,
    language: n % 3 === 0 ? "en" : "nl",
    answer: "NeedsAction",
    invitedAt: new Date(at)
  })

type Op =
  | { readonly _tag: "schedule" | "reschedule"; readonly day: number; readonly hours: number }
  | { readonly _tag: "cancel" }
  | { readonly _tag: "invite"; readonly people: ReadonlyArray<number> }
  | { readonly _tag: "answer"; readonly person: number; readonly answer: "Accepted" | "Declined" | "Tentative" }
  | { readonly _tag: "attend"; readonly people: ReadonlyArray<number> }
  | { readonly _tag: "minutes" }
  | { readonly _tag: "publish" }
  | { readonly _tag: "remind" }
  | { readonly _tag: "wait"; readonly hours: number }

const arbOp: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      _tag: fc.constantFrom("schedule" as const, "reschedule" as const),
      day: fc.integer({ min: 1, max: 30 }),
      hours: fc.integer({ min: 1, max: 6 })
    }),
    weight: 3
  },
  { arbitrary: fc.constant({ _tag: "cancel" as const }), weight: 1 },
  { arbitrary: fc.record({ _tag: fc.constant("invite" as const), people: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 6 }) }), weight: 3 },
  {
    arbitrary: fc.record({
      _tag: fc.constant("answer" as const),
      person: fc.integer({ min: 1, max: 8 }),
      answer: fc.constantFrom("Accepted" as const, "Declined" as const, "Tentative" as const)
    }),
    weight: 2
  },
  { arbitrary: fc.record({ _tag: fc.constant("attend" as const), people: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }) }), weight: 3 },
  { arbitrary: fc.constant({ _tag: "minutes" as const }), weight: 2 },
  { arbitrary: fc.constant({ _tag: "publish" as const }), weight: 2 },
  { arbitrary: fc.constant({ _tag: "remind" as const }), weight: 4 },
  { arbitrary: fc.record({ _tag: fc.constant("wait" as const), hours: fc.integer({ min: 1, max: 24 * 8 }) }), weight: 4 }
)

const allowed: Record<Session.SessionState, ReadonlyArray<Session.SessionState>> = {
  Draft: ["Draft", "Scheduled", "Cancelled"],
  Scheduled: ["Scheduled", "Invited", "Cancelled"],
  Invited: ["Invited", "Held", "Cancelled"],
  Held: ["Held"],
  Cancelled: ["Cancelled"]
}

describe("Session rules (properties)", () => {
  it("any sequence of steps keeps the lifecycle, the sequence, the invitations and the reminders sound", () => {
    fc.assert(
      fc.property(fc.array(arbOp, { minLength: 20, maxLength: 60 }), (ops) => {
        let s = draft()
        let now = t0
        const settings = Session.defaultSessionSettings
        for (const op of ops) {
          const before = s
          const at = new Date(now)
          let result: Either.Either<Command.Transitioned<Session.Session>, unknown>
          switch (op._tag) {
            case "schedule":
            case "reschedule": {
              const start = new Date(t0 + op.day * 24 * HOUR)
              const slot = { start, end: new Date(start.getTime() + op.hours * HOUR) }
              result = op._tag === "schedule" ? Session.schedule(s, slot, at) : Session.reschedule(s, slot, at)
              break
            }
            case "cancel":
              result = Session.cancel(s, "Reden.", at)
              break
            case "invite":
              result = Session.invite(s, op.people.map((n) => invitation(n, now)), at)
              break
            case "answer":
              result = Session.answer(s, person(op.person), op.answer, at)
              break
            case "attend":
              // mostly invitees (by index), sometimes a stranger (person 9, never invited)
              result = Session.recordAttendance(
                s,
                op.people.map((n) => ({
                  personId: n === 3 || s.invitations.length === 0 ? person(9) : s.invitations[n % s.invitations.length]!.personId,
                  present: n % 2 === 0
                })),
                at
              )
              break
            case "minutes":
              result = Session.draftMinutes(s, "Verslag.", person(1), at)
              break
            case "publish":
              result = Session.publishMinutes(s, person(1), at)
              break
            case "remind": {
              const marks = Session.dueReminders(s, settings, at)
              result = Either.right(marks.length === 0 ? unchanged(s) : Session.markReminders(s, marks, at))
              // once handled, nothing is due again at the same time
              if (marks.length > 0) expect(Session.dueReminders(Either.getOrThrow(result).value, settings, at)).toEqual([])
              for (const m of marks) {
                expect(m.start.getTime()).toBe(s.start!.getTime())
                expect(Session.reminderTime(s.start!, m.daysBefore, s.timeZone).getTime()).toBeLessThanOrEqual(now)
              }
              break
            }
            case "wait":
              now += op.hours * HOUR
              result = Either.right(unchanged(s))
              break
          }
          if (Either.isLeft(result)) {
            // refused: a typed error, and the session as it was
            expect(["InvalidTransition", "RuleViolation"]).toContain((result.left as { _tag: string })._tag)
            expect(s).toBe(before)
            continue
          }
          const { events, value: next } = result.right
          // every change is told by events that name this session; no change, no event
          if (op._tag !== "wait" && next !== before) {
            const sent = op._tag === "remind" ? Session.dueReminders(before, settings, at).filter((m) => m.sent) : []
            if (op._tag !== "remind" || sent.length > 0) expect(events.length).toBeGreaterThan(0)
            for (const e of events) expect((e as { sessionId?: string }).sessionId).toBe(s.id)
          } else {
            expect(events).toEqual([])
          }
          expect(allowed[before.state]).toContain(next.state)
          expect(next.sequence).toBeGreaterThanOrEqual(before.sequence)
          if (op._tag === "reschedule" || (op._tag === "cancel")) expect(next.sequence).toBe(before.sequence + 1)
          else expect(next.sequence).toBe(before.sequence)
          const ids = next.invitations.map((i) => i.personId)
          expect(new Set(ids).size).toBe(ids.length)
          for (const a of next.attendance) expect(ids).toContain(a.personId)
          if (next.state === "Held") expect(next.start!.getTime()).toBeLessThanOrEqual(now)
          if (next.state === "Scheduled" || next.state === "Invited" || next.state === "Held") {
            expect(next.end!.getTime()).toBeGreaterThan(next.start!.getTime())
          }
          if (before.minutes?.state === "Published") expect(next.minutes).toEqual(before.minutes)
          s = next
        }
      }),
      { numRuns: 150 }
    )
  })
})
