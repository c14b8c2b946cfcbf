/**
 * Answers by link and private feeds over a real HTTP server on a loopback port, driven with fetch,
 * on SQLite (and PostgreSQL when COPKIT_TEST_POSTGRES_URL is set): an invitation e-mail carries the
 * links; a GET records nothing; the POST records the answer once, and following it again gives the
 * same page; tampered, forged and expired links are refused; a person's and a programme's feed
 * parsed back by node-ical, without the join link; a revoked or rotated token's feed is 404; feed
 * tokens are in the export and gone with the erasure; an erased invitee's link finds nothing, and a
 * cancelled session takes no answers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect, Option, Redacted } from "effect"
import { Application, EventLog, FeedToken, Ids, Links as CoreLinks, Repository, Session, SessionNotifications } from "@copkit/core"
import { Templates } from "@copkit/email-smtp"
import { Links } from "@copkit/http"
import { Fixtures } from "@copkit/testing"
import ical from "node-ical"
import type { Running } from "./support.js"
import { linkKey, start, stores, tokenFor } from "./support.js"

const { actors, people } = Fixtures
const coordinator = tokenFor(actors.coordinator)
const keyPerson = tokenFor(actors.keyPerson)
const participant = tokenFor(actors.participant)
const keyPersonTwente = tokenFor(actors.keyPersonTwente)
const joinUrl = "https://meet.example.nl/kennisnetwerk-geheim"

const json = async (response: Response): Promise<any> => JSON.parse(await response.text())

for (const store of stores()) {
  describe(`answers by link and private feeds on ${store === "sqlite" ? "SQLite" : "PostgreSQL"}`, () => {
    let server: Running
    let links: Links.LinkService
    let programmeId: string
    const sessionId = `ses_links_${store}`
    const start_ = new Date(Date.now() + 30 * 24 * 60 * 60 * 1000)
    start_.setUTCHours(13, 0, 0, 0)
    const end = new Date(start_.getTime() + 3 * 60 * 60 * 1000)

    beforeAll(async () => {
      server = await start({ store, links: { key: linkKey, baseUrl: "http://127.0.0.1" } })
      links = Links.make({ key: linkKey, baseUrl: server.url })
      // a programme through the intake, over HTTP
      const draft = await json(await server.post("/intake/create", Fixtures.applicationInput(), keyPerson))
      await server.post("/intake/submit", { applicationId: draft.id }, keyPerson)
      await server.post("/intake/schedule-exploration", { applicationId: draft.id, at: "2027-01-12T09:30:00Z" }, coordinator)
      for (const criterion of Application.criteria) {
        await server.post("/intake/assess", { applicationId: draft.id, criterion, score: 4, note: "Goed" }, coordinator)
      }
      const accepted = await json(await server.post("/intake/accept", { applicationId: draft.id, reason: "Veel energie." }, coordinator))
      programmeId = accepted.programme.id
      for (const person of [people.baker, people.college]) {
        const enrolled = await server.post("/sessions/enrol", { programmeId, participant: person }, keyPerson)
        expect(enrolled.status).toBe(200)
      }
      // a scheduled online session (the plan's approval is not what these tests are about)
      await server.run(Effect.gen(function*() {
        const repo = yield* Repository.SessionRepository
        const at = new Date()
        yield* repo.save(
          new Session.Session({
            id: sessionId as Ids.SessionId,
            programmeIds: [programmeId as Ids.ProgrammeId],
            regionIds: [Fixtures.regions.utrecht.id],
            title: "Aftrap: personeelstekorten",
            workForms: ["Intervision"],
            agenda: [],
            format: "Online",
            joinUrl: joinUrl as Session.JoinUrl,
            start: start_,
            end,
            state: "Scheduled",
            sequence: 0,
            invitations: [],
            attendance: [],
            createdAt: at,
            updatedAt: at
          }),
          0
        )
      }))
    }, 60_000)
    afterAll(async () => {
      await server?.close()
    })

    const invitationOf = async (personId: string) => {
      const session = await json(await server.post("/sessions/get", { sessionId }, coordinator))
      return session.value.invitations.find((i: any) => i.personId === personId)
    }
    const answeredEvents = async () => {
      const history = await json(await server.post("/history/of-entity", { entity: "Session", id: sessionId }, coordinator))
      return history.filter((e: any) => e.event._tag === "SessionInvitationAnswered")
    }
    const feed = (path: string) => fetch(`${server.url}${path}`)

    it("feed tokens: a person issues their own (twice the same), others are refused", async () => {
      const issued = await server.post("/feeds/issue", { personId: people.baker.id }, participant)
      expect(issued.status).toBe(200)
      const token = await json(issued)
      expect(token).toMatchObject({ personId: people.baker.id, state: "Active", token: expect.stringMatching(/^fdt_[\w-]+\.[\w-]{43}$/) })
      expect((await json(await server.post("/feeds/issue", { personId: people.baker.id }, participant))).token).toBe(token.token)
      // a key person of the region, or of another region, may not touch a participant's token; the coordinator may
      expect((await server.post("/feeds/issue", { personId: people.baker.id }, keyPerson)).status).toBe(403)
      expect((await server.post("/feeds/rotate", { personId: people.baker.id }, keyPersonTwente)).status).toBe(403)
      expect((await server.post("/feeds/issue", { personId: people.chamber.id }, coordinator)).status).toBe(200)
      // the event log holds the token's id, never its secret
      const events = await server.run(Effect.flatMap(EventLog.EventLog, (log) => log.read()))
      expect(JSON.stringify(events.map((e) => e.event))).not.toContain(token.token.split(".")[1])
    })

    it("the invitation e-mail carries the answer links and the webcal link of the person's feed (nl and en)", async () => {
      expect((await server.post("/sessions/invite", { sessionId }, keyPerson)).status).toBe(200)
      const sent = (await server.run(Effect.flatMap(EventLog.EventLog, (log) => log.read())))
        .find((e) => e.event._tag === "SessionInvitationsSent" && e.event.sessionId === sessionId)!
      const notifications = await server.run(
        SessionNotifications.forSessionEvent(sent).pipe(
          Effect.map(Option.getOrThrow),
          Effect.provideService(CoreLinks.Links, links.links)
        )
      )
      const baker = notifications.find((n) => n.recipient.personId === people.baker.id)!
      const college = notifications.find((n) => n.recipient.personId === people.college.id)!
      const bakerMail = Templates.render(baker)
      expect(bakerMail.text).toContain("Ik kom: http://127.0.0.1:")
      expect(bakerMail.text).toContain("Misschien: ")
      expect(bakerMail.text).toContain("Ik kom niet: ")
      expect(bakerMail.text).toMatch(/webcal:\/\/127\.0\.0\.1:\d+\/feeds\/fdt_[\w-]+\.[\w-]{43}\.ics/)
      expect(bakerMail.html).toContain(`href="${baker.answerLinks!.accept}"`)
      const collegeMail = Templates.render(college)
      expect(collegeMail.text).toContain("I will come: ")
      expect(collegeMail.text).toContain("I cannot come: ")
      // the college has no feed token: no feed link
      expect(collegeMail.text).not.toContain("webcal:")
      // without the Links port: no links at all
      const plain = await server.run(SessionNotifications.forSessionEvent(sent).pipe(Effect.map(Option.getOrThrow)))
      expect(plain.every((n) => n.answerLinks === undefined && n.feedUrl === undefined)).toBe(true)

      // the accept link of the e-mail, followed: a GET shows a form and records nothing
      const accept = /Ik kom: (\S+)/.exec(bakerMail.text)![1]!
      expect(accept).toBe(baker.answerLinks!.accept)
      const page = await fetch(accept)
      expect(page.status).toBe(200)
      expect(page.headers.get("content-type")).toMatch(/^text\/html/)
      expect(page.headers.get("cache-control")).toBe("no-store")
      const html = await page.text()
      expect(html).toContain(`<form method="post"`)
      expect(html).toContain("Aftrap: personeelstekorten")
      expect(html).toContain("Confirm your answer")
      expect((await invitationOf(people.baker.id)).answer).toBe("NeedsAction")
    })

    it("an answer link followed twice: one answer recorded, the same page", async () => {
      const url = links.links.answer({ sessionId, personId: people.baker.id, expiresAt: start_ })!.accept
      // mail scanners prefetch: GETs record nothing
      await fetch(url)
      await fetch(url)
      expect(await answeredEvents()).toHaveLength(0)
      const first = await fetch(url, { method: "POST" })
      expect(first.status).toBe(200)
      const firstPage = await first.text()
      expect(firstPage).toContain("je antwoord is vastgelegd")
      expect(firstPage).toContain("Ik kom")
      expect((await invitationOf(people.baker.id)).answer).toBe("Accepted")
      const second = await fetch(url, { method: "POST" })
      expect(second.status).toBe(200)
      expect(await second.text()).toBe(firstPage)
      const events = await answeredEvents()
      expect(events).toHaveLength(1)
      // recorded as the invitee, a participant of the programme's region
      expect(events[0].actor).toMatchObject({ _tag: "Participant", personId: people.baker.id, regionId: "utrecht" })

      // another answer of the same invitation is its own link: it changes the answer
      const decline = links.links.answer({ sessionId, personId: people.baker.id, expiresAt: start_ })!.decline
      const declined = await fetch(decline, { method: "POST" })
      expect(declined.status).toBe(200)
      expect(await declined.text()).toContain("Ik kom niet")
      expect((await invitationOf(people.baker.id)).answer).toBe("Declined")
      expect(await answeredEvents()).toHaveLength(2)
    })

    it("a tampered, a forged and an expired link are refused with a page, and record nothing", async () => {
      const before = (await answeredEvents()).length
      const good = links.sign({ sessionId, personId: people.college.id, answer: "Accepted", expiresAt: start_ })
      // the payload swapped for another person's, the signature kept
      const [, signature] = good.split(".")
      const [otherPayload] = links.sign({ sessionId, personId: people.baker.id, answer: "Accepted", expiresAt: start_ }).split(".")
      for (const method of ["GET", "POST"]) {
        const tampered = await fetch(`${server.url}/links/answer/${otherPayload}.${signature}`, { method })
        expect(tampered.status).toBe(400)
        expect(tampered.headers.get("content-type")).toMatch(/^text\/html/)
        expect(await tampered.text()).toContain("This link is not valid")
      }
      const forged = Links.make({ key: Redacted.make("somebody else's key, also more than 32 bytes"), baseUrl: server.url })
      expect((await fetch(forged.answerUrl({ sessionId, personId: people.college.id, answer: "Accepted", expiresAt: start_ }), { method: "POST" })).status)
        .toBe(400)
      const expired = links.answerUrl({ sessionId, personId: people.college.id, answer: "Accepted", expiresAt: new Date(Date.now() - 60_000) })
      const gone = await fetch(expired, { method: "POST" })
      expect(gone.status).toBe(410)
      expect(await gone.text()).toContain("This link has expired")
      expect((await fetch(`${server.url}/links/answer/garbage`, { method: "POST" })).status).toBe(400)
      // a link of someone not invited
      expect((await fetch(links.answerUrl({ sessionId, personId: "per_nobody", answer: "Accepted", expiresAt: start_ }), { method: "POST" })).status).toBe(404)
      expect(await answeredEvents()).toHaveLength(before)
      expect((await invitationOf(people.college.id)).answer).toBe("NeedsAction")
    })

    it("a person's feed and a programme's feed: text/calendar with the right events, never the join link", async () => {
      const token = (await json(await server.post("/feeds/issue", { personId: people.baker.id }, participant))).token
      const own = await feed(`/feeds/${token}.ics`)
      expect(own.status).toBe(200)
      expect(own.headers.get("content-type")).toMatch(/^text\/calendar/)
      const text = await own.text()
      expect(text).not.toContain("meet.example.nl")
      const parsed = Object.values(ical.sync.parseICS(text)).filter((c: any) => c.type === "VEVENT") as Array<any>
      expect(parsed).toHaveLength(1)
      expect(parsed[0].uid).toBe(`${sessionId}@copkit`)
      expect(parsed[0].summary).toBe("Aftrap: personeelstekorten")
      expect(new Date(parsed[0].start).getTime()).toBe(start_.getTime())
      expect(new Date(parsed[0].end).getTime()).toBe(end.getTime())

      // a participant's token does not open the programme's feed; a core-team member's does
      expect((await feed(`/feeds/${token}/programmes/${programmeId}.ics`)).status).toBe(404)
      const chamber = (await json(await server.post("/feeds/issue", { personId: people.chamber.id }, keyPerson))).token
      const programmeFeed = await feed(`/feeds/${chamber}/programmes/${programmeId}.ics`)
      expect(programmeFeed.status).toBe(200)
      const programmeText = await programmeFeed.text()
      expect(programmeText).not.toContain("meet.example.nl")
      const events = Object.values(ical.sync.parseICS(programmeText)).filter((c: any) => c.type === "VEVENT") as Array<any>
      expect(events.map((e) => e.uid)).toEqual([`${sessionId}@copkit`])
      // the feed's content as data, over the API
      const content = await json(await server.post("/feeds/feed", { token: chamber, programmeId }, keyPerson))
      expect(content.events.map((e: any) => e.uid)).toEqual([`${sessionId}@copkit`])
    })

    it("a revoked feed is 404; a rotated token works and the old one is 404", async () => {
      const token = (await json(await server.post("/feeds/issue", { personId: people.baker.id }, participant))).token
      expect((await feed(`/feeds/${token}.ics`)).status).toBe(200)
      const revoked = await json(await server.post("/feeds/revoke", { personId: people.baker.id }, participant))
      expect(revoked).toHaveLength(1)
      expect(revoked[0]).toMatchObject({ state: "Revoked", token: "" })
      expect((await feed(`/feeds/${token}.ics`)).status).toBe(404)
      const rotated = (await json(await server.post("/feeds/rotate", { personId: people.baker.id }, coordinator))).token
      expect(rotated).not.toBe(token)
      expect((await feed(`/feeds/${rotated}.ics`)).status).toBe(200)
      const again = (await json(await server.post("/feeds/rotate", { personId: people.baker.id }, participant))).token
      expect((await feed(`/feeds/${rotated}.ics`)).status).toBe(404)
      expect((await feed(`/feeds/${again}.ics`)).status).toBe(200)
      // a right id with a wrong secret, and no token at all
      const parsed = FeedToken.parse(again)!
      expect((await feed(`/feeds/${parsed.id}.${"A".repeat(43)}.ics`)).status).toBe(404)
      expect((await feed(`/feeds/nothing.ics`)).status).toBe(404)
    })

    it("feed tokens are personal data: in the person's export, revoked and their secret gone with the erasure", async () => {
      const token = (await json(await server.post("/feeds/issue", { personId: people.baker.id }, participant))).token
      const exported = await json(await server.post("/personal-data/export-person", { personId: people.baker.id }, participant))
      expect(exported.entities.FeedToken.map((t: any) => t.token)).toContain(token)
      expect((await server.post("/personal-data/erase", { personId: people.baker.id }, coordinator)).status).toBe(200)
      expect((await feed(`/feeds/${token}.ics`)).status).toBe(404)
      const stored = await server.run(Effect.flatMap(Repository.FeedTokenRepository, (repo) => repo.list({ personId: people.baker.id })))
      expect(stored.length).toBeGreaterThanOrEqual(3)
      expect(stored.every((t) => t.value.state === "Revoked" && t.value.token === "")).toBe(true)
    })

    it("after the erasure the invitee's links find no invitation (404); a cancelled session takes no answers (409)", async () => {
      const baker = links.links.answer({ sessionId, personId: people.baker.id, expiresAt: start_ })!.accept
      expect((await fetch(baker, { method: "POST" })).status).toBe(404)
      expect((await server.post("/sessions/cancel", { sessionId, reason: "De zaal is niet beschikbaar." }, keyPerson)).status).toBe(200)
      const college = links.links.answer({ sessionId, personId: people.college.id, expiresAt: start_ })!.tentative
      const closed = await fetch(college, { method: "POST" })
      expect(closed.status).toBe(409)
      expect(await closed.text()).toContain("Answers are closed")
      expect((await invitationOf(people.college.id)).answer).toBe("NeedsAction")
    })

    it("a link of a session that has started (moved to an earlier start) is refused, even before its own expiry", async () => {
      const started = `ses_started_${store}`
      const at = new Date()
      await server.run(Effect.flatMap(Repository.SessionRepository, (repo) =>
        repo.save(
          new Session.Session({
            id: started as Ids.SessionId,
            programmeIds: [programmeId as Ids.ProgrammeId],
            regionIds: [Fixtures.regions.utrecht.id],
            title: "Verplaatst naar eerder",
            workForms: [],
            agenda: [],
            start: new Date(at.getTime() - 60 * 60 * 1000),
            end: new Date(at.getTime() + 60 * 60 * 1000),
            state: "Invited",
            sequence: 1,
            invitations: [
              new Session.Invitation({
                personId: people.college.id,
                programmeId: programmeId as Ids.ProgrammeId,
                name: people.college.name,
                email: people.college.email as never,
                language: "en",
                answer: "NeedsAction",
                invitedAt: at
              })
            ],
            attendance: [],
            createdAt: at,
            updatedAt: at
          }),
          0
        )))
      const url = links.answerUrl({ sessionId: started, personId: people.college.id, answer: "Accepted", expiresAt: start_ })
      expect((await fetch(url)).status).toBe(410)
      expect((await fetch(url, { method: "POST" })).status).toBe(410)
    })
  })
}
