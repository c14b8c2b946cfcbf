/**
 * The raw inspection hook the contract suites check writes through: it reads what an adapter
 * actually stored (plain SQL, the in-memory maps), not what the adapter's own reads return.
 *
 * @since 0.1.0
 */
import { Context } from "effect"
import type { Repository } from "@copkit/core"

/** An entity as stored (declared in core: `Repository.StoredEntity`). @category models */
export type StoredEntity = Repository.StoredEntity

/** An event as stored (declared in core: `Repository.StoredEvent`). @category models */
export type StoredEvent = Repository.StoredEvent

/** A delivery record as stored (declared in core: `Repository.StoredDelivery`). @category models */
export type StoredDelivery = Repository.StoredDelivery

/** What the inspection hook reads (declared in core: `Repository.Inspection`). @category models */
export interface Inspection extends Repository.Inspection {}

/** The raw inspection hook of a storage adapter, of the shape `Repository.Inspection`. @category ports */
export class Inspector extends Context.Tag("@copkit/testing/Inspector")<Inspector, Inspection>() {}
