/**
 * Fixtures: a few Dutch regions, people of each helix role, actors, and a complete application.
 * The names are made up; the places are real.
 *
 * @since 0.1.0
 */
import type { Actor, Intake } from "@copkit/core"
import { EventLog, Events, Ids } from "@copkit/core"
import { Effect } from "effect"

const regionId = (s: string) => s as Ids.RegionId
const personId = (s: string) => s as Ids.PersonId

/** Regions with their provinces, a few municipalities and their school-holiday zone. @category fixtures */
export const regions = {
  utrecht: {
    id: regionId("utrecht"),
    name: "Regio Utrecht",
    provinces: ["Utrecht"],
    municipalities: ["Utrecht", "Amersfoort", "Nieuwegein", "Zeist"],
    schoolHolidayZone: "Middle"
  },
  twente: {
    id: regionId("twente"),
    name: "Twente",
    provinces: ["Overijssel"],
    municipalities: ["Enschede", "Hengelo", "Almelo", "Oldenzaal"],
    schoolHolidayZone: "North"
  },
  zuidLimburg: {
    id: regionId("zuid-limburg"),
    name: "Zuid-Limburg",
    provinces: ["Limburg"],
    municipalities: ["Maastricht", "Heerlen", "Sittard-Geleen", "Kerkrade"],
    schoolHolidayZone: "South"
  },
  groningen: {
    id: regionId("groningen"),
    name: "Groningen-Drenthe",
    provinces: ["Groningen", "Drenthe"],
    municipalities: ["Groningen", "Assen", "Veendam"],
    schoolHolidayZone: "North"
  }
} as const

/** People of each helix role, as callers give them. @category fixtures */
export const people = {
  entrepreneur: {
    id: personId("per_sanne"),
    name: "Sanne de Vries",
    email: "sanne@devries-metaal.nl",
    organisation: "De Vries Metaalbewerking",
    helixRole: "Entrepreneur"
  },
  alderman: {
    id: personId("per_ahmed"),
    name: "Ahmed El Amrani",
    email: "a.elamrani@utrecht.nl",
    organisation: "Gemeente Utrecht",
    position: "wethouder Economische Zaken",
    helixRole: "Government"
  },
  civilServant: {
    id: personId("per_joost"),
    name: "Joost Bakker",
    email: "j.bakker@provincie-utrecht.nl",
    organisation: "Provincie Utrecht",
    helixRole: "Government"
  },
  chamber: {
    id: personId("per_fleur"),
    name: "Fleur Jansen",
    email: "fleur.jansen@kvk.nl",
    organisation: "Kamer van Koophandel",
    helixRole: "Intermediary"
  },
  college: {
    id: personId("per_mark"),
    name: "Mark Visser",
    email: "m.visser@hu.nl",
    organisation: "Hogeschool Utrecht",
    helixRole: "Knowledge",
    language: "en"
  },
  baker: {
    id: personId("per_ilse"),
    name: "Ilse Mulder",
    email: "ilse@bakkerijmulder.nl",
    organisation: "Bakkerij Mulder",
    helixRole: "Entrepreneur"
  }
} as const

/** Actors of each role. The region-bound ones belong to Utrecht unless their name says otherwise. @category fixtures */
export const actors = {
  coordinator: { _tag: "NetworkCoordinator", personId: personId("per_coordinator") },
  keyPerson: { _tag: "KeyPerson", personId: people.chamber.id, regionId: regions.utrecht.id },
  organiser: { _tag: "RegionalOrganiser", personId: people.civilServant.id, regionId: regions.utrecht.id },
  participant: { _tag: "Participant", personId: people.baker.id, regionId: regions.utrecht.id },
  administrator: { _tag: "Administrator", personId: people.alderman.id, regionId: regions.utrecht.id },
  keyPersonTwente: { _tag: "KeyPerson", personId: personId("per_twente"), regionId: regions.twente.id },
  organiserTwente: { _tag: "RegionalOrganiser", personId: personId("per_twente_org"), regionId: regions.twente.id },
  system: { _tag: "System", name: "test" }
} as const satisfies Record<string, Actor.Actor>

/** A complete application for Utrecht: every commitment confirmed, three helices among the key persons. @category fixtures */
export const applicationInput = (
  overrides: Partial<Intake.ApplicationContentInput> = {}
): Intake.ApplicationContentInput => ({
  region: { ...regions.utrecht, provinces: [...regions.utrecht.provinces], municipalities: [...regions.utrecht.municipalities] },
  contact: people.civilServant,
  motivation: "Veel energie bij ondernemers en gemeenten om het brede mkb te vernieuwen.",
  urgency: "Personeelstekorten en de energietransitie vragen nu om betere mkb-ondersteuning.",
  administrators: [people.alderman],
  entrepreneurs: [people.entrepreneur, people.baker],
  entrepreneurInvolvement: "Twee ondernemers uit de maakindustrie en de food-sector doen actief mee.",
  keyPersons: [people.entrepreneur, people.civilServant, people.chamber],
  commitments: { venue: true, catering: true, participantSelection: true, activeParticipation: true, followUp: true },
  ...overrides
})

/** A region's id as a branded value. @category constructors */
export const asRegionId = regionId
/** A person's id as a branded value. @category constructors */
export const asPersonId = personId

let eventCounter = 0

/**
 * A new event about an application (`ApplicationSubmitted`, or `ApplicationDeclined` with a
 * reason), for tests of the event log, the outbox and the dispatcher. Each call gets a fresh id.
 *
 * @category fixtures
 */
export const newEvent = (options: {
  readonly id?: string | undefined
  readonly entityId?: string | undefined
  readonly regionIds?: ReadonlyArray<string> | undefined
  readonly version?: number | undefined
  readonly reason?: string | undefined
  readonly occurredAt?: Date | undefined
  readonly actor?: Actor.Actor | undefined
} = {}): Events.NewEvent => {
  const entityId = (options.entityId ?? "app_1") as Ids.ApplicationId
  return new Events.NewEvent({
    id: (options.id ?? `evt_fx${(++eventCounter).toString(36)}_${Math.random().toString(36).slice(2, 8)}`) as Ids.EventId,
    entity: "Application",
    entityId,
    entityVersion: options.version ?? 1,
    regionIds: (options.regionIds ?? []) as ReadonlyArray<Ids.RegionId>,
    actor: options.actor ?? actors.system,
    occurredAt: options.occurredAt ?? new Date("2027-02-01T09:00:00Z"),
    event: options.reason === undefined
      ? Events.ApplicationSubmitted.make({ applicationId: entityId })
      : Events.ApplicationDeclined.make({ applicationId: entityId, reason: options.reason })
  })
}

/** Appends one {@link newEvent} to the event log and gives back the recorded event. @category fixtures */
export const appendEvent = (options: Parameters<typeof newEvent>[0] = {}): Effect.Effect<Events.RecordedEvent, import("@copkit/core").StorageError, EventLog.EventLog> =>
  Effect.flatMap(EventLog.EventLog, (log) => Effect.map(log.append([newEvent(options)]), (recorded) => recorded[0]!))
