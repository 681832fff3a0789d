import { type Problem, Workbook } from '@taizhang/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  countProblems,
  groupProblems,
  type ProblemsBySheet,
  WorkbookProblems,
} from './workbookProblems'

describe('WorkbookProblems', () => {
  it('counts and groups the problems of every sheet, following sheets as they come and go', () => {
    const wb = Workbook.create(new Y.Doc(), { title: 't' })
    const a = wb.sheet(wb.addSheet('站点'))
    const qty = a.addColumn({ name: '数量', type: 'integer', constraints: { min: 0 } })
    a.insertRows([{ [qty]: -1 }, { [qty]: 2 }])
    const b = wb.sheet(wb.addSheet('指标'))
    const must = b.addColumn({ name: '名称', type: 'text', constraints: { required: true } })
    b.insertRows([{ [must]: null }, { [must]: null }])
    const tasks: (() => void)[] = []
    const drain = () => {
      while (tasks.length) tasks.shift()!()
    }
    let latest: ProblemsBySheet = new Map()
    const wp = new WorkbookProblems(
      wb,
      (m) => (latest = m),
      (fn) => {
        tasks.push(fn)
        return setTimeout(() => {}, 0)
      },
    )
    const off = wb.onChange((c) => wp.apply(c))
    drain()
    expect(countProblems(latest)).toBe(3)
    expect(groupProblems(wb, latest).map((g) => [g.name, g.problems.length])).toEqual([
      ['站点', 1],
      ['指标', 2],
    ])
    // A sheet added later is validated too; a deleted one drops out.
    const c = wb.sheet(wb.addSheet('地区'))
    const pct = c.addColumn({ name: '覆盖率', type: 'percent', constraints: { max: 1 } })
    c.insertRows([{ [pct]: 2 }])
    drain()
    expect(groupProblems(wb, latest).map((g) => g.name)).toEqual(['站点', '指标', '地区'])
    wb.deleteSheet(b.id)
    drain()
    expect(countProblems(latest)).toBe(2)
    // An edit on a sheet not on screen updates its problems.
    a.setCell(a.rowIds()[0]!, qty, 5)
    drain()
    expect(groupProblems(wb, latest).map((g) => g.name)).toEqual(['地区'])
    const all: Problem[] = [...latest.values()].flat()
    expect(all.every((p) => p.rowId.length > 0)).toBe(true)
    off()
    wp.dispose()
  })
})
