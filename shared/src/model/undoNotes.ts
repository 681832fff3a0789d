import * as Y from 'yjs'
import { HOW_CODES, writeRowLogRecord } from '../history/log.js'
import type { EditHow } from '../history/types.js'
import { EDIT_ID_LENGTH } from './ids.js'
import { SHEET_CELLS, splitCellKey } from './keys.js'
import type { Sheet } from './sheet.js'
import type { LogRecord, Overlay, RowLogRecord, SheetChange, WorkbookContext } from './types.js'

/** What an undo or redo of this client changed, to be noted in the logs. */
export interface UndoNotes {
  cells: Map<string, LogRecord[]>
  rows: RowLogRecord[]
}

/**
 * The log entries that record what a local undo or redo did: one edit-log entry (how: undo or
 * redo) per cell whose overlay it changed, naming the edit it replaced, and one row-log entry per
 * kind of row change (rows back, rows gone, rows moved). Yjs's undo writes only the undone types;
 * the logs live outside the undo scope, so without these notes a cell's history would not show
 * that a value came back by undo. Returns null when the transaction was no local undo or redo.
 */
export function collectUndoNotes(
  events: readonly Y.YEvent<Y.AbstractType<unknown>>[],
  txn: Y.Transaction,
  changes: ReadonlyMap<string, SheetChange>,
  sheetOf: (id: string) => Sheet | undefined,
  ctx: WorkbookContext,
): UndoNotes | null {
  if (!txn.local || !(txn.origin instanceof Y.UndoManager)) return null
  const how: EditHow = txn.origin.redoing ? 'redo' : 'undo'
  const by = ctx.author().name
  const at = ctx.now()
  const notes: UndoNotes = { cells: new Map(), rows: [] }
  for (const event of events) {
    const path = event.path
    if (path.length !== 2 || path[1] !== SHEET_CELLS) continue
    const sheetId = String(path[0])
    const sheet = sheetOf(sheetId)
    if (!sheet) continue
    const list: LogRecord[] = notes.cells.get(sheetId) ?? []
    for (const [key, change] of (event as Y.YMapEvent<Overlay>).changes.keys) {
      const parts = splitCellKey(key)
      if (!parts) continue
      const old = change.oldValue as Overlay | undefined
      const value = sheet.getCell(parts[0], parts[1])
      list.push([
        parts[0],
        parts[1],
        value,
        by,
        at,
        ctx.newId(EDIT_ID_LENGTH),
        old ? old[1] : null,
        HOW_CODES[how],
      ])
    }
    if (list.length > 0) notes.cells.set(sheetId, list)
  }
  for (const [sheetId, c] of changes) {
    if (c.added.size > 0)
      notes.rows.push(writeRowLogRecord(sheetId, 'restore', [...c.added], '', by, at, how))
    if (c.removed.size > 0)
      notes.rows.push(writeRowLogRecord(sheetId, 'delete', [...c.removed], '', by, at, how))
    if (c.moved.size > 0)
      notes.rows.push(writeRowLogRecord(sheetId, 'move', [...c.moved], '', by, at, how))
  }
  return notes.cells.size > 0 || notes.rows.length > 0 ? notes : null
}
