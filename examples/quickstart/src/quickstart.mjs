// The whole lifecycle of one region's Community of Practice on the embedded defaults: a SQLite file
// for storage, a folder of .eml files for e-mail, iCalendar invitations. Every step runs as the
// actor who would take it in a real portal.
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Clock, Duration, Effect, Layer } from "effect"
import { ICalendar, ICalendarImport } from "@copkit/calendar-ical"
import { Actor, Application, CoDesign, Dispatcher, FollowUp, Ids, Intake, ReportRender, Services, Sessions } from "@copkit/core"
import { FileMailer, Templates } from "@copkit/email-smtp"
import { SqliteStore } from "@copkit/storage-sqlite"

/** The people of this story. Ids would come from your own login system. */
export const people = {
  coordinator: Actor.make({ _tag: "NetworkCoordinator", personId: "per_coordinator" }),
  keyPerson: Actor.make({ _tag: "KeyPerson", personId: "per_fleur", regionId: "twente" }),
  organiser: Actor.make({ _tag: "RegionalOrganiser", personId: "per_joost", regionId: "twente" })
}

const region = /** @type {const} */ ({
  id: "twente",
  name: "Twente",
  provinces: ["Overijssel"],
  municipalities: ["Enschede", "Hengelo", "Almelo"],
  schoolHolidayZone: "North"
})

const keyPersons = /** @type {const} */ ([
  { id: "per_fleur", name: "Fleur Jansen", email: "fleur@kvk.example", organisation: "Kamer van Koophandel", helixRole: "Intermediary" },
  { id: "per_joost", name: "Joost Bakker", email: "joost@overijssel.example", organisation: "Provincie Overijssel", helixRole: "Government" },
  { id: "per_sanne", name: "Sanne de Vries", email: "sanne@devries.example", organisation: "De Vries Metaal", helixRole: "Entrepreneur" }
])

const participants = /** @type {const} */ ([
  ["Ilse Mulder", "ilse@bakkerij.example", "Bakkerij Mulder", "Entrepreneur", "nl"],
  ["Mark Visser", "mark@saxion.example", "Saxion", "Knowledge", "en"],
  ["Ahmed El Amrani", "ahmed@enschede.example", "Gemeente Enschede", "Government", "nl"],
  ["Eva de Boer", "eva@oost.example", "Oost NL", "Intermediary", "nl"],
  ["Tom Smit", "tom@smit-installatie.example", "Smit Installatietechniek", "Entrepreneur", "nl"]
])

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

/**
 * The story takes months; the quickstart runs in a second. Its clock starts on 4 January 2027 and
 * jumps ahead when the story does. copkit reads time only from Effect's Clock, so this is all it
 * takes (tests do the same with TestClock).
 */
export const storyClock = (start = Date.parse("2027-01-04T09:00:00Z")) => {
  let now = start
  /** @type {Clock.Clock} */
  const clock = {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: () => now,
    currentTimeMillis: Effect.sync(() => now),
    unsafeCurrentTimeNanos: () => BigInt(now) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => BigInt(now) * 1_000_000n),
    // Waiting still takes real time (timeouts race against real work), and moves the story on too.
    sleep: (/** @type {Duration.DurationInput} */ duration) =>
      Effect.async((resume) => {
        const millis = Duration.toMillis(duration)
        const timer = setTimeout(() => {
          now += millis
          resume(Effect.void)
        }, millis)
        return Effect.sync(() => clearTimeout(timer))
      })
  }
  return {
    clock,
    /** Moves the story to a later moment. @param {Date} to */
    jumpTo: (to) => Effect.sync(() => void (now = Math.max(now, to.getTime())))
  }
}

/**
 * Every adapter the quickstart uses, around every service.
 * @param {string} directory
 */
export const layer = (directory) =>
  Layer.mergeAll(Services.layer, Services.layerNotifications).pipe(
    Layer.provideMerge(Layer.mergeAll(
      SqliteStore.layer({ filename: join(directory, "copkit.db") }),
      FileMailer.layer({ directory: join(directory, "outbox") }),
      Templates.layer,
      ICalendar.layer,
      ICalendarImport.layerImporter,
      Ids.layerRandom
    ))
  )

/**
 * Runs the story: intake, co-design, sessions, follow-up. Writes `copkit.db`, `outbox/*.eml` and
 * `report.html` into the directory.
 * @param {string} directory
 */
export const run = (/** @type {string} */ directory, story = storyClock()) =>
  Effect.gen(function*() {
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
    const readiness = yield* intake.readiness({ applicationId: application.id }).pipe(asCoordinator)
    const { programme } = yield* intake.accept({ applicationId: application.id, reason: "Energie, draagvlak en ondernemers aan boord." }).pipe(asCoordinator)

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
    const agenda = /** @type {const} */ ([
      { title: "Nieuws van de dag", minutes: 20 },
      { title: "Intervisie op een casus", minutes: 60, workForm: "Intervision" },
      { title: "Verdieping met een gast-expert", minutes: 60, workForm: "GuestExpert" }
    ])
    yield* coDesign.setPlan({
      programmeId: programme.id,
      items: [
        { role: "KickOff", themeId: staff.id, goal: "Aftrap met bestuurders", workForms: ["GuestExpert", "InteractiveForm"], durationMinutes: 180, agenda, administratorsInvited: true },
        { role: "Regular", themeId: digital.id, goal: "Leren van elkaar", workForms: ["Intervision", "PracticeExample"], durationMinutes: 180, agenda },
        { role: "Closing", themeId: staff.id, goal: "Afspraken maken", workForms: ["ProjectVisit", "Simulation"], durationMinutes: 180, agenda, administratorsInvited: true }
      ]
    }).pipe(asKeyPerson)
    yield* coDesign.approvePlan({ programmeId: programme.id }).pipe(asCoordinator)

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

    // The dispatcher turns the events into e-mails with calendar invitations, each once.
    const dispatcher = yield* Dispatcher.make({ consumer: "quickstart", from: { name: "Kennisnetwerk brede mkb", address: "noreply@kennisnetwerk.example" } })
    let sent = 0
    for (;;) {
      const batch = yield* dispatcher.runOnce
      sent += batch.sent
      if (batch.claimed === 0) break
    }

    // 4. The kick-off is held; an agreement is made; the report is written.
    const [kickOff] = scheduled
    if (kickOff?.end === undefined) throw new Error("the kick-off was not scheduled")
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
    const report = yield* followUp.report({ programmeId: programme.id }).pipe(asCoordinator)
    writeFileSync(join(directory, "report.html"), ReportRender.toHtml(report))

    return {
      applicationReady: readiness.ready,
      programmeId: programme.id,
      sessions: proposal.sessions.map((s) => `${s.role} ${s.date} ${s.time}`),
      messagesSent: sent
    }
  }).pipe(Effect.withClock(story.clock))

/** Runs the quickstart in a folder (created if missing). @param {string} directory */
export const main = (directory) => {
  mkdirSync(directory, { recursive: true })
  return Effect.runPromise(run(directory).pipe(Effect.provide(layer(directory))))
}
