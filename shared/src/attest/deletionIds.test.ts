import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Workbook } from '../model/workbook.js'
import { attestBindingKey, attestReceiptKey, ROOT_ATTEST, readAttestation } from './attestation.js'
import { attestEdit, columnDeletionIds, sheetDeletionIds } from './editIds.js'

const T0 = 1_778_000_000_000

/** A replica with its own client id, calling itself whatever it likes. */
function replica(client: number, name: string, from?: Y.Doc) {
  const doc = new Y.Doc()
  doc.clientID = client
  let t = T0 + client * 1000
  const now = () => (t += 1000)
  if (!from) {
    const wb = Workbook.create(doc, { title: '台账', author: { id: `a${client}`, name }, now })
    return { doc, wb }
  }
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(from))
  return { doc, wb: Workbook.open(doc, { author: { id: `a${client}`, name }, now }).workbook }
}

/** Sends each doc's missing updates to the other. */
function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
}

/**
 * What the sync server writes (through its own doc, client id 1): the binding of a client id to
 * the token's user, and a receipt of that client's edits from `clock` on.
 */
function serverAttests(
  server: Y.Doc,
  client: number,
  user: string,
  name: string,
  clock = 0,
  via?: string,
): void {
  const m = server.getMap<unknown>(ROOT_ATTEST)
  server.transact(() => {
    if (!m.has(attestBindingKey(client)))
      m.set(attestBindingKey(client), { kind: 'user', user, name, at: T0 })
    m.set(attestReceiptKey(client, clock), { at: T0 + 60_000, ...(via ? { via } : {}) })
  })
}

describe('who deleted a column or a sheet, as the server vouches for it (issue 13 §2, §4)', () => {
  it('names the token user behind a column and a sheet deletion, not the self-chosen name; pending until received', () => {
    const a = replica(7, '局长')
    const keep = a.wb.addSheet('站点')
    const gone = a.wb.addSheet('旧表')
    const s = a.wb.sheet(keep)
    const col = s.addColumn({ name: '服务人次', type: 'integer' })
    s.insertRows([{ [col]: 3 }])
    s.deleteColumn(col)
    a.wb.deleteSheet(gone)
    const colId = columnDeletionIds(a.doc, keep).get(col)
    const sheetId = sheetDeletionIds(a.doc).get(gone)
    expect(colId?.client).toBe(7)
    expect(sheetId?.client).toBe(7)
    // The model keeps the self-chosen name; only the ids lead to the token's.
    expect(s.deletedColumnRemovals().get(col)?.by).toBe('局长')
    expect(a.wb.sheetDeletion(gone)?.by).toBe('局长')
    // Not received by the server yet: 待服务器确认.
    expect(attestEdit(readAttestation(a.doc), colId, 1)).toEqual({ status: 'pending', at: 1 })
    expect(attestEdit(readAttestation(a.doc), sheetId, 1)).toEqual({ status: 'pending', at: 1 })

    const server = new Y.Doc()
    server.clientID = 1
    sync(a.doc, server)
    serverAttests(server, 7, 'u-zhang', '张三')
    // Received, but this device has not had the ack yet: still pending here.
    sync(a.doc, server)
    expect(attestEdit(readAttestation(a.doc), colId, 1, (id) => id.clock >= colId!.clock)).toEqual({
      status: 'pending',
      at: 1,
    })
    sync(a.doc, server)
    const index = readAttestation(server)
    expect(attestEdit(index, columnDeletionIds(server, keep).get(col), 5)).toMatchObject({
      status: 'attested',
      name: '张三',
      user: 'u-zhang',
    })
    expect(attestEdit(index, sheetDeletionIds(server).get(gone), 5)).toMatchObject({
      status: 'attested',
      name: '张三',
    })
    // Live columns and sheets have no deletion record.
    expect(sheetDeletionIds(server).has(keep)).toBe(false)
    expect(columnDeletionIds(server, 'no-such-sheet').size).toBe(0)
  })

  it('a restore drops the record; a second deletion by someone else is theirs (and relayed stays relayed)', () => {
    const a = replica(7, '甲')
    const sheet = a.wb.addSheet('站点')
    const col = a.wb.sheet(sheet).addColumn({ name: '人数', type: 'integer' })
    const b = replica(9, '局长', a.doc)
    const server = new Y.Doc()
    server.clientID = 1
    a.wb.sheet(sheet).deleteColumn(col)
    sync(a.doc, b.doc)
    const first = columnDeletionIds(b.doc, sheet).get(col)!
    expect(first.client).toBe(7)
    b.wb.sheet(sheet).restoreColumn(col)
    expect(columnDeletionIds(b.doc, sheet).has(col)).toBe(false)
    b.wb.sheet(sheet).deleteColumn(col)
    sync(a.doc, b.doc)
    sync(b.doc, server)
    serverAttests(server, 7, 'u-wang', '王敏')
    // Client 9's edits reached the server through u-wang's connection (a re-upload): relayed.
    serverAttests(server, 9, 'u-li', '李四', 0, 'u-wang')
    const second = columnDeletionIds(server, sheet).get(col)!
    expect(second.client).toBe(9)
    expect(attestEdit(readAttestation(server), second, 1)).toMatchObject({
      status: 'relayed',
      via: 'u-wang',
    })
  })

  it('two people deleting one column at once: the record every replica reads is the one whose author is shown', () => {
    const a = replica(7, '甲')
    const sheet = a.wb.addSheet('站点')
    const col = a.wb.sheet(sheet).addColumn({ name: '人数', type: 'integer' })
    const b = replica(9, '乙', a.doc)
    a.wb.sheet(sheet).deleteColumn(col)
    b.wb.sheet(sheet).deleteColumn(col)
    a.wb.deleteSheet(sheet)
    b.wb.deleteSheet(sheet)
    sync(a.doc, b.doc)
    const server = new Y.Doc()
    server.clientID = 1
    sync(a.doc, server)
    serverAttests(server, 7, 'u-jia', '甲（令牌）')
    serverAttests(server, 9, 'u-yi', '乙（令牌）')
    sync(a.doc, server)
    sync(b.doc, server)
    for (const doc of [a.doc, b.doc]) {
      const wb = Workbook.open(doc, { author: { id: 'x', name: 'x' } }).workbook
      const shownBy = wb.sheet(sheet).deletedColumnRemovals().get(col)!.by
      const id = columnDeletionIds(doc, sheet).get(col)!
      const vouched = attestEdit(readAttestation(doc), id, 1)
      expect(vouched.status === 'attested' && vouched.name).toBe(`${shownBy}（令牌）`)
      const sheetBy = wb.sheetDeletion(sheet)!.by
      const sv = attestEdit(readAttestation(doc), sheetDeletionIds(doc).get(sheet), 1)
      expect(sv.status === 'attested' && sv.name).toBe(`${sheetBy}（令牌）`)
    }
    expect(columnDeletionIds(a.doc, sheet).get(col)).toEqual(
      columnDeletionIds(b.doc, sheet).get(col),
    )
  })
})
