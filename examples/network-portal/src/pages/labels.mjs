// The words for copkit's states and kinds, in Dutch and English.

/** @type {Record<string, [string, string]>} */
const words = {
  // application and programme states, stages
  Draft: ["Concept", "Draft"],
  Submitted: ["Ingediend", "Submitted"],
  Exploring: ["Verkenning", "Exploring"],
  Accepted: ["Toegelaten", "Accepted"],
  Declined: ["Afgewezen", "Declined"],
  Withdrawn: ["Ingetrokken", "Withdrawn"],
  Intake: ["Instroom", "Intake"],
  CoDesign: ["Co-design", "Co-design"],
  Planned: ["Gepland", "Planned"],
  Running: ["Loopt", "Running"],
  Sessions: ["Bijeenkomsten", "Sessions"],
  FollowUp: ["Opvolging", "Follow-up"],
  Completed: ["Afgerond", "Completed"],
  Cancelled: ["Geannuleerd", "Cancelled"],
  Scheduled: ["Gepland", "Scheduled"],
  Invited: ["Uitgenodigd", "Invited"],
  Held: ["Gehouden", "Held"],
  Open: ["Open", "Open"],
  Closed: ["Gesloten", "Closed"],
  InProgress: ["Bezig", "In progress"],
  Done: ["Klaar", "Done"],
  Dropped: ["Vervallen", "Dropped"],
  Tentative: ["Misschien", "Tentative"],
  Published: ["Gepubliceerd", "Published"],
  // criteria
  EnergyAndEnthusiasm: ["Energie en enthousiasme", "Energy and enthusiasm"],
  AdministrativeDrive: ["Bestuurlijke drive", "Administrative drive"],
  Urgency: ["Urgentie", "Urgency"],
  EntrepreneurInvolvement: ["Betrokkenheid ondernemers", "Entrepreneurs involved"],
  PioneersAvailable: ["Voortrekkers beschikbaar", "Pioneers available"],
  CommitmentsConfirmed: ["Inzet regio bevestigd", "Region's commitments confirmed"],
  // helix
  Entrepreneur: ["Ondernemer", "Entrepreneur"],
  Government: ["Overheid", "Government"],
  Intermediary: ["Intermediair", "Intermediary"],
  Knowledge: ["Kennisinstelling", "Knowledge institution"],
  // work forms, session roles, scopes
  GuestExpert: ["Gast-expert", "Guest expert"],
  PracticeExample: ["Praktijkvoorbeeld", "Practice example"],
  Intervision: ["Intervisie", "Intervision"],
  InteractiveForm: ["Interactieve werkvorm", "Interactive form"],
  Simulation: ["Simulatie", "Simulation"],
  ProjectVisit: ["Projectbezoek", "Project visit"],
  KickOff: ["Aftrap", "Kick-off"],
  Regular: ["Bijeenkomst", "Regular session"],
  Closing: ["Slotbijeenkomst", "Closing session"],
  Regional: ["Regionaal", "Regional"],
  CrossRegional: ["Bovenregionaal", "Cross-regional"],
  WhatWorked: ["Wat werkte", "What worked"],
  Lesson: ["Les", "Lesson"],
  Region: ["Regio", "Region"],
  Network: ["Netwerk", "Network"],
  Public: ["Openbaar", "Public"]
}

/** The word for a copkit value in the page's language (the value itself when unknown). @param {{ lang: "nl" | "en" }} view @param {string | undefined} value */
export const label = (view, value) => {
  if (value === undefined) return "–"
  const word = words[value]
  return word === undefined ? value : word[view.lang === "en" ? 1 : 0]
}

/** Options of a select from a list of copkit values. @param {{ lang: "nl" | "en" }} view @param {ReadonlyArray<string>} values */
export const options = (view, values) => values.map((value) => ({ value, label: label(view, value) }))

/** A form value as one string. @param {string | Array<string> | undefined} value */
export const one = (value) => (Array.isArray(value) ? value[0] ?? "" : value ?? "")

/** A form value as a list. @param {string | Array<string> | undefined} value */
export const many = (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value])

/** Lines of a textarea, trimmed, without empty ones. @param {string | Array<string> | undefined} value */
export const lines = (value) => one(value).split(/\r?\n/).map((l) => l.trim()).filter(Boolean)

/** A number typed in a form: NaN when it is not one, so that copkit's decoder names the field. @param {string | Array<string> | undefined} value */
export const number = (value) => (one(value).trim() === "" ? Number.NaN : Number(one(value)))

/**
 * A `datetime-local` value (Dutch time) as an ISO instant; the text as typed when it is not one, so
 * that copkit's decoder names the field.
 * @param {string | Array<string> | undefined} value
 */
export const instant = (value) => {
  const text = one(value)
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(text)
  if (match === null) return text
  const [, y, mo, d, h, mi] = match.map(Number)
  // Europe/Amsterdam: try +01:00 and +02:00 and keep the one whose local time matches.
  for (const offset of [1, 2]) {
    const candidate = new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d, (h ?? 0) - offset, mi))
    const local = candidate.toLocaleString("sv-SE", { timeZone: "Europe/Amsterdam" }).slice(0, 16).replace(" ", "T")
    if (local === text) return candidate.toISOString()
  }
  return text
}

/** An instant as a `datetime-local` value in Dutch time. @param {Date | undefined} value */
export const localInput = (value) =>
  value === undefined ? "" : value.toLocaleString("sv-SE", { timeZone: "Europe/Amsterdam" }).slice(0, 16).replace(" ", "T")
