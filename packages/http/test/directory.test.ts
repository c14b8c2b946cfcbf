/**
 * The opt-in directory over a real HTTP server on SQLite, driven with fetch: joining with consent
 * (and refused without it, nothing stored), found by theme with accents ignored, a participant may
 * search but not be listed, someone else's entry not readable, and a withdrawal (by the person or
 * by the coordinator) that takes the entry out of the search in the very next call.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Fixtures } from "@copkit/testing"
import type { Running } from "./support.js"
import { start, tokenFor } from "./support.js"

const { actors } = Fixtures
const coordinator = tokenFor(actors.coordinator)
const keyPerson = tokenFor(actors.keyPerson)
const organiserTwente = tokenFor(actors.organiserTwente)
const participant = tokenFor(actors.participant)
const guest = tokenFor({ _tag: "GuestExpert", personId: "per_guest_http" })

let server: Running
beforeAll(async () => {
  server = await start()
})
afterAll(async () => {
  await server?.close()
})

const json = async (response: Response): Promise<any> => JSON.parse(await response.text())

const problem = async (response: Response, status: number): Promise<any> => {
  const body = await json(response)
  expect({ status: response.status, body }).toMatchObject({ status, body: { status } })
  expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/)
  return body
}

const names = async (response: Response): Promise<Array<string>> => {
  expect(response.status).toBe(200)
  return (await json(response)).map((hit: { name: string }) => hit.name)
}

describe("the directory over HTTP on SQLite", () => {
  it("joins with consent only, finds by theme (accents ignored), and withdraws at once", async () => {
    const entry = {
      consent: true,
      name: "Anna de Vries",
      organisation: "Kamer van Koophandel",
      themes: ["Energietransitie", "bedrijventerreinen"],
      about: "Warmtenetten met ondernemers."
    }

    // no consent: a 400 naming the field, and nothing stored
    expect(await problem(await server.post("/directory/join", { ...entry, consent: false }, keyPerson), 400))
      .toMatchObject({ field: "consent", rule: expect.any(String) })
    expect(await problem(await server.post("/directory/join", { ...entry, themes: [] }, keyPerson), 400))
      .toMatchObject({ field: "themes" })
    expect(await problem(await server.post("/directory/get", { personId: actors.keyPerson.personId }, keyPerson), 404))
    expect(await names(await server.post("/directory/search", { theme: "energietransitie" }, participant))).toEqual([])

    const joined = await server.post("/directory/join", entry, keyPerson)
    expect(joined.status).toBe(200)
    const listed = await json(joined)
    expect(listed).toMatchObject({ state: "Listed", role: "KeyPerson", regionId: "utrecht", personId: actors.keyPerson.personId })
    // the consent's moment, encoded as an ISO string
    expect(listed.consentedAt).toMatch(/^\d{4}-\d\d-\d\dT/)
    // joining twice is a rule, not a second entry
    expect(await problem(await server.post("/directory/join", entry, keyPerson), 422)).toMatchObject({ rule: "directory-listed" })

    const joinedGuest = await server.post("/directory/join", { consent: true, name: "Bram Öztürk", themes: ["Energiecoöperaties"] }, guest)
    expect(joinedGuest.status).toBe(200)
    expect(await json(joinedGuest)).toMatchObject({ role: "GuestExpert" })

    // any signed-in member may search: a participant, an organiser of another region
    expect(await names(await server.post("/directory/search", { theme: "ENERGIETRANSITIE" }, participant))).toEqual(["Anna de Vries"])
    expect(await names(await server.post("/directory/search", { theme: "energiecooperaties" }, organiserTwente))).toEqual(["Bram Öztürk"])
    expect((await names(await server.post("/directory/search", { text: "energie" }, organiserTwente))).sort()).toEqual(["Anna de Vries", "Bram Öztürk"])
    expect(await names(await server.post("/directory/search", { role: "GuestExpert" }, coordinator))).toEqual(["Bram Öztürk"])
    // but not anonymously
    expect(await problem(await server.post("/directory/search", { theme: "energie" }), 401))

    // a participant cannot be listed; nobody reads someone else's entry but the coordinator
    await problem(await server.post("/directory/join", entry, participant), 403)
    await problem(await server.post("/directory/get", { personId: actors.keyPerson.personId }, organiserTwente), 403)
    await problem(await server.post("/directory/withdraw", { personId: actors.keyPerson.personId }, organiserTwente), 403)
    expect((await json(await server.post("/directory/get", { personId: actors.keyPerson.personId }, coordinator))).name).toBe("Anna de Vries")

    // the person changes their themes
    const updated = await server.post("/directory/update", { themes: ["Arbeidsmarkt"] }, keyPerson)
    expect(updated.status).toBe(200)
    expect(await names(await server.post("/directory/search", { theme: "energietransitie" }, participant))).toEqual([])
    expect(await names(await server.post("/directory/search", { theme: "arbeidsmarkt" }, participant))).toEqual(["Anna de Vries"])

    // withdrawn by the person: gone from the next search, content cleared, the consent's dates kept
    const withdrawn = await json(await server.post("/directory/withdraw", { personId: actors.keyPerson.personId }, keyPerson))
    expect(withdrawn).toMatchObject({ state: "Withdrawn", themes: [], consentedAt: listed.consentedAt })
    expect(withdrawn.organisation).toBeUndefined()
    expect(withdrawn.withdrawnAt).toMatch(/^\d{4}-\d\d-\d\dT/)
    expect(await names(await server.post("/directory/search", { theme: "arbeidsmarkt" }, participant))).toEqual([])
    expect(await problem(await server.post("/directory/update", { themes: ["Zorg"] }, keyPerson), 422)).toMatchObject({ rule: "directory-not-listed" })

    // withdrawn by the coordinator, for someone who asked by other means
    expect((await json(await server.post("/directory/withdraw", { personId: "per_guest_http" }, coordinator))).state).toBe("Withdrawn")
    expect(await names(await server.post("/directory/search", {}, participant))).toEqual([])

    // joining again lists the person anew, with a new consent
    const again = await json(await server.post("/directory/join", entry, keyPerson))
    expect(again.state).toBe("Listed")
    expect(again.withdrawnAt).toBeUndefined()
    expect(await names(await server.post("/directory/search", { theme: "energietransitie" }, participant))).toEqual(["Anna de Vries"])
  })
})
