import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { prng } from '../test/relay.js'
import { Workbook } from './workbook.js'

/** What a replica shows of a sheet: visible rows in order with their cells, and the trash. */
function view(wb: Workbook, sheetId: string) {
  const s = wb.sheet(sheetId)
  return {
    order: [...s.index.orderedIds()],
    rows: s.readRows(),
    deleted: s
      .deletedRows()
      .map((d) => d.id)
      .sort(),
  }
}

/** The same doc opened from scratch: what the incrementally kept index must equal. */
function reopened(doc: Y.Doc, sheetId: string) {
  const d = new Y.Doc()
  Y.applyUpdate(d, Y.encodeStateAsUpdate(doc))
  const { workbook } = Workbook.open(d)
  return view(workbook, sheetId)
}

describe('sheet index on remote row-array changes', () => {
  it('purges (undone inserts), redos and their merge in one remote update keep the index exact', () => {
    const a = new Y.Doc()
    a.clientID = 1
    const wa = Workbook.create(a, {
      title: '测试',
      random: prng(3),
      author: { id: 'a', name: '甲' },
    })
    const sheetId = wa.addSheet('站点')
    const sa = wa.sheet(sheetId)
    const col = sa.addColumn({ name: '站点名称', type: 'text' })
    sa.insertRows([{ [col]: '一' }, { [col]: '二' }])
    const b = new Y.Doc()
    b.clientID = 2
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    const wb = Workbook.open(b, { random: prng(4), author: { id: 'b', name: '乙' } }).workbook
    // Live sync A → B, one update per transaction, until `offline` holds them back.
    let offline = false
    const held: Uint8Array[] = []
    a.on('update', (u: Uint8Array) => {
      if (offline) held.push(u)
      else Y.applyUpdate(b, u)
    })
    const undo = wa.createUndoManager()
    const check = (what: string) => {
      expect(view(wb, sheetId), what).toEqual(view(wa, sheetId))
      expect(view(wb, sheetId), what).toEqual(reopened(b, sheetId))
    }
    check('start')
    sa.insertRows([{ [col]: '三' }, { [col]: '四' }], { before: sa.index.orderedIds()[1]! })
    undo.stopCapturing()
    sa.insertRows([{ [col]: '五' }])
    undo.stopCapturing()
    check('inserts')
    undo.undo()
    check('an insert undone (its item deleted)')
    undo.undo()
    check('two inserts undone')
    undo.redo()
    check('redo re-inserts the same records')
    sa.deleteRows([sa.index.orderedIds()[0]!])
    undo.stopCapturing()
    check('a soft delete')
    // Offline: undo the soft delete and the redo, redo one, insert more; B gets it as one update.
    offline = true
    undo.undo()
    undo.undo()
    undo.redo()
    sa.insertRows([{ [col]: '六' }, { [col]: '七' }], { after: sa.index.orderedIds()[0]! })
    offline = false
    Y.applyUpdate(b, Y.mergeUpdates(held))
    check('undo, redo and inserts merged into one remote update')
    // And B's own purge travels back to A.
    b.on('update', (u: Uint8Array) => Y.applyUpdate(a, u, 'remote'))
    const undoB = wb.createUndoManager()
    wb.sheet(sheetId).insertRows([{ [col]: '八' }])
    undoB.undo()
    expect(view(wa, sheetId)).toEqual(reopened(a, sheetId))
    check('a purge from the other side')
  })
})
