import { describe, expect, it } from 'vitest'
import { defaultTotal, TOTAL_KINDS, totalOf } from './totalsRow'

describe('totals row figures', () => {
  it('sum, average, count, min, max over the shown cells; blanks and text skipped; none is empty', () => {
    const cells = [3, null, 7, undefined, 'x', 2.5]
    expect(totalOf(cells, 'sum')).toBe(12.5)
    expect(totalOf(cells, 'avg')).toBeCloseTo(12.5 / 3)
    expect(totalOf(cells, 'count')).toBe(4)
    expect(totalOf(cells, 'min')).toBe(2.5)
    expect(totalOf(cells, 'max')).toBe(7)
    expect(totalOf(cells, 'none')).toBeNull()
    expect(totalOf([], 'sum')).toBe(0)
    expect(totalOf([], 'avg')).toBeNull()
    // Exact decimals: 0.1 + 0.2 is 0.3 here.
    expect(totalOf([0.1, 0.2], 'sum')).toBe(0.3)
  })
  it('numeric columns default to a sum; the click cycle covers every kind', () => {
    expect(defaultTotal(true)).toBe('sum')
    expect(defaultTotal(false)).toBe('none')
    expect(new Set(TOTAL_KINDS).size).toBe(6)
  })
})
