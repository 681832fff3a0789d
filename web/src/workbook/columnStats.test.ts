import { Workbook } from '@taizhang/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { aggregateValues, BUILD_SLICE_ROWS, ColumnStats, formatAggregate } from './columnStats'

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

describe('selection stats (issue 12)', () => {
  const plain = (n: number) => n.toLocaleString('zh-CN', { maximumFractionDigits: 2 })
  it('counts non-empty cells and sums the numbers among them', () => {
    expect(aggregateValues([1, null, '', 'x', 2.5, true])).toEqual({
      count: 4,
      sum: 3.5,
      numbers: 2,
    })
  })
  it('formats the average with 2 decimals in the column type, money keeps its unit', () => {
    const values = [
      500.5, 500.87, 501.26, 499.4, 502, 500, 501, 500.3, 501.2, 500, 501, 500.6, 503.26,
    ]
    const agg = aggregateValues(values)
    const money = { type: 'money' as const, format: { unit: '万元' as const }, constraints: {} }
    const out = formatAggregate(agg, money, plain, 'zh-CN')
    expect(out.avg).toBe(`${(agg.sum / agg.numbers).toFixed(2)}万元`)
    expect(out.sum).toMatch(/万元$/)
    const ints = formatAggregate(
      aggregateValues([1, 2]),
      { type: 'integer', format: {}, constraints: {} },
      plain,
      'zh-CN',
    )
    expect(ints).toEqual({ sum: '3', avg: '1.50' })
  })
  it('takes float noise off sums and prints mixed columns as plain numbers', () => {
    const agg = aggregateValues([0.1, 0.2])
    expect(
      formatAggregate(agg, { type: 'number', format: {}, constraints: {} }, plain, 'zh-CN').sum,
    ).toBe('0.3')
    expect(formatAggregate(agg, null, plain, 'zh-CN')).toEqual({ sum: '0.3', avg: '0.15' })
    expect(formatAggregate(aggregateValues(['a']), null, plain, 'zh-CN')).toEqual({
      sum: null,
      avg: null,
    })
  })
})
