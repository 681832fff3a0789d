import {
  type AttestIndex,
  logIds,
  readAttestation,
  type Sheet,
  type Workbook,
} from '@taizhang/shared'
import { ApiError } from './errors.js'

// The Yjs id of each edit-log record (attestation looks authors up by it): one walk, in shared
// (shared/src/attest/editIds.ts), used by the web app's history panels too.
export { logIds } from '@taizhang/shared'

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
  return attestationJson(id ? attest.authorOf(id.client, id.clock) : { status: 'pending' })
}

/**
 * An attestation as the API shows it (an edit's `attested`, a deletion's `deletedAttested`):
 * who the server vouches for and when it received it, ISO times.
 */
export function attestationJson(
  a:
    | { status: 'attested'; user: string; name: string; receivedAt: number }
    | { status: 'relayed'; via: string; receivedAt: number }
    | { status: 'pending' },
) {
  if (a.status === 'attested') {
    const { user, name } = a
    return { status: a.status, user, name, receivedAt: new Date(a.receivedAt).toISOString() }
  }
  if (a.status === 'relayed') {
    return { status: a.status, via: a.via, receivedAt: new Date(a.receivedAt).toISOString() }
  }
  return { status: a.status }
}
