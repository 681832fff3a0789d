/**
 * What names in an expression mean: the sheet it runs over, the other sheets it may reach, extra named
 * records, and the money unit columns are read in (`moneyFactor`, `scaleMoney`).
 */
import type { CellValue, Column, MoneyUnit } from '../schema/columnTypes.js'

/** A sheet as the evaluator reads it. */
export interface SheetSource {
  readonly id: string
  readonly name: string
  columns(): readonly Column[]
  rowIds(): readonly string[]
  cell(rowId: string, colId: string): CellValue | undefined
}

/** What names mean: the sheet the expression runs over, the other sheets, extra records. */
export interface ExprScope {
  sheet: SheetSource
  sheetById(id: string): SheetSource | undefined
  sheetByName(name: string): SheetSource | undefined
  /** Rows of `sheet` whose column holds `value` (LOOKUP); scanned when absent. */
  lookup?(sheet: SheetSource, colId: string, value: CellValue): readonly string[]
  /** Named records besides `rec`, e.g. `{ user: { station: '…', district: '杨浦区' } }` (issue 16). */
  roots?: Readonly<Record<string, Readonly<Record<string, CellValue>>>>
  /**
   * Read money columns in this unit (276 in a 万元 column reads as 2,760,000 with `元`), so an
   * expression or a summary never adds 元 to 万元. Unset: each column's own unit.
   */
  moneyUnit?: MoneyUnit
}

/** What one stored money figure is worth in another unit (万元 → 元: × 10,000). */
export function moneyFactor(from: MoneyUnit | undefined, to: MoneyUnit): number {
  const f = from ?? '元'
  return f === to ? 1 : f === '万元' ? 10_000 : 1 / 10_000
}

/** Exact-decimal scaling: 1.23 万元 is 12,300 元, not 12300.000000000002. */
export function scaleMoney(v: CellValue, factor: number): CellValue {
  if (factor === 1 || typeof v !== 'number') return v
  const text = String(v)
  if (text.includes('e')) return v * factor
  return factor > 1 ? Number(`${text}e4`) : Number(`${text}e-4`)
}
