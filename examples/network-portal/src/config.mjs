// Where the portal keeps its data and how it sends mail, from the environment:
//
//   COPKIT_PORTAL_DATA          the folder of the SQLite file, the .eml outbox and the users (default .portal)
//   COPKIT_PORTAL_DATABASE_URL  postgres://... : PostgreSQL instead of SQLite
//   COPKIT_PORTAL_PG_SCHEMA     the PostgreSQL schema of the tables (default: the search path)
//   COPKIT_PORTAL_SMTP_HOST     an SMTP server instead of the .eml outbox (with COPKIT_PORTAL_SMTP_PORT,
//                               COPKIT_PORTAL_SMTP_USER and COPKIT_PORTAL_SMTP_PASS)
//   COPKIT_PORTAL_FROM          the sender's address (default portal@kennisnetwerk.example)
//   COPKIT_PORTAL_SECURE_COOKIES 1 behind TLS: the session cookie gets `Secure`
import { join, resolve } from "node:path"
import { Redacted } from "effect"
import { ICalendar } from "@copkit/calendar-ical"
import { FileMailer, SmtpMailer, Templates } from "@copkit/email-smtp"
import { PgStore } from "@copkit/storage-postgres"
import { SqliteStore } from "@copkit/storage-sqlite"

/**
 * @typedef {object} PortalConfig
 * @property {string} dataDirectory
 * @property {string | undefined} databaseUrl
 * @property {string | undefined} pgSchema
 * @property {{ host: string, port: number, user: string | undefined, pass: string | undefined } | undefined} smtp
 * @property {string} from
 * @property {boolean} [secureCookies]
 */

/** @param {NodeJS.ProcessEnv} env @returns {PortalConfig} */
export const fromEnv = (env = process.env) => ({
  dataDirectory: resolve(env.COPKIT_PORTAL_DATA ?? ".portal"),
  databaseUrl: env.COPKIT_PORTAL_DATABASE_URL || undefined,
  pgSchema: env.COPKIT_PORTAL_PG_SCHEMA || undefined,
  smtp: env.COPKIT_PORTAL_SMTP_HOST
    ? {
      host: env.COPKIT_PORTAL_SMTP_HOST,
      port: Number(env.COPKIT_PORTAL_SMTP_PORT ?? 587),
      user: env.COPKIT_PORTAL_SMTP_USER || undefined,
      pass: env.COPKIT_PORTAL_SMTP_PASS || undefined
    }
    : undefined,
  from: env.COPKIT_PORTAL_FROM ?? "portal@kennisnetwerk.example",
  secureCookies: env.COPKIT_PORTAL_SECURE_COOKIES === "1"
})

/** The storage: PostgreSQL when a URL is given, else a SQLite file in the data folder. @param {PortalConfig} config */
export const storage = (config) =>
  config.databaseUrl === undefined
    ? SqliteStore.layer({ filename: join(config.dataDirectory, "copkit.db") })
    : PgStore.layer({ url: Redacted.make(config.databaseUrl), ...(config.pgSchema === undefined ? {} : { schema: config.pgSchema }) })

/** The mailer: SMTP when a host is given, else .eml files in `outbox/` of the data folder. @param {PortalConfig} config */
export const mailer = (config) =>
  config.smtp === undefined
    ? FileMailer.layer({ directory: join(config.dataDirectory, "outbox") })
    : SmtpMailer.layer({
      host: config.smtp.host,
      port: config.smtp.port,
      ...(config.smtp.user === undefined ? {} : { auth: { user: config.smtp.user, pass: Redacted.make(config.smtp.pass ?? "") } })
    })

/** The options of `Client.make`: the portal's only way into copkit. @param {PortalConfig} config */
export const clientOptions = (config) => ({
  storage: storage(config),
  dispatcher: {
    from: { name: "Kennisnetwerk brede mkb", address: config.from },
    consumer: "portal",
    mailer: mailer(config),
    templates: Templates.layer,
    calendar: ICalendar.layer
  }
})
