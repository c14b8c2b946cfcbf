import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import { Repository, Sessions } from "@copkit/core"
import { Inspector } from "@copkit/testing"
import { enrolAll, keyPerson, regions, seedProgramme, TestLayer, utrechtGroup } from "./sessions.fixtures.js"

const programmeState = (id: string) =>
  Effect.flatMap(Repository.ProgrammeRepository, (repo) => Effect.map(Repository.get(repo, id), (v) => v.value.state))

describe("the programme's stage follows its sessions", () => {
  it.effect("the first session held starts the programme; the closing session held moves it to follow-up", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(new Date("2027-02-01T09:00:00Z").getTime())
      const programme = yield* seedProgramme(regions.utrecht, "prg_stage")
      yield* enrolAll(programme.id, utrechtGroup)
      const s = yield* Sessions.Sessions
      const [kickOff, regular, closing] = yield* s.createFromPlan({ programmeId: programme.id }).pipe(keyPerson)
      const days = ["2027-03-02", "2027-03-30", "2027-04-27"]
      for (const [i, session] of [kickOff!, regular!, closing!].entries()) {
        yield* s.schedule({ sessionId: session.id, start: `${days[i]}T13:00:00Z`, end: `${days[i]}T16:00:00Z` }).pipe(keyPerson)
        yield* s.invite({ sessionId: session.id }).pipe(keyPerson)
      }
      const hold = (sessionId: string, day: string) =>
        Effect.gen(function*() {
          yield* TestClock.setTime(new Date(`${day}T17:00:00Z`).getTime())
          const current = yield* s.get({ sessionId }).pipe(keyPerson)
          yield* s.recordAttendance({
            sessionId,
            attendance: current.value.invitations.map((i) => ({ personId: i.personId, present: true }))
          }).pipe(keyPerson)
        })

      expect(yield* programmeState(programme.id)).toBe("Planned")
      yield* hold(kickOff!.id, days[0]!)
      expect(yield* programmeState(programme.id)).toBe("Running")
      yield* hold(regular!.id, days[1]!)
      expect(yield* programmeState(programme.id)).toBe("Running")
      yield* hold(closing!.id, days[2]!)
      expect(yield* programmeState(programme.id)).toBe("FollowUp")

      const types = (yield* Effect.flatMap(Inspector.Inspector, (i) => i.events())).map((e) => e.type)
      expect(types.filter((t) => t === "ProgrammeStarted")).toHaveLength(1)
      expect(types.filter((t) => t === "ProgrammeInFollowUp")).toHaveLength(1)
      // correcting the attendance of a held session does not move the programme again
      yield* hold(kickOff!.id, days[2]!)
      expect(yield* programmeState(programme.id)).toBe("FollowUp")
    }).pipe(Effect.provide(TestLayer)))
})
