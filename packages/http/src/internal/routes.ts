/**
 * The routes outside the typed API: answers by link (a confirmation page, then a form's POST) and
 * private feeds (`text/calendar`). Not API: `Api.layer` adds them.
 */
import { HttpApiBuilder, HttpRouter, HttpServerResponse } from "@effect/platform"
import { Actor, Calendar, ConcurrencyConflict, Feeds, NotFound, Programmes, Sessions } from "@copkit/core"
import type { Services } from "@copkit/core"
import { Clock, Effect, Either, Layer, Option } from "effect"
import type * as Links from "../Links.js"

const escape = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&#39;"))

/** Who reads for a link: the library's own reader (the link itself is the credential). */
const linkReader = Actor.make({ _tag: "System", name: "answer-link" })
const feedReader = Actor.make({ _tag: "System", name: "feed-link" })

const headers = {
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "x-robots-tag": "noindex, nofollow",
  "x-content-type-options": "nosniff"
}

/** A small page in Dutch with English below it. */
const page = (status: number, title: { nl: string; en: string }, body: { nl: string; en: string }, extra = ""): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.text(
    `<!doctype html>\n<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
      `<title>${escape(title.nl)}</title></head>\n<body style="font-family: sans-serif; line-height: 1.5; max-width: 40em; margin: 2em auto; padding: 0 1em">\n` +
      `<h1>${escape(title.nl)}</h1>\n<p>${body.nl}</p>\n${extra}\n` +
      `<hr>\n<div lang="en"><h2>${escape(title.en)}</h2>\n<p>${body.en}</p></div>\n</body></html>\n`,
    { status, headers, contentType: "text/html; charset=utf-8" }
  )

const answerWords = {
  Accepted: { nl: "Ik kom", en: "I will come" },
  Tentative: { nl: "Misschien", en: "Maybe" },
  Declined: { nl: "Ik kom niet", en: "I cannot come" }
} as const

const expiredPage = () =>
  page(410, { nl: "Deze link is verlopen", en: "This link has expired" }, {
    nl: "De bijeenkomst is al begonnen: antwoorden via deze link kan niet meer.",
    en: "The session has started: this link no longer records an answer."
  })

const started = (session: { readonly start?: Date | undefined }, now: number): boolean =>
  session.start !== undefined && session.start.getTime() <= now

const refusedPage = (e: Links.LinkRefused) =>
  e.reason === "expired"
    ? expiredPage()
    : page(400, { nl: "Deze link is niet geldig", en: "This link is not valid" }, {
      nl: "De link is onvolledig of gewijzigd. Gebruik de link uit de uitnodiging zoals hij is, of antwoord in je agenda.",
      en: "The link is incomplete or has been changed. Use the link from the invitation as it is, or answer in your calendar."
    })

const notInvitedPage = () =>
  page(404, { nl: "Uitnodiging niet gevonden", en: "Invitation not found" }, {
    nl: "Deze uitnodiging bestaat niet (meer).",
    en: "This invitation does not exist (any more)."
  })

const closedPage = () =>
  page(409, { nl: "Antwoorden kan niet meer", en: "Answers are closed" }, {
    nl: "Deze bijeenkomst neemt geen antwoorden meer aan (ze is gehouden of geannuleerd).",
    en: "This session no longer takes answers (it was held or cancelled)."
  })

const unavailablePage = () =>
  page(503, { nl: "Even niet beschikbaar", en: "Unavailable for a moment" }, {
    nl: "Het antwoord kon nu niet worden vastgelegd. Probeer het over een paar minuten opnieuw.",
    en: "The answer could not be recorded just now. Please try again in a few minutes."
  })

const isStorageError = (e: unknown): boolean => (e as { _tag?: unknown } | null)?._tag === "StorageError"

const when = (session: { readonly start?: Date | undefined; readonly timeZone: string }, language: "nl" | "en"): string => {
  if (session.start === undefined) return ""
  try {
    return new Intl.DateTimeFormat(language === "nl" ? "nl-NL" : "en-GB", {
      timeZone: session.timeZone,
      weekday: "long",
      day: "numeric",
      month: "long",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23"
    }).format(session.start)
  } catch {
    return session.start.toISOString()
  }
}

const sessionLine = (session: { readonly title: string; readonly start?: Date | undefined; readonly timeZone: string }, language: "nl" | "en") =>
  `<strong>${escape(session.title)}</strong>${session.start === undefined ? "" : `, ${escape(when(session, language))}`}`

/** The routes, with the services captured when the layer is built. */
export const layer = (
  signer: Links.LinkService | undefined
): Layer.Layer<never, never, Services.Services> =>
  HttpApiBuilder.Router.use((router) =>
    Effect.gen(function*() {
      const sessions = yield* Sessions.Sessions
      const programmes = yield* Programmes.Programmes
      const feeds = yield* Feeds.Feeds
      const renderer = yield* Effect.serviceOption(Calendar.CalendarRenderer)

      // a wildcard, not a `:token` parameter: the router refuses parameters longer than 100 characters
      const claimOf = (signer: Links.LinkService) =>
        Effect.gen(function*() {
          const token = (yield* HttpRouter.params)["*"] ?? ""
          const now = yield* Clock.currentTimeMillis
          return { claim: signer.verify(token, now) }
        })

      /** The session and the invitation a claim names, read by the link reader; `None` when either is gone. */
      const invitationOf = (claim: Links.AnswerClaim) =>
        sessions.get({ sessionId: claim.sessionId }).pipe(
          Actor.as(linkReader),
          Effect.map(({ value }) => {
            const invitation = value.invitations.find((i) => i.personId === claim.personId)
            return invitation === undefined ? Option.none() : Option.some({ session: value, invitation })
          }),
          Effect.catchIf((e) => e instanceof NotFound, () => Effect.succeed(Option.none()))
        )

      const confirmed = (session: { readonly title: string; readonly start?: Date | undefined; readonly timeZone: string }, answer: Links.LinkAnswer) =>
        page(200, { nl: "Dank je wel: je antwoord is vastgelegd", en: "Thank you: your answer is recorded" }, {
          nl: `Je antwoord op de uitnodiging voor ${sessionLine(session, "nl")}: <strong>${answerWords[answer].nl}</strong>.`,
          en: `Your answer to the invitation to ${sessionLine(session, "en")}: <strong>${answerWords[answer].en}</strong>.`
        })

      if (signer !== undefined) {
        // A GET records nothing (mail scanners follow links): it asks to confirm with a POST
        yield* router.get(
          "/links/answer/*",
          Effect.gen(function*() {
            const { claim } = yield* claimOf(signer)
            if (Either.isLeft(claim)) return refusedPage(claim.left)
            const found = yield* invitationOf(claim.right)
            if (Option.isNone(found)) return notInvitedPage()
            const { session } = found.value
            // a session moved to an earlier start: its old links end with the new start too
            if (started(session, yield* Clock.currentTimeMillis)) return expiredPage()
            const words = answerWords[claim.right.answer]
            // no action: the form posts to this very URL (whatever prefix the server is behind)
            const form = `<form method="post">` +
              `<button type="submit" style="font-size: 1.2em; padding: .5em 1em">${escape(words.nl)} / ${escape(words.en)}</button></form>`
            return page(200, { nl: "Bevestig je antwoord", en: "Confirm your answer" }, {
              nl: `Je antwoord op de uitnodiging voor ${sessionLine(session, "nl")}: <strong>${escape(words.nl)}</strong>. Klik op de knop om het vast te leggen.`,
              en: `Your answer to the invitation to ${sessionLine(session, "en")}: <strong>${escape(words.en)}</strong>. Press the button to record it.`
            }, form)
          }).pipe(
            Effect.catchIf(isStorageError, () => Effect.succeed(unavailablePage())),
            Effect.orDie,
            Effect.withSpan("GET /links/answer/*", { kind: "server", attributes: { "http.route": "/links/answer/*" } })
          )
        )

        // The POST records the answer once: following it again finds it recorded and shows the same page
        yield* router.post(
          "/links/answer/*",
          Effect.gen(function*() {
            const { claim } = yield* claimOf(signer)
            if (Either.isLeft(claim)) return refusedPage(claim.left)
            const c = claim.right
            for (let attempt = 0;; attempt++) {
              const found = yield* invitationOf(c)
              if (Option.isNone(found)) return notInvitedPage()
              const { invitation, session } = found.value
              if (invitation.answer === c.answer) return confirmed(session, c.answer)
              if (started(session, yield* Clock.currentTimeMillis)) return expiredPage()
              if (session.state !== "Invited") return closedPage()
              // the invitee answers as themselves, as a participant of their programme's region
              const programme = yield* programmes.get({ programmeId: invitation.programmeId }).pipe(Actor.as(linkReader))
              const actor = Actor.make({ _tag: "Participant", personId: c.personId, regionId: programme.value.regionId })
              const answered = yield* sessions.answer({ sessionId: c.sessionId, personId: c.personId, answer: c.answer }).pipe(
                Actor.as(actor),
                Effect.as(true),
                // answered at the same moment by another request: read again
                Effect.catchIf((e) => e instanceof ConcurrencyConflict && attempt < 3, () => Effect.succeed(false))
              )
              if (answered) return confirmed(session, c.answer)
            }
          }).pipe(
            Effect.catchTag("InvalidTransition", () => Effect.succeed(closedPage())),
            // the invitation withdrawn between the read and the answer
            Effect.catchTags({ RuleViolation: () => Effect.succeed(notInvitedPage()), Forbidden: () => Effect.succeed(notInvitedPage()) }),
            Effect.catchIf(isStorageError, () => Effect.succeed(unavailablePage())),
            Effect.orDie,
            Effect.withSpan("POST /links/answer/*", { kind: "server", attributes: { "http.route": "/links/answer/*" } })
          )
        )
      }

      const feedResponse = (token: string, programmeId: string | undefined) =>
        Effect.gen(function*() {
          if (Option.isNone(renderer)) return HttpServerResponse.text("Feeds are not served here\n", { status: 404, headers })
          const content = yield* feeds.feed(programmeId === undefined ? { token } : { token, programmeId }).pipe(Actor.as(feedReader))
          const ics = yield* renderer.value.feed(content.name, content.events)
          return HttpServerResponse.text(ics, {
            status: 200,
            contentType: "text/calendar; charset=utf-8",
            headers: { ...headers, "content-disposition": `inline; filename="${programmeId === undefined ? "copkit" : "programme"}.ics"` }
          })
        }).pipe(
          // an unknown, revoked or wrong token, a programme it does not open, or input that is no token: not found
          Effect.catchIf(
            (e) => e instanceof NotFound || (e as { _tag?: string })._tag === "ValidationError",
            () => Effect.succeed(HttpServerResponse.text("Not found\n", { status: 404, headers }))
          ),
          Effect.catchIf(isStorageError, () => Effect.succeed(HttpServerResponse.text("Unavailable, try again later\n", { status: 503, headers }))),
          Effect.orDie
        )

      /** The name of a `<name>.ics` path segment, percent-decoded; `undefined` for anything else. */
      const icsName = (file: string | undefined): string | undefined => {
        if (file === undefined || !file.endsWith(".ics")) return undefined
        try {
          return decodeURIComponent(file.slice(0, -4))
        } catch {
          return undefined
        }
      }
      const segment = (s: string): string | undefined => {
        try {
          return decodeURIComponent(s)
        } catch {
          return undefined
        }
      }

      yield* router.get(
        "/feeds/*",
        Effect.gen(function*() {
          const path = (yield* HttpRouter.params)["*"] ?? ""
          const programme = /^([^/]+)\/programmes\/([^/]+)$/.exec(path)
          if (programme !== null) {
            const programmeId = icsName(programme[2])
            const token = segment(programme[1]!)
            if (programmeId === undefined || token === undefined) return HttpServerResponse.text("Not found\n", { status: 404, headers })
            return yield* feedResponse(token, programmeId)
          }
          const token = path.includes("/") ? undefined : icsName(path)
          if (token === undefined) return HttpServerResponse.text("Not found\n", { status: 404, headers })
          return yield* feedResponse(token, undefined)
        }).pipe(
          Effect.withSpan("GET /feeds/*", { kind: "server", attributes: { "http.route": "/feeds/*" } })
        )
      )
    })
  ) as Layer.Layer<never, never, Services.Services>
