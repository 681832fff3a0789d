import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Workbook } from '../model/workbook.js'
import { setPeriodLock } from './accessDoc.js'
import { createAccessChecker } from './checkChange.js'
import { classifyUpdate } from './classifyUpdate.js'
import { pendingOverServer, rebuildFromServer } from './rebuild.js'
import { mergeRefused, reapplyRefused } from './refusedEdits.js'
import type { AccessIdentity } from './roles.js'
import { ledger } from './testLedger.js'

const NOW = Date.UTC(2024, 7, 15)
const clerkA: AccessIdentity = {
  role: 'scoped-editor',
  name: '朝歌站',
  scope: { station: '朝歌街道社工站' },
}
const author = { id: 'u-a', name: '朝歌站' }

/** A server workbook and a clerk's replica of it (everything acknowledged). */
function setup() {
  const server = ledger()
  const local = new Y.Doc()
  Y.applyUpdate(local, Y.encodeStateAsUpdate(server.wb.doc))
  const lwb = Workbook.open(local, { author }).workbook
  return { ...server, local, lwb }
}

/** Every change an update makes, checked as the server would for `who`. */
function serverWouldRefuse(wb: Workbook, update: Uint8Array, who: AccessIdentity) {
  const checker = createAccessChecker(wb)
  const out = classifyUpdate(wb, update)
    .map((c) => (c.kind === 'unresolved' ? { ok: false } : checker.check(who, c, NOW)))
    .filter((d) => !d.ok)
  checker.dispose()
  return out
}

describe('access: rebuild after a refusal', () => {
  it('keeps allowed offline edits, lists the refused ones, and the result is acceptable to the server', () => {
    const s = setup()
    const { m, rows, cols, stations } = s
    const lm = s.lwb.sheet(m.id)
    // Offline: July edits of the clerk's own station, one June edit, one edit of another station.
    lm.setCell(rows.ra7, cols.served, 30)
    lm.setCell(rows.ra7, cols.note, '初稿')
    lm.setCell(rows.ra7, cols.note, '定稿')
    lm.setCell(rows.ra6, cols.served, 41)
    lm.setCell(rows.rb7, cols.served, 6)
    const [newJuly] = lm.insertRows([
      { [cols.station]: stations.a, [cols.period]: '2024-07', [cols.served]: 7 },
    ]) as [string]
    lm.insertRows([{ [cols.station]: stations.a, [cols.period]: '2024-06', [cols.served]: 8 }])
    const [gone] = lm.insertRows([{ [cols.station]: stations.a, [cols.period]: '2024-07' }]) as [
      string,
    ]
    lm.deleteRows([gone])
    // Meanwhile on the server: the bureau locks June, another station edits its row.
    setPeriodLock(s.wb, m.id, '2024-06', { locked: true, by: '审核员', at: NOW - 1000 })
    s.m.setCell(rows.rc7, cols.served, 10)
    const serverBefore = Y.encodeStateAsUpdate(s.wb.doc)

    const r = rebuildFromServer({
      serverState: serverBefore,
      local: s.local,
      who: clerkA,
      author,
      now: NOW,
    })
    const rebuilt = Workbook.open(r.doc).workbook
    const rm = rebuilt.sheet(m.id)
    expect(r.doc.clientID).not.toBe(s.local.clientID)
    // Allowed edits are kept (the last value of a cell), the server's edits are there too.
    expect(rm.getCell(rows.ra7, cols.served)).toBe(30)
    expect(rm.getCell(rows.ra7, cols.note)).toBe('定稿')
    expect(rm.getCell(rows.rc7, cols.served)).toBe(10)
    expect(rm.getCell(rows.ra6, cols.served)).toBe(40)
    expect(rm.getCell(rows.rb7, cols.served)).toBe(5)
    const july = rm.readRows().filter((row) => row.cells[cols.served] === 7)
    expect(july).toHaveLength(1)
    expect(rm.hasRow(newJuly)).toBe(false) // re-inserted under a new id
    expect(rm.rowCount()).toBe(5) // 4 rows + the new July row; not the June one, not the deleted one
    // Refused: the June cell, the June row, the other station's cell; each with why.
    const byId = new Map(r.refused.map((e) => [e.id, e]))
    const june = byId.get(`cell|${m.id}|${rows.ra6}|${cols.served}`)
    expect(june).toMatchObject({
      kind: 'cell',
      reason: 'period-locked',
      oldValue: 40,
      newValue: 41,
      sheetName: '指标',
      colName: '服务人次',
      row: { index: 1, station: '朝歌街道社工站', period: '2024-06' },
      lock: { period: '2024-06', by: '审核员' },
    })
    expect(june?.message.zh).toBe('该期间已锁定')
    expect(byId.get(`cell|${m.id}|${rows.rb7}|${cols.served}`)).toMatchObject({
      reason: 'row-not-in-scope',
      oldValue: 5,
      newValue: 6,
    })
    const juneRow = r.refused.find((e) => e.kind === 'row-insert')
    expect(juneRow).toMatchObject({ reason: 'period-locked', values: { [cols.served]: 8 } })
    expect(r.refused).toHaveLength(3)
    // Nothing of the old client id is left pending: the rebuilt doc is the server's state plus
    // new structs of one new client, all of which the server accepts.
    const diff = pendingOverServer(r.doc, Y.encodeStateVector(s.wb.doc))
    const clients = new Set(Y.decodeUpdate(diff).structs.map((x) => x.id.client))
    expect([...clients]).toEqual([r.doc.clientID])
    expect(serverWouldRefuse(s.wb, diff, clerkA)).toEqual([])
    Y.applyUpdate(s.wb.doc, diff)
    expect(s.wb.doc.store.pendingStructs).toBeNull()
    expect(s.m.getCell(rows.ra7, cols.served)).toBe(30)

    // The bureau reopens June: the clerk re-applies the June cell and row; the other station's
    // cell is refused again and stays with its reason.
    setPeriodLock(s.wb, m.id, '2024-06', { locked: false, by: '审核员', at: NOW })
    const checker = createAccessChecker(s.wb)
    expect(reapplyRefused(s.wb, checker, clerkA, june!, NOW)).toEqual({ ok: true })
    expect(s.m.getCell(rows.ra6, cols.served)).toBe(41)
    expect(reapplyRefused(s.wb, checker, clerkA, juneRow!, NOW)).toEqual({ ok: true })
    expect(s.m.readRows().some((row) => row.cells[cols.served] === 8)).toBe(true)
    const again = reapplyRefused(
      s.wb,
      checker,
      clerkA,
      byId.get(`cell|${m.id}|${rows.rb7}|${cols.served}`)!,
      NOW,
    )
    expect(again).toMatchObject({ ok: false, reason: 'row-not-in-scope' })
    expect(s.m.getCell(rows.rb7, cols.served)).toBe(5)
    checker.dispose()
  })

  it('with nothing pending the rebuilt doc is the server state and the list is empty', () => {
    const s = setup()
    const r = rebuildFromServer({
      serverState: Y.encodeStateAsUpdate(s.wb.doc),
      local: s.local,
      who: clerkA,
      author,
      now: NOW,
    })
    expect(r.refused).toEqual([])
    expect(r.reapplied).toEqual([])
    expect(r.pendingBytes).toBeLessThanOrEqual(2)
    expect(Y.encodeStateVector(r.doc)).toEqual(Y.encodeStateVector(s.wb.doc))
  })

  it('a lock write by a clerk is refused and listed with the key to re-apply', () => {
    const s = setup()
    setPeriodLock(s.lwb, s.m.id, '2024-07', { locked: true, by: '朝歌站', at: NOW })
    const r = rebuildFromServer({
      serverState: Y.encodeStateAsUpdate(s.wb.doc),
      local: s.local,
      who: clerkA,
      author,
      now: NOW,
    })
    expect(r.refused).toEqual([
      expect.objectContaining({
        kind: 'lock',
        root: 'access',
        key: `lock:${s.m.id}|2024-07`,
        reason: 'locks-approver-only',
      }),
    ])
    const approver: AccessIdentity = { role: 'approver', name: '审核' }
    const checker = createAccessChecker(s.wb)
    expect(reapplyRefused(s.wb, checker, approver, r.refused[0]!, NOW)).toEqual({ ok: true })
    checker.dispose()
  })

  it('mergeRefused replaces an entry of the same place with the newer one', () => {
    const a = {
      id: 'x',
      kind: 'cell' as const,
      reason: 'period-locked' as const,
      message: { zh: 'a', en: 'a' },
      at: 1,
    }
    const b = { ...a, reason: 'row-not-in-scope' as const, at: 2 }
    const c = { ...a, id: 'y' }
    expect(mergeRefused([a, c], [b])).toEqual([b, c])
  })
})
