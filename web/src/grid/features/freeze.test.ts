import { describe, expect, it } from 'vitest'
import { freezeKey, frozenThatFit } from './freeze'

describe('freeze', () => {
  it('keeps as many frozen columns pinned as fit in 40% of the grid next to the row numbers', () => {
    // 1280 px: 40% is 512; 64 px of row numbers leaves 448 = 8 columns at the 56 px minimum.
    expect(frozenThatFit(3, 64, 1280)).toBe(3)
    expect(frozenThatFit(12, 64, 1280)).toBe(8)
    // 390 px (a phone): 156 − 64 = 92 px, one column.
    expect(frozenThatFit(3, 64, 390)).toBe(1)
    // Nothing frozen stays nothing; a grid too narrow for any keeps none pinned.
    expect(frozenThatFit(0, 64, 1280)).toBe(0)
    expect(frozenThatFit(2, 64, 150)).toBe(0)
  })

  it('keys the setting by workbook and sheet', () => {
    expect(freezeKey('wb1', 's1')).toBe('taizhang.freeze.wb1.s1')
    expect(freezeKey('wb1', 's2')).not.toBe(freezeKey('wb2', 's2'))
  })
})
