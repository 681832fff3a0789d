import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { readLockRecord, readRules, setPeriodLock, writeRule } from '../access/accessDoc.js'
import { createAccessChecker } from '../access/checkChange.js'
import { Roles } from '../access/roles.js'
import { ledger } from '../access/testLedger.js'
import { readDefinition, readDefinitions, writeDefinition } from '../model/definitions.js'
import { Workbook } from '../model/workbook.js'
import { copyVersionInto } from './copy.js'
import { compareDefinitions } from './definitions.js'
import { rollbackTo } from './rollback.js'

/** A version as the server hands it out: the whole doc as one update, opened in a new doc. */
function capture(wb: Workbook): Workbook {
  const v = new Y.Doc()
  Y.applyUpdate(v, Y.encodeStateAsUpdate(wb.doc))
  return Workbook.open(v).workbook
}

const summary = (title: string) => ({ title, groupBy: ['站点'], measures: ['服务人次'] })

/** The fixture ledger with report definitions and one access rule, captured as a version. */
function setupVersioned() {
  const l = ledger()
  const { wb } = l
  writeDefinition(wb, 'summary', 's1', summary('按站点汇总'))
  writeDefinition(wb, 'chart', 'c1', { type: 'bar', summary: 's1' })
  writeRule(wb, { id: 'r1', role: Roles.editor, sheets: '*', columns: '*' })
  return { ...l, version: capture(wb) }
}

describe('rollback and copy: report definitions come back; access rules, locks and marks do not', () => {
  it('rolls report definitions back with the data, leaves rules, locks and complete marks, and never writes into a locked month', () => {
    const { wb, m, rows, cols, version } = setupVersioned()
    // After the version: the report changed, a chart added and one removed, data edited in
    // June and July, then a new rule, June locked, and a station's month marked complete.
    writeDefinition(wb, 'summary', 's1', summary('按区县汇总'))
    writeDefinition(wb, 'chart', 'c2', { type: 'line', summary: 's1' })
    wb.doc.getMap('ledger').delete('chart:c1')
    m.setCell(rows.ra6, cols.served, 44)
    m.setCell(rows.ra7, cols.served, 33)
    writeRule(wb, { id: 'r2', role: Roles.scopedEditor, sheets: [m.id], columns: [cols.served] })
    setPeriodLock(wb, m.id, '2024-06', { locked: true, by: '审批人', at: 1 })
    writeDefinition(wb, 'complete', 'mark1', { by: '朝歌街道社工站', at: 2 })
    expect(compareDefinitions(version, wb).map((d) => [d.kind, d.id, d.change])).toEqual([
      ['summary', 's1', 'changed'],
      ['chart', 'c1', 'removed'],
      ['chart', 'c2', 'added'],
    ])

    const checker = createAccessChecker(wb)
    const owner = { role: Roles.owner, name: '站长' }
    const res = rollbackTo(version, wb, { allow: (c) => checker.check(owner, c, 10).ok })
    checker.dispose()

    // Report definitions: as in the version.
    expect(readDefinition(wb, 'summary', 's1')).toEqual(summary('按站点汇总'))
    expect(readDefinitions(wb, 'chart').map(([id]) => id)).toEqual(['c1'])
    expect(compareDefinitions(version, wb)).toEqual([])
    expect(res.definitions.map((d) => d.id)).toEqual(['s1', 'c1', 'c2'])
    // Access rules, the lock and the mark: untouched.
    expect(readRules(wb).map((r) => r.id)).toEqual(['r1', 'r2'])
    expect(readLockRecord(wb, m.id, '2024-06')).toMatchObject({ locked: true, by: '审批人' })
    expect(readDefinition(wb, 'complete', 'mark1')).toEqual({ by: '朝歌街道社工站', at: 2 })
    // July rolled back; June is locked (owners too): left as it is, and counted.
    expect(m.getCell(rows.ra7, cols.served)).toBe(3)
    expect(m.getCell(rows.ra6, cols.served)).toBe(44)
    expect(res.refused).toBe(1)
  })

  it("leaves a locked month's rows where they are: no restore, delete or insert into it", () => {
    const { wb, m, rows, cols, stations, version } = setupVersioned()
    m.deleteRows([rows.ra6])
    const [late] = m.insertRows([
      { [cols.station]: stations.b, [cols.period]: '2024-06', [cols.served]: 7 },
    ]) as [string]
    const [july] = m.insertRows([
      { [cols.station]: stations.c, [cols.period]: '2024-07', [cols.served]: 1 },
    ]) as [string]
    setPeriodLock(wb, m.id, '2024-06', { locked: true, by: '审批人', at: 1 })
    const checker = createAccessChecker(wb)
    const res = rollbackTo(version, wb, {
      allow: (c) => checker.check({ role: Roles.owner, name: '站长' }, c, 10).ok,
    })
    checker.dispose()
    // The deleted June row stays deleted, the June row added later stays; July's extra row goes.
    expect(m.rowIds()).not.toContain(rows.ra6)
    expect(m.rowIds()).toContain(late)
    expect(m.rowIds()).not.toContain(july)
    expect(res.rowsDeleted).toBe(1)
    expect(res.refused).toBe(2)
    // Without the checker (what a rollback did before): both June changes would be written.
    const again = capture(wb)
    const all = rollbackTo(version, again)
    expect(all.refused).toBe(0)
    expect(again.sheet(m.id).rowIds()).toContain(rows.ra6)
  })

  it('an editor who may not change structure leaves the columns and counts them', () => {
    const { wb, m, cols, version } = setupVersioned()
    m.renameColumn(cols.note, '说明')
    const checker = createAccessChecker(wb)
    // The workbook has a rule, so structure is owner-only.
    const res = rollbackTo(version, wb, {
      allow: (c) => checker.check({ role: Roles.editor, name: '编辑' }, c, 10).ok,
    })
    checker.dispose()
    expect(m.column(cols.note)?.name).toBe('说明')
    expect(res.refused).toBe(1)
  })

  it('copy into a new workbook carries definitions and complete marks, never access rules or locks', () => {
    const { wb, m, version } = setupVersioned()
    writeDefinition(version, 'complete', 'mark1', { by: '朝歌街道社工站', at: 2 })
    setPeriodLock(version, m.id, '2024-06', { locked: true, by: '审批人', at: 1 })
    const fresh = Workbook.create(new Y.Doc(), { title: '', author: { id: 'u9', name: '复制者' } })
    copyVersionInto(version, fresh, '副本')
    expect(readDefinition(fresh, 'summary', 's1')).toEqual(summary('按站点汇总'))
    expect(readDefinition(fresh, 'chart', 'c1')).toEqual({ type: 'bar', summary: 's1' })
    expect(readDefinition(fresh, 'complete', 'mark1')).toEqual({ by: '朝歌街道社工站', at: 2 })
    expect(readRules(fresh)).toEqual([])
    expect(readLockRecord(fresh, m.id, '2024-06')).toBeUndefined()
    expect(readRules(wb).map((r) => r.id)).toEqual(['r1'])
  })

  it('compareDefinitions ignores the key order of equal definitions', () => {
    const { wb, version } = setupVersioned()
    writeDefinition(wb, 'summary', 's1', {
      measures: ['服务人次'],
      groupBy: ['站点'],
      title: '按站点汇总',
    })
    expect(compareDefinitions(version, wb)).toEqual([])
  })
})
