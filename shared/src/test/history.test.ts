import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { findConflicts } from '../history/conflicts.js'
import { CSV_IMPORT, FILL, PASTE } from '../model/origins.js'
import { Workbook } from '../model/workbook.js'
import { prng, syncAll } from './relay.js'

/** Two replicas (甲 on client 1, 乙 on client 2) of one sheet with one row and two columns. */
function pair(opts: { clientA?: number; clientB?: number; bClockBehindMs?: number } = {}) {
  const a = new Y.Doc()
  a.clientID = opts.clientA ?? 1
  // One clock for both, as two devices with correct clocks would have.
  let t = 1_700_000_000_000
  const wa = Workbook.create(a, {
    title: '台账',
    random: prng(1),
    author: { id: 'a', name: '甲' },
    now: () => (t += 1000),
  })
  const sheetId = wa.addSheet('站点')
  const sa = wa.sheet(sheetId)
  const col = sa.addColumn({ name: '服务人次', type: 'integer' })
  const other = sa.addColumn({ name: '备注', type: 'text' })
  const [row] = sa.insertRows([{ [col]: 1 }])
  const b = new Y.Doc()
  b.clientID = opts.clientB ?? 2
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
  const wb = Workbook.open(b, {
    random: prng(2),
    author: { id: 'b', name: '乙' },
    now: () => {
      t += 1000
      return t - (opts.bClockBehindMs ?? 0)
    },
  }).workbook
  const sync = () => syncAll(a, b)
  return {
    A: { wb: wa, s: sa, undo: wa.createUndoManager() },
    B: { wb, s: wb.sheet(sheetId), undo: wb.createUndoManager() },
    sync,
    sheetId,
    row: row!,
    col,
    other,
  }
}

describe('conflicts the user sees and settles (issue 13)', () => {
  it('H1 same-cell race: the inbox lists the loser with author and time on both replicas', () => {
    const { A, B, sync, row, col } = pair()
    A.s.setCell(row, col, 101)
    B.s.setCell(row, col, 202)
    sync()
    const winner = A.s.getCell(row, col)
    for (const x of [A, B]) {
      const inbox = x.wb.history.unsettled()
      expect(inbox).toHaveLength(1)
      const c = inbox[0]!
      expect(c.kind).toBe('concurrent-edit')
      expect(c.lost.value).toBe(winner === 101 ? 202 : 101)
      expect(c.lost.by).toBe(winner === 101 ? '乙' : '甲')
      expect(c.lost.at).toBeGreaterThan(1_700_000_000_000)
      expect(c.id).toBe(A.wb.history.unsettled()[0]!.id)
    }
  })

  it('H2 采用此值 writes the losing value back as a new edit and settles it everywhere', () => {
    const { A, B, sync, row, col } = pair({ clientA: 1, clientB: 2 })
    A.s.setCell(row, col, 101)
    B.s.setCell(row, col, 202)
    sync()
    const loser = A.s.getCell(row, col) === 101 ? B : A
    const c = loser.wb.history.unsettled()[0]!
    loser.wb.history.adopt(c)
    sync()
    const lostValue = c.lost.value
    for (const x of [A, B]) {
      expect(x.s.getCell(row, col)).toBe(lostValue)
      expect(x.wb.history.unsettled()).toEqual([])
      const settled = x.wb.history.conflicts().find((k) => k.id === c.id)!
      expect(settled.settlements.map((s) => s.action)).toEqual(['adopt'])
      expect(x.s.history.cell(row, col)[0]).toMatchObject({
        value: lostValue,
        how: 'conflict-restore',
        current: true,
      })
    }
    // The adoption is one undo step of the adopter's; the settlement stays.
    loser.undo.undo()
    sync()
    expect(A.s.getCell(row, col)).not.toBe(lostValue)
    expect(A.wb.history.unsettled()).toEqual([])
  })

  it('H3 two users settling one conflict differently end the same everywhere', () => {
    const { A, B, sync, row, col } = pair()
    A.s.setCell(row, col, 101)
    B.s.setCell(row, col, 202)
    sync()
    const ca = A.wb.history.unsettled()[0]!
    const cb = B.wb.history.unsettled()[0]!
    A.wb.history.keep(ca)
    B.wb.history.adopt(cb)
    sync()
    const a = A.wb.history.conflicts().find((k) => k.id === ca.id)!
    const b = B.wb.history.conflicts().find((k) => k.id === ca.id)!
    expect(a.settlements).toEqual(b.settlements)
    expect(a.settlements.map((s) => s.action).sort()).toEqual(['adopt', 'keep'])
    expect(A.s.getCell(row, col)).toBe(B.s.getCell(row, col))
    expect(A.wb.history.unsettled().map((c) => c.id)).toEqual(
      B.wb.history.unsettled().map((c) => c.id),
    )
    expect(A.wb.history.unsettled().some((c) => c.id === ca.id)).toBe(false)
  })

  it('H4 an edit on a row deleted meanwhile: conflict, in the trash with the edit, adopt brings it back', () => {
    const { A, B, sync, row, col } = pair()
    A.s.deleteRows([row])
    B.s.setCell(row, col, 88)
    sync()
    for (const x of [A, B]) {
      const c = x.wb.history.unsettled()
      expect(c.map((k) => k.kind)).toEqual(['edit-on-deleted-row'])
      expect(c[0]).toMatchObject({ deletedBy: '甲', lost: { value: 88, by: '乙' } })
      const t = x.wb.history.trash().bySheet[0]!
      expect(t.rows.map((r) => [r.id, r.by])).toEqual([[row, '甲']])
      expect(t.rows[0]!.editsWhileDeleted.map((e) => [e.value, e.by])).toEqual([[88, '乙']])
    }
    B.wb.history.adopt(B.wb.history.unsettled()[0]!)
    sync()
    for (const x of [A, B]) {
      expect(x.s.hasRow(row)).toBe(true)
      expect(x.s.getCell(row, col)).toBe(88)
      expect(x.wb.history.unsettled()).toEqual([])
    }
  })

  it('H5 a fill of a column deleted meanwhile is a conflict of its own kind', () => {
    const { A, B, sync, row, other } = pair()
    A.s.deleteColumn(other)
    B.wb.transact(() => B.s.setCells([{ row, col: other, value: '填充' }]), FILL)
    sync()
    for (const x of [A, B]) {
      const c = x.wb.history.unsettled()
      expect(c.map((k) => k.kind)).toEqual(['fill-of-deleted-column'])
      expect(c[0]).toMatchObject({ deletedBy: '甲', lost: { value: '填充', how: 'fill' } })
      const cols = x.wb.history.trash().bySheet[0]!.columns
      expect(cols.map((k) => k.id)).toEqual([other])
      expect(cols[0]!.editsWhileDeleted).toHaveLength(1)
    }
    A.s.restoreColumns([other])
    sync()
    expect(B.s.getCell(row, other)).toBe('填充')
  })

  it('H4 causal, not by clock: an edit the deleter had not seen is lost even when its clock says earlier', () => {
    const { A, B, sync, row, col, other } = pair({ bClockBehindMs: 3_600_000 })
    A.s.setCell(row, col, 3)
    sync()
    B.s.setCell(row, col, 4) // B saw 3; A deletes without having seen 4
    A.s.deleteRows([row])
    A.s.deleteColumn(other)
    B.s.setCell(row, other, '晚到')
    sync()
    for (const x of [A, B]) {
      const lost = x.wb.history.unsettled().map((c) => [c.kind, c.lost.value])
      expect(lost).toEqual([
        ['edit-on-deleted-row', 4],
        ['edit-on-deleted-row', '晚到'],
        ['fill-of-deleted-column', '晚到'],
      ])
      // The trash shows the same edits (what the deleter had not seen), whatever the clocks.
      const t = x.wb.history.trash().bySheet[0]!
      expect(t.rows[0]!.editsWhileDeleted.map((e) => e.value)).toEqual([4, '晚到'])
      expect(t.columns[0]!.editsWhileDeleted.map((e) => e.value)).toEqual(['晚到'])
    }
  })

  it('H6 undo of my edit never resurrects or hides a value someone wrote after seeing mine', () => {
    const { A, B, sync, row, col } = pair()
    A.s.setCell(row, col, 5)
    sync()
    B.s.setCell(row, col, 6) // B saw 5
    sync()
    A.undo.undo()
    sync()
    for (const x of [A, B]) {
      expect(x.s.getCell(row, col)).toBe(6)
      expect(x.wb.history.unsettled()).toEqual([])
    }
  })

  it('H6 undo of a winning concurrent write leaves the other value in the inbox, not silently gone', () => {
    const { A, B, sync, row, col } = pair()
    A.s.setCell(row, col, 101)
    B.s.setCell(row, col, 202)
    sync()
    const winnerSide = A.s.getCell(row, col) === 101 ? A : B
    const otherValue = winnerSide === A ? 202 : 101
    winnerSide.undo.undo()
    sync()
    for (const x of [A, B]) {
      expect(x.s.getCell(row, col)).not.toBe(otherValue)
      expect(x.wb.history.unsettled().map((c) => c.lost.value)).toContain(otherValue)
      // The undo is in the cell's history, noted as such.
      expect(x.s.history.cell(row, col).some((h) => h.how === 'undo')).toBe(true)
    }
  })
})

describe('cell history, row history and the trash (issue 13)', () => {
  it('H7 a cell history lists every value newest first with how, and losing branches marked', () => {
    const { A, B, sync, row, col } = pair()
    A.s.setCell(row, col, 2) // typed
    A.wb.transact(() => A.s.setCells([{ row, col, value: 3 }]), PASTE)
    A.wb.transact(() => A.s.setCells([{ row, col, value: 4 }]), CSV_IMPORT)
    A.wb.transact(() => A.s.setCells([{ row, col, value: 5 }]), FILL)
    A.undo.undo() // back to 4
    A.s.restoreValue(row, col, 2)
    sync()
    A.s.setCell(row, col, 7)
    B.s.setCell(row, col, 8)
    sync()
    const h = A.s.history.cell(row, col)
    expect(B.s.history.cell(row, col)).toEqual(h)
    const hows = h.map((x) => x.how)
    expect(hows.slice(2)).toEqual([
      'restore',
      'undo',
      'fill',
      'import',
      'paste',
      'typed',
      'inserted',
    ])
    expect(h.map((x) => x.value).slice(2)).toEqual([2, 4, 5, 4, 3, 2, 1])
    const winner = A.s.getCell(row, col)
    const top = h.slice(0, 2)
    expect(top.find((x) => x.value === winner)).toMatchObject({ current: true, lost: false })
    expect(top.find((x) => x.value !== winner)).toMatchObject({ current: false, lost: true })
    expect(h.at(-1)).toMatchObject({ by: '甲', how: 'inserted' })
  })

  it('H8 row history: inserted by whom and how (an import names its file and batch), moved, deleted, restored', () => {
    const { A, B, sync, col } = pair()
    const ids = A.wb.transact(
      () =>
        A.s.insertRowValues(
          [col],
          Array.from({ length: 3 }, (_, i) => [i]),
          {},
          { source: '五月.csv' },
        ),
      CSV_IMPORT,
    )
    sync()
    B.s.moveRows([ids[2]!], { before: ids[0]! })
    B.s.deleteRows([ids[2]!])
    B.s.restoreRows([ids[2]!])
    sync()
    const h = A.s.history.row(ids[2]!)
    expect(B.s.history.row(ids[2]!)).toEqual(h)
    expect(h.map((e) => [e.kind, e.by])).toEqual([
      ['restore', '乙'],
      ['delete', '乙'],
      ['move', '乙'],
      ['insert', '甲'],
    ])
    expect(h[3]).toMatchObject({ how: 'import', source: '五月.csv' })
    expect(h[3]!.batchId).not.toBe('')
    expect(A.s.history.row(ids[0]!).map((e) => e.kind)).toEqual(['insert'])
  })

  it('H8 an import is logged once per batch, never per cell', () => {
    const { A, col, other } = pair()
    const doc = A.wb.doc
    const logBefore = A.s.history.log().length
    const rowLogBefore = doc.getArray('rowLog').length
    A.wb.transact(
      () =>
        A.s.insertRowValues(
          [col, other],
          Array.from({ length: 1000 }, (_, i) => [i, `行${i}`]),
        ),
      CSV_IMPORT,
    )
    expect(A.s.history.log().length - logBefore).toBe(0)
    expect(doc.getArray('rowLog').length - rowLogBefore).toBe(1)
  })

  it('H9 the trash lists deleted sheets with who and when', () => {
    const { A, B, sync, sheetId } = pair()
    const second = A.wb.addSheet('第二表')
    sync()
    B.wb.deleteSheet(second)
    sync()
    expect(A.wb.history.trash().sheets).toEqual([
      { id: second, name: '第二表', by: '乙', at: expect.any(Number) },
    ])
    expect(A.wb.history.trash().sheets.some((s) => s.id === sheetId)).toBe(false)
  })
})

describe('adopting when the row is gone (issue 13)', () => {
  it('H2 a value on a row whose insert was undone is refused with a reason, nothing written', () => {
    const { A, B, sync, col } = pair()
    const [row] = A.s.insertRows([{}])
    sync()
    A.s.setCell(row!, col, 1)
    B.s.setCell(row!, col, 2)
    sync()
    A.undo.undo() // A's edit
    A.undo.undo() // A's insert: the row's record goes
    sync()
    const c = B.wb.history.unsettled().find((k) => k.rowId === row)!
    const before = Y.encodeStateVector(B.wb.doc)
    const r = B.wb.history.adopt(c)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.reason.zh).toContain('撤销')
    expect(Y.encodeStateVector(B.wb.doc)).toEqual(before)
  })
})

describe('the incremental conflict index (issue 13)', () => {
  it('H1 equals a from-scratch findConflicts after interleaved concurrent log appends (split Yjs items)', () => {
    const { A, B, sync, row, col, other } = pair()
    // Each side appends several log items while the other appends concurrently, so integrating
    // splits items each side had merged; conflicts are read between the rounds (index kept warm).
    for (let round = 0; round < 5; round++) {
      A.s.setCell(row, col, 10 + round)
      A.s.setCell(row, other, `甲${round}`)
      B.s.setCell(row, col, 20 + round)
      A.wb.history.conflicts()
      B.wb.history.conflicts()
      sync()
    }
    for (const x of [A, B]) {
      const fresh = findConflicts(x.s.history.log(), {
        winnerOf: (r, c) => x.s.index.overlayEntry(r, c)?.[1],
        deletedRows: x.s.deletedRowRemovals(),
        deletedColumns: x.s.deletedColumnRemovals(),
      })
      const ids = (list: { kind: string; lost: { editId: string } }[]) =>
        list.map((c) => `${c.kind}:${c.lost.editId}`).sort()
      expect(ids(x.s.conflicts())).toEqual(ids(fresh))
      expect(x.s.conflicts().length).toBe(5)
    }
    expect(A.wb.history.unsettled()).toEqual(B.wb.history.unsettled())
  })
})

describe('the inbox reuses what did not change (issue 13, conflict-perf)', () => {
  it('H1 entries are kept across queries, refreshed by a settlement, also one read in its own transaction', () => {
    const { A, B, sync, row, col, other } = pair()
    A.s.setCell(row, col, 101)
    B.s.setCell(row, col, 202)
    A.s.setCell(row, other, 'a')
    B.s.setCell(row, other, 'b')
    sync()
    const first = A.wb.history.unsettled()
    expect(first).toHaveLength(2)
    // Nothing changed: the same entries.
    const again = A.wb.history.unsettled()
    expect(again[0]).toBe(first[0])
    expect(again[1]).toBe(first[1])
    // Settled inside a transaction that reads the inbox before it ends: already settled there.
    A.wb.transact(() => {
      A.wb.history.keep(first[0]!)
      expect(A.wb.history.unsettled().map((c) => c.id)).toEqual([first[1]!.id])
    })
    expect(A.wb.history.unsettled().map((c) => c.id)).toEqual([first[1]!.id])
    const settled = A.wb.history.conflicts().find((c) => c.id === first[0]!.id)!
    expect(settled.settlements.map((s) => s.action)).toEqual(['keep'])
    // The other replica learns it through sync, and both inboxes agree.
    expect(B.wb.history.unsettled()).toHaveLength(2)
    sync()
    expect(B.wb.history.unsettled().map((c) => c.id)).toEqual([first[1]!.id])
    expect(A.wb.history.unsettled()).toEqual(B.wb.history.unsettled())
  })
})
