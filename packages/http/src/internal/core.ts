/**
 * The values of @copkit/core this package builds its schemas from. (Core's former bundled
 * declarations left `Actor.Actor` and `Report.ProgrammeReport` out of their namespaces, as a type
 * of the same name sits beside each; the per-module declarations core ships now keep both.)
 */
import { Actor, Report } from "@copkit/core"

/** An actor as plain data, as a login system gives it. */
export type ActorInput = typeof Actor.Actor.Encoded

/** The schema of every kind of actor. */
export const ActorSchema = Actor.Actor

/** The schema of the programme report. */
export const ProgrammeReportSchema = Report.ProgrammeReport
