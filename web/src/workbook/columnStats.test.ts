import { Workbook } from '@taizhang/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { BUILD_SLICE_ROWS, ColumnStats } from './columnStats'

function setup(n: number) {
  const wb = Workbook.create(new Y.Doc(), { title: 't' })
  const sheet = wb.sheet(wb.addSheet('s'))
  const num = sheet.addColumn({ name: 'n', type: 'number' })
  const ids = sheet.insertRows(
    Array.from({ length: n }, (_, i) => ({ [num]: i % 3 === 0 ? null : i })),
  )
  return { wb, sheet, num, ids }
}

function full(sheet: ReturnType<typeof setup>['sheet'], col: string) {
  let count = 0
  let sum = 0
  let numbers = 0
  for (const id of sheet.rowIds()) {
    const v = sheet.getCell(id, col)
    if (v === null || v === '') continue
    count++
    if (typeof v === 'number') {
      sum += v
      numbers++
    }
  }
  return { count, sum, numbers }
}

describe('ColumnStats', () => {
  it('builds in slices, then follows edits, inserts and deletes without a full pass', () => {
    const n = BUILD_SLICE_ROWS * 2 + 5
    const { wb, sheet, num, ids } = setup(n)
    const slices: (() => void)[] = []
    let updates = 0
    const cs = new ColumnStats(
      sheet,
      num,
      () => updates++,
      (fn) => {
        slices.push(fn)
        return setTimeout(() => {}, 0)
      },
    )
    expect(cs.ready()).toBe(false)
    // An edit while building is not lost.
    const off = wb.onChange((c) => {
      const sc = c.sheets.get(sheet.id)
      if (sc) cs.apply(sc)
    })
    sheet.setCell(ids[1]!, num, 1000)
    while (slices.length) slices.shift()!()
    expect(cs.ready()).toBe(true)
    expect(cs.value()).toEqual(full(sheet, num))
    sheet.setCell(ids[0]!, num, 7)
    sheet.setCell(ids[2]!, num, 'x')
    sheet.setCell(ids[4]!, num, null)
    sheet.deleteRows([ids[5]!, ids[7]!])
    sheet.insertRows([{ [num]: 11 }, { [num]: null }])
    expect(cs.value()).toEqual(full(sheet, num))
    expect(updates).toBeGreaterThan(1)
    off()
    cs.dispose()
  })
})
