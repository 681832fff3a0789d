import { CSV_IMPORT, type Workbook } from '@taizhang/shared'
import type * as Y from 'yjs'
import { isPristineSheet } from '../home/blankSheet'

/**
 * Importing into a workbook whose sheet is still as a new blank workbook made it (no rows, only the
 * default columns, never edited: `isPristineSheet`) goes to a new sheet, and the blank sheet goes
 * away in the same undo step: what the user sees is the blank sheet replaced by the imported one,
 * and one undo brings the blank sheet back (issue #12).
 *
 * Call right after the import's own transaction: the deletion joins the undo manager's last step
 * (Yjs merges a change into the last step when it comes within `captureTimeout`, a public option
 * of Y.UndoManager, widened here for this one transaction only). Nothing is done when the sheet was
 * edited meanwhile (by anyone), so no one's work is removed.
 */
export function removeReplacedBlank(
  wb: Workbook,
  undo: Y.UndoManager,
  blankId: string | null,
  importedId: string,
): boolean {
  if (!blankId || blankId === importedId || !isPristineSheet(wb, blankId)) return false
  if (!wb.listSheets().some((s) => s.id === blankId)) return false
  const timeout = undo.captureTimeout
  undo.captureTimeout = Number.POSITIVE_INFINITY
  try {
    wb.transact(() => wb.deleteSheet(blankId), CSV_IMPORT)
  } finally {
    undo.captureTimeout = timeout
  }
  return true
}
