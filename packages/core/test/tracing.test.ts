import { NodeSdk } from "@effect/opentelemetry"
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { Actor, Ids, Intake, Services } from "@copkit/core"
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

  it.effect("a method's span is the parent of what it runs, also when its service was built inside another span", () => {
    const exporter = new InMemorySpanExporter()
    const tracing = NodeSdk.layer(() => ({
      resource: { serviceName: "copkit-test" },
      spanProcessor: new SimpleSpanProcessor(exporter)
    }))
    // an id port that traces its calls: a span opened inside the method
    let n = 0
    const tracedIds = Layer.succeed(Ids.IdGenerator, {
      next: (kind) => Effect.sync(() => `${Ids.prefixes[kind]}_traced${++n}`).pipe(Effect.withSpan("ids.next"))
    })
    return Effect.gen(function*() {
      const intake = yield* Intake.make.pipe(Effect.withSpan("build"))
      yield* intake.create(Fixtures.applicationInput()).pipe(Actor.as(Fixtures.actors.keyPerson))
      const spans = exporter.getFinishedSpans()
      const create = spans.find((s) => s.name === "Intake.create")
      const minted = spans.filter((s) => s.name === "ids.next")
      expect(create).toBeDefined()
      expect(minted.length).toBeGreaterThan(0)
      for (const span of minted) expect(span.parentSpanContext?.spanId ?? (span as unknown as { parentSpanId?: string }).parentSpanId).toBe(create?.spanContext().spanId)
    }).pipe(Effect.provide(Layer.mergeAll(Memory.layer, tracedIds, tracing)))
  })
})
