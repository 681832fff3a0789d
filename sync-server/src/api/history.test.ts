import { Workbook } from '@taizhang/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { synced, tokenFor, useTestScope, waitFor } from '../test/helpers.js'
import { startWithDocs } from './testServer.js'

const scope = useTestScope()

describe('GET /api/workbooks/<id>/sheets/<sheet>/history (issue 13 §5)', () => {
  it("shows a cell's writes newest first with the token's name as the attested author, not the self-chosen one; 400/404 with zh/en", async () => {
    const seed = new Y.Doc()
    const wb = Workbook.create(seed, { title: '台账', author: { id: 'seed', name: '建表人' } })
    const sheetId = wb.addSheet('站点')
    const col = wb.sheet(sheetId).addColumn({ name: '人数', type: 'number' })
    const [row] = wb.sheet(sheetId).insertRows([{ [col]: 1 }])
    const srv = await startWithDocs(scope, { wb1: seed }, { attest: true })

    const token = tokenFor('editor', 'wb1', { user: 'u-wang', name: '王小明' })
    const c = scope.connect(srv.wsBase, 'wb1', token)
    await synced(c)
    // The client calls itself 局长 in the edit log; the server knows the token's 王小明.
    const mine = Workbook.open(c.doc, { author: { id: 'boss', name: '局长' } }).workbook
    mine.sheet(sheetId).setCell(row!, col, 42)
    const viewer = { authorization: `Bearer ${tokenFor('viewer', 'wb1')}` }
    const url = `${srv.http}/api/workbooks/wb1/sheets/${encodeURIComponent('站点')}/history?row=${row}&col=${encodeURIComponent('人数')}`
    type Body = { history: Array<Record<string, unknown> & { attested: Record<string, unknown> }> }
    let body: Body = { history: [] }
    await waitFor(async () => {
      const r = await fetch(url, { headers: viewer })
      body = (await r.json()) as Body
      return body.history[0]?.attested.status === 'attested'
    }, 'attested history')
    expect(body.history[0]).toMatchObject({
      value: 42,
      by: '局长',
      attested: { status: 'attested', user: 'u-wang', name: '王小明' },
    })

    const bad = await fetch(`${srv.http}/api/workbooks/wb1/sheets/${sheetId}/history?row=${row}`, {
      headers: viewer,
    })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ error: 'bad-history-query', zh: expect.any(String) })
    const noRow = await fetch(
      `${srv.http}/api/workbooks/wb1/sheets/${sheetId}/history?row=nope&col=${col}`,
      { headers: viewer },
    )
    expect(noRow.status).toBe(404)
    expect(await noRow.json()).toMatchObject({ error: 'row-not-found', en: expect.any(String) })
    const noCol = await fetch(
      `${srv.http}/api/workbooks/wb1/sheets/${sheetId}/history?row=${row}&col=${encodeURIComponent('无此列')}`,
      { headers: viewer },
    )
    expect(noCol.status).toBe(404)
    expect((await fetch(url)).status).toBe(401)
  })
})
