// @ts-nocheck: not yet type-checked (the typed-core inputs land in parallel); inputs are still
// decoded at run time. To do after merging: type the story data with `/** @type {const} */`.
// `pnpm demo` at the root: a fictional knowledge network through the whole lifecycle, on the embedded
// defaults (a SQLite file, .eml files, .ics files). Three regions apply, one is declined; two
// programmes are co-designed and share one cross-regional session; the planner works around a
// region's own calendar; 20 participants per region are invited, answer and attend; one session is
// rescheduled, one cancelled; minutes, insights, evaluations, agreements, measures with an indicator,
// a verdict on a goal; the reports as HTML.
//
// Every run starts clean: the output folder is emptied first.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { Effect } from "effect"
import { ICalendar } from "@copkit/calendar-ical"
import { Actor, Application, CoDesign, Directory, Dispatcher, Evaluations, FollowUp, Intake, IntakeRounds, Network, Programmes, ReportRender, Sessions } from "@copkit/core"
import { layer, storyClock } from "./quickstart.mjs"

const here = fileURLToPath(new URL(".", import.meta.url))
const calendarFile = join(here, "..", "data", "twente-agenda.ics")

const coordinator = Actor.make({ _tag: "NetworkCoordinator", personId: "per_coordinator" })
const commitments = { venue: true, catering: true, participantSelection: true, activeParticipation: true, followUp: true }

/** The three regions that apply. Drenthe names no entrepreneurs: the coordinator declines it. */
const regions = /** @type {const} */ ([
  {
    region: { id: "twente", name: "Twente", provinces: ["Overijssel"], municipalities: ["Enschede", "Hengelo", "Almelo"], schoolHolidayZone: "North" },
    keyPersons: [
      { id: "per_fleur", name: "Fleur Jansen", email: "fleur@kvk.example", organisation: "Kamer van Koophandel", helixRole: "Intermediary" },
      { id: "per_joost", name: "Joost Bakker", email: "joost@overijssel.example", organisation: "Provincie Overijssel", helixRole: "Government" },
      { id: "per_sanne", name: "Sanne de Vries", email: "sanne@devries.example", organisation: "De Vries Metaal", helixRole: "Entrepreneur" },
      { id: "per_mark", name: "Mark Visser", email: "mark@saxion.example", organisation: "Saxion", helixRole: "Knowledge" }
    ],
    entrepreneur: 2,
    organiser: "per_joost",
    feeds: [readFileSync(calendarFile, "utf8")],
    // the region's own events: the planner prefers a session on (or next to) one of them
    regionalEvents: [{ title: "Twentse Techniekdag", date: "2027-03-25" }],
    venue: { name: "Kennispark", address: "Hengelosestraat 500", city: "Enschede" },
    host: "Saxion",
    regionalTheme: "Digitalisering in de maakindustrie"
  },
  {
    region: { id: "achterhoek", name: "Achterhoek", provinces: ["Gelderland"], municipalities: ["Doetinchem", "Winterswijk"], schoolHolidayZone: "South" },
    keyPersons: [
      { id: "per_henk", name: "Henk Wolters", email: "henk@achterhoek.example", organisation: "Regio Achterhoek", helixRole: "Government" },
      { id: "per_lotte", name: "Lotte Geurink", email: "lotte@geurink-bouw.example", organisation: "Geurink Bouw", helixRole: "Entrepreneur" },
      { id: "per_ruben", name: "Ruben Hofman", email: "ruben@graafschap.example", organisation: "Graafschap College", helixRole: "Knowledge" },
      { id: "per_jorg", name: "Jörg Müller", email: "jörg@müller-logistik.example", organisation: "Müller Logistik", helixRole: "Intermediary" }
    ],
    entrepreneur: 1,
    organiser: "per_henk",
    feeds: [],
    venue: { name: "Huis van de Achterhoek", address: "Dr. Huber Noodtstraat 1", city: "Doetinchem" },
    host: "Regio Achterhoek",
    regionalTheme: "Energietransitie in de bouw"
  },
  {
    region: { id: "drenthe", name: "Zuidoost-Drenthe", provinces: ["Drenthe"], municipalities: ["Emmen", "Coevorden"], schoolHolidayZone: "North" },
    keyPersons: [
      { id: "per_anouk", name: "Anouk Bos", email: "anouk@emmen.example", organisation: "Gemeente Emmen", helixRole: "Government" },
      { id: "per_wim", name: "Wim Dekker", email: "wim@stenden.example", organisation: "NHL Stenden", helixRole: "Knowledge" }
    ],
    entrepreneur: undefined,
    organiser: "per_anouk"
  }
])

const firstNames = ["Ilse", "Bram", "Eva", "Tom", "Noor", "Daan", "Sara", "Luuk", "Fenna", "Ahmed", "Yara", "Jesse", "Mila", "Sem", "Lieke", "Milan", "Roos", "Thijs", "Esra", "Bas"]
const lastNames = ["Mulder", "Nijhuis", "de Boer", "Smit", "Kok", "Meijer", "Postma", "Hendriks", "Brouwer", "Yilmaz", "Dijkstra", "Vos", "Peters", "Kuipers", "Jacobs", "van Dam", "Schouten", "Verhoeven", "Aydın", "Huisman"]
const roles = /** @type {const} */ (["Entrepreneur", "Entrepreneur", "Entrepreneur", "Knowledge", "Government", "Intermediary"])

/** Twenty fictional participants of a region. */
/** @param {string} regionId */
const participantsOf = (regionId) =>
  firstNames.map((first, n) => {
    const last = lastNames[(n * 7 + regionId.length) % lastNames.length]
    const slug = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, "")
    return {
      name: `${first} ${last}`,
      email: `${slug}@${regionId}.example`,
      organisation: `${last} ${["BV", "Techniek", "Advies", "Installatie"][n % 4]}`,
      helixRole: roles[n % roles.length],
      language: n % 5 === 4 ? "en" : "nl"
    }
  })

const agenda = [
  { title: "Nieuws van de dag", minutes: 20 },
  { title: "Intervisie op een casus", minutes: 60, workForm: "Intervision" },
  { title: "Verdieping met een gast-expert", minutes: 60, workForm: "GuestExpert" }
]

/** @param {string} step @param {string} text */
const log = (step, text) => console.log(`${step.padEnd(14)} ${text}`)

/**
 * Runs the network's story in a directory (emptied first).
 * @param {string} directory
 */
export const run = (directory, story = storyClock()) =>
  Effect.gen(function*() {
    const intake = yield* Intake.Intake
    const coDesign = yield* CoDesign.CoDesign
    const sessions = yield* Sessions.Sessions
    const followUp = yield* FollowUp.FollowUp
    const asCoordinator = Actor.as(coordinator)
    const dispatcher = yield* Dispatcher.make({ consumer: "demo", from: { name: "Kennisnetwerk brede mkb", address: "noreply@kennisnetwerk.example" } })
    let mails = 0
    /** @param {string} why */
    const dispatch = (why) =>
      Effect.gen(function*() {
        let sent = 0
        for (;;) {
          const batch = yield* dispatcher.runOnce
          sent += batch.sent
          if (batch.claimed === 0) break
        }
        mails += sent
        log("dispatch", `${sent} e-mails written (${why}); ${mails} so far`)
      })

    // 1. Intake: a round with room for two regions; three apply; two are accepted, one declined with the reason.
    const rounds = yield* IntakeRounds.IntakeRounds
    const programmes = yield* Programmes.Programmes
    const round = yield* rounds.open({ name: "Voorjaar 2027", capacity: 2, deadline: "2027-01-31T23:59:00+01:00" }).pipe(asCoordinator)
    log("intake", `round "${round.name}" opened: room for ${round.capacity} regions, applications until 31 January`)
    /** @type {any[]} */
    const accepted = []
    for (const r of regions) {
      const keyPerson = Actor.as(Actor.make({ _tag: "KeyPerson", personId: r.keyPersons[0].id, regionId: r.region.id }))
      const application = yield* intake.create({
        region: r.region,
        contact: r.keyPersons[0],
        motivation: `Veel energie bij ondernemers en gemeenten in ${r.region.name}.`,
        urgency: "Personeelstekorten vragen nu om betere ondersteuning van het mkb.",
        administrators: [{ id: `per_wethouder_${r.region.id}`, name: `Wethouder ${r.region.municipalities[0]}`, email: `wethouder@${r.region.id}.example`, helixRole: "Government" }],
        entrepreneurs: r.entrepreneur === undefined ? [] : [r.keyPersons[r.entrepreneur]],
        keyPersons: r.keyPersons,
        commitments,
        roundId: round.id
      }).pipe(keyPerson)
      yield* intake.submit({ applicationId: application.id }).pipe(keyPerson)
      yield* intake.scheduleExploration({ applicationId: application.id, at: "2027-01-08T10:00:00+01:00", location: r.region.municipalities[0] }).pipe(asCoordinator)
      for (const criterion of Application.criteria) {
        const score = criterion === "EntrepreneurInvolvement" && r.entrepreneur === undefined ? 1 : 4
        yield* intake.assess({ applicationId: application.id, criterion, score, note: "Besproken in het verkenningsgesprek." }).pipe(asCoordinator)
      }
      const readiness = yield* intake.readiness({ applicationId: application.id }).pipe(asCoordinator)
      const blocking = readiness.findings.filter((f) => f.blocking)
      if (readiness.ready) {
        const { programme } = yield* intake.accept({ applicationId: application.id, reason: "Energie, draagvlak en ondernemers aan boord." }).pipe(asCoordinator)
        accepted.push({ ...r, programme, keyPerson, organiserActor: Actor.as(Actor.make({ _tag: "RegionalOrganiser", personId: r.organiser, regionId: r.region.id })) })
        log("intake", `${r.region.name}: applied with ${r.keyPersons.length} key persons, score ${readiness.score?.toFixed(1)}, accepted`)
      } else {
        const reason = blocking.map((f) => f.message).join(" ")
        yield* intake.decline({ applicationId: application.id, reason }).pipe(asCoordinator)
        log("intake", `${r.region.name}: applied with ${r.keyPersons.length} key persons, DECLINED: ${reason}`)
      }
    }

    const comparison = yield* rounds.compare({ roundId: round.id }).pipe(asCoordinator)
    log("intake", `round compared by readiness: ${comparison.entries.map((e) => `${e.rank}. ${e.regionName} (${e.readiness.score?.toFixed(1) ?? "-"}${e.readiness.ready ? "" : ", not ready"})`).join(", ")}; ${comparison.remaining} places left`)
    yield* dispatch("receipts, conversation invitations, decisions")

    // 2. Co-design: core team across the helix, goals, themes voted, a plan approved.
    /** @type {Record<string, any>} */
    const shared = {}
    for (const r of accepted) {
      const id = r.programme.id
      const team = yield* coDesign.coreTeam({ programmeId: id }).pipe(r.keyPerson)
      log("co-design", `${r.region.name}: core team of ${team.size} covers ${team.covered.join(", ")}${team.missing.length ? `; missing ${team.missing.join(", ")}` : ""}`)
      yield* coDesign.setGoals({
        programmeId: id,
        intendedResults: [`Eén loket voor mkb-ondersteuning in ${r.region.name}`],
        whoIsNeeded: ["Ondernemers uit de maakindustrie", "Gemeenten"],
        whoCanContribute: ["Hogescholen", "Ontwikkelingsmaatschappij"]
      }).pipe(r.keyPerson)
      const staff = yield* coDesign.proposeTheme({ programmeId: id, title: "Personeelstekorten", scope: "CrossRegional", tags: ["arbeidsmarkt", "personeel"] }).pipe(r.keyPerson)
      const local = yield* coDesign.proposeTheme({ programmeId: id, title: r.regionalTheme, scope: "Regional", tags: ["regio"] }).pipe(r.keyPerson)
      yield* coDesign.vote({ programmeId: id, themeId: staff.id, points: 8 }).pipe(r.keyPerson)
      yield* coDesign.vote({ programmeId: id, themeId: local.id, points: 5 }).pipe(r.keyPerson)
      const ranking = yield* coDesign.ranking({ programmeId: id }).pipe(r.keyPerson)
      log("co-design", `${r.region.name}: goals set, ${ranking.length} themes voted (top: ${ranking[0]?.title ?? ranking[0]?.theme?.title ?? "?"})`)
      yield* coDesign.setPlan({
        programmeId: id,
        items: [
          { role: "KickOff", themeId: staff.id, goal: "Aftrap met bestuurders", workForms: ["GuestExpert", "InteractiveForm"], durationMinutes: 180, agenda, administratorsInvited: true },
          { role: "Regular", themeId: local.id, goal: "Leren van elkaar", workForms: ["Intervision", "PracticeExample"], durationMinutes: 180, agenda },
          { role: "Closing", themeId: local.id, goal: "Afspraken maken", workForms: ["ProjectVisit", "Simulation"], durationMinutes: 180, agenda, administratorsInvited: true }
        ]
      }).pipe(r.keyPerson)
      yield* coDesign.approvePlan({ programmeId: id }).pipe(asCoordinator)
      log("co-design", `${r.region.name}: plan of 3 sessions approved`)
      // the checklist's tasks: the region's given to its organiser; the venue of the kick-off ticked off
      const tasks = yield* programmes.tasks({ programmeId: id }).pipe(r.keyPerson)
      const organiser = r.keyPersons.find((p) => p.id === r.organiser) ?? r.keyPersons[0]
      for (const t of tasks.filter((t) => t.task.owner === "Region")) {
        yield* programmes.assignTask({ programmeId: id, planItemId: t.planItemId, taskKey: t.taskKey, assignee: organiser }).pipe(r.keyPerson)
      }
      const venue = tasks.find((t) => t.task.owner === "Region")
      if (venue !== undefined) yield* programmes.completeTask({ programmeId: id, planItemId: venue.planItemId, taskKey: venue.taskKey }).pipe(r.organiserActor)
      log("tasks", `${r.region.name}: ${tasks.filter((t) => t.task.owner === "Region").length} of ${tasks.length} checklist tasks given to ${organiser.name}; one done`)
      shared[r.region.id] = staff
    }
    const sharedTitle = shared[accepted[0].region.id].title
    const sharing = accepted.filter((r) => shared[r.region.id].title === sharedTitle && shared[r.region.id].scope === "CrossRegional")
    log("co-design", `cross-regional theme "${sharedTitle}" chosen by ${sharing.map((r) => r.region.name).join(" and ")}: one shared session`)

    // 3. Sessions: 20 participants per region; dates around the region's calendar; invitations.
    /** @type {Record<string, any[]>} */
    const scheduledByRegion = {}
    for (const r of accepted) {
      const id = r.programme.id
      for (const participant of participantsOf(r.region.id)) {
        yield* sessions.enrol({ programmeId: id, participant }).pipe(r.organiserActor)
      }
      yield* sessions.createFromPlan({ programmeId: id }).pipe(r.organiserActor)
      const proposal = yield* sessions.plan({
        programmeId: id,
        from: "2027-02-01",
        schoolHolidayZone: r.region.schoolHolidayZone,
        preferredWeekdays: [2, 4],
        preferredWindow: { from: "13:00", until: "17:00" },
        feeds: r.feeds,
        regionalEvents: r.regionalEvents ?? []
      }).pipe(r.organiserActor)
      log("plan", `${r.region.name}: ${proposal.status}, ${proposal.sessions.map((s) => `${s.role} ${s.date} ${s.time}`).join(", ")}; ${proposal.rejected.length} date(s) skipped`)
      for (const s of proposal.sessions.filter((x) => x.alignedWith !== undefined)) log("  in tune", `${s.role} ${s.date}: ${s.alignedWith.message}`)
      // Why dates were skipped: the region's own calendar first, then holidays, then preferences.
      const order = ["busy", "publicHoliday", "schoolHoliday"]
      const rank = (reason) => (order.includes(reason.constraint) ? order.indexOf(reason.constraint) : order.length)
      const byReason = new Map()
      for (const rejected of proposal.rejected) {
        for (const reason of rejected.reasons) {
          const entry = byReason.get(reason.message) ?? { reason, dates: new Set() }
          entry.dates.add(rejected.date)
          byReason.set(reason.message, entry)
        }
      }
      const reasons = [...byReason.values()].sort((a, b) => rank(a.reason) - rank(b.reason))
      for (const { reason, dates } of reasons.slice(0, 8)) {
        const list = [...dates]
        log("  skipped", `${list.slice(0, 3).join(", ")}${list.length > 3 ? ` (+${list.length - 3})` : ""} [${reason.constraint}]: ${reason.message}`)
      }
      if (reasons.length > 8) log("  skipped", `... and ${reasons.length - 8} more reasons`)
      const scheduled = yield* sessions.scheduleFromPlan({
        programmeId: id,
        sessions: proposal.sessions.map((s) => ({ key: s.key, start: s.start.toISOString(), end: s.end.toISOString() })),
        venue: r.venue,
        host: r.host
      }).pipe(r.organiserActor)
      for (const session of scheduled) yield* sessions.invite({ sessionId: session.id }).pipe(r.organiserActor)
      scheduledByRegion[r.region.id] = scheduled
      log("sessions", `${r.region.name}: 20 participants enrolled, ${scheduled.length} sessions scheduled and invited`)
    }

    // The shared cross-regional session on the theme both regions chose.
    const crossRegional = yield* sessions.createCrossRegional({
      programmeIds: accepted.map((r) => r.programme.id),
      title: "Personeelstekorten: samen werven en opleiden",
      themeId: shared[accepted[0].region.id].id,
      workForms: ["GuestExpert", "Intervision"],
      agenda
    }).pipe(asCoordinator)
    yield* sessions.schedule({
      sessionId: crossRegional.id,
      start: "2027-03-25T13:00:00+01:00",
      end: "2027-03-25T16:00:00+01:00",
      venue: { name: "Stadsschouwburg", address: "Markt 1", city: "Zutphen" },
      host: "Kennisnetwerk brede mkb",
      // hybrid: the join link goes into the invitations only, never into the feeds or the reports
      format: "Hybrid",
      joinUrl: "https://meet.example.nl/kennisnetwerk/personeelstekorten"
    }).pipe(asCoordinator)
    const sharedInvited = yield* sessions.invite({ sessionId: crossRegional.id }).pipe(asCoordinator)
    log("sessions", `shared session in Zutphen (and online) on 2027-03-25: ${sharedInvited.invitations.length} invited from ${accepted.length} regions`)
    yield* dispatch("invitations")

    // Participants answer their invitations.
    const all = [...Object.values(scheduledByRegion).flat(), crossRegional]
    const answers = { Accepted: 0, Declined: 0, Tentative: 0 }
    for (const session of all) {
      const view = yield* sessions.get({ sessionId: session.id }).pipe(asCoordinator)
      for (const [n, invitation] of view.value.invitations.entries()) {
        const answer = n % 10 === 9 ? "Declined" : n % 10 === 8 ? "Tentative" : "Accepted"
        const regionId = view.value.regionIds[0]
        const participant = Actor.as(Actor.make({ _tag: "Participant", personId: invitation.personId, regionId }))
        yield* sessions.answer({ sessionId: session.id, personId: invitation.personId, answer }).pipe(
          participant,
          Effect.orElse(() => sessions.answer({ sessionId: session.id, personId: invitation.personId, answer }).pipe(asCoordinator))
        )
        answers[answer] += 1
      }
    }
    log("answers", `${answers.Accepted} accepted, ${answers.Tentative} tentative, ${answers.Declined} declined`)

    // One session moves a week, one is cancelled.
    const [twente, achterhoek] = accepted
    const moved = scheduledByRegion[twente.region.id][1]
    const week = 7 * 24 * 60 * 60 * 1000
    yield* sessions.reschedule({
      sessionId: moved.id,
      start: new Date(moved.start.getTime() + week).toISOString(),
      end: new Date(moved.end.getTime() + week).toISOString()
    }).pipe(twente.organiserActor)
    log("reschedule", `${twente.region.name} ${moved.role}: ${moved.start.toISOString().slice(0, 10)} -> ${new Date(moved.start.getTime() + week).toISOString().slice(0, 10)}`)
    const cancelled = scheduledByRegion[achterhoek.region.id][1]
    yield* sessions.cancel({ sessionId: cancelled.id, reason: "De zaal is niet beschikbaar; het thema komt terug in de slotbijeenkomst." }).pipe(achterhoek.organiserActor)
    log("cancel", `${achterhoek.region.name} ${cancelled.role} of ${cancelled.start.toISOString().slice(0, 10)} cancelled`)
    yield* dispatch("updates and cancellations")

    // 4. The kick-offs and the shared session are held: attendance, minutes, insights.
    const held = [...accepted.map((r) => scheduledByRegion[r.region.id][0]), crossRegional]
    const lastEnd = Math.max(...held.map((s) => (s.end ?? sharedInvited.end).getTime()))
    yield* story.jumpTo(new Date(lastEnd + 60 * 60 * 1000))
    let present = 0
    let absent = 0
    for (const session of held) {
      const view = yield* sessions.get({ sessionId: session.id }).pipe(asCoordinator)
      const attendance = view.value.invitations.map((i, n) => ({ personId: i.personId, present: n % 6 !== 5 }))
      present += attendance.filter((a) => a.present).length
      absent += attendance.filter((a) => !a.present).length
      const actor = session.id === crossRegional.id ? asCoordinator : accepted.find((r) => r.region.id === view.value.regionIds[0]).organiserActor
      yield* sessions.recordAttendance({ sessionId: session.id, attendance }).pipe(actor)
      yield* sessions.writeMinutes({ sessionId: session.id, text: `Verslag van ${view.value.title ?? "de bijeenkomst"}: ${attendance.filter((a) => a.present).length} aanwezigen bespraken de casus en maakten afspraken.` }).pipe(actor)
      // the minutes stay in the region, except the shared session's: the whole network may find those
      yield* sessions.publishMinutes({ sessionId: session.id, visibility: session.id === crossRegional.id ? "Network" : "Region" }).pipe(actor)
      yield* sessions.recordInsight({ sessionId: session.id, kind: "PracticeExample", title: "Gedeelde werkplaats", text: "Drie bedrijven delen een leerwerkplaats voor nieuwe monteurs." }).pipe(actor)
    }
    log("held", `${held.length} sessions held: ${present} present, ${absent} absent; minutes published, ${held.length} insights`)

    // Knowledge across regions: key persons join the directory (with their consent); another
    // region finds them by theme, and finds the minutes the network may read.
    const directoryService = yield* Directory.Directory
    for (const r of accepted) {
      const person = r.keyPersons[0]
      yield* directoryService.join({ consent: true, name: person.name, organisation: person.organisation, themes: [r.regionalTheme, "Personeelstekorten"] }).pipe(r.keyPerson)
    }
    const [first, second] = accepted
    const found = yield* directoryService.search({ theme: first.regionalTheme }).pipe(second.organiserActor)
    log("directory", `${accepted.length} key persons listed; ${second.region.name} searches "${first.regionalTheme}": ${found.map((h) => `${h.name} (${h.organisation})`).join(", ")}`)
    const network = yield* Network.Network
    const minutesFound = yield* network.searchMinutes({ text: "casus" }).pipe(second.keyPerson)
    log("minutes", `${second.region.name}'s key person finds ${minutesFound.length} minutes in the network search: ${minutesFound.map((h) => `${h.title} (${h.visibility})`).join(", ")}`)

    // The attendees evaluate their kick-off (scores 1-5 and a remark); the results show only in aggregate.
    const evaluations = yield* Evaluations.Evaluations
    const remarks = ["Inspirerend en concreet.", "Meer tijd voor de casus graag.", "Goede mix van mensen.", "De rondleiding was het hoogtepunt."]
    let answered = 0
    for (const r of accepted) {
      const kickoff = (yield* sessions.get({ sessionId: scheduledByRegion[r.region.id][0].id }).pipe(asCoordinator)).value
      for (const [n, a] of kickoff.attendance.filter((x) => x.present).entries()) {
        const asAttendee = Actor.as({ _tag: "Participant", personId: a.personId, regionId: r.region.id })
        yield* evaluations.answer({
          sessionId: kickoff.id,
          scores: { value: 3 + (n % 3), practice: 3 + ((n + 1) % 3), network: 2 + (n % 4) },
          ...(n % 2 === 0 ? { openAnswers: { remarks: remarks[n % remarks.length] } } : {})
        }).pipe(asAttendee)
        answered += 1
      }
      const [result] = yield* evaluations.results({ sessionId: kickoff.id }).pipe(r.keyPerson)
      log("evaluation", `${r.region.name}: ${result.answers} answers${result.shown ? `, "${result.questions[0].text.nl}" ${result.questions[0].average} / 5` : " (too few to show)"}`)
    }
    yield* dispatch(`evaluation requests; ${answered} answered`)

    // 5. Follow-up: measures and agreements; the reports as HTML; the calendars as .ics.
    mkdirSync(join(directory, "reports"), { recursive: true })
    mkdirSync(join(directory, "calendars"), { recursive: true })
    let agreements = 0
    for (const r of accepted) {
      const id = r.programme.id
      const measure = yield* followUp.defineMeasure({ programmeId: id, title: `Regionale leerwerkplaats ${r.region.name}`, organisations: [r.host, r.keyPersons[0].organisation] }).pipe(r.keyPerson)
      for (const [n, action] of ["Opzet leerwerkplaats uitwerken met drie bedrijven", "Gezamenlijke vacaturebank starten", "Stageplekken inventariseren"].entries()) {
        yield* followUp.recordAgreement({
          programmeId: id,
          action,
          owner: { personId: r.keyPersons[n % r.keyPersons.length].id },
          dueDate: `2027-0${6 + n}-30`,
          measureId: measure.id,
          sessionId: scheduledByRegion[r.region.id][0].id
        }).pipe(r.keyPerson)
        agreements += 1
      }
      // what the measure should achieve, and where it stands; a verdict on the first intended result
      const indicator = (yield* evaluations.defineIndicator({ measureId: measure.id, name: "Leerlingen in de werkplaats", unit: "leerlingen", baseline: 0, target: 24 }).pipe(r.keyPerson)).indicators[0]
      yield* evaluations.recordIndicatorValue({ measureId: measure.id, indicatorId: indicator.id, date: "2027-06-30", value: 9 }).pipe(r.keyPerson)
      yield* evaluations.recordVerdict({ programmeId: id, resultIndex: 0, verdict: "Partly", note: "De eerste bedrijven doen mee; de werkplaats opent na de zomer." }).pipe(r.keyPerson)
      const report = yield* followUp.report({ programmeId: id }).pipe(asCoordinator)
      writeFileSync(join(directory, "reports", `${r.region.id}.html`), ReportRender.toHtml(report))
      const events = yield* sessions.feedEvents({ programmeId: id }).pipe(asCoordinator)
      writeFileSync(join(directory, "calendars", `${r.region.id}.ics`), ICalendar.renderFeed(`CoP ${r.region.name}`, events))
    }
    log("follow-up", `${accepted.length} measures, ${agreements} agreements; ${accepted.length} HTML reports, ${accepted.length} .ics feeds`)
    return { regions: regions.length, accepted: accepted.length, mails }
  }).pipe(Effect.withClock(story.clock))

/** Empties the directory, runs the story, prints where the files are. @param {string} directory */
export const main = async (directory) => {
  rmSync(directory, { recursive: true, force: true })
  mkdirSync(directory, { recursive: true })
  const started = Date.now()
  const result = await Effect.runPromise(run(directory).pipe(Effect.provide(layer(directory))))
  /** @param {string} sub @param {string} ext */
  const count = (sub, ext) => readdirSync(join(directory, sub)).filter((f) => f.endsWith(ext)).length
  /** @param {string} p */
  const at = (p) => relative(process.cwd(), join(directory, p)) || "."
  console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s. The files:`)
  console.log(`  database   ${at("copkit.db")} (SQLite; open it with sqlite3)`)
  console.log(`  e-mails    ${at("outbox")}/ (${count("outbox", ".eml")} .eml files)`)
  console.log(`  calendars  ${at("calendars")}/ (${count("calendars", ".ics")} .ics feeds; the region's own calendar: ${relative(process.cwd(), calendarFile)})`)
  console.log(`  reports    ${at("reports")}/ (${count("reports", ".html")} HTML reports)`)
  return result
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const directory = resolve(process.argv[2] ?? ".demo")
  await main(directory)
}
