/**
 * The grid of a workbook being opened, created while its records are read from IndexedDB.
 *
 * Creating an AG Grid (its DOM, theme styles, first layout: ~100 ms for our options) needs no
 * data, and while the read is in flight the main thread has nothing to do. So the loading view
 * creates the grid early, and the first sheet's `SheetGrid` adopts it (`makeSheetGrid({ early })`).
 * Two ways:
 * - with an exact first-screen cache (`doc/firstScreen.ts`), at once, visible and read-only,
 *   showing the cached rows (`showFirstScreen`); the doc is applied only after they are painted;
 * - else empty and hidden, once the read's requests are issued (not before: the read's callbacks
 *   must not queue behind it): `prepareEarlyGrid`. It gets its columns and rows once the doc is
 *   applied, like any grid.
 * And a third: an open workbook with no sheet yet gets one made ahead, empty and hidden, after its
 * first paint (`prepareIdleGrid`), so the sheet that appears later (typically a big CSV import's
 * publish) is shown without creating a grid in that task.
 * One at a time; an untaken grid is destroyed.
 */
import { afterFirstPaint } from '../app/afterPaint'
import type { FirstScreen } from '../doc/firstScreen'
import { firstScreenSettled, whenReadIssued } from '../doc/prefetch'
import { UnackedCells } from '../doc/UnackedCells'
import { createEarlyGrid, type EarlyGrid } from '../grid/makeSheetGrid'

let slot: { workbookId: string; grid: EarlyGrid } | null = null

/**
 * Creates the workbook's early grid, empty and hidden, in `parent` once its read (prefetchDoc) is
 * issued, unless `screen` resolves to a first screen (shown by `showFirstScreen` instead).
 */
export function prepareEarlyGrid(
  workbookId: string,
  parent: HTMLElement,
  screen?: Promise<FirstScreen | null>,
): void {
  const issued = whenReadIssued(workbookId)
  if (!issued) return
  void Promise.all([issued, screen]).then(([, s]) => {
    // The read may have finished and the view moved on (or away) meanwhile.
    if (s || slot || !parent.isConnected) return
    slot = { workbookId, grid: createEarlyGrid(parent) }
  })
}

/**
 * Makes an empty, hidden grid in `parent` after the next paint, for the first sheet to appear in
 * this open workbook that has none yet (`takeEarlyGrid` in SheetGrid adopts it). AG Grid's
 * creation (~100 ms) is then not part of the task that shows the sheet: after a big import into a
 * new workbook that task also holds the import's publish.
 */
export function prepareIdleGrid(workbookId: string, parent: HTMLElement): void {
  afterFirstPaint(() => {
    if (slot || !parent.isConnected) return
    slot = { workbookId, grid: createEarlyGrid(parent) }
  })
}

/**
 * Shows a first-screen cache in `parent` (connected by the time this runs), read-only, and lets
 * the doc be applied once its rows are painted (`firstScreenSettled`).
 */
export function showFirstScreen(
  workbookId: string,
  parent: HTMLElement,
  screen: FirstScreen,
  locale: 'zh-CN' | 'en',
): void {
  if (slot || !parent.isConnected) {
    firstScreenSettled(workbookId)
    return
  }
  let grid: EarlyGrid
  try {
    grid = createEarlyGrid(
      parent,
      screen,
      new UnackedCells(UnackedCells.storageKey(workbookId)),
      locale,
    )
  } catch (e) {
    firstScreenSettled(workbookId)
    throw e
  }
  slot = { workbookId, grid }
  performance.mark('tz:screen')
  // The doc's apply is one long task: it waits until a frame has painted the cached rows with
  // their values. AG Grid renders cell renderers in its own animation frame after the rows, so
  // look each frame (after its callbacks) until every rendered data cell has its renderer, and
  // let one more frame through (anything sampling the page per frame sees them too).
  let frames = 0
  const look = () => {
    const empty = screen.rows.length === 0 || screen.columns.length === 0
    if (empty || cellsRendered(grid.el) || ++frames > 10)
      requestAnimationFrame(() => setTimeout(() => firstScreenSettled(workbookId), 0))
    else requestAnimationFrame(look)
  }
  requestAnimationFrame(look)
}

/** Every rendered data cell of the grid has its renderer's content (`.tz-cell`). */
function cellsRendered(el: HTMLElement): boolean {
  const cells = el.querySelectorAll('.ag-row .ag-cell[col-id]:not([col-id="__rownum"])')
  if (cells.length === 0) return false
  for (const c of cells) if (!c.querySelector('.tz-cell')) return false
  return true
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
