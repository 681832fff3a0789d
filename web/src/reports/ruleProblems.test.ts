import { createWorkbookScopes, saveRule, Workbook } from '@taizhang/shared'
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
