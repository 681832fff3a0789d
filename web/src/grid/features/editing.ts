import { type CellValue, type Column, parseValue, type Workbook } from '@taizhang/shared'
import { type EditorResult, isEditorResult } from '../editors'
import { referenceParseOptions } from '../references'
import type { GridFeature } from './GridFeature'

/**
 * Cell edits: the grid never mutates its data (`readOnlyEdit`); an editor's result is parsed in
 * the column's type and written to the model with the local origin.
 */
export const editing: GridFeature = {
  name: 'editing',
  options: (ctx) => ({
    onCellEditRequest: (e) => {
      if (ctx.readOnly() || !e.data) return
      const colId = e.column.getColId()
      const col = ctx.cells.columns.get(colId)
      if (!col) return
      const value = toCellValue(e.newValue, col, ctx.workbook)
      if (value === undefined) return
      ctx.sheet.setCell(e.data.id, colId, value)
    },
  }),
  install(api, ctx) {
    // Space ticks or unticks a boolean cell, as in Excel/WPS checkboxes (AG Grid does nothing:
    // boolean columns are not editable, the renderer's checkbox writes directly).
    ctx.host.listen(ctx.container, 'keydown', (e) => {
      if (e.key !== ' ' || e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return
      if (ctx.readOnly() || api.getEditingCells().length) return
      if ((e.target as HTMLElement).closest('input, textarea, select, .ag-popup')) return
      const f = api.getFocusedCell()
      const col = f ? ctx.cells.columns.get(f.column.getColId()) : undefined
      const row = f ? api.getDisplayedRowAtIndex(f.rowIndex)?.data : undefined
      if (!col || col.type !== 'boolean' || !row) return
      e.preventDefault()
      ctx.sheet.setCell(row.id, col.id, row.cells[col.id] !== true)
    })
    return undefined
  },
}

/** An editor's result as the value to store; undefined means "write nothing". */
export function toCellValue(
  result: unknown,
  col: Column,
  workbook: Workbook,
): CellValue | undefined {
  if (!isEditorResult(result)) return undefined
  const r = result as EditorResult
  if (r.kind === 'value') return r.value
  const parsed = parseValue(r.text, col, referenceParseOptions(workbook, col))
  // Unparseable input is kept as typed; validation outlines it and says why.
  return parsed.ok ? parsed.value : r.text
}
