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
// `start-in-future`): the seed runs on its own clock, four months back, and moves it on as the story
// does. That takes Effect's `Clock`, which the Promise facade does not expose, so the seed uses the
// Effect API; the portal itself uses only the Promise facade.
import { Clock, Effect } from "effect"
import { Actor, Application, CoDesign, Evaluations, FollowUp, Intake, IntakeRounds, Sessions } from "@copkit/core"

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

/** A clock that stands still until the story moves it. @param {number} start */
const storyClock = (start) => {
  let now = start
  /** @type {Clock.Clock} */
  const clock = {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: () => now,
    currentTimeMillis: Effect.sync(() => now),
    unsafeCurrentTimeNanos: () => BigInt(now) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => BigInt(now) * 1_000_000n),
    sleep: () => Effect.void
  }
  return { clock, jumpTo: (/** @type {Date} */ to) => Effect.sync(() => void (now = Math.max(now, to.getTime()))) }
}

/**
 * Writes the demo story into the store the layer gives; returns the ids the portal's tests use.
 * @param {number} now the real time: the story's dates are relative to it
 */
export const seed = (now = Date.now()) => {
  const story = storyClock(now - 120 * day)
  return Effect.gen(function*() {
    const intake = yield* Intake.Intake
    const rounds = yield* IntakeRounds.IntakeRounds
    const coDesign = yield* CoDesign.CoDesign
    const sessions = yield* Sessions.Sessions
    const followUp = yield* FollowUp.FollowUp
    const evaluations = yield* Evaluations.Evaluations
    /** Runs a step as one of the demo users. @param {string} username */
    const as = (username) => {
      const user = demoUsers.find((u) => u.username === username)
      if (user === undefined) throw new Error(`no demo user ${username}`)
      return Actor.as(Actor.make(user.actor))
    }
    const [coordinator, bram, lotte, henk, fleur, anouk] = [as("marieke"), as("bram"), as("lotte"), as("henk"), as("fleur"), as("anouk")]

    const round = yield* rounds.open({ name: "Instroomronde", capacity: 4, deadline: at(now, 60).toISOString() }).pipe(coordinator)

    /**
     * @param {ReturnType<typeof regionOf>} region
     * @param {[ReturnType<typeof person>, ...Array<ReturnType<typeof person>>]} team
     * @param {typeof bram} asKeyPerson
     */
    const apply = (region, team, asKeyPerson) =>
      intake.create({
        region,
        contact: team[0],
        motivation: `In ${region.name} willen ondernemers, gemeenten en onderwijs samen leren hoe zij het mkb beter ondersteunen.`,
        urgency: "Personeelstekorten en de energietransitie vragen nu om samenwerking.",
        administrators: [{ id: `per_wethouder_${region.id}`, name: `Wethouder ${region.municipalities[0]}`, email: `wethouder@${region.id}.example`, helixRole: "Government" }],
        entrepreneurs: team.filter((p) => p.helixRole === "Entrepreneur"),
        keyPersons: team,
        commitments,
        roundId: round.id
      }).pipe(asKeyPerson)

    /** @param {string} applicationId @param {typeof bram} asKeyPerson */
    const acceptApplication = (applicationId, asKeyPerson) =>
      Effect.gen(function*() {
        yield* intake.submit({ applicationId }).pipe(asKeyPerson)
        yield* intake.scheduleExploration({ applicationId, at: at(now, -110, 9).toISOString(), location: "Online" }).pipe(coordinator)
        for (const criterion of Application.criteria) {
          yield* intake.assess({ applicationId, criterion, score: 4, note: "Besproken in het verkenningsgesprek." }).pipe(coordinator)
        }
        return (yield* intake.accept({ applicationId, reason: "Energie, draagvlak en ondernemers aan boord." }).pipe(coordinator)).programme
      })

    // Utrecht: accepted, co-designed, running.
    const utrechtApplication = yield* apply(regionOf("utrecht", "Regio Utrecht", "Utrecht", ["Utrecht", "Amersfoort"]), utrechtTeam, bram)
    const utrecht = yield* acceptApplication(utrechtApplication.id, bram)
    yield* coDesign.setGoals({
      programmeId: utrecht.id,
      intendedResults: ["Eén loket voor mkb-ondersteuning in de regio", "Twintig bedrijven delen hun leerwerkplekken"],
      whoIsNeeded: ["Ondernemers uit de installatietechniek", "Gemeenten"],
      whoCanContribute: ["Hogeschool Utrecht", "ROC Midden Nederland"]
    }).pipe(bram)
    const staff = yield* coDesign.proposeTheme({ programmeId: utrecht.id, title: "Personeelstekorten", scope: "CrossRegional", tags: ["arbeidsmarkt"] }).pipe(bram)
    const energy = yield* coDesign.proposeTheme({ programmeId: utrecht.id, title: "Energiebesparing in het mkb", scope: "Regional", tags: ["energie"] }).pipe(lotte)
    yield* coDesign.vote({ programmeId: utrecht.id, themeId: staff.id, points: 8 }).pipe(bram)
    yield* coDesign.vote({ programmeId: utrecht.id, themeId: energy.id, points: 5 }).pipe(lotte)
    const agenda = [
      { title: "Welkom en nieuws", minutes: 20 },
      { title: "Intervisie op een casus", minutes: 60, workForm: /** @type {const} */ ("Intervision") },
      { title: "Verdieping met een gast-expert", minutes: 60, workForm: /** @type {const} */ ("GuestExpert") }
    ]
    yield* coDesign.setPlan({
      programmeId: utrecht.id,
      items: [
        { role: "KickOff", themeId: staff.id, goal: "Aftrap met bestuurders", workForms: ["GuestExpert", "InteractiveForm"], durationMinutes: 180, agenda, administratorsInvited: true },
        { role: "Regular", themeId: energy.id, goal: "Leren van elkaar", workForms: ["Intervision", "PracticeExample"], durationMinutes: 180, agenda },
        { role: "Closing", themeId: energy.id, goal: "Afspraken maken", workForms: ["ProjectVisit", "Simulation"], durationMinutes: 180, agenda, administratorsInvited: true }
      ]
    }).pipe(bram)
    yield* coDesign.approvePlan({ programmeId: utrecht.id }).pipe(coordinator)
    for (const [n, participant] of utrechtParticipants.entries()) {
      yield* sessions.enrol({ programmeId: utrecht.id, participant, reserve: n >= 12 }).pipe(lotte)
    }
    const created = yield* sessions.createFromPlan({ programmeId: utrecht.id }).pipe(lotte)
    const venue = { name: "Stadskantoor", address: "Stadsplateau 1", city: "Utrecht" }
    const dates = [-30, -5, 40]
    for (const [n, session] of created.entries()) {
      const start = at(now, dates[n] ?? 60)
      yield* sessions.schedule({ sessionId: session.id, start: start.toISOString(), end: new Date(start.getTime() + 3 * 60 * 60 * 1000).toISOString(), venue, host: "Hogeschool Utrecht" }).pipe(lotte)
      yield* sessions.invite({ sessionId: session.id }).pipe(lotte)
    }
    const [kickOff, second, closing] = created
    // Most answer the first two invitations; the closing's wait (Ilse answers hers in the portal).
    for (const session of [kickOff, second]) {
      if (session === undefined) continue
      for (const [n, p] of utrechtParticipants.slice(0, 12).entries()) {
        const answer = n % 6 === 5 ? "Declined" : "Accepted"
        yield* sessions.answer({ sessionId: session.id, personId: p.id, answer }).pipe(Actor.as(Actor.make({ _tag: "Participant", personId: p.id, regionId: "utrecht" })))
      }
    }
    // The kick-off was held.
    if (kickOff !== undefined) {
      yield* story.jumpTo(at(now, -30, 17))
      const attendance = utrechtParticipants.slice(0, 12).map((p, n) => ({ personId: p.id, present: n % 6 !== 5 }))
      yield* sessions.recordAttendance({ sessionId: kickOff.id, attendance }).pipe(lotte)
      yield* sessions.writeMinutes({ sessionId: kickOff.id, text: "Tien deelnemers bespraken de personeelstekorten in de installatietechniek en kozen drie acties." }).pipe(lotte)
      yield* sessions.publishMinutes({ sessionId: kickOff.id, visibility: "Network" }).pipe(lotte)
      yield* sessions.recordInsight({ sessionId: kickOff.id, kind: "PracticeExample", title: "Gedeelde leerwerkplaats", text: "Drie bedrijven delen een leerwerkplaats voor nieuwe monteurs." }).pipe(lotte)
      const measure = yield* followUp.defineMeasure({ programmeId: utrecht.id, title: "Regionale leerwerkplaats", organisations: ["Hogeschool Utrecht", "Kok Installatietechniek"] }).pipe(bram)
      yield* followUp.recordAgreement({ programmeId: utrecht.id, action: "Opzet leerwerkplaats uitwerken met drie bedrijven", owner: { personId: "per_sanne" }, dueDate: at(now, 60).toISOString().slice(0, 10), measureId: measure.id, sessionId: kickOff.id }).pipe(bram)
      // Three attendees evaluate it; Ilse's evaluation is left for her to give in the portal.
      for (const p of utrechtParticipants.slice(1, 4)) {
        yield* evaluations.answer({ sessionId: kickOff.id, scores: { value: 4, practice: 4, network: 5 } }).pipe(Actor.as(Actor.make({ _tag: "Participant", personId: p.id, regionId: "utrecht" })))
      }
    }

    // Achterhoek: accepted, co-designing.
    const achterhoekApplication = yield* apply(regionOf("achterhoek", "Achterhoek", "Gelderland", ["Doetinchem", "Winterswijk"]), achterhoekTeam, henk)
    const achterhoek = yield* acceptApplication(achterhoekApplication.id, henk)
    yield* coDesign.setGoals({ programmeId: achterhoek.id, intendedResults: ["Bouwbedrijven verduurzamen samen"], whoIsNeeded: ["Bouwbedrijven"], whoCanContribute: ["Graafschap College"] }).pipe(henk)

    // Twente: applied, waiting for the coordinator.
    const twenteApplication = yield* apply(regionOf("twente", "Twente", "Overijssel", ["Enschede", "Hengelo", "Almelo"]), twenteTeam, fleur)
    yield* intake.submit({ applicationId: twenteApplication.id }).pipe(fleur)

    // Zuidoost-Drenthe: a draft.
    const drentheApplication = yield* apply(regionOf("drenthe", "Zuidoost-Drenthe", "Drenthe", ["Emmen", "Coevorden"]), drentheTeam, anouk)

    return {
      roundId: round.id,
      utrecht: { applicationId: utrechtApplication.id, programmeId: utrecht.id, sessionIds: created.map((s) => s.id) },
      achterhoek: { applicationId: achterhoekApplication.id, programmeId: achterhoek.id },
      twente: { applicationId: twenteApplication.id },
      drenthe: { applicationId: drentheApplication.id },
      second: second?.id,
      closing: closing?.id
    }
  }).pipe(Effect.withClock(story.clock))
}
