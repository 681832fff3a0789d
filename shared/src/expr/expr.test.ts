import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { readDefinitions } from '../model/definitions.js'
import { Workbook } from '../model/workbook.js'
import {
  checkRules,
  compileComputedColumns,
  computeColumn,
  rulesOf,
  saveComputedColumn,
  saveRule,
} from './computed.js'
import { compileSource, roundHalfAway } from './evaluate.js'
import { findOutliers } from './outliers.js'
import { parseExpression } from './parse.js'
import { createWorkbookScopes } from './workbookScope.js'

function ledger() {
  const wb = Workbook.create(new Y.Doc(), { title: 't' })
  const st = wb.sheet(wb.addSheet('站点'))
  const sName = st.addColumn({ name: '站点名称', type: 'text' })
  const sDistrict = st.addColumn({ name: '区县', type: 'text' })
  const sWorkers = st.addColumn({ name: '持证社工人数', type: 'integer' })
  const [a, b] = st.insertRows([
    { [sName]: '朝歌街道社工站', [sDistrict]: '淇县', [sWorkers]: 4 },
    { [sName]: '殷行街道社工站', [sDistrict]: '杨浦区', [sWorkers]: 0 },
  ])
  const m = wb.sheet(wb.addSheet('指标'))
  const station = m.addColumn({
    name: '站点',
    type: 'reference',
    format: { refSheet: st.id, refColumn: sName },
  })
  const period = m.addColumn({ name: '期间', type: 'period', format: { granularity: 'month' } })
  const act = m.addColumn({ name: '服务活动（次）', type: 'integer' })
  const served = m.addColumn({ name: '服务人次', type: 'integer' })
  const workers = m.addColumn({ name: '持证社工人数', type: 'integer' })
  const spaced = m.addColumn({ name: '备注 (内部)', type: 'text' })
  const rows = m.insertRows([
    { [station]: a!, [period]: '2024-06', [act]: 10, [served]: 300, [workers]: 4, [spaced]: 'x' },
    { [station]: a!, [period]: '2024-07', [act]: 12, [served]: 5, [workers]: 0 },
    { [station]: b!, [period]: '2024-07', [act]: 8, [served]: null, [workers]: 3 },
    { [station]: b!, [period]: '2024-08', [act]: 'abc', [served]: 100, [workers]: 3 },
  ])
  const scopes = createWorkbookScopes(wb)
  const scope = scopes.scope(m.id)!
  return { wb, st, m, rows, scope, scopes, ids: { a: a!, b: b!, station, served, act, workers } }
}

const run = (src: string, scope: ReturnType<typeof ledger>['scope'], row: string) => {
  const c = compileSource(src, scope)
  if (!c.ok) throw new Error(c.error.message.en)
  return c.compiled.run(row)
}

describe('expressions', () => {
  it('Chinese column names, arithmetic, comparison, IF, ROUND', () => {
    const { scope, rows } = ledger()
    const r0 = rows[0]!
    expect(run('服务人次 / 持证社工人数', scope, r0)).toEqual({ ok: true, value: 75 })
    expect(run('服务人次 >= 服务活动（次）', scope, r0)).toEqual({ ok: true, value: true })
    expect(run('IF(服务人次 > 100, "多", "少")', scope, r0)).toEqual({ ok: true, value: '多' })
    expect(run('ROUND(服务人次 / 7, 2)', scope, r0)).toEqual({ ok: true, value: 42.86 })
    expect(run('(服务活动（次） + 2) * 3 - 1', scope, r0)).toEqual({ ok: true, value: 35 })
    expect(run('[备注 (内部)] = "x"', scope, r0)).toEqual({ ok: true, value: true })
    expect(run('服务人次 ≥ 10 && !(服务人次 > 1000)', scope, r0)).toEqual({ ok: true, value: true })
    expect(compileSource('服务人次 10', scope)).toMatchObject({
      ok: false,
      error: { message: { zh: '两个值之间缺少运算符（如 +、>=、&&）' } },
    })
  })

  it('Excel habits: =, <>, full-width comma', () => {
    const { scope, rows } = ledger()
    expect(run('服务人次 = 300', scope, rows[0]!)).toEqual({ ok: true, value: true })
    expect(run('服务人次 <> 300', scope, rows[0]!)).toEqual({ ok: true, value: false })
    expect(run('IF(服务人次 = 300，1，2)', scope, rows[0]!)).toEqual({ ok: true, value: 1 })
  })

  it('INPERIOD: a period inside a range (本月, 本季度… as from/to)', () => {
    const { scope, rows } = ledger()
    expect(run('INPERIOD(期间, "2024-07", "2024-09")', scope, rows[1]!)).toEqual({
      ok: true,
      value: true,
    })
    expect(run('INPERIOD(期间, "2024-07", "2024-09")', scope, rows[0]!)).toEqual({
      ok: true,
      value: false,
    })
    expect(run('INPERIOD(期间, "2024-Q3", "2024-Q3")', scope, rows[2]!)).toEqual({
      ok: true,
      value: true,
    })
    expect(run('INPERIOD(期间, "x", "2024-09")', scope, rows[1]!)).toEqual({
      ok: true,
      value: false,
    })
  })

  it('ROUND rounds half away from zero on decimal digits', () => {
    expect(roundHalfAway(2.675, 2)).toBe(2.68)
    expect(roundHalfAway(-2.5, 0)).toBe(-3)
    expect(roundHalfAway(1234.5, -2)).toBe(1200)
  })

  it('lookup through a reference: 站点.区县, and rec.站点.区县', () => {
    const { scope, rows } = ledger()
    expect(run('站点.区县', scope, rows[0]!)).toEqual({ ok: true, value: '淇县' })
    expect(run('rec.站点.区县 == "杨浦区"', scope, rows[2]!)).toEqual({ ok: true, value: true })
    // A reference shows as its label and compares to it.
    expect(run('站点', scope, rows[0]!)).toEqual({ ok: true, value: '朝歌街道社工站' })
    expect(run('站点 = "朝歌街道社工站"', scope, rows[0]!)).toEqual({ ok: true, value: true })
  })

  it('SUM/AVERAGE/COUNT over a lookup of another sheet', () => {
    const { scopes, st, ids } = ledger()
    const stationScope = scopes.scope(st.id)!
    expect(run('SUM(LOOKUP(指标, 站点, rec).服务人次)', stationScope, ids.a)).toEqual({
      ok: true,
      value: 305,
    })
    expect(run('AVERAGE(LOOKUP("指标", "站点", rec).服务人次)', stationScope, ids.a)).toEqual({
      ok: true,
      value: 152.5,
    })
    // Blanks are skipped by aggregates.
    expect(run('COUNT(LOOKUP(指标, 站点, rec).服务人次)', stationScope, ids.b)).toEqual({
      ok: true,
      value: 1,
    })
    expect(run('MAX(LOOKUP(指标, 站点, rec).服务活动（次）)', stationScope, ids.a)).toEqual({
      ok: true,
      value: 12,
    })
  })

  it('user.* roots for access rules (issue 16)', () => {
    const { wb, m, rows } = ledger()
    const scopes = createWorkbookScopes(wb)
    const scope = scopes.scope(m.id, { user: { district: '杨浦区', station: '殷行街道社工站' } })!
    expect(run('rec.站点.区县 == user.district', scope, rows[2]!)).toEqual({
      ok: true,
      value: true,
    })
    expect(run('rec.站点 == user.station', scope, rows[0]!)).toEqual({ ok: true, value: false })
  })

  it('blanks give blanks; row errors stay in their row', () => {
    const { scope, rows } = ledger()
    expect(run('服务人次 * 2', scope, rows[2]!)).toEqual({ ok: true, value: null })
    expect(run('服务人次 >= 1', scope, rows[2]!)).toEqual({ ok: true, value: null })
    const div = run('服务人次 / 持证社工人数', scope, rows[1]!)
    expect(div).toMatchObject({
      ok: false,
      error: { kind: 'div0', message: { zh: '除数为零', en: 'Division by zero' } },
    })
    const text = run('服务活动（次） + 1', scope, rows[3]!)
    expect(text).toMatchObject({ ok: false, error: { kind: 'type' } })
    if (!text.ok) expect(text.error.message.zh).toContain('“abc”不是数字')
    expect(run('LOOKUP(指标, 站点, 站点)', scope, rows[0]!)).toMatchObject({
      ok: false,
      error: { kind: 'list' },
    })
  })

  it('errors are located and bilingual', () => {
    const { scope } = ledger()
    const unknown = compileSource('服务人数 / 2', scope)
    expect(unknown).toMatchObject({
      ok: false,
      error: { kind: 'unknown-column', at: 0, length: 4 },
    })
    if (!unknown.ok) {
      expect(unknown.error.message.zh).toBe('“指标”中没有名为“服务人数”的列')
      expect(unknown.error.message.en).toBe('Sheet "指标" has no column named "服务人数"')
    }
    const syntax = parseExpression('服务人次 >= ')
    expect(syntax).toMatchObject({ ok: false, error: { kind: 'syntax' } })
    if (!syntax.ok) {
      expect(syntax.error.message.zh).toMatch(/^第 \d+ 个字符处：/)
      expect(syntax.error.message.en).toMatch(/^At character \d+: /)
    }
    expect(parseExpression('(1 + 2')).toMatchObject({ ok: false, error: { kind: 'syntax' } })
    expect(parseExpression('  ')).toMatchObject({ ok: false, error: { kind: 'empty' } })
    const fn = compileSource('FOO(1)', scope)
    expect(fn).toMatchObject({ ok: false, error: { kind: 'unknown-function', at: 0 } })
    const arity = compileSource('服务人次 + ROUND(1, 2, 3)', scope)
    expect(arity).toMatchObject({ ok: false, error: { kind: 'arity', at: 7 } })
    const member = compileSource('服务人次.区县', scope)
    expect(member).toMatchObject({ ok: false, error: { kind: 'not-reference' } })
    const far = compileSource('站点.人口', scope)
    expect(far).toMatchObject({ ok: false, error: { kind: 'unknown-column', at: 3 } })
    expect(compileSource('服务人次 | 1', scope).ok).toBe(false)
    expect(compileSource('LOOKUP(不存在, 站点, rec)', scope)).toMatchObject({
      ok: false,
      error: { kind: 'unknown-column' },
    })
  })

  it('no eval: property names of JS objects are just unknown columns', () => {
    const { scope, rows } = ledger()
    expect(compileSource('constructor', scope).ok).toBe(false)
    expect(compileSource('rec.__proto__', scope).ok).toBe(false)
    expect(run('"a" + "b"', scope, rows[0]!)).toEqual({ ok: true, value: 'ab' })
  })
})

describe('computed columns and rules in the doc', () => {
  it('computed columns are definitions, computed per row, never stored per row', () => {
    const { wb, m, scope, rows } = ledger()
    const before = wb.sheet(m.id).readRows()
    const saved = saveComputedColumn(wb, scope, {
      sheetId: m.id,
      name: '人均服务人次',
      expr: '服务人次 / 持证社工人数',
    })
    expect(saved.ok).toBe(true)
    expect(wb.sheet(m.id).readRows()).toEqual(before)
    const [col] = compileComputedColumns(wb, scope)
    expect(col?.ok).toBe(true)
    if (col?.ok) {
      const values = computeColumn(col.compiled, rows)
      expect(values.get(rows[0]!)).toEqual({ ok: true, value: 75 })
      expect(values.get(rows[1]!)?.ok).toBe(false)
    }
  })

  it('a bad expression or a taken name is refused and writes nothing', () => {
    const { wb, m, scope } = ledger()
    const bad = saveComputedColumn(wb, scope, { sheetId: m.id, name: '人均', expr: '服务人次 / ' })
    expect(bad.ok).toBe(false)
    const taken = saveComputedColumn(wb, scope, { sheetId: m.id, name: '服务人次', expr: '1' })
    expect(taken).toMatchObject({ ok: false, error: { message: { zh: '已有名为“服务人次”的列' } } })
    expect(saveRule(wb, scope, { sheetId: m.id, expr: '服务人次 >=', level: 'error' }).ok).toBe(
      false,
    )
    expect(readDefinitions(wb, 'computed')).toEqual([])
    expect(readDefinitions(wb, 'rule')).toEqual([])
  })

  it('rules give problems with their level; blanks are not violations; a renamed column breaks only the rule', () => {
    const { wb, m, scope, rows } = ledger()
    saveRule(wb, scope, {
      sheetId: m.id,
      expr: '服务人次 >= 服务活动（次）',
      level: 'error',
      message: '服务人次应不少于服务活动次数',
    })
    saveRule(wb, scope, {
      sheetId: m.id,
      expr: '持证社工人数 <= 站点.持证社工人数',
      level: 'warning',
    })
    const { problems, broken } = checkRules(rulesOf(wb, m.id), scope, rows)
    expect(broken).toEqual([])
    const byRow = problems.map((p) => [rows.indexOf(p.rowId), p.level, p.message.zh])
    expect(byRow).toContainEqual([1, 'error', '服务人次应不少于服务活动次数'])
    expect(byRow).toContainEqual([2, 'warning', '不满足规则：持证社工人数 <= 站点.持证社工人数'])
    // Row 3: 服务活动 is text → the rule cannot run there: a warning, not a crash.
    expect(byRow.some(([i, l]) => i === 3 && l === 'warning')).toBe(true)
    // Row 2 has a blank 服务人次: not an error for the first rule.
    expect(byRow.some(([i, l]) => i === 2 && l === 'error')).toBe(false)
    const served = m.columns().find((c) => c.name === '服务人次')!
    m.renameColumn(served.id, '服务人次数')
    const after = checkRules(rulesOf(wb, m.id), scope, rows)
    expect(after.broken.length).toBe(1)
    expect(after.broken[0]!.error.kind).toBe('unknown-column')
  })
})

describe('outliers (modified z-score over the station history)', () => {
  it('flags the value far from the station median, not the normal spread', () => {
    const ids = Array.from({ length: 14 }, (_, i) => `r${i}`)
    const values: Record<string, number> = {}
    const group: Record<string, string> = {}
    ids.forEach((id, i) => {
      group[id] = i < 7 ? 'A' : 'B'
      values[id] =
        i < 7 ? [300, 320, 310, 295, 305, 3100, 315][i]! : [50, 52, 49, 51, 48, 50, 53][i - 7]!
    })
    const out = findOutliers(
      ids,
      (id) => group[id],
      (id) => values[id],
      '服务人次',
    )
    expect(out.map((o) => o.rowId)).toEqual(['r5'])
    expect(out[0]!.median).toBe(310)
    expect(out[0]!.message.zh).toContain('远高于本站历史中位数 310')
    expect(out[0]!.message.en).toContain('modified z-score')
  })

  it('needs enough history; MAD 0 falls back to the mean absolute deviation', () => {
    expect(
      findOutliers(
        ['a', 'b', 'c'],
        () => 'A',
        (id) => ({ a: 1, b: 1, c: 100 })[id],
        'x',
      ),
    ).toEqual([])
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g']
    const v: Record<string, number> = { a: 10, b: 10, c: 10, d: 10, e: 10, f: 11, g: 90 }
    expect(
      findOutliers(
        ids,
        () => 'A',
        (id) => v[id],
        'x',
      ).map((o) => o.rowId),
    ).toEqual(['g'])
  })
})
