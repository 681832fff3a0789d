import type * as Y from 'yjs'
import { buildRowHistory } from '../history/rowHistory.js'
import {
  COL_DELETED,
  ROOT_HISTORY,
  ROOT_ROW_LOG,
  ROOT_SHEETS,
  SHEET_COLUMNS,
  SHEET_DELETED,
} from '../model/keys.js'
import type { LogRecord, RowLogRecord } from '../model/types.js'
import type { AttestedAuthor, AttestIndex } from './attestation.js'

/** The Yjs id of one log record: who wrote it (client id) and where in that client's clock. */
export interface EditYId {
  client: number
  clock: number
}

/**
 * Calls `each(record, id)` for every live record of a Y.Array of records, with the record's Yjs id
 * (record i of an item has the item's clock + i). Hand-written: Yjs has no public way to ask an
 * array element's id, so this walks the array's items (the same walk as the model's conflict
 * analysis).
 */
function walkRecords<R>(arr: Y.Array<R> | undefined, each: (rec: R, id: EditYId) => void): void {
  for (let item = arr?._start ?? null; item !== null; item = item.right) {
    if (item.deleted || !item.countable) continue
    const recs = item.content.getContent() as R[]
    for (let i = 0; i < recs.length; i++) {
      each(recs[i]!, { client: item.id.client, clock: item.id.clock + i })
    }
  }
}

/** The Yjs id of each edit-log record of a sheet, by edit id. */
export function logIds(doc: Y.Doc, sheetId: string): Map<string, EditYId> {
  const out = new Map<string, EditYId>()
  const log = doc.getMap<Y.Array<LogRecord>>(ROOT_HISTORY).get(sheetId)
  walkRecords(log, (rec, id) => out.set(rec[5], id))
  return out
}

/**
 * The Yjs ids of a row's history events, in the order `Sheet.history.row(rowId)` lists them
 * (newest first): the row-log records `buildRowHistory` counts as the row's, each with its id.
 * `batchId` is the row record's batch (`sheet.index.record(rowId)[2]`).
 */
export function rowEventIds(
  doc: Y.Doc,
  sheetId: string,
  rowId: string,
  batchId: string,
): EditYId[] {
  const out: EditYId[] = []
  walkRecords(doc.getArray<RowLogRecord>(ROOT_ROW_LOG), (rec, id) => {
    if (rec[0] !== sheetId) return
    // One record at a time through the model's own rule of which records are the row's.
    if (buildRowHistory([rec], sheetId, rowId, batchId).length) out.push(id)
  })
  return out.reverse()
}

/**
 * The Yjs id of the latest row-log `delete` record naming each row of a sheet (who deleted it, for
 * the trash): one walk of the row log, later records (log order is causal) replacing earlier ones.
 */
export function rowDeletionIds(doc: Y.Doc, sheetId: string): Map<string, EditYId> {
  const out = new Map<string, EditYId>()
  walkRecords(doc.getArray<RowLogRecord>(ROOT_ROW_LOG), (rec, id) => {
    if (rec[0] !== sheetId || rec[1] !== 'delete') return
    for (const rowId of rec[2]) out.set(rowId, id)
  })
  return out
}

/**
 * The Yjs id of the write that holds `key` in a Y.Map now (the entry every replica reads: Yjs
 * keeps one live item per key, the winner of concurrent sets), or undefined when the key is unset.
 * A deletion record (`{ by, at }` under `deleted`) is one such entry, written by its deleter.
 */
function entryId(m: Y.Map<unknown> | undefined, key: string): EditYId | undefined {
  const item = m?._map.get(key)
  return item && !item.deleted ? { client: item.id.client, clock: item.id.clock } : undefined
}

/**
 * The Yjs id of each deleted column's deletion record (the `deleted` entry `Sheet.deleteColumn`
 * writes into the column's map), by column id: who deleted it, for the trash and the conflicts of
 * kind `fill-of-deleted-column`. A restored column has no entry.
 */
export function columnDeletionIds(doc: Y.Doc, sheetId: string): Map<string, EditYId> {
  const out = new Map<string, EditYId>()
  const sheet = doc.getMap<Y.Map<unknown>>(ROOT_SHEETS).get(sheetId)
  const cols = sheet?.get(SHEET_COLUMNS) as Y.Map<Y.Map<unknown>> | undefined
  cols?.forEach((m, colId) => {
    const id = entryId(m, COL_DELETED)
    if (id) out.set(colId, id)
  })
  return out
}

/**
 * The Yjs id of each deleted sheet's deletion record (the `deleted` entry `Workbook.deleteSheet`
 * writes into the sheet's map), by sheet id: who put the sheet in the trash.
 */
export function sheetDeletionIds(doc: Y.Doc): Map<string, EditYId> {
  const out = new Map<string, EditYId>()
  doc.getMap<Y.Map<unknown>>(ROOT_SHEETS).forEach((m, sheetId) => {
    const id = entryId(m, SHEET_DELETED)
    if (id) out.set(sheetId, id)
  })
  return out
}

/** Device time and server time closer than this are shown as one time. */
export const SHOW_BOTH_TIMES_MS = 2 * 60_000

/** What the history shows of an edit's author and times (issue 13 §4). */
export type EditAttestation =
  | {
      status: 'attested'
      /** The token's display name (never the name the client chose). */
      name: string
      user: string
      /** The client's own time of the edit. */
      at: number
      /** When the server first received it. */
      receivedAt: number
      /** Edited offline (or on a wrong clock): both times differ by ≥ SHOW_BOTH_TIMES_MS. */
      bothTimes: boolean
    }
  /** Delivered by another user's connection: only who delivered it is vouched for. */
  | { status: 'relayed'; via: string; at: number; receivedAt: number }
  /** Not yet confirmed by the server (待服务器确认). */
  | { status: 'pending'; at: number }

/**
 * Whether this device still waits for the server to confirm an edit of its own: a receipt of an
 * earlier run of the same client id covers later clocks too, so only the device itself (through
 * the server's acknowledgements) knows that its newer edits have not arrived.
 */
export type LocalPending = (id: EditYId) => boolean

/**
 * The attestation of one edit: `attested` / `relayed` from the doc's attestation records, unless
 * the edit has no Yjs id (not found), no receipt, or this device knows it is still unacknowledged.
 */
export function attestEdit(
  index: AttestIndex,
  id: EditYId | undefined,
  at: number,
  localPending: LocalPending = () => false,
): EditAttestation {
  if (!id || localPending(id)) return { status: 'pending', at }
  const a: AttestedAuthor = index.authorOf(id.client, id.clock)
  if (a.status === 'attested') {
    return {
      status: 'attested',
      name: a.name,
      user: a.user,
      at,
      receivedAt: a.receivedAt,
      bothTimes: Math.abs(a.receivedAt - at) >= SHOW_BOTH_TIMES_MS,
    }
  }
  if (a.status === 'relayed') return { status: 'relayed', via: a.via, at, receivedAt: a.receivedAt }
  return { status: 'pending', at }
}
