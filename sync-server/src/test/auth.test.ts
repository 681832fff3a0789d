import { MESSAGE_TYPE } from '@taizhang/shared'
import { describe, expect, it } from 'vitest'
import { verifyToken } from '../auth/tokens.js'
import {
  ownChangesDurable,
  rawSocket,
  SECRET,
  startTestServer,
  synced,
  tokenFor,
  useTestScope,
  waitFor,
} from './helpers.js'

const scope = useTestScope()
const { connect } = scope

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
    scope.srv = await startTestServer()
    const writer = connect(scope.srv.wsBase, 'wb1', tokenFor('editor'), { ack: true })
    await synced(writer)
    writer.doc.getMap('m').set('secret', 'data')
    await waitFor(() => ownChangesDurable(writer), 'durable')
    const forged = tokenFor('editor', '*', { secret: 'not-the-server-secret!!' })
    const cases: Array<[string, string, number]> = [
      ['missing', `${scope.srv.wsBase}/wb1`, 401],
      ['garbage', `${scope.srv.wsBase}/wb1?token=abc.def`, 401],
      ['forged', `${scope.srv.wsBase}/wb1?token=${forged}`, 401],
      [
        'expired',
        `${scope.srv.wsBase}/wb1?token=${tokenFor('editor', '*', { expiresAt: Date.now() - 1 })}`,
        401,
      ],
      ['wrong workbook', `${scope.srv.wsBase}/wb1?token=${tokenFor('editor', 'wb2')}`, 403],
      [
        'wrong workbook viewer',
        `${scope.srv.wsBase}/wb1?token=${tokenFor('viewer', 'other')}`,
        403,
      ],
    ]
    for (const [what, url, status] of cases) {
      const r = await attempt(url)
      expect({ what, ...r }).toEqual({ what, status, bytes: 0 })
    }
    expect(scope.srv.server.metrics.connections).toBe(1)
  })

  it('refuses a browser Origin that is not allowed', async () => {
    scope.srv = await startTestServer({ allowOrigins: ['https://ok.example'] })
    const url = `${scope.srv.wsBase}/wb1?token=${tokenFor('editor')}`
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
    scope.srv = await startTestServer()
    const editor = connect(scope.srv.wsBase, 'wb1', tokenFor('editor'), { ack: true })
    await synced(editor)
    editor.doc.getMap('m').set('base', 1)
    await waitFor(() => ownChangesDurable(editor), 'base durable')
    const room = scope.srv.server.rooms.peek('wb1')!
    const svBefore = room.stateVector()
    const bytesBefore = scope.srv.store.appendedBytes
    // An observer counting every doc update broadcast it receives.
    const observer = rawSocket(`${scope.srv.wsBase}/wb1?token=${tokenFor('viewer', 'wb1')}`)
    await waitFor(() => observer.messages.length > 0, 'observer joined')
    const viewer = connect(scope.srv.wsBase, 'wb1', tokenFor('viewer', 'wb1', { name: 'v' }))
    await synced(viewer)
    for (let i = 0; i < 1000; i++) viewer.doc.getMap('m').set(`v${i}`, i)
    await waitFor(() => viewer.denied >= 1000, '1000 permission-denied answers', 30_000)
    expect(scope.srv.server.metrics.rejected.get('viewer')).toBe(1000)
    expect(room.stateVector()).toEqual(svBefore)
    expect(scope.srv.store.appendedBytes).toBe(bytesBefore)
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
    scope.srv = await startTestServer()
    const ok = await share(scope.srv.http, tokenFor('editor', 'wb1'), {
      workbook: 'wb1',
      role: 'viewer',
      name: '李四',
    })
    expect(ok.status).toBe(200)
    const minted = (await ok.json()) as { token: string; url: string }
    expect(minted.url).toBe(
      `${scope.srv.server.publicUrl}/#/w/wb1?token=${encodeURIComponent(minted.token)}`,
    )
    const star = await share(scope.srv.http, tokenFor('editor', '*'), {
      workbook: 'wb9',
      role: 'editor',
      days: 2,
    })
    expect(star.status).toBe(200)
    expect(
      (await share(scope.srv.http, tokenFor('viewer', 'wb1'), { workbook: 'wb1', role: 'viewer' }))
        .status,
    ).toBe(403)
    expect(
      (await share(scope.srv.http, tokenFor('editor', 'wb2'), { workbook: 'wb1', role: 'viewer' }))
        .status,
    ).toBe(403)
    expect((await share(scope.srv.http, null, { workbook: 'wb1', role: 'viewer' })).status).toBe(
      401,
    )
    expect(
      (
        await share(scope.srv.http, tokenFor('editor', '*', { secret: `x${SECRET}` }), {
          workbook: 'wb1',
          role: 'viewer',
        })
      ).status,
    ).toBe(401)
    expect(
      (await share(scope.srv.http, tokenFor('editor', 'wb1'), { workbook: 'wb1', role: 'admin' }))
        .status,
    ).toBe(400)
    // The minted viewer token opens wb1 read-only.
    const v = connect(scope.srv.wsBase, 'wb1', minted.token)
    await synced(v)
    v.doc.getMap('m').set('x', 1)
    await waitFor(() => v.denied >= 1, 'denied')
  })

  // access-ui (issue 16): the share dialog mints every role, a scoped editor with its scope
  it('mints every role; a scoped editor needs a scope; an editor cannot mint an owner', async () => {
    scope.srv = await startTestServer()
    const claimsOf = async (r: Response) => {
      const { token } = (await r.json()) as { token: string }
      const v = verifyToken(SECRET, token, Date.now())
      if (!v.ok) throw new Error(`minted token does not verify: ${v.reason}`)
      return v.claims
    }
    // The server's start link is an owner of every workbook: it mints every role.
    const star = tokenFor('owner', '*')
    for (const role of ['owner', 'approver', 'editor', 'viewer'] as const) {
      const r = await share(scope.srv.http, star, { workbook: 'wb1', role })
      expect(r.status).toBe(200)
      expect((await claimsOf(r)).role).toBe(role)
    }
    // An editor of every workbook does not raise its own rights either.
    const starEditor = tokenFor('editor', '*')
    for (const role of ['owner', 'approver'] as const) {
      expect((await share(scope.srv.http, starEditor, { workbook: 'wb1', role })).status).toBe(403)
    }
    const scoped = await share(scope.srv.http, star, {
      workbook: 'wb1',
      role: 'scoped-editor',
      scope: { station: '朝歌街道社工站' },
    })
    expect(scoped.status).toBe(200)
    expect((await claimsOf(scoped)).scope).toEqual({ station: '朝歌街道社工站' })
    const noScope = await share(scope.srv.http, star, { workbook: 'wb1', role: 'scoped-editor' })
    expect(noScope.status).toBe(400)
    const viewerScope = await share(scope.srv.http, star, {
      workbook: 'wb1',
      role: 'viewer',
      scope: { district: '杨浦区' },
    })
    expect(viewerScope.status).toBe(400)
    const one = tokenFor('editor', 'wb1')
    expect((await share(scope.srv.http, one, { workbook: 'wb1', role: 'owner' })).status).toBe(403)
    expect(
      (
        await share(scope.srv.http, one, {
          workbook: 'wb1',
          role: 'scoped-editor',
          scope: { district: '杨浦区' },
        })
      ).status,
    ).toBe(200)
    const owner = tokenFor('owner', 'wb1')
    expect((await share(scope.srv.http, owner, { workbook: 'wb1', role: 'approver' })).status).toBe(
      200,
    )
    expect(
      (
        await share(scope.srv.http, tokenFor('approver', 'wb1'), {
          workbook: 'wb1',
          role: 'viewer',
        })
      ).status,
    ).toBe(403)
  })
})
