/**
 * Date cells: the calendar check, the stored form `YYYY-MM-DD` (`isIsoDate`), the general parser (the
 * accepted spellings, times dropped, periods refused with `period-not-date`, Excel serials on request)
 * and its fast path `fastDate` for the common spellings, which agrees with the general parser.
 */
import { EMPTY_MARKERS, isDigit, normalizeText } from './normalizeText.js'
import { clip, done, fail, type ParseOptions, type ParseResult } from './valueTypes.js'

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

export function parseDate(input: string, opts: ParseOptions): ParseResult {
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
export function fastDate(s: string): string | undefined {
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
