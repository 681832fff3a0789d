import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { completenessOf, listCompletenessSettings } from '../completeness/completeness.js'
import { compileComputedColumns } from '../expr/computed.js'
import { createWorkbookScopes } from '../expr/workbookScope.js'
import { Workbook } from '../model/workbook.js'
import { listSummaries, summaryDefOf } from '../summary/store.js'
import { LiveSummary } from '../summary/summary.js'
import { DEMO_LEDGER_IDS } from './demoLedger.js'
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
    // Six months for every station, and this month (2024-07) for the nine 淇县 stations so far.
    expect(metrics.rowCount()).toBe(22 * 6 + 9)
    for (const r of metrics.readRows()) expect(stations.hasRow(String(r.cells[ref.id]))).toBe(true)

    const regions = wb.sheet(ids.regions)
    const cov = regions.columns().find((c) => c.name === '覆盖率')!
    const hebei = regions.readRows()[0]!
    expect(hebei.cells[cov.id]).toBe(0.637)
  })

  it('comes with ledger definitions that compute: summaries, cross-tab, completeness, report (issue 14)', () => {
    const wb = Workbook.create(new Y.Doc(), { title: '' })
    const ids = createDemoWorkbook(wb)
    const scopes = createWorkbookScopes(wb)
    const summaries = listSummaries(wb)
    expect(summaries.map(([id]) => id).sort()).toEqual(
      Object.values(DEMO_LEDGER_IDS)
        .filter((id) => !id.includes('chart'))
        .sort(),
    )
    for (const [, def] of summaries) {
      const r = LiveSummary.create(summaryDefOf(def), scopes.scope(def.sheetId)!)
      expect(r.ok).toBe(true)
    }
    const stations = LiveSummary.create(
      summaryDefOf(summaries.find(([id]) => id === DEMO_LEDGER_IDS.stations)![1]),
      scopes.scope(ids.stations)!,
    )
    if (!stations.ok) throw new Error('compile')
    // 22 stations: 1 + 12 in 杨浦区, 9 in 淇县.
    expect(stations.summary.table().rows.at(-1)!.values[0]).toBe(22)
    const [settings] = listCompletenessSettings(wb)
    const m = completenessOf(wb, settings!)!
    expect(m.periods.at(-1)).toBe('2024-07')
    const july = m.cells.map((row) => row.at(-1)!.status)
    expect(july.filter((s) => s === 'reported').length).toBe(7)
    expect(july.filter((s) => s === 'partial').length).toBe(2)
    expect(july.filter((s) => s === 'missing').length).toBe(13)
    const computed = compileComputedColumns(wb, scopes.scope(ids.metrics)!)
    expect(computed.map((c) => c.ok)).toEqual([true])
    scopes.dispose()
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
