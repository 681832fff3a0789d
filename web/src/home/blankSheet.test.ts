import { Workbook } from '@taizhang/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addBlankSheet } from './blankSheet'

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
