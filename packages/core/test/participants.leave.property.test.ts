import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import fc from "fast-check"
import { Enrolment, Ids, Participants, Person, Session } from "@copkit/core"

// The pure decider behind `Sessions.leave`: who leaves, who takes the place, which upcoming
// sessions change, and the events of each, without any store.

const t0 = Date.parse("2027-03-01T09:00:00Z")
const HOUR = 3_600_000
const programmeId = "prg_1" as Ids.ProgrammeId

const person = (n: number) =>
  new Person.Person({
    id: `per_${n}` as Ids.PersonId,
    name: `Deelnemer ${n}`,
    email: `d${n}@example.nl` as never,
    helixRole: "Entrepreneur",
    language: "nl"
  })

const enrolment = (n: number, status: "Active" | "Reserve" | "Left", position: number) =>
  new Enrolment.Enrolment({
    id: `enr_${n}` as Ids.EnrolmentId,
    programmeId,
    regionId: "utrecht" as Ids.RegionId,
    person: person(n),
    status,
    ...(status === "Reserve" ? { reservePosition: position } : {}),
    enrolledAt: new Date(t0 - (100 - n) * HOUR)
  })

const session = (n: number, state: Session.SessionState, hoursFromNow: number, invited: ReadonlyArray<number>) =>
  new Session.Session({
    id: `ses_${n}` as Ids.SessionId,
    programmeIds: [programmeId],
    regionIds: ["utrecht" as Ids.RegionId],
    title: `Bijeenkomst ${n}`,
    workForms: [],
    agenda: [],
    state,
    sequence: 0,
    ...(state === "Draft" ? {} : { start: new Date(t0 + hoursFromNow * HOUR), end: new Date(t0 + (hoursFromNow + 2) * HOUR) }),
    invitations: state === "Invited" || state === "Held"
      ? invited.map((p) =>
        new Session.Invitation({
          personId: person(p).id,
          programmeId,
          name: person(p).name,
          email: person(p).email!,
          language: "nl",
          answer: "NeedsAction",
          invitedAt: new Date(t0 - 48 * HOUR)
        })
      )
      : [],
    attendance: [],
    remindersSent: [],
    createdAt: new Date(t0 - 96 * HOUR),
    updatedAt: new Date(t0 - 96 * HOUR)
  })

const arbCase = fc.record({
  statuses: fc.array(fc.constantFrom("Active" as const, "Reserve" as const, "Left" as const), { minLength: 1, maxLength: 8 }),
  positions: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 8, maxLength: 8 }),
  leaver: fc.nat(),
  promoteReserve: fc.boolean(),
  sessions: fc.array(
    fc.record({
      state: fc.constantFrom("Draft" as const, "Scheduled" as const, "Invited" as const, "Held" as const, "Cancelled" as const),
      hours: fc.integer({ min: -72, max: 72 })
    }),
    { maxLength: 5 }
  )
})

describe("Participants.leave (properties)", () => {
  it("the leaver leaves, the first reserve takes an active place, and only upcoming sessions change, each with its events", () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const group = c.statuses.map((status, i) => enrolment(i + 1, status, c.positions[i]!))
        const leaver = group[c.leaver % group.length]!
        const active = group.filter((e) => e.status === "Active").map((e) => Number(e.person.id.slice(4)))
        const sessions = c.sessions.map((s, i) => session(i + 1, s.state, s.hours, active))
        const now = new Date(t0)
        const result = Participants.leave(leaver, group, sessions, { reason: "Verhuisd.", promoteReserve: c.promoteReserve }, now)

        if (leaver.status === "Left") {
          // leaving twice is refused, and nothing is decided
          expect(Either.isLeft(result)).toBe(true)
          if (Either.isLeft(result)) expect(result.left._tag).toBe("InvalidTransition")
          return
        }
        const { left, promoted, sessions: changed } = Either.getOrThrow(result)
        expect(left.value.status).toBe("Left")
        expect(left.value.leftReason).toBe("Verhuisd.")
        expect(left.events.map((e) => e._tag)).toEqual(["ParticipantLeft"])

        const first = Participants.reserveList(group)[0]
        if (leaver.status === "Active" && c.promoteReserve && first !== undefined) {
          expect(promoted?.value.id).toBe(first.id)
          expect(promoted?.value.status).toBe("Active")
          expect(promoted?.value.reservePosition).toBeUndefined()
          expect(promoted?.events).toEqual([expect.objectContaining({ _tag: "ReservePromoted", replacing: leaver.id })])
        } else {
          expect(promoted).toBeUndefined()
        }

        for (const s of sessions) {
          const change = changed.find((x) => x.value.id === s.id)
          const upcoming = (s.state === "Scheduled" || s.state === "Invited") && s.start!.getTime() > now.getTime()
          const wasInvited = s.invitations.some((i) => i.personId === leaver.person.id)
          const gains = promoted !== undefined && s.state === "Invited"
          if (!upcoming || (!wasInvited && !gains)) {
            expect(change).toBeUndefined()
            continue
          }
          expect(change).toBeDefined()
          const ids = change!.value.invitations.map((i) => i.personId)
          expect(ids).not.toContain(leaver.person.id)
          expect(change!.events.map((e) => e._tag)).toEqual([
            ...(wasInvited ? ["SessionInvitationWithdrawn"] : []),
            ...(gains ? ["SessionInvitationsSent"] : [])
          ])
          if (gains) expect(ids).toContain(promoted!.value.person.id)
        }
      }),
      { numRuns: 300 }
    )
  })
})

describe("Participants.attendanceOf and missedSessionNotices (properties)", () => {
  it("the streak is the trailing run of absences; the notice fires once, when the streak reaches the setting", () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 4 }), (presence, n) => {
        const me = enrolment(1, "Active", 0)
        const sessions = presence.map((present, i) => {
          const s = session(i + 1, "Held", -200 + i * 24, [1])
          return new Session.Session({
            ...s,
            attendance: present ? [new Session.Attendance({ personId: me.person.id, present: true, recordedAt: new Date(t0) })] : []
          })
        })
        const row = Participants.attendanceOf(programmeId, sessions).get(me.person.id)!
        let trailing = 0
        for (const p of presence) trailing = p ? 0 : trailing + 1
        expect(row.missedInARow).toBe(trailing)
        expect(row.present).toBe(presence.filter(Boolean).length)
        expect(row.invited).toBe(presence.length)
        // replaying the sessions one by one: exactly one notice per streak that reaches n
        let notices = 0
        for (let i = 0; i < sessions.length; i++) {
          notices += Participants.missedSessionNotices(sessions[i]!, programmeId, sessions.slice(0, i), [me], {
            ...Participants.defaultParticipantSettings,
            missedInARow: n
          }).length
        }
        let expected = 0
        let run = 0
        for (const p of presence) {
          run = p ? 0 : run + 1
          if (run === n) expected += 1
        }
        expect(notices).toBe(expected)
      }),
      { numRuns: 300 }
    )
  })
})
