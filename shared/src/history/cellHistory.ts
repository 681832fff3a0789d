import type { CellValue } from '../schema/columnTypes.js'
import type { CellHistoryItem, EditEntry, RowEvent } from './types.js'

/** What a cell's history reads besides its log entries. */
export interface CellHistoryInputs {
  /** The value the row was inserted with in this column (undefined: none). */
  inserted: CellValue | undefined
  /** The row's insert event, for who inserted it and how. */
  insertEvent: RowEvent | undefined
  /** The edit id the cell's overlay holds (undefined: the cell shows its inserted value). */
  currentEditId: string | undefined
  /** Edit ids of losing concurrent writes. */
  lost: ReadonlySet<string>
}

/**
 * Every value a cell has had, newest first: its log entries (typed, pasted, imported, filled,
 * undone, restored) in reverse log order, then the value the row was inserted with. Log order is
 * the same on every replica and never puts an entry before one its writer had seen (each is
 * appended at the end of the log as its writer saw it), whereas client clocks can be wrong.
 * Losing concurrent writes are marked `lost`.
 */
export function buildCellHistory(
  entries: readonly EditEntry[],
  inputs: CellHistoryInputs,
): CellHistoryItem[] {
  const out: CellHistoryItem[] = [...entries].reverse().map((e) => ({
    value: e.value,
    by: e.by,
    at: e.at,
    how: e.how,
    editId: e.editId,
    current: e.editId === inputs.currentEditId,
    lost: inputs.lost.has(e.editId),
  }))
  if (inputs.inserted !== undefined && inputs.inserted !== null) {
    out.push({
      value: inputs.inserted,
      by: inputs.insertEvent?.by ?? null,
      at: inputs.insertEvent?.at ?? null,
      how: 'inserted',
      editId: null,
      current: inputs.currentEditId === undefined,
      lost: false,
    })
  }
  return out
}
