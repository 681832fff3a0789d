import { describe, expect, it } from 'vitest'
import { inferColumnType } from '../schema/inferColumnType.js'
import { formatValue, parseValue, type ValueColumn } from '../schema/values.js'
import { validateCell } from '../validate/validateSheet.js'
import { comparePeriods, formatPeriod, isPeriod, parsePeriod } from './period.js'
import { calendarMonthOf, periodInRange, periodRange, periodsBetween } from './ranges.js'
import { planRetype } from './retype.js'

const ok = (input: string, opts = {}) => {
  const r = parsePeriod(input, opts)
  return r.ok ? r.value : `ERR ${r.error.message.en}`
}

describe('parsePeriod: every format', () => {
  it.each([
    ['2024-07', '2024-07'],
    ['2024/07', '2024-07'],
    ['2024.7', '2024-07'],
    ['2024-7', '2024-07'],
    ['2024年7月', '2024-07'],
    ['2024年07月份', '2024-07'],
    ['24年7月', '2024-07'],
    ['202407', '2024-07'],
    ['２０２４／０７', '2024-07'],
    [' 2024 年 7 月 ', '2024-07'],
    ['2024年第三季度', '2024-Q3'],
    ['2024年第3季度', '2024-Q3'],
    ['2024年三季度', '2024-Q3'],
    ['2024Q3', '2024-Q3'],
    ['2024-Q3', '2024-Q3'],
    ['2024 q3', '2024-Q3'],
    ['2024年Q1', '2024-Q1'],
    ['24年第四季度', '2024-Q4'],
    ['2024', '2024'],
    ['2024 年', '2024'],
    ['2024年度', '2024'],
    ['24年', '2024'],
    ['2024-07-15', '2024-07'],
    ['2024年7月15日', '2024-07'],
    ['2024/7/15 0:00', '2024-07'],
    ['20240715', '2024-07'],
  ])('%s → %s', (input, want) => {
    expect(ok(input)).toBe(want)
  })

  it('Excel serials only when asked, converted to the granularity', () => {
    expect(ok('45488', { excelSerial: true })).toBe('2024-07')
    expect(ok('45488', { excelSerial: true, granularity: 'quarter' })).toBe('2024-Q3')
    expect(ok('45488.5', { excelSerial: true, granularity: 'year' })).toBe('2024')
    expect(ok('45488')).toMatch(/^ERR/)
  })

  it('a full date converts to the column granularity', () => {
    expect(ok('2024-08-31', { granularity: 'quarter' })).toBe('2024-Q3')
    expect(ok('2024年12月1日', { granularity: 'year' })).toBe('2024')
  })

  it('a period of another granularity is refused, in zh and en', () => {
    const r = parsePeriod('2024Q3', { granularity: 'month' })
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.message.zh).toBe('“2024Q3”是季度，本列按月份填写')
      expect(r.error.message.en).toContain('is a quarter')
    }
  })

  it.each([
    '2024-13',
    '2024年0月',
    '2024Q5',
    '七月',
    'abc',
    '2024-02-30',
    '1800',
    '2024年第五季度',
    '',
  ])('rejects %j with a message', (input) => {
    const r = parsePeriod(input)
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.kind).toBe('bad-period')
      expect(r.error.message.zh).toContain('不是有效的期间')
      expect(r.error.message.en).toContain('not a valid period')
    }
  })
})

describe('stored form, display and order', () => {
  it('isPeriod accepts only canonical forms', () => {
    expect(['2024-07', '2024-Q3', '2024'].every(isPeriod)).toBe(true)
    expect(['2024-7', '2024Q3', '2024年', 2024, null, '2024-00'].some(isPeriod)).toBe(false)
  })

  it('shows the Chinese way or as stored', () => {
    expect(formatPeriod('2024-07')).toBe('2024年7月')
    expect(formatPeriod('2024-Q3')).toBe('2024年第3季度')
    expect(formatPeriod('2024')).toBe('2024年')
    expect(formatPeriod('2024-Q3', 'iso')).toBe('2024-Q3')
    expect(formatPeriod('garbage')).toBe('garbage')
  })

  it('sorts chronologically, longer periods first at the same start, non-periods last', () => {
    const sorted = [
      '2024-10',
      'x',
      '2024-Q3',
      '2023',
      '2024-07',
      '2024',
      '2024-Q1',
      '2024-01',
      '2023-12',
    ].sort(comparePeriods)
    expect(sorted).toEqual([
      '2023',
      '2023-12',
      '2024',
      '2024-Q1',
      '2024-01',
      '2024-Q3',
      '2024-07',
      '2024-10',
      'x',
    ])
  })
})

describe('ranges (now is a parameter)', () => {
  const now = { year: 2024, month: 7 }
  it('本月, 上月, 本季度, 今年, 自定义', () => {
    const m = periodRange('thisMonth', now)!
    expect(periodInRange('2024-07', m)).toBe(true)
    expect(periodInRange('2024-06', m)).toBe(false)
    expect(periodInRange('2024-Q3', m)).toBe(false)
    const last = periodRange('lastMonth', now)!
    expect(periodInRange('2024-06', last)).toBe(true)
    expect(periodInRange('2023-12', periodRange('lastMonth', { year: 2024, month: 1 })!)).toBe(true)
    const q = periodRange('thisQuarter', now)!
    expect(['2024-07', '2024-08', '2024-09', '2024-Q3'].every((p) => periodInRange(p, q))).toBe(
      true,
    )
    expect(periodInRange('2024-10', q)).toBe(false)
    const y = periodRange('thisYear', now)!
    expect(['2024-01', '2024-Q4', '2024'].every((p) => periodInRange(p, y))).toBe(true)
    expect(periodInRange('2023-12', y)).toBe(false)
    const c = periodRange('custom', now, { from: '2023-Q4', to: '2024-02' })!
    expect(periodInRange('2023-10', c) && periodInRange('2024-02', c)).toBe(true)
    expect(periodInRange('2024-03', c)).toBe(false)
    expect(periodRange('custom', now, { from: '2024-05', to: '2024-01' })).toBeUndefined()
    expect(periodRange('custom', now, { from: 'x', to: '2024-01' })).toBeUndefined()
  })

  it('calendarMonthOf uses the bureau clock (UTC+8)', () => {
    // 2024-06-30T20:00Z is already July 1st in Beijing.
    expect(calendarMonthOf(Date.UTC(2024, 5, 30, 20))).toEqual({ year: 2024, month: 7 })
    expect(calendarMonthOf(Date.UTC(2024, 5, 30, 20), 0)).toEqual({ year: 2024, month: 6 })
  })

  it('periodsBetween lists the expected periods', () => {
    expect(periodsBetween('2023-11', '2024-02', 'month')).toEqual([
      '2023-11',
      '2023-12',
      '2024-01',
      '2024-02',
    ])
    expect(periodsBetween('2024-02', '2024-Q3', 'quarter')).toEqual([
      '2024-Q1',
      '2024-Q2',
      '2024-Q3',
    ])
    expect(periodsBetween('2022', '2024', 'year')).toEqual(['2022', '2023', '2024'])
  })
})

describe('the period column type', () => {
  const col: ValueColumn = { type: 'period', format: { granularity: 'month' }, constraints: {} }
  it('parseValue/formatValue go through periods, blanks are empty', () => {
    expect(parseValue('2024年7月', col)).toEqual({ ok: true, value: '2024-07' })
    expect(parseValue('—', col)).toEqual({ ok: true, value: null })
    const bad = parseValue('七月', col)
    expect(bad.ok).toBe(false)
    expect(formatValue('2024-07', col)).toBe('2024年7月')
    expect(formatValue('2024-07', col, { forEdit: true })).toBe('2024-07')
    expect(formatValue('2024-07', { ...col, format: { periodStyle: 'iso' } })).toBe('2024-07')
  })

  it('validation flags a non-canonical value in a period column', () => {
    const column = {
      id: 'c',
      name: '期间',
      type: 'period' as const,
      constraints: {},
      format: {},
      width: 90,
      order: 'a',
    }
    expect(validateCell('2024-07', column)).toEqual([])
    expect(validateCell('2024年7月', column).length).toBe(1)
  })

  it('CSV inference picks period for a mixed column, with the common granularity', () => {
    expect(inferColumnType(['2024-07', '2024年7月', '2024/07', '2024.8', ''])).toMatchObject({
      type: 'period',
      format: { granularity: 'month' },
    })
    expect(inferColumnType(['2024Q1', '2024年第二季度', '2024-Q3'])).toMatchObject({
      type: 'period',
      format: { granularity: 'quarter' },
    })
    // Full dates stay dates, plain numbers stay numbers.
    expect(inferColumnType(['2024-05-24', '2024/5/25']).type).toBe('date')
    expect(inferColumnType(['2024', '2023']).type).toBe('integer')
  })

  it('retyping text → period converts what parses and flags (keeps) the rest', () => {
    const text: ValueColumn = { type: 'text', format: {}, constraints: {} }
    const plan = planRetype(
      [
        ['r1', '2024年7月'],
        ['r2', '2024/07'],
        ['r3', '七月'],
        ['r4', null],
        ['r5', '2024-07'],
      ],
      text,
      col,
    )
    expect(plan.edits).toEqual([
      { rowId: 'r1', value: '2024-07' },
      { rowId: 'r2', value: '2024-07' },
    ])
    expect(plan.failures.map((f) => [f.rowId, f.value])).toEqual([['r3', '七月']])
    expect(plan.failures[0]!.message.zh).toContain('七月')
  })
})
