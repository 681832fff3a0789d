import type { CellValue } from '../schema/columnTypes.js'

/** One write to a cell, from the edit log. */
export interface EditEntry {
  rowId: string
  colId: string
  value: CellValue
  by: string
  at: number
  editId: string
  prevEditId: string | null
}

/**
 * A value that lost: overwritten by a concurrent edit the writer had not seen, or written into a
 * row that was deleted concurrently. Both stay recoverable from the doc.
 */
export type Conflict =
  | {
      kind: 'concurrent-edit'
      rowId: string
      colId: string
      winner: EditEntry | null
      lost: EditEntry
    }
  | {
      kind: 'edit-on-deleted-row'
      rowId: string
      colId: string
      lost: EditEntry
      deletedBy: string
      deletedAt: number
    }

/** Who removed something (a row, a column, a sheet) and when. */
export interface Removal {
  by: string
  at: number
}
