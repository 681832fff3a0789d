import { describe, expect, it } from 'vitest'
import { type TotalKind, TotalsRun, totalOf } from './totalsCompute'

/** A tiny deterministic generator (tests must not depend on Math.random). */
function lcg(seed: number) {
  let x = seed >>> 0
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0
    return x / 2 ** 32
  }
}

describe('totals computed in slices', () => {
  it('any slicing gives the figures of one pass over the same rows, for every kind', () => {
    const rnd = lcg(7)
    const kinds: TotalKind[] = ['sum', 'avg', 'count', 'min', 'max', 'none']
    const rows = Array.from({ length: 5_000 }, (_, i) => `r${i}`)
    const cell = new Map<string, unknown>()
    for (const r of rows)
      kinds.forEach((k, c) => {
        const x = rnd()
        // numbers (some decimals), blanks, text and booleans mixed in
        const v = x < 0.1 ? null : x < 0.15 ? '—' : x < 0.18 ? true : Math.round(x * 1e4) / 100
        cell.set(`${r}|${k}${c}`, v)
      })
    const columns = kinds.map((kind, c) => ({ colId: `${kind}${c}`, kind }))
    const read = (r: string, col: string) => cell.get(`${r}|${col}`)
    const oneGo = new Map(
      columns
        .filter((c) => c.kind !== 'none')
        .map((c) => [
          c.colId,
          totalOf(
            rows.map((r) => read(r, c.colId)),
            c.kind,
          ),
        ]),
    )
    for (const every of [1, 2, 3, 7, 50]) {
      const run = new TotalsRun(rows, columns, read)
      let n = 0
      let slices = 1
      while (!run.step(() => ++n % every === 0)) slices++
      expect(run.result()).toEqual(oneGo)
      // Sliced as asked: one look at the clock per 512 rows.
      if (every === 1) expect(slices).toBe(Math.ceil(rows.length / 512))
    }
    // No rows: sums are 0, averages and extremes have nothing to show.
    const empty = new TotalsRun([], columns, read)
    expect(empty.step(() => true)).toBe(true)
    expect(empty.result().get('sum0')).toBe(0)
    expect(empty.result().get('avg1')).toBeNull()
  })
})
