// Type tests (checked by `pnpm typecheck`): the Sessions service and its facade refuse, at compile
// time, what the run-time decoding refuses too. The calls are never run.
import { describe, expectTypeOf, it } from "vitest"
import type { Client, Session, Sessions } from "@copkit/core"

declare const sessions: Sessions.SessionsService
declare const client: Client.Client
const organiser = { _tag: "RegionalOrganiser", personId: "per_1", regionId: "utrecht" } as const
const participant = { name: "Ilse Mulder", email: "ilse@bakkerij.example", organisation: "Bakkerij Mulder", helixRole: "Entrepreneur" } as const

describe("typed sessions inputs", () => {
  it("accepts the documented calls and refuses misspelt, missing and wrong-literal fields", () => {
    const compileOnly = async () => {
      sessions.enrol({ programmeId: "prg_1", participant })
      sessions.schedule({ sessionId: "ses_1", start: "2027-03-02T13:00:00Z", end: "2027-03-02T16:00:00Z", venue: { name: "Stadskantoor" } })
      sessions.answer({ sessionId: "ses_1", personId: "per_1", answer: "Tentative" })
      sessions.recordAttendance({ sessionId: "ses_1", attendance: [{ personId: "per_1", present: true }] })
      const answered = await client.sessions.answer(organiser, { sessionId: "ses_1", personId: "per_1", answer: "Accepted" })
      expectTypeOf(answered).toEqualTypeOf<Session.Session>()
      // @ts-expect-error a misspelt field
      sessions.cancel({ sessionID: "ses_1", reason: "x" })
      // @ts-expect-error a missing field
      sessions.cancel({ sessionId: "ses_1" })
      // @ts-expect-error a wrong enum literal
      sessions.answer({ sessionId: "ses_1", personId: "per_1", answer: "Maybe" })
      // @ts-expect-error a wrong helix role in a nested input
      sessions.enrol({ programmeId: "prg_1", participant: { ...participant, helixRole: "Banker" } })
      // @ts-expect-error a method that does not exist on the facade
      await client.sessions.delete(organiser, { sessionId: "ses_1" })
    }
    expectTypeOf(compileOnly).toBeFunction()
  })
})
