// Numbers, percents and money (parseNumber.ts), through parseValue.
import { describe, expect, it } from 'vitest'
import { col, errorKind, INTEGER, NUMBER, PERCENT, value, WAN, YUAN } from './testColumns.js'
import { parseValue } from './values.js'

describe('numbers', () => {
  it.each([
    ['1,197', 1197],
    ['1，197', 1197],
    ['１，１９７', 1197],
    ['1435', 1435],
    [' 12.037 ', 12.037],
    ['+7', 7],
    ['(5)', -5],
    ['（１２３）', -123],
    ['-1,197.5', -1197.5],
    ['.5', 0.5],
    ['5.', 5],
    ['1.2E+05', 120000],
    ['1.2万', 12000],
    ['1.1万', 11000],
    ['1203.7万', 12037000],
    ['1亿', 100000000],
    ['3千', 3000],
    ['193个', 193],
    ['2,163场', 2163],
    ['256人', 256],
    ['63.7%', 0.637],
    ['0', 0],
    ['-0', 0],
  ])('%j → %j', (input, expected) => {
    expect(value(input, NUMBER)).toBe(expected)
  })

  it.each([
    ['1.2万余人次', 12000],
    ['23,000+', 23000],
    ['55,000余', 55000],
    ['7,000多名', 7000],
    ['约240人', 240],
    ['近30,000', 30000],
    ['216+起', 216],
    ['12,000人次以上', 12000],
  ])('approximate %j → %j with approximate: true', (input, expected) => {
    expect(parseValue(input, NUMBER)).toEqual({ ok: true, value: expected, approximate: true })
  })

  it('exact figures carry no approximate flag', () => {
    expect(parseValue('1,197', NUMBER)).toEqual({ ok: true, value: 1197 })
  })

  it.each([
    'abc',
    '1,2345',
    '12,34',
    '1.2.3',
    '5--',
    '((5))',
    '(-5)',
    '1e999',
    '万',
    '5万万',
    '63.7%元',
  ])('rejects %j as not-a-number', (input) => {
    const r = parseValue(input, NUMBER)
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.kind).toBe('not-a-number')
      expect(r.error.input).toBe(input)
      expect(r.error.message.zh).toContain('不是有效的数字')
      expect(r.error.message.en).toContain('is not a valid number')
    }
  })

  it('integers reject fractions but accept 万 that makes a whole number', () => {
    expect(value('1,197', INTEGER)).toBe(1197)
    expect(value('1.2万余人次', INTEGER)).toBe(12000)
    expect(errorKind('1.5', INTEGER)).toBe('not-an-integer')
    expect(errorKind('abc', INTEGER)).toBe('not-a-number')
    const r = parseValue('1.5', INTEGER)
    expect(!r.ok && r.error.message).toEqual({
      zh: '“1.5”不是整数',
      en: '"1.5" is not a whole number',
    })
  })
})

describe('percent', () => {
  it('reads % inputs as fractions', () => {
    expect(value('63.7%', PERCENT)).toBe(0.637)
    expect(value('６３．７％', PERCENT)).toBe(0.637)
    expect(value('100%', PERCENT)).toBe(1)
    expect(value('-2.5%', PERCENT)).toBe(-0.025)
    expect(value('0.07%', PERCENT)).toBe(0.0007)
  })
  it('reads a bare number as percent points by default (63.7 → 0.637, 0.5 → 0.005)', () => {
    expect(value('63.7', PERCENT)).toBe(0.637)
    expect(value('100', PERCENT)).toBe(1)
    expect(value('0.5', PERCENT)).toBe(0.005)
    expect(value('7', PERCENT)).toBe(0.07)
  })
  it("reads a bare number as a fraction with percentStyle: 'number'", () => {
    expect(value('0.637', PERCENT, { percentStyle: 'number' })).toBe(0.637)
    expect(value('63.7%', PERCENT, { percentStyle: 'number' })).toBe(0.637)
  })
  it('rejects money and count words', () => {
    for (const s of ['5万', '5元', '5人', 'abc', '%'])
      expect(errorKind(s, PERCENT)).toBe('bad-percent')
    const r = parseValue('abc', PERCENT)
    expect(!r.ok && r.error.message.zh).toBe('“abc”不是有效的百分比（如 63.7%）')
  })
})

describe('money', () => {
  it('276万元 is 276 in a 万元 column and 2,760,000 in a 元 column', () => {
    expect(value('276万元', WAN)).toBe(276)
    expect(value('276万元', YUAN)).toBe(2760000)
  })
  it('2,760,000元 is 276 in a 万元 column', () => {
    expect(value('2,760,000元', WAN)).toBe(276)
    expect(value('2,760,000元', YUAN)).toBe(2760000)
    expect(value('¥2,760,000', WAN)).toBe(276)
    expect(value('￥２７６００００', WAN)).toBe(276)
  })
  it('a bare number is already in the column unit', () => {
    expect(value('153', WAN)).toBe(153)
    expect(value('94', WAN)).toBe(94)
    expect(value('153', YUAN)).toBe(153)
    expect(value('153', col('money'))).toBe(153)
  })
  it('a multiplier means yuan', () => {
    expect(value('1.2万', WAN)).toBe(1.2)
    expect(value('1.2万', YUAN)).toBe(12000)
    expect(value('1亿元', WAN)).toBe(10000)
    expect(value('10万元', WAN)).toBe(10)
    expect(value('5元', WAN)).toBe(0.0005)
  })
  it('negatives in parentheses and with signs', () => {
    expect(value('(5)', WAN)).toBe(-5)
    expect(value('（５）', YUAN)).toBe(-5)
    expect(value('-¥5', YUAN)).toBe(-5)
    expect(value('¥-5', YUAN)).toBe(-5)
    expect(value('(2,760,000元)', WAN)).toBe(-276)
  })
  it('approximate amounts', () => {
    expect(parseValue('近300万元', WAN)).toEqual({ ok: true, value: 300, approximate: true })
  })
  it('rejects percent and count words', () => {
    expect(errorKind('5%', WAN)).toBe('not-a-number')
    expect(errorKind('5人次', YUAN)).toBe('not-a-number')
    const r = parseValue('很多', WAN)
    expect(!r.ok && r.error.message.zh).toBe('“很多”不是有效的金额（如 276万元）')
  })
})
