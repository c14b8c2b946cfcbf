// The dispatcher benchmark's scenarios, bundled by bench/dispatcher.bench.mjs into bench/.out/ from
// the packages' sources (the "@copkit/source" condition). Not a test.
//
//   node bench/.out/dispatcher.scenarios.mjs sink
//     a loopback `smtp-server` that takes every message (reads its data, answers 250); prints its
//     port on the first line and runs until killed. It runs in a process of its own so that its
//     CPU is not counted with the client's.
//   node --expose-gc bench/.out/dispatcher.scenarios.mjs client <port>
//     copkit and raw nodemailer sending to that server, in interleaved rounds (alternating which
//     goes first); one JSON line per round, `{ side, messages, seconds, perSecond, cpuMicrosPerMessage }`.
//
// copkit: `Dispatcher.make(...).runOnce` until no event is left, over the in-memory store (a fresh
// one per round, seeded before the clock starts: one event per message, one invitation each), the
// real templates (`Templates.layer`), the real iCalendar renderer (`ICalendar.layer`) and
// `SmtpMailer` pooled with `maxConnections` = the dispatcher's `concurrency`.
// raw: one pooled nodemailer transport with the same `maxConnections`, the same number of sends in
// flight, the same recipients and invitations: the .ics rendered per message with
// `@copkit/calendar-ical`'s `renderInvitation`, the subject, text and HTML from a template literal.
//
// Settings (environment): COPKIT_BENCH_DISPATCHER_ROUNDS (rounds per side, default 7),
// COPKIT_BENCH_DISPATCHER_MESSAGES (messages per round, default 300), COPKIT_BENCH_DISPATCHER_CONCURRENCY
// (default the dispatcher's default, 5), COPKIT_BENCH_DISPATCHER_ONLY (copkit or raw: that side's rounds
// alone, to profile it).
import { performance } from "node:perf_hooks"
import { Effect, Layer, ManagedRuntime, Schema } from "effect"
import { Calendar, Dispatcher, Notification, Settings } from "../packages/core/src/index.ts"
import { SmtpMailer, Templates } from "../packages/email-smtp/src/index.ts"
import { ICalendar } from "../packages/calendar-ical/src/index.ts"
import { Fixtures, Memory } from "../packages/testing/src/index.ts"
import nodemailer from "nodemailer"
import { SMTPServer } from "smtp-server"

const mode = process.argv[2]

// --- the server --------------------------------------------------------------------------------

if (mode === "sink") {
  let received = 0
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    maxClients: 1000,
    onData(stream, _session, callback) {
      stream.on("data", () => undefined)
      stream.on("end", () => {
        received++
        callback()
      })
    }
  })
  server.listen(0, "127.0.0.1", () => console.log(String(server.server.address().port)))
  process.on("SIGTERM", () => {
    console.error(`sink: ${received} messages received`)
    process.exit(0)
  })
}

// --- the client --------------------------------------------------------------------------------

if (mode === "client") {
  const port = Number(process.argv[3])
  const rounds = Number(process.env.COPKIT_BENCH_DISPATCHER_ROUNDS ?? 7)
  const messages = Number(process.env.COPKIT_BENCH_DISPATCHER_MESSAGES ?? 300)
  const concurrency = Number(process.env.COPKIT_BENCH_DISPATCHER_CONCURRENCY ?? Dispatcher.defaultDispatcherSettings.concurrency)
  const from = { name: "Copkit", address: "noreply@copkit.example" }
  const options = { consumer: "bench", from }

  const session = {
    uid: "ses_1@copkit.example",
    sequence: 0,
    title: "Sessie 1: inspiratie",
    start: "2027-03-04T13:30:00Z",
    end: "2027-03-04T16:30:00Z",
    timeZone: "Europe/Amsterdam",
    venue: "Stadhuis Utrecht, Stadsplateau 1",
    host: "Gemeente Utrecht",
    agenda: [{ title: "Welkom", minutes: 15 }, { title: "Inspiratie uit Twente", minutes: 45 }, { title: "Aan de slag", minutes: 90 }]
  }
  const organizer = { name: "Joost Bakker", email: "j.bakker@provincie-utrecht.nl" }
  const recipient = (i) => ({
    personId: `per_b${i}`,
    name: `Deelnemer ${i}`,
    email: `deelnemer${i}@bedrijf${i % 50}.nl`,
    language: i % 4 === 3 ? "en" : "nl"
  })

  // copkit: the notifications the source says each event calls for, filled in per round
  const decodeNotification = Schema.decodeUnknownSync(Notification.Notification)
  const wanted = new Map()
  const source = Layer.succeed(Notification.NotificationSource, {
    forEvent: (event) => Effect.succeed(wanted.get(event.id) ?? [])
  })
  const runtime = ManagedRuntime.make(
    Layer.mergeAll(
      source,
      Templates.layer,
      ICalendar.layer,
      SmtpMailer.layer({ host: "127.0.0.1", port, pool: true, maxConnections: concurrency }),
      Settings.layer({ dispatcher: { concurrency } })
    )
  )
  let roundNo = 0
  const copkitRound = (count) => {
    const round = ++roundNo
    return runtime.runPromise(
      Effect.gen(function*() {
        wanted.clear()
        for (let i = 0; i < count; i++) {
          const event = yield* Fixtures.appendEvent({ id: `evt_b${round}x${i}`, occurredAt: new Date("2027-02-01T09:00:00Z") })
          wanted.set(event.id, [decodeNotification({
            kind: "Invitation",
            eventId: event.id,
            recipient: recipient(i),
            programmeName: "Regio Utrecht",
            organizer,
            session,
            calendarMethod: "REQUEST"
          })])
        }
        const dispatcher = yield* Dispatcher.make(options)
        return yield* measure(count, Effect.gen(function*() {
          let sent = 0
          for (;;) {
            const report = yield* dispatcher.runOnce
            sent += report.sent
            if (report.claimed === 0) break
            if (report.sent + report.skipped < report.claimed) throw new Error(`a batch did not send all: ${JSON.stringify(report)}`)
          }
          if (sent !== count) throw new Error(`copkit sent ${sent} of ${count}`)
        }))
      }).pipe(Effect.provide(Memory.layerStorage))
    )
  }

  // raw: a pooled nodemailer transport, the same sends in flight
  const transport = nodemailer.createTransport({ host: "127.0.0.1", port, secure: false, pool: true, maxConnections: concurrency })
  const stamp = new Date("2027-02-01T09:00:00Z")
  const calendarEventFields = {
    uid: session.uid,
    sequence: session.sequence,
    summary: session.title,
    description: session.agenda.map((a) => `- ${a.title} (${a.minutes} min)`).join("\n"),
    location: session.venue,
    host: session.host,
    start: new Date(session.start),
    end: new Date(session.end),
    timeZone: session.timeZone,
    organizer,
    status: "CONFIRMED",
    alarmsMinutesBefore: [24 * 60],
    stamp
  }
  // The same subject, text and HTML the copkit templates write (checked below, before any round),
  // from template literals and formatters made once, as a hand-written sender would.
  const formats = {
    nl: {
      date: new Intl.DateTimeFormat("nl-NL", { timeZone: session.timeZone, weekday: "long", day: "numeric", month: "long", year: "numeric" }),
      words: { subject: "Uitnodiging", on: "op", dear: "Beste", invited: "Je bent uitgenodigd voor een bijeenkomst van", date: "Datum", time: "Tijd", place: "Locatie", host: "Gastheer/gastvrouw", agenda: "Programma", attached: "De uitnodiging zit als agenda-item bij dit bericht. Laat je weten of je komt door haar in je agenda te accepteren of af te wijzen?", regards: "Met vriendelijke groet," }
    },
    en: {
      date: new Intl.DateTimeFormat("en-GB", { timeZone: session.timeZone, weekday: "long", day: "numeric", month: "long", year: "numeric" }),
      words: { subject: "Invitation", on: "on", dear: "Dear", invited: "You are invited to a session of", date: "Date", time: "Time", place: "Place", host: "Host", agenda: "Agenda", attached: "The invitation is attached as a calendar item. Please let us know whether you will come by accepting or declining it in your calendar.", regards: "Kind regards," }
    }
  }
  const clock = new Intl.DateTimeFormat("nl-NL", { timeZone: session.timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
  const zone = new Intl.DateTimeFormat("en-GB", { timeZone: session.timeZone, timeZoneName: "short" })
  const escape = (s) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
  const calendarEvents = {
    nl: new Calendar.CalendarEvent({ ...calendarEventFields, language: "nl" }),
    en: new Calendar.CalendarEvent({ ...calendarEventFields, language: "en" })
  }
  const rawContent = (i) => {
    const r = recipient(i)
    const { date: dateFormat, words: w } = formats[r.language]
    const event = calendarEvents[r.language]
    const date = dateFormat.format(event.start)
    const zoneName = zone.formatToParts(event.start).find((p) => p.type === "timeZoneName").value
    const time = `${clock.format(event.start)} – ${clock.format(event.end)} (${zoneName})`
    const rows = [[w.date, date], [w.time, time], [w.place, session.venue], [w.host, session.host]]
    const width = Math.max(...rows.map(([label]) => label.length)) + 2
    const agenda = session.agenda.map((a) => `${a.title} (${a.minutes} min)`)
    const subject = `${w.subject}: ${session.title} ${w.on} ${date}`
    const signature = [organizer.name, "Regio Utrecht"]
    return {
      r,
      event,
      subject,
      text: [`${w.dear} ${r.name},`, "", `${w.invited} Regio Utrecht.`, "", ...rows.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`), "", `${w.agenda}:`, ...agenda.map((a) => `- ${a}`), "", w.attached, "", w.regards, ...signature, ""].join("\n"),
      html: `<!doctype html>\n<html lang="${r.language}"><head><meta charset="utf-8"><title>${escape(subject)}</title></head><body style="font-family: sans-serif; line-height: 1.5">\n<p>${escape(`${w.dear} ${r.name},`)}</p>\n<p>${escape(`${w.invited} Regio Utrecht.`)}</p>\n<table role="presentation" cellpadding="4" cellspacing="0">${rows.map(([label, value]) => `<tr><th align="left" valign="top">${escape(label)}</th><td>${escape(value)}</td></tr>`).join("")}</table>\n<p>${w.agenda}</p><ul>${agenda.map((a) => `<li>${escape(a)}</li>`).join("")}</ul>\n<p>${escape(w.attached)}</p>\n<p>${escape(w.regards)}<br>${signature.map(escape).join("<br>")}</p>\n</body></html>\n`
    }
  }
  const rawMessage = (i, attendee, round) => {
    const { r, event, subject, text, html } = rawContent(i)
    const ics = ICalendar.renderInvitation(event, attendee, "REQUEST")
    return {
      messageId: `<raw.${round}.${i}@copkit.example>`,
      from,
      to: [{ name: r.name, address: r.email }],
      replyTo: { name: organizer.name, address: organizer.email },
      subject,
      text,
      html,
      headers: { "Content-Language": r.language },
      icalEvent: { method: "REQUEST", content: ics, filename: "invite.ics" },
      disableFileAccess: true,
      disableUrlAccess: true
    }
  }
  // the raw side sends what copkit sends: the same subject, text and HTML for every language
  for (let i = 0; i < 4; i++) {
    const copkit = Templates.render(decodeNotification({ kind: "Invitation", eventId: "evt_check", recipient: recipient(i), programmeName: "Regio Utrecht", organizer, session, calendarMethod: "REQUEST" }))
    const raw = rawContent(i)
    for (const part of ["subject", "text", "html"]) {
      if (copkit[part] !== raw[part]) throw new Error(`the raw ${part} differs from copkit's for recipient ${i}:\n${JSON.stringify(raw[part])}\n${JSON.stringify(copkit[part])}`)
    }
  }
  const rawRound = async (count) => {
    const round = ++roundNo
    const attendees = Array.from({ length: count }, (_, i) => {
      const r = recipient(i)
      return new Calendar.CalendarAttendee({ name: r.name, email: r.email, answer: "NeedsAction" })
    })
    return measure(count, Effect.promise(async () => {
      let next = 0
      let sent = 0
      const worker = async () => {
        while (next < count) {
          const i = next++
          const info = await transport.sendMail(rawMessage(i, attendees[i], round))
          if (info.accepted.length === 1) sent++
        }
      }
      await Promise.all(Array.from({ length: concurrency }, worker))
      if (sent !== count) throw new Error(`raw sent ${sent} of ${count}`)
    })).pipe(Effect.runPromise)
  }

  /** Wall time and this process's CPU (user + system) of `work`, after a full collection. */
  function measure(count, work) {
    return Effect.gen(function*() {
      globalThis.gc?.()
      const started = performance.now()
      const cpu = process.cpuUsage()
      yield* work
      const used = process.cpuUsage(cpu)
      const seconds = (performance.now() - started) / 1000
      return {
        messages: count,
        seconds,
        perSecond: Math.round(count / seconds),
        cpuMicrosPerMessage: Math.round((used.user + used.system) / count)
      }
    })
  }

  // warm up both sides (connections, JIT), then interleave
  await copkitRound(Math.min(100, messages))
  await rawRound(Math.min(100, messages))
  const only = process.env.COPKIT_BENCH_DISPATCHER_ONLY
  for (let round = 0; round < rounds; round++) {
    const order = (round % 2 === 0 ? ["copkit", "raw"] : ["raw", "copkit"]).filter((s) => only === undefined || s === only)
    for (const side of order) {
      const result = side === "copkit" ? await copkitRound(messages) : await rawRound(messages)
      console.log(JSON.stringify({ side, ...result }))
    }
  }
  transport.close()
  await runtime.dispose()
}
