/**
 * Descriptors of the stored entities (aggregates): their schema, id and the columns storage keeps
 * beside the document so that other teams can query them with SQL.
 *
 * @since 0.1.0
 */
import type { Schema } from "effect"
import { Agreement } from "./Agreement.js"
import { Application } from "./Application.js"
import { DirectoryEntry, erase as eraseDirectoryEntry } from "./Directory.js"
import { Enrolment } from "./Enrolment.js"
import { erase as eraseFeedToken, FeedToken } from "./FeedToken.js"
import { erase as eraseAnswer, EvaluationAnswer } from "./Evaluation.js"
import { Insight } from "./Insight.js"
import { IntakeRound } from "./IntakeRound.js"
import { Measure } from "./Measure.js"
import { Programme } from "./Programme.js"
import { Session } from "./Session.js"

/** The columns kept beside an entity's document. @category models */
export interface EntityIndex {
  readonly state: string
  readonly regionIds: ReadonlyArray<string>
  readonly programmeIds: ReadonlyArray<string>
  /** Everyone the entity names (for a person's data export, erasure and visibility). */
  readonly personIds: ReadonlyArray<string>
  /** The entity's own date, if it has one (a session's start, an agreement's due date). */
  readonly date?: Date | undefined
  readonly createdAt: Date
  readonly updatedAt: Date
}

/** What storage needs to know of an entity kind. @category models */
export interface EntityKind<A, I = unknown> {
  /** The kind's name, as `Application`. */
  readonly name: string
  /** The table (or collection) name, without prefix, as `applications`. */
  readonly table: string
  readonly schema: Schema.Schema<A, I>
  readonly idOf: (value: A) => string
  readonly index: (value: A) => EntityIndex
  /** What an erasure of these people leaves of a value, beyond the generic redaction (evaluation answers lose their content). */
  readonly erase?: ((value: A, personIds: ReadonlySet<string>) => A) | undefined
}

const unique = (ids: ReadonlyArray<string>): ReadonlyArray<string> => [...new Set(ids)]

/** @category kinds */
export const ApplicationKind: EntityKind<Application, typeof Application.Encoded> = {
  name: "Application",
  table: "applications",
  schema: Application,
  idOf: (a) => a.id,
  index: (a) => ({
    state: a.state,
    regionIds: [a.region.id],
    programmeIds: a.programmeId ? [a.programmeId] : [],
    personIds: unique([a.contact, ...a.keyPersons, ...a.administrators, ...a.entrepreneurs].map((p) => p.id)),
    date: a.exploration?.at,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt
  })
}

/** @category kinds */
export const ProgrammeKind: EntityKind<Programme, typeof Programme.Encoded> = {
  name: "Programme",
  table: "programmes",
  schema: Programme,
  idOf: (p) => p.id,
  index: (p) => ({
    state: p.state,
    regionIds: [p.regionId],
    programmeIds: [p.id],
    // the core team, and whoever a task of the plan is assigned to
    personIds: unique([
      ...p.coreTeam.map((m) => m.person.id),
      ...p.plan.flatMap((i) => i.checklist.flatMap((t) => (t.assignee === undefined ? [] : [t.assignee.id])))
    ]),
    date: p.planApprovedAt,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt
  })
}

/** @category kinds */
export const SessionKind: EntityKind<Session, typeof Session.Encoded> = {
  name: "Session",
  table: "sessions",
  schema: Session,
  idOf: (s) => s.id,
  index: (s) => ({
    state: s.state,
    regionIds: unique(s.regionIds),
    programmeIds: unique(s.programmeIds),
    personIds: unique(s.invitations.map((i) => i.personId)),
    date: s.start,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt
  })
}

/** @category kinds */
export const EnrolmentKind: EntityKind<Enrolment, typeof Enrolment.Encoded> = {
  name: "Enrolment",
  table: "enrolments",
  schema: Enrolment,
  idOf: (e) => e.id,
  index: (e) => ({
    state: e.status,
    regionIds: [e.regionId],
    programmeIds: [e.programmeId],
    personIds: [e.person.id],
    createdAt: e.enrolledAt,
    updatedAt: e.leftAt ?? e.enrolledAt
  })
}

/** @category kinds */
export const InsightKind: EntityKind<Insight, typeof Insight.Encoded> = {
  name: "Insight",
  table: "insights",
  schema: Insight,
  idOf: (i) => i.id,
  index: (i) => ({
    state: i.kind,
    regionIds: [i.regionId],
    programmeIds: [i.programmeId],
    personIds: [i.author],
    date: i.recordedAt,
    createdAt: i.recordedAt,
    updatedAt: i.recordedAt
  })
}

/** @category kinds */
export const AgreementKind: EntityKind<Agreement, typeof Agreement.Encoded> = {
  name: "Agreement",
  table: "agreements",
  schema: Agreement,
  idOf: (a) => a.id,
  index: (a) => ({
    state: a.status,
    regionIds: [a.regionId],
    programmeIds: [a.programmeId],
    personIds: unique([a.owner.personId, ...a.notes.map((n) => n.author)]),
    date: new Date(`${a.dueDate}T00:00:00Z`),
    createdAt: a.createdAt,
    updatedAt: a.updatedAt
  })
}

/** @category kinds */
export const MeasureKind: EntityKind<Measure, typeof Measure.Encoded> = {
  name: "Measure",
  table: "measures",
  schema: Measure,
  idOf: (m) => m.id,
  index: (m) => ({
    state: "Active",
    regionIds: [m.regionId],
    programmeIds: [m.programmeId],
    personIds: [],
    createdAt: m.createdAt,
    updatedAt: m.updatedAt
  })
}

/** @category kinds */
export const IntakeRoundKind: EntityKind<IntakeRound, typeof IntakeRound.Encoded> = {
  name: "IntakeRound",
  table: "intake_rounds",
  schema: IntakeRound,
  idOf: (r) => r.id,
  index: (r) => ({
    state: r.state,
    regionIds: [],
    programmeIds: [],
    personIds: [],
    date: r.deadline,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt
  })
}

/** An evaluation answer: personal data, its content erased with the person. @category kinds */
export const EvaluationKind: EntityKind<EvaluationAnswer, typeof EvaluationAnswer.Encoded> = {
  name: "EvaluationAnswer",
  table: "evaluations",
  schema: EvaluationAnswer,
  idOf: (a) => a.id,
  index: (a) => ({
    state: a.state,
    regionIds: [a.regionId],
    programmeIds: [a.programmeId],
    personIds: [a.personId],
    createdAt: a.answeredAt,
    updatedAt: a.answeredAt
  }),
  erase: eraseAnswer
}

/** An entry of the opt-in directory: personal data, cleared with the person. @category kinds */
export const DirectoryKind: EntityKind<DirectoryEntry, typeof DirectoryEntry.Encoded> = {
  name: "DirectoryEntry",
  table: "directory_entries",
  schema: DirectoryEntry,
  idOf: (e) => e.id,
  index: (e) => ({
    state: e.state,
    regionIds: e.regionId === undefined ? [] : [e.regionId],
    programmeIds: [],
    personIds: [e.personId],
    createdAt: e.createdAt,
    updatedAt: e.updatedAt
  }),
  erase: eraseDirectoryEntry
}

/** A person's private feed token: personal data, revoked and its secret removed with the person. @category kinds */
export const FeedTokenKind: EntityKind<FeedToken, typeof FeedToken.Encoded> = {
  name: "FeedToken",
  table: "feed_tokens",
  schema: FeedToken,
  idOf: (t) => t.id,
  index: (t) => ({
    state: t.state,
    regionIds: [],
    programmeIds: [],
    personIds: [t.personId],
    createdAt: t.issuedAt,
    updatedAt: t.revokedAt ?? t.issuedAt
  }),
  erase: eraseFeedToken
}

/** Every entity kind, for adapters that create their tables up front. @category kinds */
export const kinds: ReadonlyArray<EntityKind<any, any>> = [
  IntakeRoundKind,
  ApplicationKind,
  ProgrammeKind,
  SessionKind,
  EnrolmentKind,
  InsightKind,
  AgreementKind,
  MeasureKind,
  EvaluationKind,
  DirectoryKind,
  FeedTokenKind
]
