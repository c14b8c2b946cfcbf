import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import { Report, ReportRender, Sessions } from "@copkit/core"
import { keyPerson, keyPersonTwente, regions, seedProgramme, TestLayer } from "./sessions.fixtures.js"

// Materials: titled links on a session (slides, a case, a recording), shown with the session and
// in the programme report.

describe("Session materials", () => {
  it.effect("attached by the region, once per URL, taken off again; bad links and other regions refused; shown in the report", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2027-02-01T09:00:00Z"))
      const programme = yield* seedProgramme(regions.utrecht, "prg_utrecht")
      const s = yield* Sessions.Sessions
      const [first] = yield* s.createFromPlan({ programmeId: programme.id }).pipe(keyPerson)
      const sessionId = first!.id

      const slides = yield* s.addMaterial({
        sessionId,
        title: "Presentatie: personeel vinden & binden",
        url: "https://kennisnetwerk.example.nl/materiaal/aftrap.pdf?x=<1>",
        kind: "Slides"
      }).pipe(keyPerson)
      expect(slides.materials).toHaveLength(1)
      expect(slides.materials[0]).toMatchObject({ kind: "Slides", title: "Presentatie: personeel vinden & binden" })
      expect(slides.materials[0]!.id).toMatch(/^mat_/)
      const recording = yield* s.addMaterial({ sessionId, title: "Opname", url: "https://video.example.nl/aftrap", kind: "Recording" })
        .pipe(keyPerson)
      expect(recording.materials.map((m) => m.kind)).toEqual(["Slides", "Recording"])

      const twice = yield* s.addMaterial({ sessionId, title: "Nog eens", url: "https://video.example.nl/aftrap" }).pipe(keyPerson, Effect.flip)
      expect(twice).toMatchObject({ _tag: "RuleViolation", rule: "material-once" })
      for (const url of ["javascript:alert(1)", "ftp://files.example.nl/a", "https://", "niet een link"]) {
        const bad = yield* s.addMaterial({ sessionId, title: "Fout", url }).pipe(keyPerson, Effect.flip)
        expect(bad._tag).toBe("ValidationError")
        expect(JSON.stringify(bad)).toContain("url")
      }
      const other = yield* s.addMaterial({ sessionId, title: "Van elders", url: "https://twente.example.nl/x" }).pipe(keyPersonTwente, Effect.flip)
      expect(other._tag).toBe("Forbidden")
      expect((yield* s.get({ sessionId }).pipe(keyPerson)).value.materials).toHaveLength(2)

      const report = Report.build({
        programme,
        sessions: [(yield* s.get({ sessionId }).pipe(keyPerson)).value],
        enrolments: [],
        insights: [],
        agreements: [],
        measures: [],
        generatedAt: new Date()
      })
      expect(report.sessions[0]!.materials.map((m) => m.title)).toEqual(["Presentatie: personeel vinden & binden", "Opname"])
      const html = ReportRender.toHtml(report)
      expect(html).toContain(`<a href="https://kennisnetwerk.example.nl/materiaal/aftrap.pdf?x=&lt;1&gt;">Presentatie: personeel vinden &amp; binden</a>`)
      expect(ReportRender.toMarkdown(report)).toContain("## Materialen")

      const removed = yield* s.removeMaterial({ sessionId, materialId: slides.materials[0]!.id }).pipe(keyPerson)
      expect(removed.materials.map((m) => m.kind)).toEqual(["Recording"])
      const unknown = yield* s.removeMaterial({ sessionId, materialId: slides.materials[0]!.id }).pipe(keyPerson, Effect.flip)
      expect(unknown).toMatchObject({ _tag: "RuleViolation", rule: "material-known" })

      yield* s.cancel({ sessionId, reason: "Gaat niet door." }).pipe(keyPerson)
      const cancelled = yield* s.addMaterial({ sessionId, title: "Te laat", url: "https://example.nl/laat" }).pipe(keyPerson, Effect.flip)
      expect(cancelled._tag).toBe("InvalidTransition")
    }).pipe(Effect.provide(TestLayer)))
})
