// The layers every command is built from: the store, the services, the mailer, the API.
import { Effect, Layer } from "effect"
import type { Scope } from "effect"
import { SqlClient } from "@effect/sql"
import { CalDav } from "@copkit/calendar-caldav"
import { ICalendar, ICalendarImport } from "@copkit/calendar-ical"
import type { StorageError } from "@copkit/core"
import type { Calendar, Notification, Outbox, Repository } from "@copkit/core"
import { CalendarSync, Ids, Mailer, Services } from "@copkit/core"
import { FileMailer, SmtpMailer, Templates } from "@copkit/email-smtp"
import { Migrations } from "@copkit/storage-sql"
import { SqliteStore } from "@copkit/storage-sqlite"
import type { CalDavSettings, Database, Mail } from "../Environment.js"
import { calendarUrlOf } from "../Environment.js"

/** @copkit/storage-postgres (and pg), loaded only for a PostgreSQL database. */
const postgres = Effect.promise(() => import("@copkit/storage-postgres"))

/** Every storage port (the migrations run when it is built). */
export const storage = (database: Database): Layer.Layer<SqliteStore.Provided, StorageError> =>
  database._tag === "Sqlite"
    ? SqliteStore.layer({ filename: database.filename, prefix: database.prefix })
    : Layer.unwrapEffect(Effect.map(postgres, (pg) =>
      pg.PgStore.layer({ url: database.url, schema: database.schema, prefix: database.prefix, applicationName: "copkit-cli" })))

/** A client on the database, no migrations run. */
export const client = (database: Database): Effect.Effect<SqlClient.SqlClient, StorageError, Scope.Scope> =>
  database._tag === "Sqlite"
    ? SqliteStore.makeClient({ filename: database.filename })
    : Effect.flatMap(postgres, (pg) => pg.PgStore.makeClient({ url: database.url, applicationName: "copkit-cli" }))

/** Runs the migrations not yet run; the ids and names of those it ran. */
export const migrate = (database: Database): Effect.Effect<ReadonlyArray<readonly [number, string]>, StorageError> =>
  Effect.scoped(Effect.flatMap(client(database), (sql) =>
    Migrations.run({ prefix: database.prefix, schema: database._tag === "Postgres" ? database.schema : undefined }).pipe(
      Effect.provideService(SqlClient.SqlClient, sql)
    )))

/** Every service, the notification source and the ports the dispatcher renders with, on the store. */
export const services = (database: Database): Layer.Layer<
  | Services.Services
  | Notification.NotificationSource
  | Notification.MessageTemplates
  | Calendar.CalendarRenderer
  | Calendar.CalendarImporter
  | Ids.IdGenerator
  | SqliteStore.Provided,
  StorageError
> =>
  Layer.mergeAll(Services.layer, Services.layerNotifications).pipe(
    Layer.provideMerge(Layer.mergeAll(
      storage(database),
      Templates.layer,
      ICalendar.layer,
      ICalendarImport.layerImporter,
      Ids.layerRandom
    ))
  )

/** The mailer. */
export const mailer = (mail: Mail): Layer.Layer<Mailer.Mailer, Mailer.DeliveryError> =>
  mail._tag === "Directory" ? FileMailer.layer({ directory: mail.directory }) : SmtpMailer.layer(mail.options)

/** The dispatcher's calendar channel: sessions published to the programmes' CalDAV collections. */
export const calendarChannel = (
  settings: CalDavSettings
): Layer.Layer<CalendarSync.CalendarChannel, never, Repository.SessionRepository | Outbox.Deliveries> =>
  CalendarSync.layer.pipe(Layer.provide(CalDav.layerProgrammeCalendars({
    calendarUrl: (programmeId) => calendarUrlOf(settings, programmeId),
    username: settings.username,
    password: settings.password
  })))
