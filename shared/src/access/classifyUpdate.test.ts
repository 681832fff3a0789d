import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Workbook } from '../model/workbook.js'
import { setPeriodLock, writeRule } from './accessDoc.js'
import { createAccessChecker } from './checkChange.js'
import { classifyUpdate } from './classifyUpdate.js'
import { ledger } from './testLedger.js'

const NOW = Date.UTC(2024, 7, 15)

/** A second replica of the fixture; `diff` is what it would send the first. */
function replica() {
  const l = ledger()
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(l.wb.doc))
  const opened = Workbook.open(doc, { author: { id: 'u2', name: '朝歌站' } })
  const wb = opened.workbook
  const diff = () => Y.encodeStateAsUpdate(doc, Y.encodeStateVector(l.wb.doc))
  return { ...l, client: wb, diff }
}

describe('access: classifyUpdate', () => {
  it('names cell edits with their new values, and nothing else (edit log entries ride along)', () => {
    const r = replica()
    r.client.sheet(r.m.id).setCell(r.rows.rb7, r.cols.served, 11)
    r.client.sheet(r.m.id).setCell(r.rows.rb7, r.cols.served, 12)
    expect(classifyUpdate(r.wb, r.diff())).toEqual([
      { kind: 'cell', sheetId: r.m.id, rowId: r.rows.rb7, colId: r.cols.served, value: 12 },
    ])
  })

  it('a row insert carries its values by column id, with same-update cell edits folded in', () => {
    const r = replica()
    const [id] = r.client
      .sheet(r.m.id)
      .insertRows([{ [r.cols.station]: r.stations.a, [r.cols.period]: '2024-08' }]) as [string]
    r.client.sheet(r.m.id).setCell(id, r.cols.served, 5)
    const changes = classifyUpdate(r.wb, r.diff())
    expect(changes).toContainEqual({
      kind: 'row-insert',
      sheetId: r.m.id,
      rowId: id,
      values: expect.objectContaining({
        [r.cols.station]: r.stations.a,
        [r.cols.period]: '2024-08',
        [r.cols.served]: 5,
      }),
    })
    expect(changes.filter((c) => c.kind === 'cell')).toEqual([])
  })

  it('row deletes and moves; deleted cells; column, sheet, rule and lock writes', () => {
    const r = replica()
    const s = r.client.sheet(r.m.id)
    s.deleteRows([r.rows.rc7])
    s.moveRows([r.rows.ra6], { after: r.rows.rb7 })
    expect(classifyUpdate(r.wb, r.diff())).toEqual(
      expect.arrayContaining([
        { kind: 'row-delete', sheetId: r.m.id, rowId: r.rows.rc7 },
        { kind: 'row-move', sheetId: r.m.id, rowId: r.rows.ra6 },
      ]),
    )

    const r2 = replica()
    r2.client.sheet(r2.m.id).addColumn({ name: '新列', type: 'text' })
    expect(classifyUpdate(r2.wb, r2.diff())).toContainEqual({
      kind: 'structure',
      sheetId: r2.m.id,
      what: 'column',
    })

    const r3 = replica()
    r3.client.renameSheet(r3.m.id, '改名')
    expect(classifyUpdate(r3.wb, r3.diff())).toEqual([
      { kind: 'structure', sheetId: r3.m.id, what: 'sheet' },
    ])

    const r4 = replica()
    writeRule(r4.client, { id: 'x', role: 'editor', sheets: '*', columns: '*' })
    setPeriodLock(r4.client, r4.m.id, '2024-07', { locked: true, by: 'b', at: 1 })
    expect(classifyUpdate(r4.wb, r4.diff())).toEqual(
      expect.arrayContaining([{ kind: 'rules' }, { kind: 'lock', sheetId: r4.m.id }]),
    )

    // Clearing a cell the server has: an overwrite of its overlay entry.
    const r5 = replica()
    r5.client.sheet(r5.m.id).setCell(r5.rows.ra7, r5.cols.note, '甲')
    Y.applyUpdate(r5.wb.doc, r5.diff())
    r5.client.sheet(r5.m.id).clearCell(r5.rows.ra7, r5.cols.note)
    const cleared = classifyUpdate(r5.wb, r5.diff())
    expect(cleared).toHaveLength(1)
    expect(cleared[0]).toMatchObject({ kind: 'cell', rowId: r5.rows.ra7, colId: r5.cols.note })
  })

  it('an update that needs structs nobody has is unresolved; one already applied changes nothing', () => {
    const r = replica()
    r.client.sheet(r.m.id).setCell(r.rows.ra7, r.cols.served, 1)
    const first = r.diff()
    r.client.sheet(r.m.id).setCell(r.rows.ra7, r.cols.served, 2)
    const both = r.diff()
    const onlySecond = Y.diffUpdate(both, Y.encodeStateVectorFromUpdate(first))
    expect(classifyUpdate(r.wb, onlySecond)).toEqual([{ kind: 'unresolved' }])
    Y.applyUpdate(r.wb.doc, both)
    expect(classifyUpdate(r.wb, both)).toEqual([])
  })

  it('with the checker: a station clerk’s update touching another station is refused, its own passes', () => {
    const r = replica()
    const ck = createAccessChecker(r.wb)
    const clerk = {
      role: 'scoped-editor',
      name: '朝歌站',
      scope: { station: '朝歌街道社工站' },
    } as const
    r.client.sheet(r.m.id).setCell(r.rows.ra7, r.cols.served, 8)
    const mine = classifyUpdate(r.wb, r.diff())
    expect(mine.map((c) => (c.kind === 'unresolved' ? c : ck.check(clerk, c, 0)))).toEqual([
      { ok: true },
    ])
    r.client.sheet(r.m.id).setCell(r.rows.rb7, r.cols.served, 9)
    const decisions = classifyUpdate(r.wb, r.diff()).map((c) =>
      c.kind === 'unresolved' ? null : ck.check(clerk, c, 0).ok,
    )
    expect(decisions.sort()).toEqual([false, true])
    ck.dispose()
  })

  it('a cell overwritten update by update carries its new value (the old one is deleted beside it)', () => {
    const r = replica()
    const server = r.wb
    const updates: Uint8Array[] = []
    r.client.doc.on('update', (u: Uint8Array) => updates.push(u))
    const s = r.client.sheet(r.m.id)
    s.setCell(r.rows.ra7, r.cols.served, 11)
    s.setCell(r.rows.ra7, r.cols.served, 12)
    s.setCell(r.rows.ra7, r.cols.served, null)
    const seen = updates.map((u) => {
      const c = classifyUpdate(server, u)
      Y.applyUpdate(server.doc, u)
      return c
    })
    const cell = (value: number | null) => [
      { kind: 'cell', sheetId: r.m.id, rowId: r.rows.ra7, colId: r.cols.served, value },
    ]
    expect(seen).toEqual([cell(11), cell(12), cell(null)])
  })

  it('a clerk cannot move its own row into a locked month by overwriting the period', () => {
    const r = replica()
    const ck = createAccessChecker(r.wb)
    const clerk = {
      role: 'scoped-editor',
      name: '朝歌站',
      scope: { station: '朝歌街道社工站' },
    } as const
    setPeriodLock(r.wb, r.m.id, '2024-06', { locked: true, by: '审核', at: 1 })
    const updates: Uint8Array[] = []
    r.client.doc.on('update', (u: Uint8Array) => updates.push(u))
    const s = r.client.sheet(r.m.id)
    s.setCell(r.rows.ra7, r.cols.period, '2024-08') // an open month: allowed, now in the cell overlay
    s.setCell(r.rows.ra7, r.cols.period, '2024-06') // the overwrite: into the locked June
    const [first, second] = updates as [Uint8Array, Uint8Array]
    const decide = (u: Uint8Array) =>
      classifyUpdate(r.wb, u).map((c) => (c.kind === 'unresolved' ? c : ck.check(clerk, c, NOW)))
    expect(decide(first)).toEqual([{ ok: true }])
    Y.applyUpdate(r.wb.doc, first)
    expect(decide(second)).toEqual([
      expect.objectContaining({
        ok: false,
        reason: 'period-locked',
        lock: expect.objectContaining({ period: '2024-06' }),
      }),
    ])
    ck.dispose()
  })
})
