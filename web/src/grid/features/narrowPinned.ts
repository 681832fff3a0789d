import type { Column as AgColumn } from 'ag-grid-community'
import { ROW_NUMBER_COL } from '../columnDefs'
import type { GridFeature } from './GridFeature'

/** The most of the grid's width the pinned (frozen) columns may take, as a share. */
export const MAX_PINNED_SHARE = 0.4
/** A pinned data column is never squeezed below this (CSS pixels). */
export const MIN_PINNED_WIDTH_PX = 56

/**
 * The widths pinned data columns get so that all pinned columns fit in `share` of `gridWidth`:
 * their own widths when they fit, else scaled down alike (not below `minWidth`). `fixed` is the
 * width of pinned columns that keep theirs (the row numbers). Pure, for the feature and tests.
 */
export function cappedWidths(
  natural: readonly number[],
  fixed: number,
  gridWidth: number,
  share = MAX_PINNED_SHARE,
  minWidth = MIN_PINNED_WIDTH_PX,
): number[] {
  const room = gridWidth * share - fixed
  const total = natural.reduce((a, b) => a + b, 0)
  if (total <= room || total === 0) return [...natural]
  const scale = Math.max(room, 0) / total
  return natural.map((w) => Math.max(minWidth, Math.floor(w * scale)))
}

/**
 * On a narrow screen (a phone at 390 px) the pinned name column would take two thirds of the
 * width: this caps all pinned columns at MAX_PINNED_SHARE of the grid's width, and gives them
 * their own widths back when the grid is wide again. Widths are the view's only (not written to
 * the doc).
 */
export const narrowPinned: GridFeature = {
  name: 'narrowPinned',
  install(api, ctx) {
    /** Pinned data column → its width before it was capped. */
    const natural = new Map<string, number>()
    let applying = false
    const fit = () => {
      if (api.isDestroyed() || applying) return
      const gridWidth = ctx.container.clientWidth
      if (gridWidth <= 0) return
      const pinned = api.getDisplayedLeftColumns()
      const data = pinned.filter((c: AgColumn) => c.getColId() !== ROW_NUMBER_COL)
      if (data.length === 0) return
      const fixed = pinned
        .filter((c: AgColumn) => c.getColId() === ROW_NUMBER_COL)
        .reduce((a: number, c: AgColumn) => a + c.getActualWidth(), 0)
      const own = data.map((c: AgColumn) => natural.get(c.getColId()) ?? c.getActualWidth())
      const next = cappedWidths(own, fixed, gridWidth)
      const changes = data
        .map((c: AgColumn, i: number) => ({ key: c.getColId(), newWidth: next[i]!, own: own[i]! }))
        .filter((x) => x.newWidth !== api.getColumn(x.key)?.getActualWidth())
      for (const x of changes) {
        if (x.newWidth < x.own) natural.set(x.key, x.own)
        else natural.delete(x.key)
      }
      if (changes.length === 0) return
      applying = true
      try {
        api.setColumnWidths(changes.map(({ key, newWidth }) => ({ key, newWidth })))
      } finally {
        applying = false
      }
    }
    ctx.host.onGrid(api, 'firstDataRendered', fit)
    ctx.host.onGrid(api, 'displayedColumnsChanged', fit)
    if (typeof ResizeObserver !== 'undefined') {
      const ro = new ResizeObserver(() => fit())
      ro.observe(ctx.container)
      ctx.host.add(() => ro.disconnect())
    }
    fit()
    return undefined
  },
}
