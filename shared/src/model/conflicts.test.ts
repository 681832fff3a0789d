import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { prng } from '../test/relay.js'
import { Workbook } from './workbook.js'

/** Two replicas of one sheet with one empty row, each with its own undo manager. */
function pair(clientA: number, clientB: number) {
  const a = new Y.Doc()
  a.clientID = clientA
  const wa = Workbook.create(a, { title: '台账', random: prng(1), author: { id: 'a', name: '甲' } })
  const sheetId = wa.addSheet('站点')
  const col = wa.sheet(sheetId).addColumn({ name: '名称', type: 'text' })
  const [row] = wa.sheet(sheetId).insertRows([{}])
  const b = new Y.Doc()
  b.clientID = clientB
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
  const wb = Workbook.open(b, { random: prng(2), author: { id: 'b', name: '乙' } }).workbook
  const sync = () => {
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
  }
  const sides = [
    { wb: wa, undo: wa.createUndoManager(), s: wa.sheet(sheetId) },
    { wb: wb, undo: wb.createUndoManager(), s: wb.sheet(sheetId) },
  ]
  return { sides, sync, row: row!, col }
}

describe('conflicts() when the winning write is undone by its author', () => {
  // Found by the chaos run (seed 505679): a paste's acknowledged first writes vanished with the
  // cell left empty and no conflict record, because a concurrent write that won was then undone.
  for (const [ca, cb] of [
    [1, 2],
    [2, 1],
  ] as const) {
    for (const before of [null, '原值']) {
      it(`the other write stays in the record (clients ${ca}/${cb}, cell ${before ?? 'empty'} before)`, () => {
        const { sides, sync, row, col } = pair(ca, cb)
        if (before !== null) {
          sides[0]!.s.setCell(row, col, before)
          sync()
          for (const x of sides) x.undo.clear()
        }
        sides[0]!.s.setCell(row, col, '甲的值')
        sides[1]!.s.setCell(row, col, '乙的值')
        sync()
        const winner = sides[0]!.s.getCell(row, col)
        const w = winner === '甲的值' ? sides[0]! : sides[1]!
        const loserValue = winner === '甲的值' ? '乙的值' : '甲的值'
        w.undo.undo()
        sync()
        // Yjs leaves the cell empty here even when it held a value before: the undone write's
        // item goes, and the one it overwrote is not brought back over the concurrent write.
        for (const x of sides) {
          expect(x.s.getCell(row, col)).toBe(sides[0]!.s.getCell(row, col))
          expect(x.s.getCell(row, col)).not.toBe(loserValue)
          const lost = x.s.conflicts().filter((c) => c.kind === 'concurrent-edit')
          expect(lost.map((c) => c.lost.value)).toContain(loserValue)
        }
      })
    }
  }

  it('an undone write that raced with nothing is still not a conflict', () => {
    const { sides, sync, row, col } = pair(1, 2)
    sides[0]!.s.setCell(row, col, '甲的值')
    sync()
    sides[0]!.undo.undo()
    sync()
    for (const x of sides) expect(x.s.conflicts()).toEqual([])
  })
})
