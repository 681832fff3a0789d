import { createDemoWorkbook, formatValue, Workbook } from '@taizhang/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { findMatches, replaceInValue } from './find'

describe('findMatches', () => {
  const wb = Workbook.create(new Y.Doc(), { title: '' })
  const ids = createDemoWorkbook(wb)
  const stations = wb.sheet(ids.stations)
  const text = (col: Parameters<typeof formatValue>[1], v: Parameters<typeof formatValue>[0]) =>
    formatValue(v, col, { locale: 'zh-CN' })

  it('lists every cell whose shown text contains the query, rows then columns in order', () => {
    const got = findMatches(wb, [ids.stations], '杨浦', text)
    // Checked cell by cell against the sheet read independently.
    const want: string[] = []
    for (const row of stations.readRows())
      for (const col of stations.columns()) {
        const v = row.cells[col.id] ?? null
        if (v !== null && String(v).includes('杨浦')) want.push(`${row.id}/${col.id}`)
      }
    expect(got.map((m) => `${m.rowId}/${m.colId}`)).toEqual(want)
    expect(got.length).toBeGreaterThan(0)
    expect(got.every((m) => m.sheetId === ids.stations)).toBe(true)
  })

  it('ignores case, matches the formatted text, and follows a given row order', () => {
    const sheet = wb.sheet(wb.addSheet('测试'))
    const name = sheet.addColumn({ name: '名称', type: 'text' })
    const share = sheet.addColumn({ name: '比例', type: 'percent' })
    const [r1, r2] = sheet.insertRows([
      { [name]: 'Alpha', [share]: 0.5 },
      { [name]: 'ALPHABET', [share]: 0.25 },
    ])
    expect(findMatches(wb, [sheet.id], 'alpha', text).map((m) => m.rowId)).toEqual([r1, r2])
    // Matching is on the shown text: "25%" matches, the stored 0.25 does not.
    expect(findMatches(wb, [sheet.id], '25%', text).map((m) => [m.rowId, m.colId])).toEqual([
      [r2, share],
    ])
    expect(findMatches(wb, [sheet.id], '0.25', text)).toEqual([])
    expect(
      findMatches(wb, [sheet.id], 'alpha', text, () => [r2!, r1!]).map((m) => m.rowId),
    ).toEqual([r2, r1])
    expect(findMatches(wb, [sheet.id], '', text)).toEqual([])
  })
})

describe('replaceInValue', () => {
  it('replaces every occurrence, in any case, keeping the rest', () => {
    expect(replaceInValue('杨浦区杨浦', '杨浦', '长宁')).toBe('长宁区长宁')
    expect(replaceInValue('Foo foo FOO', 'foo', 'x')).toBe('x x x')
  })
  it('leaves values without the text, and non-text values, alone', () => {
    expect(replaceInValue('淇县', '杨浦', '长宁')).toBeNull()
    expect(replaceInValue(42, '4', '5')).toBeNull()
    expect(replaceInValue('abc', '', 'x')).toBeNull()
  })
})
