import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { seededRandom } from './ids.js'
import { CSV_IMPORT, CSV_STAGE } from './origins.js'
import type { WorkbookChange } from './types.js'
import { Workbook } from './workbook.js'

function setup() {
  const doc = new Y.Doc()
  doc.clientID = 1
  const wb = Workbook.create(doc, { title: '台账', random: seededRandom(9) })
  const sheetId = wb.addSheet('站点')
  const s = wb.sheet(sheetId)
  const col = s.addColumn({ name: '站点名称', type: 'text' })
  s.insertRows([{ [col]: '甲' }])
  return { doc, wb, sheetId, s, col }
}

describe('staged batches: the sheet index and the change feed', () => {
  it('staged rows are in no read and no change; the publish reports them added, its undo removed', () => {
    const { wb, sheetId, s, col } = setup()
    const changes: WorkbookChange[] = []
    wb.onChange((c) => changes.push(c))
    const undo = wb.createUndoManager()
    const values = Array.from({ length: 300 }, (_, i) => [`行${i}`])
    const st = s.beginStagedInsert(values, 1)
    while (st.written < st.total) s.stageRows(st, values, 128)
    expect(st.rowIds).toHaveLength(300)
    expect(s.rowCount()).toBe(1)
    expect(s.getRow(st.rowIds[0]!)).toBeUndefined()
    expect(s.getAnyRow(st.rowIds[0]!)).toBeUndefined()
    expect(changes.map((c) => c.origin)).toEqual([CSV_STAGE, CSV_STAGE, CSV_STAGE])
    for (const c of changes) {
      const sc = c.sheets.get(sheetId)!
      expect([sc.added.size, sc.removed.size, sc.order]).toEqual([0, 0, false])
    }
    changes.length = 0
    wb.transact(() => s.publishStaged(st, [col]), CSV_IMPORT)
    expect(s.rowIds().slice(1)).toEqual(st.rowIds)
    expect(s.getRow(st.rowIds[299]!)?.cells).toEqual({ [col]: '行299' })
    expect([...changes[0]!.sheets.get(sheetId)!.added]).toEqual(st.rowIds)
    changes.length = 0
    undo.undo()
    expect(s.rowCount()).toBe(1)
    expect([...changes[0]!.sheets.get(sheetId)!.removed].sort()).toEqual([...st.rowIds].sort())
    undo.redo()
    expect(s.rowIds().slice(1)).toEqual(st.rowIds)
    // Ordinary inserts and their undo/redo still work around the staged batch.
    const [r] = s.insertRows([{ [col]: '乙' }])
    undo.undo()
    expect(s.hasRow(r!)).toBe(false)
    undo.redo()
    expect(s.getRow(r!)?.cells).toEqual({ [col]: '乙' })
    expect(s.rowCount()).toBe(302)
  })

  it('a listener subscribed while a change is delivered does not get that change (it read the state after it)', () => {
    const { wb, s, col } = setup()
    const late: WorkbookChange[] = []
    let off = null as (() => void) | null
    const offFirst = wb.onChange(() => {
      off ??= wb.onChange((c) => late.push(c))
    })
    s.insertRows([{ [col]: '乙' }])
    expect(late).toHaveLength(0)
    s.insertRows([{ [col]: '丙' }])
    expect(late).toHaveLength(1)
    // One removed while a change is delivered is not called with it.
    const calls: string[] = []
    let offB: () => void = () => undefined
    wb.onChange(() => {
      calls.push('a')
      offB()
    })
    offB = wb.onChange(() => calls.push('b'))
    offFirst()
    off?.()
    s.insertRows([{ [col]: '丁' }])
    expect(calls).toEqual(['a'])
  })
})
