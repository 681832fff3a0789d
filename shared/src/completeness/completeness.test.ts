import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { saveRule } from '../expr/computed.js'
import { createWorkbookScopes } from '../expr/workbookScope.js'
import { Workbook } from '../model/workbook.js'
import {
  type CompletenessSettings,
  completenessOf,
  computeCompleteness,
  createPeriodRow,
  markComplete,
  saveCompletenessSettings,
  unmarkComplete,
} from './completeness.js'

function ledger() {
  const wb = Workbook.create(new Y.Doc(), { title: 't', author: { id: 'u1', name: '王芳' } })
  const st = wb.sheet(wb.addSheet('站点'))
  const name = st.addColumn({ name: '站点名称', type: 'text' })
  const district = st.addColumn({ name: '区县', type: 'text' })
  const [a, b, c] = st.insertRows([
    { [name]: '朝歌街道社工站', [district]: '淇县' },
    { [name]: '桥盟街道社工站', [district]: '淇县' },
    { [name]: '殷行街道社工站', [district]: '杨浦区' },
  ]) as [string, string, string]
  const m = wb.sheet(wb.addSheet('指标'))
  const station = m.addColumn({
    name: '站点',
    type: 'reference',
    format: { refSheet: st.id, refColumn: name },
  })
  const period = m.addColumn({ name: '期间', type: 'period', format: { granularity: 'month' } })
  const act = m.addColumn({ name: '服务活动', type: 'integer' })
  const served = m.addColumn({ name: '服务人次', type: 'integer' })
  m.insertRows([
    { [station]: a, [period]: '2024-06', [act]: 3, [served]: 40 },
    { [station]: a, [period]: '2024-07', [act]: 3 },
    { [station]: b, [period]: '2024-06', [act]: 5, [served]: 2 },
    { [station]: c, [period]: '2024-07', [act]: 1, [served]: 9 },
    // Outside the expected periods: ignored, not counted.
    { [station]: c, [period]: '2023-12', [act]: 1, [served]: 9 },
  ])
  const settings: CompletenessSettings = {
    sheetId: m.id,
    stationColumn: station,
    periodColumn: period,
    granularity: 'month',
    required: [act, served],
    from: '2024-06',
    to: '2024-07',
    districtColumn: district,
  }
  saveCompletenessSettings(wb, settings)
  return { wb, m, settings, stations: [a, b, c] as const, cols: { station, period, act, served } }
}

describe('completeness', () => {
  it('stations × periods: 已上报, 部分, 未上报; rates per period and district; missing rows not invented', () => {
    const { wb, m, settings } = ledger()
    const before = m.rowCount()
    const x = completenessOf(wb, settings)!
    expect(x.periods).toEqual(['2024-06', '2024-07'])
    expect(x.cells.map((r) => r.map((c) => c.status))).toEqual([
      ['reported', 'partial'],
      ['reported', 'missing'],
      ['missing', 'reported'],
    ])
    expect(x.cells[1]![1]!.rowId).toBeUndefined()
    expect(x.byPeriod.map((r) => [r.reported, r.expected])).toEqual([
      [2, 3],
      [1, 3],
    ])
    expect(
      x.byDistrict.map((d) => [d.district, d.byPeriod.map((r) => r.rate), d.overall.rate]),
    ).toEqual([
      ['淇县', [1, 0], 0.5],
      ['杨浦区', [0, 1], 0.5],
    ])
    expect(x.overall.rate).toBe(0.5)
    expect(m.rowCount()).toBe(before)
  })

  it('mark complete records who and when, and is undoable', () => {
    const { wb, settings, stations } = ledger()
    const r = markComplete(wb, settings, stations[1], '2024-07', 1_720_000_000_000)
    expect(r).toEqual({ ok: true, mark: { by: '王芳', at: 1_720_000_000_000 } })
    let x = completenessOf(wb, settings)!
    expect(x.cells[1]![1]).toEqual({
      status: 'confirmed',
      mark: { by: '王芳', at: 1_720_000_000_000 },
    })
    expect(x.byPeriod[1]!.reported).toBe(2)
    unmarkComplete(wb, settings.sheetId, stations[1], '2024-07')
    x = completenessOf(wb, settings)!
    expect(x.cells[1]![1]!.status).toBe('missing')
  })

  it('marking may require the rules to pass first', () => {
    const { wb, m, settings, stations } = ledger()
    const scope = createWorkbookScopes(wb).scope(m.id)!
    saveRule(wb, scope, { sheetId: m.id, expr: '服务人次 >= 服务活动', level: 'error' })
    const strict = { ...settings, requireRulesToMark: true }
    const refused = markComplete(wb, strict, stations[1], '2024-06', 1, scope)
    expect(refused).toMatchObject({
      ok: false,
      reason: { zh: '有 1 处不满足校验规则，不能标记为已完成' },
    })
    expect(completenessOf(wb, strict)!.cells[1]![0]!.status).toBe('reported')
    expect(markComplete(wb, strict, stations[0], '2024-06', 1, scope).ok).toBe(true)
  })

  it('a row is created only on request, for that station and period', () => {
    const { wb, m, settings, stations, cols } = ledger()
    const id = createPeriodRow(wb, settings, stations[1], '2024-07')!
    expect(m.getCell(id, cols.station)).toBe(stations[1])
    expect(m.getCell(id, cols.period)).toBe('2024-07')
    expect(completenessOf(wb, settings)!.cells[1]![1]).toEqual({ status: 'partial', rowId: id })
    expect(createPeriodRow(wb, settings, stations[1], '七月')).toBeUndefined()
  })

  it('duplicate rows count once (the fuller one); no stations or periods gives empty rates', () => {
    const x = computeCompleteness(
      {
        stations: [{ id: 's', label: 'S', district: 'D' }],
        periods: ['2024-07'],
        rows: [
          { rowId: 'r1', station: 's', period: '2024-07', filled: 1 },
          { rowId: 'r2', station: 's', period: '2024-07', filled: 2 },
        ],
        required: 2,
        marks: new Map(),
      },
      'sheet',
    )
    expect(x.cells[0]![0]).toEqual({ status: 'reported', rowId: 'r2' })
    expect(x.overall).toEqual({ expected: 1, reported: 1, rate: 1 })
    const empty = computeCompleteness(
      { stations: [], periods: [], rows: [], required: 1, marks: new Map() },
      's',
    )
    expect(empty.overall.rate).toBeNull()
  })
})
