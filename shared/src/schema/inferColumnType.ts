import { parsePeriod, readPeriod } from '../periods/period.js'
import type { ColumnFormat, ColumnType, MoneyUnit } from './columnTypes.js'
import { isBlankInput, normalizeText, parseValue, type ValueColumn } from './values.js'

/** What {@link inferColumnType} suggests for a new column. */
export interface InferredColumnType {
  type: ColumnType
  format?: ColumnFormat
  /** Share of the non-empty samples that parse as `type` (0 when there were none). */
  confidence: number
}

/** A column is typed X only when at least this share of its non-empty samples parse as X. */
export const INFER_MIN_SHARE = 0.95

const BOOLEAN_WORDS = /^(?:是|否|对|错|true|false|✓|√|✔|×|✗|✘|y|n|yes|no)$/i

interface Sample {
  raw: string
  normalized: string
  /** How many samples hold this value. */
  weight: number
  percent: boolean
  unit: MoneyUnit | undefined
}

/** The money unit a (normalised) value names by its suffix or `¥`. */
function yuanUnit(t: string): MoneyUnit | undefined {
  if (/万元\s*$/.test(t)) return '万元'
  if (/元\s*$/.test(t) || t.includes('¥')) return '元'
  return undefined
}

function column(type: ColumnType, format: ColumnFormat = {}): ValueColumn {
  return { type, format, constraints: {} }
}

/** The most common granularity among period samples (ties: month, then quarter, then year). */
function periodFormat(values: readonly Sample[]): ColumnFormat {
  const n = { month: 0, quarter: 0, year: 0 }
  for (const s of values) {
    const r = parsePeriod(s.raw)
    if (r.ok) n[readPeriod(r.value)?.granularity ?? 'month'] += s.weight
  }
  const granularity =
    n.month >= n.quarter && n.month >= n.year ? 'month' : n.quarter >= n.year ? 'quarter' : 'year'
  return { granularity }
}

/**
 * Suggest a type for a column from its CSV cells, narrowest first: boolean (words and marks like 是/否 or
 * ✓, not 1/0, which stay integers), integer, number, percent (a `%` sign), money (a `元` or `万元` suffix,
 * unit from the most common), date, period (期间: 2024-07, 2024年第三季度…); otherwise text. Empty cells and markers like `—` are ignored.
 * Numbers win over dates, so a column of `20240524`-style codes stays an integer.
 * @example inferColumnType(['63.7%', '100%', '']) // { type: 'percent', confidence: 1 }
 */
export function inferColumnType(samples: readonly string[]): InferredColumnType {
  // Each distinct value is normalised and tested once and weighs as many samples as repeat it (a sampled
  // ledger column repeats districts, periods and 是/否 hundreds of times).
  const weight = new Map<string, number>()
  let total = 0
  for (const s of samples) {
    if (typeof s !== 'string') continue
    const w = weight.get(s)
    if (w === undefined) {
      const blank = isBlankInput(s)
      weight.set(s, blank ? -1 : 1)
      if (!blank) total++
    } else if (w > 0) {
      weight.set(s, w + 1)
      total++
    }
  }
  if (total === 0) return { type: 'text', confidence: 0 }
  const values: Sample[] = []
  for (const [raw, w] of weight) {
    if (w < 0) continue
    const normalized = normalizeText(raw)
    values.push({
      raw,
      normalized,
      weight: w,
      percent: normalized.includes('%'),
      unit: yuanUnit(normalized),
    })
  }
  /** Share of samples passing `test`, or any value below INFER_MIN_SHARE once that is certain. */
  const share = (test: (s: Sample) => boolean): number => {
    let n = 0
    let failed = 0
    for (const s of values) {
      if (test(s)) n += s.weight
      else {
        failed += s.weight
        if ((total - failed) / total < INFER_MIN_SHARE) return 0
      }
    }
    return n / total
  }
  const parses = (col: ValueColumn) => (s: Sample) => parseValue(s.raw, col).ok
  const integer = parses(column('integer'))
  const number = parses(column('number'))
  const percent = parses(column('percent'))
  const money = parses(column('money'))

  const candidates: [ColumnType, () => number, () => ColumnFormat | undefined][] = [
    ['boolean', () => share((s) => BOOLEAN_WORDS.test(s.normalized)), () => undefined],
    ['integer', () => share((s) => !s.percent && !s.unit && integer(s)), () => undefined],
    ['number', () => share((s) => !s.percent && !s.unit && number(s)), () => undefined],
    ['percent', () => share((s) => s.percent && percent(s)), () => undefined],
    [
      'money',
      () => share((s) => s.unit !== undefined && money(s)),
      () => {
        let wan = 0
        let yuan = 0
        for (const s of values) {
          if (s.unit === '万元') wan += s.weight
          else if (s.unit === '元') yuan += s.weight
        }
        return { unit: wan >= yuan ? '万元' : '元' }
      },
    ],
    ['date', () => share(parses(column('date'))), () => undefined],
    // Periods after dates (a column of full dates stays a date column); the granularity is the
    // most common one, so a column mixing 2024-07 and 2024年7月 becomes a month column.
    ['period', () => share(parses(column('period'))), () => periodFormat(values)],
  ]
  for (const [type, measure, format] of candidates) {
    const confidence = measure()
    if (confidence >= INFER_MIN_SHARE) {
      const f = format()
      return f ? { type, format: f, confidence } : { type, confidence }
    }
  }
  return { type: 'text', confidence: 1 }
}
