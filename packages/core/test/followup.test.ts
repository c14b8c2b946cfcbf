import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Exit, Option, TestClock } from "effect"
import * as fc from "fast-check"
import type { Ids } from "@copkit/core"
import {
  Actor,
  Agreement,
  EventLog,
  FollowUp,
  FollowUpClosing,
  FollowUpNotifications,
  FollowUpReminders,
  Programme,
  Measure,
  Notification,
  Repository,
  SessionNotifications,
  Settings
} from "@copkit/core"
import { daysBetween, localDate } from "../src/internal/dates.js"
import { Fixtures, Inspector } from "@copkit/testing"
import { at, hold, runningProgramme, saveProgramme, saveSession, t0, TestLayer, utrechtGroup } from "./followup.support.js"

const { actors, people } = Fixtures
const coordinator = Actor.as(actors.coordinator)
const keyPerson = Actor.as(actors.keyPerson)
const organiser = Actor.as(actors.organiser)
const baker = Actor.as(actors.participant) // Ilse Mulder, a participant of Utrecht
const otherParticipant = Actor.as({ _tag: "Participant", personId: "per_utr_1" as Ids.PersonId, regionId: Fixtures.regions.utrecht.id })
const twente = Actor.as(actors.keyPersonTwente)
const system = Actor.as(actors.system)

const eventTypes = Effect.flatMap(Inspector.Inspector, (i) => i.events()).pipe(Effect.map((es) => es.map((e) => e.type)))

const failure = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.exit(self), (exit) => {
    if (Exit.isSuccess(exit)) throw new Error("expected a failure")
    const f = exit.cause._tag === "Fail" ? exit.cause.error : undefined
    if (f === undefined) throw new Error(`expected a typed failure, got ${exit.cause._tag}`)
    return f as E & { readonly _tag: string }
  })

const record = (programmeId: string, fields: Record<string, unknown> = {}) =>
  Effect.flatMap(FollowUp.FollowUp, (s) =>
    s.recordAgreement({
      programmeId,
      action: "Een digitale-kassa-sessie organiseren voor tien bakkers.",
      owner: { personId: people.baker.id },
      dueDate: "2027-06-30",
      ...fields
    }))

describe("FollowUp: agreements", () => {
  it.effect("records an agreement, looking up the owner's name and organisation, and takes it Open -> InProgress -> Done with notes", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(at("2027-05-12T10:00:00Z").getTime())
      const { programme, closing } = yield* runningProgramme()
      const service = yield* FollowUp.FollowUp
      const agreement = yield* record(programme.id, { sessionId: closing.id }).pipe(keyPerson)
      expect(agreement.status).toBe("Open")
      expect(agreement.owner).toEqual({ personId: people.baker.id, name: "Ilse Mulder", organisation: "Bakkerij Mulder" })
      expect(agreement.sessionId).toBe(closing.id)
      expect(agreement.regionId).toBe("utrecht")

      const started = yield* service.startAgreement({ agreementId: agreement.id }).pipe(baker)
      expect(started.status).toBe("InProgress")
      yield* TestClock.adjust("1 day")
      const noted = yield* service.addNote({ agreementId: agreement.id, text: "Zaal geregeld bij de bibliotheek." }).pipe(baker)
      expect(noted.notes).toHaveLength(1)
      expect(noted.notes[0]!.author).toBe(people.baker.id)
      expect(noted.notes[0]!.at.toISOString()).toBe("2027-05-13T10:00:00.000Z")
      const done = yield* service.completeAgreement({ agreementId: agreement.id }).pipe(organiser)
      expect(done.status).toBe("Done")

      const stored = yield* service.getAgreement({ agreementId: agreement.id }).pipe(coordinator)
      expect(stored.version).toBe(4)
      expect(stored.value.status).toBe("Done")
      expect(yield* eventTypes).toEqual(["AgreementRecorded", "AgreementStatusChanged", "AgreementNoteAdded", "AgreementStatusChanged"])
      // A done agreement is final.
      const refused = yield* failure(service.startAgreement({ agreementId: agreement.id }).pipe(coordinator))
      expect(refused._tag).toBe("InvalidTransition")
      expect(refused).toMatchObject({ from: "Done", to: "InProgress" })
    }).pipe(Effect.provide(TestLayer)))

  it.effect("drops an agreement only with a reason; a dropped agreement is final", () =>
    Effect.gen(function*() {
      const { programme } = yield* runningProgramme()
      const service = yield* FollowUp.FollowUp
      const agreement = yield* record(programme.id).pipe(keyPerson)
      // @ts-expect-error a drop needs a reason: refused by the compiler, and at run time with a ValidationError
      const missing = yield* failure(service.dropAgreement({ agreementId: agreement.id }).pipe(keyPerson))
      expect(missing).toMatchObject({ _tag: "ValidationError", field: "reason", rule: "required" })
      const dropped = yield* service.dropAgreement({ agreementId: agreement.id, reason: "De subsidie is vervallen." }).pipe(keyPerson)
      expect(dropped.status).toBe("Dropped")
      expect(dropped.droppedReason).toBe("De subsidie is vervallen.")
      const again = yield* failure(service.completeAgreement({ agreementId: agreement.id }).pipe(keyPerson))
      expect(again._tag).toBe("InvalidTransition")
      const revised = yield* failure(service.reviseAgreement({ agreementId: agreement.id, dueDate: "2027-09-01" }).pipe(keyPerson))
      expect(revised._tag).toBe("InvalidTransition")
    }).pipe(Effect.provide(TestLayer)))

  it.effect("revises an open agreement: a new due date resets its reminders", () =>
    Effect.gen(function*() {
      const { programme } = yield* runningProgramme()
      const service = yield* FollowUp.FollowUp
      const agreement = yield* record(programme.id).pipe(keyPerson)
      const repo = yield* Repository.AgreementRepository
      const current = yield* Repository.get(repo, agreement.id)
      yield* repo.save(new Agreement.Agreement({ ...current.value, remindersSent: ["due-7"] }), current.version)
      const revised = yield* service.reviseAgreement({
        agreementId: agreement.id,
        dueDate: "2027-08-15",
        owner: { personId: "per_utr_2", organisation: "Ondernemersvereniging" }
      }).pipe(baker)
      expect(revised.dueDate).toBe("2027-08-15")
      expect(revised.remindersSent).toEqual([])
      expect(revised.owner).toEqual({ personId: "per_utr_2", name: "Deelnemer UTR 2", organisation: "Ondernemersvereniging" })
      // The owner has changed: the baker is no longer a party.
      const refused = yield* failure(service.addNote({ agreementId: agreement.id, text: "Nog een notitie." }).pipe(baker))
      expect(refused._tag).toBe("Forbidden")
    }).pipe(Effect.provide(TestLayer)))

  it.effect("permissions: the owner, the region's key persons and organisers and the coordinator may update; others may not", () =>
    Effect.gen(function*() {
      const { programme } = yield* runningProgramme()
      const service = yield* FollowUp.FollowUp
      const agreement = yield* record(programme.id).pipe(keyPerson)
      const before = yield* Effect.flatMap(Inspector.Inspector, (i) => i.events())
      for (const actor of [otherParticipant, twente, Actor.as(actors.administrator)]) {
        const refused = yield* failure(service.startAgreement({ agreementId: agreement.id }).pipe(actor))
        expect(refused._tag).toBe("Forbidden")
        const note = yield* failure(service.addNote({ agreementId: agreement.id, text: "Mag dit?" }).pipe(actor))
        expect(note._tag).toBe("Forbidden")
      }
      expect(yield* Effect.flatMap(Inspector.Inspector, (i) => i.events())).toHaveLength(before.length)
      // Recording is for the region and the coordinator, not for participants.
      expect((yield* failure(record(programme.id).pipe(baker)))._tag).toBe("Forbidden")
      expect((yield* failure(record(programme.id).pipe(twente)))._tag).toBe("Forbidden")
      // Reading: a participant sees their own actions only.
      yield* record(programme.id, { owner: { personId: "per_utr_1" } }).pipe(organiser)
      const mine = yield* service.listAgreements({}).pipe(baker)
      expect(mine.map((a) => a.value.owner.personId)).toEqual([people.baker.id])
      const theirs = yield* service.listAgreements({}).pipe(otherParticipant)
      expect(theirs.map((a) => a.value.owner.personId)).toEqual(["per_utr_1"])
      expect((yield* failure(service.listAgreements({ ownerId: people.baker.id }).pipe(otherParticipant)))._tag).toBe("Forbidden")
      expect(yield* service.listAgreements({}).pipe(keyPerson)).toHaveLength(2)
      expect(yield* service.listAgreements({}).pipe(twente)).toHaveLength(0)
      expect((yield* failure(service.listAgreements({ regionId: "utrecht" }).pipe(twente)))._tag).toBe("Forbidden")
      expect(yield* service.listAgreements({ status: "Open" }).pipe(coordinator)).toHaveLength(2)
      expect((yield* failure(service.getAgreement({ agreementId: agreement.id }).pipe(otherParticipant)))._tag).toBe("Forbidden")
    }).pipe(Effect.provide(TestLayer)))

  it.effect("bad input fails with a ValidationError naming the field and rule, and stores nothing", () =>
    Effect.gen(function*() {
      const { programme } = yield* runningProgramme()
      const cases: ReadonlyArray<[Record<string, unknown>, string, string]> = [
        [{ dueDate: "2027-02-30" }, "dueDate", "localDate"],
        [{ action: "   " }, "action", "nonEmpty"],
        [{ owner: { personId: "per_nobody" } }, "owner.name", "required"],
        [{ owner: { personId: "per x" } }, "owner.personId", "pattern"],
        [{ measureId: "msr_missing" }, "measureId", "belongsToProgramme"],
        [{ sessionId: "ses_missing" }, "sessionId", "belongsToProgramme"],
        [{ colour: "red" }, "colour", "not-allowed"]
      ]
      for (const [fields, field, rule] of cases) {
        const error = yield* failure(record(programme.id, fields).pipe(keyPerson))
        expect(error).toMatchObject({ _tag: "ValidationError", field, rule })
      }
      expect(yield* Effect.flatMap(Inspector.Inspector, (i) => i.count("agreements"))).toBe(0)
      const unknownProgramme = yield* failure(record("prg_missing").pipe(coordinator))
      expect(unknownProgramme._tag).toBe("NotFound")
    }).pipe(Effect.provide(TestLayer)))

  it.effect("agreements are not recorded for a programme that is still in co-design or already completed", () =>
    Effect.gen(function*() {
      const p = yield* saveProgramme({ id: "prg_codesign", state: "CoDesign" })
      const error = yield* failure(record(p.id, { owner: { personId: people.chamber.id } }).pipe(keyPerson))
      expect(error).toMatchObject({ _tag: "RuleViolation", rule: "programme-open-for-agreements" })
    }).pipe(Effect.provide(TestLayer)))
})

describe("FollowUp: measures and the synergy view", () => {
  it.effect("defines measures with their organisations; the synergy view shows per organisation its measures and actions", () =>
    Effect.gen(function*() {
      const { programme } = yield* runningProgramme()
      const service = yield* FollowUp.FollowUp
      const loket = yield* service.defineMeasure({
        programmeId: programme.id,
        title: "Eén mkb-loket in de regio",
        organisations: ["Kamer van Koophandel", "Gemeente Utrecht"]
      }).pipe(keyPerson)
      const vouchers = yield* service.defineMeasure({
        programmeId: programme.id,
        title: "Digitaliseringsvouchers",
        description: "Kleine vouchers voor een eerste stap.",
        organisations: ["gemeente  utrecht", "Provincie Utrecht"]
      }).pipe(organiser)
      yield* record(programme.id, { measureId: loket.id, owner: { personId: people.chamber.id } }).pipe(keyPerson)
      yield* record(programme.id, { measureId: vouchers.id }).pipe(keyPerson)
      const view = yield* service.synergy({ programmeId: programme.id }).pipe(keyPerson)
      expect(view.map((o) => o.organisation)).toEqual(["Bakkerij Mulder", "Gemeente Utrecht", "Kamer van Koophandel", "Provincie Utrecht"])
      const gemeente = view.find((o) => o.organisation === "Gemeente Utrecht")!
      expect(gemeente.measures.map((m) => m.title)).toEqual(["Eén mkb-loket in de regio", "Digitaliseringsvouchers"])
      const kvk = view.find((o) => o.organisation === "Kamer van Koophandel")!
      expect(kvk.actions.map((a) => a.measureId)).toEqual([loket.id])
      expect(view.find((o) => o.organisation === "Bakkerij Mulder")!.actions).toHaveLength(1)

      const renamed = yield* service.reviseMeasure({ measureId: vouchers.id, title: "Vouchers voor digitalisering" }).pipe(keyPerson)
      expect(renamed.title).toBe("Vouchers voor digitalisering")
      expect(renamed.organisations).toEqual(vouchers.organisations)
      expect((yield* service.listMeasures({ programmeId: programme.id }).pipe(keyPerson)).map((m) => m.value.title)).toEqual([
        "Eén mkb-loket in de regio",
        "Vouchers voor digitalisering"
      ])
      expect((yield* failure(service.synergy({ programmeId: programme.id }).pipe(twente)))._tag).toBe("Forbidden")
      expect((yield* failure(service.defineMeasure({ programmeId: programme.id, title: "X", organisations: [] }).pipe(baker)))._tag).toBe("Forbidden")
      const tooMany = yield* failure(
        service.defineMeasure({ programmeId: programme.id, title: "X", organisations: Array.from({ length: 51 }, (_, i) => `Org ${i}`) }).pipe(keyPerson)
      )
      expect(tooMany).toMatchObject({ _tag: "ValidationError", field: "organisations" })
    }).pipe(Effect.provide(TestLayer)))

  it("synergy is a pure grouping: every measure's organisations and every action's organisation appear once", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom("KvK", "kvk", "Gemeente", "Provincie ", "ROM"), { maxLength: 4 }), { maxLength: 6 }),
        fc.array(fc.constantFrom("KvK", "Gemeente", "Bakkerij", "ROM"), { maxLength: 6 }),
        (measureOrgs, actionOrgs) => {
          const measures = measureOrgs.map((organisations, i) => ({
            id: `msr_${i}`,
            programmeId: "prg_1",
            regionId: "utrecht",
            title: `M${i}`,
            organisations,
            createdAt: t0,
            updatedAt: t0
          })) as unknown as ReadonlyArray<Measure.OrganisationLoad["measures"][number] & { organisations: ReadonlyArray<string> }>
          const agreements = actionOrgs.map((organisation, i) => ({
            id: `agr_${i}`,
            action: "a",
            status: "Open",
            dueDate: "2027-01-01",
            owner: { personId: "per_1", name: "n", organisation }
          }))
          const view = Measure.synergy(measures as never, agreements as never)
          const keys = view.map((o) => o.organisation.toLowerCase().trim())
          expect(new Set(keys).size).toBe(keys.length)
          expect(view.reduce((n, o) => n + o.actions.length, 0)).toBe(actionOrgs.length)
          const distinctPerMeasure = measureOrgs.reduce((n, orgs) => n + new Set(orgs.map((o) => o.toLowerCase().trim())).size, 0)
          expect(view.reduce((n, o) => n + o.measures.length, 0)).toBe(distinctPerMeasure)
        }
      )
    )
  })
})

describe("FollowUp: closing the programme", () => {
  it.effect("is refused, naming what is missing, until the closing session is held and agreements are recorded", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(at("2027-05-12T10:00:00Z").getTime())
      const { programme, closing } = yield* runningProgramme()
      const service = yield* FollowUp.FollowUp
      const first = yield* failure(service.close({ programmeId: programme.id }).pipe(coordinator))
      expect(first).toMatchObject({ _tag: "RuleViolation", rule: "programme-close-ready" })
      const details = (first as unknown as { details: ReadonlyArray<string> }).details
      expect(details).toHaveLength(2)
      expect(details[0]).toContain("Afsluiting")
      expect(details[0]).toContain("Invited")
      expect(details[1]).toContain("0 recorded")
      expect(yield* service.closeReadiness({ programmeId: programme.id }).pipe(keyPerson)).toEqual(details)

      yield* hold(closing.id)
      const second = yield* failure(service.close({ programmeId: programme.id }).pipe(coordinator))
      expect((second as unknown as { details: ReadonlyArray<string> }).details).toEqual(["agreements: 0 recorded, at least 1 needed"])

      const dropped = yield* record(programme.id).pipe(keyPerson)
      yield* service.dropAgreement({ agreementId: dropped.id, reason: "Niet meer nodig." }).pipe(keyPerson)
      expect((yield* failure(service.close({ programmeId: programme.id }).pipe(coordinator)))._tag).toBe("RuleViolation")

      yield* record(programme.id).pipe(keyPerson)
      expect(yield* service.closeReadiness({ programmeId: programme.id }).pipe(keyPerson)).toEqual([])
      expect((yield* failure(service.close({ programmeId: programme.id }).pipe(keyPerson)))._tag).toBe("Forbidden")
      const closed = yield* service.close({ programmeId: programme.id }).pipe(coordinator)
      expect(closed.state).toBe("Completed")
      expect(closed.closedAt?.toISOString()).toBe("2027-05-12T10:00:00.000Z")
      const log = yield* EventLog.EventLog
      const last = (yield* log.read()).at(-1)!
      expect(last.event).toEqual({ _tag: "ProgrammeCompleted", programmeId: programme.id, closingSessionId: closing.id, agreements: 1 })
      const again = yield* failure(service.close({ programmeId: programme.id }).pipe(coordinator))
      expect(again).toMatchObject({ _tag: "InvalidTransition", from: "Completed", to: "Completed" })
    }).pipe(Effect.provide(TestLayer)))

  it.effect("without a Closing item in the plan, the programme's last session must be held", () =>
    Effect.gen(function*() {
      const programme = yield* saveProgramme({ withClosingItem: false })
      const group = utrechtGroup()
      yield* saveSession(programme, { id: "ses_a", state: "Held", start: at("2027-03-02T13:00:00Z"), invitees: group })
      yield* saveSession(programme, { id: "ses_b", state: "Scheduled", start: at("2027-04-02T13:00:00Z"), invitees: group })
      yield* saveSession(programme, { id: "ses_c", state: "Cancelled", start: at("2027-05-02T13:00:00Z"), invitees: group })
      yield* record(programme.id, { owner: { personId: people.chamber.id } }).pipe(keyPerson)
      const service = yield* FollowUp.FollowUp
      const refused = yield* failure(service.close({ programmeId: programme.id }).pipe(coordinator))
      expect((refused as unknown as { details: ReadonlyArray<string> }).details[0]).toContain("ses_b")
      yield* hold("ses_b")
      expect((yield* service.close({ programmeId: programme.id }).pipe(coordinator)).state).toBe("Completed")
    }).pipe(Effect.provide(TestLayer)))

  it("close is refused from every state but Planned, Running and FollowUp", () => {
    for (const state of ["CoDesign", "Planned", "Running", "FollowUp", "Completed", "Withdrawn", "Cancelled"] as const) {
      const result = FollowUpClosing.close(
        { state, id: "prg_1", plan: [] } as never,
        [],
        [],
        { minAgreementsToClose: 1 },
        t0
      )
      expect(Either.isLeft(result)).toBe(true)
      const error = Either.getLeft(result).pipe(Option.getOrThrow)
      expect(error._tag).toBe(Programme.closableStates.includes(state) ? "RuleViolation" : "InvalidTransition")
    }
  })
})

describe("FollowUp: the status rule (property)", () => {
  const statuses = Agreement.AgreementStatus.literals
  it("any sequence of requested steps only ever takes allowed steps, and Done and Dropped are final", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...statuses), { maxLength: 12 }), (steps) => {
        let a = new Agreement.Agreement({
          id: "agr_1" as Ids.AgreementId,
          programmeId: "prg_1" as Ids.ProgrammeId,
          regionId: "utrecht" as Ids.RegionId,
          action: "Iets doen",
          owner: { personId: "per_1" as Ids.PersonId, name: "A", organisation: "B" },
          dueDate: "2027-06-01" as Agreement.Agreement["dueDate"],
          status: "Open",
          notes: [],
          createdAt: t0,
          updatedAt: t0
        })
        for (const to of steps) {
          const from = a.status
          const result = Agreement.changeStatus(a, to, t0, "reden")
          if (Either.isRight(result)) {
            expect(Agreement.statusSteps[from]).toContain(to)
            a = result.right.value
            expect(result.right.events).toEqual([{ _tag: "AgreementStatusChanged", agreementId: a.id, from, to }])
          } else {
            expect(Agreement.statusSteps[from]).not.toContain(to)
            expect(result.left._tag).toBe("InvalidTransition")
          }
        }
        if (a.status === "Dropped") expect(a.droppedReason).toBe("reden")
      })
    )
  })
})

describe("FollowUp: reminders and check-ins", () => {
  const run = Effect.flatMap(FollowUp.FollowUp, (s) => s.runReminders().pipe(system))

  it.effect("raises a due reminder a week before, an overdue one after the due date, each once; check-ins 3 and 6 months after closing", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(at("2027-05-12T10:00:00Z").getTime())
      const { programme, closing } = yield* runningProgramme()
      const service = yield* FollowUp.FollowUp
      const a = yield* record(programme.id, { dueDate: "2027-06-30" }).pipe(keyPerson)
      const b = yield* record(programme.id, { dueDate: "2027-06-30", owner: { personId: "per_utr_1" } }).pipe(keyPerson)
      yield* hold(closing.id)
      yield* service.close({ programmeId: programme.id }).pipe(coordinator)

      expect(yield* run).toEqual({ dueSoon: [], overdue: [], checkIns: [] })
      // 2027-06-23 08:00 in Amsterdam is seven days before the due date.
      yield* TestClock.setTime(at("2027-06-23T06:00:00Z").getTime())
      expect(yield* run).toEqual({ dueSoon: [a.id, b.id], overdue: [], checkIns: [] })
      expect(yield* run).toEqual({ dueSoon: [], overdue: [], checkIns: [] })
      yield* service.completeAgreement({ agreementId: b.id }).pipe(keyPerson)
      // The due date itself is not overdue; the day after is.
      yield* TestClock.setTime(at("2027-06-30T21:00:00Z").getTime()) // 23:00 in Amsterdam on the 30th
      expect((yield* run).overdue).toEqual([])
      yield* TestClock.setTime(at("2027-06-30T22:30:00Z").getTime()) // 00:30 on 1 July
      expect(yield* run).toEqual({ dueSoon: [], overdue: [a.id], checkIns: [] })
      expect((yield* run).overdue).toEqual([])

      // Check-ins: closed on 12 May; 3 months is 12 August; 6 months 12 November.
      yield* TestClock.setTime(at("2027-08-12T09:59:00Z").getTime())
      expect((yield* run).checkIns).toEqual([])
      yield* TestClock.setTime(at("2027-08-12T10:00:00Z").getTime())
      expect((yield* run).checkIns).toEqual([{ programmeId: programme.id, monthsAfterClosing: 3 }])
      expect((yield* run).checkIns).toEqual([])
      yield* TestClock.setTime(at("2027-12-01T10:00:00Z").getTime())
      expect((yield* run).checkIns).toEqual([{ programmeId: programme.id, monthsAfterClosing: 6 }])
      yield* TestClock.setTime(at("2028-12-01T10:00:00Z").getTime())
      expect(yield* run).toEqual({ dueSoon: [], overdue: [], checkIns: [] })

      const types = (yield* eventTypes).filter((t) => ["AgreementDueSoon", "AgreementOverdue", "FollowUpCheckInDue"].includes(t))
      expect(types).toEqual(["AgreementDueSoon", "AgreementDueSoon", "AgreementOverdue", "FollowUpCheckInDue", "FollowUpCheckInDue"])
      // Only the System actor or the coordinator runs the job.
      expect((yield* failure(service.runReminders().pipe(keyPerson)))._tag).toBe("Forbidden")
    }).pipe(Effect.provide(TestLayer)))

  it.effect("the offsets are settings; a late run raises only the nearest reminder", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(at("2027-05-01T10:00:00Z").getTime())
      const { programme } = yield* runningProgramme()
      const a = yield* record(programme.id, { dueDate: "2027-06-30" }).pipe(keyPerson)
      yield* TestClock.setTime(at("2027-06-29T10:00:00Z").getTime())
      const result = yield* run
      expect(result.dueSoon).toEqual([a.id])
      const log = yield* EventLog.EventLog
      const raised = (yield* log.read()).filter((e) => e.event._tag === "AgreementDueSoon")
      expect(raised.map((e) => e.event)).toEqual([{ _tag: "AgreementDueSoon", agreementId: a.id, dueDate: "2027-06-30", daysBefore: 1 }])
      const stored = yield* Effect.flatMap(Repository.AgreementRepository, (r) => Repository.get(r, a.id))
      expect([...(stored.value.remindersSent ?? [])].sort()).toEqual(["due-1", "due-14"])
      expect((yield* run).dueSoon).toEqual([])
    }).pipe(
      Effect.provide(TestLayer),
      Effect.provide(Settings.layer({ followUp: { dueReminderDaysBefore: [14, 1] } }))
    ))

  it.effect("notifications: a due reminder goes to the owner, a check-in to the core team; other events are not this source's", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(at("2027-05-12T10:00:00Z").getTime())
      const { programme, closing } = yield* runningProgramme()
      const service = yield* FollowUp.FollowUp
      yield* record(programme.id, { dueDate: "2027-06-30" }).pipe(keyPerson)
      yield* hold(closing.id)
      yield* service.close({ programmeId: programme.id }).pipe(coordinator)
      yield* TestClock.setTime(at("2027-06-23T10:00:00Z").getTime())
      yield* run
      yield* TestClock.setTime(at("2027-08-13T10:00:00Z").getTime())
      yield* run
      const events = yield* Effect.flatMap(EventLog.EventLog, (l) => l.read())
      const due = events.find((e) => e.event._tag === "AgreementDueSoon")!
      const notifications = Option.getOrThrow(yield* FollowUpNotifications.forFollowUpEvent(due))
      expect(notifications).toHaveLength(1)
      expect(notifications[0]).toMatchObject({
        kind: "AgreementDue",
        eventId: due.id,
        recipient: { personId: people.baker.id, email: people.baker.email, name: "Ilse Mulder", language: "nl" },
        programmeName: "Regio Utrecht",
        agreement: { dueDate: "2027-06-30" }
      })
      const checkIn = events.find((e) => e.event._tag === "FollowUpCheckInDue")!
      const team = Option.getOrThrow(yield* FollowUpNotifications.forFollowUpEvent(checkIn))
      expect(team.map((n) => n.recipient.email)).toEqual([people.entrepreneur.email, people.civilServant.email, people.chamber.email])
      expect(team.every((n) => n.kind === "FollowUpCheckIn" && n.monthsAfterClosing === 3)).toBe(true)
      // the check-in names the agreements still open, to record an outcome for
      expect(team[0]!.openAgreements).toHaveLength(1)
      const other = events.find((e) => e.event._tag === "AgreementRecorded")!
      expect(Option.isNone(yield* FollowUpNotifications.forFollowUpEvent(other))).toBe(true)
      // Composed with the sessions' handler into one NotificationSource.
      const composed = yield* Effect.provide(
        Notification.NotificationSource,
        SessionNotifications.layerWith(SessionNotifications.forSessionEvent, FollowUpNotifications.forFollowUpEvent)
      )
      expect((yield* composed.forEvent(due)).map((n) => n.kind)).toEqual(["AgreementDue"])
      expect(yield* composed.forEvent(other)).toEqual([])
      const alone = yield* Effect.provide(Notification.NotificationSource, FollowUpNotifications.layer)
      expect((yield* alone.forEvent(checkIn))).toHaveLength(3)
    }).pipe(Effect.provide(TestLayer)))

  it("dueReminder raises each reminder at most once, whatever days the job runs on (property)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: -20, max: 40 }), { maxLength: 15 }).map((days) => [...days].sort((x, y) => y - x)),
        fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (daysLeftSequence, offsets, overdueReminder) => {
          let a = new Agreement.Agreement({
            id: "agr_1" as Ids.AgreementId,
            programmeId: "prg_1" as Ids.ProgrammeId,
            regionId: "utrecht" as Ids.RegionId,
            action: "Iets doen",
            owner: { personId: "per_1" as Ids.PersonId, name: "A", organisation: "B" },
            dueDate: "2027-06-30" as Agreement.Agreement["dueDate"],
            status: "Open",
            notes: [],
            createdAt: t0,
            updatedAt: t0
          })
          const raised: Array<string> = []
          for (const daysLeft of daysLeftSequence) {
            const today = new Date(Date.UTC(2027, 5, 30) - daysLeft * 86_400_000).toISOString().slice(0, 10)
            const decision = FollowUpReminders.dueReminder(a, today, { dueReminderDaysBefore: offsets, overdueReminder })
            if (Option.isSome(decision)) {
              const e = decision.value.event
              const key = e._tag === "AgreementOverdue" ? "overdue" : `due-${e.daysBefore}`
              if (e._tag === "AgreementOverdue") expect(daysLeft).toBeLessThan(0)
              else expect(daysLeft).toBeLessThanOrEqual(e.daysBefore)
              raised.push(key)
              expect(decision.value.events).toEqual([e])
              a = decision.value.value
            }
          }
          expect(new Set(raised).size).toBe(raised.length)
          expect(raised.filter((k) => k === "overdue").length).toBeLessThanOrEqual(1)
          if (!overdueReminder) expect(raised).not.toContain("overdue")
        }
      )
    )
  })

  it("localDate reads the calendar day in the zone", () => {
    expect(localDate(at("2027-06-30T22:30:00Z"), "Europe/Amsterdam")).toBe("2027-07-01")
    expect(localDate(at("2027-06-30T21:59:00Z"), "Europe/Amsterdam")).toBe("2027-06-30")
    expect(daysBetween("2027-06-23", "2027-06-30")).toBe(7)
    expect(daysBetween("2027-03-27", "2027-03-28")).toBe(1)
  })
})
