import { ROW_NUMBER_COL } from '../columnDefs'
import type { GridFeature } from './GridFeature'

/** Row numbers depend on position: redrawn after inserts, deletes, sorts and filters. */
export const rowNumbers: GridFeature = {
  name: 'rowNumbers',
  install(api, ctx) {
    const refresh = () => api.refreshCells({ columns: [ROW_NUMBER_COL], force: true })
    ctx.host.onGrid(api, 'rowDataUpdated', refresh)
    ctx.host.onGrid(api, 'sortChanged', refresh)
    ctx.host.onGrid(api, 'filterChanged', refresh)
    ctx.host.add(
      ctx.workbook.onChange((c) => {
        const sc = c.sheets.get(ctx.sheet.id)
        if (sc && (sc.added.size || sc.removed.size)) queueMicrotask(refresh)
      }),
    )
    return undefined
  },
}
