import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Workbook } from '../model/workbook.js'
import { createDemoWorkbook, DEMO_SHEETS } from './demoWorkbook.js'

describe('demo workbook', () => {
  it('builds 站点, 指标 and 地区 in Chinese with references and public figures', () => {
    const wb = Workbook.create(new Y.Doc(), { title: '' })
    const ids = createDemoWorkbook(wb)
    expect(wb.listSheets().map((s) => s.name)).toEqual([
      DEMO_SHEETS.stations,
      DEMO_SHEETS.metrics,
      DEMO_SHEETS.regions,
    ])
    expect(wb.meta().title).toBe('社工站台账（示例）')
    const stations = wb.sheet(ids.stations)
    expect(stations.rowCount()).toBe(22)
    const name = stations.columns()[0]!
    expect(stations.readRows().map((r) => r.cells[name.id])).toContain('朝歌街道社工站')
    const source = stations.columns().find((c) => c.name === '来源')!
    expect(stations.readRows().every((r) => r.cells[source.id] === '示例数据')).toBe(true)

    const metrics = wb.sheet(ids.metrics)
    const ref = metrics.columns().find((c) => c.type === 'reference')!
    expect(ref.format.refSheet).toBe(ids.stations)
    expect(metrics.rowCount()).toBe(22 * 6)
    for (const r of metrics.readRows()) expect(stations.hasRow(String(r.cells[ref.id]))).toBe(true)

    const regions = wb.sheet(ids.regions)
    const cov = regions.columns().find((c) => c.name === '覆盖率')!
    const hebei = regions.readRows()[0]!
    expect(hebei.cells[cov.id]).toBe(0.637)
  })

  it('is deterministic apart from ids', () => {
    const read = () => {
      const wb = Workbook.create(new Y.Doc(), { title: '' })
      const ids = createDemoWorkbook(wb)
      const s = wb.sheet(ids.metrics)
      const cols = s.columns().filter((c) => c.type !== 'reference')
      return s.readRows().map((r) => cols.map((c) => r.cells[c.id]))
    }
    expect(read()).toEqual(read())
  })
})
