import type { CellValue } from '../schema/columnTypes.js'
import { formatValue, parseValue, type ValueColumn } from '../schema/values.js'

/** One cell a retype converts: its new value. */
export interface RetypeEdit {
  rowId: string
  value: CellValue
}

/** One cell a retype cannot convert: kept as it is (nothing is dropped) and flagged. */
export interface RetypeFailure {
  rowId: string
  value: CellValue
  message: { zh: string; en: string }
}

/**
 * Plan retyping a column (e.g. text → period): every value is re-read as text in the new type; what
 * parses becomes an edit, what does not stays as it is and is listed, so validation flags it and the
 * user can fix it. Nothing is written here: the caller applies `edits` with the type change in one
 * transaction.
 * @example planRetype([['r1', '2024年7月'], ['r2', '七月']], periodColumn) // edits r1 → '2024-07'; r2 fails
 */
export function planRetype(
  cells: Iterable<[rowId: string, value: CellValue | undefined]>,
  from: ValueColumn,
  to: ValueColumn,
): { edits: RetypeEdit[]; failures: RetypeFailure[] } {
  const edits: RetypeEdit[] = []
  const failures: RetypeFailure[] = []
  for (const [rowId, value] of cells) {
    if (value === null || value === undefined) continue
    const text = formatValue(value, from, { forEdit: true })
    const r = parseValue(text, to, { excelSerial: typeof value === 'number' })
    if (r.ok) {
      if (r.value !== value) edits.push({ rowId, value: r.value })
    } else failures.push({ rowId, value, message: r.error.message })
  }
  return { edits, failures }
}
