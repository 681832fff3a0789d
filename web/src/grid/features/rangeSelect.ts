import type { GridApi } from 'ag-grid-community'
import { ROW_NUMBER_COL } from '../columnDefs'
import type { RowData } from '../rowData'
import type { FeatureContext, GridFeature } from './GridFeature'
import type { GridPoint } from './range'

export interface RangeSelectFeature extends GridFeature {
  /** Moves the range's focus corner by rows/columns (Shift+arrows); the active cell stays. */
  extend(dRows: number, dCols: number): void
  /** Every displayed row and column (Ctrl+A). */
  selectAll(): void
  /** The whole rows of the range (Shift+Space) or its whole columns (Ctrl+Space). */
  selectWhole(what: 'rows' | 'columns'): void
}

/**
 * Range selection on top of AG Grid Community (which has none): drag over cells, click a column
 * header (Shift extends), extend with Shift+arrows, select all. The range is kept in `ctx.range`;
 * cells are painted by the `tz-in-range` class rule. Header clicks select instead of sorting
 * (sorting is in the context menu, as in WPS).
 */
export function makeRangeSelect(): RangeSelectFeature {
  let at: { api: GridApi<RowData>; ctx: FeatureContext } | null = null
  const apply = (anchor: GridPoint | null, focus: GridPoint | null, scrollTo?: GridPoint) => {
    if (!at) return
    const { api, ctx } = at
    ctx.range.set(anchor, focus)
    if (scrollTo) {
      // The column first: it reads the layout, which is still clean before the vertical scroll
      // renders new rows (the other order forced a second layout: ~25 ms of a 1,000-row extend).
      if (scrollTo.colId !== ROW_NUMBER_COL) api.ensureColumnVisible(scrollTo.colId)
      api.ensureIndexVisible(scrollTo.rowIndex)
    }
    api.refreshCells({ force: false })
    ctx.events.onSelectionChange?.(ctx.range.info())
  }
  const lastRow = () => (at ? at.api.getDisplayedRowCount() - 1 : -1)
  const colAt = (i: number) => at?.ctx.columns()[i]?.id
  const self: RangeSelectFeature = {
    name: 'rangeSelect',
    extend(dRows, dCols) {
      if (!at) return
      const { ctx } = at
      const anchor = ctx.range.anchor()
      const focus = ctx.range.focus()
      if (!anchor || !focus) return
      const cols = ctx.columns()
      const ci =
        focus.colId === ROW_NUMBER_COL
          ? cols.length - 1
          : (ctx.cells.colIndex.get(focus.colId) ?? 0)
      const nextCol = Math.max(0, Math.min(cols.length - 1, ci + dCols))
      const next = {
        rowIndex: Math.max(0, Math.min(lastRow(), focus.rowIndex + dRows)),
        colId:
          focus.colId === ROW_NUMBER_COL && dCols === 0
            ? ROW_NUMBER_COL
            : (colAt(nextCol) ?? focus.colId),
      }
      apply(anchor, next, next)
    },
    selectAll() {
      const first = colAt(0)
      const n = lastRow()
      if (!at || !first || n < 0) return
      const last = colAt(at.ctx.columns().length - 1) ?? first
      apply({ rowIndex: 0, colId: first }, { rowIndex: n, colId: last })
    },
    selectWhole(what) {
      if (!at) return
      const sel = at.ctx.cells.sel
      const cols = at.ctx.columns()
      if (!sel || !cols.length) return
      if (what === 'rows')
        apply(
          { rowIndex: sel.r0, colId: ROW_NUMBER_COL },
          { rowIndex: sel.r1, colId: ROW_NUMBER_COL },
        )
      else
        apply(
          { rowIndex: 0, colId: cols[sel.c0]!.id },
          { rowIndex: lastRow(), colId: cols[sel.c1]!.id },
        )
    },
    install(api, ctx) {
      at = { api, ctx }
      ctx.host.add(() => {
        at = null
      })
      const cellAt = (target: EventTarget | null): GridPoint | null => {
        const cell = (target as HTMLElement | null)?.closest?.('.ag-cell')
        const row = cell?.closest('.ag-row')
        const colId = cell?.getAttribute('col-id')
        const idx = row?.getAttribute('row-index')
        if (!colId || idx == null || !ctx.container.contains(cell!)) return null
        const rowIndex = Number(idx)
        return Number.isInteger(rowIndex) && rowIndex >= 0 ? { rowIndex, colId } : null
      }
      // Drag: the press focuses the anchor (AG Grid), moving over cells moves the focus corner.
      let dragging = false
      ctx.host.listen(
        ctx.container,
        'mousedown',
        (e) => {
          const cell = e.button === 0 ? cellAt(e.target) : null
          dragging = cell !== null && !e.shiftKey
          if (!cell || api.getEditingCells().length) return
          // The range is set here, at the press; AG Grid moves its focus to the cell a little
          // later (and again on a drag's release), which must not undo a Shift+click or a drag.
          const anchor = ctx.range.anchor()
          if (e.shiftKey && anchor) {
            apply(
              anchor,
              anchor.colId === ROW_NUMBER_COL ? { ...cell, colId: ROW_NUMBER_COL } : cell,
            )
          } else apply(cell, cell)
          ctx.range.keepFocusAt = cell
        },
        true,
      )
      ctx.host.listen(ctx.container, 'mouseover', (e) => {
        if (!dragging || !(e.buttons & 1) || api.getEditingCells().length) return
        const cell = cellAt(e.target)
        const anchor = ctx.range.anchor()
        if (!cell || !anchor) return
        const focus = ctx.range.focus()
        if (focus && focus.rowIndex === cell.rowIndex && focus.colId === cell.colId) return
        // Dragging from a row number selects whole rows.
        apply(anchor, anchor.colId === ROW_NUMBER_COL ? { ...cell, colId: ROW_NUMBER_COL } : cell)
        ctx.range.keepFocusAt = anchor
      })
      ctx.host.listen(document, 'mouseup', () => {
        dragging = false
      })
      // A column header click selects the column (Shift: up to it from the range's anchor).
      ctx.host.listen(
        ctx.container,
        'click',
        (e) => {
          const target = e.target as HTMLElement
          const header = target.closest('.ag-header-cell')
          if (!header || !ctx.container.contains(header)) return
          if (
            target.closest(
              '.ag-header-cell-menu-button, .ag-header-cell-filter-button, .ag-header-icon, .ag-header-cell-resize, .ag-floating-filter',
            )
          )
            return
          const colId = header.getAttribute('col-id')
          if (!colId) return
          e.stopPropagation()
          if (colId === ROW_NUMBER_COL) {
            self.selectAll()
            return
          }
          const n = lastRow()
          if (n < 0) return
          const anchor = ctx.range.anchor()
          const from =
            e.shiftKey && anchor && anchor.colId !== ROW_NUMBER_COL ? anchor.colId : colId
          apply({ rowIndex: 0, colId: from }, { rowIndex: n, colId })
          // The keyboard and clipboard follow the grid's focus: put it in the column, range kept.
          focusKeepingRange(api, ctx, Math.max(0, api.getFirstDisplayedRowIndex()), colId)
        },
        true,
      )
      return undefined
    },
  }
  return self
}

function focusKeepingRange(
  api: GridApi<RowData>,
  ctx: FeatureContext,
  rowIndex: number,
  colId: string,
) {
  const f = api.getFocusedCell()
  if (f && f.rowIndex === rowIndex && f.column.getColId() === colId) return
  ctx.range.keepFocusAt = { rowIndex, colId }
  api.setFocusedCell(rowIndex, colId)
}
