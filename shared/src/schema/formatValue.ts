/**
 * Format a stored cell value as text: for display (thousands groups, fixed decimals, money units,
 * percents, 是/否 or Yes/No, reference labels, periods) or, with `forEdit`, for an editor (full precision,
 * plain numbers) so that the text parses back to the same value.
 */
import { formatPeriod } from '../periods/period.js'
import type { CellValue, ColumnType } from './columnTypes.js'
import { decimalToString, numberToDecimal, roundDecimal, shiftDecimal } from './decimal.js'
import type { FormatOptions, ValueColumn } from './valueTypes.js'

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
