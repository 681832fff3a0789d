import { createWorkbookScopes, LiveSummary, Workbook } from '@taizhang/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { chartData, chartOption } from './chartOption'

describe('chart options from a summary', () => {
  it('two keys: categories × one series per second key, stacked; pie totals per category', () => {
    const wb = Workbook.create(new Y.Doc(), { title: 't' })
    const s = wb.sheet(wb.addSheet('指标'))
    const d = s.addColumn({ name: '区县', type: 'text' })
    const p = s.addColumn({ name: '期间', type: 'period' })
    const v = s.addColumn({ name: '服务人次', type: 'integer' })
    s.insertRows([
      { [d]: '淇县', [p]: '2024-07', [v]: 5 },
      { [d]: '淇县', [p]: '2024-08', [v]: 7 },
      { [d]: '杨浦区', [p]: '2024-07', [v]: 3 },
    ])
    const r = LiveSummary.create(
      {
        title: 'x',
        sheetId: s.id,
        groupBy: ['区县', '期间'],
        measures: [{ kind: 'sum', expr: '服务人次' }],
      },
      createWorkbookScopes(wb).scope(s.id)!,
    )
    if (!r.ok) throw new Error('compile')
    const data = chartData('服务人次', r.summary.table(), r.summary.crossTab(), 'zh-CN')
    expect(data.categories).toEqual(['淇县', '杨浦区'])
    expect(data.series).toEqual([
      { name: '2024年7月', data: [5, 3] },
      { name: '2024年8月', data: [7, 0] },
    ])
    const stacked = chartOption('stacked', data) as { series: { stack?: string; type: string }[] }
    expect(stacked.series.every((x) => x.stack === 'total' && x.type === 'bar')).toBe(true)
    const pie = chartOption('pie', data) as {
      series: { data: { name: string; value: number }[] }[]
    }
    expect(pie.series[0]!.data).toEqual([
      { name: '淇县', value: 12 },
      { name: '杨浦区', value: 3 },
    ])
  })
})
