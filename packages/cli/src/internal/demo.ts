// `copkit demo`: the quickstart's story (examples/quickstart/src/quickstart.mjs) of one region's
// Community of Practice, from the application to the report, each step as the actor who would take
// it. It runs on a clock of its own that starts on 4 January 2027 and jumps ahead with the story.
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { Clock, Duration, Effect } from "effect"
import { Actor, Application, CoDesign, Dispatcher, FollowUp, Intake, ReportRender, Sessions } from "@copkit/core"
import type { Calendar, CommandError, InvalidTransition, RuleViolation, Services } from "@copkit/core"
import type { Sender } from "../Environment.js"

const people = {
  coordinator: Actor.make({ _tag: "NetworkCoordinator", personId: "per_coordinator" }),
  keyPerson: Actor.make({ _tag: "KeyPerson", personId: "per_fleur", regionId: "twente" }),
  organiser: Actor.make({ _tag: "RegionalOrganiser", personId: "per_joost", regionId: "twente" })
}

const region = {
  id: "twente",
  name: "Twente",
  provinces: ["Overijssel"],
  municipalities: ["Enschede", "Hengelo", "Almelo"],
  schoolHolidayZone: "North"
} as const

const keyPersons = [
  { id: "per_fleur", name: "Fleur Jansen", email: "fleur@kvk.example", organisation: "Kamer van Koophandel", helixRole: "Intermediary" },
  { id: "per_joost", name: "Joost Bakker", email: "joost@overijssel.example", organisation: "Provincie Overijssel", helixRole: "Government" },
  { id: "per_sanne", name: "Sanne de Vries", email: "sanne@devries.example", organisation: "De Vries Metaal", helixRole: "Entrepreneur" }
] as const

const participants = [
  ["Ilse Mulder", "ilse@bakkerij.example", "Bakkerij Mulder", "Entrepreneur", "nl"],
  ["Mark Visser", "mark@saxion.example", "Saxion", "Knowledge", "en"],
  ["Ahmed El Amrani", "ahmed@enschede.example", "Gemeente Enschede", "Government", "nl"],
  ["Eva de Boer", "eva@oost.example", "Oost NL", "Intermediary", "nl"],
  ["Tom Smit", "tom@smit-installatie.example", "Smit Installatietechniek", "Entrepreneur", "nl"]
] as const

/** A region's own calendar (an iCalendar feed): the planner keeps clear of these. */
const regionalCalendar = [
  "BEGIN:VCALENDAR",
  "VERSION:2.0",
  "PRODID:-//Regio Twente//Agenda//NL",
  "BEGIN:VEVENT",
  "UID:ondernemersontbijt@twente.example",
  "DTSTAMP:20261101T090000Z",
  "DTSTART;TZID=Europe/Amsterdam:20270105T080000",
  "DTEND;TZID=Europe/Amsterdam:20270105T100000",
  "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=20",
  "SUMMARY:Ondernemersontbijt",
  "END:VEVENT",
  "END:VCALENDAR",
  ""
].join("\r\n")

const agenda = [
  { title: "Nieuws van de dag", minutes: 20 },
  { title: "Intervisie op een casus", minutes: 60, workForm: "Intervision" },
  { title: "Verdieping met een gast-expert", minutes: 60, workForm: "GuestExpert" }
] as const

/** The story's clock: it starts on 4 January 2027; waiting takes real time and moves the story on too. */
const storyClock = (start = Date.parse("2027-01-04T09:00:00Z")) => {
  let now = start
  const clock: Clock.Clock = {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: () => now,
    currentTimeMillis: Effect.sync(() => now),
    unsafeCurrentTimeNanos: () => BigInt(now) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => BigInt(now) * 1_000_000n),
    sleep: (duration) =>
      Effect.async<void>((resume) => {
        const millis = Duration.toMillis(duration)
        const timer = setTimeout(() => {
          now += millis
          resume(Effect.void)
        }, millis)
        return Effect.sync(() => clearTimeout(timer))
      })
  }
  return { clock, jumpTo: (to: Date) => Effect.sync(() => void (now = Math.max(now, to.getTime()))) }
}

/** What the story made. */
export interface DemoResult {
  readonly programmeId: string
  readonly applicationId: string
  readonly sessionIds: ReadonlyArray<string>
  readonly sessions: ReadonlyArray<string>
  readonly participants: number
  /** Messages sent (0 when the outbox is left for `copkit dispatch`). */
  readonly messagesSent: number
  readonly report: string
}

/**
 * Runs the story: intake, co-design, sessions, follow-up. Writes `report.html` into the directory;
 * the messages go out through the mailer in context unless `dispatch` is false.
 */
export const run = (options: {
  readonly directory: string
  readonly dispatch: boolean
  readonly from: Sender
  readonly progress: (step: string, text: string) => Effect.Effect<void>
}): Effect.Effect<
  DemoResult,
  CommandError | RuleViolation | InvalidTransition | Calendar.CalendarImportLimitError,
  Services.Services | Dispatcher.Requirements
> => {
  const story = storyClock()
  const log = options.progress
  return Effect.gen(function*() {
    const intake = yield* Intake.Intake
    const coDesign = yield* CoDesign.CoDesign
    const sessions = yield* Sessions.Sessions
    const followUp = yield* FollowUp.FollowUp
    const asCoordinator = Actor.as(people.coordinator)
    const asKeyPerson = Actor.as(people.keyPerson)
    const asOrganiser = Actor.as(people.organiser)

    // 1. Intake: the region applies; the coordinator explores, assesses and accepts.
    const application = yield* intake.create({
      region,
      contact: keyPersons[1],
      motivation: "Veel energie bij ondernemers en gemeenten in Twente.",
      urgency: "Personeelstekorten vragen nu om betere ondersteuning van het mkb.",
      administrators: [{ id: "per_wethouder", name: "Wethouder Enschede", email: "wethouder@enschede.example", helixRole: "Government" }],
      entrepreneurs: [keyPersons[2]],
      keyPersons,
      commitments: { venue: true, catering: true, participantSelection: true, activeParticipation: true, followUp: true }
    }).pipe(asKeyPerson)
    yield* intake.submit({ applicationId: application.id }).pipe(asKeyPerson)
    yield* intake.scheduleExploration({ applicationId: application.id, at: "2027-01-08T10:00:00+01:00", location: "Enschede" }).pipe(asCoordinator)
    for (const criterion of Application.criteria) {
      yield* intake.assess({ applicationId: application.id, criterion, score: 4, note: "Besproken in het verkenningsgesprek." }).pipe(asCoordinator)
    }
    const { programme } = yield* intake.accept({ applicationId: application.id, reason: "Energie, draagvlak en ondernemers aan boord." }).pipe(asCoordinator)
    yield* log("intake", `${region.name} applied and was accepted: programme ${programme.id}`)

    // 2. Co-design: goals, themes and votes, the session plan, approval.
    yield* coDesign.setGoals({
      programmeId: programme.id,
      intendedResults: ["Eén loket voor mkb-ondersteuning in Twente"],
      whoIsNeeded: ["Ondernemers uit de maakindustrie", "Gemeenten"],
      whoCanContribute: ["Oost NL", "Saxion"]
    }).pipe(asKeyPerson)
    const staff = yield* coDesign.proposeTheme({ programmeId: programme.id, title: "Personeelstekorten", scope: "CrossRegional", tags: ["arbeidsmarkt", "personeel"] }).pipe(asKeyPerson)
    const digital = yield* coDesign.proposeTheme({ programmeId: programme.id, title: "Digitalisering", scope: "Regional", tags: ["digitaal"] }).pipe(asKeyPerson)
    yield* coDesign.vote({ programmeId: programme.id, themeId: staff.id, points: 8 }).pipe(asKeyPerson)
    yield* coDesign.vote({ programmeId: programme.id, themeId: digital.id, points: 5 }).pipe(asKeyPerson)
    yield* coDesign.setPlan({
      programmeId: programme.id,
      items: [
        { role: "KickOff", themeId: staff.id, goal: "Aftrap met bestuurders", workForms: ["GuestExpert", "InteractiveForm"], durationMinutes: 180, agenda, administratorsInvited: true },
        { role: "Regular", themeId: digital.id, goal: "Leren van elkaar", workForms: ["Intervision", "PracticeExample"], durationMinutes: 180, agenda },
        { role: "Closing", themeId: staff.id, goal: "Afspraken maken", workForms: ["ProjectVisit", "Simulation"], durationMinutes: 180, agenda, administratorsInvited: true }
      ]
    }).pipe(asKeyPerson)
    yield* coDesign.approvePlan({ programmeId: programme.id }).pipe(asCoordinator)
    yield* log("co-design", "goals set, two themes voted, a plan of three sessions approved")

    // 3. Sessions: the group, dates around the region's calendar, invitations.
    for (const [name, email, organisation, helixRole, language] of participants) {
      yield* sessions.enrol({ programmeId: programme.id, participant: { name, email, organisation, helixRole, language } }).pipe(asOrganiser)
    }
    yield* sessions.createFromPlan({ programmeId: programme.id }).pipe(asOrganiser)
    const proposal = yield* sessions.plan({
      programmeId: programme.id,
      from: "2027-02-01",
      schoolHolidayZone: "North",
      preferredWeekdays: [2, 4],
      preferredWindow: { from: "13:00", until: "17:00" },
      feeds: [regionalCalendar]
    }).pipe(asOrganiser)
    const scheduled = yield* sessions.scheduleFromPlan({
      programmeId: programme.id,
      sessions: proposal.sessions.map((s) => ({ key: s.key, start: s.start.toISOString(), end: s.end.toISOString() })),
      venue: { name: "Kennispark", address: "Hengelosestraat 500", city: "Enschede" },
      host: "Saxion"
    }).pipe(asOrganiser)
    for (const session of scheduled) yield* sessions.invite({ sessionId: session.id }).pipe(asOrganiser)
    yield* log("sessions", `${participants.length} participants enrolled; ${proposal.sessions.map((s) => `${s.role} ${s.date} ${s.time}`).join(", ")}; invited`)

    // The dispatcher turns the events into e-mails with calendar invitations, each once.
    let sent = 0
    if (options.dispatch) {
      const dispatcher = yield* Dispatcher.make({ consumer: "copkit-demo", from: options.from })
      for (;;) {
        const batch = yield* dispatcher.runOnce
        sent += batch.sent
        if (batch.claimed === 0) break
      }
      yield* log("dispatch", `${sent} e-mails sent`)
    } else {
      yield* log("dispatch", "the outbox is left for copkit dispatch")
    }

    // 4. The kick-off is held; an agreement is made; the report is written.
    const [kickOff] = scheduled
    if (kickOff?.end === undefined) return yield* Effect.dieMessage("the kick-off was not scheduled")
    yield* story.jumpTo(new Date(kickOff.end.getTime() + 60 * 60 * 1000))
    const invited = yield* sessions.get({ sessionId: kickOff.id }).pipe(asOrganiser)
    yield* sessions.recordAttendance({
      sessionId: kickOff.id,
      attendance: invited.value.invitations.map((i, n) => ({ personId: i.personId, present: n % 4 !== 3 }))
    }).pipe(asOrganiser)
    yield* sessions.recordInsight({
      sessionId: kickOff.id,
      kind: "PracticeExample",
      title: "Gedeelde werkplaats",
      text: "Drie bedrijven delen een leerwerkplaats voor nieuwe monteurs."
    }).pipe(asOrganiser)
    const measure = yield* followUp.defineMeasure({ programmeId: programme.id, title: "Regionale leerwerkplaats", organisations: ["Saxion", "Oost NL"] }).pipe(asKeyPerson)
    yield* followUp.recordAgreement({
      programmeId: programme.id,
      action: "Opzet leerwerkplaats uitwerken met drie bedrijven",
      owner: { personId: "per_sanne" },
      dueDate: "2027-06-30",
      measureId: measure.id,
      sessionId: kickOff.id
    }).pipe(asKeyPerson)
    yield* log("follow-up", "the kick-off held: attendance, an insight, a measure and an agreement")
    const report = yield* followUp.report({ programmeId: programme.id }).pipe(asCoordinator)
    const reportFile = join(options.directory, "report.html")
    yield* Effect.sync(() => writeFileSync(reportFile, ReportRender.toHtml(report)))

    const result: DemoResult = {
      programmeId: programme.id,
      applicationId: application.id,
      sessionIds: scheduled.map((s) => s.id),
      sessions: proposal.sessions.map((s) => `${s.role} ${s.date} ${s.time}`),
      participants: participants.length,
      messagesSent: sent,
      report: reportFile
    }
    return result
  }).pipe(Effect.withClock(story.clock))
}
