import {
  attestEdit,
  type CellHistoryItem,
  createRemovalLookup,
  type EditAttestation,
  type EditYId,
  logIds,
  type RemovalLookup,
  type RowEvent,
  readAttestation,
  rowEventIds,
  type Sheet,
} from '@taizhang/shared'
import type * as Y from 'yjs'
import { t } from '../i18n'

/** What the panels need to know of this device's own unacknowledged edits (UnackedCells). */
export interface LocalAcks {
  isUnconfirmed(client: number, clock: number): boolean
}

/**
 * Attestation (issue 13 §4) of the entries a history panel shows: the server-vouched author and
 * receive time of each, or 待服务器确认. Read from the doc on each call (the panels call it when
 * the model changes): one pass over the attestation records and one over the sheet's logs.
 */
export function attestCellHistory(
  doc: Y.Doc,
  sheet: Sheet,
  rowId: string,
  items: readonly CellHistoryItem[],
  acks: LocalAcks,
): { cell: EditAttestation[]; row: EditAttestation[] } {
  const index = readAttestation(doc)
  const pending = (id: EditYId) => acks.isUnconfirmed(id.client, id.clock)
  const events = sheet.history.row(rowId)
  const rowIds = rowEventIds(doc, sheet.id, rowId, sheet.index.record(rowId)?.[2] ?? '')
  const row = events.map((e, i) => attestEdit(index, rowIds[i], e.at, pending))
  const insertAt = events.findIndex((e) => e.kind === 'insert')
  const ids = items.some((h) => h.editId !== null) ? logIds(doc, sheet.id) : null
  const cell = items.map((h) => {
    const at = h.at ?? 0
    // The value the row was inserted with: attested as the insert was.
    if (h.editId === null) return insertAt >= 0 ? row[insertAt]! : attestEdit(index, undefined, at)
    return attestEdit(index, ids?.get(h.editId), at, pending)
  })
  return { cell, row }
}

/**
 * A lookup of one edit's attestation by sheet and edit id, for the conflict inbox. Lazy: the
 * records and a sheet's log ids are read on the first question (build a new one per model or
 * attestation change).
 */
export function makeAttestLookup(
  doc: Y.Doc,
  acks: LocalAcks,
): (sheetId: string, editId: string, at: number) => EditAttestation {
  let index: ReturnType<typeof readAttestation> | null = null
  const ids = new Map<string, Map<string, EditYId>>()
  const pending = (id: EditYId) => acks.isUnconfirmed(id.client, id.clock)
  return (sheetId, editId, at) => {
    index ??= readAttestation(doc)
    let m = ids.get(sheetId)
    if (!m) {
      m = logIds(doc, sheetId)
      ids.set(sheetId, m)
    }
    return attestEdit(index, m.get(editId), at, pending)
  }
}

/**
 * Who deleted each thing in the trash (and the row or column a losing edit landed on), as the
 * server vouches for it (shared `createRemovalLookup`), 待服务器确认 while this device has not had
 * its own deletion acknowledged. Build a new one per model or attestation change.
 */
export function makeRemovalLookup(doc: Y.Doc, acks: LocalAcks): RemovalLookup {
  return createRemovalLookup(doc, (id) => acks.isUnconfirmed(id.client, id.clock))
}

/**
 * How a deleter is named: the token's name when the server vouches for the deletion (the
 * self-chosen one beside it when different), else the self-chosen name.
 */
export function removalAuthor(a: EditAttestation, by: string): string {
  return a.status !== 'attested' || a.name === by ? by : `${a.name}${t('attest.claimed', { by })}`
}

/** Short date and time for the two-times line: 5月6日 09:12 / 6 Dec 09:12 (the year if not this year's). */
export function shortTime(ms: number, now = Date.now()): string {
  const d = new Date(ms)
  const sameYear = d.getFullYear() === new Date(now).getFullYear()
  const hm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`
  const parts = {
    y: d.getFullYear(),
    m: d.getMonth() + 1,
    d: d.getDate(),
    mon: d.toLocaleDateString('en-GB', { month: 'short' }),
  }
  return `${t(sameYear ? 'attest.date' : 'attest.dateYear', parts)} ${hm}`
}

export type { EditAttestation, RemovalLookup, RowEvent }
