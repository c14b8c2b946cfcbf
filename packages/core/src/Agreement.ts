/**
 * An agreement made at the end of the programme: who does what, by when, for which measure; and
 * the pure rules of its life (`Open → InProgress → Done`, or `Dropped` with a reason). Each rule
 * returns the new agreement and the events of the change, or a typed error.
 *
 * @since 0.1.0
 */
import { Class } from "./internal/schemaClass.js"
import { Either, Schema } from "effect"
import type { Transitioned } from "./Command.js"
import { Instant, LocalDate, Line, Paragraph } from "./Common.js"
import { InvalidTransition, RuleViolation } from "./Errors.js"
import * as Events from "./Events.js"
import { AgreementStatus as InternalStatus } from "./internal/agreementStatus.js"
import { fixedValue } from "./internal/redaction.js"
import { AgreementId, MeasureId, PersonId, ProgrammeId, RegionId, SessionId } from "./Ids.js"
import type { Programme } from "./Programme.js"

/** `Open → InProgress → Done`, or `Dropped` with a reason. @category models */
export const AgreementStatus: typeof InternalStatus = InternalStatus
/** @category models */
export type AgreementStatus = typeof AgreementStatus.Type

/** A progress note. @category models */
export class ProgressNote extends Class<ProgressNote>("ProgressNote")({
  text: Paragraph,
  author: PersonId,
  at: Instant
}) {}

/** An agreement's owner: named with their organisation (never their address). @category models */
export const Owner = Schema.Struct({ personId: PersonId, name: Line, organisation: Line })
/** @category models */
export type Owner = typeof Owner.Type

/** An agreement ("vervolgafspraak"). @category models */
export class Agreement extends Class<Agreement>("Agreement")({
  id: AgreementId,
  programmeId: ProgrammeId,
  regionId: RegionId,
  action: Paragraph,
  owner: Owner,
  dueDate: LocalDate,
  measureId: Schema.optional(MeasureId),
  sessionId: Schema.optional(SessionId),
  status: AgreementStatus,
  droppedReason: Schema.optional(Paragraph),
  notes: Schema.Array(ProgressNote),
  /** The reminders already raised for this agreement (`due-7`, `overdue`): each is raised once. */
  remindersSent: Schema.optional(Schema.Array(Schema.String.annotations(fixedValue))),
  createdAt: Instant,
  updatedAt: Instant
}) {}

// ---------------------------------------------------------------------------------------------
// Pure rules
// ---------------------------------------------------------------------------------------------

/** The steps an agreement's status may take. @category rules */
export const statusSteps: Readonly<Record<AgreementStatus, ReadonlyArray<AgreementStatus>>> = {
  Open: ["InProgress", "Done", "Dropped"],
  InProgress: ["Done", "Dropped"],
  Done: [],
  Dropped: []
}

/** Whether an agreement is still to be done (`Open` or `InProgress`). @category rules */
export const isOpen = (agreement: Agreement): boolean => agreement.status === "Open" || agreement.status === "InProgress"

/** The programme states in which agreements and measures are recorded. @category constants */
export const openProgrammeStates: ReadonlyArray<Programme["state"]> = ["Planned", "Running", "FollowUp"]

/**
 * Whether a programme takes agreements (and measures) now; refused with the rule
 * `programme-open-for-agreements` otherwise.
 *
 * @category rules
 */
export const checkProgrammeOpen = (programme: Programme, what: "Agreements" | "Measures"): Either.Either<void, RuleViolation> =>
  openProgrammeStates.includes(programme.state)
    ? Either.void
    : Either.left(
      new RuleViolation({
        rule: "programme-open-for-agreements",
        message: `${what} are recorded while the programme is ${openProgrammeStates.join(", ")}; it is ${programme.state}.`,
        details: []
      })
    )

/** What a new agreement is made of (decoded input, owner resolved). @category models */
export interface AgreementFields {
  readonly id: AgreementId
  readonly action: string
  readonly owner: Owner
  readonly dueDate: LocalDate
  readonly measureId?: MeasureId | undefined
  readonly sessionId?: SessionId | undefined
}

/**
 * Records a new agreement of an open programme: `Open`, with the event `AgreementRecorded`.
 *
 * @category rules
 */
export const record = (
  programme: Programme,
  fields: AgreementFields,
  now: Date
): Either.Either<Transitioned<Agreement>, RuleViolation> =>
  Either.map(checkProgrammeOpen(programme, "Agreements"), () => {
    const value = new Agreement({
      id: fields.id,
      programmeId: programme.id,
      regionId: programme.regionId,
      action: fields.action,
      owner: fields.owner,
      dueDate: fields.dueDate,
      ...(fields.measureId === undefined ? {} : { measureId: fields.measureId }),
      ...(fields.sessionId === undefined ? {} : { sessionId: fields.sessionId }),
      status: "Open",
      notes: [],
      createdAt: now,
      updatedAt: now
    })
    return {
      value,
      events: [
        Events.AgreementRecorded.make({
          agreementId: value.id,
          programmeId: programme.id,
          ownerId: fields.owner.personId,
          ...(fields.measureId === undefined ? {} : { measureId: fields.measureId }),
          ...(fields.sessionId === undefined ? {} : { sessionId: fields.sessionId })
        })
      ]
    }
  })

/**
 * Moves an agreement to another status: `Open → InProgress → Done`, or `Dropped` (with a reason,
 * rule `drop-reason-required`) from either open status. Returns the agreement and its
 * `AgreementStatusChanged` event.
 *
 * @category rules
 */
export const changeStatus = (
  agreement: Agreement,
  to: AgreementStatus,
  now: Date,
  reason?: string
): Either.Either<Transitioned<Agreement>, InvalidTransition | RuleViolation> => {
  if (!statusSteps[agreement.status].includes(to)) {
    return Either.left(
      new InvalidTransition({
        entity: "Agreement",
        id: agreement.id,
        from: agreement.status,
        to,
        reason: statusSteps[agreement.status].length === 0
          ? `a ${agreement.status.toLowerCase()} agreement is final`
          : `only ${statusSteps[agreement.status].join(" or ")} may follow ${agreement.status}`
      })
    )
  }
  if (to === "Dropped" && (reason === undefined || reason.trim() === "")) {
    return Either.left(new RuleViolation({ rule: "drop-reason-required", message: "An agreement is dropped with a reason.", details: [] }))
  }
  return Either.right({
    value: new Agreement({
      ...agreement,
      status: to,
      ...(to === "Dropped" && reason !== undefined ? { droppedReason: reason } : {}),
      updatedAt: now
    }),
    events: [Events.AgreementStatusChanged.make({ agreementId: agreement.id, from: agreement.status, to })]
  })
}

/** Adds a progress note, with its `AgreementNoteAdded` event. Notes may be added in any status: what happened after is worth keeping too. @category rules */
export const addNote = (agreement: Agreement, note: ProgressNote): Transitioned<Agreement> => ({
  value: new Agreement({ ...agreement, notes: [...agreement.notes, note], updatedAt: note.at }),
  events: [Events.AgreementNoteAdded.make({ agreementId: agreement.id, author: note.author })]
})

/** Changes an agreement's action, owner, due date or measure, only while it is open; with its `AgreementUpdated` event. @category rules */
export const revise = (
  agreement: Agreement,
  changes: {
    readonly action?: string | undefined
    readonly owner?: Owner | undefined
    readonly dueDate?: LocalDate | undefined
    readonly measureId?: MeasureId | undefined
  },
  now: Date
): Either.Either<Transitioned<Agreement>, InvalidTransition> =>
  isOpen(agreement)
    ? Either.right({
      value: new Agreement({
        ...agreement,
        ...(changes.action === undefined ? {} : { action: changes.action }),
        ...(changes.owner === undefined ? {} : { owner: changes.owner }),
        ...(changes.dueDate === undefined ? {} : { dueDate: changes.dueDate, remindersSent: [] }),
        ...(changes.measureId === undefined ? {} : { measureId: changes.measureId }),
        updatedAt: now
      }),
      events: [Events.AgreementUpdated.make({ agreementId: agreement.id })]
    })
    : Either.left(
      new InvalidTransition({
        entity: "Agreement",
        id: agreement.id,
        from: agreement.status,
        to: agreement.status,
        reason: "only an open agreement can be revised"
      })
    )
