/**
 * The fast path for number, integer, percent and money cells: a plain number (optionally with `,` groups,
 * `%`, `元` or `万元`) read without regular expressions or a result object, for bulk CSV parsing. It
 * accepts only inputs the general parser (`parseNumber.ts`) reads the same way — values.test.ts compares
 * them — and returns undefined for anything else.
 */
import { isDigit } from './normalizeText.js'
import type { ParseOptions, ValueColumn } from './valueTypes.js'

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
export function fastNumeric(
  s: string,
  column: ValueColumn,
  opts: ParseOptions,
): number | undefined {
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
