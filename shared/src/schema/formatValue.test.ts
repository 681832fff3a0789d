// Formatting stored values for display and for editing (formatValue.ts).
import { describe, expect, it } from 'vitest'
import {
  BOOL,
  col,
  DATE,
  INTEGER,
  LEVELS,
  NUMBER,
  PERCENT,
  TEXT,
  WAN,
  YUAN,
} from './testColumns.js'
import { formatValue } from './values.js'

describe('formatValue', () => {
  it('numbers with thousands separators', () => {
    expect(formatValue(1197, NUMBER)).toBe('1,197')
    expect(formatValue(12037000, INTEGER)).toBe('12,037,000')
    expect(formatValue(-1197.5, NUMBER)).toBe('-1,197.5')
    expect(formatValue(0.1 + 0.2, NUMBER)).toBe('0.30000000000000004')
    expect(formatValue(1e21, NUMBER)).toBe('1,000,000,000,000,000,000,000')
    expect(formatValue(1.5e-7, NUMBER)).toBe('0.00000015')
    expect(formatValue(1197, NUMBER, { forEdit: true })).toBe('1197')
  })
  it('numbers with fixed decimals round half away from zero', () => {
    const two = col('number', { decimals: 2 })
    expect(formatValue(1.005, two)).toBe('1.01')
    expect(formatValue(1197, two)).toBe('1,197.00')
    expect(formatValue(-0.001, two)).toBe('0.00')
    expect(formatValue(9.995, two)).toBe('10.00')
    expect(formatValue(1.005, two, { forEdit: true })).toBe('1.005')
  })
  it('percent', () => {
    expect(formatValue(0.637, PERCENT)).toBe('63.7%')
    expect(formatValue(1, PERCENT)).toBe('100%')
    expect(formatValue(0.07, PERCENT)).toBe('7%')
    expect(formatValue(0.123456, PERCENT)).toBe('12.35%')
    expect(formatValue(0.123456, PERCENT, { forEdit: true })).toBe('12.3456%')
    expect(formatValue(0.637, col('percent', { decimals: 2 }))).toBe('63.70%')
    expect(formatValue(0.637, PERCENT, { percentStyle: 'number' })).toBe('0.637')
    expect(formatValue(123.45, PERCENT)).toBe('12,345%')
  })
  it('money shows its unit; edit shows a plain number in the unit', () => {
    expect(formatValue(276, WAN)).toBe('276万元')
    expect(formatValue(2760000, YUAN)).toBe('2,760,000元')
    expect(formatValue(2760000, col('money'))).toBe('2,760,000元')
    expect(formatValue(276, WAN, { forEdit: true })).toBe('276')
    expect(formatValue(2760000, YUAN, { forEdit: true })).toBe('2760000')
    expect(formatValue(-5, YUAN)).toBe('-5元')
    expect(formatValue(12.5, col('money', { unit: '万元', decimals: 2 }))).toBe('12.50万元')
  })
  it('dates, booleans, enums, references, text, empty', () => {
    expect(formatValue('2024-05-24', DATE)).toBe('2024-05-24')
    expect(formatValue(true, BOOL)).toBe('是')
    expect(formatValue(false, BOOL)).toBe('否')
    expect(formatValue(true, BOOL, { locale: 'en' })).toBe('Yes')
    expect(formatValue(false, BOOL, { locale: 'en' })).toBe('No')
    expect(formatValue('红', LEVELS)).toBe('红')
    expect(formatValue('row-1', col('reference'), { referenceLabel: () => '朝歌街道社工站' })).toBe(
      '朝歌街道社工站',
    )
    expect(formatValue('row-1', col('reference'))).toBe('row-1')
    expect(formatValue('a\nb', TEXT)).toBe('a\nb')
    for (const c of [NUMBER, PERCENT, WAN, DATE, BOOL, TEXT, LEVELS])
      expect(formatValue(null, c)).toBe('')
  })
  it('shows values of the wrong type as they are', () => {
    expect(formatValue('abc', NUMBER)).toBe('abc')
    expect(formatValue(5, BOOL)).toBe('5')
    expect(formatValue(Number.NaN, NUMBER)).toBe('NaN')
  })
})
