/**
 * The workbook's change feed, doc side: each transaction's deep events on the sheets map become one
 * `WorkbookChange` (which sheets, rows, cells and columns it touched) while the open sheet handles'
 * indexes are kept in step, and a local undo or redo gets its notes in the logs. Part of `Workbook`
 * (workbook.ts), which owns the listeners.
 */
import type * as Y from 'yjs'
import { ROOT_HISTORY, ROOT_META, ROOT_SHEETS, SHEET_COLUMNS } from './keys.js'
import { DEMO, HISTORY_NOTE, MIGRATION, UNDOABLE_ORIGINS } from './origins.js'
import type { Sheet } from './sheet.js'
import { emptySheetChange } from './sheetIndexEvents.js'
import type { LogRecord, SheetChange, WorkbookChange, WorkbookContext } from './types.js'
import { collectUndoNotes } from './undoNotes.js'

/** Origins of writes made through this API, which update the sheet index as they write. */
const API_ORIGINS = new Set<unknown>([...UNDOABLE_ORIGINS, MIGRATION, DEMO])

/** What the feed needs of its workbook. */
export interface ObservedWorkbook {
  readonly doc: Y.Doc
  readonly readOnly: boolean
  readonly ctx: WorkbookContext
  /** Open sheet handles by id; a handle whose sheet map was replaced is dropped from it. */
  readonly handles: Map<string, Sheet>
  /** The handle of a live sheet (opened on demand). */
  sheet(id: string): Sheet
  /** Delivers a change to the workbook's listeners. */
  emit(change: WorkbookChange): void
}

/** Starts observing `wb.doc`; returns what stops it. */
export function observeWorkbook(wb: ObservedWorkbook): () => void {
  const sheetsMap: Y.Map<Y.Map<unknown>> = wb.doc.getMap(ROOT_SHEETS)
  const metaMap: Y.Map<unknown> = wb.doc.getMap(ROOT_META)
  const historyMap: Y.Map<Y.Array<LogRecord>> = wb.doc.getMap(ROOT_HISTORY)
  const onSheets = (events: Y.YEvent<Y.AbstractType<unknown>>[], txn: Y.Transaction) => {
    const change: WorkbookChange = {
      origin: txn.origin,
      local: txn.local,
      metaChanged: false,
      sheetsChanged: false,
      sheets: new Map(),
    }
    const sheetChange = (id: string): SheetChange => {
      let c = change.sheets.get(id)
      if (!c) {
        c = emptySheetChange()
        change.sheets.set(id, c)
      }
      return c
    }
    for (const event of events) {
      const path = event.path
      if (path.length === 0) {
        // Sheets added or removed as a whole (hard removal only happens via purge tools).
        change.sheetsChanged = true
        for (const key of (event as Y.YMapEvent<unknown>).keysChanged) {
          const handle = wb.handles.get(key)
          if (handle && sheetsMap.get(key) !== handle.map) wb.handles.delete(key)
          else if (handle && !API_ORIGINS.has(txn.origin)) {
            // Created in this very transaction by something other than this API (whose writes
            // go through to the index): its nested types fired no events of their own.
            handle.rebuildIndex()
            handle.invalidateColumns()
          } else handle?.invalidateColumns()
          sheetChange(key).order = true
          sheetChange(key).columns = true
        }
        continue
      }
      const sheetId = String(path[0])
      const handle = wb.handles.get(sheetId)
      const c = sheetChange(sheetId)
      if (path.length === 1) {
        c.meta = true
        change.sheetsChanged = true
        continue
      }
      const field = String(path[1])
      if (field === SHEET_COLUMNS) {
        c.columns = true
        handle?.invalidateColumns()
        continue
      }
      if (path.length === 2 && handle) handle.applyIndexEvent(event, field, c)
      else if (path.length === 2) {
        // No handle yet: it will be built from the current state on first access. Still report.
        c.order = true
      }
    }
    wb.emit(change)
    // A local undo or redo: note in the logs what it did (a transaction of its own, queued by
    // Yjs after this one; its writes are outside the undo scope and fire no sheet events).
    const notes = wb.readOnly
      ? null
      : collectUndoNotes(
          events,
          txn,
          change.sheets,
          (id) => (sheetsMap.has(id) ? wb.sheet(id) : undefined),
          wb.ctx,
        )
    if (notes) {
      wb.doc.transact(() => {
        for (const [sheetId, recs] of notes.cells) {
          const log = historyMap.get(sheetId)
          if (log) log.insert(log.length, recs)
        }
        const rowLog = wb.ctx.rowLog()
        if (notes.rows.length > 0) rowLog.insert(rowLog.length, notes.rows)
      }, HISTORY_NOTE)
    }
  }
  const onMeta = (_e: Y.YMapEvent<unknown>, txn: Y.Transaction) => {
    const change: WorkbookChange = {
      origin: txn.origin,
      local: txn.local,
      metaChanged: true,
      sheetsChanged: false,
      sheets: new Map(),
    }
    wb.emit(change)
  }
  sheetsMap.observeDeep(onSheets)
  metaMap.observe(onMeta)
  return () => {
    sheetsMap.unobserveDeep(onSheets)
    metaMap.unobserve(onMeta)
  }
}
