import {
  type AttestIndex,
  type LogRecord,
  ROOT_HISTORY,
  readAttestation,
  type Sheet,
  type Workbook,
} from '@taizhang/shared'
import type * as Y from 'yjs'
import { ApiError } from './errors.js'

/**
 * The Yjs id (client, clock) of each edit-log record of a sheet, by edit id: record i of an item
 * has the item's clock + i. Hand-written (read from the log's items): Yjs has no public way to
 * ask an array element's id. The same walk as the model's conflict analysis.
 */
export function logIds(
  doc: Y.Doc,
  sheetId: string,
): Map<string, { client: number; clock: number }> {
  const out = new Map<string, { client: number; clock: number }>()
  const log = doc.getMap<Y.Array<LogRecord>>(ROOT_HISTORY).get(sheetId)
  for (let item = log?._start ?? null; item !== null; item = item.right) {
    if (item.deleted || !item.countable) continue
    const recs = item.content.getContent() as LogRecord[]
    for (let i = 0; i < recs.length; i++) {
      out.set(recs[i]![5], { client: item.id.client, clock: item.id.clock + i })
    }
  }
  return out
}

/**
 * `GET /api/workbooks/<id>/sheets/<sheet>/history?row=<rowId>&col=<colId or name>` (issue 13 §5):
 * every recorded write to one cell, newest first, each with the author the edit log recorded and
 * the author the server attests (`attested`: user id and token name, and the server's receive
 * time; `relayed`: only who delivered it; `pending`: not attested).
 */
export function cellHistoryOf(wb: Workbook, sheet: Sheet, row: string | null, col: string | null) {
  if (!row || !col) throw new ApiError('bad-history-query')
  if (!sheet.rowIds().includes(row)) throw new ApiError('row-not-found')
  const cols = sheet.columns()
  const column = cols.find((c) => c.id === col) ?? cols.find((c) => c.name === col)
  if (!column) throw new ApiError('column-not-found')
  const ids = logIds(wb.doc, sheet.id)
  const attest = readAttestation(wb.doc)
  const edits = [...sheet.cellHistory(row, column.id)].reverse()
  return {
    sheet: { id: sheet.id, name: sheet.name },
    rowId: row,
    column: { id: column.id, name: column.name },
    history: edits.map((e) => {
      return {
        value: e.value,
        how: e.how,
        editId: e.editId,
        by: e.by,
        at: new Date(e.at).toISOString(),
        attested: attestedJson(attest, ids.get(e.editId)),
      }
    }),
  }
}

/** The attested author of the log record with Yjs id `id`, as the API shows it. */
export function attestedJson(
  attest: AttestIndex,
  id: { client: number; clock: number } | undefined,
) {
  const a = id ? attest.authorOf(id.client, id.clock) : ({ status: 'pending' } as const)
  if (a.status === 'attested') {
    const { user, name } = a
    return { status: a.status, user, name, receivedAt: new Date(a.receivedAt).toISOString() }
  }
  if (a.status === 'relayed') {
    return { status: a.status, via: a.via, receivedAt: new Date(a.receivedAt).toISOString() }
  }
  return { status: a.status }
}
