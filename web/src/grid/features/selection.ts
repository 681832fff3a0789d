import type { GridFeature } from './GridFeature'

/**
 * The range follows the focused cell: a focus change with Shift held (Shift+click, Shift+arrows)
 * moves the range's focus corner, any other starts a new range there. Reports focus and
 * selection to the owner.
 */
export const selection: GridFeature = {
  name: 'selection',
  install(api, ctx) {
    const { range, events } = ctx
    const track = (e: KeyboardEvent | MouseEvent) => {
      range.shiftHeld = e.shiftKey
    }
    ctx.host.listen(ctx.container, 'keydown', track)
    ctx.host.listen(ctx.container, 'keyup', track)
    ctx.host.listen(
      ctx.container,
      'mousedown',
      (e) => {
        // A right-click never extends: it moves the selection only when outside it.
        range.shiftHeld = e.shiftKey && e.button !== 2
      },
      true,
    )
    ctx.host.onGridSync('cellFocused', (e) => {
      if (
        e.rowIndex === null ||
        e.rowIndex === undefined ||
        !e.column ||
        typeof e.column === 'string'
      ) {
        events.onFocusChange?.(null)
        return
      }
      const colId = e.column.getColId()
      const cell = { rowIndex: e.rowIndex, colId }
      const keep = range.keepFocusAt
      range.keepFocusAt = null
      if (keep && keep.rowIndex === cell.rowIndex && keep.colId === cell.colId) {
        // The range was set for this focus already (a header or Shift+click).
      } else if (range.shiftHeld && range.anchor()) range.set(range.anchor(), cell)
      else range.set(cell, cell)
      api.refreshCells({ force: false })
      const node = api.getDisplayedRowAtIndex(e.rowIndex)
      if (node?.data) events.onFocusChange?.({ rowId: node.data.id, colId, rowIndex: e.rowIndex })
      events.onSelectionChange?.(range.info())
    })
    ctx.host.onGridSync('modelUpdated', () => events.onSelectionChange?.(range.info()))
    return undefined
  },
}
