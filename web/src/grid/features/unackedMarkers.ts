import { parseSheetCellKey } from '../cellKey'
import type { GridFeature } from './GridFeature'

/**
 * Redraws the cells whose "not yet on the server" dot appeared or went (`doc/UnackedCells`).
 * The redraw runs in the next task, coalesced: a 10,000-cell clear or paste marks every cell in
 * the task of the edit, and redrawing them there made that task ~30 ms longer (issue 12's
 * longest-task target); a dot one task late is invisible.
 */
export const unackedMarkers: GridFeature = {
  name: 'unackedMarkers',
  install(api, ctx) {
    let pending: string[] = []
    let scheduled = false
    const flush = () => {
      scheduled = false
      const keys = pending
      pending = []
      if (keys.length > 500) {
        api.refreshCells({ force: true })
        return
      }
      const cells: [string, string][] = []
      for (const k of keys) {
        const cell = parseSheetCellKey(k)
        if (cell && cell.sheetId === ctx.sheet.id) cells.push([cell.rowId, cell.colId])
      }
      ctx.refreshCells(cells)
    }
    ctx.host.add(
      ctx.cells.unacked.onChange((keys) => {
        for (const k of keys) pending.push(k)
        if (scheduled) return
        scheduled = true
        ctx.host.timeout(flush, 0)
      }),
    )
    return undefined
  },
}
