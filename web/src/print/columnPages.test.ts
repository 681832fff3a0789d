import { describe, expect, it } from 'vitest'
import { A4_LANDSCAPE_WIDTH_PX, MIN_PRINT_SCALE, planColumnPages } from './columnPages'

describe('print column pages', () => {
  it('fits on one page when the widths fit', () => {
    expect(planColumnPages([140, 140, 140])).toEqual({ groups: [[0, 1, 2]], scale: 1 })
  })

  it('scales down a sheet that almost fits', () => {
    const widths = Array.from({ length: 9 }, () => 140) // 1,260 px
    const p = planColumnPages(widths)
    expect(p.groups).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8]])
    expect(p.scale).toBeCloseTo(A4_LANDSCAPE_WIDTH_PX / 1260, 6)
    expect(p.scale).toBeGreaterThanOrEqual(MIN_PRINT_SCALE)
  })

  it('splits a wide sheet in order, repeating the first column, every group within the page', () => {
    const widths = Array.from({ length: 30 }, (_, i) => 100 + (i % 3) * 40)
    const p = planColumnPages(widths)
    expect(p.scale).toBe(MIN_PRINT_SCALE)
    expect(p.groups.length).toBeGreaterThan(1)
    // Every column appears once, in order, besides the repeated first one.
    expect(p.groups.flatMap((g, k) => (k === 0 ? g : g.slice(1)))).toEqual(widths.map((_, i) => i))
    for (const g of p.groups) {
      expect(g[0]).toBe(0)
      const w = g.reduce((n, i) => n + widths[i]!, 0)
      expect(w * p.scale).toBeLessThanOrEqual(A4_LANDSCAPE_WIDTH_PX)
    }
  })
})
