// Booleans, enums and references (parseChoice.ts), through parseValue.
import { describe, expect, it } from 'vitest'
import { BOOL, col, errorKind, LEVELS, value } from './testColumns.js'
import { type ParseOptions, parseValue } from './values.js'

describe('booleans', () => {
  it.each(['是', 'true', 'TRUE', '1', '１', '✓', '√', '✔', 'Y', 'y', 'yes', 'Yes', '对'])(
    '%j → true',
    (s) => {
      expect(value(s, BOOL)).toBe(true)
    },
  )
  it.each(['否', 'false', 'False', '0', '×', '✗', 'N', 'n', 'no', 'NO', '错'])(
    '%j → false',
    (s) => {
      expect(value(s, BOOL)).toBe(false)
    },
  )
  it('rejects anything else', () => {
    const r = parseValue('也许', BOOL)
    expect(r).toEqual({
      ok: false,
      error: {
        kind: 'bad-boolean',
        input: '也许',
        message: { zh: '“也许”应为“是”或“否”', en: '"也许" should be yes or no' },
      },
    })
  })
})

describe('enums', () => {
  it('returns the canonical option value, ignoring width, case and space', () => {
    expect(value('红', LEVELS)).toBe('红')
    expect(value(' 橙 ', LEVELS)).toBe('橙')
    expect(value('blue', LEVELS)).toBe('Blue')
    expect(value('ＢＬＵＥ', LEVELS)).toBe('Blue')
  })
  it('prefers an exact match, so options differing in case both work', () => {
    const c = col('enum', {}, [{ value: 'A' }, { value: 'a' }, { value: '—' }])
    expect(value('a', c)).toBe('a')
    expect(value('A', c)).toBe('A')
    expect(value('—', c)).toBe('—')
  })
  it('rejects values that are not options and lists them', () => {
    const r = parseValue('紫', LEVELS)
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.kind).toBe('not-an-option')
      expect(r.error.message.zh).toBe('“紫”不是可选项（可选：红、橙、黄、Blue）')
      expect(r.error.message.en).toBe('"紫" is not one of the options (红, 橙, 黄, Blue)')
    }
  })
  it('a column without options accepts any text', () => {
    expect(value(' 综合社工站 ', col('enum'))).toBe('综合社工站')
  })
})

describe('references', () => {
  const names = new Map([['朝歌街道社工站', 'row-1']])
  const ids = new Set(['row-1', 'row-2'])
  const opts: ParseOptions = {
    resolveReference: (t) => names.get(t),
    referenceExists: (id) => ids.has(id),
  }
  const REF = col('reference', { refSheet: 'stations' })
  it('resolves a display name, else keeps an existing row id', () => {
    expect(value(' 朝歌街道社工站 ', REF, opts)).toBe('row-1')
    expect(value('row-2', REF, opts)).toBe('row-2')
    expect(errorKind('灵山街道社工站', REF, opts)).toBe('unknown-reference')
  })
  it('without callbacks keeps the trimmed text for validation to check', () => {
    expect(value(' row-9 ', REF)).toBe('row-9')
  })
})
