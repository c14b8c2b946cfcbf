import { describe, expect, it } from "@effect/vitest"
import { Templates } from "@copkit/email-smtp"
import { notification, session } from "./support.js"

// Answers by link and the private feed's webcal link in the messages (when the notification carries
// them, i.e. when the host serves them): in invitations, updates and answer reminders, text and
// HTML, in Dutch and English; never in a cancellation; none at all when the notification has none.

const answerLinks = {
  accept: "https://copkit.example.nl/links/answer/eyJzIjoxfQ.sig-accept",
  tentative: "https://copkit.example.nl/links/answer/eyJzIjoxfQ.sig-maybe",
  decline: "https://copkit.example.nl/links/answer/eyJzIjoxfQ.sig-decline"
}
const feedUrl = "webcal://copkit.example.nl/feeds/fdt_1.abc.ics"

const withLinks = (kind: string, language: "nl" | "en", links = true) =>
  notification("evt_links", {
    kind,
    recipient: { personId: "per_ilse", name: "Ilse Mulder", email: "ilse@bakkerijmulder.nl", language },
    session,
    calendarMethod: kind === "Cancellation" ? "CANCEL" : kind === "AnswerReminder" ? undefined : "REQUEST",
    ...(links ? { answerLinks, feedUrl } : {})
  })

describe("Templates: answer links and the feed link", () => {
  for (const language of ["nl", "en"] as const) {
    const words = language === "nl" ? ["Ik kom", "Misschien", "Ik kom niet"] : ["I will come", "Maybe", "I cannot come"]
    it(`${language}: invitation, update and answer reminder carry the three answer links and the feed link`, () => {
      for (const kind of ["Invitation", "Update", "AnswerReminder"]) {
        const m = Templates.render(withLinks(kind, language))
        expect(m.text).toContain(`${words[0]}: ${answerLinks.accept}`)
        expect(m.text).toContain(`${words[1]}: ${answerLinks.tentative}`)
        expect(m.text).toContain(`${words[2]}: ${answerLinks.decline}`)
        expect(m.text).toContain(feedUrl)
        for (const url of Object.values(answerLinks)) expect(m.html).toContain(`href="${url}"`)
        // webcal: is a link target too
        expect(m.html).toContain(`href="${feedUrl}"`)
      }
    })

    it(`${language}: a cancellation carries neither; a notification without links shows none`, () => {
      const cancelled = Templates.render(withLinks("Cancellation", language))
      expect(cancelled.text).not.toContain("/links/answer/")
      expect(cancelled.text).not.toContain("webcal:")
      const plain = Templates.render(withLinks("Invitation", language, false))
      expect(plain.text).not.toContain(words[2])
      expect(plain.text).not.toContain("webcal:")
    })
  }

  it("a link that is not http(s) or webcal is shown as text, never as a link", () => {
    const m = Templates.render(notification("evt_js", {
      kind: "Invitation",
      recipient: { personId: "per_ilse", name: "Ilse Mulder", email: "ilse@bakkerijmulder.nl", language: "nl" },
      session,
      calendarMethod: "REQUEST",
      answerLinks: { ...answerLinks, accept: "javascript:alert(1)" }
    }))
    expect(m.html).not.toContain(`href="javascript:`)
  })
})
