import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Schema, TestClock } from "effect"
import * as fc from "fast-check"
import { Actor, Csv, FollowUp, Report, ReportRender, Repository, Session } from "@copkit/core"
import { Fixtures } from "@copkit/testing"
import { at, participant, runningProgramme, saveInsight, saveProgramme, saveSession, TestLayer } from "./followup.support.js"

const { actors, people } = Fixtures
const coordinator = Actor.as(actors.coordinator)
const keyPerson = Actor.as(actors.keyPerson)
const baker = Actor.as(actors.participant)
const twente = Actor.as(actors.keyPersonTwente)

const failure = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.exit(self), (exit) => {
    if (Exit.isSuccess(exit)) throw new Error("expected a failure")
    if (exit.cause._tag !== "Fail") throw new Error(`expected a typed failure, got ${exit.cause._tag}`)
    return exit.cause.error as E & { readonly _tag: string }
  })

const hostile = "<script>alert(\"x\")</script> & 'quotes' | pipe *bold* [link](http://evil)"

/** Utrecht near its end: three sessions (two held), insights (one hostile), three agreements, a measure. */
const scenario = Effect.gen(function*() {
  yield* TestClock.setTime(at("2027-05-12T10:00:00Z").getTime())
  const setup = yield* runningProgramme()
  yield* saveInsight(setup.programme, {
    id: "ins_hostile",
    sessionId: setup.second.id,
    kind: "Lesson",
    title: `Let op: ${hostile}`,
    text: `Regel 1\nRegel 2 ${hostile}`,
    themeIds: ["thm_personeel"]
  })
  const service = yield* FollowUp.FollowUp
  const measure = yield* service.defineMeasure({
    programmeId: setup.programme.id,
    title: "Eén mkb-loket",
    organisations: ["Kamer van Koophandel", "Gemeente Utrecht"]
  }).pipe(keyPerson)
  const a = yield* service.recordAgreement({
    programmeId: setup.programme.id,
    action: "=HYPERLINK(\"http://evil\",\"klik\"), met \"aanhalingstekens\"\nen een tweede regel",
    owner: { personId: people.baker.id },
    dueDate: "2027-05-01",
    measureId: measure.id
  }).pipe(keyPerson)
  const b = yield* service.recordAgreement({
    programmeId: setup.programme.id,
    action: "Loket inrichten",
    owner: { personId: people.chamber.id },
    dueDate: "2027-09-01",
    measureId: measure.id
  }).pipe(keyPerson)
  yield* service.completeAgreement({ agreementId: b.id }).pipe(keyPerson)
  const c = yield* service.recordAgreement({
    programmeId: setup.programme.id,
    action: "Subsidie aanvragen",
    owner: { personId: people.civilServant.id },
    dueDate: "2027-07-01"
  }).pipe(keyPerson)
  yield* service.dropAgreement({ agreementId: c.id, reason: "Regeling gesloten." }).pipe(keyPerson)
  return { ...setup, measure, a, b, c }
})

/** A small JSON Schema (draft-07) checker: enough of the vocabulary JSONSchema.make emits. */
const validate = (schema: Record<string, any>, root: Record<string, any>, value: unknown, path = "$"): ReadonlyArray<string> => {
  if (typeof schema["$ref"] === "string") {
    const target = root["$defs"][(schema["$ref"] as string).replace("#/$defs/", "")]
    const { $ref: _, ...rest } = schema
    return [...validate(target, root, value, path), ...validate(rest, root, value, path)]
  }
  const errors: Array<string> = []
  if (Array.isArray(schema["anyOf"]) && !schema["anyOf"].some((s: any) => validate(s, root, value, path).length === 0)) {
    errors.push(`${path}: matches no alternative`)
  }
  const type = schema["type"]
  const actual = Array.isArray(value) ? "array" : value === null ? "null" : typeof value
  if (type === "integer" && !(typeof value === "number" && Number.isInteger(value))) errors.push(`${path}: not an integer`)
  else if (type !== undefined && type !== "integer" && type !== actual) errors.push(`${path}: ${actual} is not ${type}`)
  if (Array.isArray(schema["enum"]) && !schema["enum"].includes(value)) errors.push(`${path}: ${String(value)} not in enum`)
  if (typeof schema["minimum"] === "number" && typeof value === "number" && value < schema["minimum"]) errors.push(`${path}: below minimum`)
  if (typeof schema["maximum"] === "number" && typeof value === "number" && value > schema["maximum"]) errors.push(`${path}: above maximum`)
  if (actual === "object" && schema["properties"] !== undefined) {
    const o = value as Record<string, unknown>
    for (const r of schema["required"] ?? []) if (!(r in o)) errors.push(`${path}.${r}: required`)
    for (const [k, v] of Object.entries(o)) {
      const s = schema["properties"][k]
      if (s === undefined) {
        if (schema["additionalProperties"] === false) errors.push(`${path}.${k}: not allowed`)
      } else errors.push(...validate(s, root, v, `${path}.${k}`))
    }
  }
  if (actual === "array" && schema["items"] !== undefined) {
    ;(value as ReadonlyArray<unknown>).forEach((v, i) => errors.push(...validate(schema["items"], root, v, `${path}[${i}]`)))
  }
  return errors
}

describe("Report: building", () => {
  it.effect("holds goals against what happened, sessions with attendance, themes, insights, agreements and measures", () =>
    Effect.gen(function*() {
      const { programme } = yield* scenario
      const report = yield* Effect.flatMap(FollowUp.FollowUp, (s) => s.report({ programmeId: programme.id }).pipe(keyPerson))
      expect(report.programme).toMatchObject({ id: programme.id, regionName: "Regio Utrecht", state: "Running", coreTeam: 3 })
      expect(report.goals.intendedResults).toHaveLength(2)
      expect(report.plan.map((i) => [i.role, i.outcome])).toEqual([["KickOff", "Held"], ["Regular", "Held"], ["Closing", "Invited"]])
      expect(report.summary).toEqual({
        plannedSessions: 3,
        sessionsHeld: 2,
        sessionsCancelled: 0,
        participants: { active: 8, reserve: 0, left: 0, byHelixRole: { Entrepreneur: 4, Government: 2, Intermediary: 2, Knowledge: 0 } },
        attendance: { invited: 16, present: 12, rate: 0.75 },
        themes: 2,
        insights: 3,
        agreements: { total: 3, Open: 1, InProgress: 0, Done: 1, Dropped: 1, overdue: 1, completionRate: 0.5 },
        measures: 1,
        // the fixture's plan has no checklist: no tasks
        tasks: { total: 0, done: 0, open: 0, overdue: 0 }
      })
      expect(report.sessions.map((s) => s.attendance)).toEqual([
        { invited: 8, present: 7, rate: 0.875 },
        { invited: 8, present: 5, rate: 0.625 },
        undefined
      ])
      expect(report.themes.map((t) => [t.title, t.sessionsHeld, t.insights])).toEqual([
        ["Digitalisering in het mkb", 1, 1],
        ["Personeel en arbeidsmarkt", 0, 2]
      ])
      expect(report.agreements.map((a) => [a.status, a.overdue, a.measure])).toEqual([
        ["Open", true, "Eén mkb-loket"],
        ["Done", false, "Eén mkb-loket"],
        ["Dropped", false, undefined]
      ])
      expect(report.measures).toEqual([
        { id: "msr_1", title: "Eén mkb-loket", organisations: ["Kamer van Koophandel", "Gemeente Utrecht"], agreements: 2, done: 1 }
      ])
      // Who may read it: the region and the coordinator.
      expect((yield* failure(Effect.flatMap(FollowUp.FollowUp, (s) => s.report({ programmeId: programme.id }).pipe(twente))))._tag).toBe("Forbidden")
      expect((yield* failure(Effect.flatMap(FollowUp.FollowUp, (s) => s.report({ programmeId: programme.id }).pipe(baker))))._tag).toBe("Forbidden")
      // @ts-expect-error programmeId is a string: refused by the compiler, and at run time with a ValidationError
      expect((yield* failure(Effect.flatMap(FollowUp.FollowUp, (s) => s.report({ programmeId: 42 }).pipe(coordinator))))).toMatchObject({
        _tag: "ValidationError",
        field: "programmeId"
      })
    }).pipe(Effect.provide(TestLayer)))

  it.effect("a cross-regional session counts each programme's own invitees", () =>
    Effect.gen(function*() {
      const { programme, group } = yield* scenario
      const twenteProgramme = yield* saveProgramme({ id: "prg_twente", region: Fixtures.regions.twente })
      const twentePeople = [1, 2, 3, 4].map((n) => participant(n, "twe"))
      const shared = yield* saveSession(programme, {
        id: "ses_shared",
        state: "Held",
        start: at("2027-04-20T12:00:00Z"),
        title: "Bovenregionaal: digitalisering",
        invitees: group.slice(0, 2),
        present: group.slice(0, 1),
        programmes: [programme, twenteProgramme]
      })
      const sessions = yield* Repository.SessionRepository
      const current = yield* Repository.get(sessions, shared.id)
      yield* sessions.save(
        new Session.Session({
          ...current.value,
          invitations: [
            ...current.value.invitations,
            ...twentePeople.map((p) =>
              new Session.Invitation({ personId: p.id, programmeId: twenteProgramme.id, name: p.name, email: p.email!, language: "nl", answer: "Accepted", invitedAt: at("2027-04-01T00:00:00Z") })
            )
          ],
          attendance: [
            ...current.value.attendance,
            ...twentePeople.map((p) => new Session.Attendance({ personId: p.id, present: true, recordedAt: at("2027-04-20T12:00:00Z") }))
          ]
        }),
        current.version
      )
      const service = yield* FollowUp.FollowUp
      const utrecht = yield* service.report({ programmeId: programme.id }).pipe(coordinator)
      const row = utrecht.sessions.find((x) => x.id === "ses_shared")!
      expect(row).toMatchObject({ crossRegional: true, attendance: { invited: 2, present: 1, rate: 0.5 } })
      expect(utrecht.summary.attendance).toEqual({ invited: 18, present: 13, rate: 0.722 })
      const tw = yield* service.report({ programmeId: twenteProgramme.id }).pipe(Actor.as(actors.keyPersonTwente))
      expect(tw.sessions.map((x) => [x.id, x.attendance])).toEqual([["ses_shared", { invited: 4, present: 4, rate: 1 }]])
    }).pipe(Effect.provide(TestLayer)))
})

describe("Report: rendering", () => {
  it.effect("Markdown: sections and tables, every value escaped", () =>
    Effect.gen(function*() {
      const { programme } = yield* scenario
      const report = yield* Effect.flatMap(FollowUp.FollowUp, (s) => s.report({ programmeId: programme.id }).pipe(coordinator))
      const md = ReportRender.toMarkdown(report)
      expect(md).toContain("# Programmaverslag: Regio Utrecht")
      for (const h of ["## In het kort", "## Doelen en wat ervan terechtkwam", "## Bijeenkomsten", "## Thema's", "## Inzichten", "## Afspraken", "## Maatregelen"]) {
        expect(md).toContain(h)
      }
      expect(md).toContain("| Opkomst | 75% (12 van 16) |")
      expect(md).not.toContain("<script>")
      expect(md).toContain("\\<script\\>")
      expect(md).toContain("\\| pipe")
      // A table row stays one line, whatever the text holds.
      for (const line of md.split("\n").filter((l) => l.startsWith("|"))) expect(line.endsWith("|")).toBe(true)
      expect(ReportRender.toMarkdown(report, { language: "en" })).toContain("# Programme report: Regio Utrecht")
    }).pipe(Effect.provide(TestLayer)))

  it.effect("HTML: a standalone page with inline CSS and SVG bars; no script runs, every value is escaped", () =>
    Effect.gen(function*() {
      const { programme } = yield* scenario
      const report = yield* Effect.flatMap(FollowUp.FollowUp, (s) => s.report({ programmeId: programme.id }).pipe(coordinator))
      const html = ReportRender.toHtml(report)
      expect(html.startsWith("<!doctype html>")).toBe(true)
      expect(html).toContain("<style>")
      expect(html).not.toMatch(/<script/i)
      expect(html).not.toMatch(/<link|src=|href=/i)
      expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;")
      // One chart bar per held session, and a small bar per held session's row.
      expect(html.match(/<svg/g)).toHaveLength(3)
      expect(html).toContain("<title>Aftrap: 7 van 8 aanwezig</title>")
      expect(html).toContain("88%")
      expect(html).toContain("<html lang=\"nl\">")
      expect(ReportRender.toHtml(report, { language: "en" })).toContain("<html lang=\"en\">")
    }).pipe(Effect.provide(TestLayer)))

  it.effect("the session table numbers every session in its \"#\" column, held or not, in Markdown and HTML alike", () =>
    Effect.gen(function*() {
      const { programme } = yield* scenario
      const report = yield* Effect.flatMap(FollowUp.FollowUp, (s) => s.report({ programmeId: programme.id }).pipe(coordinator))
      expect(report.sessions.map((s) => s.state)).toEqual(["Held", "Held", "Invited"])
      const md = ReportRender.toMarkdown(report)
      const section = md.slice(md.indexOf("## Bijeenkomsten"), md.indexOf("## Opkomst per deelnemer"))
      const rows = section.split("\n").filter((l) => l.startsWith("|"))
      expect(rows[0]!.startsWith("| # |")).toBe(true)
      expect(rows.slice(2).map((r) => r.split("|")[1]!.trim())).toEqual(["1", "2", "3"])
      const html = ReportRender.toHtml(report)
      const table = html.slice(html.indexOf("<h2>Bijeenkomsten</h2>"), html.indexOf("<h2>Opkomst per deelnemer</h2>"))
      const firstCells = [...table.matchAll(/<tr><td>([^<]*)<\/td>/g)].map((m) => m[1])
      expect(firstCells).toEqual(["1", "2", "3"])
    }).pipe(Effect.provide(TestLayer)))

  it.effect("attendance per participant: each of the fixed group by name, present of invited over the held sessions", () =>
    Effect.gen(function*() {
      const { programme } = yield* scenario
      const report = yield* Effect.flatMap(FollowUp.FollowUp, (s) => s.report({ programmeId: programme.id }).pipe(coordinator))
      const held = report.sessions.filter((s) => s.state === "Held")
      expect(report.participants.length).toBe(report.summary.participants.active)
      // the per-person numbers add up to the session totals
      expect(report.participants.reduce((n, p) => n + p.present, 0)).toBe(held.reduce((n, s) => n + (s.attendance?.present ?? 0), 0))
      expect(report.participants.reduce((n, p) => n + p.invited, 0)).toBe(held.reduce((n, s) => n + (s.attendance?.invited ?? 0), 0))
      expect([...report.participants.map((p) => p.name)]).toEqual([...report.participants.map((p) => p.name)].sort((a, b) => a.localeCompare(b, "nl")))
      const html = ReportRender.toHtml(report)
      const section = html.slice(html.indexOf("<h2>Opkomst per deelnemer</h2>"), html.indexOf("<h2>Thema&#39;s</h2>"))
      for (const p of report.participants) expect(section).toContain(`${p.present} van ${p.invited}`)
    }).pipe(Effect.provide(TestLayer)))

  it.effect("JSON: decodes back with the report's schema and is valid against the published JSON Schema", () =>
    Effect.gen(function*() {
      const { programme } = yield* scenario
      const report = yield* Effect.flatMap(FollowUp.FollowUp, (s) => s.report({ programmeId: programme.id }).pipe(coordinator))
      const json = JSON.parse(Report.toJson(report))
      expect(Schema.decodeUnknownSync(Report.ProgrammeReport)(json)).toEqual(report)
      const schema = Report.jsonSchema as unknown as Record<string, any>
      expect(schema["$schema"]).toBe("http://json-schema.org/draft-07/schema#")
      expect(validate(schema, schema, json)).toEqual([])
      // The checker does catch a wrong document.
      expect(validate(schema, schema, { ...json, summary: { ...json.summary, sessionsHeld: -1 }, extra: 1 }).length).toBe(2)
    }).pipe(Effect.provide(TestLayer)))
})

describe("Report: CSV exports", () => {
  it.effect("participants, attendance and agreements as RFC 4180 CSV, formula-like cells neutralised", () =>
    Effect.gen(function*() {
      const { programme } = yield* scenario
      const service = yield* FollowUp.FollowUp
      const agreements = yield* service.exportCsv({ programmeId: programme.id, table: "agreements" }).pipe(keyPerson)
      expect(agreements.endsWith("\r\n")).toBe(true)
      const rows = Csv.decode(agreements)
      expect(rows[0]).toEqual(["agreement_id", "action", "owner_id", "owner", "organisation", "due_date", "status", "measure_id", "session_id", "dropped_reason", "notes"])
      expect(rows).toHaveLength(4)
      expect(rows[1]![1]).toBe("'=HYPERLINK(\"http://evil\",\"klik\"), met \"aanhalingstekens\"\nen een tweede regel")
      expect(agreements).toContain("\"'=HYPERLINK(\"\"http://evil\"\",\"\"klik\"\"), met \"\"aanhalingstekens\"\"\nen een tweede regel\"")
      expect(rows[3]!.slice(6, 10)).toEqual(["Dropped", "", "", "Regeling gesloten."])

      const participants = Csv.decode(yield* service.exportCsv({ programmeId: programme.id, table: "participants" }).pipe(keyPerson))
      expect(participants).toHaveLength(9)
      expect(participants.find((r) => r[0] === people.baker.id)!.slice(1, 4)).toEqual(["Ilse Mulder", people.baker.email, "Bakkerij Mulder"])

      const attendance = Csv.decode(yield* service.exportCsv({ programmeId: programme.id, table: "attendance" }).pipe(keyPerson))
      expect(attendance[0]).toEqual(["session_id", "session", "start", "person_id", "name", "answer", "present"])
      expect(attendance).toHaveLength(1 + 16)
      expect(attendance.filter((r) => r[6] === "yes")).toHaveLength(12)

      expect((yield* failure(service.exportCsv({ programmeId: programme.id, table: "agreements" }).pipe(twente)))._tag).toBe("Forbidden")
      // @ts-expect-error "everything" is not a table: refused by the compiler, and at run time with a ValidationError
      expect(yield* failure(service.exportCsv({ programmeId: programme.id, table: "everything" }).pipe(keyPerson))).toMatchObject({
        _tag: "ValidationError",
        field: "table"
      })
    }).pipe(Effect.provide(TestLayer)))

  it("Csv: encode then decode gives back every cell, formula-like cells with a leading quote (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.oneof(fc.string(), fc.constantFrom("=1+1", "+31 6", "-2", "@SUM(A1)", "a,b", "\"q\"", "x\r\ny", " padded ")), { minLength: 1, maxLength: 5 }), { maxLength: 6 }),
        (rows) => {
          const header = rows[0] ?? ["h"]
          const body = rows.slice(1)
          const out = Csv.decode(Csv.encode(header, body))
          expect(out).toEqual([header, ...body].map((r) => r.map(Csv.neutralise)))
        }
      )
    )
    expect(Csv.record(["=cmd|' /C calc'!A0", "ok", 3, true, undefined])).toBe("'=cmd|' /C calc'!A0,ok,3,true,")
    expect(Csv.record(["-1", "@x", "+y", "a\"b"])).toBe("'-1,'@x,'+y,\"a\"\"b\"")
  })
})
