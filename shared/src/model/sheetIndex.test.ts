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

/** A new workbook on its own doc (fixed client id and seed) with one sheet. */
function newWorkbook(clientId: number, seed: number, title: string, sheetName: string) {
  const doc = new Y.Doc()
  doc.clientID = clientId
  const wb = Workbook.create(doc, { title, random: prng(seed), author: { id: 'a', name: '甲' } })
  const sheetId = wb.addSheet(sheetName)
  return { doc, wb, sheetId, sheet: wb.sheet(sheetId) }
}

describe('sheet index on remote row-array changes', () => {
  it('purges (undone inserts), redos and their merge in one remote update keep the index exact', () => {
    const { doc: a, wb: wa, sheetId, sheet: sa } = newWorkbook(1, 3, '测试', '站点')
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

describe('sheet index of a big sheet opened from a stored update (records indexed lazily)', () => {
  function bigDoc() {
    const { doc: a, sheetId, sheet: sa } = newWorkbook(1, 7, '大表', '站点')
    const col = sa.addColumn({ name: '名称', type: 'text' })
    const num = sa.addColumn({ name: '人数', type: 'integer' })
    for (let b = 0; b < 3; b++) {
      sa.insertRows(Array.from({ length: 1500 }, (_, i) => ({ [col]: `行${b}-${i}`, [num]: i })))
    }
    // Out of list order: rows inserted at the top, one moved, some deleted, cells edited.
    sa.insertRows([{ [col]: '顶' }, { [col]: '顶二' }], { before: sa.index.orderedIds()[0]! })
    const ids = sa.rowIds()
    sa.moveRows([ids[4000]!], { before: ids[10]! })
    sa.deleteRows([ids[5]!, ids[2500]!])
    sa.setCell(ids[3000]!, col, '改过')
    return { a, sheetId, col }
  }

  it('reads in any order equal a fully indexed open', () => {
    const { a, sheetId } = bigDoc()
    const update = Y.encodeStateAsUpdate(a)
    const open = () => {
      const d = new Y.Doc()
      Y.applyUpdate(d, update)
      return { d, wb: Workbook.open(d).workbook }
    }
    const full = open().wb.sheet(sheetId)
    void full.index.records // indexes every record now
    const expected = { order: [...full.index.orderedIds()], rows: full.readRows() }
    expect(expected.order.length).toBe(4500)
    // The first screen first (what the app reads at open), then everything.
    const lazy = open().wb.sheet(sheetId)
    const first = lazy.rowIds().slice(0, 100)
    expect(first.map((id) => lazy.getRow(id))).toEqual(expected.rows.slice(0, 100))
    expect(lazy.rowCount()).toBe(4500)
    expect({ order: [...lazy.index.orderedIds()], rows: lazy.readRows() }).toEqual(expected)
    // A lookup of the last row, an unknown id, then positions.
    const lazy2 = open().wb.sheet(sheetId)
    const last = expected.order.at(-1)!
    expect(lazy2.getRow(last)).toEqual(expected.rows.at(-1))
    expect(lazy2.hasRow('no-such-row')).toBe(false)
    expect(lazy2.rowIndex(expected.order[1234]!)).toBe(1234)
    expect({ order: [...lazy2.index.orderedIds()], rows: lazy2.readRows() }).toEqual(expected)
  })

  it('a remote change before every record is indexed keeps the index exact', () => {
    const { a, sheetId, col } = bigDoc()
    const b = new Y.Doc()
    b.clientID = 2
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    const wb = Workbook.open(b).workbook
    const sb = wb.sheet(sheetId)
    // Only the first rows are looked up, as at first paint.
    for (const id of sb.rowIds().slice(0, 50)) sb.getRow(id)
    a.on('update', (u: Uint8Array) => Y.applyUpdate(b, u))
    const wa = Workbook.open(a).workbook
    const sa = wa.sheet(sheetId)
    const ids = sa.rowIds()
    sa.setCell(ids[4400]!, col, '远程')
    sa.insertRows([{ [col]: '远程新行' }], { after: ids[3]! })
    sa.deleteRows([ids[4100]!])
    sa.moveRows([ids[4200]!], { before: ids[0]! })
    const shown = { order: [...sb.index.orderedIds()], rows: sb.readRows() }
    expect(shown).toEqual({ order: [...sa.index.orderedIds()], rows: sa.readRows() })
    const r = reopened(b, sheetId)
    expect(shown).toEqual({ order: r.order, rows: r.rows })
  })
})

describe('sheet index on concurrent deletes of one row', () => {
  it('reports the row removed once, and restored once, however many replicas deleted it', () => {
    const { doc: a, sheetId, sheet: sa } = newWorkbook(1, 5, '测试', '站点')
    const col = sa.addColumn({ name: '站点名称', type: 'text' })
    const [keep, gone] = sa.insertRows([{ [col]: '一' }, { [col]: '二' }])
    const b = new Y.Doc()
    b.clientID = 2
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    const wb = Workbook.open(b, { random: prng(6), author: { id: 'b', name: '乙' } }).workbook
    const c = new Y.Doc()
    c.clientID = 3
    Y.applyUpdate(c, Y.encodeStateAsUpdate(a))
    const wc = Workbook.open(c, { random: prng(7), author: { id: 'c', name: '丙' } }).workbook
    expect(wc.sheet(sheetId).index.orderedIds()).toEqual([keep, gone]) // indexed, as a grid reads it
    const removed: string[][] = []
    const added: string[][] = []
    wc.onChange((ch) => {
      const s = ch.sheets.get(sheetId)
      if (s && s.removed.size > 0) removed.push([...s.removed])
      if (s && s.added.size > 0) added.push([...s.added])
    })
    // A and B delete the same row while apart; C receives both deletions, one after the other.
    const fromA = Y.encodeStateAsUpdate(a)
    sa.deleteRows([gone!])
    const delA = Y.encodeStateAsUpdate(a, Y.encodeStateVectorFromUpdate(fromA))
    wb.sheet(sheetId).deleteRows([gone!])
    const delB = Y.encodeStateAsUpdate(b, Y.encodeStateVectorFromUpdate(fromA))
    Y.applyUpdate(c, delA)
    Y.applyUpdate(c, delB)
    expect(removed).toEqual([[gone]])
    expect(wc.sheet(sheetId).index.orderedIds()).toEqual([keep])
    // The second deletion reaching B (which already deleted it) reports nothing either.
    Y.applyUpdate(b, delA)
    expect(wb.sheet(sheetId).index.orderedIds()).toEqual([keep])
    // A restore removes every tombstone of the row: it becomes visible once.
    wc.sheet(sheetId).restoreRows([gone!])
    expect(added).toEqual([[gone]])
    expect(wc.sheet(sheetId).index.orderedIds()).toEqual([keep, gone])
  })
})
