/** Columns and helpers the schema value tests share (test-only: imported by *.test.ts beside it). */
import type { CellValue, ColumnFormat, ColumnType, EnumOption } from './columnTypes.js'
import { type ParseOptions, parseValue, type ValueColumn } from './values.js'

export function col(
  type: ColumnType,
  format: ColumnFormat = {},
  options?: EnumOption[],
): ValueColumn {
  return { type, format, constraints: options ? { options } : {} }
}
export const NUMBER = col('number')
export const INTEGER = col('integer')
export const PERCENT = col('percent')
export const WAN = col('money', { unit: '万元' })
export const YUAN = col('money', { unit: '元' })
export const DATE = col('date')
export const BOOL = col('boolean')
export const TEXT = col('text')
export const LEVELS = col('enum', {}, [
  { value: '红', color: 'red' },
  { value: '橙' },
  { value: '黄' },
  { value: 'Blue' },
])

export function value(
  input: string,
  column: ValueColumn,
  opts?: ParseOptions,
): CellValue | undefined {
  const r = parseValue(input, column, opts)
  return r.ok ? r.value : undefined
}
export function errorKind(
  input: string,
  column: ValueColumn,
  opts?: ParseOptions,
): string | undefined {
  const r = parseValue(input, column, opts)
  return r.ok ? undefined : r.error.kind
}
