import { describe, expect, it } from "@effect/vitest"
import { Templates } from "@copkit/email-smtp"
import { notification, session } from "./support.js"

// Online and hybrid sessions in the messages: the place says so, and invitations, updates and
// reminders carry the join link (text and HTML); a cancellation does not.

const link = "https://meet.example.nl/kennisnetwerk/aftrap?pwd=abc&x=1"

const forFormat = (kind: string, format: "Online" | "Hybrid", language: "nl" | "en") =>
  notification("evt_online", {
    kind,
    recipient: { personId: "per_ilse", name: "Ilse Mulder", email: "ilse@bakkerijmulder.nl", language },
    session: { ...session, format, joinUrl: link },
    calendarMethod: kind === "Cancellation" ? "CANCEL" : kind === "Reminder" ? undefined : "REQUEST"
  })

describe("Templates for online and hybrid sessions", () => {
  for (const language of ["nl", "en"] as const) {
    it(`${language}: invitation, update and reminder carry the join link; the place says online or hybrid`, () => {
      for (const kind of ["Invitation", "Update", "Reminder"]) {
        const online = Templates.render(forFormat(kind, "Online", language))
        expect(online.text).toContain(link)
        expect(online.html).toContain(`href="${link.replace(/&/g, "&amp;")}"`)
        expect(online.text).toContain(language === "nl" ? "Online deelnemen" : "Join online")
        // an online session has no venue to show
        expect(online.text).not.toContain("Stadhuis Utrecht")
        const hybrid = Templates.render(forFormat(kind, "Hybrid", language))
        expect(hybrid.text).toContain("Stadhuis Utrecht")
        expect(hybrid.text).toContain(language === "nl" ? "op locatie en online" : "on site and online")
        expect(hybrid.text).toContain(link)
      }
    })

    it(`${language}: a cancellation carries no join link`, () => {
      const cancelled = Templates.render(forFormat("Cancellation", "Online", language))
      expect(cancelled.text).not.toContain("meet.example.nl")
      expect(cancelled.html).not.toContain("meet.example.nl")
    })
  }
})
