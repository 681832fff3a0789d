import { MESSAGE_TYPE, setPeriodLock, Workbook, writeRule } from '@taizhang/shared'
import * as decoding from 'lib0/decoding'
import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { signToken } from '../auth/tokens.js'
import {
  type Client,
  ownChangesDurable,
  rawSocket,
  SECRET,
  startTestServer,
  synced,
  tokenFor,
  useTestScope,
  waitFor,
} from '../test/helpers.js'
import type { RefusedChange } from './AccessPolicy.js'
import { lockedJuneLedger } from './testLedger.js'

const scope = useTestScope()

const clerkToken = (station = '朝歌街道社工站') =>
  tokenFor('scoped-editor', '*', { name: '朝歌站', scope: { station } })

/** Collects the `refused` messages a client receives. */
function listenRefused(c: Client): { count: number; refused: RefusedChange[] }[] {
  const got: { count: number; refused: RefusedChange[] }[] = []
  c.provider.messageHandlers[MESSAGE_TYPE.refused] = (_enc, dec) => {
    got.push(JSON.parse(decoding.readVarString(dec)))
  }
  return got
}

/** The owner builds a monthly ledger of two stations and locks June. */
function buildLockedLedger(doc: Y.Doc) {
  const { wb, m, rowIds, cols } = lockedJuneLedger(doc, {
    title: '月报',
    lockedAt: 1_720_000_000_000,
  })
  const [a6, a7, b7] = rowIds as [string, string, string]
  return { wb, m, rows: { a6, a7, b7 }, served: cols.served }
}

async function setup() {
  scope.srv = await startTestServer()
  const owner = scope.connect(scope.srv.wsBase, 'ledger', tokenFor('owner'), { ack: true })
  await synced(owner)
  const l = buildLockedLedger(owner.doc)
  await waitFor(() => ownChangesDurable(owner), 'ledger durable')
  return { owner, ...l }
}

async function clerk(token = clerkToken()) {
  const srv = scope.srv
  if (!srv) throw new Error('no server')
  const c = scope.connect(srv.wsBase, 'ledger', token, { ack: true })
  const refused = listenRefused(c)
  await synced(c)
  await waitFor(() => c.doc.getMap('sheets').size === 2, 'clerk has the ledger')
  const wb = Workbook.open(c.doc).workbook
  return { c, wb, refused }
}

const rejected = () => Object.fromEntries(scope.srv?.server.metrics.rejected ?? [])

describe('access rules at the door (issue 16)', () => {
  it('a station clerk’s own row is stored and acknowledged; another station’s row is refused whole', async () => {
    const { owner, m, rows, served } = await setup()
    const ownerSheet = () => Workbook.open(owner.doc).workbook.sheet(m.id)

    const ok = await clerk()
    ok.wb.sheet(m.id).setCell(rows.a7, served, 42)
    await waitFor(() => ownChangesDurable(ok.c), 'own row acknowledged')
    await waitFor(() => ownerSheet().getCell(rows.a7, served) === 42, 'owner sees it')
    expect(ok.refused).toEqual([])

    const appendsBefore = scope.srv?.store.appends
    const bad = await clerk()
    // One update: an allowed edit and a refused one; the whole update goes.
    bad.wb.transact(() => {
      bad.wb.sheet(m.id).setCell(rows.a7, served, 43)
      bad.wb.sheet(m.id).setCell(rows.b7, served, 99)
    })
    await waitFor(() => bad.refused.length === 1, 'refusal received')
    expect(bad.refused[0]?.refused).toEqual([
      expect.objectContaining({
        reason: 'row-not-in-scope',
        change: expect.objectContaining({ kind: 'cell', rowId: rows.b7 }),
        message: expect.objectContaining({ zh: '这一行不属于你负责的站点或区县' }),
      }),
    ])
    // The owner keeps writing and syncing; neither refused value ever reaches it or the store.
    ownerSheet().setCell(rows.a7, served, 50)
    await waitFor(() => ownChangesDurable(owner), 'owner edit durable')
    await waitFor(() => ok.wb.sheet(m.id).getCell(rows.a7, served) === 50, 'others unaffected')
    expect(ownerSheet().getCell(rows.b7, served)).toBe(3)
    expect(scope.srv?.store.appends).toBe((appendsBefore ?? 0) + 1)
    expect(ownChangesDurable(bad.c)).toBe(false)
    expect(rejected()['access-row-not-in-scope']).toBe(1)
  })

  it('a locked period, a column, and the rules are refused with the reason (and who locked when)', async () => {
    const { m, rows, served, owner } = await setup()
    const locked = await clerk()
    locked.wb.sheet(m.id).setCell(rows.a6, served, 7)
    await waitFor(() => locked.refused.length === 1, 'lock refusal')
    expect(locked.refused[0]?.refused[0]).toMatchObject({
      reason: 'period-locked',
      lock: { period: '2024-06', by: '审核员', at: 1_720_000_000_000, auto: false },
    })

    const column = await clerk()
    column.wb.sheet(m.id).addColumn({ name: '新列', type: 'text' })
    await waitFor(() => column.refused.length === 1, 'structure refusal')
    expect(column.refused[0]?.refused.map((r) => r.reason)).toContain('structure-owner-only')

    const rules = await clerk()
    writeRule(rules.wb, { id: 'mine', role: 'scoped-editor', sheets: '*', columns: '*' })
    await waitFor(() => rules.refused.length === 1, 'rules refusal')
    expect(rules.refused[0]?.refused.map((r) => r.reason)).toEqual(['rules-owner-only'])

    // A refused client's next update builds on what the server never took: refused, not parked.
    rules.wb.sheet(m.id).setCell(rows.a7, served, 8)
    await waitFor(() => rules.refused.length === 2, 'follow-up refusal')
    expect(rules.refused[1]?.refused.map((r) => r.reason)).toEqual(['unresolved'])

    const ownerWb = Workbook.open(owner.doc).workbook
    expect(
      ownerWb
        .sheet(m.id)
        .columns()
        .map((c) => c.name),
    ).toEqual(['站点', '期间', '服务人次'])
    expect(ownerWb.sheet(m.id).getCell(rows.a6, served)).toBe(1)
    expect(rejected()).toMatchObject({
      'access-period-locked': 1,
      'access-structure-owner-only': expect.any(Number),
      'access-rules-owner-only': 1,
      'access-unresolved': 1,
    })
  })

  it('a workbook with no access set up: an editor writes as before, but the first rule is still the owner’s', async () => {
    scope.srv = await startTestServer()
    const ed = scope.connect(scope.srv.wsBase, 'plain', tokenFor('editor'), { ack: true })
    const refused = listenRefused(ed)
    await synced(ed)
    const wb = Workbook.create(ed.doc, { title: '台账', author: { id: 'e', name: '编辑' } })
    const sh = wb.sheet(wb.addSheet('站点'))
    const col = sh.addColumn({ name: '名称', type: 'text' })
    const [row] = sh.insertRows([{ [col]: '朝歌街道社工站' }]) as [string]
    sh.setCell(row, col, '桥盟街道社工站')
    await waitFor(() => ownChangesDurable(ed), 'plain edits durable')
    expect(refused).toEqual([])

    writeRule(wb, { id: 'mine', role: 'scoped-editor', sheets: '*', columns: '*' })
    await waitFor(() => refused.length === 1, 'an editor’s first rule refused')
    expect(refused[0]?.refused.map((r) => r.reason)).toEqual(['rules-owner-only'])
    const fresh = scope.connect(scope.srv.wsBase, 'plain', tokenFor('owner'), { ack: true })
    await synced(fresh)
    expect(fresh.doc.getMap('access').size).toBe(0)
    expect(Workbook.open(fresh.doc).workbook.sheet(sh.id).getCell(row, col)).toBe('桥盟街道社工站')
  })

  it('an approver locks and reopens a month through the server; an editor may not lock', async () => {
    const { m, rows, served } = await setup()
    const srv = scope.srv
    if (!srv) throw new Error('no server')
    const approver = scope.connect(srv.wsBase, 'ledger', tokenFor('approver'), { ack: true })
    await synced(approver)
    await waitFor(() => approver.doc.getMap('sheets').size === 2, 'approver has the ledger')
    const approverWb = Workbook.open(approver.doc).workbook
    setPeriodLock(approverWb, m.id, '2024-07', { locked: true, by: '审核员', at: 2 })
    await waitFor(() => ownChangesDurable(approver), 'lock stored')

    const editor = scope.connect(srv.wsBase, 'ledger', tokenFor('editor'), { ack: true })
    const editorRefused = listenRefused(editor)
    await synced(editor)
    await waitFor(() => editor.doc.getMap('sheets').size === 2, 'editor has the ledger')
    setPeriodLock(Workbook.open(editor.doc).workbook, m.id, '2024-07', {
      locked: false,
      by: '编辑',
      at: 3,
    })
    await waitFor(() => editorRefused.length === 1, 'editor lock refused')
    expect(editorRefused[0]?.refused.map((r) => r.reason)).toEqual(['locks-approver-only'])

    const during = await clerk()
    during.wb.sheet(m.id).setCell(rows.a7, served, 70)
    await waitFor(() => during.refused.length === 1, 'July locked')
    expect(during.refused[0]?.refused[0]?.lock).toEqual({
      period: '2024-07',
      by: '审核员',
      at: 2,
      auto: false,
    })

    setPeriodLock(approverWb, m.id, '2024-07', { locked: false, by: '审核员', at: 4 })
    await waitFor(() => ownChangesDurable(approver), 'reopen stored')
    const after = await clerk()
    after.wb.sheet(m.id).setCell(rows.a7, served, 71)
    await waitFor(() => ownChangesDurable(after.c), 'clerk edit stored after reopening')
    expect(after.refused).toEqual([])
  })

  it('a forged or invalid scope is refused at the upgrade (401, no document byte)', async () => {
    scope.srv = await startTestServer()
    const good = clerkToken()
    const [p, body, sig] = good.split('.') as [string, string, string]
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'))
    const forgedBody = Buffer.from(
      JSON.stringify({ ...claims, s: { station: '桥盟街道社工站' } }),
    ).toString('base64url')
    const viewerWithScope = signToken(SECRET, {
      workbook: '*',
      role: 'viewer',
      name: 'v',
      scope: { station: 'x' },
      expiresAt: Date.now() + 60_000,
    })
    const scopedWithout = signToken(SECRET, {
      workbook: '*',
      role: 'scoped-editor',
      name: 'v',
      expiresAt: Date.now() + 60_000,
    })
    for (const token of [`${p}.${forgedBody}.${sig}`, viewerWithScope, scopedWithout]) {
      const { ws, messages, closed } = rawSocket(`${scope.srv.wsBase}/ledger?token=${token}`)
      let status: number | null = null
      ws.on('unexpected-response', (_req, res) => {
        status = res.statusCode ?? null
        res.on('data', () => undefined)
        ws.terminate()
      })
      await closed
      expect({ status, bytes: messages.length }).toEqual({ status: 401, bytes: 0 })
    }
  })
})
