import type { CellValue } from '../schema/columnTypes.js'

/**
 * How a value got into a cell. Stored in the edit log as one letter (`HOW_CODES`); an entry
 * without one predates the field and was typed.
 */
export const EDIT_HOW = [
  'typed',
  'paste',
  'import',
  'fill',
  'undo',
  'redo',
  'restore',
  'conflict-restore',
] as const
export type EditHow = (typeof EDIT_HOW)[number]

/** One write to a cell, from the edit log. */
export interface EditEntry {
  rowId: string
  colId: string
  value: CellValue
  by: string
  at: number
  editId: string
  /**
   * The edit the writer saw in the cell (null: none). For an undo or redo entry, the edit whose
   * value the undo or redo replaced.
   */
  prevEditId: string | null
  how: EditHow
}

/**
 * A value that lost: overwritten by a concurrent edit the writer had not seen, written into a row
 * that was deleted concurrently, or written into a column that was deleted concurrently. Each
 * stays recoverable from the doc.
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
  | {
      kind: 'fill-of-deleted-column'
      rowId: string
      colId: string
      lost: EditEntry
      deletedBy: string
      deletedAt: number
    }

export type ConflictKind = Conflict['kind']

/** Who removed something (a row, a column, a sheet) and when. */
export interface Removal {
  by: string
  at: number
}

/** A deleted row: the edit ids its deleters had seen (null: not recorded, clocks decide). */
export interface RowRemoval extends Removal {
  seen: ReadonlySet<string> | null
}

/** A deleted column: its deleter's Yjs state vector, client → clock (null: not recorded). */
export interface ColumnRemoval extends Removal {
  sv: Readonly<Record<string, number>> | null
}

/** How a conflict was settled: its losing value adopted (written back) or the current one kept. */
export type SettleAction = 'adopt' | 'keep'

/** One settling of a conflict, from the doc's settlement records. */
export interface Settlement {
  sheetId: string
  conflictId: string
  action: SettleAction
  by: string
  at: number
}

/** One entry of a cell's history panel, newest first. */
export interface CellHistoryItem {
  value: CellValue
  by: string | null
  at: number | null
  how: EditHow | 'inserted'
  /** The log entry's edit id; null for the value the row was inserted with. */
  editId: string | null
  /** The value the cell shows now. */
  current: boolean
  /** A losing concurrent write (its conflict may be settled). */
  lost: boolean
}

export const ROW_EVENT_KINDS = ['insert', 'move', 'delete', 'restore'] as const
export type RowEventKind = (typeof ROW_EVENT_KINDS)[number]

/** One event in a row's history, from the row log. */
export interface RowEvent {
  kind: RowEventKind
  by: string
  at: number
  /** typed / paste / import / undo / redo / restore (trash) for the event's origin. */
  how: EditHow
  /** For an import: the batch id its rows share, and the file it came from when known. */
  batchId: string
  source: string
}
