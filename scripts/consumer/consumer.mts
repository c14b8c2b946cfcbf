// A team's first program against the packed tarballs (scripts/check-tarballs.sh installs them with
// npm into an empty project): typed from the schemas under strict settings, and run on a SQLite file
// with e-mail as .eml files. A type error here, or a failure when it runs, fails CI.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Actor, Client, Intake, ValidationError } from "@copkit/core"
import { ICalendar } from "@copkit/calendar-ical"
import { FileMailer, Templates } from "@copkit/email-smtp"
import { SqliteStore } from "@copkit/storage-sqlite"
import { Effect } from "effect"

const directory = mkdtempSync(join(tmpdir(), "copkit-consumer-"))
const keyPerson = Actor.make({ _tag: "KeyPerson", personId: "per_fleur", regionId: "twente" })
const fleur = { id: "per_fleur", name: "Fleur Jansen", email: "fleur@kvk.example", helixRole: "Intermediary" } as const
const application = {
  region: { id: "twente", name: "Twente", provinces: ["Overijssel"], municipalities: ["Enschede"] },
  contact: fleur,
  motivation: "Veel energie bij ondernemers.",
  urgency: "Nu.",
  administrators: [],
  entrepreneurs: [{ id: "per_sanne", name: "Sanne de Vries", email: "sanne@devries.example", helixRole: "Entrepreneur" }],
  keyPersons: [fleur],
  commitments: { venue: true, catering: true, participantSelection: true, activeParticipation: true, followUp: true }
} satisfies Parameters<Client.Client["intake"]["create"]>[1]

const copkit = Client.make({
  storage: SqliteStore.layer({ filename: join(directory, "copkit.db") }),
  dispatcher: {
    consumer: "consumer",
    from: { name: "Kennisnetwerk", address: "noreply@kennisnetwerk.example" },
    mailer: FileMailer.layer({ directory: join(directory, "outbox") }),
    templates: Templates.layer,
    calendar: ICalendar.layer
  }
})

// the input is typed from the schema: a number where a text belongs does not compile
// @ts-expect-error motivation is a string
const wrong: Parameters<Client.Client["intake"]["create"]>[1] = { ...application, motivation: 3 }
void wrong

try {
  // and still decoded at run time: a bad address is a ValidationError naming the field
  const refused = await copkit.intake.create(keyPerson, { ...application, contact: { ...fleur, email: "fleur at kvk" } }).then(
    () => undefined,
    (e: unknown) => e
  )
  if (!(refused instanceof ValidationError) || !refused.field.startsWith("contact.email")) throw new Error(`expected a ValidationError on contact.email, got ${String(refused)}`)

  const draft = await copkit.intake.create(keyPerson, application)
  const submitted = await copkit.intake.submit(keyPerson, { applicationId: draft.id })
  const state: "Submitted" | string = submitted.state
  if (state !== "Submitted") throw new Error(`expected Submitted, got ${state}`)
  const sent = await copkit.dispatcher.runOnce()
  const files = readdirSync(join(directory, "outbox"))
  if (files.length === 0 || sent.sent !== files.length) throw new Error(`expected the receipt as .eml, got ${files.length} file(s), sent ${sent.sent}`)
  if (!readFileSync(join(directory, "outbox", files[0]!), "utf8").includes("fleur@kvk.example")) throw new Error("the receipt is not addressed to the contact")
} finally {
  await copkit.dispose()
  rmSync(directory, { recursive: true, force: true })
}

// the Effect API from the same install: one effect, one core
const program = Effect.gen(function*() {
  const intake = yield* Intake.Intake
  return yield* intake.get({ applicationId: "app_none" })
})
void program
console.log("consumer: typed, decoded, stored and mailed from the tarballs")
