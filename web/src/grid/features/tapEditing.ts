import type { CellClickedEvent } from 'ag-grid-community'
import { ROW_NUMBER_COL } from '../columnDefs'
import type { RowData } from '../rowData'
import type { GridFeature } from './GridFeature'

/**
 * Editing by touch (phones, tablets): the first tap selects a cell, a second tap on the selected
 * cell opens its editor, as in the spreadsheet apps people know; a double tap is not needed (it
 * zooms on many phones). Mouse clicks are left as they are.
 */
export const tapEditing: GridFeature = {
  name: 'tapEditing',
  install(api, ctx) {
    let touch = false
    let focusedBefore: { rowIndex: number; colId: string } | null = null
    ctx.host.listen(
      ctx.container,
      'pointerdown',
      (e) => {
        touch = e.pointerType === 'touch' || e.pointerType === 'pen'
        const f = api.getFocusedCell()
        focusedBefore = f ? { rowIndex: f.rowIndex, colId: f.column.getColId() } : null
      },
      { capture: true },
    )
    ctx.host.onGrid(api, 'cellClicked', (e: CellClickedEvent<RowData>) => {
      if (!touch || ctx.readOnly() || e.rowIndex === null) return
      const colId = e.column.getColId()
      if (colId === ROW_NUMBER_COL) return
      if (focusedBefore?.rowIndex !== e.rowIndex || focusedBefore.colId !== colId) return
      if (api.getEditingCells().length > 0) return
      api.startEditingCell({ rowIndex: e.rowIndex, colKey: colId })
    })
    return undefined
  },
}
