/**
 * What a session taught: what worked, practice examples worth sharing across regions.
 *
 * @since 0.1.0
 */
import { Class } from "./internal/schemaClass.js"
import { Schema } from "effect"
import { Instant, Line, Paragraph } from "./Common.js"
import { InsightId, PersonId, ProgrammeId, RegionId, SessionId, ThemeId } from "./Ids.js"

/** The kind of insight. @category models */
export const InsightKind = Schema.Literal("WhatWorked", "PracticeExample", "Lesson")
/** @category models */
export type InsightKind = typeof InsightKind.Type

/**
 * Who may find an insight in the network search: the region's own people (`Region`), every
 * region's key persons and organisers too (`Network`, the default: the network learns across
 * regions), or everyone who may search at all, participants and guest experts of any region
 * included (`Public`). The coordinator finds every insight.
 *
 * @category models
 */
export const Visibility = Schema.Literal("Region", "Network", "Public")
/** @category models */
export type Visibility = typeof Visibility.Type

/** An insight from a session, tagged by theme. @category models */
export class Insight extends Class<Insight>("Insight")({
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
  recordedAt: Instant,
  /** Who may find it in the network search (default `Network`). */
  visibility: Schema.optionalWith(Visibility, { default: () => "Network" as const })
}) {}
