import { performance } from "node:perf_hooks"
import { Schema } from "effect"
import { PersonalData, Session, Enrolment } from "../packages/core/src/index.ts"
const t0 = new Date("2027-02-01T09:00:00Z")
const decodePerson = Schema.decodeUnknownSync(Enrolment.Enrolment.fields.person)
const i = 3
const people = Array.from({ length: 20 }, (_, k) => decodePerson({ id: `per_${i}_${k}`, name: `Deelnemer ${k} van regio ${i}`, email: `d${k}@regio${i}.example`, organisation: `Bedrijf ${k}`, helixRole: "Entrepreneur" }))
const start = new Date(Date.UTC(2027, 1, 2, 13))
const s = new Session.Session({ id: `ses_${i}_0`, programmeIds: ["prg_3"], regionIds: ["region-3"], planItemId: "x", title: `Bijeenkomst 1 van regio ${i}`, themeId: "thm", workForms: ["Intervision"], agenda: [], start, end: new Date(start.getTime() + 3 * 3_600_000), state: "Held", sequence: 0,
  invitations: people.map((p) => new Session.Invitation({ personId: p.id, programmeId: "prg_3", name: p.name, email: p.email, language: "nl", answer: "Accepted", invitedAt: t0 })),
  attendance: people.map((p, x) => new Session.Attendance({ personId: p.id, present: x % 5 !== 4, recordedAt: start })),
  minutes: new Session.Minutes({ state: "Published", text: `Verslag van bijeenkomst 1.`, updatedBy: people[0].id, updatedAt: start, publishedAt: start }), createdAt: t0, updatedAt: t0 })
const doc = Schema.encodeSync(Session.Session)(s)
const terms = PersonalData.indexTerms(doc, people.map((p) => p.id))
console.log(terms.length, JSON.stringify(doc).length)
console.log(terms.join(" | "))
const json = JSON.stringify(doc)
let t = performance.now()
for (let k = 0; k < 1000; k++) PersonalData.indexTerms(JSON.parse(json), [])
console.log("ms per session", (performance.now() - t) / 1000)
