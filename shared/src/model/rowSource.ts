import type { CellValue } from '../schema/columnTypes.js'

/**
 * Rows to insert read cell by cell: a bulk import keeps its values column by column and writes
 * each row record straight from them, with no value array per row.
 */
export interface RowSource {
  readonly length: number
  /** The value of row `row` at target position `col` (undefined or null: empty). */
  value(row: number, col: number): CellValue | undefined
}

export type RowArrays = readonly (readonly (CellValue | undefined)[])[]

export function rowSource(rows: RowArrays | RowSource): RowSource {
  if (!Array.isArray(rows)) return rows as RowSource
  const a = rows as RowArrays
  return { length: a.length, value: (r, c) => a[r]![c] }
}

/** The target positions (0..width-1) that carry a value in some row. */
export function usedColumns(src: RowSource, width: number): number[] {
  const used: number[] = []
  for (let c = 0; c < width; c++) {
    for (let r = 0; r < src.length; r++) {
      const v = src.value(r, c)
      if (v !== null && v !== undefined) {
        used.push(c)
        break
      }
    }
  }
  return used
}
