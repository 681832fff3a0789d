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
  install: () => undefined,
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
