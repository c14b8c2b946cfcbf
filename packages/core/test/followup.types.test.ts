/**
 * The follow-up, network and personal-data methods are typed from their input schemas: a misspelt
 * field, a missing field or a wrong literal does not compile; the documented calls do. Checked by
 * `pnpm --filter @copkit/core run typecheck` (the `@ts-expect-error` lines fail the typecheck when
 * the error they expect goes away); the calls are built, never run.
 */
import { describe, expectTypeOf, it } from "@effect/vitest"
import type { Effect } from "effect"
import type { Actor, Agreement, FollowUp, Measure, Network, PersonalData, Programme, Report } from "@copkit/core"

type Success<T> = T extends Effect.Effect<infer A, any, any> ? A : never

/** The calls of the follow-up guide, and their refused misspellings. Never run. */
export const followUpCalls = (s: FollowUp.FollowUpService) => [
  s.recordAgreement({
    programmeId: "prg_utrecht",
    action: "Een kassa-sessie voor tien bakkers organiseren.",
    owner: { personId: "per_ilse" },
    dueDate: "2027-06-30",
    measureId: "msr_1",
    sessionId: "ses_closing"
  }),
  s.recordAgreement({
    programmeId: "prg_utrecht",
    action: "Loket inrichten.",
    owner: { personId: "per_jan", name: "Jan", organisation: "KvK" },
    dueDate: "2027-09-01"
  }),
  // @ts-expect-error a misspelt field: `programId` is not `programmeId`
  s.recordAgreement({ programId: "prg_utrecht", action: "x", owner: { personId: "per_ilse" }, dueDate: "2027-06-30" }),
  // @ts-expect-error a missing field: `dueDate`
  s.recordAgreement({ programmeId: "prg_utrecht", action: "x", owner: { personId: "per_ilse" } }),
  // @ts-expect-error the owner is `owner.personId`, not `ownerId`
  s.recordAgreement({ programmeId: "prg_utrecht", action: "x", ownerId: "per_ilse", dueDate: "2027-06-30" }),
  s.reviseAgreement({ agreementId: "agr_1", dueDate: "2027-07-01" }),
  s.startAgreement({ agreementId: "agr_1" }),
  s.completeAgreement({ agreementId: "agr_1" }),
  s.dropAgreement({ agreementId: "agr_1", reason: "Regeling gesloten." }),
  // @ts-expect-error a drop needs its reason
  s.dropAgreement({ agreementId: "agr_1" }),
  s.addNote({ agreementId: "agr_1", text: "Zaal geregeld." }),
  // @ts-expect-error a misspelt field: `note` is `text`
  s.addNote({ agreementId: "agr_1", note: "Zaal geregeld." }),
  s.getAgreement({ agreementId: "agr_1" }),
  s.listAgreements(),
  s.listAgreements({ programmeId: "prg_utrecht", status: ["Open", "InProgress"] }),
  // @ts-expect-error a wrong literal: the statuses are Open, InProgress, Done and Dropped
  s.listAgreements({ status: "Closed" }),
  s.defineMeasure({ programmeId: "prg_utrecht", title: "Eén mkb-loket", organisations: ["Kamer van Koophandel"] }),
  // @ts-expect-error a missing field: `organisations`
  s.defineMeasure({ programmeId: "prg_utrecht", title: "Eén mkb-loket" }),
  s.reviseMeasure({ measureId: "msr_1", title: "Vouchers" }),
  s.listMeasures({ programmeId: "prg_utrecht" }),
  s.synergy({ programmeId: "prg_utrecht" }),
  s.closeReadiness({ programmeId: "prg_utrecht" }),
  s.close({ programmeId: "prg_utrecht" }),
  // @ts-expect-error the id is a string
  s.close({ programmeId: 7 }),
  s.runReminders(),
  s.report({ programmeId: "prg_utrecht" }),
  s.exportCsv({ programmeId: "prg_utrecht", table: "attendance" }),
  // @ts-expect-error a wrong literal: the tables are participants, attendance and agreements
  s.exportCsv({ programmeId: "prg_utrecht", table: "everything" })
]

/** The calls of the network and personal-data services. Never run. */
export const otherCalls = (n: Network.NetworkService, p: PersonalData.PersonalDataService) => [
  n.overview(),
  n.overview({ minRegions: 3 }),
  n.search({ theme: "digitalisering", text: "kassa", kind: "PracticeExample", limit: 10 }),
  // @ts-expect-error a wrong literal: the kinds are WhatWorked, PracticeExample and Lesson
  n.search({ kind: "Anecdote" }),
  // @ts-expect-error a misspelt field: `query` is `text`
  n.search({ query: "kassa" }),
  p.exportPerson({ personId: "per_ilse" }),
  // @ts-expect-error a misspelt field: `person` is `personId`
  p.exportPerson({ person: "per_ilse" }),
  p.erase({ personId: "per_ilse" }),
  // @ts-expect-error a missing field: `personId`
  p.erase({}),
  p.applyRetention()
]

describe("typed methods", () => {
  it("return their typed results and need only the current actor", () => {
    expectTypeOf<Success<ReturnType<FollowUp.FollowUpService["recordAgreement"]>>>().toEqualTypeOf<Agreement.Agreement>()
    expectTypeOf<Success<ReturnType<FollowUp.FollowUpService["defineMeasure"]>>>().toEqualTypeOf<Measure.Measure>()
    expectTypeOf<Success<ReturnType<FollowUp.FollowUpService["close"]>>>().toEqualTypeOf<Programme.Programme>()
    expectTypeOf<Success<ReturnType<FollowUp.FollowUpService["report"]>>>().toEqualTypeOf<Report.ProgrammeReport>()
    expectTypeOf<Success<ReturnType<PersonalData.PersonalDataService["exportPerson"]>>>().toEqualTypeOf<PersonalData.PersonalDataExport>()
    expectTypeOf<Effect.Effect.Context<ReturnType<FollowUp.FollowUpService["synergy"]>>>().toEqualTypeOf<Actor.CurrentActor>()
    expectTypeOf<Effect.Effect.Context<ReturnType<Network.NetworkService["search"]>>>().toEqualTypeOf<Actor.CurrentActor>()
    expectTypeOf<Parameters<FollowUp.FollowUpService["exportCsv"]>[0]["table"]>().toEqualTypeOf<"participants" | "attendance" | "agreements">()
  })
})
