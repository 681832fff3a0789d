/**
 * The grid of a workbook being opened, created while its records are read from IndexedDB.
 *
 * Creating an AG Grid (its DOM, theme styles, first layout: ~100 ms for our options) needs no
 * data, and while the read is in flight the main thread has nothing to do. So the loading view
 * creates an empty, hidden grid once the read's requests are issued (not before: the read's
 * callbacks must not queue behind it), and the first sheet's `SheetGrid` adopts it
 * (`makeSheetGrid({ early })`): it gets its columns and rows only once the doc is applied, like
 * any grid. One at a time; an untaken grid is destroyed.
 */
import { whenReadIssued } from '../doc/prefetch'
import { createEarlyGrid, type EarlyGrid } from '../grid/makeSheetGrid'

let slot: { workbookId: string; grid: EarlyGrid } | null = null

/** Creates the workbook's early grid in `parent` once its read (prefetchDoc) is issued. */
export function prepareEarlyGrid(workbookId: string, parent: HTMLElement): void {
  const issued = whenReadIssued(workbookId)
  if (!issued) return
  void issued.then(() => {
    // The read may have finished and the view moved on (or away) meanwhile.
    if (slot || !parent.isConnected) return
    slot = { workbookId, grid: createEarlyGrid(parent) }
  })
}

/** The workbook's early grid, if one was created and not yet taken. */
export function takeEarlyGrid(workbookId: string): EarlyGrid | null {
  if (slot?.workbookId !== workbookId) return null
  const grid = slot.grid
  slot = null
  return grid
}

/** Destroys the workbook's early grid if nobody took it (an empty workbook, a failed open). */
export function dropEarlyGrid(workbookId: string): void {
  const grid = takeEarlyGrid(workbookId)
  if (!grid) return
  grid.api.destroy()
  grid.el.remove()
}
