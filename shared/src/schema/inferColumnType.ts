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

function column(type: ColumnType, format: ColumnFormat = {}): ValueColumn {
  return { type, format, constraints: {} }
}

/**
 * Suggest a type for a column from its CSV cells, narrowest first: boolean (words and marks like 是/否 or
 * ✓, not 1/0, which stay integers), integer, number, percent (a `%` sign), money (a `元` or `万元` suffix,
 * unit from the most common), date; otherwise text. Empty cells and markers like `—` are ignored.
 * Numbers win over dates, so a column of `20240524`-style codes stays an integer.
 * @example inferColumnType(['63.7%', '100%', '']) // { type: 'percent', confidence: 1 }
 */
export function inferColumnType(samples: readonly string[]): InferredColumnType {
  const values = samples.filter((s) => typeof s === 'string' && !isBlankInput(s))
  if (values.length === 0) return { type: 'text', confidence: 0 }
  const share = (test: (s: string) => boolean): number => {
    let n = 0
    for (const s of values) if (test(s)) n++
    return n / values.length
  }
  const parses = (col: ValueColumn) => (s: string) => parseValue(s, col).ok
  const hasPercent = (s: string) => normalizeText(s).includes('%')
  const yuanUnit = (s: string): MoneyUnit | undefined => {
    const t = normalizeText(s)
    if (/万元\s*$/.test(t)) return '万元'
    if (/元\s*$/.test(t) || t.includes('¥')) return '元'
    return undefined
  }

  const candidates: [ColumnType, () => number, () => ColumnFormat | undefined][] = [
    ['boolean', () => share((s) => BOOLEAN_WORDS.test(normalizeText(s))), () => undefined],
    [
      'integer',
      () => share((s) => !hasPercent(s) && !yuanUnit(s) && parses(column('integer'))(s)),
      () => undefined,
    ],
    [
      'number',
      () => share((s) => !hasPercent(s) && !yuanUnit(s) && parses(column('number'))(s)),
      () => undefined,
    ],
    ['percent', () => share((s) => hasPercent(s) && parses(column('percent'))(s)), () => undefined],
    [
      'money',
      () => share((s) => yuanUnit(s) !== undefined && parses(column('money'))(s)),
      () => {
        let wan = 0
        let yuan = 0
        for (const s of values) {
          const u = yuanUnit(s)
          if (u === '万元') wan++
          else if (u === '元') yuan++
        }
        return { unit: wan >= yuan ? '万元' : '元' }
      },
    ],
    ['date', () => share(parses(column('date'))), () => undefined],
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
