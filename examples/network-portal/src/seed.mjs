// Demo data for the portal: four regions at four points of the lifecycle, and a user for each role.
//
// - Utrecht runs its programme: the kick-off was held a month ago (attendance, minutes, an insight,
//   an agreement), the second session was five days ago and waits for its attendance, the closing is
//   six weeks ahead and its invitations wait for answers.
// - Achterhoek was accepted and is co-designing: core team and goals, no themes yet.
// - Twente has applied: the coordinator explores, assesses and decides.
// - Zuidoost-Drenthe has a draft application.
//
// The story happened in the past, but copkit refuses to schedule a session in the past (rule
// `start-in-future`): the seed runs on a client of its own whose `now` starts four months back and
// moves on as the story does (`Client.make({ now })`).
import { Application } from "@copkit/core"

const day = 24 * 60 * 60 * 1000

/** The people who sign in, with their copkit actor. The password of every demo user is `demo-portal`. */
export const demoUsers = /** @type {const} */ ([
  { username: "marieke", name: "Marieke Jansen", actor: { _tag: "NetworkCoordinator", personId: "per_marieke" } },
  { username: "bram", name: "Bram Hendriks", actor: { _tag: "KeyPerson", personId: "per_bram", regionId: "utrecht" } },
  { username: "lotte", name: "Lotte Smit", actor: { _tag: "RegionalOrganiser", personId: "per_lotte", regionId: "utrecht" } },
  { username: "ilse", name: "Ilse Mulder", actor: { _tag: "Participant", personId: "per_ilse", regionId: "utrecht" } },
  { username: "henk", name: "Henk Wolters", actor: { _tag: "KeyPerson", personId: "per_henk", regionId: "achterhoek" } },
  { username: "fleur", name: "Fleur de Vries", actor: { _tag: "KeyPerson", personId: "per_fleur", regionId: "twente" } },
  { username: "anouk", name: "Anouk Bos", actor: { _tag: "KeyPerson", personId: "per_anouk", regionId: "drenthe" } }
])

export const demoPassword = "demo-portal"

const commitments = { venue: true, catering: true, participantSelection: true, activeParticipation: true, followUp: true }

/** @param {string} regionId @param {string} name @param {string} province @param {ReadonlyArray<string>} municipalities */
const regionOf = (regionId, name, province, municipalities) => ({ id: regionId, name, provinces: [province], municipalities: [...municipalities] })

/** @param {string} id @param {string} name @param {string} organisation @param {"Entrepreneur" | "Knowledge" | "Government" | "Intermediary"} helixRole */
const person = (id, name, organisation, helixRole) => ({
  id,
  name,
  email: `${id.slice(4)}@${organisation.toLowerCase().replace(/[^a-z]+/g, "-").replace(/^-|-$/g, "")}.example`,
  organisation,
  helixRole
})

const utrechtTeam = /** @type {[ReturnType<typeof person>, ...Array<ReturnType<typeof person>>]} */ ([
  person("per_bram", "Bram Hendriks", "Economic Board Utrecht", "Intermediary"),
  person("per_lotte", "Lotte Smit", "Gemeente Amersfoort", "Government"),
  person("per_sanne", "Sanne Kok", "Kok Installatietechniek", "Entrepreneur"),
  person("per_mark", "Mark Visser", "Hogeschool Utrecht", "Knowledge")
])
const achterhoekTeam = /** @type {[ReturnType<typeof person>, ...Array<ReturnType<typeof person>>]} */ ([
  person("per_henk", "Henk Wolters", "Regio Achterhoek", "Government"),
  person("per_lieke", "Lieke Geurink", "Geurink Bouw", "Entrepreneur"),
  person("per_ruben", "Ruben Hofman", "Graafschap College", "Knowledge")
])
const twenteTeam = /** @type {[ReturnType<typeof person>, ...Array<ReturnType<typeof person>>]} */ ([
  person("per_fleur", "Fleur de Vries", "Kamer van Koophandel", "Intermediary"),
  person("per_joost", "Joost Bakker", "Provincie Overijssel", "Government"),
  person("per_daan", "Daan Nijhuis", "Nijhuis Metaal", "Entrepreneur")
])
const drentheTeam = /** @type {[ReturnType<typeof person>, ...Array<ReturnType<typeof person>>]} */ ([
  person("per_anouk", "Anouk Bos", "Gemeente Emmen", "Government"),
  person("per_wim", "Wim Dekker", "NHL Stenden", "Knowledge")
])

const participantNames = ["Ilse Mulder", "Tom Meijer", "Noor Postma", "Sem Brouwer", "Eva Dijkstra", "Luuk Vos", "Sara Peters", "Ahmed Yilmaz", "Fenna Kuipers", "Jesse Jacobs", "Mila van Dam", "Thijs Schouten", "Roos Verhoeven", "Esra Aydın"]
const helix = /** @type {const} */ (["Entrepreneur", "Entrepreneur", "Knowledge", "Government", "Intermediary"])

/** Fourteen participants of Utrecht: twelve in the group, two on the reserve list. */
const utrechtParticipants = participantNames.map((name, n) => ({
  id: n === 0 ? "per_ilse" : `per_utrecht_${n}`,
  name,
  email: `${name.toLowerCase().normalize("NFD").replace(/[^a-z ]/g, "").replace(/ /g, ".")}@utrecht-mkb.example`,
  organisation: `${name.split(" ").at(-1)} ${["BV", "Techniek", "Advies", "Zorg"][n % 4]}`,
  helixRole: helix[n % helix.length] ?? "Entrepreneur",
  language: /** @type {"nl" | "en"} */ (n % 4 === 3 ? "en" : "nl")
}))

/** A moment `days` from `now`, at 13:00 UTC. @param {number} now @param {number} days */
const at = (now, days, hour = 13) => {
  const d = new Date(now + days * day)
  d.setUTCHours(hour, 0, 0, 0)
  return d
}

/**
 * Writes the demo story through a client whose clock the story moves; returns the ids the portal's
 * tests use.
 * @param {(now: () => Date) => import("@copkit/core").Client.Client} makeClient a client on the portal's storage, reading the time from `now`
 * @param {number} now the real time: the story's dates are relative to it
 */
export const seed = async (makeClient, now = Date.now()) => {
  let storyNow = now - 120 * day
  const jumpTo = (/** @type {Date} */ to) => void (storyNow = Math.max(storyNow, to.getTime()))
  const client = makeClient(() => new Date(storyNow))
  const { intake, rounds, coDesign, sessions, followUp, evaluations } = client
  /** The actor of one of the demo users. @param {string} username */
  const actorOf = (username) => {
    const user = demoUsers.find((u) => u.username === username)
    if (user === undefined) throw new Error(`no demo user ${username}`)
    return user.actor
  }
  const [coordinator, bram, lotte, henk, fleur, anouk] = [actorOf("marieke"), actorOf("bram"), actorOf("lotte"), actorOf("henk"), actorOf("fleur"), actorOf("anouk")]
  /** @param {string} personId */
  const participant = (personId) => /** @type {const} */ ({ _tag: "Participant", personId, regionId: "utrecht" })
  try {
    const round = await rounds.open(coordinator, { name: "Instroomronde", capacity: 4, deadline: at(now, 60).toISOString() })

    /**
     * @param {ReturnType<typeof regionOf>} region
     * @param {[ReturnType<typeof person>, ...Array<ReturnType<typeof person>>]} team
     * @param {typeof bram} keyPerson
     */
    const apply = (region, team, keyPerson) =>
      intake.create(keyPerson, {
        region,
        contact: team[0],
        motivation: `In ${region.name} willen ondernemers, gemeenten en onderwijs samen leren hoe zij het mkb beter ondersteunen.`,
        urgency: "Personeelstekorten en de energietransitie vragen nu om samenwerking.",
        administrators: [{ id: `per_wethouder_${region.id}`, name: `Wethouder ${region.municipalities[0]}`, email: `wethouder@${region.id}.example`, helixRole: "Government" }],
        entrepreneurs: team.filter((p) => p.helixRole === "Entrepreneur"),
        keyPersons: team,
        commitments,
        roundId: round.id
      })

    /** @param {string} applicationId @param {typeof bram} keyPerson */
    const acceptApplication = async (applicationId, keyPerson) => {
      await intake.submit(keyPerson, { applicationId })
      await intake.scheduleExploration(coordinator, { applicationId, at: at(now, -110, 9).toISOString(), location: "Online" })
      for (const criterion of Application.criteria) {
        await intake.assess(coordinator, { applicationId, criterion, score: 4, note: "Besproken in het verkenningsgesprek." })
      }
      return (await intake.accept(coordinator, { applicationId, reason: "Energie, draagvlak en ondernemers aan boord." })).programme
    }

    // Utrecht: accepted, co-designed, running.
    const utrechtApplication = await apply(regionOf("utrecht", "Regio Utrecht", "Utrecht", ["Utrecht", "Amersfoort"]), utrechtTeam, bram)
    const utrecht = await acceptApplication(utrechtApplication.id, bram)
    await coDesign.setGoals(bram, {
      programmeId: utrecht.id,
      intendedResults: ["Eén loket voor mkb-ondersteuning in de regio", "Twintig bedrijven delen hun leerwerkplekken"],
      whoIsNeeded: ["Ondernemers uit de installatietechniek", "Gemeenten"],
      whoCanContribute: ["Hogeschool Utrecht", "ROC Midden Nederland"]
    })
    const staff = await coDesign.proposeTheme(bram, { programmeId: utrecht.id, title: "Personeelstekorten", scope: "CrossRegional", tags: ["arbeidsmarkt"] })
    const energy = await coDesign.proposeTheme(lotte, { programmeId: utrecht.id, title: "Energiebesparing in het mkb", scope: "Regional", tags: ["energie"] })
    await coDesign.vote(bram, { programmeId: utrecht.id, themeId: staff.id, points: 8 })
    await coDesign.vote(lotte, { programmeId: utrecht.id, themeId: energy.id, points: 5 })
    const agenda = [
      { title: "Welkom en nieuws", minutes: 20 },
      { title: "Intervisie op een casus", minutes: 60, workForm: /** @type {const} */ ("Intervision") },
      { title: "Verdieping met een gast-expert", minutes: 60, workForm: /** @type {const} */ ("GuestExpert") }
    ]
    await coDesign.setPlan(bram, {
      programmeId: utrecht.id,
      items: [
        { role: "KickOff", themeId: staff.id, goal: "Aftrap met bestuurders", workForms: ["GuestExpert", "InteractiveForm"], durationMinutes: 180, agenda, administratorsInvited: true },
        { role: "Regular", themeId: energy.id, goal: "Leren van elkaar", workForms: ["Intervision", "PracticeExample"], durationMinutes: 180, agenda },
        { role: "Closing", themeId: energy.id, goal: "Afspraken maken", workForms: ["ProjectVisit", "Simulation"], durationMinutes: 180, agenda, administratorsInvited: true }
      ]
    })
    await coDesign.approvePlan(coordinator, { programmeId: utrecht.id })
    for (const [n, participant] of utrechtParticipants.entries()) {
      await sessions.enrol(lotte, { programmeId: utrecht.id, participant, reserve: n >= 12 })
    }
    const created = await sessions.createFromPlan(lotte, { programmeId: utrecht.id })
    const venue = { name: "Stadskantoor", address: "Stadsplateau 1", city: "Utrecht" }
    const dates = [-30, -5, 40]
    for (const [n, session] of created.entries()) {
      const start = at(now, dates[n] ?? 60)
      await sessions.schedule(lotte, { sessionId: session.id, start: start.toISOString(), end: new Date(start.getTime() + 3 * 60 * 60 * 1000).toISOString(), venue, host: "Hogeschool Utrecht" })
      await sessions.invite(lotte, { sessionId: session.id })
    }
    const [kickOff, second, closing] = created
    // Most answer the first two invitations; the closing's wait (Ilse answers hers in the portal).
    for (const session of [kickOff, second]) {
      if (session === undefined) continue
      for (const [n, p] of utrechtParticipants.slice(0, 12).entries()) {
        const answer = n % 6 === 5 ? "Declined" : "Accepted"
        await sessions.answer(participant(p.id), { sessionId: session.id, personId: p.id, answer })
      }
    }
    // The kick-off was held.
    if (kickOff !== undefined) {
      jumpTo(at(now, -30, 17))
      const attendance = utrechtParticipants.slice(0, 12).map((p, n) => ({ personId: p.id, present: n % 6 !== 5 }))
      await sessions.recordAttendance(lotte, { sessionId: kickOff.id, attendance })
      await sessions.writeMinutes(lotte, { sessionId: kickOff.id, text: "Tien deelnemers bespraken de personeelstekorten in de installatietechniek en kozen drie acties." })
      await sessions.publishMinutes(lotte, { sessionId: kickOff.id, visibility: "Network" })
      await sessions.recordInsight(lotte, { sessionId: kickOff.id, kind: "PracticeExample", title: "Gedeelde leerwerkplaats", text: "Drie bedrijven delen een leerwerkplaats voor nieuwe monteurs." })
      const measure = await followUp.defineMeasure(bram, { programmeId: utrecht.id, title: "Regionale leerwerkplaats", organisations: ["Hogeschool Utrecht", "Kok Installatietechniek"] })
      await followUp.recordAgreement(bram, { programmeId: utrecht.id, action: "Opzet leerwerkplaats uitwerken met drie bedrijven", owner: { personId: "per_sanne" }, dueDate: at(now, 60).toISOString().slice(0, 10), measureId: measure.id, sessionId: kickOff.id })
      // Three attendees evaluate it; Ilse's evaluation is left for her to give in the portal.
      for (const p of utrechtParticipants.slice(1, 4)) {
        await evaluations.answer(participant(p.id), { sessionId: kickOff.id, scores: { value: 4, practice: 4, network: 5 } })
      }
    }

    // Achterhoek: accepted, co-designing.
    const achterhoekApplication = await apply(regionOf("achterhoek", "Achterhoek", "Gelderland", ["Doetinchem", "Winterswijk"]), achterhoekTeam, henk)
    const achterhoek = await acceptApplication(achterhoekApplication.id, henk)
    await coDesign.setGoals(henk, { programmeId: achterhoek.id, intendedResults: ["Bouwbedrijven verduurzamen samen"], whoIsNeeded: ["Bouwbedrijven"], whoCanContribute: ["Graafschap College"] })

    // Twente: applied, waiting for the coordinator.
    const twenteApplication = await apply(regionOf("twente", "Twente", "Overijssel", ["Enschede", "Hengelo", "Almelo"]), twenteTeam, fleur)
    await intake.submit(fleur, { applicationId: twenteApplication.id })

    // Zuidoost-Drenthe: a draft.
    const drentheApplication = await apply(regionOf("drenthe", "Zuidoost-Drenthe", "Drenthe", ["Emmen", "Coevorden"]), drentheTeam, anouk)

    return {
      roundId: round.id,
      utrecht: { applicationId: utrechtApplication.id, programmeId: utrecht.id, sessionIds: created.map((s) => s.id) },
      achterhoek: { applicationId: achterhoekApplication.id, programmeId: achterhoek.id },
      twente: { applicationId: twenteApplication.id },
      drenthe: { applicationId: drentheApplication.id },
      second: second?.id,
      closing: closing?.id
    }
  } finally {
    await client.dispose()
  }
}
