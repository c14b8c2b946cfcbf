// The Promise facade has the directory service: typed inputs, failures that are instanceof-able,
// the entry in the person's export and erased with the person.
import { describe, expect, it } from "vitest"
import { Layer } from "effect"
import { Client, Forbidden, RuleViolation, Services, ValidationError } from "@copkit/core"
import { Fixtures, Memory } from "@copkit/testing"

const layer = Services.layer.pipe(Layer.provideMerge(Memory.layer))
const { actors } = Fixtures

describe("the Promise facade: directory", () => {
  it("joins, searches, exports and erases as async functions", async () => {
    const copkit = Client.make(layer)
    try {
      const input = { consent: true as const, name: "Joost Jansen", organisation: "Gemeente Utrecht", themes: ["Digitalisering in het mkb"] }
      // @ts-expect-error consent is the literal true: the compiler refuses false, and at run time it is a ValidationError
      const refused = await copkit.directory.join(actors.organiser, { ...input, consent: false }).catch((e: unknown) => e)
      expect(refused).toBeInstanceOf(ValidationError)
      expect(refused).toMatchObject({ field: "consent" })

      const entry = await copkit.directory.join(actors.organiser, input)
      expect(entry).toMatchObject({ state: "Listed", role: "RegionalOrganiser", regionId: "utrecht" })
      expect(entry.consentedAt).toBeInstanceOf(Date)
      expect(await copkit.directory.join(actors.organiser, input).catch((e: unknown) => e)).toBeInstanceOf(RuleViolation)
      expect(await copkit.directory.join(actors.participant, input).catch((e: unknown) => e)).toBeInstanceOf(Forbidden)

      const found = await copkit.directory.search(actors.keyPersonTwente, { theme: "digitalisering in het MKB" })
      expect(found.map((h) => h.name)).toEqual(["Joost Jansen"])

      // the entry is the person's personal data: in their export, and cleared by an erasure
      const exported = await copkit.personalData.exportPerson(actors.coordinator, { personId: actors.organiser.personId })
      expect(JSON.stringify(exported)).toContain("Digitalisering in het mkb")
      await copkit.personalData.erase(actors.coordinator, { personId: actors.organiser.personId })
      expect(await copkit.directory.search(actors.keyPersonTwente, { theme: "digitalisering" })).toEqual([])
      const erased = await copkit.directory.get(actors.coordinator, { personId: actors.organiser.personId })
      expect(erased).toMatchObject({ state: "Erased", themes: [] })
      expect(JSON.stringify(erased)).not.toContain("Joost")
      expect(JSON.stringify(erased)).not.toContain("Gemeente Utrecht")
    } finally {
      await copkit.dispose()
    }
  })
})
