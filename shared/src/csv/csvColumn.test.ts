import { describe, expect, it } from 'vitest'
import { CsvColumnData, ownString } from './csvColumn.js'
import { addedRow, addedValue, planImport } from './importPlan.js'
import { suggestMapping } from './mapping.js'
import { parseCsvText } from './parseCsv.js'

describe('CsvColumnData (how a parsed CSV holds its cells)', () => {
  it('keeps each distinct string once and gives every row its value back', () => {
    const col = new CsvColumnData()
    const input = ['杨浦区', '', '淇县', '杨浦区', '杨浦区', '运河区', '']
    for (const s of input) col.push(s)
    expect(input.map((_, r) => col.get(r))).toEqual(input)
    const dict = col.dictionary()!
    expect(dict.values).toEqual(['', '杨浦区', '淇县', '运河区'])
    expect([...dict.codes.subarray(0, input.length)]).toEqual([1, 0, 2, 1, 1, 3, 0])
  })

  it('a column of mostly distinct values (notes, ids) drops its dictionary and stays exact', () => {
    const col = new CsvColumnData()
    const n = 10_000
    for (let r = 0; r < n; r++) col.push(r % 10 === 0 ? '同' : `备注${r}：${'长'.repeat(r % 20)}`)
    expect(col.dictionary()).toBeUndefined()
    expect(col.distinctCount()).toBe(n)
    for (let r = 0; r < n; r++)
      expect(col.get(r)).toBe(r % 10 === 0 ? '同' : `备注${r}：${'长'.repeat(r % 20)}`)
  })

  it('codes widen from one byte to two and four as the dictionary grows, every row staying exact', () => {
    const col = new CsvColumnData()
    const value = (r: number) => `值${Math.floor(r / 3)}` // each value three times: a dictionary
    const n = 3 * 70_000
    const widths: number[] = []
    for (let r = 0; r < n; r++) {
      col.push(value(r))
      const w = col.dictionary()!.codes.BYTES_PER_ELEMENT
      if (widths.at(-1) !== w) widths.push(w)
    }
    expect(widths).toEqual([1, 2, 4])
    expect(col.distinctCount()).toBe(70_001)
    for (let r = 0; r < n; r += 997) expect(col.get(r)).toBe(value(r))
    expect(col.get(n - 1)).toBe(value(n - 1))
  })

  it('a column added by a ragged row starts with empty cells', () => {
    const col = new CsvColumnData(3)
    col.push('x')
    expect([0, 1, 2, 3].map((r) => col.get(r))).toEqual(['', '', '', 'x'])
  })

  it('ownString returns an equal string', () => {
    const long = '上海市杨浦区殷行路123号社区服务中心二楼'.repeat(3)
    const chunk = `前缀,${long},后缀`
    const field = chunk.slice(3, 3 + long.length)
    expect(ownString(field)).toBe(long)
    expect(ownString('短')).toBe('短')
  })

  it('tables read through the columns equal their rows; a plain column plans like a dictionary one', () => {
    const lines = ['名称,数量,备注']
    for (let i = 0; i < 9000; i++)
      lines.push(`站${i % 7},${i % 50 === 0 ? 'x' : i},"说明 ${i}, 第${i}行"`)
    const r = parseCsvText(lines.join('\n'))
    if (!r.ok) throw new Error('parse')
    const t = r.table
    expect(t.rowCount).toBe(9000)
    expect(t.data[0]!.dictionary()).toBeDefined()
    expect(t.data[2]!.dictionary()).toBeUndefined()
    expect(t.rows[8999]).toEqual(['站4', '8999', '说明 8999, 第8999行'])
    const mapping = suggestMapping(t, [])
    const p = planImport(t, mapping, undefined, { mode: 'append', onMisfit: 'text' })
    if (!p.ok) throw new Error('plan')
    expect(p.plan.adds.count).toBe(9000)
    expect(p.plan.adds.columns.map((c) => c.kind)).toEqual(['dict', 'values', 'values'])
    expect(addedRow(p.plan.adds, 8999)).toEqual(['站4', 8999, '说明 8999, 第8999行'])
    expect(addedValue(p.plan.adds, 50, 1)).toBe('x')
    expect(p.plan.misfits[0]!.count).toBe(180)
    expect(p.plan.misfits[0]!.examples.map((e) => e.line)).toEqual([2, 52, 102, 152, 202])
  })
})
