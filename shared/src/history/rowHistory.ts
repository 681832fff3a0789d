import type { RowLogRecord } from '../model/types.js'
import { howFromCode, isRowEventKind } from './log.js'
import type { RowEvent } from './types.js'

/**
 * A row's history, newest first (reverse log order: the same on every replica, and causal, unlike
 * client clocks): inserted (by whom, how; an import's batch and
 * file), moved, deleted, restored. An insert entry names its rows by list or, for a value batch,
 * by the batch id every record of it carries (`batchId` here is the row record's).
 */
export function buildRowHistory(
  log: readonly RowLogRecord[],
  sheetId: string,
  rowId: string,
  batchId: string,
): RowEvent[] {
  const out: RowEvent[] = []
  for (let i = 0; i < log.length; i++) {
    const rec = log[i]!
    if (rec[0] !== sheetId || !isRowEventKind(rec[1])) continue
    const mine =
      rec[2].includes(rowId) || (rec[1] === 'insert' && rec[3] !== '' && rec[3] === batchId)
    if (!mine) continue
    out.push({
      kind: rec[1],
      by: rec[4],
      at: rec[5],
      how: howFromCode(rec[6]),
      batchId: rec[3],
      source: rec[7],
    })
  }
  return out.reverse()
}
