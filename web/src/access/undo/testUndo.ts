/**
 * Test helpers shared by the undo tests (guardedUndo.test.ts, undoChanges.test.ts): a replica of
 * a workbook with its own undo manager, and what the server's classifier reads in a real undo.
 * Test-only: no production module imports this file.
 */
import { type ClassifiedChange, classifyUpdate, Workbook } from '@taizhang/shared'
import * as Y from 'yjs'

/** A change as a comparable string. */
export const changeKey = (c: ClassifiedChange) => JSON.stringify(c)

/**
 * A second device's copy of `source` (opened as `author`) with its undo manager; `sync` delivers
 * each side's changes to the other as remote updates.
 */
export function replicaOf(source: Workbook, author: { id: string; name: string }) {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(source.doc))
  const wb = Workbook.open(doc, { author }).workbook
  const um = wb.createUndoManager()
  const sync = () => {
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(source.doc, Y.encodeStateVector(doc)), 'remote')
    Y.applyUpdate(source.doc, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(source.doc)), 'remote')
  }
  return { wb, um, sync }
}

/**
 * Undoes (or redoes) for real and returns what the server's classifier names in the update it
 * produced, read against the doc as it was before (a copy).
 */
export function undoAndClassify(
  wb: Workbook,
  um: Y.UndoManager,
  direction: 'undo' | 'redo',
): ClassifiedChange[] {
  const before = new Y.Doc()
  Y.applyUpdate(before, Y.encodeStateAsUpdate(wb.doc))
  const beforeWb = Workbook.open(before, { author: { id: 'x', name: 'x' } }).workbook
  const updates: Uint8Array[] = []
  const onUpdate = (u: Uint8Array) => updates.push(u)
  wb.doc.on('update', onUpdate)
  if (direction === 'undo') um.undo()
  else um.redo()
  wb.doc.off('update', onUpdate)
  // The undo's transaction and any the model writes after it (edit logs), as one update.
  const out = updates.length ? classifyUpdate(beforeWb, Y.mergeUpdates(updates)) : []
  before.destroy()
  return out
}
