/**
 * What a session taught: what worked, practice examples worth sharing across regions.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { Instant, Line, Paragraph } from "./Common.js"
import { InsightId, PersonId, ProgrammeId, RegionId, SessionId, ThemeId } from "./Ids.js"

/** The kind of insight. @category models */
export const InsightKind = Schema.Literal("WhatWorked", "PracticeExample", "Lesson")
/** @category models */
export type InsightKind = typeof InsightKind.Type

/** An insight from a session, tagged by theme. @category models */
export class Insight extends Schema.Class<Insight>("Insight")({
  id: InsightId,
  sessionId: SessionId,
  programmeId: ProgrammeId,
  regionId: RegionId,
  kind: InsightKind,
  title: Line,
  text: Paragraph,
  themeIds: Schema.Array(ThemeId),
  tags: Schema.Array(Line),
  author: PersonId,
  recordedAt: Instant
}) {}
