/**
 * Erasure across the services: an application through the intake, a programme with a group,
 * sessions, invitations, attendance, minutes and insights through the Sessions service, and
 * agreements through the follow-up; then a participant and a key person are erased. The raw
 * documents and events are scanned for their e-mail addresses and names. The invitations go out
 * through the dispatcher first (one failing with the address in its error), so that the delivery
 * records are scanned too.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, TestClock } from "effect"
import { Actor, Application, Calendar, Dispatcher, Entity, FollowUp, Intake, Mailer, Notification, PersonalData, Programme, Repository, Services, Sessions } from "@copkit/core"
import { Fixtures, Inspector, Memory } from "@copkit/testing"
import { at, programmeValue, saveProgramme } from "./followup.support.js"

/** Templates and a renderer that put the recipient's address in the message, as real ones do. */
const rendering = Layer.mergeAll(
  Layer.succeed(Notification.MessageTemplates, {
    render: (n) => Effect.succeed({ subject: n.kind, text: `Hallo ${n.recipient.name} <${n.recipient.email}>`, html: "<p>Hallo</p>" })
  }),
  Layer.succeed(Calendar.CalendarRenderer, {
    invitation: (event, attendee, method) =>
      Effect.succeed(`BEGIN:VCALENDAR\r\nMETHOD:${method}\r\nBEGIN:VEVENT\r\nUID:${event.uid}\r\nATTENDEE:mailto:${attendee.email}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`),
    feed: () => Effect.succeed("")
  })
)

const Layers = Layer.mergeAll(Intake.layer, Sessions.layer, FollowUp.layer, PersonalData.layer, Services.layerNotifications).pipe(
  Layer.provideMerge(Layer.merge(Memory.layer, rendering))
)

const { actors, people } = Fixtures
const coordinator = Actor.as(actors.coordinator)
const keyPerson = Actor.as(actors.keyPerson)
const organiser = Actor.as(actors.organiser)

const rawStorage = Effect.gen(function*() {
  const inspector = yield* Inspector.Inspector
  const store = yield* Repository.EntityStore
  const texts: Array<string> = []
  for (const kind of Entity.kinds) {
    for (const v of yield* store.repository(kind).list()) {
      const row = yield* inspector.entity(kind.table, kind.idOf(v.value))
      if (row._tag === "Some") texts.push(JSON.stringify(row.value.document))
    }
  }
  for (const e of yield* inspector.events()) texts.push(JSON.stringify(e.document))
  for (const d of yield* inspector.deliveries()) texts.push(JSON.stringify({ key: d.key, recipient: d.recipient, document: d.document }))
  return texts
})

describe("PersonalData: erasure across the services", () => {
  it.effect("after erasing a participant and a key person, their addresses are in no document or event, their names in no document", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(at("2027-01-05T10:00:00Z").getTime())
      const intake = yield* Intake.Intake
      const draft = yield* intake.create(Fixtures.applicationInput()).pipe(keyPerson)
      yield* intake.submit({ applicationId: draft.id }).pipe(keyPerson)
      yield* intake.scheduleExploration({ applicationId: draft.id, at: "2027-01-12T09:30:00Z" }).pipe(coordinator)
      for (const criterion of Application.criteria) {
        yield* intake.assess({ applicationId: draft.id, criterion, score: 4, note: "Goed." }).pipe(coordinator)
      }
      const { programme: created } = yield* intake.accept({ applicationId: draft.id, reason: `Overtuigend verhaal van ${people.civilServant.name}.` }).pipe(coordinator)
      // Co-design is another service: the plan is put in place directly.
      const programmes = yield* Repository.ProgrammeRepository
      const current = yield* Repository.get(programmes, created.id)
      const shaped = programmeValue({ id: created.id })
      yield* programmes.save(
        new Programme.Programme({ ...current.value, state: "Planned", themes: shaped.themes, plan: shaped.plan, planApprovedAt: at("2027-01-20T10:00:00Z") }),
        current.version
      )

      const sessions = yield* Sessions.Sessions
      for (const p of [people.baker, people.entrepreneur, people.college, people.chamber]) {
        yield* sessions.enrol({ programmeId: created.id, participant: p }).pipe(keyPerson)
      }
      const [first] = yield* sessions.createFromPlan({ programmeId: created.id }).pipe(keyPerson)
      yield* sessions.schedule({
        sessionId: first!.id,
        start: "2027-03-02T13:00:00Z",
        end: "2027-03-02T16:00:00Z",
        venue: { name: "Stadskantoor", city: "Utrecht" },
        host: "Gemeente Utrecht"
      }).pipe(keyPerson)
      yield* sessions.invite({ sessionId: first!.id }).pipe(organiser)
      // The invitations go out; the baker's server refuses (naming the address) and the delivery is Dead.
      const mailer = yield* Memory.MemoryMailer
      yield* mailer.script((message) =>
        message.to[0]?.address === people.baker.email
          ? Option.some(new Mailer.DeliveryError({ temporary: false, code: 550, message: `<${people.baker.email.toUpperCase()}>: mailbox unavailable` }))
          : Option.none()
      )
      const dispatcher = yield* Dispatcher.make({ consumer: "test", from: { name: "Copkit", address: "noreply@copkit.example" } })
      // every batch until the outbox is drained (a batch holds at most `dispatcher.batchSize` events)
      const dispatched = { sent: 0, dead: 0 }
      for (let batch = yield* dispatcher.runOnce; batch.claimed > 0; batch = yield* dispatcher.runOnce) {
        dispatched.sent += batch.sent
        dispatched.dead += batch.dead
      }
      expect(dispatched.sent).toBeGreaterThan(0)
      expect(dispatched.dead).toBe(1)
      yield* sessions.answer({ sessionId: first!.id, personId: people.baker.id, answer: "Accepted" }).pipe(Actor.as(actors.participant))
      yield* TestClock.setTime(at("2027-03-02T16:30:00Z").getTime())
      yield* sessions.recordAttendance({
        sessionId: first!.id,
        attendance: [
          { personId: people.baker.id, present: true },
          { personId: people.entrepreneur.id, present: true },
          { personId: people.chamber.id, present: false }
        ]
      }).pipe(organiser)
      yield* sessions.writeMinutes({ sessionId: first!.id, text: `Ilse Mulder (${people.baker.email}) en Joost Bakker openden.` }).pipe(keyPerson)
      yield* sessions.recordInsight({ sessionId: first!.id, kind: "PracticeExample", title: "Kassa", text: "Ilse Mulder toonde haar kassa." }).pipe(keyPerson)
      const followUp = yield* FollowUp.FollowUp
      const agreement = yield* followUp.recordAgreement({
        programmeId: created.id,
        action: "Kassa-sessie met Joost Bakker voorbereiden.",
        owner: { personId: people.baker.id },
        dueDate: "2027-06-30"
      }).pipe(keyPerson)
      yield* followUp.addNote({ agreementId: agreement.id, text: "Afgestemd met Ilse Mulder." }).pipe(organiser)

      const before = yield* followUp.report({ programmeId: created.id }).pipe(coordinator)
      const readinessBefore = yield* intake.readiness({ applicationId: draft.id }).pipe(coordinator)
      const texts0 = yield* rawStorage
      expect(texts0.some((t) => t.includes(people.baker.email))).toBe(true)
      expect(texts0.some((t) => t.includes(people.civilServant.email))).toBe(true)
      const deliveries0 = (yield* Effect.flatMap(Inspector.Inspector, (i) => i.deliveries())).map((d) => JSON.stringify(d).toLowerCase())
      expect(deliveries0.filter((t) => t.includes(people.baker.email.toLowerCase())).length).toBeGreaterThan(0)

      const personalData = yield* PersonalData.PersonalData
      const baker = yield* personalData.erase({ personId: people.baker.id }).pipe(coordinator)
      expect(Object.keys(baker.changed).sort()).toEqual(["Agreement", "Application", "Enrolment", "Insight", "Session"])
      const civil = yield* personalData.erase({ personId: people.civilServant.id }).pipe(coordinator)
      expect(civil.changed["Application"]).toBe(1)
      expect(civil.changed["Programme"]).toBe(1)

      const texts = yield* rawStorage
      for (const email of [people.baker.email, people.civilServant.email]) {
        expect(texts.filter((t) => t.toLowerCase().includes(email.toLowerCase()))).toEqual([])
      }
      // The delivery records keep the person's id and their outcome, with the placeholder address.
      const deliveries = yield* Effect.flatMap(Inspector.Inspector, (i) => i.deliveries())
      const bakers = deliveries.filter((d) => d.key.includes(`/${people.baker.id}/`))
      expect(bakers.map((d) => [d.status, d.recipient])).toEqual([["Dead", PersonalData.placeholderEmail]])
      expect((bakers[0]!.document as { lastError: string }).lastError).toBe(`550 <${PersonalData.placeholderEmail}>: mailbox unavailable`)
      expect(deliveries.some((d) => d.recipient === people.entrepreneur.email)).toBe(true)
      // Names: gone from every document. The append-only event log is not rewritten: a name stays
      // where a caller wrote it into an event's free-text reason (here the intake's decision).
      const events = (yield* Effect.flatMap(Inspector.Inspector, (i) => i.events())).map((e) => e.document as { event: Record<string, unknown> })
      for (const name of [people.baker.name, people.civilServant.name]) {
        const naming = events.filter((e) => JSON.stringify(e).includes(name))
        expect(naming.every((e) => typeof e.event["reason"] === "string" && (e.event["reason"] as string).includes(name))).toBe(true)
      }
      expect(events.filter((e) => JSON.stringify(e).includes(people.civilServant.name)).map((e) => e.event["_tag"])).toEqual(["ApplicationAccepted"])
      expect(texts.filter((t) => !t.includes("\"position\"") && t.includes(people.civilServant.name))).toEqual([])
      // Others are untouched, the numbers are the same, and everything still decodes.
      expect(texts.some((t) => t.includes(people.entrepreneur.email))).toBe(true)
      const after = yield* followUp.report({ programmeId: created.id }).pipe(coordinator)
      expect(after.summary).toEqual(before.summary)
      expect(yield* intake.readiness({ applicationId: draft.id }).pipe(coordinator)).toEqual(readinessBefore)
      const application = (yield* intake.get({ applicationId: draft.id }).pipe(coordinator)).value
      expect(application.contact).toMatchObject({ id: people.civilServant.id, name: PersonalData.marker, helixRole: "Government" })
      expect(application.contact.email).toBeUndefined()
      expect(application.decision?.reason).toBe(`Overtuigend verhaal van ${PersonalData.marker}.`)
    }).pipe(Effect.provide(Layers)))

  // one-word names: the session state `Held` (and the Dutch word), the last word of the time zone `Europe/Amsterdam`
  const held = { id: "per_held", name: "Held", email: "held@example.nl", organisation: "Bakkerij Noord", helixRole: "Entrepreneur" as const }
  const amsterdam = { id: "per_amsterdam", name: "Amsterdam", email: "amsterdam@example.nl", organisation: "Gemeente Zuid", helixRole: "Government" as const }
  for (const [erased, other] of [[held, amsterdam], [amsterdam, held]] as const) {
    it.effect(`a person named "${erased.name}": another's export and their erasure take the name from free texts, the session's state and time zone stay`, () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(at("2027-02-01T10:00:00Z").getTime())
        const programme = yield* saveProgramme({ state: "Planned" })
        const sessions = yield* Sessions.Sessions
        for (const p of [held, amsterdam, people.baker]) yield* sessions.enrol({ programmeId: programme.id, participant: p }).pipe(keyPerson)
        const [first] = yield* sessions.createFromPlan({ programmeId: programme.id }).pipe(keyPerson)
        yield* sessions.schedule({ sessionId: first!.id, start: "2027-03-02T13:00:00Z", end: "2027-03-02T16:00:00Z", venue: { name: "Stadskantoor" } })
          .pipe(keyPerson)
        yield* sessions.invite({ sessionId: first!.id }).pipe(organiser)
        yield* TestClock.setTime(at("2027-03-02T16:30:00Z").getTime())
        yield* sessions.recordAttendance({
          sessionId: first!.id,
          attendance: [held, amsterdam, people.baker].map((p) => ({ personId: p.id, present: true }))
        }).pipe(organiser)
        yield* sessions.writeMinutes({ sessionId: first!.id, text: `${erased.name} opende; ${other.name} en Ilse Mulder vulden aan.` }).pipe(keyPerson)
        yield* sessions.recordInsight({ sessionId: first!.id, kind: "PracticeExample", title: "Kassa", text: `${erased.name} toonde de kassa.` })
          .pipe(keyPerson)
        const followUp = yield* FollowUp.FollowUp
        const agreement = yield* followUp.recordAgreement({
          programmeId: programme.id,
          action: `Kassa-sessie met ${erased.name} voorbereiden.`,
          owner: { personId: erased.id },
          dueDate: "2027-06-30"
        }).pipe(keyPerson)
        yield* followUp.addNote({ agreementId: agreement.id, text: `Afgestemd met ${erased.name}.` }).pipe(organiser)
        const before = yield* followUp.report({ programmeId: programme.id }).pipe(coordinator)
        const personalData = yield* PersonalData.PersonalData
        // another participant's export shows the others by id alone, and the session as it is
        const exported = yield* personalData.exportPerson({ personId: people.baker.id }).pipe(coordinator)
        const shown = (exported.entities["Session"] as ReadonlyArray<{ id: string; state: string; timeZone: string; minutes?: { text: string } }>)
          .find((s) => s.id === first!.id)!
        expect([shown.state, shown.timeZone, shown.minutes?.text]).toEqual(["Held", "Europe/Amsterdam", `${PersonalData.marker} opende; ${PersonalData.marker} en Ilse Mulder vulden aan.`])

        const result = yield* personalData.erase({ personId: erased.id }).pipe(coordinator)
        expect(result.changed).toEqual({ Agreement: 1, Enrolment: 1, Insight: 1, Session: 1 })

        const { marker } = PersonalData
        const session = (yield* Repository.get(yield* Repository.SessionRepository, first!.id)).value
        expect([session.state, session.timeZone, session.start?.toISOString()]).toEqual(["Held", "Europe/Amsterdam", "2027-03-02T13:00:00.000Z"])
        expect(session.minutes?.text).toBe(`${marker} opende; ${other.name} en Ilse Mulder vulden aan.`)
        expect(session.invitations.map((i) => i.name)).toEqual(
          session.invitations.map((i) => i.personId === erased.id ? marker : [held, amsterdam, people.baker].find((p) => p.id === i.personId)!.name)
        )
        const insight = (yield* (yield* Repository.InsightRepository).list({ programmeId: programme.id }))[0]!.value
        expect(insight.text).toBe(`${marker} toonde de kassa.`)
        const stored = (yield* Repository.get(yield* Repository.AgreementRepository, agreement.id)).value
        expect([stored.action, stored.status, stored.dueDate, stored.notes[0]!.text, stored.owner.name])
          .toEqual([`Kassa-sessie met ${marker} voorbereiden.`, "Open", "2027-06-30", `Afgestemd met ${marker}.`, marker])
        // the numbers are as before, and the person's address and name are in no stored document or event
        expect((yield* followUp.report({ programmeId: programme.id }).pipe(coordinator)).summary).toEqual(before.summary)
        const texts = yield* rawStorage
        for (const gone of [erased.email, `${erased.name} opende`, `met ${erased.name}`, `"name":"${erased.name}"`]) {
          expect(texts.filter((t) => t.includes(gone))).toEqual([])
        }
        expect(texts.some((t) => t.includes(other.email))).toBe(true)
      }).pipe(Effect.provide(Layers)))
  }

  it.effect("a person named after a place: their erasure takes the name from free texts, the region's and the venue's place names stay", () =>
    Effect.gen(function*() {
      const utrecht = { id: "per_utrecht", name: "Utrecht", email: "utrecht@example.nl", organisation: "Bakkerij Oost", helixRole: "Entrepreneur" as const }
      yield* TestClock.setTime(at("2027-02-01T10:00:00Z").getTime())
      const programme = yield* saveProgramme({ state: "Planned" })
      expect([programme.region.name, programme.region.provinces, programme.region.municipalities[0]]).toEqual(["Regio Utrecht", ["Utrecht"], "Utrecht"])
      const sessions = yield* Sessions.Sessions
      for (const p of [utrecht, people.baker]) yield* sessions.enrol({ programmeId: programme.id, participant: p }).pipe(keyPerson)
      const [first] = yield* sessions.createFromPlan({ programmeId: programme.id }).pipe(keyPerson)
      yield* sessions.schedule({
        sessionId: first!.id,
        start: "2027-03-02T13:00:00Z",
        end: "2027-03-02T16:00:00Z",
        venue: { name: "Bakkerij van Utrecht", address: "Oudegracht 1", city: "Utrecht" }
      }).pipe(keyPerson)
      yield* sessions.invite({ sessionId: first!.id }).pipe(organiser)
      yield* TestClock.setTime(at("2027-03-02T16:30:00Z").getTime())
      yield* sessions.recordAttendance({ sessionId: first!.id, attendance: [utrecht, people.baker].map((p) => ({ personId: p.id, present: true })) })
        .pipe(organiser)
      yield* sessions.writeMinutes({ sessionId: first!.id, text: "Utrecht opende in Utrecht." }).pipe(keyPerson)
      const personalData = yield* PersonalData.PersonalData
      yield* personalData.erase({ personId: utrecht.id }).pipe(coordinator)

      const { marker } = PersonalData
      const session = (yield* Repository.get(yield* Repository.SessionRepository, first!.id)).value
      // free text cannot tell the person from the city: both mentions go; the place names in their own fields stay
      expect(session.minutes?.text).toBe(`${marker} opende in ${marker}.`)
      expect([session.venue?.name, session.venue?.city]).toEqual([`Bakkerij van ${marker}`, "Utrecht"])
      const stored = (yield* Repository.get(yield* Repository.ProgrammeRepository, programme.id)).value
      expect([stored.region.name, stored.region.provinces, stored.region.municipalities]).toEqual([
        "Regio Utrecht",
        ["Utrecht"],
        ["Utrecht", "Amersfoort", "Nieuwegein", "Zeist"]
      ])
      const texts = yield* rawStorage
      expect(texts.filter((t) => t.includes(utrecht.email) || t.includes(`"name":"Utrecht"`))).toEqual([])
    }).pipe(Effect.provide(Layers)))
})
