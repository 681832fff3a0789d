import { MESSAGE_TYPE } from '@taizhang/shared'
import { afterEach, describe, expect, it } from 'vitest'
import {
  type Client,
  connectClient,
  ownChangesDurable,
  rawSocket,
  SECRET,
  startTestServer,
  synced,
  type TestServer,
  tokenFor,
  waitFor,
} from './helpers.js'

let srv: TestServer | undefined
const clients: Client[] = []
const connect = (...a: Parameters<typeof connectClient>) => {
  const c = connectClient(...a)
  clients.push(c)
  return c
}
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  await srv?.server.close()
  srv = undefined
})

/** Opens a raw socket and reports the HTTP status of a refused upgrade and every byte received. */
async function attempt(url: string): Promise<{ status: number | null; bytes: number }> {
  const { ws, messages, closed } = rawSocket(url)
  let status: number | null = null
  let bytes = 0
  ws.on('unexpected-response', (_req, res) => {
    status = res.statusCode ?? null
    res.on('data', () => undefined)
    ws.terminate()
  })
  await closed
  for (const m of messages) bytes += m.length
  return { status, bytes }
}

describe('tokens at the upgrade', () => {
  it('refuses missing, forged, expired and wrong-workbook tokens before any document byte', async () => {
    srv = await startTestServer()
    const writer = connect(srv.wsBase, 'wb1', tokenFor('editor'), { ack: true })
    await synced(writer)
    writer.doc.getMap('m').set('secret', 'data')
    await waitFor(() => ownChangesDurable(writer), 'durable')
    const forged = tokenFor('editor', '*', { secret: 'not-the-server-secret!!' })
    const cases: Array<[string, string, number]> = [
      ['missing', `${srv.wsBase}/wb1`, 401],
      ['garbage', `${srv.wsBase}/wb1?token=abc.def`, 401],
      ['forged', `${srv.wsBase}/wb1?token=${forged}`, 401],
      [
        'expired',
        `${srv.wsBase}/wb1?token=${tokenFor('editor', '*', { expiresAt: Date.now() - 1 })}`,
        401,
      ],
      ['wrong workbook', `${srv.wsBase}/wb1?token=${tokenFor('editor', 'wb2')}`, 403],
      ['wrong workbook viewer', `${srv.wsBase}/wb1?token=${tokenFor('viewer', 'other')}`, 403],
    ]
    for (const [what, url, status] of cases) {
      const r = await attempt(url)
      expect({ what, ...r }).toEqual({ what, status, bytes: 0 })
    }
    expect(srv.server.metrics.connections).toBe(1)
  })

  it('refuses a browser Origin that is not allowed', async () => {
    srv = await startTestServer({ allowOrigins: ['https://ok.example'] })
    const url = `${srv.wsBase}/wb1?token=${tokenFor('editor')}`
    const bad = rawSocket(url, { origin: 'https://evil.example' })
    let status = 0
    bad.ws.on('unexpected-response', (_q, res) => {
      status = res.statusCode ?? 0
      bad.ws.terminate()
    })
    await bad.closed
    expect(status).toBe(403)
    const good = rawSocket(url, { origin: 'https://ok.example' })
    await waitFor(() => good.messages.length > 0, 'allowed origin gets sync step 1')
    good.ws.close()
  })
})

describe('viewer role', () => {
  it('drops 1,000 real changes from a viewer: state unchanged, 0 bytes stored, 0 broadcasts', async () => {
    srv = await startTestServer()
    const editor = connect(srv.wsBase, 'wb1', tokenFor('editor'), { ack: true })
    await synced(editor)
    editor.doc.getMap('m').set('base', 1)
    await waitFor(() => ownChangesDurable(editor), 'base durable')
    const room = srv.server.rooms.peek('wb1')!
    const svBefore = room.stateVector()
    const bytesBefore = srv.store.appendedBytes
    // An observer counting every doc update broadcast it receives.
    const observer = rawSocket(`${srv.wsBase}/wb1?token=${tokenFor('viewer', 'wb1')}`)
    await waitFor(() => observer.messages.length > 0, 'observer joined')
    const viewer = connect(srv.wsBase, 'wb1', tokenFor('viewer', 'wb1', { name: 'v' }))
    await synced(viewer)
    for (let i = 0; i < 1000; i++) viewer.doc.getMap('m').set(`v${i}`, i)
    await waitFor(() => viewer.denied >= 1000, '1000 permission-denied answers', 30_000)
    expect(srv.server.metrics.rejected.get('viewer')).toBe(1000)
    expect(room.stateVector()).toEqual(svBefore)
    expect(srv.store.appendedBytes).toBe(bytesBefore)
    const updates = observer.messages.filter((m) => m[0] === MESSAGE_TYPE.sync && m[1] === 2)
    expect(updates).toHaveLength(0)
    expect(editor.doc.getMap('m').has('v0')).toBe(false)
    // The viewer still receives the document and others' changes.
    editor.doc.getMap('m').set('after', 2)
    await waitFor(() => viewer.doc.getMap('m').get('after') === 2, 'viewer receives edits')
    observer.ws.close()
  })
})

describe('POST /api/share', () => {
  const share = (http: string, bearer: string | null, body: unknown) =>
    fetch(`${http}/api/share`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      },
      body: JSON.stringify(body),
    })

  it('lets an editor of the workbook mint a link; refuses viewers and other workbooks', async () => {
    srv = await startTestServer()
    const ok = await share(srv.http, tokenFor('editor', 'wb1'), {
      workbook: 'wb1',
      role: 'viewer',
      name: '李四',
    })
    expect(ok.status).toBe(200)
    const minted = (await ok.json()) as { token: string; url: string }
    expect(minted.url).toBe(
      `${srv.server.publicUrl}/#/w/wb1?token=${encodeURIComponent(minted.token)}`,
    )
    const star = await share(srv.http, tokenFor('editor', '*'), {
      workbook: 'wb9',
      role: 'editor',
      days: 2,
    })
    expect(star.status).toBe(200)
    expect(
      (await share(srv.http, tokenFor('viewer', 'wb1'), { workbook: 'wb1', role: 'viewer' }))
        .status,
    ).toBe(403)
    expect(
      (await share(srv.http, tokenFor('editor', 'wb2'), { workbook: 'wb1', role: 'viewer' }))
        .status,
    ).toBe(403)
    expect((await share(srv.http, null, { workbook: 'wb1', role: 'viewer' })).status).toBe(401)
    expect(
      (
        await share(srv.http, tokenFor('editor', '*', { secret: `x${SECRET}` }), {
          workbook: 'wb1',
          role: 'viewer',
        })
      ).status,
    ).toBe(401)
    expect(
      (await share(srv.http, tokenFor('editor', 'wb1'), { workbook: 'wb1', role: 'admin' })).status,
    ).toBe(400)
    // The minted viewer token opens wb1 read-only.
    const v = connect(srv.wsBase, 'wb1', minted.token)
    await synced(v)
    v.doc.getMap('m').set('x', 1)
    await waitFor(() => v.denied >= 1, 'denied')
  })
})
