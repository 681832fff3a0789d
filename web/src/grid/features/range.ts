import type { Column } from '@taizhang/shared'
import type { GridApi } from 'ag-grid-community'
import { ROW_NUMBER_COL } from '../columnDefs'
import type { GridContext } from '../gridContext'
import type { RowData } from '../rowData'
import type { SelectionInfo } from './GridFeature'

/** A cell in display coordinates: the displayed row index and the column id. */
export interface GridPoint {
  rowIndex: number
  colId: string
}

/**
 * The selected block: an anchor (where the selection started) and a focus (the moving corner).
 * Its bounds are kept in `cells.sel` for the renderers' class rules. A whole-row selection starts
 * on the row-number column.
 */
export interface RangeModel {
  anchor(): GridPoint | null
  focus(): GridPoint | null
  /** Sets both corners (null clears) and recomputes the bounds; does not redraw. */
  set(anchor: GridPoint | null, focus: GridPoint | null): void
  /** Recomputes the bounds (after the columns changed). */
  recompute(): void
  /** The selected rows (display order) and columns. */
  info(): SelectionInfo
  /** Shift is held: a focus change extends the range instead of starting a new one. */
  shiftHeld: boolean
  /**
   * The grid's next focus change, if it is to this cell, leaves the range alone: the range was
   * already set for it (a header click focuses a cell of the column; Shift+click extends).
   */
  keepFocusAt: GridPoint | null
}

export function makeRangeModel(
  api: () => GridApi<RowData>,
  cells: GridContext,
  columns: () => readonly Column[],
): RangeModel {
  let anchor: GridPoint | null = null
  let focus: GridPoint | null = null
  const recompute = () => {
    if (!anchor || !focus) {
      cells.sel = null
      return
    }
    const cols = columns()
    const a = anchor.colId === ROW_NUMBER_COL ? 0 : (cells.colIndex.get(anchor.colId) ?? 0)
    const f =
      focus.colId === ROW_NUMBER_COL ? cols.length - 1 : (cells.colIndex.get(focus.colId) ?? 0)
    const wholeRows = anchor.colId === ROW_NUMBER_COL
    cells.sel = {
      r0: Math.min(anchor.rowIndex, focus.rowIndex),
      r1: Math.max(anchor.rowIndex, focus.rowIndex),
      c0: wholeRows ? 0 : Math.min(a, f),
      c1: wholeRows ? cols.length - 1 : Math.max(a, f),
    }
  }
  return {
    anchor: () => anchor,
    focus: () => focus,
    set(a, f) {
      anchor = a
      focus = f
      recompute()
    },
    recompute,
    info() {
      const sel = cells.sel
      if (!sel) return { rows: 0, cols: 0, rowIds: [], colIds: [] }
      const rowIds: string[] = []
      const g = api()
      for (let r = sel.r0; r <= sel.r1; r++) {
        const node = g.getDisplayedRowAtIndex(r)
        if (node?.data) rowIds.push(node.data.id)
      }
      const colIds = columns()
        .slice(sel.c0, sel.c1 + 1)
        .map((c) => c.id)
      return { rows: rowIds.length, cols: colIds.length, rowIds, colIds }
    },
    shiftHeld: false,
    keepFocusAt: null,
  }
}
