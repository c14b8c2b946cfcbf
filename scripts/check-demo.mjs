// Checks what `pnpm demo` wrote: every .eml parses (with a sender, a recipient and a subject), every
// .ics parses as a VCALENDAR with events, each report is an HTML page. Usage: node scripts/check-demo.mjs [.demo]
import { readdirSync, readFileSync, statSync } from "node:fs"
import { createRequire } from "node:module"
import { join, resolve } from "node:path"

const require = createRequire(new URL("../examples/quickstart/package.json", import.meta.url))
const { simpleParser } = require("mailparser")
const ICAL = require("ical.js")

const directory = resolve(process.argv[2] ?? ".demo")
const failures = []
const files = (sub, ext) => readdirSync(join(directory, sub)).filter((f) => f.endsWith(ext)).map((f) => join(directory, sub, f))

statSync(join(directory, "copkit.db"))
const emls = files("outbox", ".eml")
let withCalendar = 0
for (const file of emls) {
  try {
    const mail = await simpleParser(readFileSync(file))
    if (!mail.from?.value[0]?.address || !mail.to || !mail.subject) failures.push(`${file}: no sender, recipient or subject`)
    const ics = mail.attachments.find((a) => a.contentType.startsWith("text/calendar"))
    if (ics) {
      new ICAL.Component(ICAL.parse(ics.content.toString("utf8")))
      withCalendar += 1
    }
  } catch (e) {
    failures.push(`${file}: ${e}`)
  }
}
const icss = [...files("calendars", ".ics"), resolve("examples/quickstart/data/twente-agenda.ics")]
for (const file of icss) {
  try {
    const calendar = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")))
    if (calendar.name !== "vcalendar" || calendar.getAllSubcomponents("vevent").length === 0) failures.push(`${file}: no events`)
    // a join link goes to the invitees only, never into a feed
    if (calendar.getAllSubcomponents("vevent").some((v) => v.hasProperty("conference"))) failures.push(`${file}: a join link in a feed`)
  } catch (e) {
    failures.push(`${file}: ${e}`)
  }
}
const reports = files("reports", ".html")
for (const file of reports) {
  const html = readFileSync(file, "utf8")
  if (!html.trimStart().toLowerCase().startsWith("<!doctype html>")) failures.push(`${file}: not an HTML page`)
  if (html.includes("meet.example.nl")) failures.push(`${file}: the hybrid session's join link is in a report`)
}
if (emls.length < 100) failures.push(`only ${emls.length} .eml files`)
if (reports.length < 2) failures.push(`only ${reports.length} HTML reports`)
console.log(`demo output: ${emls.length} .eml parsed (${withCalendar} with a calendar part), ${icss.length} .ics parsed, ${reports.length} HTML reports`)
if (failures.length > 0) {
  console.error(failures.join("\n"))
  process.exit(1)
}
