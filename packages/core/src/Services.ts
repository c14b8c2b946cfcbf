/**
 * Every service of copkit in one layer, built from the ports: give it the adapters' layers (or
 * `Memory.layer` from @copkit/testing) and use the services, or hand it to `Client.make`.
 *
 * @since 0.1.0
 */
import { Layer } from "effect"
import * as Notification from "./Notification.js"
import type { NotificationSource } from "./Notification.js"
import type {
  AgreementRepository,
  ApplicationRepository,
  EnrolmentRepository,
  ProgrammeRepository,
  SessionRepository
} from "./Repository.js"
import * as SessionNotifications from "./SessionNotifications.js"
import * as CoDesign from "./CoDesign.js"
import * as Evaluations from "./Evaluations.js"
import * as Feeds from "./Feeds.js"
import * as FollowUp from "./FollowUp.js"
import * as History from "./History.js"
import * as FollowUpNotifications from "./FollowUpNotifications.js"
import * as Intake from "./Intake.js"
import * as IntakeNotifications from "./IntakeNotifications.js"
import * as IntakeRounds from "./IntakeRounds.js"
import * as Directory from "./Directory.js"
import * as Network from "./Network.js"
import * as PersonalData from "./PersonalData.js"
import * as Programmes from "./Programmes.js"
import * as Sessions from "./Sessions.js"
import * as Tasks from "./Tasks.js"

/** The tags of every service. @category models */
export type Services =
  | Intake.Intake
  | IntakeRounds.IntakeRounds
  | CoDesign.CoDesign
  | Sessions.Sessions
  | FollowUp.FollowUp
  | Network.Network
  | PersonalData.PersonalData
  | History.History
  | Programmes.Programmes
  | Evaluations.Evaluations
  | Directory.Directory
  | Feeds.Feeds

/** The ports every service together needs. @category models */
export type Dependencies =
  | Intake.Dependencies
  | IntakeRounds.Dependencies
  | CoDesign.Dependencies
  | Sessions.Dependencies
  | FollowUp.Dependencies
  | Network.Dependencies
  | PersonalData.Dependencies
  | History.Dependencies
  | Programmes.Dependencies
  | Evaluations.Dependencies
  | Directory.Dependencies
  | Feeds.Dependencies

/** Every service, built from the ports in the context. @category layers */
export const layer: Layer.Layer<Services, never, Dependencies> = Layer.mergeAll(
  Intake.layer,
  IntakeRounds.layer,
  CoDesign.layer,
  Sessions.layer,
  FollowUp.layer,
  Network.layer,
  PersonalData.layer,
  History.layer,
  Programmes.layer,
  Evaluations.layer,
  Directory.layer,
  Feeds.layer
)

/**
 * The notifications of every service's events (intake, sessions and follow-up), for the dispatcher.
 *
 * @category layers
 */
export const layerNotifications: Layer.Layer<
  NotificationSource,
  never,
  ApplicationRepository | SessionRepository | ProgrammeRepository | EnrolmentRepository | AgreementRepository
> = Notification.layerWith(
  IntakeNotifications.forIntakeEvent,
  SessionNotifications.forSessionEvent,
  FollowUpNotifications.forFollowUpEvent,
  Tasks.forTaskEvent
)
