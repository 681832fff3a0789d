import { ROOT_SETTLEMENTS, type Workbook, type WorkbookConflict } from '@taizhang/shared'
import { type Accessor, createSignal } from 'solid-js'

/**
 * The workbook's unsettled conflicts, recomputed synchronously in the task that changed them (a
 * remote batch, a local undo, a settlement), so the grid's markers and the inbox count move
 * together. Local edits are skipped: a write of one's own never makes a conflict (an undo can,
 * and is not skipped). One watch per workbook, shared by the grid feature and the panels.
 */
export interface ConflictWatch {
  /** Unsettled conflicts (a Solid signal: reading it in an effect tracks it). */
  unsettled: Accessor<WorkbookConflict[]>
  /** Called after every recompute, in the same task. */
  onChange(fn: (list: WorkbookConflict[]) => void): () => void
}

interface Entry {
  watch: ConflictWatch
  refs: number
  stop: () => void
}

const DEBUG = import.meta.env.VITE_TZ_DEBUG === '1'

const watches = new WeakMap<Workbook, Entry>()

/** True for a transaction made by a Y.UndoManager (its origin), whose undo can lose a value. */
function isUndo(origin: unknown): boolean {
  return typeof origin === 'object' && origin !== null && 'undoStack' in origin
}

/** A slice of the conflict index's first build ends once it has run this long (ms). */
const BUILD_SLICE_MS = 16
/** Log entries read between two looks at the clock (~1 ms each on a quiet machine). */
const BUILD_CHUNK_ENTRIES = 1000

function createWatch(wb: Workbook): Entry {
  const [unsettled, setUnsettled] = createSignal<WorkbookConflict[]>([], { equals: false })
  const listeners = new Set<(list: WorkbookConflict[]) => void>()
  // Until every sheet's conflict index is built, changes are not recomputed one by one: the
  // recompute when the build ends reads them all (the index adds new log records meanwhile).
  let ready = false
  let stopped = false
  const recompute = () => {
    if (!ready) return
    const t0 = performance.now()
    const list = wb.history.unsettled()
    setUnsettled(list)
    for (const fn of [...listeners]) fn(list)
    // Benchmark builds only (bench/web/conflicts.bench.ts finds the batch's task by it).
    if (DEBUG) performance.measure('tz:conflicts-recompute', { start: t0 })
  }
  const offChange = wb.onChange((c) => {
    if (c.local && !isUndo(c.origin)) return
    if (c.sheets.size === 0 && !c.sheetsChanged) return
    recompute()
  })
  const settlements = wb.doc.getArray(ROOT_SETTLEMENTS)
  settlements.observe(recompute)
  // The first read builds each sheet's conflict index over its whole log (~0.8 s for 100,000
  // entries, measured): in slices of about BUILD_SLICE_MS, one task each, so the open keeps no
  // task that long. A small log is built in the first slice, synchronously, as before.
  const t0 = performance.now()
  const slice = (): boolean => {
    const s0 = performance.now()
    for (const info of wb.listSheets()) {
      const history = wb.sheet(info.id).history
      while (!history.buildConflictIndex(BUILD_CHUNK_ENTRIES)) {
        if (performance.now() - s0 < BUILD_SLICE_MS) continue
        if (DEBUG) performance.measure('tz:conflicts-slice', { start: s0 })
        return false
      }
    }
    if (DEBUG) performance.measure('tz:conflicts-slice', { start: s0 })
    return true
  }
  const finish = () => {
    ready = true
    recompute()
    performance.measure('tz:conflicts-index', { start: t0 })
    performance.mark('tz:conflicts-ready')
  }
  const next = () => {
    if (stopped) return
    if (slice()) finish()
    else setTimeout(next, 0)
  }
  if (slice()) finish()
  else setTimeout(next, 0)
  return {
    refs: 0,
    watch: {
      unsettled,
      onChange(fn) {
        listeners.add(fn)
        return () => listeners.delete(fn)
      },
    },
    stop: () => {
      stopped = true
      offChange()
      settlements.unobserve(recompute)
      listeners.clear()
    },
  }
}

/** The workbook's shared watch and a release (the watch stops when its last user releases it). */
export function makeConflictWatch(wb: Workbook): { watch: ConflictWatch; release: () => void } {
  let e = watches.get(wb)
  if (!e) {
    e = createWatch(wb)
    watches.set(wb, e)
  }
  e.refs++
  const entry = e
  let released = false
  return {
    watch: entry.watch,
    release: () => {
      if (released) return
      released = true
      if (--entry.refs === 0) {
        entry.stop()
        watches.delete(wb)
      }
    },
  }
}

/** The workbook's watch if someone holds it (the command table reads the count through this). */
export function peekConflictWatch(wb: Workbook): ConflictWatch | undefined {
  return watches.get(wb)?.watch
}
