/**
 * The checker keeps plans (settings, grants, compiled conditions) and lock inputs between checks
 * (issue 16 §2, for speed): one checker kept across changes must answer as a fresh one would.
 */
import { describe, expect, it } from 'vitest'
import { saveCompletenessSettings } from '../completeness/completeness.js'
import { setAutoLock, setLockException, setPeriodLock, writeRule } from './accessDoc.js'
import { type Change, createAccessChecker } from './checkChange.js'
import type { AccessIdentity } from './roles.js'
import { ledger } from './testLedger.js'

const DAY = 86_400_000
const NOW = Date.UTC(2024, 7, 15) // 2024-08-15
const clerkA: AccessIdentity = {
  role: 'scoped-editor',
  name: '朝歌站',
  scope: { station: '朝歌街道社工站' },
}

describe('access: a kept checker follows the workbook', () => {
  it('locks, reopens, exceptions and auto-locks are seen at once', () => {
    const { wb, m, rows, cols, stations } = ledger()
    const kept = createAccessChecker(wb)
    const edit: Change = {
      kind: 'cell',
      sheetId: m.id,
      rowId: rows.ra7,
      colId: cols.served,
      value: 7,
    }
    const both = (now = NOW) => {
      const fresh = createAccessChecker(wb)
      const a = kept.check(clerkA, edit, now)
      expect(a).toEqual(fresh.check(clerkA, edit, now))
      fresh.dispose()
      return a
    }
    expect(both()).toEqual({ ok: true })
    setPeriodLock(wb, m.id, '2024-07', { locked: true, by: '审核', at: 1 })
    expect(both()).toMatchObject({ ok: false, reason: 'period-locked' })
    setLockException(wb, m.id, '2024-07', stations.a, { by: '审核', at: 2 })
    expect(both()).toEqual({ ok: true })
    setLockException(wb, m.id, '2024-07', stations.a, undefined)
    setPeriodLock(wb, m.id, '2024-07', { locked: false, by: '审核', at: 3 })
    expect(both()).toEqual({ ok: true })
    // Auto-lock from the access map, then only the clock moves: July ends 2024-08-01 (UTC+8).
    wb.doc.getMap('access').delete(`lock:${m.id}|2024-07`)
    setAutoLock(wb, m.id, { days: 20 })
    expect(both(NOW)).toEqual({ ok: true })
    expect(both(NOW + 10 * DAY)).toMatchObject({ ok: false, reason: 'period-locked' })
    expect(both(NOW)).toEqual({ ok: true })
    kept.dispose()
  })

  it('rules, completeness settings and column renames are seen at once', () => {
    const { wb, m, rows, cols } = ledger()
    const kept = createAccessChecker(wb)
    const edit: Change = {
      kind: 'cell',
      sheetId: m.id,
      rowId: rows.ra7,
      colId: cols.served,
      value: 7,
    }
    const both = () => {
      const fresh = createAccessChecker(wb)
      const a = kept.check(clerkA, edit, NOW)
      expect(a).toEqual(fresh.check(clerkA, edit, NOW))
      fresh.dispose()
      return a
    }
    expect(both()).toEqual({ ok: true })
    // The default grant follows the settings' station column: now 备注, empty in this row.
    saveCompletenessSettings(wb, {
      sheetId: m.id,
      stationColumn: cols.note,
      periodColumn: cols.period,
      granularity: 'month',
      required: [cols.served],
      from: '2024-06',
      to: '2024-07',
    })
    expect(both()).toMatchObject({ ok: false, reason: 'row-not-in-scope' })
    // A stored rule replaces the default: 服务人次 only, July rows.
    writeRule(wb, {
      id: 'r1',
      role: 'scoped-editor',
      sheets: [m.id],
      columns: [cols.served],
      condition: 'rec.期间 == "2024-07"',
    })
    expect(both()).toEqual({ ok: true })
    // Renaming the column the condition names: it no longer compiles, so it grants nothing.
    m.updateColumn(cols.period, { name: '月份' })
    expect(both()).toMatchObject({ ok: false, reason: 'row-not-in-scope' })
    kept.dispose()
  })

  it('a frozen identity (one per connection, its key remembered) is answered as a plain one; two stations never share a plan', () => {
    const { wb, m, rows, cols } = ledger()
    const kept = createAccessChecker(wb)
    const frozenA: AccessIdentity = Object.freeze({
      ...clerkA,
      scope: Object.freeze({ station: '朝歌街道社工站' }),
    })
    const frozenB: AccessIdentity = Object.freeze({
      ...clerkA,
      name: '桥盟站',
      scope: Object.freeze({ station: '桥盟街道社工站' }),
    })
    const plainB: AccessIdentity = { ...frozenB, scope: { station: '桥盟街道社工站' } }
    for (const rowId of [rows.ra7, rows.rb7, rows.ra7, rows.rb7]) {
      const edit: Change = { kind: 'cell', sheetId: m.id, rowId, colId: cols.served, value: 1 }
      const fresh = createAccessChecker(wb)
      expect(kept.check(frozenA, edit, NOW)).toEqual(fresh.check(clerkA, edit, NOW))
      expect(kept.check(frozenB, edit, NOW)).toEqual(fresh.check(plainB, edit, NOW))
      fresh.dispose()
    }
    // Each station may write its own row only (the answers above are not all alike).
    const edit = (rowId: string): Change => ({
      kind: 'cell',
      sheetId: m.id,
      rowId,
      colId: cols.served,
      value: 1,
    })
    expect(kept.check(frozenA, edit(rows.ra7), NOW)).toEqual({ ok: true })
    expect(kept.check(frozenA, edit(rows.rb7), NOW)).toMatchObject({ reason: 'row-not-in-scope' })
    expect(kept.check(frozenB, edit(rows.rb7), NOW)).toEqual({ ok: true })
    expect(kept.check(frozenB, edit(rows.ra7), NOW)).toMatchObject({ reason: 'row-not-in-scope' })
    kept.dispose()
  })
})
