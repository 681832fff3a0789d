/**
 * issue 16 §3 with real y-websocket clients: a scoped editor whose offline update the server refuses
 * rebuilds its doc the way the web client does (web/src/access/recovery/recover.ts: fetch the
 * server's state over a second connection, `rebuildFromServer`, reconnect with the rebuilt doc) and
 * then syncs normally: its allowed edit is stored and acknowledged, the refused one is in its list,
 * no client holds pending structs, and a re-applied entry is accepted after the reopen.
 */
import {
  type AccessIdentity,
  createAccessChecker,
  MESSAGE_TYPE,
  reapplyRefused,
  rebuildFromServer,
  setPeriodLock,
  Workbook,
} from '@taizhang/shared'
import { buildLedger } from '@taizhang/shared/testing'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  type Client,
  ownChangesDurable,
  startTestServer,
  synced,
  tokenFor,
  useTestScope,
  waitFor,
} from '../test/helpers.js'

const scope = useTestScope()
const STATION = '朝歌街道社工站'
const who: AccessIdentity = { role: 'scoped-editor', name: '朝歌站', scope: { station: STATION } }
const clerkToken = () =>
  tokenFor('scoped-editor', '*', { name: '朝歌站', scope: { station: STATION } })

function countRefusals(c: Client): { n: number } {
  const got = { n: 0 }
  c.provider.messageHandlers[MESSAGE_TYPE.refused] = () => {
    got.n++
  }
  return got
}

function buildStationLedger(doc: Y.Doc) {
  const { wb, m, rowIds, cols } = buildLedger({
    doc,
    title: '月报',
    author: { id: 'o', name: '局长' },
    stations: [{ name: STATION }],
    rows: [
      [0, '2024-06', 40],
      [0, '2024-07', 3],
    ],
  })
  const [a6, a7] = rowIds as [string, string]
  return { wb, m, a6, a7, served: cols.served }
}

describe('recovery after a refusal (issue 16 §3), real clients', () => {
  it('a refused clerk rebuilds from the server, keeps its allowed edit, lists the refused one, and syncs with no pending structs', async () => {
    const srv = await startTestServer()
    scope.srv = srv
    const owner = scope.connect(srv.wsBase, 'm', tokenFor('owner'), { ack: true })
    await synced(owner)
    const { wb, m, a6, a7, served } = buildStationLedger(owner.doc)
    await waitFor(() => ownChangesDurable(owner), 'ledger durable')

    const clerk = scope.connect(srv.wsBase, 'm', clerkToken(), { ack: true })
    const refusals = countRefusals(clerk)
    await synced(clerk)
    await waitFor(() => clerk.doc.getMap('sheets').size === 2, 'clerk has the ledger')
    // Offline: June and July edits; meanwhile the bureau locks June.
    clerk.provider.disconnect()
    const cwb = Workbook.open(clerk.doc, { author: { id: 'c', name: '朝歌站' } }).workbook
    cwb.sheet(m.id).setCell(a6, served, 41)
    cwb.sheet(m.id).setCell(a7, served, 30)
    setPeriodLock(wb, m.id, '2024-06', { locked: true, by: '审核员', at: Date.now() })
    await waitFor(() => ownChangesDurable(owner), 'lock durable')
    clerk.provider.connect()
    await waitFor(() => refusals.n >= 1, 'the offline update is refused')
    clerk.provider.disconnect()
    expect(wb.sheet(m.id).getCell(a7, served)).toBe(3)

    // The web client's recovery: the server's state over a second connection, then the rebuild.
    const fetcher = scope.connect(srv.wsBase, 'm', clerkToken())
    await synced(fetcher)
    const serverState = Y.encodeStateAsUpdate(fetcher.doc)
    fetcher.provider.disconnect()
    const r = rebuildFromServer({
      serverState,
      local: clerk.doc,
      who,
      author: { id: 'c', name: '朝歌站' },
      now: Date.now(),
    })
    expect(r.refused).toEqual([
      expect.objectContaining({ kind: 'cell', rowId: a6, reason: 'period-locked', newValue: 41 }),
    ])
    clerk.provider.destroy()

    const rebuilt = scope.connect(srv.wsBase, 'm', clerkToken(), { ack: true, doc: r.doc })
    const again = countRefusals(rebuilt)
    await synced(rebuilt)
    await waitFor(() => ownChangesDurable(rebuilt), 'rebuilt edits acknowledged')
    await waitFor(() => wb.sheet(m.id).getCell(a7, served) === 30, 'July edit reaches the owner')
    expect(wb.sheet(m.id).getCell(a6, served)).toBe(40)
    expect(again.n).toBe(0)
    expect(rebuilt.doc.store.pendingStructs).toBeNull()
    expect(rebuilt.doc.store.pendingDs).toBeNull()
    expect(owner.doc.store.pendingStructs).toBeNull()
    // Every replica converges: a fresh reader holds exactly what the rebuilt client holds.
    const reader = scope.connect(srv.wsBase, 'm', tokenFor('owner'))
    await synced(reader)
    await waitFor(
      () =>
        Buffer.from(Y.encodeStateVector(reader.doc)).equals(
          Buffer.from(Y.encodeStateVector(rebuilt.doc)),
        ),
      'reader and rebuilt client converge',
    )
    expect(reader.doc.store.pendingStructs).toBeNull()

    // The bureau reopens June; the clerk re-applies the listed edit as a normal edit.
    setPeriodLock(wb, m.id, '2024-06', { locked: false, by: '审核员', at: Date.now() })
    await waitFor(() => ownChangesDurable(owner), 'reopen durable')
    const rwb = Workbook.open(rebuilt.doc, { author: { id: 'c', name: '朝歌站' } }).workbook
    await waitFor(
      () =>
        !(rebuilt.doc.getMap('access').get(`lock:${m.id}|2024-06`) as { locked: boolean })?.locked,
      'reopen reaches the clerk',
    )
    const checker = createAccessChecker(rwb)
    expect(reapplyRefused(rwb, checker, who, r.refused[0]!, Date.now())).toEqual({ ok: true })
    checker.dispose()
    await waitFor(() => ownChangesDurable(rebuilt), 're-applied edit acknowledged')
    await waitFor(() => wb.sheet(m.id).getCell(a6, served) === 41, 'June edit reaches the owner')
    expect(again.n).toBe(0)
  })
})
