/**
 * Values of @copkit/core that its bundled declarations (dist/index.d.ts) leave out of their
 * namespace because a type of the same name sits beside them (`Actor.Actor`, `Report.ProgrammeReport`).
 * The runtime modules have them; read here through a cast with their own types.
 */
import type { Schema } from "effect"
import { Actor, Report } from "@copkit/core"

/** An actor as plain data, as a login system gives it. */
export type ActorInput = Parameters<typeof Actor.make>[0]

/** The schema of every kind of actor. */
export const ActorSchema = (Actor as unknown as { readonly Actor: Schema.Schema<Actor.Actor, ActorInput, never> }).Actor

/** The schema of the programme report. */
export const ProgrammeReportSchema = (Report as unknown as {
  readonly ProgrammeReport: Schema.Schema<Report.ProgrammeReport, any, never>
}).ProgrammeReport
