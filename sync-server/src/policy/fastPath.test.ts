/**
 * The policy's fast path (issue 16 §2, access-perf): on a workbook nobody has set access up for
 * (an empty `access` map), an owner's or editor's update is not classified. These tests hold the
 * fast path to the full path's answer — every change classified and checked — for the updates
 * such a workbook gets, including the one that must still go through: an editor writing into the
 * access map (the first rule or lock is the owner's), also when the key was used before and its
 * new item is placed by its origin alone (no parent in the encoding).
 */
import {
  type AccessIdentity,
  classifyUpdate,
  createAccessChecker,
  deleteRule,
  Roles,
  setPeriodLock,
  Workbook,
  writeRule,
} from '@taizhang/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createAccessPolicy } from './AccessPolicy.js'

const NOW = Date.UTC(2024, 7, 1)

/** The full path: every change of `update` checked, an unresolved one parked as the policy does. */
function fullPath(doc: Y.Doc, update: Uint8Array, who: AccessIdentity): string[] {
  const copy = new Y.Doc({ gc: false })
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  const wb = Workbook.open(copy).workbook
  const checker = createAccessChecker(wb)
  const refused: string[] = []
  for (const change of classifyUpdate(wb, update)) {
    if (change.kind === 'unresolved') continue // open roles on an unset-up workbook: parked
    const d = checker.check(who, change, NOW)
    if (!d.ok) refused.push(d.reason)
  }
  checker.dispose()
  return refused
}

function serverDoc() {
  const doc = new Y.Doc({ gc: false })
  const wb = Workbook.create(doc, { title: '台账', author: { id: 'o', name: '所有者' } })
  const sheet = wb.sheet(wb.addSheet('名单'))
  const col = sheet.addColumn({ name: '姓名', type: 'text' })
  const [row] = sheet.insertRows([{ [col]: '张三' }]) as [string]
  return { doc, wb, sheetId: sheet.id, col, row }
}

function updateFrom(doc: Y.Doc, edit: (wb: Workbook) => void): Uint8Array {
  const replica = new Y.Doc()
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc))
  const before = Y.encodeStateVector(replica)
  edit(Workbook.open(replica, { author: { id: 'e', name: '编辑' } }).workbook)
  return Y.encodeStateAsUpdate(replica, before)
}

const owner: AccessIdentity = { role: Roles.owner, name: '所有者' }
const editor: AccessIdentity = { role: Roles.editor, name: '编辑' }

describe('policy fast path (no access set up) answers as the full path', () => {
  it('cells, rows, structure, rules and locks, for owners and editors', () => {
    const s = serverDoc()
    const updates = {
      cell: updateFrom(s.doc, (wb) => wb.sheet(s.sheetId).setCell(s.row, s.col, '李四')),
      insert: updateFrom(s.doc, (wb) => wb.sheet(s.sheetId).insertRows([{ [s.col]: '王五' }])),
      column: updateFrom(s.doc, (wb) =>
        wb.sheet(s.sheetId).addColumn({ name: '备注', type: 'text' }),
      ),
      rule: updateFrom(s.doc, (wb) =>
        writeRule(wb, { id: 'r1', role: 'editor', sheets: '*', columns: '*' }),
      ),
      lock: updateFrom(s.doc, (wb) =>
        setPeriodLock(wb, s.sheetId, '2024-07', { locked: true, by: '编辑', at: 1 }),
      ),
    }
    const policy = createAccessPolicy(() => NOW)
    const seen: Record<string, string[]> = {}
    for (const who of [owner, editor]) {
      for (const [what, u] of Object.entries(updates)) {
        const v = policy.check(s.doc, u, who)
        const fast = v.ok ? [] : v.refused.map((r) => r.reason)
        expect(fast, `${who.role} ${what}`).toEqual(fullPath(s.doc, u, who))
        seen[`${who.role} ${what}`] = fast
      }
    }
    // Not all alike: an editor's first rule or lock is refused.
    expect(seen['editor rule']).toEqual(['rules-owner-only'])
    expect(seen['editor lock']).toEqual(['locks-approver-only'])
    expect(seen['editor cell']).toEqual([])
  })

  it('an editor re-creating a rule key the owner used and deleted is refused (the item has no parent, only an origin)', () => {
    const s = serverDoc()
    writeRule(s.wb, { id: 'r1', role: 'editor', sheets: '*', columns: '*' })
    deleteRule(s.wb, 'r1')
    expect(s.doc.getMap('access').size).toBe(0) // nobody has access set up: the fast path applies
    const again = updateFrom(s.doc, (wb) =>
      writeRule(wb, { id: 'r1', role: 'editor', sheets: '*', columns: '*' }),
    )
    // The new item's parent is not encoded: Yjs places it by its origin, the deleted rule.
    const item = Y.decodeUpdate(again).structs.find((x) => x instanceof Y.Item) as Y.Item
    expect(item.parent).toBeNull()
    const policy = createAccessPolicy(() => NOW)
    const v = policy.check(s.doc, again, editor)
    expect(v.ok ? [] : v.refused.map((r) => r.reason)).toEqual(fullPath(s.doc, again, editor))
    expect(v.ok).toBe(false)
    // The owner may.
    expect(policy.check(s.doc, again, owner)).toEqual({ ok: true })
  })

  it('an editor writing into a type nested in the access map is sent to the full check too', () => {
    const s = serverDoc()
    const nested = new Y.Map<unknown>()
    s.doc.getMap('access').set('x', nested)
    const replica = new Y.Doc()
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(s.doc))
    s.doc.getMap('access').delete('x')
    expect(s.doc.getMap('access').size).toBe(0)
    const before = Y.encodeStateVector(replica)
    ;(replica.getMap('access').get('x') as Y.Map<unknown>).set('rule', 1)
    const u = Y.encodeStateAsUpdate(replica, before)
    const v = createAccessPolicy(() => NOW).check(s.doc, u, editor)
    expect(v.ok ? [] : v.refused.map((r) => r.reason)).toEqual(fullPath(s.doc, u, editor))
  })
})
