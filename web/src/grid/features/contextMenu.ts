import type { GridApi } from 'ag-grid-community'
import type { RowData } from '../rowData'
import type { FeatureContext, GridFeature } from './GridFeature'

export interface ContextMenuFeature extends GridFeature {
  /** Opens the menu under the focused cell (the context-menu key, Shift+F10). */
  openAtFocus(): void
}

/** Our own menu replaces the browser's inside the grid body; the owner draws it. */
export function makeContextMenu(): ContextMenuFeature {
  let target: { api: GridApi<RowData>; ctx: FeatureContext } | null = null
  return {
    name: 'contextMenu',
    openAtFocus() {
      if (!target) return
      const { api, ctx } = target
      const cell = api.getFocusedCell()
      const el = cell
        ? ctx.container.querySelector<HTMLElement>(
            `.ag-row[row-index="${cell.rowIndex}"] [col-id="${cell.column.getColId()}"]`,
          )
        : null
      const r = el?.getBoundingClientRect()
      ctx.events.onContextMenu?.({ x: r ? r.left + 8 : 100, y: r ? r.bottom : 100 })
    },
    install(api, ctx) {
      target = { api, ctx }
      ctx.host.add(() => {
        target = null
      })
      ctx.host.listen(ctx.container, 'contextmenu', (e) => {
        if ((e.target as HTMLElement).closest('.ag-cell')) e.preventDefault()
      })
      ctx.host.onGridSync('cellContextMenu', (e) => {
        const ev = e.event as MouseEvent | null
        if (!ev) return
        ev.preventDefault()
        // Right-click outside the selection moves it, as spreadsheets do.
        const idx = e.rowIndex ?? -1
        const sel = ctx.cells.sel
        if (!sel || idx < sel.r0 || idx > sel.r1) {
          if (e.rowIndex !== null) api.setFocusedCell(e.rowIndex, e.column.getColId())
        }
        ctx.events.onContextMenu?.({ x: ev.clientX, y: ev.clientY })
      })
      return undefined
    },
  }
}
