import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { Planner } from "@copkit/core"
import { busySearch } from "../src/internal/plannerTime.js"

// The busy periods' search against a naive one: every period sorted by start, end, summary (by
// code unit) and input order with a comparator, then, for a question [start, end), the first of
// the periods starting before `end` that ends last, if it ends after `start`.

interface Period {
  readonly start: Date
  readonly end: Date
  readonly summary?: string
}

const naive = (busy: ReadonlyArray<Period>) => {
  const kept = busy.map((p, i) => ({ p, i })).filter(({ p }) => p.end.getTime() > p.start.getTime())
  kept.sort((a, b) => {
    const d = a.p.start.getTime() - b.p.start.getTime() || a.p.end.getTime() - b.p.end.getTime()
    if (d !== 0) return d
    const x = a.p.summary ?? ""
    const y = b.p.summary ?? ""
    return x < y ? -1 : x > y ? 1 : a.i - b.i
  })
  const overlap = (start: number, end: number): number => {
    let found = -1
    for (let k = 0; k < kept.length && kept[k]!.p.start.getTime() < end; k++) {
      if (found < 0 || kept[k]!.p.end.getTime() > kept[found]!.p.end.getTime()) found = k
    }
    return found >= 0 && kept[found]!.p.end.getTime() > start ? found : -1
  }
  return { periods: kept.map(({ p }) => p), inputOf: (k: number) => kept[k]!.i, overlap }
}

const base = Date.UTC(2027, 0, 4)

/** Periods with many ties (few starts, ends and summaries), some empty, in a unit of ms, s or min, over a short or a very long range. */
const arbBusy = fc.record({
  unit: fc.constantFrom(1, 1000, 60_000, 3_600_000),
  spread: fc.constantFrom(10, 50, 5_000, 2 ** 34),
  periods: fc.array(
    fc.record({
      at: fc.integer({ min: 0, max: 1_000_000 }),
      length: fc.integer({ min: 0, max: 12 }),
      summary: fc.option(fc.constantFrom("Raad", "Beurs", "beurs", "Congres", "Ä", ""), { nil: undefined })
    }),
    { maxLength: 300 }
  )
}).map(({ unit, spread, periods }): Array<Period> =>
  periods.map(({ at, length, summary }) => {
    const start = base + (at % spread) * unit
    return summary === undefined
      ? { start: new Date(start), end: new Date(start + length * unit) }
      : { start: new Date(start), end: new Date(start + length * unit), summary }
  })
)

const questions = (busy: ReadonlyArray<Period>, extra: ReadonlyArray<number>) => {
  const points = [...busy.flatMap((p) => [p.start.getTime(), p.end.getTime()]), ...extra.map((x) => base + x)]
  const out: Array<[number, number]> = []
  for (const a of points) for (const d of [-1, 0, 1]) out.push([a + d, a + d + 1], [a + d - 3_600_000, a + d])
  for (let i = 0; i + 1 < points.length; i += 2) out.push([Math.min(points[i]!, points[i + 1]!), Math.max(points[i]!, points[i + 1]!) + 1])
  return out
}

describe("Planner: the busy periods' search", () => {
  it("busyIndex sorts as the naive sort and answers every question as the naive scan", () => {
    fc.assert(
      fc.property(arbBusy, fc.array(fc.integer({ min: -10_000, max: 10_000_000 }), { maxLength: 20 }), (busy, extra) => {
        const fast = Planner.busyIndex(busy)
        const slow = naive(busy)
        expect(fast.periods).toEqual(slow.periods)
        for (let k = 0; k < slow.periods.length; k++) expect(fast.periods[k]).toBe(slow.periods[k])
        for (const [start, end] of questions(busy, extra)) expect(fast.overlap(start, end)).toBe(slow.overlap(start, end))
      }),
      { numRuns: 300 }
    )
  })

  it("the planner's search answers with the same period, by its position in the input (and whether there is one)", () => {
    fc.assert(
      fc.property(arbBusy, fc.array(fc.integer({ min: -10_000, max: 10_000_000 }), { maxLength: 20 }), (busy, extra) => {
        const fast = busySearch(busy)
        const slow = naive(busy)
        for (const [start, end] of questions(busy, extra)) {
          const k = slow.overlap(start, end)
          expect(fast.overlap(start, end)).toBe(k < 0 ? -1 : slow.inputOf(k))
          expect(fast.overlaps(start, end)).toBe(k >= 0)
        }
      }),
      { numRuns: 300 }
    )
  })

  it("finds an overlap exactly when one exists, with thousands of periods (the radix sort)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 64, max: 5_000 }), fc.integer(), (count, seed) => {
        let s = seed | 0
        const next = () => {
          s = (Math.imul(s, 1_103_515_245) + 12_345) | 0
          return (s >>> 8) / 16_777_216
        }
        const busy = Array.from({ length: count }, (_, i) => {
          const start = base + Math.floor(next() * 730 * 24) * 3_600_000 + (next() < 0.5 ? Math.floor(next() * 3600) * 1000 : 0)
          return { start: new Date(start), end: new Date(start + Math.floor(next() * 5) * 3_600_000), summary: `E${i % 7}` }
        })
        const fast = Planner.busyIndex(busy)
        const slow = naive(busy)
        expect(fast.periods).toEqual(slow.periods)
        const search = busySearch(busy)
        for (let q = 0; q < 200; q++) {
          const start = base + Math.floor(next() * 740 * 24 * 60) * 60_000
          const end = start + 1 + Math.floor(next() * 4 * 3_600_000)
          const k = slow.overlap(start, end)
          expect(fast.overlap(start, end)).toBe(k)
          expect(search.overlap(start, end)).toBe(k < 0 ? -1 : slow.inputOf(k))
          expect(search.overlaps(start, end)).toBe(k >= 0)
          // an empty period (ending when it starts) blocks nothing
          expect(k >= 0).toBe(busy.some((p) => p.start.getTime() < p.end.getTime() && p.start.getTime() < end && start < p.end.getTime()))
        }
      }),
      { numRuns: 30 }
    )
  })
})
