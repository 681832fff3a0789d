/**
 * Parse what people type (or what a CSV holds) into a cell value, and format a cell value back into text.
 *
 * Pure and total: nothing here throws on any string input. Bad input comes back as a typed error value.
 *
 * Rules that must not drift (tests carry the same names):
 * - Blank: an empty or whitespace-only input is an empty cell (`null`) for every type. For every type but
 *   text, the "nothing here" markers `-` `--` `—` `——` `–` `/` `无` `N/A` (after full-width folding, so
 *   `－` and `／` too) are also empty. A text column keeps them as typed.
 * - Numbers: full-width digits, signs, `．`, `，` and brackets are folded first. `,` groups thousands and must
 *   group by three (`1,197`, `1，197`; `1,2345` is rejected). `(5)` and `（１２３）` are negative (the
 *   accounting convention). Exponents (`1.2E+05`) are accepted. `万` (10⁴), `亿` (10⁸) and `千` (10³) are
 *   multipliers. A count word may follow (`人次`, `人`, `次`, `个`, `家`, `名`, …). Arithmetic is done on the
 *   decimal digits, so `1.1万` is exactly 11000, not 11000.000000000002.
 * - Approximate figures: a prefix `约 近 将近 超过 超 逾` or a suffix `余 多 + 以上` (`1.2万余人次`, `23,000+`)
 *   parse to the stated figure (12000, 23000) and set `approximate: true` on the ok result, so an importer
 *   can flag them. They are not errors.
 * - Percent columns store a fraction. `63.7%` → 0.637. A bare number with no `%` is read as percent points
 *   (`63.7` → 0.637, `0.5` → 0.005), as Excel does for a percent-formatted cell: one rule with no magic
 *   threshold. Pass `percentStyle: 'number'` to read bare numbers as fractions (`0.637` → 0.637), e.g. for
 *   a CSV written with fractions. Number and integer columns also accept `%` (`63.7%` → 0.637).
 * - Money columns store numbers in the column's unit (`format.unit`, default 元). A bare number is already in
 *   that unit. An input with `元`, `¥`/`￥` or a multiplier is an amount in yuan and is converted:
 *   `276万元` → 276 in a 万元 column and 2,760,000 in a 元 column; `2,760,000元` → 276 in a 万元 column;
 *   `1.2万` → 1.2 in a 万元 column.
 * - Dates store `YYYY-MM-DD`. Accepted: `2024年5月24日`, `2024/5/24`, `2024-05-24`, `2024.5.24`, `20240524`,
 *   optionally followed by a time, which is dropped (`2024/5/24 0:00`). The date must exist (no Feb 30).
 *   Periods (`2024-5`, `2024-06`, `2024年6月`, `202406`, `2024`, `2024-Q2`, `2024年第二季度`, `2024年上半年`)
 *   are rejected with kind `period-not-date`: a period is not a day, and storing the first day would make
 *   it look like one. Keep periods (期间) in a text column. Excel serial numbers (45436 → 2024-05-24) are
 *   accepted only with `excelSerial: true`.
 * - Booleans: `是 对 true 1 ✓ √ ✔ Y yes` and `否 错 false 0 × ✗ ✘ N no`, case-insensitive.
 * - Enums: an exact option value first, then the first option equal after folding width and case; the
 *   result is the canonical option value. A column without options accepts any (trimmed) text.
 * - References: the trimmed input goes to `resolveReference` (e.g. a station name → row id); failing that it
 *   is kept if `referenceExists` says it is a row id. With neither callback it is kept as is and left to
 *   validation.
 * - Text: kept as typed, except that CRLF and CR become LF.
 */
import { formatPeriod, parsePeriod } from '../periods/period.js'
import type { CellValue, Column, ColumnType, MoneyUnit } from './columnTypes.js'

/** The column fields that parsing and formatting look at. */
export type ValueColumn = Pick<Column, 'type' | 'format' | 'constraints'>

/** Options for {@link parseValue}. */
export interface ParseOptions {
  /** Accept Excel serial day numbers (1900 system) in date columns. */
  excelSerial?: boolean
  /** How a bare number in a percent column is read: percent points (default) or a fraction. */
  percentStyle?: 'percent' | 'number'
  /** Reference columns: map what the user typed (usually a display name) to a row id. */
  resolveReference?: (text: string) => string | undefined
  /** Reference columns: whether a row id exists in the referenced sheet. */
  referenceExists?: (rowId: string) => boolean
}

/** Options for {@link formatValue}. */
export interface FormatOptions {
  /** UI language; only booleans differ (是/否 or Yes/No). Default zh-CN. */
  locale?: 'zh-CN' | 'en'
  /** Percent columns: `63.7%` (default) or the stored fraction `0.637`. */
  percentStyle?: 'percent' | 'number'
  /** Text for an editor: full precision, no thousands separators, money as a plain number in the unit. */
  forEdit?: boolean
  /** Reference columns: the display name of a row id. */
  referenceLabel?: (rowId: string) => string | undefined
}

/** Why an input could not be parsed. */
export const ParseErrorKinds = {
  notANumber: 'not-a-number',
  notAnInteger: 'not-an-integer',
  badDate: 'bad-date',
  periodNotDate: 'period-not-date',
  badPercent: 'bad-percent',
  badBoolean: 'bad-boolean',
  notAnOption: 'not-an-option',
  unknownReference: 'unknown-reference',
  badPeriod: 'bad-period',
} as const
export type ParseErrorKind = (typeof ParseErrorKinds)[keyof typeof ParseErrorKinds]

/** A bilingual, user-facing message. */
export interface LocalizedMessage {
  zh: string
  en: string
}

export interface ParseError {
  kind: ParseErrorKind
  input: string
  message: LocalizedMessage
}

/** The outcome of {@link parseValue}; `approximate` marks figures like `1.2万余` (12,000+). */
export type ParseResult =
  | { ok: true; value: CellValue; approximate?: true }
  | { ok: false; error: ParseError }

// ---------------------------------------------------------------------------------------------------------
// Text normalisation

const EMPTY_MARKERS = new Set(['', '-', '--', '—', '——', '–', '/', '无', 'n/a'])

/**
 * Fold full-width ASCII (digits, latin letters, punctuation, `　`) to half-width, `￥` to `¥` and `−` to `-`,
 * collapse runs of whitespace to one space, and trim. Letter case is kept.
 * @example normalizeText('　（１２３）ＡＢＣ ') // '(123)ABC'
 */
const NEEDS_NORMALIZING = /[\uff01-\uff5e\u3000\uffe5\u2212]/
const COLLAPSIBLE_SPACE = /\s\s|[^\S ]|^\s|\s$/

export function normalizeText(s: string): string {
  // Fast path: most cells are plain half-width text with single spaces.
  if (!NEEDS_NORMALIZING.test(s))
    return COLLAPSIBLE_SPACE.test(s) ? s.replace(/\s+/g, ' ').trim() : s
  let out = ''
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0
    if (c >= 0xff01 && c <= 0xff5e) out += String.fromCodePoint(c - 0xfee0)
    else if (c === 0x3000) out += ' '
    else if (c === 0xffe5) out += '¥'
    else if (c === 0x2212) out += '-'
    else out += ch
  }
  return out.replace(/\s+/g, ' ').trim()
}

/** Whether an input means "empty" in a non-text column: blank, or a marker like `—`, `-`, `/`, `无`. */
export function isBlankInput(input: string): boolean {
  return EMPTY_MARKERS.has(normalizeText(input).toLowerCase())
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s
}

function fail(kind: ParseErrorKind, input: string, zh: string, en: string): ParseResult {
  return { ok: false, error: { kind, input, message: { zh, en } } }
}

function done(value: CellValue, approximate: boolean): ParseResult {
  return approximate ? { ok: true, value, approximate: true } : { ok: true, value }
}

// ---------------------------------------------------------------------------------------------------------
// Decimal arithmetic: a value is `digits × 10^exp`, so scaling by 万 or % never rounds.

interface Decimal {
  neg: boolean
  /** Base-10 digits without leading zeros; '0' for zero. */
  digits: string
  exp: number
}

function makeDecimal(neg: boolean, digits: string, exp: number): Decimal {
  const d = digits.replace(/^0+/, '')
  return d === '' ? { neg: false, digits: '0', exp: 0 } : { neg, digits: d, exp }
}

function decimalToNumber(d: Decimal): number {
  const n = Number(`${d.digits}e${d.exp}`)
  return d.neg && n !== 0 ? -n : n
}

/** The shortest decimal that round-trips `n` (finite). */
function numberToDecimal(n: number): Decimal {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(n))
  if (!m) return { neg: false, digits: '0', exp: 0 }
  const frac = m[3] ?? ''
  return makeDecimal(m[1] === '-', (m[2] ?? '') + frac, Number(m[4] ?? 0) - frac.length)
}

/** Round half away from zero to at most `decimals` digits after the point. */
function roundDecimal(d: Decimal, decimals: number): Decimal {
  const drop = -d.exp - decimals
  if (drop <= 0) return d
  const keepLen = d.digits.length - drop
  const keep = keepLen > 0 ? d.digits.slice(0, keepLen) : ''
  const next = keepLen >= 0 ? (d.digits[keepLen] ?? '0') : '0'
  const rounded = next >= '5' ? (BigInt(keep || '0') + 1n).toString() : keep
  return makeDecimal(d.neg, rounded, -decimals)
}

function groupThousands(int: string): string {
  return int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/** Plain positional notation; `fixed` pads the fraction, otherwise trailing zeros are dropped. */
function decimalToString(d: Decimal, group: boolean, fixed?: number): string {
  let int: string
  let frac: string
  if (d.exp >= 0) {
    int = d.digits === '0' ? '0' : d.digits + '0'.repeat(d.exp)
    frac = ''
  } else {
    const padded = d.digits.padStart(-d.exp + 1, '0')
    int = padded.slice(0, padded.length + d.exp)
    frac = padded.slice(padded.length + d.exp)
  }
  int = int.replace(/^0+(?=\d)/, '')
  frac = fixed === undefined ? frac.replace(/0+$/, '') : frac.padEnd(fixed, '0')
  const body = (group ? groupThousands(int) : int) + (frac ? `.${frac}` : '')
  return (d.neg ? '-' : '') + body
}

function shiftDecimal(d: Decimal, by: number): Decimal {
  return d.digits === '0' ? d : { ...d, exp: d.exp + by }
}

// ---------------------------------------------------------------------------------------------------------
// Number scanning

interface NumberScan {
  decimal: Decimal
  approximate: boolean
  percent: boolean
  /** The input named yuan (`元`, `¥`) or used a multiplier (`万`, `亿`, `千`). */
  yuan: boolean
  multiplied: boolean
  /** A count word like 人次 followed the number. */
  countWord: boolean
}

const APPROX_PREFIX = /^(?:大约|约|将近|近|超过|超|逾|多于)\s*/
const APPROX_SUFFIX = /^(?:余|多|\+|以上)/
const MULTIPLIERS: Record<string, number> = { 万: 4, 亿: 8, 千: 3 }
const COUNT_WORDS =
  /^(?:人次|家次|期次|户次|人|次|个|家|期|项|名|户|场|所|支|份|篇|件|起|处|套|位|条|天|小时|座|间|元)/
const NUMBER_CORE = /^(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d*))?(?:e([+-]?\d{1,6}))?/i

/** Scan a (normalised) numeric input; `undefined` when it is not a number. */
function scanNumber(normalized: string): NumberScan | undefined {
  let s = normalized
  let approximate = false
  const pre = APPROX_PREFIX.exec(s)
  if (pre) {
    approximate = true
    s = s.slice(pre[0].length)
  }
  let neg = false
  const paren = /^\((.*)\)$/.exec(s)
  if (paren) {
    neg = true
    s = (paren[1] ?? '').trim()
  }
  let yuan = false
  let signed = false
  for (let i = 0; i < 2; i++) {
    if (!signed && (s.startsWith('-') || s.startsWith('+'))) {
      if (s.startsWith('-')) neg = !neg
      if (paren && s.startsWith('-')) return undefined
      signed = true
      s = s.slice(1).trimStart()
    } else if (!yuan && s.startsWith('¥')) {
      yuan = true
      s = s.slice(1).trimStart()
    }
  }
  const core = NUMBER_CORE.exec(s)
  const intPart = core?.[1]
  const fracPart = core?.[2]
  if (!core || (!intPart && !fracPart)) return undefined
  if (intPart === undefined && core[3] !== undefined) return undefined
  s = s.slice(core[0].length).trimStart()
  const digits = (intPart ?? '').replace(/,/g, '') + (fracPart ?? '')
  let exp = -(fracPart ?? '').length + Number(core[3] ?? 0)

  let multiplied = false
  const mult = MULTIPLIERS[s[0] ?? '']
  if (mult !== undefined) {
    multiplied = true
    exp += mult
    s = s.slice(1)
  }
  const takeApprox = () => {
    const m = APPROX_SUFFIX.exec(s)
    if (m) {
      approximate = true
      s = s.slice(m[0].length)
    }
  }
  takeApprox()
  let percent = false
  let countWord = false
  s = s.trimStart()
  if (s.startsWith('%')) {
    percent = true
    s = s.slice(1)
  } else {
    const w = COUNT_WORDS.exec(s)
    if (w) {
      if (w[0] === '元') yuan = true
      else countWord = true
      s = s.slice(w[0].length)
    }
  }
  takeApprox()
  if (s.trim() !== '') return undefined
  if (percent && (multiplied || yuan)) return undefined
  return {
    decimal: makeDecimal(neg, digits, exp),
    approximate,
    percent,
    yuan: yuan || multiplied,
    multiplied,
    countWord,
  }
}

function finiteValue(d: Decimal): number | undefined {
  const n = decimalToNumber(d)
  return Number.isFinite(n) ? n : undefined
}

// ---------------------------------------------------------------------------------------------------------
// Dates

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

function isoDate(year: number, month: number, day: number): string | undefined {
  if (![year, month, day].every(Number.isInteger)) return undefined
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return undefined
  if (day > daysInMonth(year, month)) return undefined
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** Whether `s` is a real calendar date written `YYYY-MM-DD` (the stored form of a date cell). */
export function isIsoDate(s: unknown): s is string {
  if (typeof s !== 'string') return false
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  return !!m && isoDate(Number(m[1]), Number(m[2]), Number(m[3])) === s
}

const TIME_TAIL = String.raw`(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?`
const DATE_SEPARATED = new RegExp(String.raw`^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})${TIME_TAIL}$`)
const DATE_CHINESE = new RegExp(String.raw`^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?${TIME_TAIL}$`)
const DATE_COMPACT = /^(\d{4})(\d{2})(\d{2})$/
const PERIODS = [
  /^\d{4}年?(?:度)?$/,
  /^\d{4}[-/.]\d{1,2}$/,
  /^\d{4}年\d{1,2}月份?$/,
  /^\d{6}$/,
  /^\d{4}[- ]?q[1-4]$/i,
  /^\d{4}年?第?[一二三四1-4]季度?$/,
  /^\d{4}年?[上下]半年$/,
]

/** Excel's 1900 date system, including its fictitious 1900-02-29 (serial 60). */
function excelSerialToIso(serial: number): string | undefined {
  const day = Math.floor(serial)
  if (day < 1 || day > 2958465 || day === 60) return undefined
  const epoch = Date.UTC(1899, 11, day < 60 ? 31 : 30)
  const d = new Date(epoch + day * 86_400_000)
  return isoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())
}

function parseDate(input: string, opts: ParseOptions): ParseResult {
  const s = normalizeText(input)
  if (EMPTY_MARKERS.has(s.toLowerCase())) return done(null, false)
  const compact = s.replace(/\s+(?=[年月日号])|(?<=[年月])\s+/g, '')
  if (opts.excelSerial && /^\d+(?:\.\d+)?$/.test(compact) && !DATE_COMPACT.test(compact)) {
    const iso = excelSerialToIso(Number(compact))
    if (iso) return done(iso, false)
  }
  const m = DATE_SEPARATED.exec(compact)
  const parts = m
    ? [m[1], m[3], m[4]]
    : (DATE_CHINESE.exec(compact)?.slice(1, 4) ?? DATE_COMPACT.exec(compact)?.slice(1, 4))
  if (parts) {
    const iso = isoDate(Number(parts[0]), Number(parts[1]), Number(parts[2]))
    if (iso) return done(iso, false)
    const c = clip(input)
    return fail('bad-date', input, `“${c}”不是存在的日期`, `"${c}" is not a real calendar date`)
  }
  const c = clip(input)
  if (PERIODS.some((re) => re.test(compact))) {
    return fail(
      'period-not-date',
      input,
      `“${c}”是一个期间（年、季度或月份），不是具体日期；请填写具体日期，或把期间记在文本列中`,
      `"${c}" is a period (year, quarter or month), not a date; enter a full date, or keep periods in a text column`,
    )
  }
  return fail(
    'bad-date',
    input,
    `“${c}”不是有效的日期（可写作 2024-05-24、2024/5/24 或 2024年5月24日）`,
    `"${c}" is not a valid date (write 2024-05-24, 2024/5/24 or 2024年5月24日)`,
  )
}

// ---------------------------------------------------------------------------------------------------------
// Per-type parsers

const TRUE_WORDS = new Set(['是', '对', 'true', '1', '✓', '√', '✔', 'y', 'yes'])
const FALSE_WORDS = new Set(['否', '错', 'false', '0', '×', '✗', '✘', 'n', 'no'])

function notANumber(input: string, what: { zh: string; en: string; example: string }): ParseResult {
  const c = clip(input)
  return fail(
    'not-a-number',
    input,
    `“${c}”不是有效的${what.zh}（如 ${what.example}）`,
    `"${c}" is not a valid ${what.en} (e.g. ${what.example})`,
  )
}

function parseNumeric(input: string, column: ValueColumn, opts: ParseOptions): ParseResult {
  const s = normalizeText(input)
  if (EMPTY_MARKERS.has(s.toLowerCase())) return done(null, false)
  const scan = scanNumber(s)
  const type = column.type
  const c = clip(input)
  if (type === 'percent') {
    if (!scan || scan.yuan || scan.countWord) {
      return fail(
        'bad-percent',
        input,
        `“${c}”不是有效的百分比（如 63.7%）`,
        `"${c}" is not a valid percentage (e.g. 63.7%)`,
      )
    }
    const asPoints = scan.percent || opts.percentStyle !== 'number'
    const value = finiteValue(asPoints ? shiftDecimal(scan.decimal, -2) : scan.decimal)
    if (value === undefined) {
      return fail('bad-percent', input, `“${c}”超出了可表示的范围`, `"${c}" is out of range`)
    }
    return done(value, scan.approximate)
  }
  if (type === 'money') {
    const unit: MoneyUnit = column.format.unit ?? '元'
    if (!scan || scan.percent || scan.countWord) {
      return notANumber(input, {
        zh: '金额',
        en: 'amount',
        example: unit === '万元' ? '276万元' : '2,760,000元',
      })
    }
    const d = scan.yuan && unit === '万元' ? shiftDecimal(scan.decimal, -4) : scan.decimal
    const value = finiteValue(d)
    if (value === undefined)
      return notANumber(input, { zh: '金额', en: 'amount', example: '276万元' })
    return done(value, scan.approximate)
  }
  // number, integer
  const value = scan && finiteValue(scan.percent ? shiftDecimal(scan.decimal, -2) : scan.decimal)
  if (value === undefined) return notANumber(input, { zh: '数字', en: 'number', example: '1,197' })
  if (type === 'integer' && !Number.isInteger(value)) {
    return fail('not-an-integer', input, `“${c}”不是整数`, `"${c}" is not a whole number`)
  }
  return done(value, scan?.approximate ?? false)
}

function parseBoolean(input: string): ParseResult {
  const s = normalizeText(input).toLowerCase()
  if (TRUE_WORDS.has(s)) return done(true, false)
  if (FALSE_WORDS.has(s)) return done(false, false)
  if (EMPTY_MARKERS.has(s)) return done(null, false)
  const c = clip(input)
  return fail('bad-boolean', input, `“${c}”应为“是”或“否”`, `"${c}" should be yes or no`)
}

function parseEnum(input: string, column: ValueColumn): ParseResult {
  const options = column.constraints.options ?? []
  const exact = options.find((o) => o.value === input)
  if (exact) return done(exact.value, false)
  const key = normalizeText(input).toLowerCase()
  const folded = options.find((o) => normalizeText(o.value).toLowerCase() === key)
  if (folded) return done(folded.value, false)
  if (EMPTY_MARKERS.has(key)) return done(null, false)
  if (options.length === 0) return done(input.trim(), false)
  const c = clip(input)
  const shown = options.slice(0, 10).map((o) => o.value)
  const more = options.length > 10 ? '…' : ''
  return fail(
    'not-an-option',
    input,
    `“${c}”不是可选项（可选：${shown.join('、')}${more}）`,
    `"${c}" is not one of the options (${shown.join(', ')}${more})`,
  )
}

function parseReference(input: string, opts: ParseOptions): ParseResult {
  const t = input.trim()
  if (EMPTY_MARKERS.has(normalizeText(t).toLowerCase())) return done(null, false)
  const resolved = opts.resolveReference?.(t)
  if (resolved !== undefined) return done(resolved, false)
  if (opts.referenceExists?.(t)) return done(t, false)
  if (!opts.resolveReference && !opts.referenceExists) return done(t, false)
  const c = clip(input)
  return fail('unknown-reference', input, `找不到“${c}”对应的记录`, `No row matches "${c}"`)
}

// ---------------------------------------------------------------------------------------------------------
// Fast paths for the common shapes of CSV and typed input. Each one accepts only inputs the general
// parsers above read the same way (values.test.ts compares them), and returns undefined for anything else.

/** Whether `text` is empty or whitespace only, without trimming when its ends are visibly not. */
function isBlankText(text: string): boolean {
  const n = text.length
  if (n === 0) return true
  const a = text.charCodeAt(0)
  if ((a > 32 && a < 127) || (a > 0x3000 && a !== 0xfeff)) return false
  return text.trim() === ''
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}

/** Set by {@link plainNumberEnd}: the number had thousands separators. */
let plainGrouped = false
/** Set by {@link plainNumberEnd}: sign, digits as an integer (exact while ≤ 15 digits), their count. */
let plainNeg = false
let plainMantissa = 0
let plainDigits = 0
let plainFraction = 0

/** Powers of ten that are exact doubles. */
const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
  1e18, 1e19, 1e20, 1e21, 1e22,
]

/**
 * End of a plain number at the start of `s` — `-?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?` followed by a non-digit
 * that is not `,`, `.` or `e` — or -1. At most 20 characters (longer inputs take the general path).
 */
function plainNumberEnd(s: string): number {
  const n = s.length
  plainNeg = s.charCodeAt(0) === 45
  let i = plainNeg ? 1 : 0
  const start = i
  let m = 0
  let c = s.charCodeAt(i)
  while (i < n && isDigit(c)) {
    m = m * 10 + (c - 48)
    c = s.charCodeAt(++i)
  }
  const intLen = i - start
  if (intLen === 0) return -1
  let digits = intLen
  plainGrouped = false
  if (i < n && c === 44) {
    if (intLen > 3) return -1
    while (i < n && s.charCodeAt(i) === 44) {
      for (let k = 1; k <= 3; k++) {
        const d = s.charCodeAt(i + k)
        if (!isDigit(d)) return -1
        m = m * 10 + (d - 48)
      }
      i += 4
      digits += 3
    }
    plainGrouped = true
  }
  plainFraction = 0
  if (i < n && s.charCodeAt(i) === 46) {
    const f = ++i
    c = s.charCodeAt(i)
    while (i < n && isDigit(c)) {
      m = m * 10 + (c - 48)
      c = s.charCodeAt(++i)
    }
    if (i === f) return -1
    plainFraction = i - f
    digits += plainFraction
  }
  if (i > 20) return -1
  if (i < n) {
    c = s.charCodeAt(i)
    if (isDigit(c) || c === 44 || c === 46 || c === 101 || c === 69) return -1
  }
  plainMantissa = m
  plainDigits = digits
  return i
}

/**
 * The plain number just scanned (see {@link plainNumberEnd}) times 10^shift, with -0 read as 0. Up to 15
 * digits and 10^±22 it is one correctly rounded multiplication or division of exact doubles, so the
 * result is the one `Number` gives for the decimal text; otherwise `Number` does it.
 */
function plainValue(s: string, end: number, shift: number): number {
  const e = shift - plainFraction
  let v: number
  if (plainDigits <= 15 && e >= -22 && e <= 22) {
    v = e >= 0 ? plainMantissa * POW10[e]! : plainMantissa / POW10[-e]!
    if (plainNeg) v = -v
  } else {
    let body = s.length === end ? s : s.slice(0, end)
    if (plainGrouped) body = body.replace(/,/g, '')
    v = Number(shift === 0 ? body : `${body}e${shift}`)
  }
  return v === 0 ? 0 : v
}

/** Plain numbers, optionally with `%`, `元` or `万元`, in number, integer, percent and money columns. */
function fastNumeric(s: string, column: ValueColumn, opts: ParseOptions): number | undefined {
  const end = plainNumberEnd(s)
  if (end < 0) return undefined
  const rest = end === s.length ? '' : s.slice(end)
  switch (column.type) {
    case 'number':
    case 'integer': {
      if (rest !== '' && rest !== '%') return undefined
      const v = plainValue(s, end, rest === '' ? 0 : -2)
      return column.type === 'integer' && !Number.isInteger(v) ? undefined : v
    }
    case 'percent':
      if (rest === '%' || (rest === '' && opts.percentStyle !== 'number'))
        return plainValue(s, end, -2)
      return rest === '' ? plainValue(s, end, 0) : undefined
    case 'money': {
      const wan = (column.format.unit ?? '元') === '万元'
      if (rest === '') return plainValue(s, end, 0)
      if (rest === '万元') return plainValue(s, end, wan ? 0 : 4)
      if (rest === '元') return plainValue(s, end, wan ? -4 : 0)
      return undefined
    }
    default:
      return undefined
  }
}

/** The 1–2 digit number at `i` when `stop` follows it (a char code; -1: the end of `s`), else -1. */
function dateField(s: string, i: number, stop: number): number {
  const a = s.charCodeAt(i)
  const b = s.charCodeAt(i + 1)
  if (!isDigit(a)) return -1
  if (isDigit(b)) {
    const c = i + 2 < s.length ? s.charCodeAt(i + 2) : -1
    return c === stop ? (a - 48) * 10 + (b - 48) : -1
  }
  const c = i + 1 < s.length ? b : -1
  return c === stop ? a - 48 : -1
}

/** `2024-05-24`, `2024/5/24`, `2024.5.24` and `2024年5月24日`, nothing around them. */
function fastDate(s: string): string | undefined {
  const n = s.length
  if (n < 8 || n > 11) return undefined
  for (let i = 0; i < 4; i++) if (!isDigit(s.charCodeAt(i))) return undefined
  const sep = s.charCodeAt(4)
  const chinese = sep === 0x5e74 // 年
  if (!chinese && sep !== 45 && sep !== 47 && sep !== 46) return undefined
  const month = dateField(s, 5, chinese ? 0x6708 : sep) // 月
  if (month < 0) return undefined
  const d0 = isDigit(s.charCodeAt(6)) ? 8 : 7
  const day = dateField(s, d0, chinese ? 0x65e5 : -1) // 日
  if (day < 0) return undefined
  const dayEnd = isDigit(s.charCodeAt(d0 + 1)) ? d0 + 2 : d0 + 1
  if (dayEnd + (chinese ? 1 : 0) !== n) return undefined
  const year =
    (s.charCodeAt(0) - 48) * 1000 +
    (s.charCodeAt(1) - 48) * 100 +
    (s.charCodeAt(2) - 48) * 10 +
    (s.charCodeAt(3) - 48)
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    return undefined
  // Already stored form (2024-05-24): the input itself.
  if (sep === 45 && n === 10) return s
  return `${s.slice(0, 4)}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`
}

/**
 * The value {@link parseValue} gives for the common shapes — blank, text without CR, plain numbers (with
 * `,` groups, `%`, `元` or `万元`), `2024-05-24` and `2024年5月24日` dates, 是/否 words — or undefined when
 * the input needs the general parser (or does not fit: call `parseValue` for the error). For bulk parsing
 * (a CSV import) without a result object per cell.
 */
export function parseValueQuick(
  input: string,
  column: ValueColumn,
  opts: ParseOptions = {},
): CellValue | undefined {
  if (isBlankText(input)) return null
  switch (column.type) {
    case 'text':
      return input.indexOf('\r') === -1 ? input : undefined
    case 'number':
    case 'integer':
    case 'percent':
    case 'money':
      return fastNumeric(input, column, opts)
    case 'date':
      return fastDate(input)
    case 'boolean':
      return TRUE_WORDS.has(input) ? true : FALSE_WORDS.has(input) ? false : undefined
    default:
      return undefined
  }
}

/**
 * Parse user or CSV text into the value a cell of `column` stores. Never throws.
 * @example parseValue('276万元', { type: 'money', format: { unit: '万元' }, constraints: {} }) // { ok: true, value: 276 }
 */
export function parseValue(
  input: string,
  column: ValueColumn,
  opts: ParseOptions = {},
): ParseResult {
  const text = typeof input === 'string' ? input : String(input ?? '')
  const quick = parseValueQuick(text, column, opts)
  if (quick !== undefined) return { ok: true, value: quick }
  const type: ColumnType = column.type
  switch (type) {
    case 'text':
      return done(text.replace(/\r\n?/g, '\n'), false)
    case 'number':
    case 'integer':
    case 'percent':
    case 'money':
      return parseNumeric(text, column, opts)
    case 'date':
      return parseDate(text, opts)
    case 'boolean':
      return parseBoolean(text)
    case 'enum':
      return parseEnum(text, column)
    case 'reference':
      return parseReference(text, opts)
    case 'period': {
      // periods: blank markers are empty as in every non-text column; the rest is shared/src/periods.
      if (isBlankInput(text)) return done(null, false)
      const g = column.format.granularity
      const r = parsePeriod(text, g ? { granularity: g, excelSerial: opts.excelSerial } : opts)
      return r.ok ? done(r.value, false) : { ok: false, error: r.error }
    }
    default:
      // Not assertNever: a column type from a newer client may reach old code through sync.
      return done(text, false)
  }
}

// ---------------------------------------------------------------------------------------------------------
// Formatting

/** `String(n)` of a finite number without an exponent, times 100, as plain shortest decimal text. */
function shiftPlainBy2(plain: string): string {
  const neg = plain.charCodeAt(0) === 45
  const body = neg ? plain.slice(1) : plain
  const dot = body.indexOf('.')
  const int = dot === -1 ? body : body.slice(0, dot)
  const frac = dot === -1 ? '' : body.slice(dot + 1)
  let whole = int + (frac.length >= 2 ? frac.slice(0, 2) : frac.padEnd(2, '0'))
  let z = 0
  while (z < whole.length - 1 && whole.charCodeAt(z) === 48) z++
  if (z > 0) whole = whole.slice(z)
  const rest = frac.length > 2 ? frac.slice(2) : ''
  if (whole === '0' && rest === '') return '0'
  return (neg ? '-' : '') + whole + (rest === '' ? '' : `.${rest}`)
}

function formatNumber(n: number, group: boolean, decimals: number | undefined): string {
  const d = numberToDecimal(n)
  if (decimals === undefined) return decimalToString(d, group)
  return decimalToString(roundDecimal(d, decimals), group, decimals)
}

/**
 * Format a stored value as text for a cell (or, with `forEdit`, for its editor). `null` formats as ''.
 * A value of the wrong type (e.g. a string in a number column) is shown as it is, for validation to flag.
 * @example formatValue(0.637, { type: 'percent', format: {}, constraints: {} }) // '63.7%'
 */
export function formatValue(
  value: CellValue,
  column: ValueColumn,
  opts: FormatOptions = {},
): string {
  if (value === null || value === undefined) return ''
  const edit = opts.forEdit === true
  const decimals = column.format.decimals
  const fixed =
    decimals !== undefined && Number.isInteger(decimals) && decimals >= 0 && decimals <= 20
      ? decimals
      : undefined
  const type: ColumnType = column.type
  switch (type) {
    case 'number':
    case 'integer':
    case 'money':
    case 'percent': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return String(value)
      if (edit) {
        // Fast path: without an exponent, String(n) is already the plain shortest decimal.
        const plain = String(value)
        if (plain.indexOf('e') === -1) {
          if (type !== 'percent' || opts.percentStyle === 'number') return plain
          return `${shiftPlainBy2(plain)}%`
        }
      }
      if (type === 'percent') {
        if (opts.percentStyle === 'number') {
          return formatNumber(value, false, edit || fixed === undefined ? undefined : fixed + 2)
        }
        const points = shiftDecimal(numberToDecimal(value), 2)
        if (edit) return `${decimalToString(points, false)}%`
        return `${decimalToString(roundDecimal(points, fixed ?? 2), true, fixed)}%`
      }
      if (edit) return formatNumber(value, false, undefined)
      const body = formatNumber(value, true, type === 'integer' ? undefined : fixed)
      return type === 'money' ? body + (column.format.unit ?? '元') : body
    }
    case 'date':
      return String(value)
    case 'boolean':
      if (typeof value !== 'boolean') return String(value)
      if (opts.locale === 'en') return value ? 'Yes' : 'No'
      return value ? '是' : '否'
    case 'reference':
      if (typeof value !== 'string') return String(value)
      return opts.referenceLabel?.(value) ?? value
    case 'text':
    case 'enum':
      return String(value)
    case 'period':
      return formatPeriod(value, edit ? 'iso' : (column.format.periodStyle ?? 'zh'))
    default:
      // Not assertNever: a column type from a newer client may reach old code through sync.
      return String(value)
  }
}

// ---------------------------------------------------------------------------------------------------------
// Date input in a date cell (issue 12, "grid")

/** Years a date typed into a date cell may have; outside them it is a typo (1315, 0218). */
export const DATE_INPUT_YEARS = { min: 1900, max: 2100 } as const

/** Excel's day numbers: day 61 is 1900-03-01 (Excel counts a 1900-02-29 that never was). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30)
const EXCEL_SERIAL_MIN = 61
const EXCEL_SERIAL_MAX = 73415 // 2100-12-31

/**
 * A date typed or pasted into a date cell: every form `parseValue` accepts (2024-5-6, 2024/5/6,
 * 2024.5.6, 2024年5月6日, 20240506) and Excel serial day numbers (45418 → 2024-05-06); a year
 * outside `DATE_INPUT_YEARS` is refused with a zh-CN + English message.
 *
 * @example parseDateInput('2021/3/15') // { ok: true, value: '2021-03-15' }
 */
export function parseDateInput(input: string): ParseResult {
  const text = input.trim()
  if (/^\d{2,5}$/.test(text)) {
    const serial = Number(text)
    if (serial >= EXCEL_SERIAL_MIN && serial <= EXCEL_SERIAL_MAX)
      return {
        ok: true,
        value: new Date(EXCEL_EPOCH_MS + serial * 86_400_000).toISOString().slice(0, 10),
      }
  }
  const parsed = parseValue(text, { type: 'date', format: {}, constraints: {} })
  if (!parsed.ok || typeof parsed.value !== 'string') return parsed
  const year = Number(parsed.value.slice(0, 4))
  if (year >= DATE_INPUT_YEARS.min && year <= DATE_INPUT_YEARS.max) return parsed
  return {
    ok: false,
    error: {
      kind: 'bad-date',
      input: text,
      message: {
        zh: `“${text}”的年份 ${year} 不在 ${DATE_INPUT_YEARS.min}–${DATE_INPUT_YEARS.max} 年之间，请检查`,
        en: `"${text}": the year ${year} is not between ${DATE_INPUT_YEARS.min} and ${DATE_INPUT_YEARS.max}; please check it`,
      },
    },
  }
}
