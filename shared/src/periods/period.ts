/**
 * Reporting periods (期间): a month, a quarter or a year.
 *
 * One canonical stored form per granularity, which also sorts chronologically within a granularity:
 * month `2024-07`, quarter `2024-Q3`, year `2024`. Parsing accepts what ledgers really hold
 * (`2024-07`, `2024/07`, `2024.7`, `202407`, `2024年7月`, `24年7月`, `2024年第三季度`, `2024Q3`,
 * `2024 年`, full dates and Excel serial numbers) and never throws: bad input is a value with a
 * zh-CN and English message.
 */

/** Full-width ASCII (`２０２４／０７`, `Ｑ３`) to half-width, and no spaces (`2024 年`). Kept here, not
 * imported from schema/values.ts, because values.ts parses period cells with this module. */
function fold(s: string): string {
  let out = ''
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0
    if (c >= 0xff01 && c <= 0xff5e) out += String.fromCodePoint(c - 0xfee0)
    else if (c === 0x3000) out += ' '
    else out += ch
  }
  // A date's time of day goes (2024/7/15 0:00), then every space (2024 年 7 月).
  return out.replace(/[T\s]+\d{1,2}:\d{2}.*$/, '').replace(/\s+/g, '')
}

/** How long a period is, as an `as const` object with a derived union. */
export const Granularities = { month: 'month', quarter: 'quarter', year: 'year' } as const
export type Granularity = (typeof Granularities)[keyof typeof Granularities]
export const GRANULARITIES: readonly Granularity[] = ['month', 'quarter', 'year']

/** A parsed period: `index` counts months from year 0 (year * 12 + month - 1) of its first month. */
export interface Period {
  granularity: Granularity
  year: number
  /** 1–12 for months, 1–4 for quarters, 0 for years. */
  part: number
}

export interface PeriodParseOptions {
  /** The column's granularity: dates convert to it; a period of another granularity is an error. */
  granularity?: Granularity
  /** Accept Excel serial day numbers (1900 system), as CSV and XLSX cells hold them. */
  excelSerial?: boolean
}

export type PeriodParseResult =
  | { ok: true; value: string }
  | { ok: false; error: { kind: 'bad-period'; input: string; message: { zh: string; en: string } } }

const CN_DIGIT: Record<string, number> = {
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  '1': 1,
  '2': 2,
  '3': 3,
  '4': 4,
}

const YEAR_ONLY = /^(\d{4})(?:年度?)?$|^(\d{2})年度?$/
const MONTH_SEP = /^(\d{4})[-/.](\d{1,2})$/
const MONTH_CN = /^(\d{4}|\d{2})年(\d{1,2})月份?$/
const MONTH_COMPACT = /^(\d{4})(\d{2})$/
const QUARTER_Q = /^(\d{4})[-/]?Q([1-4])$/i
const QUARTER_CN = /^(\d{4}|\d{2})年?第?([一二三四1-4])季度?$/
const QUARTER_CN_Q = /^(\d{4}|\d{2})年Q([1-4])$/i
const DATE_SEP = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$/
const DATE_CN = /^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?(?:\s.*)?$/
const DATE_COMPACT = /^(\d{4})(\d{2})(\d{2})$/

/** A two-digit year (`24年`) is read as 20xx: ledgers in this domain start after 2000. */
function fullYear(y: string): number {
  return y.length === 2 ? 2000 + Number(y) : Number(y)
}

function validYear(y: number): boolean {
  return Number.isInteger(y) && y >= 1900 && y <= 2999
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

/** Excel's 1900 date system (serial 60 is its fictitious 1900-02-29). */
function serialToYearMonth(serial: number): [number, number] | undefined {
  const day = Math.floor(serial)
  if (day < 1 || day > 2958465 || day === 60) return undefined
  const d = new Date(Date.UTC(1899, 11, day < 60 ? 31 : 30) + day * 86_400_000)
  return [d.getUTCFullYear(), d.getUTCMonth() + 1]
}

/** The canonical text of a period. */
export function periodToString(p: Period): string {
  const y = String(p.year).padStart(4, '0')
  switch (p.granularity) {
    case 'month':
      return `${y}-${String(p.part).padStart(2, '0')}`
    case 'quarter':
      return `${y}-Q${p.part}`
    case 'year':
      return y
  }
}

function fromMonth(year: number, month: number, g: Granularity): Period {
  if (g === 'quarter') return { granularity: 'quarter', year, part: Math.ceil(month / 3) }
  if (g === 'year') return { granularity: 'year', year, part: 0 }
  return { granularity: 'month', year, part: month }
}

/** Read a stored (canonical) period; undefined for anything else. */
export function readPeriod(value: unknown): Period | undefined {
  if (typeof value !== 'string') return undefined
  const n = value.length
  if (n === 4) {
    const year = Number(value)
    return /^\d{4}$/.test(value) && validYear(year)
      ? { granularity: 'year', year, part: 0 }
      : undefined
  }
  if (n === 7) {
    let m = /^(\d{4})-(\d{2})$/.exec(value)
    if (m) {
      const year = Number(m[1])
      const month = Number(m[2])
      return validYear(year) && month >= 1 && month <= 12
        ? { granularity: 'month', year, part: month }
        : undefined
    }
    m = /^(\d{4})-Q([1-4])$/.exec(value)
    if (m && validYear(Number(m[1])))
      return { granularity: 'quarter', year: Number(m[1]), part: Number(m[2]) }
  }
  return undefined
}

/** Whether `value` is a stored period (canonical form). */
export function isPeriod(value: unknown): value is string {
  return readPeriod(value) !== undefined
}

function bad(input: string, zh: string, en: string): PeriodParseResult {
  return { ok: false, error: { kind: 'bad-period', input, message: { zh, en } } }
}

const G_ZH: Record<Granularity, string> = { month: '月份', quarter: '季度', year: '年份' }
const G_EN: Record<Granularity, string> = { month: 'month', quarter: 'quarter', year: 'year' }

/** Parse what people type into the canonical form. Never throws. */
function parseLoose(s: string, opts: PeriodParseOptions): Period | 'range' | undefined {
  const g = opts.granularity
  let m = YEAR_ONLY.exec(s)
  if (m) {
    const year = fullYear(m[1] ?? m[2] ?? '')
    return validYear(year) ? { granularity: 'year', year, part: 0 } : 'range'
  }
  m = MONTH_SEP.exec(s) ?? MONTH_CN.exec(s)
  if (m) {
    const year = fullYear(m[1] ?? '')
    const month = Number(m[2])
    return validYear(year) && month >= 1 && month <= 12
      ? { granularity: 'month', year, part: month }
      : 'range'
  }
  m = QUARTER_Q.exec(s) ?? QUARTER_CN_Q.exec(s) ?? QUARTER_CN.exec(s)
  if (m) {
    const year = fullYear(m[1] ?? '')
    return validYear(year)
      ? { granularity: 'quarter', year, part: CN_DIGIT[m[2] ?? ''] ?? 0 }
      : 'range'
  }
  m = DATE_SEP.exec(s) ?? DATE_CN.exec(s) ?? DATE_COMPACT.exec(s)
  if (m) {
    const year = Number(m[1])
    const month = Number(m[2])
    const day = Number(m[3])
    if (!validYear(year) || month < 1 || month > 12 || day < 1 || day > daysIn(year, month))
      return 'range'
    return fromMonth(year, month, g ?? 'month')
  }
  // 202407 after the full dates: six digits are a month only when the month part is 01–12.
  m = MONTH_COMPACT.exec(s)
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12 && validYear(Number(m[1])))
    return { granularity: 'month', year: Number(m[1]), part: Number(m[2]) }
  if (opts.excelSerial && /^\d{1,7}(?:\.\d+)?$/.test(s)) {
    const ym = serialToYearMonth(Number(s))
    if (ym && validYear(ym[0])) return fromMonth(ym[0], ym[1], g ?? 'month')
  }
  return undefined
}

/**
 * Parse a period. With a column granularity, a full date converts to the period containing it, and a
 * period of another granularity is refused (a quarter is not a month: nothing is guessed).
 * @example parsePeriod('2024年第三季度') // { ok: true, value: '2024-Q3' }
 */
export function parsePeriod(input: string, opts: PeriodParseOptions = {}): PeriodParseResult {
  const raw = typeof input === 'string' ? input : String(input ?? '')
  const s = fold(raw)
  const c = raw.length > 40 ? `${raw.slice(0, 40)}…` : raw
  const p = parseLoose(s, opts)
  if (p === undefined || p === 'range') {
    return bad(
      raw,
      `“${c}”不是有效的期间（可写作 2024-07、2024年7月、2024年第三季度、2024Q3 或 2024年）`,
      `"${c}" is not a valid period (write 2024-07, 2024年7月, 2024年第三季度, 2024Q3 or 2024)`,
    )
  }
  const g = opts.granularity
  if (g !== undefined && p.granularity !== g) {
    return bad(
      raw,
      `“${c}”是${G_ZH[p.granularity]}，本列按${G_ZH[g]}填写`,
      `"${c}" is a ${G_EN[p.granularity]}; this column holds ${G_EN[g]}s`,
    )
  }
  return { ok: true, value: periodToString(p) }
}

/** How a period is shown: the Chinese way (default), or the stored form. */
export type PeriodStyle = 'zh' | 'iso'

/**
 * Format a stored period: `2024年7月`, `2024年第3季度`, `2024年` (zh), or as stored (iso). A value that
 * is not a stored period is shown as it is, for validation to flag.
 */
export function formatPeriod(value: unknown, style: PeriodStyle = 'zh'): string {
  const p = readPeriod(value)
  if (!p) return value === null || value === undefined ? '' : String(value)
  if (style === 'iso') return periodToString(p)
  switch (p.granularity) {
    case 'month':
      return `${p.year}年${p.part}月`
    case 'quarter':
      return `${p.year}年第${p.part}季度`
    case 'year':
      return `${p.year}年`
  }
}

/** The first and last month of a period as month indexes (year * 12 + month - 1), inclusive. */
export function periodMonths(p: Period): [first: number, last: number] {
  const base = p.year * 12
  switch (p.granularity) {
    case 'month':
      return [base + p.part - 1, base + p.part - 1]
    case 'quarter':
      return [base + (p.part - 1) * 3, base + p.part * 3 - 1]
    case 'year':
      return [base, base + 11]
  }
}

const G_RANK: Record<Granularity, number> = { year: 0, quarter: 1, month: 2 }

/**
 * Chronological order of stored periods: by first month, then longer periods first (2024 before
 * 2024-Q1 before 2024-01); values that are not periods sort after all periods, as text.
 */
export function comparePeriods(a: unknown, b: unknown): number {
  const pa = readPeriod(a)
  const pb = readPeriod(b)
  if (pa && pb) {
    const d = periodMonths(pa)[0] - periodMonths(pb)[0]
    return d !== 0 ? d : G_RANK[pa.granularity] - G_RANK[pb.granularity]
  }
  if (pa) return -1
  if (pb) return 1
  const sa = a === null || a === undefined ? '' : String(a)
  const sb = b === null || b === undefined ? '' : String(b)
  return sa < sb ? -1 : sa > sb ? 1 : 0
}
