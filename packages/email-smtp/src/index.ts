/**
 * @copkit/email-smtp: SMTP e-mail for copkit, with iMIP invitations, Dutch and English templates,
 * and a file mailer for running without a mail server.
 *
 * @since 0.1.0
 * @module @copkit/email-smtp
 */

/** Address checks before anything is sent. */
export * as Addresses from "./Addresses.js"
/** The file mailer: every message as an `.eml` file. */
export * as FileMailer from "./FileMailer.js"
/** The SMTP mailer over nodemailer. */
export * as SmtpMailer from "./SmtpMailer.js"
/** The message templates in Dutch and English. */
export * as Templates from "./Templates.js"
