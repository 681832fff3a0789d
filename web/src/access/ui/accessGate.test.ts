import {
  type AccessIdentity,
  readRules,
  setLockException,
  setPeriodLock,
  writeRule,
} from '@taizhang/shared'
import { buildLedger } from '@taizhang/shared/testing'
import { describe, expect, it } from 'vitest'
import { guardedSheetOf, guardSheet } from '../../grid/features/access'
import { identityFromClaims, makeAccessGate, setAccessGate } from './accessGate'
import { checkRuleDraft } from './ruleDraft'
import { refusalTitle } from './text'

const NOW = Date.UTC(2024, 7, 15)

/** Stations 朝歌 and 桥盟 (淇县), a monthly sheet with one row per station in 2024-07. */
function ledger() {
  const { wb, m, stationIds, rowIds, cols } = buildLedger({
    stations: [
      { name: '朝歌街道社工站', district: '淇县' },
      { name: '桥盟街道社工站', district: '淇县' },
    ],
    rows: [
      [0, '2024-07', 3],
      [1, '2024-07', 5],
    ],
  })
  const [a, b] = stationIds as [string, string]
  const [ra, rb] = rowIds as [string, string]
  return { wb, m, stations: { a, b }, rows: { ra, rb }, cols }
}

const clerkA: AccessIdentity = {
  role: 'scoped-editor',
  name: '朝歌站',
  scope: { station: '朝歌街道社工站' },
}

describe('access-ui: what the grid offers', () => {
  it('a station clerk may write its own row; another station’s row is greyed, not editable', () => {
    const { wb, m, rows, cols } = ledger()
    const gate = makeAccessGate(wb, clerkA, () => NOW)
    expect(gate.cell(m.id, rows.ra, cols.served).ok).toBe(true)
    expect(gate.mark(m.id, rows.ra, cols.served)).toBeNull()
    expect(gate.cell(m.id, rows.rb, cols.served)).toMatchObject({
      ok: false,
      reason: 'row-not-in-scope',
    })
    expect(gate.mark(m.id, rows.rb, cols.served)).toBe('out-of-scope')
    expect(gate.canStructure(m.id)).toBe(false)
    expect(gate.canEditRules()).toBe(false)
    gate.dispose()
  })

  it('a locked period is locked for everyone, owners too, with who and when; an exception reopens one station', () => {
    const { wb, m, rows, cols, stations } = ledger()
    const owner = makeAccessGate(wb, { role: 'owner', name: '局长' }, () => NOW)
    const clerk = makeAccessGate(wb, clerkA, () => NOW)
    const at = Date.UTC(2024, 7, 5, 6, 3)
    setPeriodLock(wb, m.id, '2024-07', { locked: true, by: '民政局审核', at })
    const d = owner.cell(m.id, rows.rb, cols.served)
    expect(d).toMatchObject({ ok: false, reason: 'period-locked', lock: { by: '民政局审核', at } })
    expect(owner.mark(m.id, rows.rb, cols.served)).toBe('locked')
    if (d.ok) throw new Error('expected a refusal')
    expect(refusalTitle(d, 'zh-CN')).toMatch(/^已锁定：民政局审核，2024-08-05 \d\d:03$/)
    expect(refusalTitle(d, 'en')).toMatch(/^Locked: 民政局审核, 2024-08-05 \d\d:03$/)
    expect(clerk.mark(m.id, rows.ra, cols.served)).toBe('locked')
    setLockException(wb, m.id, '2024-07', stations.a, { by: '民政局审核', at })
    expect(clerk.cell(m.id, rows.ra, cols.served).ok).toBe(true)
    expect(owner.mark(m.id, rows.rb, cols.served)).toBe('locked')
    setPeriodLock(wb, m.id, '2024-07', { locked: false, by: '民政局审核', at: at + 1 })
    expect(owner.cell(m.id, rows.rb, cols.served).ok).toBe(true)
    owner.dispose()
    clerk.dispose()
  })

  it('a rule written by the owner changes the decision at once (the cache follows the doc)', () => {
    const { wb, m, rows, cols } = ledger()
    const editor = makeAccessGate(wb, { role: 'editor', name: '编辑' }, () => NOW)
    const seen: boolean[] = []
    editor.onChange((accessChanged) => seen.push(accessChanged))
    expect(editor.cell(m.id, rows.rb, cols.served).ok).toBe(true)
    writeRule(wb, {
      id: 'r1',
      role: 'editor',
      sheets: [m.id],
      columns: '*',
      condition: 'rec.站点 == "朝歌街道社工站"',
    })
    expect(seen).toContain(true)
    expect(editor.cell(m.id, rows.rb, cols.served)).toMatchObject({ reason: 'row-not-in-scope' })
    expect(editor.cell(m.id, rows.ra, cols.served).ok).toBe(true)
    // Once a rule exists, structure is the owner's alone.
    expect(editor.canStructure(m.id)).toBe(false)
    editor.dispose()
  })

  it('the guarded sheet skips refused cells of a paste and reports them; allowed cells are written', () => {
    const { wb, m, rows, cols, stations } = ledger()
    const gate = makeAccessGate(wb, clerkA, () => NOW)
    const reports: [number, string][] = []
    gate.onRefused((n, d) => reports.push([n, d.reason]))
    const sheet = guardSheet(m, () => gate)
    sheet.setCells([
      { row: rows.ra, col: cols.served, value: 30 },
      { row: rows.rb, col: cols.served, value: 50 },
    ])
    expect(m.getCell(rows.ra, cols.served)).toBe(30)
    expect(m.getCell(rows.rb, cols.served)).toBe(5)
    expect(reports).toEqual([[1, 'row-not-in-scope']])
    // A clerk's new row starts with its station (a blank one would belong to no station).
    const [added] = sheet.insertEmptyRows(1)
    expect(added).toBeDefined()
    expect(m.getCell(added!, cols.station)).toBe(stations.a)
    // A row of another station is refused whole.
    expect(sheet.insertRows([{ [cols.station]: stations.b }])).toEqual([])
    expect(reports.at(-1)).toEqual([1, 'row-not-in-scope'])
    sheet.deleteRows([rows.ra, rows.rb, added!])
    expect(m.hasRow(rows.rb)).toBe(true)
    expect(m.hasRow(rows.ra)).toBe(false)
    // Reads pass through.
    expect(sheet.name).toBe('指标')
    expect(sheet.columns().length).toBe(3)
    gate.dispose()
  })

  it('find/replace writes outside the grid go through the workbook’s registered gate', () => {
    const { wb, m, rows, cols } = ledger()
    const gate = makeAccessGate(wb, clerkA, () => NOW)
    // Without a registered gate nothing is filtered (a grid mounted without a session).
    guardedSheetOf(wb, m.id).setCell(rows.rb, cols.served, 6)
    expect(m.getCell(rows.rb, cols.served)).toBe(6)
    const off = setAccessGate(wb, gate)
    wb.transact(() =>
      guardedSheetOf(wb, m.id).setCells([
        { row: rows.ra, col: cols.served, value: 31 },
        { row: rows.rb, col: cols.served, value: 51 },
      ]),
    )
    expect(m.getCell(rows.ra, cols.served)).toBe(31)
    expect(m.getCell(rows.rb, cols.served)).toBe(6)
    off()
    gate.dispose()
  })

  it('a viewer sees no marks (the whole grid is read-only) and writes nothing', () => {
    const { wb, m, rows, cols } = ledger()
    const gate = makeAccessGate(wb, { role: 'viewer', name: '看' }, () => NOW)
    expect(gate.mark(m.id, rows.ra, cols.served)).toBeNull()
    guardSheet(m, () => gate).setCell(rows.ra, cols.served, 99)
    expect(m.getCell(rows.ra, cols.served)).toBe(3)
    gate.dispose()
  })

  it('identity: no token is this device’s owner; a token without a role is an editor’s', () => {
    expect(identityFromClaims(null, '我').role).toBe('owner')
    expect(identityFromClaims({}, '我')).toEqual({ role: 'editor', name: '我' })
    expect(
      identityFromClaims(
        { role: 'scoped-editor', name: '朝歌', scope: { station: '朝歌街道社工站' } },
        '我',
      ),
    ).toEqual({ role: 'scoped-editor', name: '朝歌', scope: { station: '朝歌街道社工站' } })
  })
})

describe('access-ui: the rules editor’s checks', () => {
  it('a condition is compiled against each chosen sheet: unknown columns and bad syntax are refused with zh/en', () => {
    const { wb, m } = ledger()
    let n = 0
    const id = () => `r${++n}`
    const good = checkRuleDraft(
      wb,
      {
        role: 'scoped-editor',
        sheets: [m.id],
        columns: '*',
        condition: 'rec.站点 == user.station',
      },
      id,
    )
    expect(good).toEqual({
      ok: true,
      rule: {
        id: 'r1',
        role: 'scoped-editor',
        sheets: [m.id],
        columns: '*',
        condition: 'rec.站点 == user.station',
      },
    })
    const unknown = checkRuleDraft(
      wb,
      { role: 'editor', sheets: [m.id], columns: '*', condition: 'rec.街道 == user.station' },
      id,
    )
    expect(unknown).toMatchObject({ ok: false, problem: { kind: 'condition' } })
    if (unknown.ok || unknown.problem.kind !== 'condition') throw new Error('expected a problem')
    expect(unknown.problem.message.zh).toMatch(/街道/)
    expect(unknown.problem.message.en.length).toBeGreaterThan(0)
    const syntax = checkRuleDraft(
      wb,
      { role: 'editor', sheets: '*', columns: '*', condition: 'rec.站点 == ' },
      id,
    )
    expect(syntax).toMatchObject({ ok: false, problem: { kind: 'condition' } })
    // For all sheets, one sheet with the columns is enough (the stations sheet has no 站点).
    expect(
      checkRuleDraft(
        wb,
        { role: 'editor', sheets: '*', columns: '*', condition: 'rec.站点 == user.station' },
        id,
      ).ok,
    ).toBe(true)
    // A named sheet must have them.
    expect(
      checkRuleDraft(
        wb,
        {
          role: 'editor',
          sheets: [wb.listSheets()[0]!.id, m.id],
          columns: '*',
          condition: 'rec.站点 == user.station',
        },
        id,
      ),
    ).toMatchObject({ ok: false, problem: { kind: 'condition', sheetName: '站点' } })
    expect(
      checkRuleDraft(wb, { role: 'editor', sheets: [], columns: '*', condition: '' }, id),
    ).toMatchObject({ ok: false, problem: { kind: 'sheets' } })
    expect(
      checkRuleDraft(wb, { role: 'editor', sheets: '*', columns: [], condition: '' }, id),
    ).toMatchObject({ ok: false, problem: { kind: 'columns' } })
    // Nothing was written by checking.
    expect(readRules(wb)).toEqual([])
  })
})
