import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Schema, TestClock } from "effect"
import * as fc from "fast-check"
import type { Ids } from "@copkit/core"
import { Actor, Agreement, Application, Entity, FollowUp, PersonalData, Repository, Settings } from "@copkit/core"
import { Fixtures, Inspector } from "@copkit/testing"
import { at, hold, runningProgramme, saveProgramme, TestLayer, utrechtGroup } from "./followup.support.js"

const { actors, people } = Fixtures
const coordinator = Actor.as(actors.coordinator)
const keyPerson = Actor.as(actors.keyPerson)
const baker = Actor.as(actors.participant)
const system = Actor.as(actors.system)

const failure = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.exit(self), (exit) => {
    if (Exit.isSuccess(exit)) throw new Error("expected a failure")
    if (exit.cause._tag !== "Fail") throw new Error(`expected a typed failure, got ${exit.cause._tag}`)
    return exit.cause.error as E & { readonly _tag: string }
  })

/** Every stored document and event, as the store holds them, as one JSON text per row. */
const rawStorage = Effect.gen(function*() {
  const inspector = yield* Inspector.Inspector
  const store = yield* Repository.EntityStore
  const rows: Array<string> = []
  for (const kind of Entity.kinds) {
    for (const v of yield* store.repository(kind).list()) {
      const row = yield* inspector.entity(kind.table, kind.idOf(v.value))
      if (row._tag === "Some") rows.push(JSON.stringify(row.value.document))
    }
    expect(rows.length).toBeGreaterThanOrEqual(0)
  }
  const events = (yield* inspector.events()).map((e) => JSON.stringify(e.document))
  return { documents: rows, events }
})

/** A programme near its end: agreements, a note that names the baker, a measure, the closing session held. */
const scenario = Effect.gen(function*() {
  yield* TestClock.setTime(at("2027-05-12T10:00:00Z").getTime())
  const setup = yield* runningProgramme()
  const service = yield* FollowUp.FollowUp
  const measure = yield* service.defineMeasure({
    programmeId: setup.programme.id,
    title: "Digitale kassa voor kleine winkels",
    organisations: ["Bakkerij Mulder", "Kamer van Koophandel"]
  }).pipe(keyPerson)
  const own = yield* service.recordAgreement({
    programmeId: setup.programme.id,
    action: "Een kassa-sessie voor tien bakkers organiseren.",
    owner: { personId: people.baker.id },
    dueDate: "2027-06-30",
    measureId: measure.id
  }).pipe(keyPerson)
  yield* service.startAgreement({ agreementId: own.id }).pipe(baker)
  yield* service.addNote({ agreementId: own.id, text: "Eerste sessie gepland in de bakkerij." }).pipe(baker)
  const other = yield* service.recordAgreement({
    programmeId: setup.programme.id,
    action: "Met Ilse Mulder de subsidieregeling bespreken.",
    owner: { personId: people.chamber.id },
    dueDate: "2027-07-15"
  }).pipe(keyPerson)
  yield* service.addNote({ agreementId: other.id, text: `Mail gestuurd aan ${people.baker.email}; Ilse Mulder belt terug.` }).pipe(keyPerson)
  yield* service.completeAgreement({ agreementId: other.id }).pipe(keyPerson)
  return { ...setup, own, other, measure }
})

describe("PersonalData: export", () => {
  it.effect("exports every entity that names the person and every event they caused or that names them", () =>
    Effect.gen(function*() {
      const { own, other } = yield* scenario
      const service = yield* PersonalData.PersonalData
      const data = yield* service.exportPerson({ personId: people.baker.id }).pipe(baker)
      expect(data.personId).toBe(people.baker.id)
      expect(Object.keys(data.entities).sort()).toEqual(["Agreement", "Enrolment", "Session"])
      expect(data.entities["Session"]).toHaveLength(3)
      expect(data.entities["Enrolment"]).toHaveLength(1)
      expect((data.entities["Agreement"] as ReadonlyArray<{ id: string }>).map((a) => a.id)).toEqual([own.id])
      expect(JSON.stringify(data.entities["Enrolment"])).toContain(people.baker.email)
      const events = data.events as ReadonlyArray<{ event: { _tag: string; agreementId?: string } }>
      expect(events.map((e) => e.event._tag)).toEqual(["AgreementRecorded", "AgreementStatusChanged", "AgreementNoteAdded"])
      expect(events.every((e) => e.event.agreementId === own.id)).toBe(true)
      expect(events.some((e) => e.event.agreementId === other.id)).toBe(false)
      // The export is plain JSON.
      expect(JSON.parse(JSON.stringify(data))).toEqual(data)
      // The coordinator may export anyone's data; a key person may not export someone else's.
      expect((yield* service.exportPerson({ personId: people.baker.id }).pipe(coordinator)).entities).toEqual(data.entities)
      expect((yield* failure(service.exportPerson({ personId: people.baker.id }).pipe(keyPerson)))._tag).toBe("Forbidden")
      expect((yield* failure(service.exportPerson({ personId: "" }).pipe(coordinator)))).toMatchObject({ _tag: "ValidationError", field: "personId" })
    }).pipe(Effect.provide(TestLayer)))
})

describe("PersonalData: an export holds only the person's own data", () => {
  const emailPattern = /[^\s"'<>;,()]+@[^\s"'<>;,()]+\.[a-z]{2,}/gi

  it.effect("a participant's export of themself contains no other person's e-mail address, name or organisation anywhere in its JSON", () =>
    Effect.gen(function*() {
      yield* scenario
      const service = yield* PersonalData.PersonalData
      // Every address stored anywhere: the group of sessions the baker shares with about twenty others.
      const stored = new Set((yield* rawStorage).documents.flatMap((d) => d.match(emailPattern) ?? []))
      const others = [...stored].filter((e) => e !== people.baker.email)
      expect(others.length).toBeGreaterThanOrEqual(8)
      for (const actor of [baker, coordinator]) {
        const data = yield* service.exportPerson({ personId: people.baker.id }).pipe(actor)
        const json = JSON.stringify(data)
        expect(json).toContain(people.baker.email)
        expect(json).toContain("Ilse Mulder")
        for (const address of others) expect(json, `${address} in the export`).not.toContain(address)
        for (const other of [people.entrepreneur, people.civilServant, people.chamber]) {
          expect(json).not.toContain(other.name)
        }
        // The shared sessions are still there (the baker was invited), other invitees by id alone.
        expect(data.entities["Session"]).toHaveLength(3)
      }
    }).pipe(Effect.provide(TestLayer)))

  it("ownView keeps the person's own fields and leaves no other person's address or name (property)", () => {
    const person = fc.record({
      n: fc.integer({ min: 1, max: 9999 }),
      helixRole: fc.constantFrom("Entrepreneur", "Government", "Intermediary", "Knowledge")
    })
    fc.assert(
      fc.property(fc.uniqueArray(person, { minLength: 1, maxLength: 8, selector: (p) => p.n }), fc.string({ maxLength: 40 }), (ps, text) => {
        const people = ps.map((p) => ({ id: `per_${p.n}`, name: `Naam${p.n} Achternaam`, email: `p${p.n}@voorbeeld.nl`, helixRole: p.helixRole }))
        const document = {
          id: "ses_1",
          state: "Held",
          invitations: people.map((p) => ({ personId: p.id, name: p.name, email: p.email, programmeId: "prg_1" })),
          coreTeam: people.map((p) => ({ person: p })),
          minutes: `${text} ${people.map((p) => `${p.name} <${p.email}>`).join(", ")}`
        }
        const [me, ...rest] = people
        const json = JSON.stringify(PersonalData.ownView([document], me!.id))
        expect(json).toContain(me!.email)
        expect(json).toContain(me!.name)
        for (const other of rest) {
          expect(json).not.toContain(other.email)
          expect(json).not.toContain(other.name)
          expect(json).toContain(other.id)
        }
      })
    )
  })
})

describe("PersonalData: erasure", () => {
  it.effect("removes the person's personal fields everywhere, keeps the numbers, and leaves their e-mail nowhere in storage or the event log", () =>
    Effect.gen(function*() {
      const { programme, own, other, closing } = yield* scenario
      const followUp = yield* FollowUp.FollowUp
      const service = yield* PersonalData.PersonalData
      const before = yield* followUp.report({ programmeId: programme.id }).pipe(coordinator)
      const raw0 = yield* rawStorage
      expect(raw0.documents.some((d) => d.includes(people.baker.email))).toBe(true)
      expect(raw0.events.some((e) => e.includes(people.baker.email))).toBe(false)

      expect((yield* failure(service.erase({ personId: people.baker.id }).pipe(keyPerson)))._tag).toBe("Forbidden")
      const result = yield* service.erase({ personId: people.baker.id }).pipe(coordinator)
      expect(result.changed).toEqual({ Session: 3, Enrolment: 1, Insight: 1, Agreement: 2 })

      const raw = yield* rawStorage
      for (const text of [...raw.documents, ...raw.events]) {
        expect(text).not.toContain(people.baker.email)
        expect(text).not.toContain("Ilse Mulder")
      }
      // What is kept: the id as a pseudonym, the helix role, the attendance and the counts.
      const after = yield* followUp.report({ programmeId: programme.id }).pipe(coordinator)
      expect(after.summary).toEqual(before.summary)
      expect(after.sessions.map((s) => s.attendance)).toEqual(before.sessions.map((s) => s.attendance))
      expect(after.agreements.map((a) => a.status)).toEqual(before.agreements.map((a) => a.status))
      const mine = after.agreements.find((a) => a.id === own.id)!
      expect(mine).toMatchObject({ owner: PersonalData.marker, organisation: PersonalData.marker, notes: 1 })
      const theirs = after.agreements.find((a) => a.id === other.id)!
      expect(theirs.action).toBe(`Met ${PersonalData.marker} de subsidieregeling bespreken.`)
      expect(theirs.lastNote).toBe(`Mail gestuurd aan ${PersonalData.marker}; ${PersonalData.marker} belt terug.`)
      expect(after.insights[0]!.text).toBe(`${PersonalData.marker} liet zien hoe een digitale kassa voorraadbeheer makkelijker maakt.`)
      // Others' data is untouched.
      expect(raw.documents.some((d) => d.includes(people.entrepreneur.email))).toBe(true)
      // The invitation to the session not yet held is withdrawn: nothing is sent to them any more.
      const sessions = yield* Repository.SessionRepository
      const upcoming = (yield* Repository.get(sessions, closing.id)).value
      expect(upcoming.invitations.map((i) => i.personId)).not.toContain(people.baker.id)
      const enrolments = yield* Repository.EnrolmentRepository
      const enrolment = (yield* enrolments.list({ personId: people.baker.id }))[0]!.value
      expect(enrolment.person).toMatchObject({ id: people.baker.id, name: PersonalData.marker, helixRole: "Entrepreneur" })
      expect(enrolment.person.email).toBeUndefined()
      expect(enrolment.status).toBe("Active")
      // The export after erasure holds no personal field.
      const exported = JSON.stringify(yield* service.exportPerson({ personId: people.baker.id }).pipe(coordinator))
      expect(exported).not.toContain(people.baker.email)
      expect(exported).not.toContain("Ilse Mulder")
      // Each changed entity has its PersonalDataErased event, holding the id only.
      const inspector = yield* Inspector.Inspector
      const erased = (yield* inspector.events()).filter((e) => e.type === "PersonalDataErased")
      expect(erased).toHaveLength(7)
      // Erasing again changes nothing.
      expect((yield* service.erase({ personId: people.baker.id }).pipe(coordinator)).changed).toEqual({})
    }).pipe(Effect.provide(TestLayer)))

  it.effect("reads the store a page at a time and still finds every mention", () =>
    Effect.gen(function*() {
      const { programme } = yield* scenario
      const repo = yield* Repository.AgreementRepository
      const n = PersonalData.erasurePageSize + 20
      for (let i = 0; i < n; i++) {
        yield* repo.save(
          new Agreement.Agreement({
            id: `agr_bulk_${String(i).padStart(4, "0")}` as Ids.AgreementId,
            programmeId: programme.id,
            regionId: programme.regionId,
            action: `Actie ${i}: bellen met Ilse Mulder.`,
            owner: { personId: people.chamber.id as Ids.PersonId, name: "Fleur Jansen", organisation: "Kamer van Koophandel" },
            dueDate: "2027-09-01" as Agreement.Agreement["dueDate"],
            status: "Open",
            notes: [],
            createdAt: at("2027-05-12T10:00:00Z"),
            updatedAt: at("2027-05-12T10:00:00Z")
          }),
          0
        )
      }
      const result = yield* Effect.flatMap(PersonalData.PersonalData, (s) => s.erase({ personId: people.baker.id }).pipe(coordinator))
      expect(result.changed["Agreement"]).toBe(n + 2)
      const left = (yield* repo.list()).filter((a) => a.value.action.includes("Ilse Mulder"))
      expect(left).toEqual([])
    }).pipe(Effect.provide(TestLayer)))

  it.effect("a held session keeps the erased invitee's place with a placeholder address", () =>
    Effect.gen(function*() {
      const { closing } = yield* scenario
      yield* hold(closing.id)
      yield* Effect.flatMap(PersonalData.PersonalData, (s) => s.erase({ personId: people.baker.id }).pipe(system))
      const held = (yield* Effect.flatMap(Repository.SessionRepository, (r) => Repository.get(r, closing.id))).value
      const invitation = held.invitations.find((i) => i.personId === people.baker.id)!
      expect(invitation).toMatchObject({ name: PersonalData.marker, email: PersonalData.placeholderEmail })
      expect(held.attendance.filter((a) => a.present)).toHaveLength(8)
    }).pipe(Effect.provide(TestLayer)))

  it("scrub replaces whole mentions in any case, longest first, and leaves other words alone (property)", () => {
    expect(PersonalData.scrub("ilse mulder en Ilse Mulder-Jansen, niet Ilsemulder", ["Ilse Mulder"])).toBe(
      `${PersonalData.marker} en ${PersonalData.marker}-Jansen, niet Ilsemulder`
    )
    expect(PersonalData.scrub("mail ilse@bakkerijmulder.nl.", ["ilse@bakkerijmulder.nl", "Ilse"])).toBe(`mail ${PersonalData.marker}.`)
    expect(PersonalData.scrub("Jo en Joost", ["Jo"])).toBe("Jo en Joost")
    fc.assert(
      fc.property(fc.string(), fc.stringMatching(/^[A-Z][a-z]{2,8} [A-Z][a-z]{2,8}$/), (text, name) => {
        const out = PersonalData.scrub(`${text} ${name} ${text}`, [name])
        expect(out.toLowerCase()).not.toContain(` ${name.toLowerCase()} `)
        expect(PersonalData.scrub(out, [name])).toBe(out)
      })
    )
  })
})

describe("PersonalData: redact with a schema", () => {
  interface Note { readonly text: string; readonly kind: "Lesson" | "Open"; readonly replies: ReadonlyArray<Note> }
  const Note: Schema.Schema<Note> = Schema.Struct({
    text: Schema.String,
    kind: Schema.Literal("Lesson", "Open"),
    replies: Schema.Array(Schema.suspend(() => Note))
  })
  const Item = Schema.Union(
    Schema.TaggedStruct("Task", { status: Schema.Literal("Open", "Done"), at: Schema.Date }),
    Schema.TaggedStruct("Remark", { status: Schema.String })
  )
  const Document = Schema.Struct({ notes: Schema.Array(Note), items: Schema.Array(Item), extra: Schema.Unknown })
  const target: PersonalData.Target = { personIds: new Set(["per_open"]), mentions: ["Open", "Lesson"] }
  const m = PersonalData.marker

  it("follows recursive schemas and unions: a string is left only where every member that may hold it gives a fixed value", () => {
    const document = {
      notes: [{ text: "Open zei: Lesson geleerd.", kind: "Open", replies: [{ text: "Dank, Open.", kind: "Lesson", replies: [] }] }],
      items: [{ _tag: "Task", status: "Open", at: "2027-03-02T13:00:00.000Z" }, { _tag: "Remark", status: "Open" }],
      extra: { status: "Open" }
    }
    expect(PersonalData.redact(document, target, Document)).toEqual({
      notes: [{ text: `${m} zei: ${m} geleerd.`, kind: "Open", replies: [{ text: `Dank, ${m}.`, kind: "Lesson", replies: [] }] }],
      // `status` is text in one member of the union: scrubbed in both, as without a schema
      items: [{ _tag: "Task", status: m, at: "2027-03-02T13:00:00.000Z" }, { _tag: "Remark", status: m }],
      // where the schema does not say (unknown), a string is text
      extra: { status: m }
    })
    // without a schema, every string but an id is text
    expect(PersonalData.redact(document, target)).toMatchObject({ notes: [{ kind: m, replies: [{ kind: m }] }] })
  })
})

describe("PersonalData: retention", () => {
  it.effect("erases the people of a programme completed longer ago than the retention period, once, keeping the numbers", () =>
    Effect.gen(function*() {
      const { programme, closing } = yield* scenario
      yield* hold(closing.id)
      const followUp = yield* FollowUp.FollowUp
      yield* followUp.close({ programmeId: programme.id }).pipe(coordinator)
      // Another region's programme, still running, must stay as it is.
      const other = yield* saveProgramme({ id: "prg_twente", region: Fixtures.regions.twente })
      const service = yield* PersonalData.PersonalData
      yield* TestClock.setTime(at("2029-05-12T09:59:00Z").getTime())
      expect(yield* service.applyRetention().pipe(system)).toEqual({ programmes: [], applications: [] })
      yield* TestClock.setTime(at("2029-05-12T10:00:00Z").getTime())
      // (The report's "overdue" depends on its date, so both reports are made at the same moment.)
      const before = yield* followUp.report({ programmeId: programme.id }).pipe(coordinator)
      expect((yield* failure(service.applyRetention().pipe(keyPerson)))._tag).toBe("Forbidden")
      const result = yield* service.applyRetention().pipe(system)
      expect(result.programmes.map((p) => p.programmeId)).toEqual([programme.id])
      expect(result.programmes[0]!.persons).toBe(utrechtGroup().length + 3 - 1) // the entrepreneur is in the core team and the group

      const raw = yield* rawStorage
      for (const person of [...utrechtGroup(), Fixtures.people.chamber, Fixtures.people.civilServant]) {
        // (Twente's programme has the same core team in this fixture: it keeps them.)
        for (const text of [...raw.documents.filter((d) => !d.includes("prg_twente")), ...raw.events]) {
          expect(text).not.toContain(person.email)
        }
      }
      const after = yield* followUp.report({ programmeId: programme.id }).pipe(coordinator)
      expect(after.summary).toEqual(before.summary)
      expect(after.agreements.every((a) => a.owner === PersonalData.marker)).toBe(true)
      const stored = (yield* Effect.flatMap(Repository.ProgrammeRepository, (r) => Repository.get(r, programme.id))).value
      expect(stored.personalDataExpiredAt?.toISOString()).toBe("2029-05-12T10:00:00.000Z")
      expect(stored.coreTeam.every((m) => m.person.name === PersonalData.marker)).toBe(true)
      const untouched = (yield* Effect.flatMap(Repository.ProgrammeRepository, (r) => Repository.get(r, other.id)))
      expect(untouched.version).toBe(1)
      // A second run does nothing.
      expect(yield* service.applyRetention().pipe(system)).toEqual({ programmes: [], applications: [] })
    }).pipe(Effect.provide(TestLayer)))

  it.effect("the retention period is a setting", () =>
    Effect.gen(function*() {
      const { programme, closing } = yield* scenario
      yield* hold(closing.id)
      yield* Effect.flatMap(FollowUp.FollowUp, (s) => s.close({ programmeId: programme.id }).pipe(coordinator))
      // Closed at 12:00 in Amsterdam (summer time) on 12 May: six months later is 12:00 (winter time) on 12 November.
      yield* TestClock.setTime(at("2027-11-12T10:59:00Z").getTime())
      expect((yield* Effect.flatMap(PersonalData.PersonalData, (s) => s.applyRetention().pipe(coordinator))).programmes).toEqual([])
      yield* TestClock.setTime(at("2027-11-12T11:00:00Z").getTime())
      const result = yield* Effect.flatMap(PersonalData.PersonalData, (s) => s.applyRetention().pipe(coordinator))
      expect(result.programmes.map((p) => p.programmeId)).toEqual([programme.id])
    }).pipe(
      Effect.provide(TestLayer),
      Effect.provide(Settings.layer({ personalData: { retentionMonthsAfterCompletion: 6 } }))
    ))

  it.effect("declined applications and withdrawn programmes expire too, each once", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(at("2027-03-01T10:00:00Z").getTime())
      const applications = yield* Repository.ApplicationRepository
      const region = Fixtures.regions.groningen
      const declined = Schema.decodeUnknownSync(Application.Application)({
        id: "app_groningen",
        ...Fixtures.applicationInput({
          region: { ...region, provinces: [...region.provinces], municipalities: [...region.municipalities] },
          contact: { ...Fixtures.people.civilServant, id: "per_gr_contact", email: "contact@groningen.example.nl", name: "Grietje Groen" }
        }),
        state: "Declined",
        assessment: [],
        decision: { outcome: "Declined", reason: "Grietje Groen vond het nog te vroeg.", decidedBy: "per_coordinator", decidedAt: "2027-03-01T10:00:00Z" },
        createdAt: "2027-02-01T10:00:00Z",
        updatedAt: "2027-03-01T10:00:00Z"
      })
      yield* applications.save(declined, 0)
      const withdrawn = yield* saveProgramme({ id: "prg_twente", region: Fixtures.regions.twente, state: "Withdrawn" })
      const service = yield* PersonalData.PersonalData
      // The withdrawn programme last changed on 1 February 2027, the application was declined on 1 March.
      yield* TestClock.setTime(at("2029-01-31T10:00:00Z").getTime())
      expect(yield* service.applyRetention().pipe(system)).toEqual({ programmes: [], applications: [] })
      yield* TestClock.setTime(at("2029-02-28T10:00:00Z").getTime())
      expect((yield* service.applyRetention().pipe(system)).programmes.map((p) => p.programmeId)).toEqual([withdrawn.id])
      yield* TestClock.setTime(at("2029-03-01T10:00:00Z").getTime())
      const result = yield* service.applyRetention().pipe(system)
      expect(result.programmes).toEqual([])
      expect(result.applications).toEqual([{ applicationId: "app_groningen", persons: 6 }])
      const stored = (yield* Repository.get(applications, "app_groningen")).value
      expect(stored.contact).toMatchObject({ name: PersonalData.marker, helixRole: "Government" })
      expect(stored.decision?.reason).toBe(`${PersonalData.marker} vond het nog te vroeg.`)
      const raw = JSON.stringify((yield* rawStorage).documents)
      expect(raw).not.toContain("contact@groningen.example.nl")
      expect(yield* service.applyRetention().pipe(system)).toEqual({ programmes: [], applications: [] })
    }).pipe(Effect.provide(TestLayer)))
})
