import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { CellValue, ColumnFormat, ColumnType, EnumOption } from './columnTypes.js'
import {
  type FormatOptions,
  formatValue,
  isBlankInput,
  isIsoDate,
  normalizeText,
  type ParseOptions,
  type ParseResult,
  parseValue,
  parseValueQuick,
  type ValueColumn,
} from './values.js'

function col(type: ColumnType, format: ColumnFormat = {}, options?: EnumOption[]): ValueColumn {
  return { type, format, constraints: options ? { options } : {} }
}
const NUMBER = col('number')
const INTEGER = col('integer')
const PERCENT = col('percent')
const WAN = col('money', { unit: '万元' })
const YUAN = col('money', { unit: '元' })
const DATE = col('date')
const BOOL = col('boolean')
const TEXT = col('text')
const LEVELS = col('enum', {}, [
  { value: '红', color: 'red' },
  { value: '橙' },
  { value: '黄' },
  { value: 'Blue' },
])

function value(input: string, column: ValueColumn, opts?: ParseOptions): CellValue | undefined {
  const r = parseValue(input, column, opts)
  return r.ok ? r.value : undefined
}
function errorKind(input: string, column: ValueColumn, opts?: ParseOptions): string | undefined {
  const r = parseValue(input, column, opts)
  return r.ok ? undefined : r.error.kind
}

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

describe('text', () => {
  it('keeps text as typed, with CRLF and CR made LF', () => {
    expect(value('  朝歌街道 ', TEXT)).toBe('  朝歌街道 ')
    expect(value('a\r\nb\rc\nd', TEXT)).toBe('a\nb\nc\nd')
    expect(value('（１２３）', TEXT)).toBe('（１２３）')
  })
})

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

// ---------------------------------------------------------------------------------------------------------
// Properties

const ALL_COLUMNS: ValueColumn[] = [
  NUMBER,
  INTEGER,
  PERCENT,
  WAN,
  YUAN,
  DATE,
  BOOL,
  TEXT,
  LEVELS,
  col('reference'),
  col('number', { decimals: 2 }),
]

const numberish = fc.stringMatching(
  /^[-+(（]?[¥￥]?[0-9０-９,，.．]{0,12}[万亿千]?[余多+]?[%％元人次个]?[)）]?$/,
)

function roundTrip(
  v: CellValue,
  c: ValueColumn,
  f: FormatOptions = {},
  p: ParseOptions = {},
): void {
  const text = formatValue(v, c, f)
  const r: ParseResult = parseValue(text, c, p)
  expect(r, `${JSON.stringify(v)} → ${JSON.stringify(text)}`).toEqual({ ok: true, value: v })
}

describe('properties', () => {
  it('parseValue never throws and always returns a well-formed result', () => {
    const tokens = fc
      .array(
        fc.constantFrom(...'0１2.．,，-－+()（）%％万亿元年月日号/余约近 TQ:eE¥无—是否'.split('')),
        {
          maxLength: 16,
        },
      )
      .map((a) => a.join(''))
    const input = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme' }),
      fc.string({ unit: 'binary' }),
      numberish,
      tokens,
    )
    fc.assert(
      fc.property(input, fc.constantFrom(...ALL_COLUMNS), fc.boolean(), (s, c, excelSerial) => {
        const r = parseValue(s, c, { excelSerial })
        if (r.ok) {
          expect(['string', 'number', 'boolean', 'object']).toContain(typeof r.value)
          if (typeof r.value === 'number') expect(Number.isFinite(r.value)).toBe(true)
        } else {
          expect(r.error.input).toBe(s)
          expect(r.error.message.zh.length).toBeGreaterThan(0)
          expect(r.error.message.en.length).toBeGreaterThan(0)
        }
      }),
      { numRuns: 3000 },
    )
  })

  it('formatValue never throws', () => {
    const v = fc.oneof(fc.string(), fc.double(), fc.boolean(), fc.constant(null))
    fc.assert(
      fc.property(v, fc.constantFrom(...ALL_COLUMNS), (value, c) => {
        expect(typeof formatValue(value, c)).toBe('string')
        expect(typeof formatValue(value, c, { forEdit: true, locale: 'en' })).toBe('string')
      }),
    )
  })

  const finite = fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (n === 0 ? 0 : n))

  it('numbers (including huge, tiny and negative) round-trip through display and edit text', () => {
    fc.assert(
      fc.property(finite, (n) => {
        roundTrip(n, NUMBER)
        roundTrip(n, NUMBER, { forEdit: true })
      }),
      { numRuns: 2000 },
    )
  })

  it('integers round-trip', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.constant(1e21)), (n) => {
        roundTrip(n === 0 ? 0 : n, INTEGER)
        roundTrip(n === 0 ? 0 : n, INTEGER, { forEdit: true })
      }),
    )
  })

  it('money round-trips in both units, for display and edit', () => {
    fc.assert(
      fc.property(finite, (n) => {
        for (const c of [WAN, YUAN]) {
          roundTrip(n, c)
          roundTrip(n, c, { forEdit: true })
        }
      }),
      { numRuns: 2000 },
    )
  })

  it('percent round-trips: any fraction through edit text, two-decimal percents through display', () => {
    fc.assert(
      fc.property(finite, (n) => {
        roundTrip(n, PERCENT, { forEdit: true })
        roundTrip(n, PERCENT, { forEdit: true, percentStyle: 'number' }, { percentStyle: 'number' })
      }),
      { numRuns: 2000 },
    )
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), (k) => {
        const n = k / 10000
        roundTrip(n === 0 ? 0 : n, PERCENT)
      }),
      { numRuns: 2000 },
    )
  })

  it('dates round-trip, and every accepted date is a real ISO date', () => {
    const day = fc.date({
      min: new Date('0001-01-01'),
      max: new Date('9999-12-31'),
      noInvalidDate: true,
    })
    fc.assert(
      fc.property(day, (d) => {
        const iso = d.toISOString().slice(0, 10)
        roundTrip(iso, DATE)
        const [, m, dd] = iso.split('-').map(Number)
        expect(value(`${iso.slice(0, 4)}年${m}月${dd}日`, DATE)).toBe(iso)
        expect(value(`${iso.slice(0, 4)}/${m}/${dd}`, DATE)).toBe(iso)
      }),
    )
    fc.assert(
      fc.property(fc.stringMatching(/^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?$/), (s) => {
        const r = parseValue(s, DATE)
        if (r.ok) expect(isIsoDate(r.value)).toBe(true)
      }),
    )
  })

  it('booleans round-trip in both locales', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.constantFrom<'zh-CN' | 'en'>('zh-CN', 'en'), (b, locale) => {
        roundTrip(b, BOOL, { locale })
      }),
    )
  })

  it('enum options round-trip', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 8 }),
        (values) => {
          const c = col(
            'enum',
            {},
            values.filter((v) => v.trim() !== '').map((value) => ({ value })),
          )
          for (const o of c.constraints.options ?? []) roundTrip(o.value, c)
        },
      ),
    )
  })

  it('text without CR round-trips', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        fc.pre(s.trim() !== '' && !s.includes('\r'))
        roundTrip(s, TEXT)
      }),
    )
  })

  it('full-width input parses like its half-width form', () => {
    const toFull = (s: string) =>
      [...s]
        .map((ch) => (ch >= '!' && ch <= '~' ? String.fromCharCode(ch.charCodeAt(0) + 0xfee0) : ch))
        .join('')
    fc.assert(
      fc.property(numberish, fc.constantFrom(NUMBER, PERCENT, WAN, YUAN), (s, c) => {
        const full = parseValue(toFull(s), c)
        const half = parseValue(s, c)
        expect(full.ok).toBe(half.ok)
        if (full.ok && half.ok) expect(full).toEqual(half)
        else if (!full.ok && !half.ok) expect(full.error.kind).toBe(half.error.kind)
      }),
    )
  })
})

describe('parseValueQuick (the fast paths)', () => {
  // A leading space sends parseValue through the general parsers, which trim it: the fast paths must
  // agree with them on everything they accept, including -0 read as 0 and exact decimal scaling.
  const columns: [ValueColumn, ParseOptions][] = [
    [NUMBER, {}],
    [INTEGER, {}],
    [col('percent'), {}],
    [col('percent'), { percentStyle: 'number' }],
    [col('money'), {}],
    [col('money', { unit: '万元' }), {}],
    [col('date'), {}],
    [col('date'), { excelSerial: true }],
    [col('boolean'), {}],
  ]
  const digits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 19 })
  const numeric = fc
    .tuple(
      fc.constantFrom('', '-'),
      digits,
      fc.nat(20),
      fc.boolean(),
      fc.constantFrom('', '%', '元', '万元', '万', '人次', ',', '.', 'e5'),
    )
    .map(([sign, d, at, group, suffix]) => {
      let int = d.slice(0, at % (d.length + 1)) || '0'
      const frac = d.slice(int.length)
      if (group) int = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
      return sign + int + (frac ? `.${frac}` : '') + suffix
    })
  const field = fc.constantFrom(
    '0',
    '1',
    '2',
    '9',
    '01',
    '09',
    '10',
    '12',
    '13',
    '28',
    '29',
    '30',
    '31',
    '32',
  )
  const date = fc
    .tuple(fc.constantFrom('2024', '2023', '1900', '2000', '0000', '9999'), field, field)
    .chain(([y, m, d]) =>
      fc.constantFrom(
        `${y}-${m}-${d}`,
        `${y}/${m}/${d}`,
        `${y}.${m}.${d}`,
        `${y}年${m}月${d}日`,
        `${y}-${m}/${d}`,
      ),
    )
  const words = fc.constantFrom(
    '是',
    '否',
    'yes',
    'no',
    'Y',
    'n',
    '1',
    '0',
    '√',
    '×',
    '—',
    '',
    '是的',
  )
  it('agrees with the general parsers', () => {
    fc.assert(
      fc.property(fc.oneof(numeric, date, words), fc.constantFrom(...columns), (input, [c, o]) => {
        const quick = parseValueQuick(input, c, o)
        const general = parseValue(` ${input}`, c, o)
        if (quick === undefined) return
        expect(general).toEqual({ ok: true, value: quick })
        if (typeof quick === 'number' && general.ok)
          expect(Object.is(quick, general.value)).toBe(true)
        expect(parseValue(input, c, o)).toEqual(general)
      }),
      { numRuns: 5000 },
    )
  })
  it('edit text of a number or percent is plain shortest decimal text (its fast path)', () => {
    const canonical = /^-?(0|[1-9]\d*)(\.\d*[1-9])?$/
    fc.assert(
      fc.property(fc.double({ min: -1e15, max: 1e15, noNaN: true }), (n) => {
        const number = formatValue(n, NUMBER, { forEdit: true })
        const percent = formatValue(n, col('percent'), { forEdit: true })
        if (!String(n).includes('e')) {
          expect(number).toBe(String(n === 0 ? 0 : n))
          expect(percent.slice(0, -1)).toMatch(canonical)
        }
        expect(parseValue(percent, col('percent'))).toEqual({ ok: true, value: n === 0 ? 0 : n })
      }),
      { numRuns: 3000 },
    )
    expect(formatValue(0.637, col('percent'), { forEdit: true })).toBe('63.7%')
    expect(formatValue(-0.005, col('percent'), { forEdit: true })).toBe('-0.5%')
    expect(formatValue(12, col('percent'), { forEdit: true })).toBe('1200%')
  })
  it('takes the common CSV shapes', () => {
    expect(parseValueQuick('1,197', INTEGER)).toBe(1197)
    expect(parseValueQuick('63.7%', col('percent'))).toBe(0.637)
    expect(parseValueQuick('218.3万元', col('money', { unit: '万元' }))).toBe(218.3)
    expect(parseValueQuick('218.3万元', col('money'))).toBe(2183000)
    expect(parseValueQuick('2021年5月24日', col('date'))).toBe('2021-05-24')
    expect(parseValueQuick('2021-02-30', col('date'))).toBeUndefined()
    expect(parseValueQuick('是', col('boolean'))).toBe(true)
    expect(parseValueQuick('  ', col('text'))).toBeNull()
    expect(parseValueQuick('a\r\nb', col('text'))).toBeUndefined()
    expect(parseValueQuick('-0', NUMBER)).toBe(0)
    expect(Object.is(parseValueQuick('-0.0%', NUMBER), 0)).toBe(true)
  })
})
