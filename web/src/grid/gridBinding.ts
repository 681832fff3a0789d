import type { Sheet, SheetChange, Workbook, WorkbookChange } from '@taizhang/shared'
import type { RowData } from './rowData'

/** The slice of AG Grid's API the binding uses (so tests can drive it without a DOM grid). */
export interface RowSink {
  applyTransaction(tx: {
    add?: RowData[]
    addIndex?: number
    remove?: { id: string }[]
    update?: RowData[]
  }): unknown
  setRowData(rows: RowData[]): void
  onColumnsChanged(): void
}

/** Changes for one sheet, merged across transactions until the next flush. */
interface Pending {
  columns: boolean
  reorder: boolean
  added: Set<string>
  removed: Set<string>
  updated: Set<string>
}

function emptyPending(): Pending {
  return {
    columns: false,
    reorder: false,
    added: new Set(),
    removed: new Set(),
    updated: new Set(),
  }
}

/** Above this many scattered inserts one delta `rowData` is cheaper than many indexed adds. */
const MAX_INDEXED_ADD_RUNS = 20

export interface BindingStats {
  transactions: number
  fullResets: number
}

/**
 * Keeps a grid's rows equal to a sheet's, incrementally: each Yjs transaction becomes row
 * add/remove/update transactions for only the rows it touched. Local changes flush at once (the
 * user sees their edit in the same frame); remote ones are coalesced per animation frame, so a
 * burst of 1,000 remote edits costs one grid transaction, not 1,000.
 * Returns the cleanup.
 */
export function makeGridBinding(
  workbook: Workbook,
  sheet: Sheet,
  sink: RowSink,
  schedule: (fn: () => void) => void = (fn) => requestAnimationFrame(fn),
  stats: BindingStats = { transactions: 0, fullResets: 0 },
): { dispose: () => void; flush: () => void } {
  let pending = emptyPending()
  let scheduled = false
  let disposed = false

  const merge = (c: SheetChange) => {
    if (c.columns) pending.columns = true
    if (c.moved.size) pending.reorder = true
    for (const id of c.added) {
      if (pending.removed.delete(id)) pending.updated.add(id)
      else pending.added.add(id)
    }
    for (const id of c.removed) {
      if (pending.added.delete(id)) continue
      pending.updated.delete(id)
      pending.removed.add(id)
    }
    for (const id of c.cells.keys()) if (!pending.added.has(id)) pending.updated.add(id)
  }

  const flush = () => {
    scheduled = false
    if (disposed) return
    const p = pending
    pending = emptyPending()
    if (p.columns) sink.onColumnsChanged()
    // A column change can bring cells back (a restored column) that no row object carries, and
    // rows only carry live columns' cells: re-read every row. Column changes are rare.
    if (p.reorder || p.columns) {
      // A move changes positions of rows we don't track individually: hand AG Grid the ordered
      // rows; with getRowId it diffs them and keeps every row node (no rebuild).
      stats.fullResets++
      sink.setRowData(sheet.readRows())
      return
    }
    const update: RowData[] = []
    for (const id of p.updated) {
      if (p.removed.has(id)) continue
      const row = sheet.getRow(id)
      if (row) update.push(row)
    }
    const remove = [...p.removed].map((id) => ({ id }))
    if (update.length || remove.length) {
      stats.transactions++
      sink.applyTransaction({ update, remove })
    }
    if (p.added.size) {
      const indexed: [number, RowData][] = []
      for (const id of p.added) {
        const i = sheet.rowIndex(id)
        const row = sheet.getRow(id)
        if (i >= 0 && row) indexed.push([i, row])
      }
      indexed.sort((a, b) => a[0] - b[0])
      // Group into runs of consecutive indexes; each run is one indexed add.
      const runs: { index: number; rows: RowData[] }[] = []
      for (const [i, row] of indexed) {
        const last = runs[runs.length - 1]
        if (last && last.index + last.rows.length === i) last.rows.push(row)
        else runs.push({ index: i, rows: [row] })
      }
      if (runs.length > MAX_INDEXED_ADD_RUNS) {
        stats.fullResets++
        sink.setRowData(sheet.readRows())
        return
      }
      for (const run of runs) {
        stats.transactions++
        sink.applyTransaction({ add: run.rows, addIndex: run.index })
      }
    }
  }

  const off = workbook.onChange((change: WorkbookChange) => {
    const c = change.sheets.get(sheet.id)
    if (!c) return
    merge(c)
    if (change.local) flush()
    else if (!scheduled) {
      scheduled = true
      schedule(flush)
    }
  })

  return {
    flush,
    dispose: () => {
      disposed = true
      off()
    },
  }
}
