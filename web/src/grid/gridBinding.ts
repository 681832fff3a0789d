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

/**
 * Rows handed to the grid per task when many arrive at once (an import publishing 100,000 rows, a
 * restored column re-reading every row), to start with: later chunks are sized to take about
 * CHUNK_MS each (AG Grid re-runs its row model over every row per transaction, so a chunk costs
 * more as the grid grows: ~60 ms for 10,000 rows at 100,000, more on a busy machine).
 */
export const BINDING_CHUNK_ROWS = 5000
const CHUNK_MS = 50
const CHUNK_MIN_ROWS = 1000
const CHUNK_MAX_ROWS = 20_000

/** Pending adds above this many are placed by one scan of the sheet's order, not a search each. */
const SCAN_MIN_ROWS = 1000

export interface BindingStats {
  transactions: number
  fullResets: number
  /** Tasks that handed the grid a chunk of queued rows (after the change's own task). */
  chunks: number
}

export interface BindingOptions {
  /** Rows per chunk (default: BINDING_CHUNK_ROWS at first, then sized to take about CHUNK_MS). */
  chunkRows?: number
  /** Runs the next chunk in a later task (default: a macrotask, so the page paints in between). */
  later?: (fn: () => void) => unknown
}

/**
 * Keeps a grid's rows equal to a sheet's, incrementally: each Yjs transaction becomes row
 * add/remove/update transactions for only the rows it touched. Local changes flush at once (the
 * user sees their edit in the same frame); remote ones are coalesced per animation frame, so a
 * burst of 1,000 remote edits costs one grid transaction, not 1,000.
 *
 * Many rows at once never make one long task: rows to add (an import's publish) and rows to
 * re-read are queued and handed to the grid in chunks (BINDING_CHUNK_ROWS, then sized to take
 * about CHUNK_MS), one chunk per task, lowest positions first; a queued row is read when its chunk
 * runs, so edits made meanwhile are included. A column change re-defines the columns (in the next
 * task when many rows come with it) and, when a column the rows were not read with became live (a
 * new or restored column, whose cells the row objects don't carry), re-reads the rows already in
 * the grid, in chunks too. Only moves still hand the grid the whole ordered sheet.
 * Returns the cleanup and `flush`, which brings the grid fully up to date at once (a caller about
 * to focus a row it just inserted).
 */
export function makeGridBinding(
  workbook: Workbook,
  sheet: Sheet,
  sink: RowSink,
  schedule: (fn: () => void) => void = (fn) => requestAnimationFrame(fn),
  stats: BindingStats = { transactions: 0, fullResets: 0, chunks: 0 },
  opts: BindingOptions = {},
): { dispose: () => void; flush: () => void } {
  const fixedChunk = opts.chunkRows !== undefined
  let chunkRows = Math.max(1, opts.chunkRows ?? BINDING_CHUNK_ROWS)
  /** Up to this many rows go to the grid in the change's own task. */
  const nowRows = chunkRows
  const later = opts.later ?? ((fn: () => void) => setTimeout(fn, 0))
  let pending = emptyPending()
  let scheduled = false
  let disposed = false
  /** Rows in the sheet that the grid doesn't have yet. */
  const toAdd = new Set<string>()
  /** Rows in the grid to read again (their objects lack a column that became live). */
  const toRefresh = new Set<string>()
  let chunkQueued = false
  /** A column change waits for the next task (it came with many rows). */
  let columnsQueued = false
  /** The live columns the grid's row objects were read with. */
  let live = new Set(sheet.columns().map((c) => c.id))

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

  const fullReset = () => {
    stats.fullResets++
    if (columnsQueued) applyColumns(new Set())
    toAdd.clear()
    toRefresh.clear()
    sink.setRowData(sheet.readRows())
  }

  /** Adds up to `max` queued rows, lowest positions first; false when it fell back to a reset. */
  const addQueued = (max: number): boolean => {
    const indexed: [number, string][] = []
    if (toAdd.size <= SCAN_MIN_ROWS) {
      for (const id of toAdd) {
        const i = sheet.rowIndex(id)
        if (i < 0)
          toAdd.delete(id) // gone before it was shown
        else indexed.push([i, id])
      }
      indexed.sort((a, b) => a[0] - b[0])
      if (indexed.length > max) indexed.length = max
    } else {
      // One pass over the order finds the lowest-placed queued rows first.
      const ids = sheet.rowIds()
      for (let i = 0; i < ids.length && indexed.length < max; i++)
        if (toAdd.has(ids[i]!)) indexed.push([i, ids[i]!])
      // Queued rows the whole order doesn't list are no longer visible.
      if (indexed.length < max && indexed.length < toAdd.size) {
        const seen = new Set(indexed.map(([, id]) => id))
        for (const id of toAdd) if (!seen.has(id)) toAdd.delete(id)
      }
    }
    // Group into runs of consecutive positions; each run is one indexed add. The rows before a
    // run are all in the grid (lower queued rows are in earlier runs), so position = grid index.
    const runs: { index: number; rows: RowData[] }[] = []
    for (const [i, id] of indexed) {
      toAdd.delete(id)
      const row = sheet.getRow(id)
      if (!row) continue
      const last = runs[runs.length - 1]
      if (last && last.index + last.rows.length === i) last.rows.push(row)
      else runs.push({ index: i, rows: [row] })
    }
    if (runs.length > MAX_INDEXED_ADD_RUNS) {
      fullReset()
      return false
    }
    for (const run of runs) {
      stats.transactions++
      sink.applyTransaction({ add: run.rows, addIndex: run.index })
    }
    return true
  }

  /** Re-reads up to `max` rows of the refresh queue. */
  const refreshQueued = (max: number) => {
    const update: RowData[] = []
    let n = 0
    for (const id of toRefresh) {
      if (n++ >= max) break
      toRefresh.delete(id)
      const row = sheet.getRow(id)
      if (row) update.push(row)
    }
    if (update.length) {
      stats.transactions++
      sink.applyTransaction({ update })
    }
  }

  /** Hands the grid up to `max` queued rows: adds first (new rows are what the user waits for). */
  const drainSome = (max: number) => {
    const adds = Math.min(max, toAdd.size)
    if (adds > 0 && !addQueued(adds)) return
    if (max - adds > 0 && toRefresh.size) refreshQueued(max - adds)
  }

  const chunkStep = () => {
    chunkQueued = false
    if (disposed) return
    // Positions are the sheet's: first give the grid the remote changes still waiting for their
    // frame (a row removed meanwhile would shift them).
    if (scheduled) applyPending()
    if (columnsQueued) {
      // Its own task: the column definitions, then the rows.
      stats.chunks++
      applyColumns(new Set())
    } else {
      if (toAdd.size === 0 && toRefresh.size === 0) return
      stats.chunks++
      const t0 = performance.now()
      const n = chunkRows
      drainSome(n)
      if (!fixedChunk) {
        const dt = Math.max(1, performance.now() - t0)
        chunkRows = Math.round(
          Math.max(CHUNK_MIN_ROWS, Math.min(CHUNK_MAX_ROWS, (n * CHUNK_MS) / dt)),
        )
      }
    }
    queueChunks()
  }

  const queueChunks = () => {
    if (chunkQueued || (toAdd.size === 0 && toRefresh.size === 0 && !columnsQueued)) return
    chunkQueued = true
    later(chunkStep)
  }

  /** New column definitions; `coming` are rows about to be queued (read later anyway). */
  const applyColumns = (coming: ReadonlySet<string>) => {
    columnsQueued = false
    sink.onColumnsChanged()
    const cols = sheet.columns()
    // Row objects carry only the cells of the columns live when they were read: a column that
    // became live since (new, restored, or created by a remote update that arrived after cells
    // written in it) needs the rows already in the grid read again.
    const reread = cols.some((c) => !live.has(c.id))
    live = new Set(cols.map((c) => c.id))
    if (reread)
      for (const id of sheet.rowIds()) if (!toAdd.has(id) && !coming.has(id)) toRefresh.add(id)
  }

  /** Gives the grid the merged changes; rows to add are queued. */
  const applyPending = () => {
    scheduled = false
    if (disposed) return
    const p = pending
    pending = emptyPending()
    // With many rows to come, the new column definitions wait for the next task too (rebuilding
    // them costs AG Grid tens of ms); they still go in before any of the queued rows.
    if (p.columns) columnsQueued = true
    if (columnsQueued && (p.reorder || p.added.size + toAdd.size <= nowRows)) applyColumns(p.added)
    if (p.reorder) {
      // A move changes positions of rows we don't track individually: hand AG Grid the ordered
      // rows; with getRowId it diffs them and keeps every row node (no rebuild).
      fullReset()
      return
    }
    const update: RowData[] = []
    for (const id of p.updated) {
      if (p.removed.has(id) || toAdd.has(id)) continue
      toRefresh.delete(id)
      const row = sheet.getRow(id)
      if (row) update.push(row)
    }
    const remove: { id: string }[] = []
    for (const id of p.removed) {
      toRefresh.delete(id)
      // A queued row the grid never had: forget it.
      if (!toAdd.delete(id)) remove.push({ id })
    }
    if (update.length || remove.length) {
      stats.transactions++
      sink.applyTransaction({ update, remove })
    }
    for (const id of p.added) toAdd.add(id)
  }

  const flushChanges = () => {
    applyPending()
    // A few rows go in now (an edit shows in the frame it was made); many go in chunks, later.
    if (!disposed && toAdd.size + toRefresh.size <= nowRows) drainSome(nowRows)
    queueChunks()
  }

  const off = workbook.onChange((change: WorkbookChange) => {
    const c = change.sheets.get(sheet.id)
    if (!c) return
    merge(c)
    if (change.local) flushChanges()
    else if (!scheduled) {
      scheduled = true
      schedule(flushChanges)
    }
  })

  return {
    flush: () => {
      flushChanges()
      if (!disposed && columnsQueued) applyColumns(new Set())
      while (!disposed && (toAdd.size || toRefresh.size)) drainSome(Number.POSITIVE_INFINITY)
    },
    dispose: () => {
      disposed = true
      off()
    },
  }
}
