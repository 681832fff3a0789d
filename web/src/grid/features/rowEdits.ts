import type { CellValue } from '@taizhang/shared'
import type { GridApi } from 'ag-grid-community'
import { ROW_NUMBER_COL } from '../columnDefs'
import type { RowData } from '../rowData'
import type { FeatureContext, GridFeature } from './GridFeature'

export interface RowEditsFeature extends GridFeature {
  focusCell(rowId: string, colId: string): void
  /** The row ids the row commands act on: the selected rows, or the focused one. */
  selectedRowIds(): string[]
  insertRow(where: 'above' | 'below'): void
  addRowAtEnd(): void
  deleteSelectedRows(): void
  /** Clears every cell of the range in one transaction (one undo step). */
  clearSelectedCells(): void
  /**
   * Ctrl+D: the range's top row copied into the rows below it, one transaction; a one-row range
   * takes the row above it, as in Excel.
   */
  fillDown(): void
  /**
   * Moves the selected rows (or the focused one) up or down by one shown row, one transaction;
   * the range and focus move with them. Nothing under a sort (the order shown is not the sheet's).
   */
  moveSelectedRows(delta: -1 | 1): void
  /** Moves the selected rows to stand at shown row `rowNumber` (1-based). */
  moveSelectedRowsTo(rowNumber: number): void
  /** Moves the given rows before (or after, when past the end) the shown row at `toIndex`. */
  moveRowsToIndex(rowIds: readonly string[], toIndex: number): void
}

/** Row insert/delete and clearing the range: the row commands of the toolbar, menu and keys. */
export function makeRowEdits(): RowEditsFeature {
  let at: { api: GridApi<RowData>; ctx: FeatureContext } | null = null
  const self: RowEditsFeature = {
    name: 'rowEdits',
    install(api, ctx) {
      at = { api, ctx }
      ctx.host.add(() => {
        at = null
      })
      return undefined
    },
    focusCell(rowId, colId) {
      if (!at) return
      const { api } = at
      const node = api.getRowNode(rowId)
      if (!node || node.rowIndex === null) return
      api.ensureIndexVisible(node.rowIndex, 'middle')
      api.ensureColumnVisible(colId)
      api.setFocusedCell(node.rowIndex, colId)
    },
    selectedRowIds() {
      if (!at) return []
      const { api, ctx } = at
      const s = ctx.range.info()
      if (s.rowIds.length) return s.rowIds
      const f = api.getFocusedCell()
      const node = f ? api.getDisplayedRowAtIndex(f.rowIndex) : undefined
      return node?.data ? [node.data.id] : []
    },
    insertRow(where) {
      if (!at || at.ctx.readOnly()) return
      const { api, ctx } = at
      const ids = self.selectedRowIds()
      const f = api.getFocusedCell()
      const colId = f?.column.getColId() ?? ctx.columns()[0]?.id ?? ROW_NUMBER_COL
      let newId: string | undefined
      if (!ids.length) [newId] = ctx.sheet.insertEmptyRows(1)
      else if (where === 'above') [newId] = ctx.sheet.insertEmptyRows(1, { before: ids[0]! })
      else [newId] = ctx.sheet.insertEmptyRows(1, { after: ids[ids.length - 1]! })
      ctx.flush()
      if (newId) self.focusCell(newId, colId)
    },
    addRowAtEnd() {
      if (!at || at.ctx.readOnly()) return
      const { ctx } = at
      const [newId] = ctx.sheet.insertEmptyRows(1)
      ctx.flush()
      const first = ctx.columns()[0]
      if (newId && first) self.focusCell(newId, first.id)
    },
    deleteSelectedRows() {
      if (!at || at.ctx.readOnly()) return
      const { api, ctx } = at
      const ids = self.selectedRowIds()
      if (!ids.length) return
      const f = api.getFocusedCell()
      ctx.sheet.deleteRows(ids)
      ctx.flush()
      ctx.range.set(null, null)
      if (f) {
        const idx = Math.min(f.rowIndex, api.getDisplayedRowCount() - 1)
        if (idx >= 0) api.setFocusedCell(idx, f.column.getColId())
      }
    },
    clearSelectedCells() {
      if (!at || at.ctx.readOnly()) return
      const { ctx } = at
      const s = ctx.range.info()
      const edits: { row: string; col: string; value: CellValue }[] = []
      for (const row of s.rowIds) for (const col of s.colIds) edits.push({ row, col, value: null })
      if (edits.length) ctx.sheet.setCells(edits)
    },
    fillDown() {
      if (!at || at.ctx.readOnly()) return
      const { api, ctx } = at
      const sel = ctx.cells.sel
      if (!sel) return
      const top = sel.r0 === sel.r1 ? sel.r0 - 1 : sel.r0
      const source = top >= 0 ? api.getDisplayedRowAtIndex(top)?.data : undefined
      if (!source) return
      const colIds = ctx
        .columns()
        .slice(sel.c0, sel.c1 + 1)
        .map((c) => c.id)
      const edits: { row: string; col: string; value: CellValue }[] = []
      for (let r = top + 1; r <= sel.r1; r++) {
        const row = api.getDisplayedRowAtIndex(r)?.data
        if (!row) continue
        for (const col of colIds) {
          const value = (source.cells[col] ?? null) as CellValue
          // Unchanged cells are not written: no log entry, nothing to sync.
          if ((row.cells[col] ?? null) !== value) edits.push({ row: row.id, col, value })
        }
      }
      if (edits.length) ctx.sheet.setCells(edits)
    },
    moveSelectedRows(delta) {
      if (!at || at.ctx.readOnly()) return
      const { api } = at
      const ids = self.selectedRowIds()
      if (!ids.length) return
      const idx = ids.map((id) => api.getRowNode(id)?.rowIndex ?? -1)
      const first = Math.min(...idx)
      const last = Math.max(...idx)
      if (first < 0) return
      if (delta < 0 && first > 0) self.moveRowsToIndex(ids, first - 1)
      if (delta > 0 && last < api.getDisplayedRowCount() - 1) self.moveRowsToIndex(ids, last + 2)
    },
    moveSelectedRowsTo(rowNumber) {
      if (!at) return
      const ids = self.selectedRowIds()
      if (!ids.length) return
      const first = Math.min(...ids.map((id) => at!.api.getRowNode(id)?.rowIndex ?? 0))
      // Rows moved down land after the target row, as Excel does with a cut row inserted there.
      const target = rowNumber - 1
      self.moveRowsToIndex(ids, target > first ? target + 1 : target)
    },
    moveRowsToIndex(rowIds, toIndex) {
      if (!at || at.ctx.readOnly() || !rowIds.length) return
      const { api, ctx } = at
      if (api.getColumnState().some((c) => c.sort)) return
      const count = api.getDisplayedRowCount()
      const moving = new Set(rowIds)
      const oldFirst = Math.min(...rowIds.map((id) => api.getRowNode(id)?.rowIndex ?? 0))
      // The shown row the block goes before (skipping the moving rows), or after the last.
      let before: string | undefined
      for (let i = Math.max(0, toIndex); i < count; i++) {
        const id = api.getDisplayedRowAtIndex(i)?.data?.id
        if (id && !moving.has(id)) {
          before = id
          break
        }
      }
      let after: string | undefined
      if (!before) {
        for (let i = count - 1; i >= 0; i--) {
          const id = api.getDisplayedRowAtIndex(i)?.data?.id
          if (id && !moving.has(id)) {
            after = id
            break
          }
        }
      }
      if (!before && !after) return
      const f = api.getFocusedCell()
      const colId = f?.column.getColId()
      const sel = ctx.cells.sel
      ctx.sheet.moveRows(rowIds, before ? { before } : { after: after! })
      ctx.flush()
      // The range and focus follow the rows.
      const newFirst = Math.min(...rowIds.map((id) => api.getRowNode(id)?.rowIndex ?? 0))
      const shift = newFirst - oldFirst
      const anchor = ctx.range.anchor()
      const focus = ctx.range.focus()
      if (sel && anchor && focus)
        ctx.range.set(
          { ...anchor, rowIndex: anchor.rowIndex + shift },
          { ...focus, rowIndex: focus.rowIndex + shift },
        )
      if (f && colId) {
        const rowIndex = f.rowIndex + shift
        ctx.range.keepFocusAt = { rowIndex, colId }
        api.ensureIndexVisible(rowIndex)
        api.setFocusedCell(rowIndex, colId)
      }
      api.refreshCells({ force: false })
      ctx.events.onSelectionChange?.(ctx.range.info())
    },
  }
  return self
}
