/**
 * Work forms of a learning-work session and the three kinds of learning they serve.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/** The work forms the source text names. @category models */
export const WorkForm = Schema.Literal(
  "GuestExpert",
  "PracticeExample",
  "Intervision",
  "InteractiveForm",
  "Simulation",
  "ProjectVisit"
)
/** @category models */
export type WorkForm = typeof WorkForm.Type

/** Every work form. @category constants */
export const workForms: ReadonlyArray<WorkForm> = WorkForm.literals

/**
 * The three kinds of learning of the programme: inspiration with state-of-the-art knowledge,
 * learning from and developing with each other, and practising what was learned.
 *
 * @category models
 */
export const LearningKind = Schema.Literal("Inspiration", "LearningTogether", "Practice")
/** @category models */
export type LearningKind = typeof LearningKind.Type

/** Which kind of learning each work form serves. @category constants */
export const learningKindOf: Readonly<Record<WorkForm, LearningKind>> = {
  GuestExpert: "Inspiration",
  PracticeExample: "Inspiration",
  Intervision: "LearningTogether",
  InteractiveForm: "LearningTogether",
  ProjectVisit: "Practice",
  Simulation: "Practice"
}
