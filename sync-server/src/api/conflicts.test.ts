import { Workbook } from '@taizhang/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { tokenFor, useTestScope } from '../test/helpers.js'
import { startWithDocs } from './testServer.js'

const scope = useTestScope()

describe('GET /api/workbooks/<id>/conflicts (issue 13 §5)', () => {
  it('lists the same-cell race with the current and the losing value, author and time; 401 without a token, 404 for an unknown workbook', async () => {
    const docA = new Y.Doc()
    const a = Workbook.create(docA, { title: '台账', author: { id: 'u-a', name: '甲' } })
    const sheetId = a.addSheet('站点')
    const col = a.sheet(sheetId).addColumn({ name: '人数', type: 'number' })
    const [row] = a.sheet(sheetId).insertRows([{ [col]: 1 }])
    const docB = new Y.Doc()
    Y.applyUpdate(docB, Y.encodeStateAsUpdate(docA))
    const b = Workbook.open(docB, { author: { id: 'u-b', name: '乙' } }).workbook
    // At once, neither having seen the other: one value wins, the other is a conflict.
    a.sheet(sheetId).setCell(row!, col, 101)
    b.sheet(sheetId).setCell(row!, col, 202)
    Y.applyUpdate(docA, Y.encodeStateAsUpdate(docB))
    Y.applyUpdate(docB, Y.encodeStateAsUpdate(docA))
    const srv = await startWithDocs(scope, { wb1: docA })

    const res = await fetch(`${srv.http}/api/workbooks/wb1/conflicts`, {
      headers: { authorization: `Bearer ${tokenFor('viewer', 'wb1')}` },
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { conflicts: Array<Record<string, unknown>> }
    expect(body.conflicts).toHaveLength(1)
    const c = body.conflicts[0]!
    const shown = a.sheet(sheetId).readRows()[0]!.cells[col]
    expect(c).toMatchObject({
      kind: 'concurrent-edit',
      sheet: { id: sheetId, name: '站点' },
      rowId: row,
      column: { id: col, name: '人数' },
      current: { value: shown },
      lost: {
        value: shown === 101 ? 202 : 101,
        by: shown === 101 ? '乙' : '甲',
        // Written into the store directly, never through the sync server: nobody attests it.
        attested: { status: 'pending' },
      },
      settlements: [],
    })

    expect((await fetch(`${srv.http}/api/workbooks/wb1/conflicts`)).status).toBe(401)
    const missing = await fetch(`${srv.http}/api/workbooks/nope/conflicts`, {
      headers: { authorization: `Bearer ${tokenFor('viewer')}` },
    })
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({
      error: 'workbook-not-found',
      zh: expect.any(String),
      en: expect.any(String),
    })
  })
})
