import type * as Y from 'yjs'
import type { CellValue } from '../schema/columnTypes.js'
import type { RandomSource } from './ids.js'

/**
 * A row record as stored in a sheet's `rows` Y.Array: `[rowId, orderKey, batchId, ...values]`.
 * Values line up with the column ids of `batches[batchId]`; batchId '' means "no values".
 * Records are never modified after insert; edits go to the `cells` overlay.
 */
export type RowRecord = [rowId: string, orderKey: string, batchId: string, ...values: CellValue[]]

/** A cell edit in the `cells` overlay: the value and the id of the history entry that wrote it. */
export type Overlay = [value: CellValue, editId: string]

/** A soft deletion in a sheet's `deletions` Y.Array. */
export type Tombstone = [rowId: string, by: string, at: number]

/** One entry of a sheet's edit log: `[rowId, colId, value, by, at, editId, prevEditId]`. */
export type LogRecord = [
  rowId: string,
  colId: string,
  value: CellValue,
  by: string,
  at: number,
  editId: string,
  prevEditId: string | null,
]

/** Who is writing: stamped on edits, deletions and the edit log. */
export interface Author {
  id: string
  name: string
}

/** A row as read by the API: cells keyed by column id (empty cells omitted). */
export interface RowView {
  id: string
  cells: Record<string, CellValue>
}

export interface SheetInfo {
  id: string
  name: string
  order: string
}

/** What changed in one sheet during one transaction: enough for the grid to touch only those rows. */
export interface SheetChange {
  /** Sheet name/order/deletion changed. */
  meta: boolean
  /** A column was added, removed, renamed, retyped, resized or moved. */
  columns: boolean
  /** Row order changed (insert, move, delete or restore): the grid should re-sort. */
  order: boolean
  /** Rows that became visible (inserted or restored). */
  added: Set<string>
  /** Rows that stopped being visible (deleted or purged). */
  removed: Set<string>
  /** Rows whose order key changed. */
  moved: Set<string>
  /** Cells whose value changed, by row. */
  cells: Map<string, Set<string>>
}

/** One transaction's changes, as delivered by `Workbook.onChange`. */
export interface WorkbookChange {
  origin: unknown
  /** True when this client made the change (false for remote updates and persistence loads). */
  local: boolean
  metaChanged: boolean
  /** A sheet was added, removed, renamed or moved. */
  sheetsChanged: boolean
  sheets: Map<string, SheetChange>
}

/** The parts of a workbook a sheet handle needs. */
export interface WorkbookContext {
  readonly doc: Y.Doc
  readonly readOnly: boolean
  author(): Author
  now(): number
  newId(length: number): string
  history(sheetId: string): Y.Array<LogRecord> | undefined
}

export interface WorkbookOptions {
  /** Random source for ids (seed it in tests). */
  random?: RandomSource
  /** Clock in ms since the epoch (fix it in tests). */
  now?: () => number
  author?: Author
}
