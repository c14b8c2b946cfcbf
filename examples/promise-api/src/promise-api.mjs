// copkit from a plain Node program: Promises, classes and fields, no `effect` import anywhere.
// The client is built from plain options: a SQLite file for storage, a folder of .eml files for mail.
import { mkdirSync } from "node:fs"
import { join } from "node:path"
import { Actor, Application, Client, Forbidden, ValidationError } from "@copkit/core"
import { ICalendar } from "@copkit/calendar-ical"
import { FileMailer, Templates } from "@copkit/email-smtp"
import { SqliteStore } from "@copkit/storage-sqlite"

const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_coordinator" })
const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_fleur", regionId: "twente" })
const otherRegion = Actor.make({ _tag: "KeyPerson", personId: "per_henk", regionId: "achterhoek" })

const keyPersons = /** @type {const} */ ([
  { id: "per_fleur", name: "Fleur Jansen", email: "fleur@kvk.example", organisation: "Kamer van Koophandel", helixRole: "Intermediary" },
  { id: "per_joost", name: "Joost Bakker", email: "joost@overijssel.example", organisation: "Provincie Overijssel", helixRole: "Government" },
  { id: "per_sanne", name: "Sanne de Vries", email: "sanne@devries.example", organisation: "De Vries Metaal", helixRole: "Entrepreneur" }
])
const application = /** @type {const} */ ({
  region: { id: "twente", name: "Twente", provinces: ["Overijssel"], municipalities: ["Enschede"], schoolHolidayZone: "North" },
  contact: keyPersons[0],
  motivation: "Veel energie bij ondernemers en gemeenten in Twente.",
  urgency: "Personeelstekorten vragen nu om betere ondersteuning van het mkb.",
  administrators: [{ id: "per_wethouder", name: "Wethouder Enschede", email: "wethouder@enschede.example", helixRole: "Government" }],
  entrepreneurs: [keyPersons[2]],
  keyPersons,
  commitments: { venue: true, catering: true, participantSelection: true, activeParticipation: true, followUp: true }
})

/**
 * Runs an intake and a co-design on SQLite, dispatches the e-mails once into .eml files, and shows
 * how a ValidationError and a Forbidden are handled. Returns what happened.
 * @param {string} directory
 */
export const main = async (directory) => {
  mkdirSync(directory, { recursive: true })
  const copkit = Client.make({
    storage: SqliteStore.layer({ filename: join(directory, "copkit.db") }),
    dispatcher: {
      consumer: "promise-api",
      from: { name: "Kennisnetwerk", address: "noreply@kennisnetwerk.example" },
      mailer: FileMailer.layer({ directory: join(directory, "outbox") }),
      templates: Templates.layer,
      calendar: ICalendar.layer
    }
  })
  try {
    // A bad e-mail address: the ValidationError names the field and the rule; nothing is saved.
    let validation
    try {
      await copkit.intake.create(keyPerson, { ...application, contact: { ...keyPersons[0], email: "fleur at kvk" } })
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      validation = { field: error.field, rule: error.rule, message: error.message }
      console.log(`refused: ${error.field} (${error.rule}): ${error.message}`)
    }

    // The intake.
    const draft = await copkit.intake.create(keyPerson, application)
    await copkit.intake.submit(keyPerson, { applicationId: draft.id })
    await copkit.intake.scheduleExploration(coordinator, { applicationId: draft.id, at: "2027-01-08T10:00:00+01:00", location: "Enschede" })
    for (const criterion of Application.criteria) {
      await copkit.intake.assess(coordinator, { applicationId: draft.id, criterion, score: 4, note: "Besproken." })
    }

    // Another region's key person may not decide: a Forbidden says who, what and why.
    let forbidden
    try {
      await copkit.intake.accept(otherRegion, { applicationId: draft.id, reason: "Wij vinden het goed." })
    } catch (error) {
      if (!(error instanceof Forbidden)) throw error
      forbidden = { actor: error.actor, action: error.action, reason: error.reason }
      console.log(`forbidden: ${error.actor} may not ${error.action}: ${error.reason}`)
    }
    const { programme } = await copkit.intake.accept(coordinator, { applicationId: draft.id, reason: "Energie en draagvlak." })
    console.log(`accepted: programme ${programme.id}`)

    // The co-design.
    await copkit.coDesign.setGoals(keyPerson, { programmeId: programme.id, intendedResults: ["Eén loket voor het mkb"] })
    const theme = await copkit.coDesign.proposeTheme(keyPerson, { programmeId: programme.id, title: "Personeelstekorten", scope: "Regional", tags: [] })
    await copkit.coDesign.vote(keyPerson, { programmeId: programme.id, themeId: theme.id, points: 8 })
    await copkit.coDesign.setPlan(keyPerson, {
      programmeId: programme.id,
      items: [
        { role: "KickOff", themeId: theme.id, goal: "Aftrap", workForms: ["GuestExpert", "InteractiveForm"], durationMinutes: 180, administratorsInvited: true },
        { role: "Regular", themeId: theme.id, goal: "Leren", workForms: ["Intervision", "PracticeExample"], durationMinutes: 180 },
        { role: "Closing", themeId: theme.id, goal: "Afspraken", workForms: ["ProjectVisit", "Simulation"], durationMinutes: 180, administratorsInvited: true }
      ]
    })
    const approved = await copkit.coDesign.approvePlan(coordinator, { programmeId: programme.id })
    console.log("plan approved")

    // Two participants, the kick-off on a date, the invitations.
    const organiser = Actor.make({ _tag: "RegionalOrganiser", personId: "per_joost", regionId: "twente" })
    for (const participant of /** @type {const} */ ([
      { name: "Ilse Mulder", email: "ilse@bakkerij.example", organisation: "Bakkerij Mulder", helixRole: "Entrepreneur" },
      { name: "Jörg Müller", email: "jörg@müller.example", organisation: "Müller Logistik", helixRole: "Intermediary", language: "en" }
    ])) {
      await copkit.sessions.enrol(organiser, { programmeId: programme.id, participant })
    }
    const [kickOff] = await copkit.sessions.createFromPlan(organiser, { programmeId: programme.id })
    if (kickOff === undefined) throw new Error("the plan has no kick-off")
    await copkit.sessions.schedule(organiser, {
      sessionId: kickOff.id,
      start: "2027-02-11T13:00:00+01:00",
      end: "2027-02-11T16:00:00+01:00",
      venue: { name: "Kennispark", address: "Hengelosestraat 500", city: "Enschede" }
    })
    await copkit.sessions.invite(organiser, { sessionId: kickOff.id })

    // The dispatcher, once: the invitations become .eml files.
    // One pass claims at most a batch of events (`dispatcher.batchSize`): pass until nothing is left.
    let sent = 0
    for (let batch = await copkit.dispatcher.runOnce(); batch.claimed > 0; batch = await copkit.dispatcher.runOnce()) {
      sent += batch.sent
    }
    console.log(`dispatched: ${sent} e-mail(s) into ${join(directory, "outbox")}`)
    return { validation, forbidden, programmeId: programme.id, approved, sent }
  } finally {
    await copkit.dispose()
  }
}
