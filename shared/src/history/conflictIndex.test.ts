import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { logIds } from '../attest/editIds.js'
import type { LogRecord } from '../model/types.js'
import { Workbook } from '../model/workbook.js'
import { prng, syncAll } from '../test/relay.js'
import { ConflictIndexBuild } from './conflictIndex.js'

/**
 * Three replicas racing on one sheet (same-cell writes, edits into rows and a column deleted
 * meanwhile), seeded: a log with conflicts of every kind, in the interleaved Yjs items a real
 * merge produces.
 */
function racedWorkbooks(seed: number) {
  const rand = prng(seed)
  let t = 1_700_000_000_000
  const docs = [1, 2, 3].map((id) => {
    const d = new Y.Doc()
    d.clientID = id
    return d
  })
  const w0 = Workbook.create(docs[0]!, {
    title: '台账',
    random: prng(seed + 1),
    author: { id: 'u0', name: '甲' },
    now: () => (t += 1000),
  })
  const sheetId = w0.addSheet('站点')
  const s0 = w0.sheet(sheetId)
  const cols = ['站点名称', '服务人次', '备注', '地址'].map((name) =>
    s0.addColumn({ name, type: 'text' }),
  )
  s0.insertRows(Array.from({ length: 12 }, (_, i) => ({ [cols[0]!]: `站${i}` })))
  syncAll(...docs)
  const wbs = [
    w0,
    ...docs.slice(1).map(
      (d, i) =>
        Workbook.open(d, {
          random: prng(seed + 2 + i),
          author: { id: `u${i + 1}`, name: ['乙', '丙'][i]! },
          now: () => (t += 1000),
        }).workbook,
    ),
  ]
  for (let round = 0; round < 8; round++) {
    for (const [k, wb] of wbs.entries()) {
      const s = wb.sheet(sheetId)
      const rows = s.rowIds()
      for (let i = 0; i < 6; i++) {
        const row = rows[Math.floor(rand() * Math.min(rows.length, 6))]!
        const col = cols[Math.floor(rand() * 3)]!
        if (s.column(col)) s.setCell(row, col, `${k}-${round}-${i}`)
      }
      if (round === 3 && k === 1 && rows.length > 8) s.deleteRows([rows[2]!])
    }
    if (round === 6) wbs[2]!.sheet(sheetId).deleteColumn(cols[2]!)
    // Sync all but the third replica most rounds, so its writes stay concurrent longer.
    if (round % 3 === 2) syncAll(...docs)
    else syncAll(docs[0]!, docs[1]!)
  }
  syncAll(...docs)
  return { wb: wbs[0]!, sheetId }
}

function inputsOf(wb: Workbook, sheetId: string) {
  const s = wb.sheet(sheetId)
  return {
    winnerOf: (r: string, c: string) => s.index.overlayEntry(r, c)?.[1],
    deletedRows: s.deletedRowRemovals(),
    deletedColumns: s.deletedColumnRemovals(),
  }
}

const records = (wb: Workbook, sheetId: string) =>
  (wb.doc.getMap('history').get(sheetId) as Y.Array<LogRecord>).toArray()

describe('building the conflict index in slices (issue 13, conflict-perf)', () => {
  it('H1 a sliced build gives the same conflicts as the one-shot build, for any slice size', () => {
    for (const seed of [1, 2, 3]) {
      const { wb, sheetId } = racedWorkbooks(seed)
      const log = records(wb, sheetId)
      const oneShot = new ConflictIndexBuild(log)
      expect(oneShot.step(Number.POSITIVE_INFINITY)).toBe(true)
      const expected = oneShot.index.conflicts(inputsOf(wb, sheetId))
      // All three kinds occur, so every path of the query is compared.
      expect(new Set(expected.map((c) => c.kind))).toEqual(
        new Set(['concurrent-edit', 'edit-on-deleted-row', 'fill-of-deleted-column']),
      )
      for (const size of [1, 2, 7, 50]) {
        const sliced = new ConflictIndexBuild(log)
        let steps = 1
        while (!sliced.step(size)) steps++
        expect(steps).toBe(Math.max(1, Math.ceil(log.length / size)))
        expect(sliced.index.conflicts(inputsOf(wb, sheetId)), `seed ${seed} size ${size}`).toEqual(
          expected,
        )
      }
    }
  })

  it('H1 a sheet whose index is built in slices while remote records arrive equals a fresh one-shot read', () => {
    const { wb, sheetId } = racedWorkbooks(4)
    // Another replica keeps writing; its updates land between the slices.
    const other = new Y.Doc()
    other.clientID = 9
    Y.applyUpdate(other, Y.encodeStateAsUpdate(wb.doc))
    const ow = Workbook.open(other, { random: prng(40), author: { id: 'u9', name: '丁' } }).workbook
    const os = ow.sheet(sheetId)
    const hist = wb.sheet(sheetId).history
    let i = 0
    while (!hist.buildConflictIndex(3)) {
      const rows = os.rowIds()
      os.setCell(rows[i % 4]!, os.columns()[0]!.id, `丁${i}`)
      // Same-cell race with this replica, so new conflicts arrive mid-build too.
      wb.sheet(sheetId).setCell(rows[i % 4]!, os.columns()[0]!.id, `甲${i}`)
      syncAll(wb.doc, other)
      i++
    }
    expect(i).toBeGreaterThan(3)
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(wb.doc))
    const fresh = Workbook.open(copy, { author: { id: 'x', name: '戊' } }).workbook
    const expected = fresh.sheet(sheetId).conflicts()
    // Races made during the build are in it.
    expect(expected.filter((c) => /^[丁甲]\d/.test(String(c.lost.value))).length).toBeGreaterThan(2)
    expect(wb.sheet(sheetId).conflicts()).toEqual(expected)
  })
})

describe('querying the conflict index again after changes (issue 13, conflict-perf)', () => {
  it('H1 each query equals a fresh replica first query: new races, an undo that changes a winner, rows and a column deleted and restored', () => {
    const rand = prng(77)
    let t = 1_700_000_000_000
    const a = new Y.Doc()
    a.clientID = 1
    const wa = Workbook.create(a, {
      title: '台账',
      random: prng(5),
      author: { id: 'a', name: '甲' },
      now: () => (t += 1000),
    })
    const sheetId = wa.addSheet('站点')
    const sa = wa.sheet(sheetId)
    const cols = ['名称', '人次', '备注'].map((name) => sa.addColumn({ name, type: 'text' }))
    sa.insertRows(Array.from({ length: 6 }, (_, i) => ({ [cols[0]!]: `站${i}` })))
    const b = new Y.Doc()
    b.clientID = 2
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    const wb = Workbook.open(b, {
      random: prng(6),
      author: { id: 'b', name: '乙' },
      now: () => (t += 1000),
    }).workbook
    const sb = wb.sheet(sheetId)
    // 乙 (client 2) wins same-cell races: its undo changes the cell's winner.
    const undoB = wb.createUndoManager()
    // The reference: a fresh replica of the same state, whose index answers its first query.
    const check = (step: string) => {
      for (const s of [sa, sb]) {
        const copy = new Y.Doc()
        Y.applyUpdate(copy, Y.encodeStateAsUpdate(s === sa ? a : b))
        const fresh = Workbook.open(copy, { author: { id: 'x', name: '戊' } }).workbook
        expect(s.conflicts(), step).toEqual(fresh.sheet(sheetId).conflicts())
      }
    }
    const race = (round: number) => {
      const rows = sa.rowIds()
      for (let i = 0; i < 4; i++) {
        const row = rows[Math.floor(rand() * rows.length)]!
        const col = cols[Math.floor(rand() * 2)]!
        sa.setCell(row, col, `甲${round}-${i}`)
        sb.setCell(row, col, `乙${round}-${i}`)
      }
    }
    for (let round = 0; round < 6; round++) {
      race(round)
      syncAll(a, b)
      check(`race ${round}`)
      // 乙 undoes its winning edits: the cells' winners change with no new entry in that
      // transaction (the undo notes come after and are not entries of the index).
      undoB.undo()
      check(`undo ${round}`)
      syncAll(a, b)
      check(`undo synced ${round}`)
    }
    // A late write that loses to a cell's current winner: the cell gains an entry, its winner
    // stays the same.
    const row = sa.rowIds()[1]!
    sa.setCell(row, cols[1]!, '甲先')
    sb.setCell(row, cols[1]!, '乙先')
    syncAll(a, b)
    check('race')
    sb.setCell(row, cols[1]!, '乙又写')
    check('乙 wrote again')
    sa.setCell(row, cols[1]!, '甲没看到乙又写')
    syncAll(a, b)
    check('late loser arrived')
    // The same while the row is deleted: restored, the loser that came meanwhile counts.
    sb.setCell(row, cols[1]!, '乙再写')
    check('乙 wrote once more')
    sa.setCell(row, cols[1]!, '甲在删除前写')
    sa.deleteRows([row])
    syncAll(a, b)
    check('row deleted')
    sa.restoreRows([row])
    syncAll(a, b)
    check('row restored')
    sb.setCell(sb.rowIds()[0]!, cols[2]!, '乙填备注')
    sa.deleteColumn(cols[2]!)
    syncAll(a, b)
    check('column deleted')
    sa.restoreColumn(cols[2]!)
    syncAll(a, b)
    check('column restored')
    expect(sa.conflicts().length).toBeGreaterThan(6)
  })
})

describe('log ids kept up to date (issue 13, conflict-perf)', () => {
  it('logIdOf equals a fresh walk (logIds) for every edit, after more local and remote edits', () => {
    const { wb, sheetId } = racedWorkbooks(5)
    const hist = wb.sheet(sheetId).history
    const first = logIds(wb.doc, sheetId)
    for (const [editId, id] of first) expect(hist.logIdOf(editId)).toEqual(id)
    // Later edits, local and from another replica (merged into the same items or not).
    const other = new Y.Doc()
    other.clientID = 8
    Y.applyUpdate(other, Y.encodeStateAsUpdate(wb.doc))
    const ow = Workbook.open(other, { random: prng(50), author: { id: 'u8', name: '庚' } }).workbook
    const s = wb.sheet(sheetId)
    for (let i = 0; i < 5; i++) {
      const rows = s.rowIds()
      s.setCell(rows[i]!, s.columns()[0]!.id, `本地${i}`)
      ow.sheet(sheetId).setCell(rows[i + 1]!, s.columns()[0]!.id, `远程${i}`)
      syncAll(wb.doc, other)
    }
    const now = logIds(wb.doc, sheetId)
    expect(now.size).toBeGreaterThan(first.size + 9)
    for (const [editId, id] of now) expect(hist.logIdOf(editId), editId).toEqual(id)
  })
})
