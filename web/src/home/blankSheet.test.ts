import { Workbook } from '@taizhang/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addBlankSheet, fillBlankWorkbook, isPristineSheet } from './blankSheet'

describe('addBlankSheet', () => {
  it('adds one sheet with typed name, date, quantity and notes columns in one transaction', () => {
    const doc = new Y.Doc()
    const wb = Workbook.create(doc, { title: '台账' })
    let updates = 0
    doc.on('update', () => updates++)
    const id = addBlankSheet(wb, '工作表1')
    expect(updates).toBe(1)
    expect(wb.listSheets().map((s) => s.name)).toEqual(['工作表1'])
    expect(
      wb
        .sheet(id)
        .columns()
        .map((c) => [c.name, c.type]),
    ).toEqual([
      ['名称', 'text'],
      ['日期', 'date'],
      ['数量', 'number'],
      ['备注', 'text'],
    ])
  })
})

describe('isPristineSheet', () => {
  const make = () => {
    const wb = Workbook.create(new Y.Doc(), { title: '台账' })
    return { wb, id: fillBlankWorkbook(wb) }
  }
  it("is true for a new blank workbook's sheet only", () => {
    const { wb, id } = make()
    expect(wb.listSheets().map((s) => s.name)).toEqual(['工作表1'])
    expect(isPristineSheet(wb, id)).toBe(true)
    expect(isPristineSheet(wb, null)).toBe(false)
    expect(isPristineSheet(wb, 'nope')).toBe(false)
  })
  it('is false once a row was added, even if deleted again', () => {
    const { wb, id } = make()
    const [rowId] = wb.sheet(id).insertEmptyRows(1)
    expect(isPristineSheet(wb, id)).toBe(false)
    wb.sheet(id).deleteRows([rowId!])
    expect(wb.sheet(id).rowCount()).toBe(0)
    expect(isPristineSheet(wb, id)).toBe(false)
  })
  it('is false once a column was renamed, added or deleted', () => {
    const a = make()
    const first = a.wb.sheet(a.id).columns()[0]!
    a.wb.sheet(a.id).updateColumn(first.id, { name: '姓名' })
    expect(isPristineSheet(a.wb, a.id)).toBe(false)
    const b = make()
    b.wb.sheet(b.id).addColumn({ name: '电话', type: 'text' })
    expect(isPristineSheet(b.wb, b.id)).toBe(false)
    const c = make()
    c.wb.sheet(c.id).deleteColumn(c.wb.sheet(c.id).columns()[3]!.id)
    expect(isPristineSheet(c.wb, c.id)).toBe(false)
  })
})
