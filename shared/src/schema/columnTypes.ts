/**
 * Column types, constraints and the values a cell may hold.
 *
 * Cells store plain JSON scalars so that they survive Yjs encoding, CSV and IndexedDB unchanged:
 * - text, enum (the option's value), reference (the referenced row id): string
 * - number, integer, money (in the column's unit), percent (as a fraction, 63.7% → 0.637): number
 * - date: an ISO calendar date string `YYYY-MM-DD`
 * - period: `2024-07` (month), `2024-Q3` (quarter) or `2024` (year)
 * - boolean: boolean
 * - an empty cell: null (or simply absent)
 */

/** Every column type, as an `as const` object with a derived union. */
export const ColumnTypes = {
  text: 'text',
  number: 'number',
  integer: 'integer',
  percent: 'percent',
  money: 'money',
  date: 'date',
  enum: 'enum',
  boolean: 'boolean',
  reference: 'reference',
  /** A reporting period (期间): month `2024-07`, quarter `2024-Q3` or year `2024` (shared/src/periods). */
  period: 'period',
} as const
export type ColumnType = (typeof ColumnTypes)[keyof typeof ColumnTypes]
export const COLUMN_TYPES: readonly ColumnType[] = Object.values(ColumnTypes)

/** The value stored in a cell. `null` means "explicitly empty". */
export type CellValue = string | number | boolean | null

/** Money is kept in one unit per column: 元 (yuan) or 万元 (10,000 yuan). */
export type MoneyUnit = '元' | '万元'
export const MONEY_UNITS: readonly MoneyUnit[] = ['元', '万元']

/** One option of an enum column; `color` is a CSS colour for the tag. */
export interface EnumOption {
  value: string
  color?: string
}

/** Constraints checked by validation; every field is optional. */
export interface ColumnConstraints {
  /** The cell must not be empty. */
  required?: boolean
  /** Values must be unique within the sheet (a key column). */
  unique?: boolean
  /** Inclusive bounds for number-like columns (percent as a fraction), or ISO dates for date. */
  min?: number | string
  max?: number | string
  /** Allowed options for enum columns (kept here so they travel with the constraints). */
  options?: EnumOption[]
}

/** Type-specific settings that are not constraints. */
export interface ColumnFormat {
  /** money only: the unit the stored numbers are in. */
  unit?: MoneyUnit
  /** reference only: the sheet id whose rows this column points at. */
  refSheet?: string
  /** reference only: the column id of `refSheet` shown as the referenced row's name. */
  refColumn?: string
  /** number-like: digits after the decimal point when formatting (undefined = as needed). */
  decimals?: number
  /** period only: month, quarter or year (undefined accepts any). */
  granularity?: 'month' | 'quarter' | 'year'
  /** period only: shown the Chinese way (2024年7月, default) or as stored (2024-07). */
  periodStyle?: 'zh' | 'iso'
}

/** A column as the API reads it. */
export interface Column {
  id: string
  name: string
  type: ColumnType
  constraints: ColumnConstraints
  format: ColumnFormat
  /** Display width in CSS pixels. */
  width: number
  /** Fractional order key; columns sort by (order, id). */
  order: string
}

/** What a caller supplies to create a column; id and order are assigned when omitted. */
export interface ColumnInit {
  id?: string
  name: string
  type: ColumnType
  constraints?: ColumnConstraints
  format?: ColumnFormat
  width?: number
}

export const DEFAULT_COLUMN_WIDTH = 140

export function isColumnType(x: unknown): x is ColumnType {
  return typeof x === 'string' && (COLUMN_TYPES as readonly string[]).includes(x)
}

/** Number-like types store a JS number. */
export function isNumericType(t: ColumnType): boolean {
  return t === 'number' || t === 'integer' || t === 'percent' || t === 'money'
}
