import { Workbook } from '@taizhang/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { signToken } from '../auth/tokens.js'
import { synced, type TestServer, tokenFor, useTestScope, waitFor } from '../test/helpers.js'
import { startWithDocs } from './testServer.js'

const scope = useTestScope()

/** A workbook built by `fill`, as the update the server would have stored. */
function workbookUpdate(title: string, fill: (wb: Workbook) => void, at = 1_700_000_000_000) {
  const doc = new Y.Doc()
  const wb = Workbook.create(doc, { title, now: () => at })
  fill(wb)
  const update = Y.encodeStateAsUpdate(doc)
  wb.destroy()
  doc.destroy()
  return update
}

function seeded(): Promise<TestServer> {
  return startWithDocs(scope, {
    stations: workbookUpdate('杨浦区社工站台账', (wb) => {
      const s = wb.sheet(wb.addSheet('站点'))
      const name = s.addColumn({ name: '站点名称', type: 'text' })
      const day = s.addColumn({ name: '成立日期', type: 'date' })
      const money = s.addColumn({
        name: '投入资金',
        type: 'money',
        format: { unit: '万元' },
      })
      s.insertRows([
        { [name]: '殷行街道社工站', [day]: '2021-03-15', [money]: 12.5 },
        { [name]: '五角场街道社工站, "新"', [day]: '2022-07-01', [money]: null },
      ])
      wb.addSheet('空表')
    }),
    older: workbookUpdate(
      '救助台账',
      (wb) => {
        wb.addSheet('名单')
      },
      1_600_000_000_000,
    ),
  })
}

const get = (path: string, token?: string, headers: Record<string, string> = {}) =>
  fetch(`${scope.srv?.http}${path}`, {
    headers: token ? { authorization: `Bearer ${token}`, ...headers } : headers,
  })

describe('read API: GET /api/workbooks', () => {
  it('lists every stored workbook for a * token, with title, times and role, newest first', async () => {
    await seeded()
    const r = await get('/api/workbooks', tokenFor('viewer'))
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toContain('application/json')
    const body = (await r.json()) as { workbooks: Array<Record<string, unknown>> }
    expect(body.workbooks.map((w) => [w.id, w.title, w.role])).toEqual([
      ['stations', '杨浦区社工站台账', 'viewer'],
      ['older', '救助台账', 'viewer'],
    ])
    expect(body.workbooks[1]?.updatedAt).toBe(1_600_000_000_000)
    expect(body.workbooks[0]?.createdAt).toBe(1_700_000_000_000)
  })

  it('lists only the workbook a one-workbook token names, with its role; ?token= works too', async () => {
    await seeded()
    const r = await get(`/api/workbooks?token=${encodeURIComponent(tokenFor('editor', 'older'))}`)
    expect(r.status).toBe(200)
    const body = (await r.json()) as { workbooks: Array<Record<string, unknown>> }
    expect(body.workbooks).toEqual([
      expect.objectContaining({ id: 'older', title: '救助台账', role: 'editor' }),
    ])
  })

  it('refuses a missing, forged or expired token with 401 and zh-CN + English messages', async () => {
    await seeded()
    const none = await get('/api/workbooks')
    expect(none.status).toBe(401)
    expect(none.headers.get('www-authenticate')).toContain('Bearer')
    expect(await none.json()).toMatchObject({
      error: 'token-missing',
      zh: expect.stringContaining('令牌'),
      en: expect.stringContaining('token'),
    })
    const forged = signToken('another-secret', {
      workbook: '*',
      role: 'editor',
      name: 'x',
      expiresAt: Date.now() + 60_000,
    })
    expect(await (await get('/api/workbooks', forged)).json()).toMatchObject({
      error: 'token-bad-signature',
    })
    const expired = tokenFor('editor', '*', { expiresAt: Date.now() - 1 })
    const r = await get('/api/workbooks', expired)
    expect(r.status).toBe(401)
    expect(await r.json()).toMatchObject({
      error: 'token-expired',
      zh: expect.stringContaining('过期'),
    })
    expect((await get('/api/workbooks', 'tz1.garbage')).status).toBe(401)
  })

  it('refuses anything but GET with 405 and a message', async () => {
    const srv = await seeded()
    const r = await fetch(`${srv.http}/api/workbooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokenFor('editor')}` },
    })
    expect(r.status).toBe(405)
    expect(await r.json()).toMatchObject({ error: 'method-not-allowed' })
  })

  it('shows a live room’s edits before they are stored (the API reads the live doc)', async () => {
    const srv = await startWithDocs(scope, {})
    const c = scope.connect(srv.wsBase, 'live1', tokenFor('editor'))
    await synced(c)
    const wb = Workbook.create(c.doc, { title: '刚建的台账' })
    wb.addSheet('工作表1')
    await waitFor(async () => {
      const r = await get('/api/workbooks', tokenFor('viewer'))
      const body = (await r.json()) as { workbooks: Array<{ id: string; title: string }> }
      return body.workbooks.some((w) => w.id === 'live1' && w.title === '刚建的台账')
    }, 'the live workbook listed')
  })
})

describe('read API: one workbook and one sheet', () => {
  it('GET /api/workbooks/<id> gives title, sheets and typed columns', async () => {
    await seeded()
    const r = await get('/api/workbooks/stations', tokenFor('viewer', 'stations'))
    expect(r.status).toBe(200)
    const body = (await r.json()) as {
      title: string
      role: string
      sheets: Array<{ name: string; rowCount: number; columns: Array<Record<string, unknown>> }>
    }
    expect(body.title).toBe('杨浦区社工站台账')
    expect(body.role).toBe('viewer')
    expect(body.sheets.map((s) => [s.name, s.rowCount])).toEqual([
      ['站点', 2],
      ['空表', 0],
    ])
    expect(body.sheets[0]?.columns.map((c) => [c.name, c.type, c.unit])).toEqual([
      ['站点名称', 'text', undefined],
      ['成立日期', 'date', undefined],
      ['投入资金', 'money', '万元'],
    ])
  })

  it('GET …/sheets/<name or id> gives rows as JSON keyed by column name', async () => {
    await seeded()
    const token = tokenFor('viewer')
    const byName = await get(`/api/workbooks/stations/sheets/${encodeURIComponent('站点')}`, token)
    expect(byName.status).toBe(200)
    const body = (await byName.json()) as {
      sheet: { id: string; name: string }
      rows: Array<{ id: string; cells: Record<string, unknown> }>
    }
    expect(body.sheet.name).toBe('站点')
    expect(body.rows.map((r) => r.cells)).toEqual([
      { 站点名称: '殷行街道社工站', 成立日期: '2021-03-15', 投入资金: 12.5 },
      { 站点名称: '五角场街道社工站, "新"', 成立日期: '2022-07-01', 投入资金: null },
    ])
    const byId = await get(`/api/workbooks/stations/sheets/${body.sheet.id}`, token)
    expect(((await byId.json()) as typeof body).rows).toEqual(body.rows)
  })

  it('GET …/sheets/<sheet> with Accept: text/csv gives the app’s CSV (BOM, CRLF, quoting)', async () => {
    await seeded()
    const r = await get(
      `/api/workbooks/stations/sheets/${encodeURIComponent('站点')}`,
      tokenFor('viewer'),
      {
        accept: 'text/csv',
      },
    )
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    const bytes = new Uint8Array(await r.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = new TextDecoder().decode(bytes.slice(3))
    const lines = text.split('\r\n')
    expect(lines[0]).toBe('站点名称,成立日期,投入资金')
    expect(lines[1]).toBe('殷行街道社工站,2021-03-15,12.5')
    expect(lines[2]).toBe('"五角场街道社工站, ""新""",2022-07-01,')
    const asJson = await get(
      `/api/workbooks/stations/sheets/${encodeURIComponent('站点')}`,
      tokenFor('viewer'),
      {
        accept: 'image/png',
      },
    )
    expect(asJson.status).toBe(406)
    expect(await asJson.json()).toMatchObject({ error: 'not-acceptable' })
  })

  it('answers bad ids, unknown workbooks and sheets, and other workbooks’ tokens with 4xx + message', async () => {
    await seeded()
    const all = tokenFor('viewer')
    const cases: Array<[string, string, number, string]> = [
      ['/api/workbooks/bad%20id!', all, 400, 'bad-workbook-id'],
      ['/api/workbooks/nope', all, 404, 'workbook-not-found'],
      ['/api/workbooks/stations/sheets/%E6%B2%A1%E6%9C%89', all, 404, 'sheet-not-found'],
      ['/api/workbooks/stations', tokenFor('editor', 'older'), 403, 'token-other-workbook'],
      ['/api/workbooks/stations/rows', all, 404, 'not-found'],
      ['/api/workbooks/stations/sheets', all, 404, 'not-found'],
      ['/api/workbooks/%E0%A4%A', all, 400, 'bad-path'],
    ]
    for (const [path, token, status, error] of cases) {
      const r = await get(path, token)
      expect([path, r.status]).toEqual([path, status])
      const body = (await r.json()) as { error: string; zh: string; en: string }
      expect(body.error).toBe(error)
      expect(body.zh.length).toBeGreaterThan(0)
      expect(body.en.length).toBeGreaterThan(0)
    }
    // The server is still serving after all of them.
    expect((await get('/api/workbooks', all)).status).toBe(200)
  })

  it('still signs share tokens (POST /api/share is not part of the read API)', async () => {
    const srv = await seeded()
    const r = await fetch(`${srv.http}/api/share`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokenFor('editor')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ workbook: 'stations', role: 'viewer' }),
    })
    expect(r.status).toBe(200)
    expect(await r.json()).toMatchObject({ token: expect.stringMatching(/^tz1\./) })
  })
})
