/**
 * `AccessPolicy.warm` (issue 16 §2): preparing a joined writer's plans ahead of its first update
 * changes no answer — a warmed policy refuses and allows exactly what a cold one does, and a rule
 * or lock written after the warm-up still counts.
 */
import { type AccessIdentity, Roles, setPeriodLock, Workbook, writeRule } from '@taizhang/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createAccessPolicy } from './AccessPolicy.js'
import { lockedJuneLedger } from './testLedger.js'

const NOW = Date.UTC(2024, 7, 1)
const clerk: AccessIdentity = {
  role: Roles.scopedEditor,
  name: '朝歌站',
  scope: { station: '朝歌街道社工站' },
}

function ledger() {
  const doc = new Y.Doc({ gc: false })
  return { doc, ...lockedJuneLedger(doc, { lockedAt: NOW - 1000 }) }
}

/** An update from a replica of `doc` that sets 服务人次 of `rowId` to `n`. */
function edit(doc: Y.Doc, sheetId: string, rowId: string, col: string, n: number): Uint8Array {
  const replica = new Y.Doc()
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc))
  const sv = Y.encodeStateVector(replica)
  const wb = Workbook.open(replica, { author: { id: 'c', name: '朝歌站' } }).workbook
  wb.sheet(sheetId).setCell(rowId, col, n)
  return Y.encodeStateAsUpdate(replica, sv)
}

describe('AccessPolicy.warm', () => {
  it('a warmed policy answers as a cold one, and rules written after the warm-up count', () => {
    const warm = ledger()
    const cold = ledger()
    const warmed = createAccessPolicy(() => NOW)
    const plain = createAccessPolicy(() => NOW)
    warmed.warm(warm.doc, clerk)
    const verdicts = (l: ReturnType<typeof ledger>, p: ReturnType<typeof createAccessPolicy>) => {
      const [a6, a7, b7] = l.rowIds as [string, string, string]
      return [a6, a7, b7].map((row, i) => {
        const v = p.check(l.doc, edit(l.doc, l.m.id, row, l.cols.served, 10 + i), clerk)
        return v.ok ? 'ok' : v.refused.map((r) => r.reason).join(',')
      })
    }
    // June locked, July own station allowed, the other station's July refused.
    const expected = verdicts(cold, plain)
    expect(expected[1]).toBe('ok')
    expect(expected[0]).not.toBe('ok')
    expect(expected[2]).not.toBe('ok')
    expect(verdicts(warm, warmed)).toEqual(expected)

    // After the warm-up, the owner narrows the scoped editors' rule to a column they do not write
    // and locks July: both still count.
    for (const l of [warm, cold]) {
      writeRule(l.wb, {
        id: 'r1',
        role: Roles.scopedEditor,
        sheets: [l.m.id],
        columns: [l.cols.period],
      })
      setPeriodLock(l.wb, l.m.id, '2024-07', { locked: true, by: '审核员', at: NOW - 10 })
    }
    warmed.warm(warm.doc, clerk)
    const after = verdicts(cold, plain)
    expect(after[1]).not.toBe('ok')
    expect(verdicts(warm, warmed)).toEqual(after)
  })

  it('does nothing for viewers and for open roles on a workbook without access set up', () => {
    const doc = new Y.Doc({ gc: false })
    const wb = Workbook.create(doc, { title: 't', author: { id: 'o', name: '局长' } })
    wb.addSheet('名单')
    const policy = createAccessPolicy(() => NOW)
    const before = Y.encodeStateVector(doc)
    policy.warm(doc, { role: Roles.viewer, name: '看' })
    policy.warm(doc, { role: Roles.editor, name: '编' })
    // Warming never writes to the room's doc.
    expect(Y.encodeStateVector(doc)).toEqual(before)
  })
})
