import type { CellValue, Column, Sheet } from '@taizhang/shared'
import type { UnackedCells } from '../doc/UnackedCells'

/** A collaborator's selection shown in the grid. */
export interface PeerMark {
  clientId: number
  name: string
  color: string
}

/** A rectangular selection in display coordinates: row indexes and displayed column ids. */
export interface CellRange {
  anchor: { rowIndex: number; colId: string }
  focus: { rowIndex: number; colId: string }
}

/**
 * A cell's conflict marker (issue 13). Its tooltip is made when the cell is drawn (once; then
 * kept), not when the conflicts change: a remote batch of 1,000 conflicts formatted 1,000
 * tooltips in the task that applied it, most for cells out of view (~200 ms of that task,
 * measured in bench/web/conflicts.bench.ts).
 */
export interface ConflictMark {
  /** The losing edits the marker stands for (conflict ids): equal signatures, equal markers. */
  readonly sig: string
  /** The tooltip: the other value(s), who and when. */
  title(): string
}

/**
 * Everything renderers and editors read besides the row itself, passed as AG Grid's `context`.
 * Plain mutable fields: the grid is told to refresh the affected cells after a change.
 */
export interface GridContext {
  sheetId: string
  sheet: Sheet
  readOnly: boolean
  locale: 'zh-CN' | 'en'
  columns: Map<string, Column>
  unacked: UnackedCells
  /** `cellKey(row, col)` (cellKey.ts) → peers focused there. */
  peers: Map<string, PeerMark[]>
  /** cellKey(row, col) → problem message (errors: red outline). */
  problems: Map<string, string>
  /** cellKey(row, col) → warning message (outliers, warning-level rules: amber, never blocking). */
  warnings: Map<string, string>
  /** cellKey(row, col) → conflict marker (issue 13: features/conflictMarkers.ts). */
  conflicts: Map<string, ConflictMark>
  /** Selection bounds, precomputed for class checks. */
  sel: { r0: number; r1: number; c0: number; c1: number } | null
  colIndex: Map<string, number>
  unackedTitle: string
  /** Display name of a referenced row. */
  referenceLabel(col: Column, rowId: string): string | undefined
  /** Rows a reference column may point at: [id, label]. */
  referenceOptions(col: Column): [string, string][]
  /** Writes one cell (a checkbox toggle, say) with the local origin. */
  writeCell(rowId: string, colId: string, value: CellValue): void
  t(key: 'editor.search' | 'editor.none' | 'editor.noMatch'): string
}
