import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Workbook } from '../model/workbook.js'
import { attestBindingKey, attestReceiptKey, ROOT_ATTEST, readAttestation } from './attestation.js'
import { attestEdit, logIds, rowDeletionIds, rowEventIds, SHOW_BOTH_TIMES_MS } from './editIds.js'

const T0 = 1_778_000_000_000

/** One sheet, one row, one column; `write` edits the cell as another replica (client id) would. */
function ledger() {
  const doc = new Y.Doc()
  doc.clientID = 7
  let t = T0
  const wb = Workbook.create(doc, {
    title: '台账',
    author: { id: 'a', name: '甲' },
    now: () => (t += 1000),
  })
  const sheetId = wb.addSheet('站点')
  const s = wb.sheet(sheetId)
  const col = s.addColumn({ name: '服务人次', type: 'integer' })
  const [row] = s.insertRows([{ [col]: 1 }]) as [string]
  return { doc, wb, s, sheetId, row, col }
}

describe('the Yjs ids behind history entries (issue 13 §4)', () => {
  it("maps each cell edit to its log record's (client, clock), so receipts name its author", () => {
    const { doc, s, sheetId, row, col } = ledger()
    const before = Y.getState(doc.store, 7)
    s.setCell(row, col, 2)
    const mid = Y.getState(doc.store, 7)
    s.setCell(row, col, 3)
    const ids = logIds(doc, sheetId)
    const edits = s.history.cell(row, col).filter((h) => h.editId !== null)
    expect(edits.map((h) => h.value)).toEqual([3, 2])
    const [newest, older] = edits.map((h) => ids.get(h.editId!)!)
    expect(older!.client).toBe(7)
    expect(older!.clock).toBeGreaterThanOrEqual(before)
    expect(older!.clock).toBeLessThan(mid)
    expect(newest!.clock).toBeGreaterThanOrEqual(mid)
    // A second replica's edit carries that replica's client id.
    const other = new Y.Doc()
    other.clientID = 9
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc))
    const wb2 = Workbook.open(other, { author: { id: 'b', name: '乙' } }).workbook
    wb2.sheet(sheetId).setCell(row, col, 4)
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)))
    const top = s.history.cell(row, col)[0]!
    expect(top.value).toBe(4)
    expect(logIds(doc, sheetId).get(top.editId!)!.client).toBe(9)
  })

  it("lists a row's events' ids in the order history.row() gives them (newest first)", () => {
    const { doc, s, sheetId, row } = ledger()
    s.deleteRows([row])
    s.restoreRows([row])
    const events = s.history.row(row)
    expect(events.map((e) => e.kind)).toEqual(['restore', 'delete', 'insert'])
    const batch = s.index.record(row)?.[2] ?? ''
    const ids = rowEventIds(doc, sheetId, row, batch)
    expect(ids).toHaveLength(3)
    expect(ids.every((id) => id.client === 7)).toBe(true)
    // Newest first: clocks decrease.
    expect(ids[0]!.clock).toBeGreaterThan(ids[1]!.clock)
    expect(ids[1]!.clock).toBeGreaterThan(ids[2]!.clock)
    // Another row of the same sheet has only its own insert.
    const [other] = s.insertRows([{}]) as [string]
    const otherIds = rowEventIds(doc, sheetId, other, s.index.record(other)?.[2] ?? '')
    expect(otherIds).toHaveLength(1)
    expect(otherIds[0]!.clock).toBeGreaterThan(ids[0]!.clock)
    // Who deleted it last: the delete event's id (deleted again after the restore: the newer one).
    expect(rowDeletionIds(doc, sheetId).get(row)).toEqual(ids[1])
    s.deleteRows([row])
    const again = rowEventIds(doc, sheetId, row, batch)[0]!
    expect(rowDeletionIds(doc, sheetId).get(row)).toEqual(again)
    expect(rowDeletionIds(doc, sheetId).has(other)).toBe(false)
  })

  it('attested shows the token name and both times only when they differ; the device may still know it is pending', () => {
    const { doc, s, sheetId, row, col } = ledger()
    s.setCell(row, col, 5)
    const edit = s.history.cell(row, col)[0]!
    const id = logIds(doc, sheetId).get(edit.editId!)!
    // Nothing received yet: pending.
    expect(attestEdit(readAttestation(doc), id, edit.at!)).toEqual({
      status: 'pending',
      at: edit.at,
    })
    expect(attestEdit(readAttestation(doc), undefined, 1)).toEqual({ status: 'pending', at: 1 })
    const m = doc.getMap<unknown>(ROOT_ATTEST)
    m.set(attestBindingKey(7), { kind: 'user', user: 'u-wang', name: '王敏', at: edit.at! })
    m.set(attestReceiptKey(7, 0), { at: edit.at! + 30_000 })
    const soon = attestEdit(readAttestation(doc), id, edit.at!)
    expect(soon).toEqual({
      status: 'attested',
      name: '王敏',
      user: 'u-wang',
      at: edit.at,
      receivedAt: edit.at! + 30_000,
      bothTimes: false,
    })
    // Received hours later (edited offline): both times.
    m.set(attestReceiptKey(7, 0), { at: edit.at! + 5 * 3_600_000 })
    const late = attestEdit(readAttestation(doc), id, edit.at!)
    expect(late).toMatchObject({ status: 'attested', bothTimes: true })
    expect(SHOW_BOTH_TIMES_MS).toBeLessThan(5 * 3_600_000)
    // This device knows the server has not acknowledged it (an earlier receipt covers the clock).
    expect(attestEdit(readAttestation(doc), id, edit.at!, (x) => x.clock >= id.clock)).toEqual({
      status: 'pending',
      at: edit.at,
    })
    // Delivered by someone else's connection: only the deliverer is vouched for.
    m.set(attestReceiptKey(7, id.clock), { at: edit.at! + 1000, via: 'u-li' })
    expect(attestEdit(readAttestation(doc), id, edit.at!)).toEqual({
      status: 'relayed',
      via: 'u-li',
      at: edit.at,
      receivedAt: edit.at! + 1000,
    })
  })
})
