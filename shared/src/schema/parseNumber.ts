/**
 * The general parser for number, integer, percent and money cells: full-width folding, `,` thousands
 * groups, accounting brackets, exponents, the multipliers 万/亿/千, count words (人次, 个…), approximate
 * figures (`1.2万余`, `23,000+`), `%`, and money units (元 vs 万元). See the rules in `values.ts`.
 */
import type { MoneyUnit } from './columnTypes.js'
import { type Decimal, decimalToNumber, makeDecimal, shiftDecimal } from './decimal.js'
import { EMPTY_MARKERS, normalizeText } from './normalizeText.js'
import {
  clip,
  done,
  fail,
  type ParseOptions,
  type ParseResult,
  type ValueColumn,
} from './valueTypes.js'

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
function notANumber(input: string, what: { zh: string; en: string; example: string }): ParseResult {
  const c = clip(input)
  return fail(
    'not-a-number',
    input,
    `“${c}”不是有效的${what.zh}（如 ${what.example}）`,
    `"${c}" is not a valid ${what.en} (e.g. ${what.example})`,
  )
}

export function parseNumeric(input: string, column: ValueColumn, opts: ParseOptions): ParseResult {
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
