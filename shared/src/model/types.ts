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

/**
 * A soft deletion in a sheet's `deletions` Y.Array. `seen` (newer writers) lists the edit ids the
 * row's cells held when it was deleted: an edit not among them or their predecessors was made
 * without the deleter seeing it, and lost to the delete.
 */
export type Tombstone = [rowId: string, by: string, at: number, seen?: string[]]

/**
 * One entry of a sheet's edit log: `[rowId, colId, value, by, at, editId, prevEditId, how?]`;
 * `how` is a one-letter code (history/log.ts), absent on entries written before it existed.
 */
export type LogRecord = [
  rowId: string,
  colId: string,
  value: CellValue,
  by: string,
  at: number,
  editId: string,
  prevEditId: string | null,
  how?: string,
]

/**
 * One entry of the workbook's row log (root `rowLog`): a row insert, move, delete or restore,
 * once per operation, not per row or cell. `rowIds` lists the rows, except for an insert that
 * wrote a value batch: its rows are the records carrying `batchId` (a 100,000-row import is one
 * entry with no id list). `how` is the code of history/log.ts; `source` names an import's file.
 */
export type RowLogRecord = [
  sheetId: string,
  kind: string,
  rowIds: string[],
  batchId: string,
  by: string,
  at: number,
  how: string,
  source: string,
]

/** One settling of a conflict (root `settlements`): append-only, so concurrent settlings all stay. */
export type SettlementRecord = [
  sheetId: string,
  conflictId: string,
  action: string,
  by: string,
  at: number,
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
  /** The workbook's row log (root `rowLog`). */
  rowLog(): Y.Array<RowLogRecord>
}

export interface WorkbookOptions {
  /** Random source for ids (seed it in tests). */
  random?: RandomSource
  /** Clock in ms since the epoch (fix it in tests). */
  now?: () => number
  author?: Author
}
