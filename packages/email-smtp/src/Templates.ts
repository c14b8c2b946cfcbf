/**
 * The message templates: core's `MessageTemplates` port for every kind of message, in Dutch
 * (the default) and English. Each message is written once as a list of blocks and rendered twice,
 * as plain text and as HTML, so the two always say the same. Dates and times are given in the
 * session's time zone (Europe/Amsterdam unless the session says otherwise); every value put into
 * the HTML is escaped.
 *
 * @since 0.1.0
 */
import { Effect, Layer } from "effect"
import { Common, Notification } from "@copkit/core"
import { escapeHtml, safeUrl } from "./internal/html.js"

/** One part of a message body. @category models */
export type Block =
  | { readonly _tag: "Paragraph"; readonly text: string }
  | { readonly _tag: "Details"; readonly rows: ReadonlyArray<readonly [label: string, value: string]> }
  | { readonly _tag: "List"; readonly title: string; readonly items: ReadonlyArray<string> }
  | { readonly _tag: "Link"; readonly label: string; readonly url: string }

/** A message before rendering: the one source of its text and its HTML. @category models */
export interface Document {
  readonly language: Common.Language
  readonly subject: string
  readonly greeting: string
  readonly blocks: ReadonlyArray<Block>
  readonly closing: ReadonlyArray<string>
}

type Language = Common.Language

const locales: Record<Language, string> = { nl: "nl-NL", en: "en-GB" }

const formats = new Map<string, Intl.DateTimeFormat>()

/** One formatter per locale, zone and options, made once: building one costs far more than using it. */
const formatter = (locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat => {
  const key = `${locale}|${JSON.stringify(options)}`
  let f = formats.get(key)
  if (f === undefined) {
    f = new Intl.DateTimeFormat(locale, options)
    if (formats.size < 1_000) formats.set(key, f)
  }
  return f
}

const zones = new Map<string, string>()

const zoneOrDefault = (timeZone: string): string => {
  const known = zones.get(timeZone)
  if (known !== undefined) return known
  let zone: string
  try {
    new Intl.DateTimeFormat("en", { timeZone })
    zone = timeZone
  } catch {
    zone = Common.defaultTimeZone
  }
  if (zones.size < 1_000) zones.set(timeZone, zone)
  return zone
}

/**
 * Formatting of one kind for a language and zone, looked up without building a key from the
 * options; the texts of the last instants formatted are kept (the invitations of one session to
 * many people format the same instants again and again, and formatting costs far more than a look-up).
 */
const byZone = (options: Intl.DateTimeFormatOptions, format: (f: Intl.DateTimeFormat, date: Date) => string) => {
  const kinds = new Map<string, { readonly f: Intl.DateTimeFormat; readonly texts: Map<number, string> }>()
  return (date: Date, timeZone: string, language: Language): string => {
    const key = `${language}|${timeZone}`
    let kind = kinds.get(key)
    if (kind === undefined) {
      kind = { f: formatter(locales[language], { ...options, timeZone: zoneOrDefault(timeZone) }), texts: new Map() }
      if (kinds.size < 1_000) kinds.set(key, kind)
    }
    const at = date.getTime()
    let text = kind.texts.get(at)
    if (text === undefined) {
      text = format(kind.f, date)
      if (kind.texts.size >= 256) kind.texts.clear()
      kind.texts.set(at, text)
    }
    return text
  }
}

/** A date as `donderdag 4 maart 2027` / `Thursday 4 March 2027`, in the given zone. @category formatting */
export const formatDate: (date: Date, timeZone: string, language: Language) => string = byZone(
  { weekday: "long", day: "numeric", month: "long", year: "numeric" },
  (f, date) => f.format(date)
)

/** A time as `14:30`, in the given zone. @category formatting */
export const formatTime: (date: Date, timeZone: string, language: Language) => string = byZone(
  { hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
  (f, date) => f.format(date)
)

/** The zone's short name at an instant (`CET`, `GMT+1`); the zone itself when it has none. */
const zoneName = (date: Date, timeZone: string, language: Language): string => {
  const name = zoneNameOrEmpty(date, timeZone, language)
  return name === "" ? timeZone : name
}
const zoneNameOrEmpty = byZone(
  { timeZoneName: "short" },
  (f, date) => f.formatToParts(date).find((p) => p.type === "timeZoneName")?.value ?? ""
)

/** A calendar date (`YYYY-MM-DD`, no zone) as `4 maart 2027` / `4 March 2027`. @category formatting */
export const formatLocalDate = (date: string, language: Language): string => {
  const [y, m, d] = date.split("-").map(Number)
  return formatter(locales[language], { timeZone: "UTC", day: "numeric", month: "long", year: "numeric" })
    .format(new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)))
}

/** A subject line: one line, whitespace collapsed, at most 200 characters. */
const oneLine = (s: string): string => {
  const flat = s.replace(/\s+/g, " ").trim()
  return flat.length <= 200 ? flat : `${flat.slice(0, 199)}…`
}

interface Words {
  readonly greeting: (name: string) => string
  readonly closing: string
  readonly date: string
  readonly time: string
  readonly place: string
  readonly format: Record<"Online" | "Hybrid", string>
  readonly join: string
  readonly host: string
  readonly agenda: string
  readonly minutes: string
  readonly open: string
  readonly action: string
  readonly due: string
  readonly reason: string
  readonly on: string
  readonly answer: string
  readonly accept: string
  readonly tentative: string
  readonly decline: string
  readonly feed: string
}

const words: Record<Language, Words> = {
  nl: {
    greeting: (name) => `Beste ${name},`,
    closing: "Met vriendelijke groet,",
    date: "Datum",
    time: "Tijd",
    place: "Locatie",
    format: { Online: "Online", Hybrid: "Op locatie en online" },
    join: "Online deelnemen",
    host: "Gastheer/gastvrouw",
    agenda: "Programma",
    minutes: "min",
    open: "Bekijk de details",
    action: "Afspraak",
    due: "Uiterlijk",
    reason: "Reden",
    on: "op",
    answer: "Laat met één klik weten of je komt:",
    accept: "Ik kom",
    tentative: "Misschien",
    decline: "Ik kom niet",
    feed: "Al je bijeenkomsten in je agenda (abonneren)"
  },
  en: {
    greeting: (name) => `Dear ${name},`,
    closing: "Kind regards,",
    date: "Date",
    time: "Time",
    place: "Place",
    format: { Online: "Online", Hybrid: "On site and online" },
    join: "Join online",
    host: "Host",
    agenda: "Agenda",
    minutes: "min",
    open: "See the details",
    action: "Agreement",
    due: "Due",
    reason: "Reason",
    on: "on",
    answer: "Let us know with one click whether you will come:",
    accept: "I will come",
    tentative: "Maybe",
    decline: "I cannot come",
    feed: "All your sessions in your calendar (subscribe)"
  }
}

const sessionBlocks = (n: Notification.Notification, w: Words): ReadonlyArray<Block> => {
  const s = n.session
  if (s === undefined) return []
  const language = n.recipient.language
  const rows: Array<readonly [string, string]> = [
    [w.date, formatDate(s.start, s.timeZone, language)],
    [
      w.time,
      `${formatTime(s.start, s.timeZone, language)} – ${formatTime(s.end, s.timeZone, language)} (${
        zoneName(s.start, s.timeZone, language)
      })`
    ]
  ]
  const venue = s.venue !== undefined && s.venue.trim() !== "" ? s.venue : undefined
  if (s.format === "Online") rows.push([w.place, w.format.Online])
  else if (s.format === "Hybrid") rows.push([w.place, venue === undefined ? w.format.Hybrid : `${venue} (${w.format.Hybrid.toLowerCase()})`])
  else if (venue !== undefined) rows.push([w.place, venue])
  if (s.host !== undefined) rows.push([w.host, s.host])
  const blocks: Array<Block> = [{ _tag: "Details", rows }]
  // the join link: in invitations and updates, never in a cancellation
  if (s.joinUrl !== undefined && n.kind !== "Cancellation") blocks.push({ _tag: "Link", label: w.join, url: s.joinUrl })
  if (s.agenda.length > 0) {
    blocks.push({ _tag: "List", title: w.agenda, items: s.agenda.map((a) => `${a.title} (${a.minutes} ${w.minutes})`) })
  }
  if (s.url !== undefined) blocks.push({ _tag: "Link", label: w.open, url: s.url })
  return blocks
}

/** The answer links (when the host serves them) and the person's feed link (when they have one). */
const linkBlocks = (n: Notification.Notification, w: Words): ReadonlyArray<Block> => {
  const blocks: Array<Block> = []
  const a = n.answerLinks
  if (a !== undefined && n.kind !== "Cancellation") {
    blocks.push(
      { _tag: "Paragraph", text: w.answer },
      { _tag: "Link", label: w.accept, url: a.accept },
      { _tag: "Link", label: w.tentative, url: a.tentative },
      { _tag: "Link", label: w.decline, url: a.decline }
    )
  }
  if (n.feedUrl !== undefined && n.kind !== "Cancellation") blocks.push({ _tag: "Link", label: w.feed, url: n.feedUrl })
  return blocks
}

const agreementBlocks = (n: Notification.Notification, w: Words): ReadonlyArray<Block> => {
  const a = n.agreement
  if (a === undefined) return []
  const blocks: Array<Block> = [{
    _tag: "Details",
    rows: [[w.action, a.action], [w.due, formatLocalDate(a.dueDate, n.recipient.language)]]
  }]
  if (a.url !== undefined) blocks.push({ _tag: "Link", label: w.open, url: a.url })
  return blocks
}

const p = (text: string): Block => ({ _tag: "Paragraph", text })

/** The content of each kind of message, per language. */
const content = (n: Notification.Notification): { readonly subject: string; readonly blocks: ReadonlyArray<Block> } => {
  const language = n.recipient.language
  const w = words[language]
  const nl = language === "nl"
  const title = n.session?.title ?? n.programmeName
  const when = n.session === undefined ? "" : ` ${w.on} ${formatDate(n.session.start, n.session.timeZone, language)}`
  const session = sessionBlocks(n, w)
  const programme = n.programmeName
  switch (n.kind) {
    case "Invitation":
      return {
        subject: nl ? `Uitnodiging: ${title}${when}` : `Invitation: ${title}${when}`,
        blocks: [
          p(nl
            ? `Je bent uitgenodigd voor een bijeenkomst van ${programme}.`
            : `You are invited to a session of ${programme}.`),
          ...session,
          p(nl
            ? "De uitnodiging zit als agenda-item bij dit bericht. Laat je weten of je komt door haar in je agenda te accepteren of af te wijzen?"
            : "The invitation is attached as a calendar item. Please let us know whether you will come by accepting or declining it in your calendar.")
        ]
      }
    case "Update":
      return {
        subject: nl ? `Gewijzigd: ${title}${when}` : `Changed: ${title}${when}`,
        blocks: [
          p(nl
            ? `Een bijeenkomst van ${programme} is gewijzigd. Dit zijn de nieuwe gegevens:`
            : `A session of ${programme} has changed. These are the new details:`),
          ...session,
          p(nl
            ? "Het bijgevoegde agenda-item werkt je agenda bij."
            : "The attached calendar item updates your calendar.")
        ]
      }
    case "Cancellation": {
      const reason = n.session?.cancellationReason
      return {
        subject: nl ? `Geannuleerd: ${title}${when}` : `Cancelled: ${title}${when}`,
        blocks: [
          p(nl
            ? `Deze bijeenkomst van ${programme} gaat niet door.`
            : `This session of ${programme} has been cancelled.`),
          ...session,
          ...(reason === undefined ? [] : [{ _tag: "Details", rows: [[w.reason, reason]] } as const]),
          p(nl
            ? "Het bijgevoegde agenda-item haalt de bijeenkomst uit je agenda."
            : "The attached calendar item removes the session from your calendar.")
        ]
      }
    }
    case "Reminder":
      return {
        subject: nl ? `Herinnering: ${title}${when}` : `Reminder: ${title}${when}`,
        blocks: [
          p(nl
            ? `Een herinnering: binnenkort is de bijeenkomst van ${programme}. We zien je graag.`
            : `A reminder: the session of ${programme} is coming up. We look forward to seeing you.`),
          ...session
        ]
      }
    case "AnswerReminder":
      return {
        subject: nl ? `Kom je? ${title}${when}` : `Will you come? ${title}${when}`,
        blocks: [
          p(nl
            ? `Je hebt nog niet laten weten of je komt naar deze bijeenkomst van ${programme}.`
            : `You have not yet let us know whether you will come to this session of ${programme}.`),
          ...session,
          p(nl
            ? "Wil je de uitnodiging in je agenda accepteren of afwijzen? Dan weten we op hoeveel mensen we kunnen rekenen."
            : "Please accept or decline the invitation in your calendar, so that we know how many people to expect.")
        ]
      }
    case "ApplicationReceived":
      return {
        subject: nl ? `Aanmelding ontvangen: ${programme}` : `Application received: ${programme}`,
        blocks: [
          p(nl
            ? `Dank je wel: we hebben de aanmelding van ${programme} voor het kennisnetwerk ontvangen.`
            : `Thank you: we have received the application of ${programme} to join the knowledge network.`),
          p(nl
            ? "We nemen contact op voor een verkenningsgesprek met jou en de sleutelpersonen van de regio."
            : "We will be in touch to plan an exploratory conversation with you and the region's key persons.")
        ]
      }
    case "ExplorationInvitation":
      return {
        subject: nl ? `Uitnodiging verkenningsgesprek: ${programme}${when}` : `Invitation to an exploratory conversation: ${programme}${when}`,
        blocks: [
          p(nl
            ? `Graag spreken we met jou en de sleutelpersonen over de aanmelding van ${programme}: waar zit de energie, wat wil de regio bereiken?`
            : `We would like to talk with you and the key persons about the application of ${programme}: where is the energy, what does the region want to achieve?`),
          ...session,
          p(nl
            ? "De uitnodiging zit als agenda-item bij dit bericht."
            : "The invitation is attached as a calendar item.")
        ]
      }
    case "ExplorationUpdate":
      return {
        subject: nl ? `Verkenningsgesprek verplaatst: ${programme}${when}` : `Exploratory conversation moved: ${programme}${when}`,
        blocks: [
          p(nl
            ? `Het verkenningsgesprek over de aanmelding van ${programme} is verplaatst. Dit zijn de nieuwe gegevens:`
            : `The exploratory conversation about the application of ${programme} has moved. These are the new details:`),
          ...session,
          p(nl ? "Het bijgevoegde agenda-item werkt je agenda bij." : "The attached calendar item updates your calendar.")
        ]
      }
    case "ExplorationCancellation":
      return {
        subject: nl ? `Verkenningsgesprek gaat niet door: ${programme}` : `Exploratory conversation cancelled: ${programme}`,
        blocks: [
          p(nl
            ? `De aanmelding van ${programme} is ingetrokken; het verkenningsgesprek gaat daarom niet door.`
            : `The application of ${programme} was withdrawn, so the exploratory conversation will not take place.`),
          ...session,
          p(nl
            ? "Het bijgevoegde agenda-item haalt het gesprek uit je agenda."
            : "The attached calendar item removes the conversation from your calendar.")
        ]
      }
    case "ApplicationAccepted":
    case "ApplicationDeclined": {
      const accepted = n.kind === "ApplicationAccepted"
      const reason = n.decision?.reason
      return {
        subject: accepted
          ? (nl ? `Aanmelding aangenomen: ${programme}` : `Application accepted: ${programme}`)
          : (nl ? `Besluit over de aanmelding: ${programme}` : `Decision on the application: ${programme}`),
        blocks: [
          p(accepted
            ? (nl
              ? `Goed nieuws: ${programme} doet mee aan het kennisnetwerk. We gaan samen met de sleutelpersonen het programma vormgeven.`
              : `Good news: ${programme} joins the knowledge network. Together with the key persons we will now shape the programme.`)
            : (nl
              ? `We hebben besloten de aanmelding van ${programme} nu niet aan te nemen.`
              : `We have decided not to accept the application of ${programme} at this time.`)),
          ...(reason === undefined ? [] : [{ _tag: "Details", rows: [[w.reason, reason]] } as const]),
          ...(n.calendarMethod === "CANCEL"
            ? [p(nl
              ? "Het verkenningsgesprek gaat daarom niet door; het bijgevoegde agenda-item haalt het uit je agenda."
              : "The exploratory conversation will therefore not take place; the attached calendar item removes it from your calendar.")]
            : [])
        ]
      }
    }
    case "TaskDue":
    case "TaskOverdue": {
      const t = n.task
      const overdue = n.kind === "TaskOverdue"
      const what = t?.title ?? (nl ? "Een taak" : "A task")
      const deadline = t === undefined ? "" : formatDate(t.deadline, t.timeZone, language)
      return {
        subject: overdue
          ? (nl ? `Taak over tijd: ${what} (${programme})` : `Task overdue: ${what} (${programme})`)
          : (nl ? `Taak loopt bijna af: ${what} (${programme})` : `Task due soon: ${what} (${programme})`),
        blocks: [
          p(overdue
            ? (nl
              ? `De termijn van deze taak voor ${programme} is verstreken en ze staat nog open.`
              : `The deadline of this task for ${programme} has passed and it is still open.`)
            : (nl
              ? `Binnenkort verloopt de termijn van deze taak voor ${programme}.`
              : `The deadline of this task for ${programme} is coming up.`)),
          {
            _tag: "Details" as const,
            rows: [
              [nl ? "Taak" : "Task", what],
              ...(t?.sessionTitle === undefined ? [] : [[nl ? "Bijeenkomst" : "Session", t.sessionTitle] as const]),
              [w.due, deadline]
            ]
          },
          p(nl
            ? "Is de taak al gedaan? Vink haar af, dan weet iedereen het."
            : "Done already? Tick it off so that everyone knows.")
        ]
      }
    }
    case "MissedSessions": {
      const a = n.absence
      const who = a === undefined
        ? (nl ? "Een deelnemer" : "A participant")
        : a.participant.organisation === undefined
        ? a.participant.name
        : `${a.participant.name} (${a.participant.organisation})`
      const count = a?.sessions.length ?? 0
      return {
        subject: nl
          ? `${who} miste ${count} bijeenkomsten op rij: ${programme}`
          : `${who} missed ${count} sessions in a row: ${programme}`,
        blocks: [
          p(nl
            ? `${who} was niet bij de laatste ${count} bijeenkomsten van ${programme}.`
            : `${who} was not at the last ${count} sessions of ${programme}.`),
          ...(a === undefined || a.sessions.length === 0 ? [] : [{
            _tag: "List" as const,
            title: nl ? "Gemist" : "Missed",
            items: a.sessions.map((s) => `${s.title}, ${formatDate(s.start, s.timeZone, language)}`)
          }]),
          p(nl
            ? "Actieve deelname maakt de leergemeenschap: neem contact op om te horen wat er speelt."
            : "Active participation is what makes the community: get in touch to hear what is going on.")
        ]
      }
    }
    case "AgreementDue": {
      const due = n.agreement === undefined ? "" : ` (${formatLocalDate(n.agreement.dueDate, language)})`
      return {
        subject: nl ? `Afspraak loopt bijna af${due}: ${programme}` : `Agreement due soon${due}: ${programme}`,
        blocks: [
          p(nl
            ? `Binnenkort verloopt de termijn van een afspraak die in ${programme} is gemaakt.`
            : `The deadline of an agreement made in ${programme} is coming up.`),
          ...agreementBlocks(n, w),
          p(nl
            ? "Is de afspraak al nagekomen? Laat het weten, dan werken we de stand bij."
            : "Has the agreement been kept? Let us know and we will update its status.")
        ]
      }
    }
    case "AgreementOverdue": {
      const due = n.agreement === undefined ? "" : ` (${formatLocalDate(n.agreement.dueDate, language)})`
      return {
        subject: nl ? `Afspraak verlopen${due}: ${programme}` : `Agreement overdue${due}: ${programme}`,
        blocks: [
          p(nl
            ? `De termijn van een afspraak uit ${programme} is verstreken.`
            : `The deadline of an agreement from ${programme} has passed.`),
          ...agreementBlocks(n, w),
          p(nl
            ? "Wil je laten weten hoe het ervoor staat, of een nieuwe datum voorstellen?"
            : "Please let us know where things stand, or propose a new date.")
        ]
      }
    }
    case "EvaluationRequest": {
      const s = n.session
      const ev = n.evaluation
      const held = s === undefined ? "" : ` (${formatDate(s.start, s.timeZone, language)})`
      const count = ev?.questions
      return {
        subject: nl ? `Hoe was het? ${title}${held}` : `How was it? ${title}${held}`,
        blocks: [
          p(nl
            ? `Dank je wel voor je komst naar de bijeenkomst van ${programme}. Wil je haar kort evalueren?${
              count === undefined ? "" : ` Het zijn ${count} korte vragen.`
            }`
            : `Thank you for coming to the session of ${programme}. Would you evaluate it briefly?${
              count === undefined ? "" : ` It takes ${count} short questions.`
            }`),
          ...(ev?.url === undefined ? [] : [{ _tag: "Link" as const, label: nl ? "Naar de evaluatie" : "To the evaluation", url: ev.url }]),
          p(nl
            ? "Je antwoorden worden alleen samengevoegd getoond, vanaf een minimum aantal antwoorden: niemand ziet wat jij hebt ingevuld."
            : "Your answers are only shown combined with others, from a minimum number of answers: nobody sees what you filled in.")
        ]
      }
    }
    case "FollowUpCheckIn": {
      const months = n.monthsAfterClosing
      return {
        subject: nl
          ? `Hoe gaat het? ${programme}${months === undefined ? "" : `, ${months} maanden later`}`
          : `How are things? ${programme}${months === undefined ? "" : `, ${months} months on`}`,
        blocks: [
          p(nl
            ? `${
              months === undefined ? "Enige tijd" : `${months} maanden`
            } geleden is ${programme} afgerond. We zijn benieuwd wat er sindsdien is gebeurd met de afspraken en maatregelen.`
            : `${
              months === undefined ? "Some time" : `${months} months`
            } ago ${programme} came to a close. We would like to hear what has happened since with the agreements and measures.`),
          ...agreementBlocks(n, w),
          ...(n.openAgreements === undefined || n.openAgreements.length === 0
            ? []
            : [{ _tag: "List" as const, title: nl ? "Open afspraken" : "Open agreements", items: n.openAgreements }]),
          p(nl
            ? "Leg per open afspraak en per maatregel vast hoe het ervoor staat: gerealiseerd, op koers, vertraagd of gestopt."
            : "Record for each open agreement and each measure where it stands: achieved, on track, delayed or stopped."),
          p(nl
            ? "Beantwoord dit bericht met een korte stand van zaken; we nemen contact op als er iets nodig is."
            : "Reply to this message with a short update; we will get in touch if anything is needed.")
        ]
      }
    }
  }
}

/** The document of a notification, before rendering. @category constructors */
export const document = (n: Notification.Notification): Document => {
  const { blocks, subject } = content(n)
  const w = words[n.recipient.language]
  return {
    language: n.recipient.language,
    subject: oneLine(subject),
    greeting: w.greeting(n.recipient.name),
    blocks: [...blocks, ...linkBlocks(n, w)],
    closing: [w.closing, n.organizer.name, n.programmeName]
  }
}

const textBlock = (b: Block): string => {
  switch (b._tag) {
    case "Paragraph":
      return b.text
    case "Details": {
      const width = Math.max(...b.rows.map(([label]) => label.length))
      return b.rows.map(([label, value]) => `${`${label}:`.padEnd(width + 2)}${value}`).join("\n")
    }
    case "List":
      return [`${b.title}:`, ...b.items.map((i) => `- ${i}`)].join("\n")
    case "Link":
      return `${b.label}: ${b.url}`
  }
}

/** The plain-text body. @category rendering */
export const toText = (d: Document): string =>
  [d.greeting, ...d.blocks.map(textBlock), d.closing.join("\n")].join("\n\n") + "\n"

const html = (s: string) => escapeHtml(s).replace(/\r?\n/g, "<br>")

const htmlBlock = (b: Block): string => {
  switch (b._tag) {
    case "Paragraph":
      return `<p>${html(b.text)}</p>`
    case "Details":
      return `<table role="presentation" cellpadding="4" cellspacing="0">${
        b.rows.map(([label, value]) => `<tr><th align="left" valign="top">${html(label)}</th><td>${html(value)}</td></tr>`)
          .join("")
      }</table>`
    case "List":
      return `<p>${html(b.title)}</p><ul>${b.items.map((i) => `<li>${html(i)}</li>`).join("")}</ul>`
    case "Link": {
      const href = safeUrl(b.url)
      return href === undefined
        ? `<p>${html(b.label)}: ${html(b.url)}</p>`
        : `<p><a href="${escapeHtml(href)}">${html(b.label)}</a></p>`
    }
  }
}

/** The HTML body: every value escaped. @category rendering */
export const toHtml = (d: Document): string =>
  `<!doctype html>\n<html lang="${d.language}"><head><meta charset="utf-8"><title>${html(d.subject)}</title></head>` +
  `<body style="font-family: sans-serif; line-height: 1.5">\n<p>${html(d.greeting)}</p>\n${
    d.blocks.map(htmlBlock).join("\n")
  }\n<p>${d.closing.map(html).join("<br>")}</p>\n</body></html>\n`

/** Renders a notification in its recipient's language: subject, text and HTML. @category rendering */
export const render = (n: Notification.Notification): Notification.RenderedMessage => {
  const d = document(n)
  return { subject: d.subject, text: toText(d), html: toHtml(d) }
}

/**
 * The templates as core's MessageTemplates port.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { Services } from "@copkit/core"
 * import { FileMailer, Templates } from "@copkit/email-smtp"
 * import { ICalendar } from "@copkit/calendar-ical"
 * import { Memory } from "@copkit/testing"
 *
 * // what the notifications need besides storage: templates (Dutch by default), a mailer, a calendar renderer
 * const notifications = Services.layerNotifications.pipe(
 *   Layer.provide(Layer.mergeAll(Templates.layer, FileMailer.layer({ directory: "./outbox" }), ICalendar.layer)),
 *   Layer.provide(Memory.layer)
 * )
 * ```
 *
 * @category layers
 */
export const layer: Layer.Layer<Notification.MessageTemplates> = Layer.succeed(Notification.MessageTemplates, {
  render: (n) => Effect.sync(() => render(n))
})
