// Text normalisation and the blank markers (normalizeText.ts), through parseValue.
import { describe, expect, it } from 'vitest'
import { BOOL, col, DATE, INTEGER, NUMBER, PERCENT, TEXT, value, WAN } from './testColumns.js'
import { isBlankInput, normalizeText, parseValue } from './values.js'

describe('normalizeText', () => {
  it('folds full-width digits, latin, punctuation and spaces, and trims', () => {
    expect(normalizeText('　（１２３）ＡＢＣ ')).toBe('(123)ABC')
    expect(normalizeText('１，１９７．５％')).toBe('1,197.5%')
    expect(normalizeText('￥５ − ３')).toBe('¥5 - 3')
    expect(normalizeText('服务  人次\t')).toBe('服务 人次')
    expect(normalizeText('投入资金（万元）')).toBe('投入资金(万元)')
  })
  it('keeps Chinese text and case', () => {
    expect(normalizeText('朝歌街道 Station')).toBe('朝歌街道 Station')
  })
})

describe('blank inputs', () => {
  const markers = ['', '   ', '\t\n', '—', '——', '-', '－', '/', '／', '无', 'N/A', '–']
  it.each(markers)(
    '%j is an empty cell in number-like, date, boolean and reference columns',
    (s) => {
      for (const c of [NUMBER, INTEGER, PERCENT, WAN, DATE, BOOL, col('reference')]) {
        expect(parseValue(s, c)).toEqual({ ok: true, value: null })
      }
      expect(isBlankInput(s)).toBe(true)
    },
  )
  it('text keeps markers as typed but blank is empty', () => {
    expect(value('—', TEXT)).toBe('—')
    expect(value('无', TEXT)).toBe('无')
    expect(value('  ', TEXT)).toBe(null)
    expect(value('', TEXT)).toBe(null)
  })
  it('"-5" is a number, not a marker', () => {
    expect(value('-5', NUMBER)).toBe(-5)
    expect(value('－５', NUMBER)).toBe(-5)
    expect(value('−5', NUMBER)).toBe(-5)
  })
})
