import { describe, expect, it } from 'vitest'
import {
  periodEndMs,
  periodLockState,
  setAutoLock,
  setLockException,
  setPeriodLock,
  writeRule,
} from './accessDoc.js'
import { createAccessChecker } from './checkChange.js'
import { type AccessIdentity, checkIdentityClaims } from './roles.js'
import { ledger } from './testLedger.js'

const DAY = 86_400_000
const NOW = Date.UTC(2024, 7, 15) // 2024-08-15

const clerkA: AccessIdentity = {
  role: 'scoped-editor',
  name: '朝歌站',
  userId: 'u-a',
  scope: { station: '朝歌街道社工站' },
}
const yangpu: AccessIdentity = {
  role: 'scoped-editor',
  name: '杨浦',
  scope: { district: '杨浦区' },
}
const editor: AccessIdentity = { role: 'editor', name: '编辑' }
const owner: AccessIdentity = { role: 'owner', name: '局长' }
const approver: AccessIdentity = { role: 'approver', name: '审核' }
const viewer: AccessIdentity = { role: 'viewer', name: '看' }

describe('access: roles and scopes in tokens', () => {
  it('a scoped editor needs exactly one non-empty scope; other roles none', () => {
    expect(checkIdentityClaims('scoped-editor', { station: '朝歌街道社工站' })).toEqual({
      ok: true,
      scope: { station: '朝歌街道社工站' },
    })
    expect(checkIdentityClaims('scoped-editor', undefined)).toMatchObject({
      ok: false,
      reason: 'scope-missing',
    })
    expect(checkIdentityClaims('scoped-editor', { station: 'x', district: 'y' })).toMatchObject({
      ok: false,
      reason: 'scope-invalid',
    })
    expect(checkIdentityClaims('scoped-editor', { station: '  ' })).toMatchObject({ ok: false })
    expect(checkIdentityClaims('scoped-editor', { station: 'x', admin: true })).toMatchObject({
      ok: false,
    })
    expect(checkIdentityClaims('viewer', { station: 'x' })).toMatchObject({
      ok: false,
      reason: 'scope-not-allowed',
    })
    expect(checkIdentityClaims('editor', undefined)).toEqual({ ok: true })
  })
})

describe('access: checkChange', () => {
  it('a station clerk writes its own rows only, and cannot move a row to another station', () => {
    const { wb, m, rows, cols, stations } = ledger()
    const ck = createAccessChecker(wb)
    const cell = (rowId: string, colId = cols.served, value: unknown = 1) =>
      ck.check(clerkA, { kind: 'cell', sheetId: m.id, rowId, colId, value: value as number }, NOW)
    expect(cell(rows.ra7)).toEqual({ ok: true })
    expect(cell(rows.rb7)).toMatchObject({ ok: false, reason: 'row-not-in-scope' })
    expect(cell(rows.ra7, cols.station, stations.b)).toMatchObject({
      ok: false,
      reason: 'row-not-in-scope',
    })
    expect(
      ck.check(
        clerkA,
        {
          kind: 'row-insert',
          sheetId: m.id,
          rowId: 'new1',
          values: { [cols.station]: stations.a, [cols.period]: '2024-08' },
        },
        NOW,
      ),
    ).toEqual({ ok: true })
    expect(
      ck.check(
        clerkA,
        {
          kind: 'row-insert',
          sheetId: m.id,
          rowId: 'new2',
          values: { [cols.station]: stations.c },
        },
        NOW,
      ),
    ).toMatchObject({ ok: false, reason: 'row-not-in-scope' })
    expect(
      ck.check(clerkA, { kind: 'row-delete', sheetId: m.id, rowId: rows.rb7 }, NOW),
    ).toMatchObject({
      ok: false,
    })
    // Not a periodic sheet: no default grant for a scoped editor.
    const stationsSheet = wb.listSheets()[0]?.id ?? ''
    expect(
      ck.check(
        clerkA,
        { kind: 'cell', sheetId: stationsSheet, rowId: stations.a, colId: 'x' },
        NOW,
      ),
    ).toMatchObject({ ok: false, reason: 'sheet-not-allowed' })
    ck.dispose()
  })

  it('a district scope reaches through the station reference (rec.站点.区县 == user.district)', () => {
    const { wb, m, rows, cols } = ledger()
    const ck = createAccessChecker(wb)
    const at = (rowId: string) =>
      ck.check(yangpu, { kind: 'cell', sheetId: m.id, rowId, colId: cols.served, value: 2 }, NOW)
    expect(at(rows.rc7)).toEqual({ ok: true })
    expect(at(rows.ra7)).toMatchObject({ ok: false, reason: 'row-not-in-scope' })
  })

  it('structure, rules and locks by role; viewers nothing; old editors keep editing every row', () => {
    const { wb, m, rows, cols } = ledger()
    const ck = createAccessChecker(wb)
    const structure = { kind: 'structure', sheetId: m.id, what: 'column' } as const
    // Before any access setup, editors keep shaping sheets as they did before issue 16.
    expect(ck.check(editor, structure, NOW)).toEqual({ ok: true })
    setAutoLock(wb, m.id, { days: 30 })
    expect(ck.check(owner, structure, NOW)).toEqual({ ok: true })
    for (const who of [editor, approver, clerkA]) {
      expect(ck.check(who, structure, NOW)).toMatchObject({ reason: 'structure-owner-only' })
      expect(ck.check(who, { kind: 'rules' }, NOW)).toMatchObject({ reason: 'rules-owner-only' })
    }
    expect(ck.check(approver, { kind: 'lock', sheetId: m.id, period: '2024-07' }, NOW)).toEqual({
      ok: true,
    })
    expect(ck.check(editor, { kind: 'lock', sheetId: m.id }, NOW)).toMatchObject({
      reason: 'locks-approver-only',
    })
    expect(
      ck.check(viewer, { kind: 'cell', sheetId: m.id, rowId: rows.ra7, colId: cols.served }, NOW),
    ).toMatchObject({ reason: 'read-only' })
    expect(
      ck.check(editor, { kind: 'cell', sheetId: m.id, rowId: rows.rb7, colId: cols.served }, NOW),
    ).toEqual({ ok: true })
    expect(
      ck.check(clerkA, { kind: 'definition', defKind: 'summary', id: 's' }, NOW),
    ).toMatchObject({
      reason: 'definitions-not-allowed',
    })
    expect(ck.check(clerkA, { kind: 'definition', defKind: 'complete', id: 'x' }, NOW)).toEqual({
      ok: true,
    })
  })

  it('stored rules replace the default: columns and a condition in the expression language', () => {
    const { wb, m, rows, cols } = ledger()
    writeRule(wb, {
      id: 'r1',
      role: 'editor',
      sheets: [m.id],
      columns: [cols.note],
      condition: '服务人次 < 10',
    })
    const ck = createAccessChecker(wb)
    const cell = (rowId: string, colId: string) =>
      ck.check(editor, { kind: 'cell', sheetId: m.id, rowId, colId, value: 'x' }, NOW)
    expect(cell(rows.ra7, cols.note)).toEqual({ ok: true })
    expect(cell(rows.ra7, cols.served)).toMatchObject({ reason: 'column-not-allowed' })
    expect(cell(rows.ra6, cols.note)).toMatchObject({ reason: 'row-not-in-scope' })
    // A rule that does not compile grants nothing.
    writeRule(wb, { id: 'r1', role: 'editor', sheets: '*', columns: '*', condition: '不存在 == 1' })
    expect(cell(rows.ra7, cols.note)).toMatchObject({ ok: false, reason: 'row-not-in-scope' })
  })

  it('a locked period refuses everyone with who/when until reopened; exceptions per station', () => {
    const { wb, m, rows, cols, stations } = ledger()
    const ck = createAccessChecker(wb)
    const edit = (who: AccessIdentity, rowId: string) =>
      ck.check(who, { kind: 'cell', sheetId: m.id, rowId, colId: cols.served, value: 7 }, NOW)
    setPeriodLock(wb, m.id, '2024-07', { locked: true, by: '审核', at: NOW - DAY })
    expect(edit(clerkA, rows.ra7)).toEqual({
      ok: false,
      reason: 'period-locked',
      message: expect.objectContaining({ zh: '该期间已锁定' }),
      lock: { period: '2024-07', by: '审核', at: NOW - DAY, auto: false },
    })
    expect(edit(owner, rows.ra7)).toMatchObject({ reason: 'period-locked' })
    expect(edit(clerkA, rows.ra6)).toEqual({ ok: true })
    // Moving an open row into the locked month is a change to the locked month.
    expect(
      ck.check(
        clerkA,
        { kind: 'cell', sheetId: m.id, rowId: rows.ra6, colId: cols.period, value: '2024-07' },
        NOW,
      ),
    ).toMatchObject({ reason: 'period-locked' })
    setLockException(wb, m.id, '2024-07', stations.a, { by: '审核', at: NOW })
    expect(edit(clerkA, rows.ra7)).toEqual({ ok: true })
    expect(edit(editor, rows.rb7)).toMatchObject({ reason: 'period-locked' })
    setPeriodLock(wb, m.id, '2024-07', { locked: false, by: '审核', at: NOW })
    expect(edit(editor, rows.rb7)).toEqual({ ok: true })
  })

  it('auto-lock N days after the period ends (China time); an explicit reopen wins', () => {
    const { wb, m } = ledger()
    expect(periodEndMs('2024-07')).toBe(Date.UTC(2024, 7, 1) - 8 * 3_600_000)
    expect(periodEndMs('2024-Q4')).toBe(Date.UTC(2025, 0, 1) - 8 * 3_600_000)
    setAutoLock(wb, m.id, { days: 10 })
    const end = periodEndMs('2024-07') ?? 0
    expect(periodLockState(wb, m.id, '2024-07', null, end + 10 * DAY - 1)).toEqual({
      locked: false,
    })
    expect(periodLockState(wb, m.id, '2024-07', null, end + 10 * DAY)).toEqual({
      locked: true,
      by: '',
      at: end + 10 * DAY,
      auto: true,
    })
    setPeriodLock(wb, m.id, '2024-07', { locked: false, by: '审核', at: end + 11 * DAY })
    expect(periodLockState(wb, m.id, '2024-07', null, end + 12 * DAY)).toEqual({ locked: false })
  })
})
