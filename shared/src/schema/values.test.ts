// parseValue and formatValue together (round trips, never throwing) and the fast paths against the
// general parsers; per-type cases are in normalizeText, parseNumber, parseDate, parseChoice and formatValue tests.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { CellValue } from './columnTypes.js'
import {
  BOOL,
  col,
  DATE,
  INTEGER,
  LEVELS,
  NUMBER,
  PERCENT,
  TEXT,
  value,
  WAN,
  YUAN,
} from './testColumns.js'
import {
  type FormatOptions,
  formatValue,
  isIsoDate,
  type ParseOptions,
  type ParseResult,
  parseValue,
  parseValueQuick,
  type ValueColumn,
} from './values.js'

describe('text', () => {
  it('keeps text as typed, with CRLF and CR made LF', () => {
    expect(value('  朝歌街道 ', TEXT)).toBe('  朝歌街道 ')
    expect(value('a\r\nb\rc\nd', TEXT)).toBe('a\nb\nc\nd')
    expect(value('（１２３）', TEXT)).toBe('（１２３）')
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
