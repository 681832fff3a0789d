import {
  createWorkbookScopes,
  saveCompletenessSettings,
  saveRule,
  Workbook,
} from '@taizhang/shared'
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { makeRuleProblems, mergeProblems, RULE_CHECK_DELAY_MS } from './ruleProblems'

afterEach(() => {
  vi.useRealTimers()
})

describe('rule problems for the problems panel', () => {
  it('lists rows breaking a rule, on the first column it reads, and follows edits', () => {
    vi.useFakeTimers()
    const wb = Workbook.create(new Y.Doc(), { title: 't' })
    const s = wb.sheet(wb.addSheet('指标'))
    const act = s.addColumn({ name: '服务活动', type: 'integer' })
    const served = s.addColumn({ name: '服务人次', type: 'integer' })
    const [r1, r2] = s.insertRows([
      { [act]: 5, [served]: 50 },
      { [act]: 9, [served]: 3 },
    ])
    const scopes = createWorkbookScopes(wb)
    saveRule(wb, scopes.scope(s.id)!, {
      sheetId: s.id,
      expr: '服务人次 >= 服务活动',
      level: 'error',
      message: '服务人次应不少于服务活动',
    })
    const seen: ReadonlyMap<string, readonly { rowId: string; colId: string; rule: string }[]>[] =
      []
    const off = makeRuleProblems(wb, (m) => seen.push(m))
    vi.advanceTimersByTime(RULE_CHECK_DELAY_MS)
    expect(
      seen
        .at(-1)!
        .get(s.id)!
        .map((p) => [p.rowId, p.colId, p.rule]),
    ).toEqual([[r2, served, 'rule']])
    s.setCell(r1!, served, 1)
    s.setCell(r2!, served, 30)
    vi.advanceTimersByTime(RULE_CHECK_DELAY_MS)
    expect(
      seen
        .at(-1)!
        .get(s.id)!
        .map((p) => p.rowId),
    ).toEqual([r1])
    s.setCell(r1!, served, 10)
    vi.advanceTimersByTime(RULE_CHECK_DELAY_MS)
    expect(seen.at(-1)!.size).toBe(0)
    off()
    scopes.dispose()
  })

  it("warns (never counts as an error) on a value far outside its station's own history", () => {
    vi.useFakeTimers()
    const wb = Workbook.create(new Y.Doc(), { title: 't' })
    const stations = wb.sheet(wb.addSheet('站点'))
    const name = stations.addColumn({ name: '站点名称', type: 'text' })
    const [st1, st2] = stations.insertRows([{ [name]: '甲站' }, { [name]: '乙站' }])
    const m = wb.sheet(wb.addSheet('指标'))
    const station = m.addColumn({
      name: '站点',
      type: 'reference',
      format: { refSheet: stations.id, refColumn: name },
    })
    const period = m.addColumn({ name: '期间', type: 'text' })
    const served = m.addColumn({ name: '服务人次', type: 'integer' })
    const months = ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06']
    const ids = m.insertRows(
      months.flatMap((p, i) => [
        { [station]: st1!, [period]: p, [served]: 300 + i * 7 },
        { [station]: st2!, [period]: p, [served]: 40 + (i % 3) },
      ]),
    )
    saveCompletenessSettings(wb, {
      sheetId: m.id,
      stationColumn: station,
      periodColumn: period,
      granularity: 'month',
      required: [served],
      from: '2024-01',
      to: '2024-06',
    })
    const seen: ReadonlyMap<
      string,
      readonly { rowId: string; colId: string; rule: string; level?: string }[]
    >[] = []
    const off = makeRuleProblems(wb, (x) => seen.push(x))
    vi.advanceTimersByTime(RULE_CHECK_DELAY_MS)
    expect(seen.at(-1)?.get(m.id) ?? []).toEqual([])
    // 乙站's June: 4,100 where its months read 40–42 (a typo of 41.00?) — 甲站's 300s are normal.
    const june = ids[11]!
    m.setCell(june, served, 4100)
    vi.advanceTimersByTime(RULE_CHECK_DELAY_MS)
    const got = seen.at(-1)!.get(m.id)!
    expect(got.map((p) => [p.rowId, p.colId, p.rule, p.level])).toEqual([
      [june, served, 'outlier', 'warning'],
    ])
    off()
  })

  it('merges with constraint problems per sheet', () => {
    const p = (rowId: string) => ({
      rowId,
      colId: 'c',
      rule: 'required' as const,
      message: { zh: '', en: '' },
    })
    const merged = mergeProblems(
      new Map([['s', [p('a')]]]),
      new Map([
        ['s', [p('b')]],
        ['t', [p('c')]],
      ]),
    )
    expect(merged.get('s')!.map((x) => x.rowId)).toEqual(['a', 'b'])
    expect(merged.get('t')!.length).toBe(1)
  })
})
