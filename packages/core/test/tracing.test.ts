import { NodeSdk } from "@effect/opentelemetry"
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { Actor, Intake, Services } from "@copkit/core"
import { Fixtures, Memory } from "@copkit/testing"

describe("every service method is a span", () => {
  it.effect("OpenTelemetry receives Intake.create and Intake.submit with the actor kind and the entity id", () => {
    const exporter = new InMemorySpanExporter()
    const tracing = NodeSdk.layer(() => ({
      resource: { serviceName: "copkit-test" },
      spanProcessor: new SimpleSpanProcessor(exporter)
    }))
    return Effect.gen(function*() {
      const intake = yield* Intake.Intake
      const draft = yield* intake.create(Fixtures.applicationInput()).pipe(Actor.as(Fixtures.actors.keyPerson))
      yield* intake.submit({ applicationId: draft.id }).pipe(Actor.as(Fixtures.actors.keyPerson))
      const refused = yield* Effect.flip(intake.assess({ applicationId: draft.id, criterion: "Urgency", score: 3, note: "x" })
        .pipe(Actor.as(Fixtures.actors.participant)))
      expect(refused._tag).toBe("Forbidden")

      const spans = exporter.getFinishedSpans()
      const create = spans.find((s) => s.name === "Intake.create")
      expect(create?.attributes["copkit.actor.kind"]).toBe("KeyPerson")
      const submit = spans.find((s) => s.name === "Intake.submit")
      expect(submit?.attributes).toMatchObject({ "copkit.actor.kind": "KeyPerson", "copkit.entity.id": draft.id })
      const assess = spans.find((s) => s.name === "Intake.assess")
      expect(assess?.attributes["copkit.actor.kind"]).toBe("Participant")
      // a refused call is an errored span
      expect(assess?.status.code).toBe(2)
    }).pipe(Effect.provide(Layer.mergeAll(Services.layer.pipe(Layer.provideMerge(Memory.layer)), tracing)))
  })
})
