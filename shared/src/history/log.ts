import type { LogRecord, RowLogRecord, SettlementRecord } from '../model/types.js'
import {
  EDIT_HOW,
  type EditEntry,
  type EditHow,
  ROW_EVENT_KINDS,
  type RowEventKind,
  type SettleAction,
  type Settlement,
} from './types.js'

/** The one-letter codes the logs store for `EditHow` (a 100,000-entry log pays per byte). */
export const HOW_CODES: Readonly<Record<EditHow, string>> = {
  typed: 't',
  paste: 'p',
  import: 'i',
  fill: 'f',
  undo: 'u',
  redo: 'r',
  restore: 's',
  'conflict-restore': 'c',
}

const HOW_BY_CODE = new Map<string, EditHow>(EDIT_HOW.map((h) => [HOW_CODES[h], h]))

/** The `EditHow` of a stored code; an absent or unknown code (an older or newer writer) is typed. */
export function howFromCode(code: string | undefined): EditHow {
  return (code !== undefined && HOW_BY_CODE.get(code)) || 'typed'
}

/** An edit-log record read as an entry. */
export function readEditEntry(rec: LogRecord): EditEntry {
  return {
    rowId: rec[0],
    colId: rec[1],
    value: rec[2],
    by: rec[3],
    at: rec[4],
    editId: rec[5],
    prevEditId: rec[6],
    how: howFromCode(rec[7]),
  }
}

/** Undo and redo entries note what an undo did; they are nobody's typed value. */
export function isUndoNote(e: EditEntry): boolean {
  return e.how === 'undo' || e.how === 'redo'
}

export function isRowEventKind(k: string): k is RowEventKind {
  return (ROW_EVENT_KINDS as readonly string[]).includes(k)
}

export function writeRowLogRecord(
  sheetId: string,
  kind: RowEventKind,
  rowIds: string[],
  batchId: string,
  by: string,
  at: number,
  how: EditHow,
  source = '',
): RowLogRecord {
  return [sheetId, kind, rowIds, batchId, by, at, HOW_CODES[how], source]
}

export function writeSettlementRecord(s: Settlement): SettlementRecord {
  return [s.sheetId, s.conflictId, s.action, s.by, s.at]
}

export function readSettlement(rec: SettlementRecord): Settlement | undefined {
  const action = rec[2]
  if (action !== 'adopt' && action !== 'keep') return undefined // a newer writer's action
  return {
    sheetId: rec[0],
    conflictId: rec[1],
    action: action as SettleAction,
    by: rec[3],
    at: rec[4],
  }
}
