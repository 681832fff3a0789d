// Dates (parseDate.ts), through parseValue.
import { describe, expect, it } from 'vitest'
import { DATE, errorKind, value } from './testColumns.js'
import { isIsoDate, parseValue } from './values.js'

describe('dates', () => {
  it.each([
    '2024年5月24日',
    '2024年05月24日',
    '2024 年 5 月 24 日',
    '2024年5月24号',
    '2024/5/24',
    '2024-05-24',
    '2024-5-24',
    '2024.5.24',
    '20240524',
    '２０２４年５月２４日',
    '2024/5/24 0:00',
    '2024-05-24T10:30:00Z',
    '2024-05-24 10:30:00',
  ])('%j → 2024-05-24', (input) => {
    expect(parseValue(input, DATE)).toEqual({ ok: true, value: '2024-05-24' })
  })
  it('validates the calendar', () => {
    expect(value('2024-02-29', DATE)).toBe('2024-02-29')
    expect(value('2000-02-29', DATE)).toBe('2000-02-29')
    for (const s of [
      '2024-02-30',
      '2023-02-29',
      '1900-02-29',
      '2024-13-01',
      '2024-04-31',
      '2024-00-10',
    ]) {
      expect(errorKind(s, DATE)).toBe('bad-date')
    }
    const r = parseValue('2024-02-30', DATE)
    expect(!r.ok && r.error.message.zh).toBe('“2024-02-30”不是存在的日期')
  })
  it.each([
    '2024-5',
    '2024-06',
    '2024/6',
    '2024年6月',
    '2024年6月份',
    '202406',
    '2024',
    '2024年',
    '2024-Q2',
    '2024Q2',
    '2024年第二季度',
    '2024年上半年',
  ])('rejects the period %j with period-not-date', (input) => {
    const r = parseValue(input, DATE)
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.kind).toBe('period-not-date')
      expect(r.error.message.zh).toContain('期间')
      expect(r.error.message.en).toContain('period')
    }
  })
  it('rejects other text', () => {
    for (const s of ['昨天', '24/5/24', '5/24/2024', '2024-05-24x', '45436']) {
      expect(errorKind(s, DATE)).toBe('bad-date')
    }
  })
  it('reads Excel serial numbers only when asked', () => {
    expect(value('45436', DATE, { excelSerial: true })).toBe('2024-05-24')
    expect(value('45436.75', DATE, { excelSerial: true })).toBe('2024-05-24')
    expect(value('1', DATE, { excelSerial: true })).toBe('1900-01-01')
    expect(value('59', DATE, { excelSerial: true })).toBe('1900-02-28')
    expect(value('61', DATE, { excelSerial: true })).toBe('1900-03-01')
    expect(errorKind('60', DATE, { excelSerial: true })).toBe('bad-date')
    expect(value('20240524', DATE, { excelSerial: true })).toBe('2024-05-24')
  })
  it('isIsoDate checks form and calendar', () => {
    expect(isIsoDate('2024-05-24')).toBe(true)
    expect(isIsoDate('2024-5-24')).toBe(false)
    expect(isIsoDate('2024-02-30')).toBe(false)
    expect(isIsoDate(20240524)).toBe(false)
  })
})
