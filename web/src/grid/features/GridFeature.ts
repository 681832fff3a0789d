import type { Column, Sheet, Workbook } from '@taizhang/shared'
import type { GridApi, GridOptions } from 'ag-grid-community'
import type { GridContext } from '../gridContext'
import type { RowData } from '../rowData'
import type { ListenerHost } from './host'
import type { RangeModel } from './range'

/** The focused cell, as the workbook view sees it. */
export interface FocusedCell {
  rowId: string
  colId: string
  rowIndex: number
}

/** The selected block: its rows (display order) and columns. */
export interface SelectionInfo {
  rows: number
  cols: number
  rowIds: string[]
  colIds: string[]
}

/** What the grid tells its owner (the workbook view). All optional. */
export interface SheetGridEvents {
  onFocusChange?: (cell: FocusedCell | null) => void
  onSelectionChange?: (sel: SelectionInfo) => void
  onContextMenu?: (at: { x: number; y: number }) => void
  /** After a paste: how many cells could not be parsed and were kept as typed text. */
  onPasted?: (report: { cells: number; unparsed: number; addedRows: number }) => void
  /**
   * A key pressed on the grid while no editor is open: the owner runs the command bound to it
   * (the command table in `app/toolbarExtensions.ts`) and returns true if one ran.
   */
  onKey?: (e: KeyboardEvent) => boolean
}

/**
 * What a feature sees of the sheet's grid besides AG Grid's API. Narrow on purpose: a feature
 * reads the model, the renderers' context and the range, and registers its listeners on `host`
 * (removed when the grid is disposed).
 */
export interface FeatureContext {
  readonly workbook: Workbook
  readonly sheet: Sheet
  /** The element the grid is mounted in (keyboard and clipboard events bubble to it). */
  readonly container: HTMLElement
  /** What renderers and editors read (AG Grid's `context`): mutate, then refresh the cells. */
  readonly cells: GridContext
  /** The sheet's columns in display order (data columns only). */
  columns(): readonly Column[]
  readOnly(): boolean
  /** The selected block (anchor and focus cells). */
  readonly range: RangeModel
  readonly events: SheetGridEvents
  /** This feature's listeners and timers; everything registered here is undone on dispose. */
  readonly host: ListenerHost
  /** Applies pending model changes to the grid now (after a local write the user waits on). */
  flush(): void
  /** Re-reads the columns (a column was added, retyped, deleted) and rebuilds the column defs. */
  reloadColumns(): void
  /** Force-redraws the given [rowId, colId] cells; only rendered rows cost anything. */
  refreshCells(cells: Iterable<readonly [string, string]>): void
}

/**
 * One grid capability (clipboard, range, editing, row numbers, presence, problems…): it may add
 * grid options before the grid exists, and is installed once the grid does. `makeSheetGrid` only
 * composes features; see web/README.md, "Where a new grid feature goes".
 *
 * @example
 * export const rowNumbers: GridFeature = {
 *   name: 'rowNumbers',
 *   install(api, ctx) {
 *     ctx.host.onGrid(api, 'sortChanged', () => api.refreshCells({ columns: [ROW_NUMBER_COL] }))
 *   },
 * }
 */
export interface GridFeature {
  readonly name: string
  /** Options this feature adds (handlers, row data…); two features may not set the same key. */
  options?(ctx: FeatureContext): Partial<GridOptions<RowData>>
  /** Runs once the grid exists. Listeners go through `ctx.host`; the return value, if any, runs on dispose too. */
  install(api: GridApi<RowData>, ctx: FeatureContext): undefined | (() => void)
}
