import type { GridFeature } from './GridFeature'

/**
 * Keys pressed on the grid (no editor open, not in a popup or input) go to the owner's command
 * table (`events.onKey`); a key a command took is not seen by AG Grid or the browser.
 * Which keys AG Grid must leave alone is decided from the same table (`isCommandKey`).
 */
export const keyboard: GridFeature = {
  name: 'keyboard',
  install(api, ctx) {
    ctx.host.listen(ctx.container, 'keydown', (e) => {
      if (api.getEditingCells().length > 0) return
      const target = e.target as HTMLElement
      if (target.closest('.ag-popup, .ag-filter, input, textarea, select')) return
      if (ctx.events.onKey?.(e)) e.preventDefault()
    })
    return undefined
  },
}
