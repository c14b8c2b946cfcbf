/**
 * A region's application to join the network ("verkenning deelname"): the model, its states and
 * the pure rules of the intake. Each transition returns the new application *and its events* (a
 * `Command.Transitioned`) or a typed error; the `Intake` service only loads, decides and commits.
 *
 * @since 0.1.0
 */
import { Class } from "./internal/schemaClass.js"
import { Either, Schema } from "effect"
import type { Transitioned } from "./Command.js"
import { Instant, Line, Paragraph } from "./Common.js"
import type { DomainEvent } from "./Events.js"
import { InvalidTransition, RuleViolation } from "./Errors.js"
import { ApplicationId, PersonId, ProgrammeId, RoundId } from "./Ids.js"
import { helixCoverage, Person } from "./Person.js"
import { Region } from "./Region.js"

/** `Draft → Submitted → Exploring → Accepted | Declined`, and `Withdrawn` from any open state. @category models */
export const ApplicationState = Schema.Literal("Draft", "Submitted", "Exploring", "Accepted", "Declined", "Withdrawn")
/** @category models */
export type ApplicationState = typeof ApplicationState.Type

/** The states in which an application is still open. @category constants */
export const openStates: ReadonlyArray<ApplicationState> = ["Draft", "Submitted", "Exploring"]

/** What the region commits to. Each must be confirmed before the region is ready. @category models */
export class Commitments extends Class<Commitments>("Commitments")({
  /** Venue hire ("zaalhuur"). */
  venue: Schema.Boolean,
  catering: Schema.Boolean,
  /** Selecting and inviting the participants. */
  participantSelection: Schema.Boolean,
  activeParticipation: Schema.Boolean,
  /** Following up actions and measures. */
  followUp: Schema.Boolean
}) {}

/** The names of the commitments, in display order. @category constants */
export const commitmentKeys = ["venue", "catering", "participantSelection", "activeParticipation", "followUp"] as const

/** The criteria the coordinator assesses. @category models */
export const Criterion = Schema.Literal(
  "EnergyAndEnthusiasm",
  "AdministrativeDrive",
  "Urgency",
  "EntrepreneurInvolvement",
  "PioneersAvailable",
  "CommitmentsConfirmed"
)
/** @category models */
export type Criterion = typeof Criterion.Type
/** Every criterion. @category constants */
export const criteria: ReadonlyArray<Criterion> = Criterion.literals

/** A score from 1 (weak) to 5 (strong). @category models */
export const Score = Schema.Int.pipe(Schema.between(1, 5, { message: () => "must be a whole number from 1 to 5" }))

/** One criterion's assessment. @category models */
export class CriterionAssessment extends Class<CriterionAssessment>("CriterionAssessment")({
  criterion: Criterion,
  score: Score,
  note: Paragraph,
  assessedBy: PersonId,
  assessedAt: Instant
}) {}

/** The exploratory conversation ("verkenningsgesprek"). @category models */
export class Exploration extends Class<Exploration>("Exploration")({
  at: Instant,
  location: Schema.optional(Line),
  note: Schema.optional(Paragraph),
  /** How long the conversation takes (the calendar invitation's end). */
  durationMinutes: Schema.optionalWith(Schema.Int.pipe(Schema.between(15, 480)), { default: () => 90 }),
  /** The iCalendar SEQUENCE of its invitation: raised each time the conversation moves. */
  sequence: Schema.optionalWith(Schema.Int.pipe(Schema.nonNegative()), { default: () => 0 })
}) {}

/** The coordinator's decision, with its reason. @category models */
export class Decision extends Class<Decision>("Decision")({
  outcome: Schema.Literal("Accepted", "Declined"),
  reason: Paragraph,
  decidedBy: PersonId,
  decidedAt: Instant
}) {}

/** The parts of an application the region writes. @category models */
export const ApplicationContent = Schema.Struct({
  region: Region,
  contact: Person,
  /** Where the energy is, what the region wants to achieve for its SMEs. */
  motivation: Paragraph,
  /** Why good SME support matters now. */
  urgency: Paragraph,
  /** Named administrators who back the application ("bestuurlijke drive"): a plus, not required. */
  administrators: Schema.Array(Person).pipe(Schema.maxItems(20)),
  /** Entrepreneurs who take part: indispensable. */
  entrepreneurs: Schema.Array(Person).pipe(Schema.maxItems(50)),
  entrepreneurInvolvement: Schema.optional(Paragraph),
  /** The proposed key persons (3-4), with their helix roles. */
  keyPersons: Schema.Array(Person).pipe(Schema.maxItems(12)),
  commitments: Commitments
})

/** A region's application. @category models */
export class Application extends Class<Application>("Application")({
  id: ApplicationId,
  ...ApplicationContent.fields,
  state: ApplicationState,
  exploration: Schema.optional(Exploration),
  assessment: Schema.Array(CriterionAssessment),
  decision: Schema.optional(Decision),
  withdrawal: Schema.optional(Schema.Struct({ reason: Paragraph, at: Instant })),
  programmeId: Schema.optional(ProgrammeId),
  /** The intake round it applies in, if any. */
  roundId: Schema.optional(RoundId),
  createdAt: Instant,
  updatedAt: Instant,
  submittedAt: Schema.optional(Instant)
}) {}

// ---------------------------------------------------------------------------------------------
// Readiness
// ---------------------------------------------------------------------------------------------

/** A thing the readiness summary flags. `blocking` findings make the region not (yet) ready. @category models */
export interface Finding {
  readonly code:
    | "no-entrepreneur-involvement"
    | "no-administrator-named"
    | "commitments-not-confirmed"
    | "too-few-key-persons"
    | "too-many-key-persons"
    | "helix-role-missing"
    | "criterion-not-assessed"
    | "criterion-below-threshold"
  readonly blocking: boolean
  readonly message: string
  readonly criterion?: Criterion
}

/** Thresholds of the readiness summary. @category models */
export interface ReadinessSettings {
  readonly minKeyPersons: number
  readonly maxKeyPersons: number
  /** A criterion scored below this is flagged; for the criteria in `essential` the flag blocks. */
  readonly minimumScore: number
  /** Criteria the region cannot do without. */
  readonly essential: ReadonlyArray<Criterion>
  /** Weights of the overall score; energy and enthusiasm count most ("het belangrijkste"). */
  readonly weights: Readonly<Record<Criterion, number>>
}

/** The default thresholds. @category constants */
export const defaultReadinessSettings: ReadinessSettings = {
  minKeyPersons: 3,
  maxKeyPersons: 4,
  minimumScore: 3,
  essential: ["EnergyAndEnthusiasm", "EntrepreneurInvolvement", "CommitmentsConfirmed"],
  weights: {
    EnergyAndEnthusiasm: 3,
    AdministrativeDrive: 1,
    Urgency: 1.5,
    EntrepreneurInvolvement: 2,
    PioneersAvailable: 1.5,
    CommitmentsConfirmed: 1.5
  }
}

/** What the readiness summary says. @category models */
export interface Readiness {
  /** True when no finding blocks. The decision stays the coordinator's. */
  readonly ready: boolean
  /** The weighted mean of the scores given so far (1-5), or undefined before any. */
  readonly score: number | undefined
  readonly assessed: ReadonlyArray<Criterion>
  readonly findings: ReadonlyArray<Finding>
}

/** The latest assessment of each criterion. @category rules */
export const latestAssessment = (application: Application): ReadonlyMap<Criterion, CriterionAssessment> => {
  const map = new Map<Criterion, CriterionAssessment>()
  for (const a of application.assessment) map.set(a.criterion, a)
  return map
}

const criterionLabel: Record<Criterion, string> = {
  EnergyAndEnthusiasm: "energy and enthusiasm",
  AdministrativeDrive: "administrative drive",
  Urgency: "urgency",
  EntrepreneurInvolvement: "entrepreneur involvement",
  PioneersAvailable: "pioneers available",
  CommitmentsConfirmed: "commitments confirmed"
}

/** Computes the readiness summary of an application. A pure function. @category rules */
export const readiness = (application: Application, settings: ReadinessSettings = defaultReadinessSettings): Readiness => {
  const findings: Array<Finding> = []
  const hasEntrepreneurs = application.entrepreneurs.length > 0 ||
    application.keyPersons.some((p) => p.helixRole === "Entrepreneur")
  if (!hasEntrepreneurs) {
    findings.push({
      code: "no-entrepreneur-involvement",
      blocking: true,
      message: "No entrepreneurs are named: the programme cannot do without their involvement."
    })
  }
  if (application.administrators.length === 0) {
    findings.push({
      code: "no-administrator-named",
      blocking: false,
      message: "No administrator is named: administrative drive is a plus, and administrators are expected at kick-off and closing."
    })
  }
  const unconfirmed = commitmentKeys.filter((k) => !application.commitments[k])
  if (unconfirmed.length > 0) {
    findings.push({
      code: "commitments-not-confirmed",
      blocking: true,
      message: `Commitments not confirmed: ${unconfirmed.join(", ")}.`
    })
  }
  const n = application.keyPersons.length
  if (n < settings.minKeyPersons) {
    findings.push({
      code: "too-few-key-persons",
      blocking: true,
      message: `${n} key person(s) proposed; at least ${settings.minKeyPersons} are needed.`
    })
  } else if (n > settings.maxKeyPersons) {
    findings.push({
      code: "too-many-key-persons",
      blocking: false,
      message: `${n} key persons proposed; ${settings.minKeyPersons} to ${settings.maxKeyPersons} work best.`
    })
  }
  for (const role of helixCoverage(application.keyPersons).missing) {
    findings.push({
      code: "helix-role-missing",
      blocking: false,
      message: `No key person from the ${role} helix.`
    })
  }
  const latest = latestAssessment(application)
  let weighted = 0
  let weightSum = 0
  for (const criterion of criteria) {
    const a = latest.get(criterion)
    if (a === undefined) {
      findings.push({
        code: "criterion-not-assessed",
        blocking: true,
        criterion,
        message: `The criterion ${criterionLabel[criterion]} has not been assessed.`
      })
      continue
    }
    weighted += a.score * settings.weights[criterion]
    weightSum += settings.weights[criterion]
    if (a.score < settings.minimumScore) {
      findings.push({
        code: "criterion-below-threshold",
        blocking: settings.essential.includes(criterion),
        criterion,
        message: `The criterion ${criterionLabel[criterion]} scored ${a.score}, below ${settings.minimumScore}.`
      })
    }
  }
  return {
    ready: findings.every((f) => !f.blocking),
    score: weightSum === 0 ? undefined : Math.round((weighted / weightSum) * 100) / 100,
    assessed: criteria.filter((c) => latest.has(c)),
    findings
  }
}

// ---------------------------------------------------------------------------------------------
// Transitions: pure functions of state and input
// ---------------------------------------------------------------------------------------------

/**
 * The next state of an application. Its fields come from a stored application and decoded input,
 * and every store encodes (and so checks) a value before it writes it: validating here again would
 * only cost time on every command.
 */
const rebuild = (fields: ConstructorParameters<typeof Application>[0]): Application =>
  new Application(fields, { disableValidation: true })

/** The application with its one event. */
const decided = (value: Application, event: DomainEvent): Transitioned<Application> => ({ value, events: [event] })

/** A new draft application of the region's content. @category transitions */
export const create = (
  id: ApplicationId,
  content: typeof ApplicationContent.Type,
  now: Date
): Transitioned<Application> =>
  decided(
    rebuild({ id, ...content, state: "Draft", assessment: [], createdAt: now, updatedAt: now }),
    { _tag: "ApplicationCreated", applicationId: id, regionId: content.region.id }
  )

const refuse = (application: Application, to: string, reason: string) =>
  Either.left(
    new InvalidTransition({ entity: "Application", id: application.id, from: application.state, to, reason })
  )

const inState = (
  application: Application,
  allowed: ReadonlyArray<ApplicationState>,
  to: string
): Either.Either<void, InvalidTransition> =>
  allowed.includes(application.state)
    ? Either.void
    : refuse(application, to, `only possible from ${allowed.join(" or ")}`)

/** Replaces the region's content; only while the application is a draft or submitted. @category transitions */
export const update = (
  application: Application,
  content: typeof ApplicationContent.Type,
  now: Date
): Either.Either<Transitioned<Application>, InvalidTransition | RuleViolation> =>
  Either.flatMap(inState(application, ["Draft", "Submitted"], application.state), () =>
    content.region.id !== application.region.id
      ? Either.left(new RuleViolation({ rule: "region-unchanged", message: "An application cannot move to another region.", details: [] }))
      : Either.right(decided(rebuild({ ...application, ...content, updatedAt: now }), { _tag: "ApplicationUpdated", applicationId: application.id })))

/** `Draft → Submitted`. @category transitions */
export const submit = (application: Application, now: Date): Either.Either<Transitioned<Application>, InvalidTransition> =>
  Either.map(inState(application, ["Draft"], "Submitted"), () =>
    decided(
      rebuild({ ...application, state: "Submitted", submittedAt: now, updatedAt: now }),
      { _tag: "ApplicationSubmitted", applicationId: application.id }
    ))

/**
 * `Submitted → Exploring` with the conversation's date; in `Exploring` it moves the date (the
 * invitation's sequence rises). Event `ExplorationScheduled`: the contact and the key persons get a
 * calendar invitation, or its update.
 *
 * @category transitions
 */
export const scheduleExploration = (
  application: Application,
  exploration: Exploration,
  now: Date
): Either.Either<Transitioned<Application>, InvalidTransition> =>
  Either.map(inState(application, ["Submitted", "Exploring"], "Exploring"), () =>
    decided(rebuild({
      ...application,
      state: "Exploring",
      // a moved conversation: its invitation's sequence rises, so calendars take the update
      exploration: application.exploration === undefined
        ? exploration
        : new Exploration({ ...exploration, sequence: Math.max(exploration.sequence, application.exploration.sequence + 1) }),
      updatedAt: now
    }), {
      _tag: "ExplorationScheduled",
      applicationId: application.id,
      at: exploration.at,
      rescheduled: application.state === "Exploring"
    }))

/** Records a criterion's score; while `Submitted` or `Exploring`. A later score replaces an earlier one. @category transitions */
export const assess = (
  application: Application,
  assessment: CriterionAssessment
): Either.Either<Transitioned<Application>, InvalidTransition> =>
  Either.map(inState(application, ["Submitted", "Exploring"], application.state), () =>
    decided(
      rebuild({
        ...application,
        assessment: [...application.assessment, assessment],
        updatedAt: assessment.assessedAt
      }),
      { _tag: "CriterionAssessed", applicationId: application.id, criterion: assessment.criterion, score: assessment.score }
    ))

/**
 * `Exploring → Accepted`. The exploratory conversation must have been scheduled and every
 * criterion assessed (rule `assessment-complete`); the readiness findings inform the decision but do
 * not make it.
 *
 * @category transitions
 */
export const accept = (
  application: Application,
  decision: { readonly reason: string; readonly decidedBy: PersonId; readonly programmeId: ProgrammeId },
  now: Date
): Either.Either<Transitioned<Application>, InvalidTransition | RuleViolation> =>
  Either.flatMap(inState(application, ["Exploring"], "Accepted"), () => {
    const latest = latestAssessment(application)
    const missing = criteria.filter((c) => !latest.has(c))
    if (missing.length > 0) {
      return Either.left(
        new RuleViolation({
          rule: "assessment-complete",
          message: "Every criterion must be assessed before the application is accepted.",
          details: missing.map((c) => `not assessed: ${c}`)
        })
      )
    }
    return Either.right(decided(
      rebuild({
        ...application,
        state: "Accepted",
        programmeId: decision.programmeId,
        decision: new Decision({ outcome: "Accepted", reason: decision.reason, decidedBy: decision.decidedBy, decidedAt: now }),
        updatedAt: now
      }),
      { _tag: "ApplicationAccepted", applicationId: application.id, programmeId: decision.programmeId, reason: decision.reason }
    ))
  })

/** `Submitted | Exploring → Declined`, with the reason. @category transitions */
export const decline = (
  application: Application,
  decision: { readonly reason: string; readonly decidedBy: PersonId },
  now: Date
): Either.Either<Transitioned<Application>, InvalidTransition> =>
  Either.map(inState(application, ["Submitted", "Exploring"], "Declined"), () =>
    decided(
      rebuild({
        ...application,
        state: "Declined",
        decision: new Decision({ outcome: "Declined", reason: decision.reason, decidedBy: decision.decidedBy, decidedAt: now }),
        updatedAt: now
      }),
      { _tag: "ApplicationDeclined", applicationId: application.id, reason: decision.reason }
    ))

/** Any open state `→ Withdrawn`, by the region. @category transitions */
export const withdraw = (
  application: Application,
  reason: string,
  now: Date
): Either.Either<Transitioned<Application>, InvalidTransition> =>
  Either.map(inState(application, openStates, "Withdrawn"), () =>
    decided(
      rebuild({ ...application, state: "Withdrawn", withdrawal: { reason, at: now }, updatedAt: now }),
      { _tag: "ApplicationWithdrawn", applicationId: application.id, reason }
    ))
