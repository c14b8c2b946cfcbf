/**
 * The Programmes service on a real SQLite file: a withdrawal and a plan amendment commit the
 * programme and its sessions in one transaction, and the dispatcher sends each invitee the
 * cancellation (METHOD:CANCEL) or the update (SEQUENCE raised), read back from the mailer.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll } from "vitest"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, TestClock } from "effect"
import { Actor, Calendar, Dispatcher, EventLog, Ids, Notification, Programme, Programmes, Region, Repository, Session, SessionNotifications, Sessions } from "@copkit/core"
import { SqliteStore } from "@copkit/storage-sqlite"
import { Fixtures, Memory } from "@copkit/testing"

const { actors, people, regions } = Fixtures
const coordinator = Actor.as(actors.coordinator)
const keyPerson = Actor.as(actors.keyPerson)
const keyPersonTwente = Actor.as(actors.keyPersonTwente)

/** Templates and a renderer just rich enough to see what was sent: kind, method, uid, sequence, status. */
const rendering = Layer.mergeAll(
  Layer.succeed(Notification.MessageTemplates, {
    render: (n) => Effect.succeed({ subject: `${n.kind} ${n.session?.title ?? ""}`, text: `Hallo ${n.recipient.name}`, html: "<p>Hallo</p>" })
  }),
  Layer.succeed(Calendar.CalendarRenderer, {
    invitation: (event, attendee, method) =>
      Effect.succeed(
        `BEGIN:VCALENDAR\r\nMETHOD:${method}\r\nBEGIN:VEVENT\r\nUID:${event.uid}\r\nSEQUENCE:${event.sequence}\r\nSTATUS:${event.status}\r\nATTENDEE:mailto:${attendee.email}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`
      ),
    feed: () => Effect.succeed("")
  })
)

const world = <ROut, E>(storage: Layer.Layer<ROut, E>) =>
  Layer.mergeAll(Programmes.layer, Sessions.layer, SessionNotifications.layer).pipe(
    Layer.provideMerge(Layer.mergeAll(storage, Memory.layerMailer, Ids.layerSequential, rendering))
  )

const sent = Effect.map(Effect.flatMap(Memory.MemoryMailer, (m) => m.sent), (all) =>
  all.map((m) => ({
    to: m.to[0]?.address,
    kind: m.subject.split(" ")[0],
    method: m.calendar?.method,
    uid: /UID:(\S+)/.exec(m.calendar?.ics ?? "")?.[1],
    sequence: Number(/SEQUENCE:(\d+)/.exec(m.calendar?.ics ?? "")?.[1]),
    status: /STATUS:(\S+)/.exec(m.calendar?.ics ?? "")?.[1]
  })))

const group = [people.baker, people.entrepreneur, people.college, people.chamber]
const groupAddresses = group.map((p) => p.email).sort()
const at = new Date("2026-12-01T09:00:00Z")

const item = (id: string, role: Programme.SessionRole) =>
  new Programme.PlanItem({
    id: id as Ids.PlanItemId,
    role,
    themeId: "thm_1" as Ids.ThemeId,
    goal: `Doel van ${id}`,
    workForms: ["Intervision"],
    durationMinutes: 180,
    agenda: [new Programme.AgendaItem({ title: "Intervisie", minutes: 90 })],
    administratorsInvited: role !== "Regular",
    checklist: [],
    sessionId: `ses_${id}` as Ids.SessionId
  })

/**
 * Utrecht's planned programme with its group enrolled and its three sessions (stored as
 * `Sessions.createFromPlan` makes them); the kick-off and the regular session scheduled and
 * invited, the invitations dispatched; the closing a draft.
 */
const invitedProgramme = Effect.gen(function*() {
  const region = regions.utrecht
  const plan = [item("pli_a", "KickOff"), item("pli_b", "Regular"), item("pli_c", "Closing")]
  const programme = new Programme.Programme({
    id: "prg_utrecht" as Ids.ProgrammeId,
    region: new Region.Region({ ...region, provinces: [...region.provinces], municipalities: [...region.municipalities] }),
    regionId: region.id,
    applicationId: "app_utrecht" as Ids.ApplicationId,
    state: "Planned",
    coreTeam: [],
    goals: Programme.emptyGoals(),
    themes: [],
    plan,
    planApprovedAt: at,
    createdAt: at,
    updatedAt: at
  })
  yield* Effect.flatMap(Repository.ProgrammeRepository, (r) => r.save(programme, 0))
  const [kickOff, regular, closing] = plan.map((i) =>
    new Session.Session({
      id: i.sessionId!,
      programmeIds: [programme.id],
      regionIds: [programme.regionId],
      planItemId: i.id,
      title: `${i.role}: ${i.goal}`,
      workForms: i.workForms,
      agenda: i.agenda,
      state: "Draft",
      sequence: 0,
      invitations: [],
      attendance: [],
      role: i.role,
      remindersSent: [],
      createdAt: at,
      updatedAt: at
    })
  )
  for (const s of [kickOff!, regular!, closing!]) yield* Effect.flatMap(Repository.SessionRepository, (r) => r.save(s, 0))
  const s = yield* Sessions.Sessions
  for (const p of group) yield* s.enrol({ programmeId: programme.id, participant: p }).pipe(keyPerson)
  yield* s.schedule({ sessionId: kickOff!.id, start: "2027-03-02T13:00:00Z", end: "2027-03-02T16:00:00Z", venue: { name: "Stadskantoor" } }).pipe(keyPerson)
  yield* s.schedule({ sessionId: regular!.id, start: "2027-03-16T13:00:00Z", end: "2027-03-16T16:00:00Z" }).pipe(keyPerson)
  yield* s.invite({ sessionId: kickOff!.id }).pipe(keyPerson)
  yield* s.invite({ sessionId: regular!.id }).pipe(keyPerson)
  const dispatcher = yield* Dispatcher.make({ consumer: "test", from: { name: "Copkit", address: "noreply@copkit.example" } })
  yield* dispatcher.runOnce
  return { programme, kickOff: kickOff!, regular: regular!, dispatcher }
})

const dir = mkdtempSync(join(tmpdir(), "copkit-programmes-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let files = 0
const World = () => world(SqliteStore.layer({ filename: join(dir, `programmes-${++files}.db`) }))

const eventTypes = Effect.flatMap(EventLog.EventLog, (log) => Effect.map(log.read(), (es) => es.map((e) => e.event._tag)))

describe("Programmes on SQLite", () => {
  it.effect("withdraw: the programme and its sessions in one commit, every invitee's cancellation sent once", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(new Date("2027-02-01T09:00:00Z").getTime())
      const { dispatcher, kickOff, programme, regular } = yield* invitedProgramme
      const before = (yield* sent).length
      const service = yield* Programmes.Programmes

      const refused = yield* Effect.flip(service.withdraw({ programmeId: programme.id, reason: "Niet van jou." }).pipe(keyPersonTwente))
      expect(refused._tag).toBe("Forbidden")

      yield* service.withdraw({ programmeId: programme.id, reason: "De gemeente trekt zich terug." }).pipe(keyPerson)
      const stored = yield* Effect.flatMap(Repository.ProgrammeRepository, (r) => Repository.get(r, programme.id))
      expect(stored.value.state).toBe("Withdrawn")
      expect(stored.value.ending?.reason).toBe("De gemeente trekt zich terug.")
      const sessions = yield* Effect.flatMap(Repository.SessionRepository, (r) => r.list({ programmeId: programme.id }))
      expect(sessions.map((s) => s.value.state)).toEqual(["Cancelled", "Cancelled", "Cancelled"])
      expect((yield* eventTypes).filter((t) => t === "ProgrammeWithdrawn" || t === "SessionCancelled")).toHaveLength(4)

      yield* dispatcher.runOnce
      yield* dispatcher.runOnce
      const cancellations = (yield* sent).slice(before)
      for (const session of [kickOff, regular]) {
        const mine = cancellations.filter((m) => m.uid === `${session.id}@copkit`)
        expect(mine.map((m) => m.to).sort()).toEqual(groupAddresses)
        expect(mine.every((m) => m.method === "CANCEL" && m.status === "CANCELLED" && m.sequence === 1)).toBe(true)
      }
      expect(cancellations).toHaveLength(8)
    }).pipe(Effect.provide(World())))

  it.effect("amend: a moved session is rescheduled (sequence 1, an update to each invitee); only the coordinator cancels", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(new Date("2027-02-01T09:00:00Z").getTime())
      const { dispatcher, programme, regular } = yield* invitedProgramme
      const before = (yield* sent).length
      const service = yield* Programmes.Programmes
      yield* service.amendPlan({
        programmeId: programme.id,
        amendment: { _tag: "MoveSession", planItemId: regular.planItemId!, start: "2027-03-23T13:00:00Z", end: "2027-03-23T16:00:00Z" }
      }).pipe(keyPerson)
      yield* dispatcher.runOnce
      const updates = (yield* sent).slice(before)
      expect(updates.map((m) => m.to).sort()).toEqual(groupAddresses)
      expect(updates.every((m) => m.kind === "Update" && m.method === "REQUEST" && m.sequence === 1)).toBe(true)
      expect((yield* eventTypes).slice(-2)).toEqual(["PlanAmended", "SessionRescheduled"])

      const notYou = yield* Effect.flip(service.cancel({ programmeId: programme.id, reason: "Stop." }).pipe(keyPerson))
      expect(notYou._tag).toBe("Forbidden")
      const cancelled = yield* service.cancel({ programmeId: programme.id, reason: "Stop." }).pipe(coordinator)
      expect(cancelled.programme.state).toBe("Cancelled")
    }).pipe(Effect.provide(World())))
})
