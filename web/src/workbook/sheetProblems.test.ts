import { type Problem, validateSheet, Workbook } from '@taizhang/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { SheetProblems, VALIDATE_SLICE_ROWS } from './sheetProblems'

describe('SheetProblems', () => {
  it('matches a full validateSheet after edits, inserts, deletes and unique clashes', () => {
    const wb = Workbook.create(new Y.Doc(), { title: 't' })
    const sheet = wb.sheet(wb.addSheet('s'))
    const name = sheet.addColumn({ name: '名称', type: 'text', constraints: { unique: true } })
    const n = sheet.addColumn({ name: '数量', type: 'integer', constraints: { min: 0 } })
    const ids = sheet.insertRows(
      Array.from({ length: VALIDATE_SLICE_ROWS + 10 }, (_, i) => ({
        [name]: `站${i}`,
        [n]: i % 997 === 0 ? -1 : i,
      })),
    )
    const refExists = () => true
    const tasks: (() => void)[] = []
    let latest: Problem[] = []
    const sp = new SheetProblems(
      sheet,
      refExists,
      (p) => (latest = p),
      (fn) => {
        tasks.push(fn)
        return setTimeout(() => {}, 0)
      },
    )
    const off = wb.onChange((c) => {
      const sc = c.sheets.get(sheet.id)
      if (sc) sp.apply(sc)
    })
    const drain = () => {
      while (tasks.length) tasks.shift()!()
    }
    const expected = () =>
      validateSheet({
        columns: sheet.columns(),
        rows: sheet.readRows(),
        referenceExists: refExists,
      })
    const key = (ps: Problem[]) =>
      ps.map((p) => `${p.rowId}|${p.colId}|${p.rule}|${p.message.en}`).sort()
    expect(tasks.length).toBe(1)
    drain()
    expect(key(latest)).toEqual(key(expected()))
    sheet.setCell(ids[3]!, n, -5)
    sheet.setCell(ids[4]!, name, '站7')
    sheet.deleteRows([ids[1]!])
    sheet.insertRows([{ [name]: '站9', [n]: 'abc' }], { before: ids[0]! })
    drain()
    expect(key(latest)).toEqual(key(expected()))
    sheet.setCell(ids[4]!, name, '站4')
    sheet.setCell(ids[3]!, n, 3)
    drain()
    expect(key(latest)).toEqual(key(expected()))
    // A big append (an import) is validated in slices, one scheduled task each, and published
    // once: no problem list reflects half of it.
    const big = 2 * VALIDATE_SLICE_ROWS + 7
    const added = sheet.insertRows(
      Array.from({ length: big }, (_, i) => ({ [name]: `新站${i}`, [n]: i % 1013 === 0 ? -2 : i })),
    )
    let runs = 0
    let updates = 0
    const seen: Problem[][] = []
    while (tasks.length) {
      runs++
      const before = latest
      tasks.shift()!()
      if (latest !== before) {
        updates++
        seen.push(latest)
      }
    }
    expect(runs).toBeGreaterThanOrEqual(3)
    expect(updates).toBe(1)
    expect(key(seen[0]!)).toEqual(key(expected()))
    expect(seen[0]!.some((p) => p.rowId === added[0] && p.colId === n)).toBe(true)
    off()
    sp.dispose()
  })
})
