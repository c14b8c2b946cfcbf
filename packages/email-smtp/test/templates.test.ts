import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import * as fc from "fast-check"
import { Common, Notification } from "@copkit/core"
import { Templates } from "@copkit/email-smtp"
import { notification, session } from "./support.js"

const kinds = Notification.MessageKind.literals
const sessionKinds = [
  "Invitation",
  "Update",
  "Cancellation",
  "Reminder",
  "AnswerReminder",
  "ExplorationInvitation",
  "ExplorationUpdate",
  "ExplorationCancellation"
] as const
const intakeKinds = ["ApplicationReceived", "ApplicationAccepted", "ApplicationDeclined"] as const
const decisionReason = "Er zijn nog te weinig ondernemers betrokken; meld de regio gerust opnieuw aan."
const agreement = { action: "Een tweede werksessie met de bakkers organiseren", dueDate: "2027-05-31", url: "https://copkit.example/a/1" }

const forKind = (kind: Notification.MessageKind, language: "nl" | "en") =>
  notification("evt_1", {
    kind,
    recipient: { personId: "per_1", name: "Ilse Mulder", email: "ilse@bakkerijmulder.nl", language },
    ...(sessionKinds.includes(kind as never)
      ? {
        calendarMethod: kind === "Cancellation" || kind === "ExplorationCancellation"
          ? "CANCEL"
          : kind === "Reminder" || kind === "AnswerReminder"
          ? undefined
          : "REQUEST"
      }
      : intakeKinds.includes(kind as never)
      ? {
        session: undefined,
        calendarMethod: undefined,
        ...(kind === "ApplicationReceived" ? {} : { decision: { outcome: kind === "ApplicationAccepted" ? "Accepted" : "Declined", reason: decisionReason } })
      }
      : { session: undefined, calendarMethod: undefined, agreement }),
    ...(kind === "FollowUpCheckIn" ? { monthsAfterClosing: 6, openAgreements: ["Vacaturebank starten"] } : {}),
    ...(kind === "EvaluationRequest"
      ? { session, agreement: undefined, evaluation: { url: "https://copkit.example/e/ses_1", questions: 4 } }
      : {}),
    ...(kind === "TaskDue" || kind === "TaskOverdue"
      ? {
        agreement: undefined,
        task: { title: "Zaal reserveren", deadline: "2027-05-31T10:00:00Z", timeZone: "Europe/Amsterdam", sessionTitle: "Sessie 2: van elkaar leren" }
      }
      : {}),
    ...(kind === "MissedSessions"
      ? {
        agreement: undefined,
        absence: {
          participant: { name: "Sanne de Vries", organisation: "De Vries Metaalbewerking" },
          sessions: [
            { title: "Sessie 2: van elkaar leren", start: "2027-04-01T13:00:00Z", timeZone: "Europe/Amsterdam" },
            { title: "Sessie 3: in de praktijk", start: "2027-05-06T13:00:00Z", timeZone: "Europe/Amsterdam" }
          ]
        }
      }
      : {})
  })

/** The HTML with our own tags removed and entities decoded: what a reader sees. */
const visible = (html: string) =>
  html
    .replace(/<br>/g, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, "\"")
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")

/** Every tag the templates write; anything else in the HTML came from a value and is an escape failure. */
const ownTags =
  /<!doctype html>|<\/?html(?: lang="(?:nl|en)")?>|<\/?head>|<meta charset="utf-8">|<\/?title>|<body style="[^"<>]*">|<\/body>|<\/?p>|<br>|<table role="presentation" cellpadding="4" cellspacing="0">|<\/table>|<\/?tr>|<th align="left" valign="top">|<\/th>|<\/?td>|<\/?ul>|<\/?li>|<a href="[^"<>]*">|<\/a>/g

describe("Templates", () => {
  for (const kind of kinds) {
    for (const language of ["nl", "en"] as const) {
      it(`${kind} in ${language}: subject, greeting, details, text and HTML from one source`, () => {
        const n = forKind(kind, language)
        const rendered = Templates.render(n)
        expect(rendered.subject.length).toBeGreaterThan(5)
        expect(rendered.subject.length).toBeLessThanOrEqual(200)
        expect(rendered.subject).not.toMatch(/[\r\n]/)
        expect(Schema.is(Common.Line)(rendered.subject)).toBe(true)
        expect(rendered.text.startsWith(language === "nl" ? "Beste Ilse Mulder," : "Dear Ilse Mulder,")).toBe(true)
        expect(rendered.html).toContain(`<html lang="${language}">`)
        if (sessionKinds.includes(kind as never)) {
          const date = language === "nl" ? "donderdag 4 maart 2027" : /Thursday,? 4 March 2027/
          for (const body of [rendered.text, visible(rendered.html)]) {
            expect(body).toMatch(date)
            expect(body).toContain("14:30 – 17:30")
            expect(body).toContain("Stadhuis Utrecht, Stadsplateau 1")
            expect(body).toContain("Inspiratie uit Twente")
          }
        } else if (intakeKinds.includes(kind as never)) {
          for (const body of [rendered.text, visible(rendered.html)]) {
            expect(body).toContain("Regio Utrecht")
            if (kind !== "ApplicationReceived") expect(body).toContain(decisionReason)
          }
        } else if (kind === "TaskDue" || kind === "TaskOverdue") {
          for (const body of [rendered.text, visible(rendered.html)]) {
            expect(body).toContain("Zaal reserveren")
            expect(body).toContain("Sessie 2: van elkaar leren")
            expect(body).toMatch(language === "nl" ? "31 mei 2027" : /31 May 2027/)
          }
        } else if (kind === "FollowUpCheckIn") {
          for (const body of [rendered.text, visible(rendered.html)]) {
            expect(body).toContain("Vacaturebank starten")
            expect(body).toContain(language === "nl" ? "op koers, vertraagd of gestopt" : "on track, delayed or stopped")
            expect(body).toContain(agreement.action)
          }
        } else if (kind === "EvaluationRequest") {
          for (const body of [rendered.text, visible(rendered.html)]) {
            expect(body).toContain(language === "nl" ? "4 korte vragen" : "4 short questions")
            expect(body).toContain(language === "nl" ? "niemand ziet wat jij hebt ingevuld" : "nobody sees what you filled in")
          }
          expect(rendered.subject).toMatch(language === "nl" ? /^Hoe was het\? Sessie 1: inspiratie \(donderdag 4 maart 2027\)$/ : /^How was it\? Sessie 1: inspiratie \(Thursday,? 4 March 2027\)$/)
          expect(rendered.html).toContain('<a href="https://copkit.example/e/ses_1">')
        } else if (kind === "MissedSessions") {
          for (const body of [rendered.text, visible(rendered.html)]) {
            expect(body).toContain("Sanne de Vries (De Vries Metaalbewerking)")
            expect(body).toContain("Sessie 3: in de praktijk")
            expect(body).toMatch(language === "nl" ? "6 mei 2027" : /6 May 2027/)
          }
          expect(rendered.subject).toContain(language === "nl" ? "miste 2 bijeenkomsten op rij" : "missed 2 sessions in a row")
        } else {
          const due = language === "nl" ? "31 mei 2027" : "31 May 2027"
          for (const body of [rendered.text, visible(rendered.html)]) {
            expect(body).toContain(due)
            expect(body).toContain(agreement.action)
          }
          expect(rendered.html).toContain(`<a href="${agreement.url}">`)
        }
        // Every paragraph is said in both renderings.
        for (const block of Templates.document(n).blocks) {
          if (block._tag === "Paragraph") {
            expect(rendered.text).toContain(block.text)
            expect(visible(rendered.html)).toContain(block.text)
          }
        }
        expect(rendered.html.replace(ownTags, "")).not.toMatch(/[<>]/)
      })
    }
  }

  it("the Dutch and English texts differ, and Dutch is what a Dutch recipient gets", () => {
    const nl = Templates.render(forKind("Invitation", "nl"))
    const en = Templates.render(forKind("Invitation", "en"))
    expect(nl.subject).toMatch(/^Uitnodiging: /)
    expect(en.subject).toMatch(/^Invitation: /)
    expect(nl.text).toContain("Met vriendelijke groet,")
    expect(en.text).toContain("Kind regards,")
  })

  it("times follow the session's zone across daylight saving time", () => {
    const summer = notification("evt_1", {
      session: { uid: "u", sequence: 0, title: "Zomer", start: "2027-07-01T07:00:00Z", end: "2027-07-01T09:00:00Z", timeZone: "Europe/Amsterdam", agenda: [] }
    })
    expect(Templates.render(summer).text).toContain("09:00 – 11:00 (CEST)")
    const winter = notification("evt_1", {
      session: { uid: "u", sequence: 0, title: "Winter", start: "2027-01-14T23:30:00Z", end: "2027-01-15T01:00:00Z", timeZone: "Europe/Amsterdam", agenda: [] }
    })
    // 23:30 UTC is already the next day in Amsterdam.
    expect(Templates.render(winter).text).toContain("vrijdag 15 januari 2027")
    expect(Templates.render(winter).text).toContain("00:30 – 02:00 (CET)")
  })

  it("a link is a link only for http(s); anything else is shown as text", () => {
    const n = notification("evt_1", {
      kind: "AgreementDue",
      session: undefined,
      calendarMethod: undefined,
      agreement: { ...agreement, url: "javascript:alert(1)" }
    })
    const html = Templates.render(n).html
    expect(html).not.toContain("href=")
    expect(html).toContain("javascript:alert(1)")
  })

  it("the layer renders through the port", () =>
    Effect.runPromise(
      Effect.gen(function*() {
        const templates = yield* Notification.MessageTemplates
        const rendered = yield* templates.render(forKind("Reminder", "nl"))
        expect(rendered.subject).toMatch(/^Herinnering: /)
      }).pipe(Effect.provide(Templates.layer))
    ))
})

describe("Templates: HTML escaping (property)", () => {
  const nasty = fc.string({ unit: fc.constantFrom("<", ">", "&", "\"", "'", "a", "Z", " ", "=", "/", "é", "😀", "\n", "\r", "\t", ";", "#") })
  const text = fc.oneof(fc.string({ unit: "grapheme", minLength: 1 }), nasty)
  const line = text.filter(Schema.is(Common.Line))

  it("no value can open a tag or an attribute, and every value is shown as given", () => {
    fc.assert(
      fc.property(line, line, line, text, text, text, fc.constantFrom(...kinds), fc.constantFrom("nl", "en"), (name, programme, title, venue, action, url, kind, language) => {
        const n = Schema.decodeUnknownSync(Notification.Notification)({
          kind,
          eventId: "evt_1",
          recipient: { personId: "per_1", name, email: "x@copkit.example", language },
          programmeName: programme,
          organizer: { name: "Org", email: "org@copkit.example" },
          session: {
            uid: "u",
            sequence: 0,
            title,
            start: "2027-03-04T13:30:00Z",
            end: "2027-03-04T16:30:00Z",
            timeZone: "Europe/Amsterdam",
            venue,
            url,
            agenda: [{ title, minutes: 30 }]
          },
          agreement: { action, dueDate: "2027-05-31", url }
        })
        const { html, text: plain } = Templates.render(n)
        expect(html.replace(ownTags, "")).not.toMatch(/[<>]/)
        const seen = visible(html)
        expect(seen).toContain(name)
        expect(seen).toContain(programme)
        expect(plain).toContain(name)
        if (Templates.document(n).blocks.some((b) => b._tag === "Details" && b.rows.some(([, v]) => v === action))) {
          expect(seen).toContain(action.replace(/\r\n/g, "\n"))
        }
      }),
      { numRuns: 150 }
    )
  })

  it("escapeHtml round-trips and leaves no markup character", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "grapheme" }), nasty), (s) => {
        const n = notification("evt_1", { programmeName: "P", session: undefined, calendarMethod: undefined, kind: "FollowUpCheckIn", agreement: { action: s, dueDate: "2027-05-31" } })
        const cell = /<th align="left" valign="top">[^<]*<\/th><td>((?:[^<]|<br>)*)<\/td>/.exec(Templates.render(n).html)
        expect(cell).not.toBeNull()
        expect(cell![1]!.replace(/<br>/g, "")).not.toMatch(/[<>"']/)
        expect(visible(cell![1]!)).toBe(s.replace(/\r?\n/g, "\n"))
      }),
      { numRuns: 300 }
    )
  })
})
