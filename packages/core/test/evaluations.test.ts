// Evaluation and impact: session evaluations (one answer per attendee, results only in aggregate,
// a request after each held session), goal verdicts before closing, indicators of measures, and the
// check-ins' outcomes per open agreement and measure.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Exit, Layer, Option, Schema, TestClock } from "effect"
import * as fc from "fast-check"
import type { Ids } from "@copkit/core"
import {
  Actor,
  Agreement,
  EventLog,
  Evaluation,
  Events,
  Evaluations,
  FollowUp,
  Impact,
  Measure,
  Network,
  PersonalData,
  Programme,
  Report,
  ReportRender,
  Repository,
  SessionNotifications,
  Settings,
  Validation
} from "@copkit/core"
import { Fixtures, Inspector, Memory } from "@copkit/testing"
import { at, hold, runningProgramme, t0 } from "./followup.support.js"

const World = Layer.mergeAll(Evaluations.layer, FollowUp.layer, PersonalData.layer).pipe(Layer.provideMerge(Memory.layer))

const { actors, people, regions } = Fixtures
const coordinator = Actor.as(actors.coordinator)
const keyPerson = Actor.as(actors.keyPerson)
const organiser = Actor.as(actors.organiser)
const twente = Actor.as(actors.keyPersonTwente)
const as = (personId: string) => Actor.as({ _tag: "Participant", personId: personId as Ids.PersonId, regionId: regions.utrecht.id })

const failure = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.exit(self), (exit) => {
    if (Exit.isSuccess(exit)) throw new Error("expected a failure")
    const f = exit.cause._tag === "Fail" ? exit.cause.error : undefined
    if (f === undefined) throw new Error(`expected a typed failure, got ${exit.cause._tag}`)
    return f as E & { readonly _tag: string }
  })

const stored = Effect.flatMap(Inspector.Inspector, (i) => i.count("evaluations"))
const eventTypes = Effect.flatMap(Inspector.Inspector, (i) => i.events()).pipe(Effect.map((es) => es.map((e) => e.type)))

const full = (n: number) => ({ value: 4 + (n % 2), practice: 3 + (n % 3), network: 2 + (n % 4) })

describe("Evaluations: one answer per attendee, results only in aggregate", () => {
  it.effect("attendees answer once; results appear from the minimum, open answers sorted and unattributed", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(at("2027-03-03T10:00:00Z").getTime())
      const { kickoff, group } = yield* runningProgramme()
      const evaluations = yield* Evaluations.Evaluations
      // the kick-off: 7 of 8 present; the eighth (per_utr_6) was not there
      const present = group.slice(0, 7)
      const absent = group[7]!

      const form = yield* evaluations.questions({ sessionId: kickoff.id }).pipe(as(present[0]!.id))
      expect(form.questions.map((q) => q.key)).toEqual(["value", "practice", "network", "remarks"])
      expect(form.answered).toBe(false)

      // not there: refused, nothing stored
      const notThere = yield* failure(evaluations.answer({ sessionId: kickoff.id, scores: full(1) }).pipe(as(absent.id)))
      expect(notThere).toMatchObject({ _tag: "RuleViolation", rule: "evaluation-attendee" })
      // bad input: the field and the rule named, nothing stored
      const tooHigh = yield* failure(evaluations.answer({ sessionId: kickoff.id, scores: { value: 6 } }).pipe(as(present[0]!.id)))
      expect(tooHigh).toMatchObject({ _tag: "ValidationError", field: "scores.value" })
      const unknown = yield* failure(evaluations.answer({ sessionId: kickoff.id, scores: { catering: 3 } }).pipe(as(present[0]!.id)))
      expect(unknown).toMatchObject({ _tag: "ValidationError", field: "scores.catering", rule: "questionKnown" })
      const wrongKind = yield* failure(evaluations.answer({ sessionId: kickoff.id, scores: { remarks: 3 } }).pipe(as(present[0]!.id)))
      expect(wrongKind).toMatchObject({ _tag: "ValidationError", field: "scores.remarks", rule: "questionKind" })
      const empty = yield* failure(evaluations.answer({ sessionId: kickoff.id }).pipe(as(present[0]!.id)))
      expect(empty).toMatchObject({ _tag: "ValidationError", field: "scores", rule: "nonEmpty" })
      // a System job answers for nobody
      expect((yield* failure(evaluations.answer({ sessionId: kickoff.id, scores: full(1) }).pipe(Actor.as(actors.system))))._tag).toBe("Forbidden")
      expect(yield* stored).toBe(0)

      // four answers: below the minimum of 5, only their number
      const remarks = ["Sterke gastspreker.", "Meer tijd voor intervisie.", "Alles was goed.", "Beter eten graag.", "Leerzaam!"]
      for (const [i, p] of present.slice(0, 4).entries()) {
        yield* evaluations.answer({ sessionId: kickoff.id, scores: full(i), openAnswers: { remarks: remarks[i]! } }).pipe(as(p.id))
      }
      // the form tells who answered that they have; the others that they have not
      expect((yield* evaluations.questions({ sessionId: kickoff.id }).pipe(as(present[0]!.id))).answered).toBe(true)
      expect((yield* evaluations.questions({ sessionId: kickoff.id }).pipe(as(present[5]!.id))).answered).toBe(false)
      expect((yield* evaluations.questions({ sessionId: kickoff.id }).pipe(organiser)).answered).toBe(false)
      const early = (yield* evaluations.results({ sessionId: kickoff.id }).pipe(organiser))[0]!
      expect(early).toMatchObject({ answers: 4, minAnswers: 5, shown: false })
      expect(early.questions.every((q) => q.average === undefined && q.openAnswers === undefined && q.count === undefined)).toBe(true)

      // a second answer is refused, the first kept
      const again = yield* failure(evaluations.answer({ sessionId: kickoff.id, scores: { value: 1 } }).pipe(as(present[0]!.id)))
      expect(again).toMatchObject({ _tag: "RuleViolation", rule: "evaluation-once" })
      expect(yield* stored).toBe(4)

      // the fifth answer (scores only for two questions, no open answer): averages from five, the network score and the open answers still hidden
      yield* evaluations.answer({ sessionId: kickoff.id, scores: { value: 2, practice: 5 } }).pipe(as(present[4]!.id))
      const five = (yield* evaluations.results({ sessionId: kickoff.id }).pipe(organiser))[0]!
      expect(five).toMatchObject({ answers: 5, shown: true })
      const byKey = Object.fromEntries(five.questions.map((q) => [q.key, q]))
      expect(byKey["value"]).toMatchObject({ count: 5, average: (4 + 5 + 4 + 5 + 2) / 5 })
      expect(byKey["practice"]).toMatchObject({ count: 5, average: (3 + 4 + 5 + 3 + 5) / 5 })
      expect(byKey["network"]!.average).toBeUndefined()
      expect(byKey["remarks"]!.openAnswers).toBeUndefined()

      // a sixth with a remark: five open answers, shown sorted, with no one's name or id
      yield* evaluations.answer({ sessionId: kickoff.id, scores: full(5), openAnswers: { remarks: remarks[4]! } }).pipe(as(present[5]!.id))
      const six = (yield* evaluations.results({ sessionId: kickoff.id }).pipe(keyPerson))[0]!
      const open = six.questions.find((q) => q.key === "remarks")!
      expect(open.openAnswers).toEqual([...remarks].sort((a, b) => a.localeCompare(b, "nl")))
      expect(JSON.stringify(six)).not.toMatch(/per_/)

      // region isolation: another region's key person and a participant see no results
      expect((yield* failure(evaluations.results({ sessionId: kickoff.id }).pipe(twente)))._tag).toBe("Forbidden")
      expect((yield* failure(evaluations.results({ sessionId: kickoff.id }).pipe(as(present[0]!.id))))._tag).toBe("Forbidden")
      expect((yield* failure(evaluations.questions({ sessionId: kickoff.id }).pipe(twente)))._tag).toBe("Forbidden")

      // the events name who answered, never what: no score, no remark
      const log = yield* Effect.flatMap(EventLog.EventLog, (l) => l.read())
      const answered = log.filter((e) => e.event._tag === "EvaluationAnswered")
      expect(answered).toHaveLength(6)
      for (const e of answered) expect(JSON.stringify(e.event)).not.toMatch(/score|Sterke|Leerzaam/)
    }).pipe(Effect.provide(World)))

  it.effect("an answer is personal data: exported with the person, and its content erased with them", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(at("2027-03-03T10:00:00Z").getTime())
      const { kickoff, group } = yield* runningProgramme()
      const evaluations = yield* Evaluations.Evaluations
      const personalData = yield* PersonalData.PersonalData
      for (const [i, p] of group.slice(0, 5).entries()) {
        yield* evaluations.answer({ sessionId: kickoff.id, scores: full(i), openAnswers: { remarks: `Opmerking ${i}.` } }).pipe(as(p.id))
      }
      const baker = people.baker.id
      const exported = yield* personalData.exportPerson({ personId: baker }).pipe(coordinator)
      const own = exported.entities["EvaluationAnswer"] as ReadonlyArray<{ personId: string; openAnswers: ReadonlyArray<{ text: string }> }>
      expect(own).toHaveLength(1)
      expect(own[0]).toMatchObject({ personId: baker, openAnswers: [{ key: "remarks", text: "Opmerking 0." }] })

      const erased = yield* personalData.erase({ personId: baker }).pipe(coordinator)
      expect(erased.changed["EvaluationAnswer"]).toBe(1)
      const id = Evaluation.evaluationIdOf(kickoff.id, baker)
      const raw = Option.getOrThrow(yield* Effect.flatMap(Inspector.Inspector, (i) => i.entity("evaluations", id)))
      expect(raw.state).toBe("Erased")
      expect(JSON.stringify(raw.document)).not.toContain("Opmerking 0.")
      expect((raw.document as { scores: ReadonlyArray<unknown> }).scores).toEqual([])
      // four answers left: below the minimum again
      expect((yield* evaluations.results({ sessionId: kickoff.id }).pipe(organiser))[0]).toMatchObject({ answers: 4, shown: false })
      // and the erased person cannot answer again
      expect(yield* failure(evaluations.answer({ sessionId: kickoff.id, scores: { value: 5 } }).pipe(as(baker)))).toMatchObject({ rule: "evaluation-once" })
    }).pipe(Effect.provide(World)))

  it.effect("retention erases the evaluation answers of a programme that ended long ago", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(at("2027-03-03T10:00:00Z").getTime())
      const { programme, kickoff, group } = yield* runningProgramme()
      const evaluations = yield* Evaluations.Evaluations
      for (const [i, p] of group.slice(0, 2).entries()) {
        yield* evaluations.answer({ sessionId: kickoff.id, scores: full(i), openAnswers: { remarks: `Na afloop ${i}.` } }).pipe(as(p.id))
      }
      const programmes = yield* Repository.ProgrammeRepository
      const current = yield* Repository.get(programmes, programme.id)
      yield* programmes.save(new Programme.Programme({ ...current.value, state: "Completed", closedAt: at("2027-06-01T10:00:00Z") }), current.version)
      yield* TestClock.setTime(at("2029-08-01T10:00:00Z").getTime())
      const result = yield* Effect.flatMap(PersonalData.PersonalData, (p) => p.applyRetention()).pipe(Actor.as(actors.system))
      expect(result.programmes.map((p) => p.programmeId)).toEqual([programme.id])
      const inspector = yield* Inspector.Inspector
      for (const p of group.slice(0, 2)) {
        const raw = Option.getOrThrow(yield* inspector.entity("evaluations", Evaluation.evaluationIdOf(kickoff.id, p.id)))
        expect(raw.state).toBe("Erased")
        expect(JSON.stringify(raw.document)).not.toContain("Na afloop")
      }
    }).pipe(Effect.provide(World)))

  it.effect("each programme sets its own questions; the minimum is a setting", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(at("2027-03-03T10:00:00Z").getTime())
      const { programme, second, group } = yield* runningProgramme()
      const evaluations = yield* Evaluations.Evaluations
      const questions = [
        { key: "pace", kind: "Scale" as const, text: { nl: "Was het tempo goed?", en: "Was the pace right?" } },
        { key: "tip", kind: "Open" as const, text: { nl: "Eén tip?", en: "One tip?" } }
      ]
      const duplicate = yield* failure(evaluations.setQuestions({ programmeId: programme.id, questions: [questions[0]!, questions[0]!] }).pipe(keyPerson))
      expect(duplicate).toMatchObject({ _tag: "ValidationError", field: "questions" })
      expect((yield* failure(evaluations.setQuestions({ programmeId: programme.id, questions }).pipe(twente)))._tag).toBe("Forbidden")
      const set = yield* evaluations.setQuestions({ programmeId: programme.id, questions }).pipe(keyPerson)
      expect(set.evaluationQuestions?.map((q) => q.key)).toEqual(["pace", "tip"])
      expect(yield* eventTypes).toContain("EvaluationQuestionsSet")

      for (const [i, p] of group.slice(0, 2).entries()) {
        yield* evaluations.answer({ sessionId: second.id, scores: { pace: 3 + i }, openAnswers: { tip: `Tip ${i}` } }).pipe(as(p.id))
      }
      const result = (yield* evaluations.results({ sessionId: second.id }).pipe(organiser))[0]!
      expect(result).toMatchObject({ answers: 2, minAnswers: 2, shown: true })
      expect(result.questions).toMatchObject([{ key: "pace", average: 3.5 }, { key: "tip", openAnswers: ["Tip 0", "Tip 1"] }])
    }).pipe(Effect.provide(World), Effect.provide(Settings.layer({ evaluation: { minAnswers: 2 } }))))

  it.effect("a held session's attendees get an evaluation request, with the form's link; none when turned off", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(at("2027-03-03T10:00:00Z").getTime())
      const { kickoff } = yield* runningProgramme()
      const base = yield* Fixtures.appendEvent({ entityId: kickoff.id, regionIds: [regions.utrecht.id], actor: actors.organiser })
      const event = new Events.RecordedEvent({ ...base, entity: "Session", event: Events.SessionHeld.make({ sessionId: kickoff.id }) })
      const notifications = Option.getOrThrow(yield* SessionNotifications.forSessionEvent(event))
      expect(notifications).toHaveLength(7) // 7 of 8 present
      expect(new Set(notifications.map((n) => n.kind))).toEqual(new Set(["EvaluationRequest"]))
      expect(notifications.map((n) => n.recipient.personId)).not.toContain("per_utr_6")
      expect(notifications[0]).toMatchObject({
        programmeName: "Regio Utrecht",
        session: { title: "Aftrap" },
        evaluation: { url: `https://copkit.example/evaluatie/${kickoff.id}`, questions: 4 }
      })
      const off = yield* SessionNotifications.forSessionEvent(event).pipe(Effect.provide(Settings.layer({ evaluation: { requestAfterSession: false } })))
      expect(Option.getOrThrow(off)).toEqual([])
    }).pipe(Effect.provide(World), Effect.provide(Settings.layer({ evaluation: { answerUrl: "https://copkit.example/evaluatie/{sessionId}" } }))))
})

describe("Goal verdicts at closing", () => {
  it.effect("closing is refused while an intended result has no verdict; each verdict is an event", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(at("2027-05-12T10:00:00Z").getTime())
      const { programme, closing } = yield* runningProgramme({ verdicts: false })
      const followUp = yield* FollowUp.FollowUp
      const evaluations = yield* Evaluations.Evaluations
      yield* followUp.recordAgreement({ programmeId: programme.id, action: "Een loket voor ondernemers.", owner: { personId: people.chamber.id }, dueDate: "2027-09-30" }).pipe(keyPerson)
      yield* hold(closing.id)
      const missing = yield* followUp.closeReadiness({ programmeId: programme.id }).pipe(coordinator)
      expect(missing).toHaveLength(2)
      expect(missing[0]).toMatch(/goal verdict: intended result 0/)
      const refused = yield* failure(followUp.close({ programmeId: programme.id }).pipe(coordinator))
      expect(refused).toMatchObject({ _tag: "RuleViolation", rule: "goal-verdicts" })
      expect((refused as unknown as { details: ReadonlyArray<string> }).details).toHaveLength(2)

      const bad = yield* failure(evaluations.recordVerdict({ programmeId: programme.id, resultIndex: 2, verdict: "Reached", note: "x" }).pipe(keyPerson))
      expect(bad).toMatchObject({ _tag: "ValidationError", field: "resultIndex", rule: "goalKnown" })
      const badVerdict = yield* failure(evaluations.recordVerdict({ programmeId: programme.id, resultIndex: 0, verdict: "Maybe" as never, note: "x" }).pipe(keyPerson))
      expect(badVerdict).toMatchObject({ _tag: "ValidationError", field: "verdict" })
      expect((yield* failure(evaluations.recordVerdict({ programmeId: programme.id, resultIndex: 0, verdict: "Reached", note: "x" }).pipe(twente)))._tag).toBe("Forbidden")

      yield* evaluations.recordVerdict({ programmeId: programme.id, resultIndex: 0, verdict: "NotReached", note: "Nog niet." }).pipe(keyPerson)
      // revised: the latest verdict counts
      yield* evaluations.recordVerdict({ programmeId: programme.id, resultIndex: 0, verdict: "Reached", note: "Veertig ondernemers vonden de weg." }).pipe(organiser)
      expect((yield* failure(followUp.close({ programmeId: programme.id }).pipe(coordinator)))).toMatchObject({ rule: "goal-verdicts" })
      const last = yield* evaluations.recordVerdict({ programmeId: programme.id, resultIndex: 1, verdict: "Partly", note: "De agenda is er, de uitvoering loopt." }).pipe(keyPerson)
      expect(last.verdicts?.map((v) => [v.resultIndex, v.verdict])).toEqual([[0, "Reached"], [1, "Partly"]])
      expect(yield* followUp.closeReadiness({ programmeId: programme.id }).pipe(coordinator)).toEqual([])
      expect((yield* followUp.close({ programmeId: programme.id }).pipe(coordinator)).state).toBe("Completed")
      expect((yield* eventTypes).filter((t) => t === "GoalVerdictRecorded")).toHaveLength(3)
      // closed: no more verdicts
      expect((yield* failure(evaluations.recordVerdict({ programmeId: programme.id, resultIndex: 1, verdict: "Reached", note: "x" }).pipe(keyPerson)))._tag).toBe("InvalidTransition")
    }).pipe(Effect.provide(World)))
})

describe("Indicators and check-ins", () => {
  it.effect("measures get indicators with dated values; the check-ins record an outcome per open agreement and measure", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(at("2027-05-12T10:00:00Z").getTime())
      const { programme, closing } = yield* runningProgramme()
      const followUp = yield* FollowUp.FollowUp
      const evaluations = yield* Evaluations.Evaluations
      const measure = yield* followUp.defineMeasure({ programmeId: programme.id, title: "Eén mkb-loket", organisations: ["Gemeente Utrecht"] }).pipe(keyPerson)
      const badIndicator = yield* failure(evaluations.defineIndicator({ measureId: measure.id, name: "Bereik", unit: "ondernemers", baseline: Number.NaN, target: 40 }).pipe(keyPerson))
      expect(badIndicator).toMatchObject({ _tag: "ValidationError", field: "baseline" })
      expect((yield* failure(evaluations.defineIndicator({ measureId: measure.id, name: "Bereik", unit: "ondernemers", baseline: 10, target: 40 }).pipe(twente)))._tag).toBe("Forbidden")
      const withIndicator = yield* evaluations.defineIndicator({ measureId: measure.id, name: "Ondernemers geholpen", unit: "per kwartaal", baseline: 10, target: 40 }).pipe(keyPerson)
      const indicator = withIndicator.indicators[0]!
      expect(indicator).toMatchObject({ id: "ind_1", baseline: 10, target: 40, values: [] })
      const unknown = yield* failure(evaluations.recordIndicatorValue({ measureId: measure.id, indicatorId: "ind_9", date: "2027-06-30", value: 15 }).pipe(keyPerson))
      expect(unknown).toMatchObject({ _tag: "ValidationError", field: "indicatorId", rule: "indicatorKnown" })
      yield* evaluations.recordIndicatorValue({ measureId: measure.id, indicatorId: indicator.id, date: "2027-09-30", value: 22 }).pipe(organiser)
      yield* evaluations.recordIndicatorValue({ measureId: measure.id, indicatorId: indicator.id, date: "2027-06-30", value: 14 }).pipe(organiser)
      const corrected = yield* evaluations.recordIndicatorValue({ measureId: measure.id, indicatorId: indicator.id, date: "2027-09-30", value: 25, note: "Na telling." }).pipe(organiser)
      expect(corrected.indicators[0]!.values.map((v) => [v.date, v.value])).toEqual([["2027-06-30", 14], ["2027-09-30", 25]])
      const progress = Impact.progressOf([corrected])
      expect(progress[0]).toMatchObject({ latest: { date: "2027-09-30", value: 25 }, progress: 0.5 })

      const open = yield* followUp.recordAgreement({ programmeId: programme.id, action: "Loket openen.", owner: { personId: people.chamber.id }, dueDate: "2027-12-31" }).pipe(keyPerson)
      const done = yield* followUp.recordAgreement({ programmeId: programme.id, action: "Startbijeenkomst loket.", owner: { personId: people.chamber.id }, dueDate: "2027-06-30" }).pipe(keyPerson)
      yield* followUp.completeAgreement({ agreementId: done.id }).pipe(keyPerson)
      yield* hold(closing.id)
      // before closing: no check-in
      const early = yield* failure(evaluations.recordCheckIn({ programmeId: programme.id, monthsAfterClosing: 3, agreements: [], measures: [] }).pipe(keyPerson))
      expect(early._tag).toBe("InvalidTransition")
      yield* followUp.close({ programmeId: programme.id }).pipe(coordinator)

      const checkIn = {
        programmeId: programme.id,
        monthsAfterClosing: 3,
        agreements: [{ agreementId: open.id, outcome: "OnTrack" as const }],
        measures: [{ measureId: measure.id, outcome: "Delayed" as const, note: "De financiering volgt in juni." }]
      }
      expect(yield* failure(evaluations.recordCheckIn(checkIn).pipe(keyPerson))).toMatchObject({ _tag: "RuleViolation", rule: "check-in-due" })
      yield* TestClock.setTime(at("2027-08-13T10:00:00Z").getTime())
      expect(yield* failure(evaluations.recordCheckIn({ ...checkIn, monthsAfterClosing: 4 }).pipe(keyPerson))).toMatchObject({ _tag: "ValidationError", rule: "checkInMonth" })
      const incomplete = yield* failure(evaluations.recordCheckIn({ ...checkIn, measures: [] }).pipe(keyPerson))
      expect(incomplete).toMatchObject({ _tag: "RuleViolation", rule: "check-in-complete" })
      expect(yield* failure(evaluations.recordCheckIn({ ...checkIn, agreements: [...checkIn.agreements, { agreementId: "agr_elders", outcome: "OnTrack" }] }).pipe(keyPerson)))
        .toMatchObject({ _tag: "ValidationError", field: "agreements[1]", rule: "belongsToProgramme" })
      expect((yield* failure(evaluations.recordCheckIn(checkIn).pipe(twente)))._tag).toBe("Forbidden")
      const before = (yield* eventTypes).length
      const recorded = yield* evaluations.recordCheckIn(checkIn).pipe(keyPerson)
      expect(recorded.checkIns?.[0]).toMatchObject({ monthsAfterClosing: 3, agreements: [{ agreementId: open.id, outcome: "OnTrack" }], measures: [{ outcome: "Delayed" }] })
      expect((yield* eventTypes).slice(before)).toEqual(["CheckInRecorded"])
      expect((yield* eventTypes).filter((t) => t === "IndicatorValueRecorded")).toHaveLength(3)
    }).pipe(Effect.provide(World)))
})

describe("The programme report and the network overview show evaluation and impact", () => {
  it.effect("evaluation averages per session (from the minimum), verdicts, indicator progress with a chart; per region in the overview", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(at("2027-05-12T10:00:00Z").getTime())
      const { programme, kickoff, second, group } = yield* runningProgramme()
      const evaluations = yield* Evaluations.Evaluations
      const followUp = yield* FollowUp.FollowUp
      for (const [i, p] of group.slice(0, 5).entries()) {
        yield* evaluations.answer({ sessionId: kickoff.id, scores: full(i), openAnswers: { remarks: `Geheim ${i}` } }).pipe(as(p.id))
      }
      for (const [i, p] of group.slice(0, 2).entries()) yield* evaluations.answer({ sessionId: second.id, scores: full(i) }).pipe(as(p.id))
      const measure = yield* followUp.defineMeasure({ programmeId: programme.id, title: "Eén mkb-loket", organisations: ["Gemeente Utrecht"] }).pipe(keyPerson)
      yield* evaluations.defineIndicator({ measureId: measure.id, name: "Ondernemers geholpen", unit: "per kwartaal", baseline: 10, target: 40 }).pipe(keyPerson)
      yield* evaluations.defineIndicator({ measureId: measure.id, name: "Partners aangesloten", unit: "organisaties", baseline: 2, target: 6 }).pipe(keyPerson)
      yield* evaluations.recordIndicatorValue({ measureId: measure.id, indicatorId: "ind_1", date: "2027-04-30", value: 31 }).pipe(keyPerson)

      const report = yield* followUp.report({ programmeId: programme.id }).pipe(keyPerson)
      const [first, next, closing] = report.sessions
      expect(first!.evaluation).toEqual({
        answers: 5,
        shown: true,
        average: 3.8,
        questions: [
          { key: "value", text: "Hoe waardevol was deze bijeenkomst voor je werk?", average: 4.4 },
          { key: "practice", text: "Hoe goed kun je het geleerde in de praktijk brengen?", average: 3.8 },
          { key: "network", text: "Hoeveel heeft de bijeenkomst je netwerk in de regio versterkt?", average: 3.2 }
        ]
      })
      expect(next!.evaluation).toMatchObject({ answers: 2, shown: false })
      expect(next!.evaluation!.average).toBeUndefined()
      expect(closing!.evaluation).toBeUndefined()
      expect(report.verdicts).toEqual([
        { result: "Meer ondernemers vinden de weg naar ondersteuning.", verdict: "Reached", note: "Besproken in de slotbijeenkomst." },
        { result: "Een gedeelde agenda voor het brede mkb.", verdict: "Partly", note: "Besproken in de slotbijeenkomst." }
      ])
      expect(report.indicators?.map((i) => [i.name, i.latest?.value, i.progress])).toEqual([["Ondernemers geholpen", 31, 0.7], ["Partners aangesloten", undefined, undefined]])
      // no open answer, no person in the report's evaluation
      expect(JSON.stringify(report)).not.toContain("Geheim")

      const markdown = ReportRender.toMarkdown(report)
      expect(markdown).toContain("3.8 / 5 (5 antwoorden)")
      expect(markdown).toContain("| 2 antwoorden |")
      expect(markdown).toContain("### Oordeel per beoogd resultaat")
      expect(markdown).toContain("| Een gedeelde agenda voor het brede mkb. | Deels bereikt |")
      expect(markdown).toContain("## Indicatoren")
      expect(ReportRender.toMarkdown(report, { language: "en" })).toContain("Verdict per intended result")
      const html = ReportRender.toHtml(report)
      expect(html).toContain("aria-label=\"Indicatoren: Voortgang\"")
      expect(html).toContain("aria-label=\"Evaluatie Bijeenkomsten\"")
      expect(html).toContain("class=\"badge s-Reached\"")
      expect(html).not.toContain("Geheim")
      // the JSON keeps to its schema
      expect(Schema.decodeUnknownSync(Report.ProgrammeReport)(JSON.parse(Report.toJson(report)))).toEqual(report)

      const overview = yield* Effect.flatMap(Network.Network, (n) => n.overview()).pipe(coordinator)
      const utrecht = overview.regions.find((r) => r.programmeId === programme.id)!
      expect(utrecht.impact).toEqual({
        evaluationAverage: 3.8,
        sessionsEvaluated: 1,
        verdicts: { Reached: 1, Partly: 1, NotReached: 0, missing: 0 },
        indicators: 2,
        indicatorProgress: 0.7
      })
    }).pipe(Effect.provide(Layer.merge(World, Network.layer.pipe(Layer.provide(Memory.layer))))))
})

describe("Evaluation and impact: pure rules (properties)", () => {
  const question = fc.record({
    key: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
    kind: fc.constantFrom("Scale" as const, "Open" as const),
    text: fc.record({ nl: fc.constant("Vraag?"), en: fc.constant("Question?") })
  })

  it("the questions decoder accepts 1-12 questions with distinct keys and nothing else", () => {
    const decode = Validation.decodeEither(Evaluation.Questions)
    fc.assert(fc.property(fc.array(question, { maxLength: 14 }), (qs) => {
      const ok = qs.length >= 1 && qs.length <= 12 && new Set(qs.map((q) => q.key)).size === qs.length
      expect(Either.isRight(decode(qs))).toBe(ok)
    }))
  })

  it("the answer decoder refuses any score outside 1-5 and any key that is not a question key", () => {
    const decode = Validation.decodeEither(Evaluations.AnswerEvaluation)
    fc.assert(fc.property(fc.string({ maxLength: 12 }), fc.oneof(fc.integer({ min: -10, max: 10 }), fc.double()), (key, score) => {
      const ok = /^[a-z][a-z0-9-]{0,39}$/.test(key) && Number.isInteger(score) && score >= 1 && score <= 5
      const result = decode({ sessionId: "ses_1", scores: { [key]: score } })
      expect(Either.isRight(result)).toBe(ok)
      if (Either.isLeft(result)) expect(result.left.field.startsWith("scores")).toBe(true)
    }))
  })

  const answers = fc.array(
    fc.record({ value: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }), remark: fc.option(fc.string({ minLength: 1, maxLength: 5 }).filter((s) => s.trim() !== ""), { nil: undefined }), erased: fc.boolean() }),
    { maxLength: 12 }
  )

  it("aggregate shows a result only from the minimum, in whole batches of it, and one more answer never changes a result alone", () => {
    const questions = [Evaluation.defaultQuestions[0]!, Evaluation.defaultQuestions[3]!]
    const build = (given: ReadonlyArray<{ value?: number | undefined; remark?: string | undefined; erased: boolean }>) =>
      given.map((g, i) =>
        new Evaluation.EvaluationAnswer({
          id: Evaluation.evaluationIdOf("ses_1", `per_${i}`),
          sessionId: "ses_1" as Ids.SessionId,
          programmeId: "prg_1" as Ids.ProgrammeId,
          regionId: "utrecht" as Ids.RegionId,
          personId: `per_${i}` as Ids.PersonId,
          state: g.erased ? "Erased" : "Answered",
          scores: g.value === undefined || g.erased ? [] : [{ key: "value", score: g.value }],
          openAnswers: g.remark === undefined || g.erased ? [] : [{ key: "remarks", text: g.remark.trim() }],
          // given one minute apart, in order
          answeredAt: new Date(t0.getTime() + i * 60_000)
        })
      )
    fc.assert(fc.property(answers, fc.integer({ min: 1, max: 8 }), (given, min) => {
      const values = build(given)
      const live = given.filter((g) => !g.erased)
      const result = Evaluation.aggregate("ses_1", "prg_1", questions, values, min)
      expect(result.answers).toBe(live.length)
      expect(result.shown).toBe(live.length >= min)
      const scores = live.flatMap((g) => (g.value === undefined ? [] : [g.value]))
      const remarks = live.flatMap((g) => (g.remark === undefined ? [] : [g.remark.trim()]))
      const counted = (n: number) => (live.length >= min ? Math.floor(n / min) * min : 0)
      const [value, remark] = result.questions
      expect(value!.count ?? 0).toBe(counted(scores.length))
      if (value!.average !== undefined) {
        const first = scores.slice(0, counted(scores.length))
        expect(value!.average).toBe(Math.round((first.reduce((a, b) => a + b, 0) / first.length) * 10) / 10)
      }
      expect([...(remark!.openAnswers ?? [])].sort()).toEqual(remarks.slice(0, counted(remarks.length)).sort())
      // one more answer, whatever it says: every shown result stays as it was, or moves by a whole batch
      const after = Evaluation.aggregate("ses_1", "prg_1", questions, build([...given, { value: 5, remark: "Laatste", erased: false }]), min)
      const [v2, r2] = after.questions
      if (value!.count !== undefined && v2!.count === value!.count) expect(v2!.average).toBe(value!.average)
      if (v2!.count !== undefined) expect(v2!.count % min).toBe(0)
      if (r2!.openAnswers !== undefined) expect(r2!.openAnswers.length % min).toBe(0)
    }))
  })

  it("the answer id is one per person and session, and never the same for two different pairs", () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 30 }), fc.string({ minLength: 1, maxLength: 30 }), fc.string({ minLength: 1, maxLength: 30 }), (s, p, q) => {
      const id = Evaluation.evaluationIdOf(s, p)
      expect(id).toMatch(/^evl_[0-9a-f]{28}$/)
      expect(Evaluation.evaluationIdOf(s, p)).toBe(id)
      if (p !== q) expect(Evaluation.evaluationIdOf(s, q)).not.toBe(id)
      expect(Schema.is(Evaluation.EvaluationId)(id)).toBe(true)
    }))
  })

  it("closing needs a verdict on every intended result: checkVerdicts agrees with the verdicts given", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 6 }), fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 8 }), (n, given) => {
      let p = new Programme.Programme({
        id: "prg_1" as Ids.ProgrammeId,
        region: Schema.decodeUnknownSync(Programme.Programme.fields.region)(regions.utrecht),
        regionId: regions.utrecht.id,
        applicationId: "app_1" as Ids.ApplicationId,
        state: "FollowUp",
        coreTeam: [],
        goals: new Programme.Goals({ intendedResults: Array.from({ length: n }, (_, i) => `Resultaat ${i}`), whoIsNeeded: [], whoCanContribute: [] }),
        themes: [],
        plan: [],
        createdAt: t0,
        updatedAt: t0
      })
      for (const i of given) {
        const next = Impact.recordVerdict(p, { resultIndex: i, verdict: "Partly", note: "n" }, "per_1" as Ids.PersonId, t0)
        if (i < n) p = Either.getOrThrow(next).value
        else expect(Either.isLeft(next)).toBe(true)
      }
      const covered = new Set(given.filter((i) => i < n))
      expect(Either.isRight(Impact.checkVerdicts(p))).toBe(covered.size === n)
      expect(Impact.missingVerdicts(p)).toHaveLength(n - covered.size)
    }))
  })
  it("a check-in is complete exactly when every open agreement and every measure has an outcome", () => {
    const closedAt = at("2027-06-01T10:00:00Z")
    const now = at("2028-01-15T10:00:00Z")
    const programme = new Programme.Programme({
      id: "prg_1" as Ids.ProgrammeId,
      region: Schema.decodeUnknownSync(Programme.Programme.fields.region)(regions.utrecht),
      regionId: regions.utrecht.id,
      applicationId: "app_1" as Ids.ApplicationId,
      state: "Completed",
      coreTeam: [],
      goals: Programme.emptyGoals(),
      themes: [],
      plan: [],
      closedAt,
      createdAt: t0,
      updatedAt: t0
    })
    const statuses = ["Open", "InProgress", "Done", "Dropped"] as const
    fc.assert(fc.property(
      fc.array(fc.record({ status: fc.constantFrom(...statuses), given: fc.boolean() }), { maxLength: 6 }),
      fc.array(fc.boolean(), { maxLength: 4 }),
      fc.constantFrom(3, 6),
      (agreementSpecs, measureSpecs, months) => {
        const agreements = agreementSpecs.map((a, i) =>
          new Agreement.Agreement({
            id: `agr_${i}` as Ids.AgreementId,
            programmeId: programme.id,
            regionId: programme.regionId,
            action: `Actie ${i}`,
            owner: { personId: "per_1" as Ids.PersonId, name: "Eigenaar", organisation: "Org" },
            dueDate: "2027-09-30" as never,
            status: a.status,
            ...(a.status === "Dropped" ? { droppedReason: "Vervallen." } : {}),
            notes: [],
            createdAt: t0,
            updatedAt: t0
          })
        )
        const measures = measureSpecs.map((_, i) =>
          new Measure.Measure({ id: `msr_${i}` as Ids.MeasureId, programmeId: programme.id, regionId: programme.regionId, title: `Maatregel ${i}`, organisations: [], createdAt: t0, updatedAt: t0 })
        )
        const fields: Impact.CheckInFields = {
          monthsAfterClosing: months,
          agreements: agreements.filter((_, i) => agreementSpecs[i]!.given).map((a) => ({ id: a.id, outcome: "OnTrack" as const })),
          measures: measures.filter((_, i) => measureSpecs[i]).map((m) => ({ id: m.id, outcome: "Delayed" as const }))
        }
        const result = Impact.recordCheckIn(programme, fields, agreements, measures, { checkInMonthsAfterClosing: [3, 6], timeZone: "Europe/Amsterdam" }, "per_1" as Ids.PersonId, now)
        const complete = agreementSpecs.every((a) => a.given || a.status === "Done" || a.status === "Dropped") && measureSpecs.every((g) => g)
        expect(Either.isRight(result)).toBe(complete)
        if (Either.isLeft(result)) expect(result.left).toMatchObject({ rule: "check-in-complete" })
        else expect(result.right.value.checkIns?.map((c) => c.monthsAfterClosing)).toEqual([months])
      }
    ))
  })

  it("indicator numbers are finite: NaN and infinities are refused with the field named, nothing else", () => {
    const decode = Validation.decodeEither(Evaluations.DefineIndicator)
    fc.assert(fc.property(fc.double(), fc.double({ min: -1e6, max: 1e6, noNaN: true }), (baseline, target) => {
      const result = decode({ measureId: "msr_1", name: "Bereik", unit: "ondernemers", baseline, target })
      expect(Either.isRight(result)).toBe(Number.isFinite(baseline) && Math.abs(baseline) <= 1e12)
      if (Either.isLeft(result)) expect(result.left.field).toBe("baseline")
    }))
  })
})
