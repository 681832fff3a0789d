import { formatValue, type ValueColumn } from '../schema/values.js'
import { isDateFormat, numberFormatCode, serialToIsoDate, showNumber } from './numberFormats.js'

/**
 * A cell's value as the text the CSV import's inference and `parseValue` read (issue #15 §1):
 * numbers as plain decimals, a percent format as `63.7%`, a 万 format as `276万元`, a date format
 * as `YYYY-MM-DD` in the workbook's date system.
 */

export type FormatKind = 'date' | 'percent' | 'wan' | 'plain'

/** A number format's meaning for import: a date, a percentage, an amount in 万元, or a number. */
export function classifyFormat(format: string): FormatKind {
  if (format === 'General' || format === '') return 'plain'
  // Quoted literals and escapes don't make a date or a percentage; 万 in them makes 万元.
  const bare = format.replace(/"[^"]*"|\\./g, '')
  if (/万/.test(format)) return 'wan'
  if (bare.includes('%')) return 'percent'
  if (isDateFormat(format)) return 'date'
  return 'plain'
}

const NUMBER: ValueColumn = { type: 'number', format: {}, constraints: {} }
const PERCENT: ValueColumn = { type: 'percent', format: {}, constraints: {} }

/** A number as the plain decimal text (no exponent) `parseValue` reads back to the same double. */
export function plainNumber(v: number): string {
  return formatValue(v, NUMBER, { forEdit: true })
}

/** A fraction as percent text, shifted in decimal (0.637 → `63.7%`, exact: no ×100 rounding). */
export function percentText(v: number): string {
  return formatValue(v, PERCENT, { forEdit: true })
}

/** Number formats of a workbook's cell styles, resolved and classified once per style. */
export class CellStyles {
  private readonly kinds: (FormatKind | undefined)[] = []
  private readonly codes: (string | undefined)[] = []

  constructor(
    private readonly xfFormats: number[],
    private readonly formats: Map<number, string>,
    readonly date1904: boolean,
  ) {}

  /** The format code of cell style `s` (`General` when none). */
  code(s: number): string {
    let c = this.codes[s]
    if (c === undefined) {
      const id = this.xfFormats[s] ?? 0
      c = this.formats.get(id) ?? numberFormatCode(id)
      this.codes[s] = c
    }
    return c
  }

  /** The text of number `v` shown with cell style `s`. */
  numberText(v: number, s: number): string {
    let kind = this.kinds[s]
    if (kind === undefined) {
      kind = classifyFormat(this.code(s))
      this.kinds[s] = kind
    }
    switch (kind) {
      case 'date':
        // A time of day alone (no date part) stays as Excel shows it.
        return v < 1 && v >= 0
          ? showNumber(this.code(s), v, this.date1904)
          : (serialToIsoDate(v, this.date1904) ?? plainNumber(v))
      case 'percent':
        return percentText(v)
      case 'wan':
        return `${plainNumber(v)}万元`
      default:
        return plainNumber(v)
    }
  }
}
