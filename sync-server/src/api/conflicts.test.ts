import { Workbook } from '@taizhang/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  connectClient,
  startTestServer,
  synced,
  tokenFor,
  useTestScope,
  waitFor,
} from '../test/helpers.js'
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

  it('an edit on a row deleted meanwhile names the deleter the server vouches for (deletedAttested), not the name its client chose', async () => {
    const srv = await startTestServer()
    scope.srv = srv
    const join = (user: string, name: string) =>
      connectClient(srv.wsBase, 'wb1', tokenFor('editor', 'wb1', { user, name }), {
        doc: new Y.Doc(),
      })
    const zhang = join('u-zhang', '张三')
    const li = join('u-li', '李四')
    try {
      await Promise.all([synced(zhang), synced(li)])
      // 张三's app calls itself 局长 in the names the model stamps on its writes.
      const a = Workbook.create(zhang.doc, { title: '台账', author: { id: 'x', name: '局长' } })
      const sheetId = a.addSheet('站点')
      const col = a.sheet(sheetId).addColumn({ name: '人数', type: 'number' })
      const [row] = a.sheet(sheetId).insertRows([{ [col]: 1 }])
      const b = Workbook.open(li.doc, { author: { id: 'u-li', name: '李四' } }).workbook
      await waitFor(
        () => b.hasSheet(sheetId) && b.sheet(sheetId).readRows().length === 1,
        'the row reaches 李四',
      )
      // 李四 edits offline while 张三 deletes the row; back online, the edit is a conflict.
      li.provider.disconnect()
      b.sheet(sheetId).setCell(row!, col, 7)
      a.sheet(sheetId).deleteRows([row!])
      li.provider.connect()
      type Listed = { kind: string; deletedBy?: string; deletedAttested?: Record<string, unknown> }
      let found: Listed | undefined
      await waitFor(
        async () => {
          const res = await fetch(`${srv.http}/api/workbooks/wb1/conflicts`, {
            headers: { authorization: `Bearer ${tokenFor('viewer', 'wb1')}` },
          })
          const body = (await res.json()) as { conflicts: Listed[] }
          found = body.conflicts.find((c) => c.kind === 'edit-on-deleted-row')
          return found?.deletedAttested?.status === 'attested'
        },
        'the conflict is listed with an attested deleter',
        15_000,
        50,
      )
      expect(found).toMatchObject({
        deletedBy: '局长',
        deletedAttested: { status: 'attested', user: 'u-zhang', name: '张三' },
      })
    } finally {
      zhang.provider.destroy()
      li.provider.destroy()
    }
  })
})
