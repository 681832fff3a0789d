import {
  compareDefinitions,
  compareWorkbooks,
  seededRandom,
  Workbook,
  writeDefinition,
} from '@taizhang/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { setLocale } from '../i18n'
import { definitionItems, diffItems } from './diffItems'

function setup() {
  const doc = new Y.Doc()
  const wb = Workbook.create(doc, { title: '台账', random: seededRandom(5) })
  const sheetId = wb.addSheet('站点')
  const s = wb.sheet(sheetId)
  const name = s.addColumn({ name: '站点名称', type: 'text' })
  const served = s.addColumn({ name: '服务人次', type: 'integer' })
  const rows = s.insertRows([
    { [name]: '殷行街道社工站', [served]: 1200 },
    { [name]: '五角场街道社工站', [served]: 86 },
    { [name]: '控江路街道社工站', [served]: 43 },
  ])
  const version = new Y.Doc()
  Y.applyUpdate(version, Y.encodeStateAsUpdate(doc))
  return { wb, s, sheetId, name, served, rows, version: Workbook.open(version).workbook }
}

describe('diffItems: the compare list lines', () => {
  it('names the sheet, row number and column of each changed cell, with values as the grid shows them, and where to jump', () => {
    setLocale('zh-CN')
    const { wb, s, sheetId, name, served, rows, version } = setup()
    s.setCell(rows[0]!, served, 1300)
    s.setCell(rows[2]!, name, null)
    s.deleteRows([rows[1]!])
    const items = diffItems(compareWorkbooks(version, wb), version, wb)
    expect(items.map((i) => [i.kind, i.sheetName, i.text, i.before, i.after])).toEqual([
      ['row', '站点', '删除了原第 2 行', undefined, undefined],
      ['cell', '站点', '第 1 行 · 服务人次', '1,200', '1,300'],
      ['cell', '站点', '第 2 行 · 站点名称', '控江路街道社工站', '（空）'],
    ])
    // A removed row has nowhere to jump; a cell jumps to itself.
    expect(items[0]!.jump).toBeUndefined()
    expect(items[1]!.jump).toEqual({ rowId: rows[0], colId: served })
    expect(items.every((i) => i.sheetId === sheetId)).toBe(true)
  })

  it('lists at most `max` lines, and in English reads English', () => {
    const { wb, s, served, rows, version } = setup()
    for (const [i, r] of rows.entries()) s.setCell(r, served, i)
    setLocale('en')
    try {
      const items = diffItems(compareWorkbooks(version, wb), version, wb, 2)
      expect(items.map((i) => i.text)).toEqual(['Row 1 · 服务人次', 'Row 2 · 服务人次'])
    } finally {
      setLocale('zh-CN')
    }
  })

  it('lists report definitions added, removed and changed by their title (or id), in both languages', () => {
    setLocale('zh-CN')
    const { wb, version } = setup()
    writeDefinition(version, 'summary', 's1', { title: '按站点汇总' })
    writeDefinition(version, 'chart', 'c1', { title: '服务人次趋势' })
    writeDefinition(wb, 'summary', 's1', { title: '按站点汇总', measures: ['服务人次'] })
    writeDefinition(wb, 'computed', 'k1', { name: '人均' })
    writeDefinition(wb, 'totals', 't1', { x: 'sum' })
    const items = definitionItems(compareDefinitions(version, wb))
    expect(items.map((i) => [i.kind, i.text])).toEqual([
      ['definition', '新增计算列“人均”'],
      ['definition', '汇总表“按站点汇总”有改动'],
      ['definition', '删除了图表“服务人次趋势”'],
      ['definition', '新增合计行“t1”'],
    ])
    expect(items.every((i) => i.jump === undefined)).toBe(true)
    setLocale('en')
    try {
      expect(definitionItems(compareDefinitions(version, wb))[2]!.text).toBe(
        'Chart “服务人次趋势” deleted',
      )
    } finally {
      setLocale('zh-CN')
    }
  })
})
