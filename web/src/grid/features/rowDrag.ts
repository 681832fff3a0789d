import { ROW_NUMBER_COL } from '../columnDefs'
import type { GridFeature } from './GridFeature'

/** Pixels at the left of a row number that are the drag handle (drawn by `.tz-rownum::before`). */
const HANDLE_PX = 18

/**
 * Row moves by mouse: press the handle at the left of a row number and drop on another row; the
 * selected rows move if the grabbed one is among them, else the grabbed row alone. One model
 * move (one undo step); `moveRowsToIndex` is the row-edits feature's.
 */
export function makeRowDrag(
  moveRowsToIndex: (rowIds: readonly string[], toIndex: number) => void,
  selectedRowIds: () => string[],
): GridFeature {
  return {
    name: 'rowDrag',
    install(api, ctx) {
      let drag: { ids: string[]; from: number; over: number | null } | null = null
      const rowOf = (target: EventTarget | null): number | null => {
        const row = (target as HTMLElement | null)?.closest?.('.ag-row')
        const idx = row?.getAttribute('row-index')
        return row && idx != null && ctx.container.contains(row) ? Number(idx) : null
      }
      const mark = (index: number | null) => {
        for (const el of ctx.container.querySelectorAll('.tz-drop-before, .tz-drop-after'))
          el.classList.remove('tz-drop-before', 'tz-drop-after')
        if (index === null || !drag) return
        const cls = index > drag.from ? 'tz-drop-after' : 'tz-drop-before'
        for (const el of ctx.container.querySelectorAll(`.ag-row[row-index="${index}"]`))
          el.classList.add(cls)
      }
      ctx.host.listen(
        ctx.container,
        'mousedown',
        (e) => {
          if (e.button !== 0 || ctx.readOnly() || api.getEditingCells().length) return
          const cell = (e.target as HTMLElement).closest('.ag-cell')
          if (cell?.getAttribute('col-id') !== ROW_NUMBER_COL) return
          if (e.clientX - cell.getBoundingClientRect().left > HANDLE_PX) return
          const from = rowOf(cell)
          const id = from === null ? undefined : api.getDisplayedRowAtIndex(from)?.data?.id
          if (from === null || !id) return
          if (api.getColumnState().some((c) => c.sort)) return
          // The handle is ours: no focus change, no range drag.
          e.preventDefault()
          e.stopImmediatePropagation()
          const selected = selectedRowIds()
          drag = { ids: selected.includes(id) ? selected : [id], from, over: null }
          ctx.container.classList.add('tz-row-dragging')
        },
        true,
      )
      ctx.host.listen(ctx.container, 'mouseover', (e) => {
        if (!drag) return
        const over = rowOf(e.target)
        if (over === null || over === drag.over) return
        drag.over = over
        mark(over)
      })
      ctx.host.listen(document, 'mouseup', () => {
        const d = drag
        drag = null
        ctx.container.classList.remove('tz-row-dragging')
        mark(null)
        if (!d || d.over === null || d.over === d.from) return
        // Dropped below where it was: the rows land after the row dropped on.
        moveRowsToIndex(d.ids, d.over > d.from ? d.over + 1 : d.over)
      })
      return undefined
    },
  }
}
