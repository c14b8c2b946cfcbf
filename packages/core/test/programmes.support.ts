/**
 * Shared setup of the programmes tests (memory and SQLite): the Programmes and Sessions services,
 * session notifications, the dispatcher's templates and calendar renderer, and a memory mailer to
 * read what was sent, on the storage given.
 */
import { Effect, Layer } from "effect"
import { Calendar, Dispatcher, Ids, Notification, Programme, Programmes, Repository, Session, SessionNotifications, Sessions } from "@copkit/core"
import { Memory } from "@copkit/testing"
import { enrolAll, keyPerson, regions, seedProgramme, utrechtGroup } from "./sessions.fixtures.js"

/** Templates and a renderer just rich enough to see what was sent: kind, method, uid, sequence, status. */
export const rendering = Layer.mergeAll(
  Layer.succeed(Notification.MessageTemplates, {
    render: (n) =>
      Effect.succeed({
        subject: `${n.kind} ${n.session?.title ?? ""}`,
        text: `Hallo ${n.recipient.name}`,
        html: `<p>Hallo ${n.recipient.name}</p>`
      })
  }),
  Layer.succeed(Calendar.CalendarRenderer, {
    invitation: (event, attendee, method) =>
      Effect.succeed(
        `BEGIN:VCALENDAR\r\nMETHOD:${method}\r\nBEGIN:VEVENT\r\nUID:${event.uid}\r\nSEQUENCE:${event.sequence}\r\nSTATUS:${event.status}\r\nDTSTART:${event.start.toISOString()}\r\nATTENDEE:mailto:${attendee.email}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`
      ),
    feed: () => Effect.succeed("")
  })
)

/** The services on the given storage, with the memory mailer and sequential ids. */
export const world = <ROut, E>(storage: Layer.Layer<ROut, E>) =>
  Layer.mergeAll(Programmes.layer, Sessions.layer, SessionNotifications.layer).pipe(
    Layer.provideMerge(Layer.mergeAll(storage, Memory.layerMailer, Ids.layerSequential, rendering))
  )

/** Everything the mailer sent so far, as `[address, kind, calendar method, uid, sequence]`. */
export const sent = Effect.map(Effect.flatMap(Memory.MemoryMailer, (m) => m.sent), (all) =>
  all.map((m) => ({
    to: m.to[0]?.address,
    kind: m.subject.split(" ")[0],
    method: m.calendar?.method,
    uid: /UID:(\S+)/.exec(m.calendar?.ics ?? "")?.[1],
    sequence: Number(/SEQUENCE:(\d+)/.exec(m.calendar?.ics ?? "")?.[1]),
    status: /STATUS:(\S+)/.exec(m.calendar?.ics ?? "")?.[1]
  })))

/** The addresses of the Utrecht group (who is invited to each session). */
export const groupAddresses = utrechtGroup.map((p) => p.email).sort()

/**
 * The draft sessions of a programme's plan, stored directly with the plan items linked to them (as
 * `Sessions.createFromPlan` makes them; on this branch createFromPlan still saves the programme
 * without an event, which `Command.commit` now refuses).
 */
export const seedSessions = (programme: Programme.Programme) =>
  Effect.gen(function*() {
    const sessions = yield* Repository.SessionRepository
    const programmes = yield* Repository.ProgrammeRepository
    const current = yield* Repository.get(programmes, programme.id)
    const created = programme.plan.map((item) =>
      new Session.Session({
        id: `ses_${item.id}` as Ids.SessionId,
        programmeIds: [programme.id],
        regionIds: [programme.regionId],
        planItemId: item.id,
        title: `${item.role}: ${item.goal}`,
        goal: item.goal,
        workForms: item.workForms,
        agenda: item.agenda,
        state: "Draft",
        sequence: 0,
        invitations: [],
        attendance: [],
        role: item.role,
        remindersSent: [],
        createdAt: programme.createdAt,
        updatedAt: programme.createdAt
      })
    )
    for (const session of created) yield* sessions.save(session, 0)
    yield* programmes.save(
      new Programme.Programme({ ...current.value, plan: current.value.plan.map((item) => new Programme.PlanItem({ ...item, sessionId: `ses_${item.id}` as Ids.SessionId })) }),
      current.version
    )
    return created
  })

/**
 * Utrecht's planned programme with its group enrolled, its three sessions created, the kick-off and
 * the regular session scheduled in March and invited (the invitations dispatched), the closing a draft.
 */
export const invitedProgramme = Effect.gen(function*() {
  const programme = yield* seedProgramme(regions.utrecht, "prg_utrecht")
  yield* enrolAll(programme.id, utrechtGroup)
  const s = yield* Sessions.Sessions
  const [kickOff, regular, closing] = yield* seedSessions(programme)
  yield* s.schedule({ sessionId: kickOff!.id, start: "2027-03-02T13:00:00Z", end: "2027-03-02T16:00:00Z", venue: { name: "Stadskantoor" } }).pipe(keyPerson)
  yield* s.schedule({ sessionId: regular!.id, start: "2027-03-16T13:00:00Z", end: "2027-03-16T16:00:00Z", venue: { name: "Hogeschool" } }).pipe(keyPerson)
  yield* s.invite({ sessionId: kickOff!.id }).pipe(keyPerson)
  yield* s.invite({ sessionId: regular!.id }).pipe(keyPerson)
  const dispatcher = yield* Dispatcher.make({ consumer: "test", from: { name: "Copkit", address: "noreply@copkit.example" } })
  yield* dispatcher.runOnce
  return { programme, kickOff: kickOff!, regular: regular!, closing: closing!, dispatcher }
})
