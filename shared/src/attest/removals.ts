import type * as Y from 'yjs'
import { readAttestation } from './attestation.js'
import {
  attestEdit,
  columnDeletionIds,
  type EditAttestation,
  type EditYId,
  type LocalPending,
  rowDeletionIds,
  sheetDeletionIds,
} from './editIds.js'

/** Who deleted a row, a column or a sheet, as the server vouches for it. */
export interface RemovalLookup {
  row(sheetId: string, rowId: string, at: number): EditAttestation
  column(sheetId: string, colId: string, at: number): EditAttestation
  sheet(sheetId: string, at: number): EditAttestation
}

/**
 * The attestation of each deletion in the trash (and of the row or column a losing edit landed
 * on): the attestation record of the deletion's Yjs item (`rowDeletionIds`, `columnDeletionIds`,
 * `sheetDeletionIds`), `pending` (待服务器确认) until the server has received it and, for this
 * device's own deletions, acknowledged it. Lazy: the records and each sheet's ids are read on the
 * first question, so build a new lookup per model or attestation change.
 *
 * @example
 * const who = createRemovalLookup(doc).column(sheetId, colId, removal.at)
 * who.status === 'attested' ? who.name : removal.by
 */
export function createRemovalLookup(
  doc: Y.Doc,
  localPending: LocalPending = () => false,
): RemovalLookup {
  let index: ReturnType<typeof readAttestation> | null = null
  const rows = new Map<string, Map<string, EditYId>>()
  const cols = new Map<string, Map<string, EditYId>>()
  let sheets: Map<string, EditYId> | null = null
  const attest = (id: EditYId | undefined, at: number) => {
    index ??= readAttestation(doc)
    return attestEdit(index, id, at, localPending)
  }
  const perSheet = (
    cache: Map<string, Map<string, EditYId>>,
    sheetId: string,
    read: (doc: Y.Doc, sheetId: string) => Map<string, EditYId>,
  ) => {
    let m = cache.get(sheetId)
    if (!m) {
      m = read(doc, sheetId)
      cache.set(sheetId, m)
    }
    return m
  }
  return {
    row: (sheetId, rowId, at) => attest(perSheet(rows, sheetId, rowDeletionIds).get(rowId), at),
    column: (sheetId, colId, at) =>
      attest(perSheet(cols, sheetId, columnDeletionIds).get(colId), at),
    sheet(sheetId, at) {
      sheets ??= sheetDeletionIds(doc)
      return attest(sheets.get(sheetId), at)
    },
  }
}
