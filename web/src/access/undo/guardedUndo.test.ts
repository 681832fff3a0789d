import { type AccessIdentity, setPeriodLock, type Workbook, writeRule } from '@taizhang/shared'
import { buildLedger } from '@taizhang/shared/testing'
import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { makeAccessGate, type Refusal, setAccessGate } from '../ui/accessGate'
import { refusedToastIn } from '../ui/text'
import { checkUndoStep, runUndo } from './guardedUndo'
import { changeKey, replicaOf, undoAndClassify } from './testUndo'
import { undoStepChanges } from './undoChanges'

const NOW = Date.UTC(2024, 7, 15)
const LOCKED_AT = Date.UTC(2024, 7, 5, 6, 3)

const clerkA: AccessIdentity = {
  role: 'scoped-editor',
  name: '朝歌站',
  scope: { station: '朝歌街道社工站' },
}

/**
 * The bureau's workbook (stations 朝歌 and 桥盟, a monthly sheet) and a clerk's replica of it,
 * with the clerk's undo manager; `sync` delivers each side's changes to the other.
 */
function setup() {
  const {
    wb: bureau,
    m,
    stationIds,
    rowIds,
    cols,
  } = buildLedger({
    author: { id: 'b', name: '民政局' },
    stations: [{ name: '朝歌街道社工站' }, { name: '桥盟街道社工站' }],
    rows: [
      [0, '2024-06', 40],
      [0, '2024-07', 3],
      [1, '2024-07', 5],
    ],
  })
  const [a, b] = stationIds as [string, string]
  const [ra6, ra7, rb7] = rowIds as [string, string, string]
  const { wb, um, sync } = replicaOf(bureau, { id: 'a', name: '朝歌站' })
  return {
    bureau,
    wb,
    um,
    sync,
    sheetId: m.id,
    stations: { a, b },
    rows: { ra6, ra7, rb7 },
    cols: { station: cols.station, period: cols.period, served: cols.served },
  }
}

/** The predicted changes of the next undo (redo) beside the ones the real undo produced. */
function predictedAndActual(wb: Workbook, um: Y.UndoManager, direction: 'undo' | 'redo') {
  const predicted = undoStepChanges(wb, um, direction) ?? []
  const actual = undoAndClassify(wb, um, direction)
  return { predicted: predicted.map(changeKey).sort(), actual: actual.map(changeKey).sort() }
}

describe('access-client: undo and redo through the access rules', () => {
  it('an undo of my edit after the bureau locked the month is not applied, says why, and works after the reopen', () => {
    const s = setup()
    const gate = makeAccessGate(s.wb, clerkA, () => NOW)
    const off = setAccessGate(s.wb, gate)
    const reports: [number, Refusal][] = []
    gate.onRefused((n, d) => reports.push([n, d]))
    const sheet = s.wb.sheet(s.sheetId)
    sheet.setCell(s.rows.ra7, s.cols.served, 30)
    s.sync()
    setPeriodLock(s.bureau, s.sheetId, '2024-07', { locked: true, by: '张三', at: LOCKED_AT })
    s.sync()
    const updates: Uint8Array[] = []
    const onUpdate = (u: Uint8Array) => updates.push(u)
    s.wb.doc.on('update', onUpdate)

    expect(runUndo(s.wb, s.um, 'undo')).toBe(false)
    // Nothing written, nothing to send; the step is kept for after the reopen.
    expect(sheet.getCell(s.rows.ra7, s.cols.served)).toBe(30)
    expect(updates).toHaveLength(0)
    expect(s.um.undoStack).toHaveLength(1)
    expect(reports).toHaveLength(1)
    const [n, d] = reports[0]!
    expect(n).toBe(1)
    expect(d).toMatchObject({ reason: 'period-locked', action: 'undo', lock: { by: '张三' } })
    expect(refusedToastIn('zh-CN', n, d)).toMatch(
      /^无法撤销：2024年7月已被锁定（张三，2024-08-05 \d\d:03）。这一步已保留，重新开放后可再撤销。$/,
    )
    expect(refusedToastIn('en', n, d)).toMatch(
      /^Cannot undo: 2024-07 is locked \(张三, 2024-08-05 \d\d:03\)\. The step is kept/,
    )

    setPeriodLock(s.bureau, s.sheetId, '2024-07', {
      locked: false,
      by: '张三',
      at: LOCKED_AT + 1,
    })
    s.sync()
    expect(runUndo(s.wb, s.um, 'undo')).toBe(true)
    expect(sheet.getCell(s.rows.ra7, s.cols.served)).toBe(3)
    s.wb.doc.off('update', onUpdate)
    off()
    gate.dispose()
  })

  it('a step is applied whole or not at all: a paste over an open and a locked month is refused whole', () => {
    const s = setup()
    const gate = makeAccessGate(s.wb, clerkA, () => NOW)
    const sheet = s.wb.sheet(s.sheetId)
    sheet.setCells([
      { row: s.rows.ra6, col: s.cols.served, value: 41 },
      { row: s.rows.ra7, col: s.cols.served, value: 31 },
    ])
    s.sync()
    setPeriodLock(s.bureau, s.sheetId, '2024-07', { locked: true, by: '张三', at: LOCKED_AT })
    s.sync()
    const check = checkUndoStep(s.wb, s.um, gate, 'undo')
    expect(check).toMatchObject({ ok: false, count: 1, decision: { reason: 'period-locked' } })
    const off = setAccessGate(s.wb, gate)
    expect(runUndo(s.wb, s.um, 'undo')).toBe(false)
    expect(sheet.getCell(s.rows.ra6, s.cols.served)).toBe(41)
    expect(sheet.getCell(s.rows.ra7, s.cols.served)).toBe(31)
    off()
    gate.dispose()
  })

  it('after the owner narrows the rules, undoing an edit of another station’s row is refused; redo is checked too', () => {
    const s = setup()
    const editor: AccessIdentity = { role: 'editor', name: '编辑' }
    const gate = makeAccessGate(s.wb, editor, () => NOW)
    const off = setAccessGate(s.wb, gate)
    const reports: Refusal[] = []
    gate.onRefused((_n, d) => reports.push(d))
    const sheet = s.wb.sheet(s.sheetId)
    sheet.setCell(s.rows.rb7, s.cols.served, 50)
    sheet.setCell(s.rows.ra7, s.cols.served, 33)
    expect(runUndo(s.wb, s.um, 'undo')).toBe(true)
    expect(sheet.getCell(s.rows.ra7, s.cols.served)).toBe(3)
    s.sync()
    writeRule(s.bureau, {
      id: 'r1',
      role: 'editor',
      sheets: [s.sheetId],
      columns: '*',
      condition: 'rec.站点 == "朝歌街道社工站"',
    })
    s.sync()
    // Redo writes 朝歌's row: allowed. The next undo would write 桥盟's: refused, kept.
    expect(runUndo(s.wb, s.um, 'redo')).toBe(true)
    expect(sheet.getCell(s.rows.ra7, s.cols.served)).toBe(33)
    expect(runUndo(s.wb, s.um, 'undo')).toBe(true)
    expect(runUndo(s.wb, s.um, 'undo')).toBe(false)
    expect(sheet.getCell(s.rows.rb7, s.cols.served)).toBe(50)
    expect(reports.at(-1)).toMatchObject({ reason: 'row-not-in-scope', action: 'undo' })
    expect(refusedToastIn('zh-CN', 1, reports.at(-1)!)).toBe(
      '无法撤销：这一行不属于你负责的站点或区县。这一步已保留。',
    )
    expect(s.um.undoStack).toHaveLength(1)
    off()
    gate.dispose()
  })

  it('undoing a row delete in a locked month (a row insert) and redoing a row insert are checked', () => {
    const s = setup()
    const gate = makeAccessGate(s.wb, clerkA, () => NOW)
    const sheet = s.wb.sheet(s.sheetId)
    sheet.deleteRows([s.rows.ra7])
    const [added] = sheet.insertRows([
      { [s.cols.station]: s.stations.a, [s.cols.period]: '2024-07', [s.cols.served]: 8 },
    ]) as [string]
    s.um.undo()
    expect(sheet.hasRow(added)).toBe(false)
    s.sync()
    setPeriodLock(s.bureau, s.sheetId, '2024-07', { locked: true, by: '张三', at: LOCKED_AT })
    s.sync()
    expect(checkUndoStep(s.wb, s.um, gate, 'redo')).toMatchObject({
      ok: false,
      decision: { reason: 'period-locked', action: 'redo' },
    })
    expect(checkUndoStep(s.wb, s.um, gate, 'undo')).toMatchObject({
      ok: false,
      decision: { reason: 'period-locked', action: 'undo' },
    })
    expect(sheet.hasRow(s.rows.ra7)).toBe(false)
    gate.dispose()
  })

  it('the predicted changes are exactly what the server classifies in the update the undo makes', () => {
    const s = setup()
    const sheet = s.wb.sheet(s.sheetId)
    const steps: (() => void)[] = [
      () => sheet.setCell(s.rows.ra7, s.cols.served, 30),
      () => sheet.setCell(s.rows.ra7, s.cols.served, 31),
      () =>
        sheet.setCells([
          { row: s.rows.ra6, col: s.cols.served, value: 1 },
          { row: s.rows.rb7, col: s.cols.served, value: null },
        ]),
      () =>
        sheet.insertRows([
          { [s.cols.station]: s.stations.b, [s.cols.period]: '2024-06', [s.cols.served]: 2 },
        ]),
      () => sheet.deleteRows([s.rows.rb7]),
      () => sheet.moveRows([s.rows.ra6], { after: s.rows.ra7 }),
      () => sheet.renameColumn(s.cols.served, '人次'),
    ]
    for (const step of steps) step()
    // Undo everything, then redo everything: each step's prediction against the real update.
    for (let i = 0; i < steps.length; i++) {
      const { predicted, actual } = predictedAndActual(s.wb, s.um, 'undo')
      expect(actual.length).toBeGreaterThan(0)
      expect(predicted).toEqual(actual)
    }
    expect(undoStepChanges(s.wb, s.um, 'undo')).toBeNull()
    for (let i = 0; i < steps.length; i++) {
      const { predicted, actual } = predictedAndActual(s.wb, s.um, 'redo')
      expect(predicted).toEqual(actual)
    }
  })

  it('a remote overwrite since my edit: the undo that Yjs skips is not checked as a write', () => {
    const s = setup()
    const sheet = s.wb.sheet(s.sheetId)
    sheet.setCell(s.rows.ra7, s.cols.served, 30)
    s.sync()
    s.bureau.sheet(s.sheetId).setCell(s.rows.ra7, s.cols.served, 99)
    s.sync()
    const { predicted, actual } = predictedAndActual(s.wb, s.um, 'undo')
    expect(predicted).toEqual(actual)
    expect(predicted).toEqual([])
    expect(sheet.getCell(s.rows.ra7, s.cols.served)).toBe(99)
  })
})
