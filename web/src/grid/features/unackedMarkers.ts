import { parseSheetCellKey } from '../cellKey'
import type { GridFeature } from './GridFeature'

/** Redraws the cells whose "not yet on the server" dot appeared or went (`doc/UnackedCells`). */
export const unackedMarkers: GridFeature = {
  name: 'unackedMarkers',
  install(api, ctx) {
    ctx.host.add(
      ctx.cells.unacked.onChange((keys) => {
        const cells: [string, string][] = []
        for (const k of keys) {
          const cell = parseSheetCellKey(k)
          if (cell && cell.sheetId === ctx.sheet.id) cells.push([cell.rowId, cell.colId])
        }
        if (cells.length > 500) api.refreshCells({ force: true })
        else ctx.refreshCells(cells)
      }),
    )
    return undefined
  },
}
