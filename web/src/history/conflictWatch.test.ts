import { ROOT_SETTLEMENTS, seededRandom, Workbook } from '@taizhang/shared'
import { createRoot } from 'solid-js'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { makeConflictWatch, peekConflictWatch } from './conflictWatch'

function pair() {
  const a = new Y.Doc()
  a.clientID = 1
  const wa = Workbook.create(a, {
    title: 't',
    random: seededRandom(1),
    author: { id: 'a', name: '甲' },
  })
  const sheetId = wa.addSheet('站点')
  const col = wa.sheet(sheetId).addColumn({ name: '名称', type: 'text' })
  const [row] = wa.sheet(sheetId).insertRows([{}])
  const b = new Y.Doc()
  b.clientID = 2
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
  const wb = Workbook.open(b, { random: seededRandom(2), author: { id: 'b', name: '乙' } }).workbook
  const sync = () => {
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
  }
  return { wa, wb, sheetId, col, row: row!, sync }
}

describe('conflictWatch (issue 13)', () => {
  it('recomputes in the task of a remote update and of a settlement, not of a plain local edit; stops on the last release', () => {
    createRoot((dispose) => {
      const { wa, wb, sheetId, col, row, sync } = pair()
      const first = makeConflictWatch(wa)
      const second = makeConflictWatch(wa)
      expect(second.watch).toBe(first.watch)
      const seen: number[] = []
      first.watch.onChange((list) => seen.push(list.length))
      wa.sheet(sheetId).setCell(row, col, '甲写')
      expect(seen).toEqual([]) // a local edit cannot lose anything
      wb.sheet(sheetId).setCell(row, col, '乙写')
      sync() // the remote write arrives: one recompute in that task, one conflict
      expect(seen.at(-1)).toBe(1)
      expect(first.watch.unsettled()).toHaveLength(1)
      wa.history.keep(first.watch.unsettled()[0]!)
      expect(seen.at(-1)).toBe(0)
      expect(wa.doc.getArray(ROOT_SETTLEMENTS).length).toBe(1)
      first.release()
      expect(peekConflictWatch(wa)).toBe(first.watch)
      second.release()
      expect(peekConflictWatch(wa)).toBeUndefined()
      const count = seen.length
      wb.sheet(sheetId).setCell(row, col, '乙又写')
      sync()
      expect(seen.length).toBe(count) // stopped: no recompute after the last release
      dispose()
    })
  })
})
