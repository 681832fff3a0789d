import { describe, expect, it } from 'vitest'
import { cappedWidths, MIN_PINNED_WIDTH_PX } from './narrowPinned'

describe('cappedWidths', () => {
  it('leaves pinned columns alone when they fit in 40% of the grid', () => {
    expect(cappedWidths([200], 48, 1280)).toEqual([200])
  })
  it('caps the pinned columns at 40% of a 390 px phone grid', () => {
    const [w] = cappedWidths([200], 48, 390)
    expect(w! + 48).toBeLessThanOrEqual(390 * 0.4)
    expect(w).toBe(108)
  })
  it('scales several frozen columns alike and never below the minimum', () => {
    expect(cappedWidths([200, 100], 48, 390)).toEqual(
      [72, 36].map((w) => Math.max(w, MIN_PINNED_WIDTH_PX)),
    )
    expect(cappedWidths([200], 48, 100)).toEqual([MIN_PINNED_WIDTH_PX])
  })
})
