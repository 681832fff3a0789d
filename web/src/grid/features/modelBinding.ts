import type { GridApi } from 'ag-grid-community'
import { makeGridBinding } from '../gridBinding'
import type { RowData } from '../rowData'
import type { FeatureContext, GridFeature } from './GridFeature'

/** Rows AG Grid renders beyond the viewport (none for a big sheet's first frame). */
export const ROW_BUFFER = 10
/** Sheets above this many rows paint a first slice, then load the rest in chunks. */
const PROGRESSIVE_MIN_ROWS = 5000
const FIRST_PAINT_ROWS = 100
/** Rows per load task: ~60 ms at 100,000 rows (the row model re-runs over every row). */
const LOAD_CHUNK_ROWS = 10_000

interface LoadState {
  ids: string[]
  next: number
  timer: ReturnType<typeof setTimeout> | null
}

export interface ModelBindingFeature extends GridFeature {
  /** Applies pending model changes to the grid now. */
  flush(): void
}

/**
 * Model → grid: the sheet's rows as the grid's row data (a big sheet's first screen first, the
 * rest in chunks after the first paint), then every model change as row transactions
 * (`gridBinding.ts`), applied without disturbing an open editor.
 */
export function makeModelBinding(): ModelBindingFeature {
  let loading: LoadState | null = null
  let flush = () => {}
  return {
    name: 'modelBinding',
    flush: () => flush(),
    options(ctx) {
      const { sheet } = ctx
      const ids = sheet.rowIds()
      if (ids.length <= PROGRESSIVE_MIN_ROWS) return { rowData: sheet.readRows() }
      // A big sheet paints its first screen from a slice, then the rest arrives in chunks after
      // that paint, each its own task: no single task builds 100,000 row nodes.
      loading = { ids, next: FIRST_PAINT_ROWS, timer: null }
      const rows: RowData[] = []
      for (const id of ids.slice(0, FIRST_PAINT_ROWS)) {
        const row = sheet.getRow(id)
        if (row) rows.push(row)
      }
      // The first frame renders only the rows in view; the buffer comes after it.
      return { rowData: rows, rowBuffer: 0 }
    },
    install(api, ctx) {
      const { sheet } = ctx
      const stopLoading = () => {
        if (loading?.timer != null) clearTimeout(loading.timer)
        loading = null
      }
      const loadStep = () => {
        const l = loading
        if (!l) return
        l.timer = null
        const add: RowData[] = []
        for (const id of l.ids.slice(l.next, l.next + LOAD_CHUNK_ROWS)) {
          // Read now, not at open: edits made meanwhile are included.
          const row = sheet.getRow(id)
          if (row) add.push(row)
        }
        l.next += LOAD_CHUNK_ROWS
        if (add.length) api.applyTransaction({ add })
        if (l.next < l.ids.length) l.timer = setTimeout(loadStep, 0)
        else loading = null
      }
      /** A structural change arrived before every row was loaded: hand AG Grid the whole sheet. */
      const finishLoading = () => {
        if (!loading) return
        stopLoading()
        api.setGridOption('rowData', sheet.readRows())
      }
      if (loading) {
        const l: LoadState = loading
        // After the first frame is painted.
        requestAnimationFrame(() => {
          if (loading === l) l.timer = setTimeout(loadStep, 0)
          ctx.host.timeout(() => {
            if (!api.isDestroyed()) api.setGridOption('rowBuffer', ROW_BUFFER)
          }, 0)
        })
      }
      ctx.host.add(stopLoading)

      let sorted = false
      ctx.host.onGrid(api, 'sortChanged', () => {
        sorted = api.getColumnState().some((c) => !!c.sort)
      })
      const keepEditor = makeKeepEditor(api, ctx)
      const binding = makeGridBinding(ctx.workbook, sheet, {
        applyTransaction: (tx) =>
          keepEditor(() => {
            if (loading && (tx.add?.length || tx.remove?.length)) {
              finishLoading()
              return
            }
            // A row transaction re-runs AG Grid's row model (sort, filter, flatten) over every
            // row: ~50 ms per edit at 100,000 rows. Value-only updates with no sort or filter
            // active don't move rows, so they go to their row nodes directly (O(rows changed)).
            let update = tx.update
            if (update?.length && !api.isAnyFilterPresent() && !sorted) {
              update = update.filter((row) => {
                const node = api.getRowNode(row.id)
                if (!node) return true
                node.updateData(row)
                return false
              })
            }
            const remove = tx.remove?.map((r) => ({ id: r.id, cells: {} }))
            if (update?.length || remove?.length || tx.add?.length)
              api.applyTransaction({ ...tx, update, remove })
          }),
        setRowData: (rows) =>
          keepEditor(() => {
            stopLoading()
            api.setGridOption('rowData', rows)
          }),
        onColumnsChanged: () => ctx.reloadColumns(),
      })
      flush = () => binding.flush()
      ctx.host.add(() => {
        flush = () => {}
        binding.dispose()
      })
      return undefined
    },
  }
}

/**
 * Applies a model change to the grid without disturbing an open editor. AG Grid restores focus
 * by *position* after a row-model refresh: a row inserted or removed above the editing row would
 * move browser focus to whatever cell now sits at the old index, taking it from the editor. So:
 * no positional focus restore while editing, the focused cell follows the editing row, and the
 * editor's focus and caret are put back exactly as they were.
 */
function makeKeepEditor(api: GridApi<RowData>, ctx: FeatureContext) {
  return (fn: () => void) => {
    const editing = api.getEditingCells()[0]
    if (!editing) {
      fn()
      return
    }
    const rowId = api.getDisplayedRowAtIndex(editing.rowIndex)?.id
    const colId = editing.column?.getColId()
    const ae = document.activeElement
    const input =
      (ae instanceof HTMLInputElement || ae instanceof HTMLTextAreaElement) &&
      ctx.container.contains(ae)
        ? ae
        : null
    let caret: [number, number, 'forward' | 'backward' | 'none'] | null = null
    try {
      if (input && input.selectionStart !== null && input.selectionEnd !== null)
        caret = [input.selectionStart, input.selectionEnd, input.selectionDirection ?? 'none']
    } catch {
      // Inputs without a text selection (type=date) have no caret to keep.
    }
    api.setGridOption('suppressFocusAfterRefresh', true)
    try {
      fn()
    } finally {
      api.setGridOption('suppressFocusAfterRefresh', false)
    }
    const node = rowId ? api.getRowNode(rowId) : undefined
    if (
      colId &&
      node?.rowIndex != null &&
      node.rowIndex !== editing.rowIndex &&
      api.getEditingCells().length
    )
      api.setFocusedCell(node.rowIndex, colId)
    if (input?.isConnected) {
      if (document.activeElement !== input) input.focus({ preventScroll: true })
      if (caret) {
        try {
          input.setSelectionRange(caret[0], caret[1], caret[2])
        } catch {
          // See above.
        }
      }
    }
  }
}
