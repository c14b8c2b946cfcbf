/**
 * The words, names and escapes of the report renderers. Not API.
 *
 * @internal
 */
import { DateTime } from "luxon"
import type { Language } from "../Common.js"
import type { Session } from "../Session.js"

/** Sessions by start (undated last), then by id. */
export const byStart = (a: Session, b: Session) =>
  (a.start?.getTime() ?? Number.MAX_SAFE_INTEGER) - (b.start?.getTime() ?? Number.MAX_SAFE_INTEGER) || (a.id < b.id ? -1 : 1)

/** Escapes text for Markdown: punctuation that could format, link or open HTML is backslash-escaped, line breaks become spaces. */
export const escapeMarkdown = (text: string): string =>
  text.replace(/[\\`*_{}[\]()<>#+!|~&-]/g, (c) => `\\${c}`).replace(/\r\n|\r|\n/g, " ")

/** Escapes text for HTML content and attribute values. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" })[c]!)

/** The labels of the renderers: Dutch by default, English available. */
export const labels = {
  nl: {
    title: "Programmaverslag",
    generated: "Opgesteld op",
    state: "Fase",
    summary: "In het kort",
    item: "Onderdeel",
    value: "Stand",
    sessionsHeld: "Bijeenkomsten gehouden",
    attendance: "Opkomst",
    participants: "Deelnemers",
    participantAttendance: "Opkomst per deelnemer",
    materials: "Materialen",
    tasksOpen: "Taken open",
    organisation: "Organisatie",
    presentAt: "Aanwezig",
    missedInARow: "Laatst gemist op rij",
    agreementsDone: "Afspraken afgerond",
    insights: "Inzichten",
    goals: "Doelen en wat ervan terechtkwam",
    intendedResults: "Beoogde resultaten",
    whoIsNeeded: "Wie is er nodig",
    whoCanContribute: "Wie kan bijdragen",
    plan: "Het plan",
    role: "Rol",
    theme: "Thema",
    goal: "Doel",
    outcome: "Uitkomst",
    sessions: "Bijeenkomsten",
    date: "Datum",
    session: "Bijeenkomst",
    present: "aanwezig",
    of: "van",
    themes: "Thema's",
    scope: "Reikwijdte",
    votes: "Stemmen",
    agreements: "Afspraken",
    action: "Actie",
    owner: "Eigenaar",
    due: "Uiterlijk",
    status: "Status",
    measure: "Maatregel",
    measures: "Maatregelen",
    organisations: "Organisaties",
    overdue: "te laat",
    none: "Geen.",
    notes: "notities",
    dropped: "Reden",
    noDate: "nog geen datum",
    evaluation: "Evaluatie",
    answers: "antwoorden",
    verdicts: "Oordeel per beoogd resultaat",
    result: "Beoogd resultaat",
    verdict: "Oordeel",
    note: "Toelichting",
    indicators: "Indicatoren",
    indicator: "Indicator",
    baseline: "Nulmeting",
    latest: "Laatste meting",
    target: "Streefwaarde",
    progress: "Voortgang",
    checkIns: "Terugblik na afronding",
    monthsLater: "maanden later",
    outcomes: "Stand"
  },
  en: {
    title: "Programme report",
    generated: "Generated on",
    state: "Stage",
    summary: "Summary",
    item: "Item",
    value: "Value",
    sessionsHeld: "Sessions held",
    attendance: "Attendance",
    participants: "Participants",
    participantAttendance: "Attendance per participant",
    materials: "Materials",
    tasksOpen: "Tasks open",
    organisation: "Organisation",
    presentAt: "Present",
    missedInARow: "Missed in a row (latest)",
    agreementsDone: "Agreements done",
    insights: "Insights",
    goals: "Goals against what happened",
    intendedResults: "Intended results",
    whoIsNeeded: "Who is needed",
    whoCanContribute: "Who can contribute",
    plan: "The plan",
    role: "Role",
    theme: "Theme",
    goal: "Goal",
    outcome: "Outcome",
    sessions: "Sessions",
    date: "Date",
    session: "Session",
    present: "present",
    of: "of",
    themes: "Themes",
    scope: "Scope",
    votes: "Votes",
    agreements: "Agreements",
    action: "Action",
    owner: "Owner",
    due: "Due",
    status: "Status",
    measure: "Measure",
    measures: "Measures",
    organisations: "Organisations",
    overdue: "overdue",
    none: "None.",
    notes: "notes",
    dropped: "Reason",
    noDate: "no date yet",
    evaluation: "Evaluation",
    answers: "answers",
    verdicts: "Verdict per intended result",
    result: "Intended result",
    verdict: "Verdict",
    note: "Note",
    indicators: "Indicators",
    indicator: "Indicator",
    baseline: "Baseline",
    latest: "Latest",
    target: "Target",
    progress: "Progress",
    checkIns: "Check-ins after closing",
    monthsLater: "months later",
    outcomes: "Outcome"
  }
} as const

export const stateNames: Record<Language, Record<string, string>> = {
  nl: {
    Slides: "Presentatie",
    Case: "Casus",
    Recording: "Opname",
    Document: "Document",
    Link: "Link",
    Open: "Open",
    InProgress: "Bezig",
    Done: "Afgerond",
    Dropped: "Vervallen",
    NotScheduled: "Niet gepland",
    Draft: "Concept",
    Scheduled: "Gepland",
    Invited: "Uitgenodigd",
    Held: "Gehouden",
    Cancelled: "Afgelast",
    KickOff: "Aftrap",
    Regular: "Bijeenkomst",
    Closing: "Afsluiting",
    Regional: "Regionaal",
    CrossRegional: "Bovenregionaal",
    WhatWorked: "Wat werkte",
    PracticeExample: "Praktijkvoorbeeld",
    Lesson: "Les",
    CoDesign: "Samen ontwerpen",
    Planned: "Gepland",
    Running: "Lopend",
    FollowUp: "Vervolg",
    Completed: "Afgerond",
    Withdrawn: "Teruggetrokken",
    Reached: "Bereikt",
    Partly: "Deels bereikt",
    NotReached: "Niet bereikt",
    Achieved: "Gerealiseerd",
    OnTrack: "Op koers",
    Delayed: "Vertraagd",
    Stopped: "Gestopt"
  },
  en: {}
}

export const name = (language: Language, key: string): string => stateNames[language][key] ?? key.replace(/([a-z])([A-Z])/g, "$1 $2")

export const percent = (r: number | undefined): string => (r === undefined ? "–" : `${Math.round(r * 100)}%`)

export const day = (iso: string | undefined, language: Language, fallback: string): string =>
  iso === undefined
    ? fallback
    : DateTime.fromISO(iso, { zone: "Europe/Amsterdam" }).setLocale(language === "nl" ? "nl-NL" : "en-GB").toLocaleString(DateTime.DATE_MED)
