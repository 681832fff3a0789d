import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createWorkbookScopes } from '../expr/workbookScope.js'
import { seededRandom } from '../model/ids.js'
import { Workbook } from '../model/workbook.js'
import type { CellValue } from '../schema/columnTypes.js'
import { crossTabToCsv, summaryToCsv } from './exportSummary.js'
import { listSummaries, saveSummary } from './store.js'
import { LiveSummary, type SummaryDef } from './summary.js'

function ledger(opts: { random?: () => number } = {}) {
  const wb = Workbook.create(new Y.Doc(), { title: 't', random: opts.random })
  const st = wb.sheet(wb.addSheet('站点'))
  const name = st.addColumn({ name: '站点名称', type: 'text' })
  const district = st.addColumn({ name: '区县', type: 'text' })
  const stations = st.insertRows([
    { [name]: '朝歌街道社工站', [district]: '淇县' },
    { [name]: '桥盟街道社工站', [district]: '淇县' },
    { [name]: '殷行街道社工站', [district]: '杨浦区' },
  ])
  const m = wb.sheet(wb.addSheet('指标'))
  const c = {
    station: m.addColumn({
      name: '站点',
      type: 'reference',
      format: { refSheet: st.id, refColumn: name },
    }),
    period: m.addColumn({ name: '期间', type: 'period', format: { granularity: 'month' } }),
    served: m.addColumn({ name: '服务人次', type: 'integer' }),
    yuan: m.addColumn({ name: '资金（元）', type: 'money', format: { unit: '元' } }),
    wan: m.addColumn({ name: '资金（万元）', type: 'money', format: { unit: '万元' } }),
  }
  const scopes = createWorkbookScopes(wb)
  return { wb, st, m, c, stations, district, scope: scopes.scope(m.id)! }
}

const row = (
  c: ReturnType<typeof ledger>['c'],
  station: string,
  period: string,
  served: CellValue,
  yuan: CellValue = null,
  wan: CellValue = null,
) => ({
  [c.station]: station,
  [c.period]: period,
  [c.served]: served,
  [c.yuan]: yuan,
  [c.wan]: wan,
})

function make(def: SummaryDef, scope: ReturnType<typeof ledger>['scope']) {
  const r = LiveSummary.create(def, scope)
  if (!r.ok) throw new Error(r.error.message.en)
  return r.summary
}

describe('summary tables', () => {
  it('groups through a reference with every aggregate, subtotals and a grand total', () => {
    const { m, c, stations, scope } = ledger()
    const [a, b, y] = stations as [string, string, string]
    m.insertRows([
      row(c, a, '2024-07', 100),
      row(c, b, '2024-07', 50),
      row(c, a, '2024-08', null),
      row(c, y, '2024-07', 30),
      row(c, y, '2024-08', 70),
    ])
    const s = make(
      {
        title: 't',
        sheetId: m.id,
        groupBy: ['站点.区县', '期间'],
        measures: [
          { kind: 'sum', expr: '服务人次' },
          { kind: 'avg', expr: '服务人次' },
          { kind: 'count', expr: '服务人次' },
          { kind: 'distinct', expr: '站点' },
          { kind: 'min', expr: '服务人次' },
          { kind: 'max', expr: '服务人次' },
          { kind: 'share', where: '服务人次 >= 60' },
          { kind: 'count' },
        ],
      },
      scope,
    )
    const t = s.table()
    expect(t.rows.map((r) => [r.level, ...r.keys, ...r.values])).toEqual([
      // Text keys in pinyin order (淇 qí before 杨 yáng), periods chronologically.
      [0, '淇县', '2024-07', 150, 75, 2, 2, 50, 100, 0.5, 2],
      // Blank 服务人次: sum 0, average/min/max blank, counted as a row but not as a value.
      [0, '淇县', '2024-08', 0, null, 0, 1, null, null, 0, 1],
      [1, '淇县', 150, 75, 2, 2, 50, 100, 1 / 3, 3],
      [0, '杨浦区', '2024-07', 30, 30, 1, 1, 30, 30, 0, 1],
      [0, '杨浦区', '2024-08', 70, 70, 1, 1, 70, 70, 1, 1],
      [1, '杨浦区', 100, 50, 2, 1, 30, 70, 0.5, 2],
      [2, 250, 62.5, 4, 3, 30, 100, 0.4, 5],
    ])
    expect(t.measureLabels[0]).toBe('服务人次 合计')
    // Drill-down: the rows of one group, in sheet order.
    expect(s.rowsOf(['淇县', '2024-07']).length).toBe(2)
  })

  it('money: 元 and 万元 are converted to the measure unit, never added raw', () => {
    const { m, c, stations, scope } = ledger()
    m.insertRows([
      row(c, stations[0]!, '2024-07', 1, 12_000, 1.5),
      row(c, stations[1]!, '2024-07', 1, 3_000, 0.25),
    ])
    const s = make(
      {
        title: 't',
        sheetId: m.id,
        groupBy: ['期间'],
        measures: [
          { kind: 'sum', expr: '资金（元） + 资金（万元）', unit: '万元' },
          { kind: 'sum', expr: '资金（元） + 资金（万元）', unit: '元' },
        ],
      },
      scope,
    )
    const total = s.table().rows.at(-1)!
    expect(total.values).toEqual([3.25, 32_500])
  })

  it('an empty source gives only a zero grand total', () => {
    const { m, scope } = ledger()
    const s = make(
      {
        title: 't',
        sheetId: m.id,
        groupBy: ['期间'],
        measures: [
          { kind: 'sum', expr: '服务人次' },
          { kind: 'avg', expr: '服务人次' },
        ],
      },
      scope,
    )
    expect(s.table().rows).toEqual([{ level: 2, keys: [], values: [0, null], rows: 0 }])
  })

  it('cross-tab 区县 × 期间 with row, column and grand totals; CSV export', () => {
    const { m, c, stations, scope } = ledger()
    m.insertRows([
      row(c, stations[0]!, '2024-08', 10),
      row(c, stations[1]!, '2024-07', 5),
      row(c, stations[2]!, '2024-07', 7),
    ])
    const s = make(
      {
        title: 'x',
        sheetId: m.id,
        groupBy: ['站点.区县', '期间'],
        measures: [{ kind: 'sum', expr: '服务人次' }],
      },
      scope,
    )
    const x = s.crossTab()
    expect(x.rows).toEqual(['淇县', '杨浦区'])
    expect(x.columns).toEqual(['2024-07', '2024-08'])
    expect(x.cells).toEqual([
      [5, 10],
      [7, 0],
    ])
    expect(x.rowTotals).toEqual([15, 7])
    expect(x.columnTotals).toEqual([12, 10])
    expect(x.total).toBe(22)
    expect(crossTabToCsv(x)).toBe(
      '站点.区县 \\ 期间,2024年7月,2024年8月,合计\r\n淇县,5,10,15\r\n杨浦区,7,0,7\r\n合计,12,10,22\r\n',
    )
    const csv = summaryToCsv(s.table())
    expect(csv.split('\r\n')[0]).toBe('站点.区县,期间,服务人次 合计,行数')
    expect(csv).toContain('淇县 小计,,15,2')
    expect(csv).toContain('总计,,22,3')
  })

  it('a bad expression is refused with where it is, and nothing is stored', () => {
    const { wb, m, scope } = ledger()
    const r = saveSummary(wb, scope, {
      type: 'table',
      title: 't',
      sheetId: m.id,
      groupBy: ['站点.街道'],
      measures: [{ kind: 'sum', expr: '服务人次' }],
    })
    expect(r).toMatchObject({ ok: false, where: 'groupBy.0', error: { kind: 'unknown-column' } })
    expect(listSummaries(wb)).toEqual([])
    expect(
      saveSummary(wb, scope, {
        type: 'table',
        title: 't',
        sheetId: m.id,
        groupBy: ['期间'],
        measures: [{ kind: 'sum', expr: '服务人次' }],
      }).ok,
    ).toBe(true)
    expect(listSummaries(wb).length).toBe(1)
  })

  it('incremental updates from the change feed equal a from-scratch computation (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 5 }),
            fc.nat(),
            fc.nat(),
            fc.integer({ min: -5, max: 500 }),
          ),
          { minLength: 1, maxLength: 40 },
        ),
        (seed, ops) => {
          const { wb, st, m, c, stations, district, scope } = ledger({ random: seededRandom(seed) })
          const periods = ['2024-06', '2024-07', '2024-Q3', '2024']
          const def: SummaryDef = {
            title: 't',
            sheetId: m.id,
            groupBy: ['站点.区县', '期间'],
            measures: [
              { kind: 'sum', expr: '服务人次' },
              { kind: 'avg', expr: '资金（元） + 资金（万元）', unit: '万元' },
              { kind: 'distinct', expr: '站点' },
              { kind: 'min', expr: '服务人次' },
              { kind: 'max', expr: '服务人次' },
              { kind: 'share', where: '服务人次 > 100' },
            ],
            filter: '服务人次 != 13',
          }
          const live = make(def, scope)
          const off = wb.onChange((ch) => live.applyChange(ch))
          for (const [op, i, j, v] of ops) {
            const ids = m.rowIds()
            const target = ids[i % Math.max(1, ids.length)]
            if (op <= 1 || !target)
              m.insertRows([
                row(c, stations[j % 3]!, periods[j % 4]!, v % 7 === 0 ? null : v, v * 3.7, v / 100),
              ])
            else if (op === 2) m.setCell(target, c.served, v % 9 === 0 ? null : v)
            else if (op === 3)
              m.setCell(
                target,
                [c.station, c.period, c.wan][j % 3]!,
                [stations[v % 3]!, periods[v % 4]!, v / 7][j % 3]!,
              )
            else if (op === 4) m.deleteRows([target])
            else st.setCell(stations[j % 3]!, district, ['淇县', '杨浦区', '浦东新区'][v % 3]!)
          }
          off()
          const fresh = make(def, scope)
          expect(live.table()).toEqual(fresh.table())
          expect(live.crossTab()).toEqual(fresh.crossTab())
        },
      ),
      { numRuns: 60 },
    )
  })

  it('a rebuild in slices with edits between the slices equals a from-scratch computation (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.nat(), fc.nat(), fc.nat(500)), {
          minLength: 1,
          maxLength: 30,
        }),
        (seed, ops) => {
          const { wb, st, m, c, stations, district, scope } = ledger({ random: seededRandom(seed) })
          const periods = ['2024-06', '2024-07', '2024-Q3']
          m.insertRows(
            Array.from({ length: 12 }, (_, i) => row(c, stations[i % 3]!, periods[i % 3]!, i * 10)),
          )
          const def: SummaryDef = {
            title: 't',
            sheetId: m.id,
            groupBy: ['站点.区县', '期间'],
            measures: [
              { kind: 'sum', expr: '服务人次' },
              { kind: 'distinct', expr: '站点' },
              { kind: 'share', where: '服务人次 > 100' },
            ],
          }
          const r = LiveSummary.create(def, scope, { rebuild: false })
          if (!r.ok) throw new Error(r.error.message.en)
          const live = r.summary
          live.startSlicedRebuild(2)
          expect(live.building).toEqual({ done: 0, total: 12 })
          const off = wb.onChange((ch) => live.applyChange(ch))
          let done = false
          for (const [op, i, j, v] of ops) {
            // An edit, then one slice: edits land before, inside and after the rows done so far.
            const ids = m.rowIds()
            const target = ids[i % ids.length]!
            if (op === 0) m.insertRows([row(c, stations[j % 3]!, periods[j % 3]!, v)])
            else if (op === 1) m.setCell(target, c.served, v % 9 === 0 ? null : v)
            else if (op === 2) m.setCell(target, c.period, periods[v % 3]!)
            else if (op === 3) m.deleteRows([target])
            // Another sheet read through 站点.区县: the rebuild starts over.
            else st.setCell(stations[j % 3]!, district, ['淇县', '杨浦区', '浦东新区'][v % 3]!)
            if (!done) done = live.step()
          }
          while (!live.step());
          expect(live.building).toBeNull()
          off()
          const fresh = make(def, scope)
          expect(live.table()).toEqual(fresh.table())
          expect(live.crossTab()).toEqual(fresh.crossTab())
        },
      ),
      { numRuns: 60 },
    )
  })
})
