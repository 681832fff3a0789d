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

const watches = new WeakMap<Workbook, Entry>()

/** True for a transaction made by a Y.UndoManager (its origin), whose undo can lose a value. */
function isUndo(origin: unknown): boolean {
  return typeof origin === 'object' && origin !== null && 'undoStack' in origin
}

function createWatch(wb: Workbook): Entry {
  const [unsettled, setUnsettled] = createSignal<WorkbookConflict[]>([], { equals: false })
  const listeners = new Set<(list: WorkbookConflict[]) => void>()
  const recompute = () => {
    const list = wb.history.unsettled()
    setUnsettled(list)
    for (const fn of [...listeners]) fn(list)
  }
  const offChange = wb.onChange((c) => {
    if (c.local && !isUndo(c.origin)) return
    if (c.sheets.size === 0 && !c.sheetsChanged) return
    recompute()
  })
  const settlements = wb.doc.getArray(ROOT_SETTLEMENTS)
  settlements.observe(recompute)
  recompute()
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
