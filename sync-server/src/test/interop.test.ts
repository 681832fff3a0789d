import { MESSAGE_TYPE, pendingFromStateVectors } from '@taizhang/shared'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createLevelDocStore } from '../storage/levelDocStore.js'
import {
  type Client,
  connectClient,
  opened,
  ownChangesDurable,
  rawSocket,
  startTestServer,
  synced,
  type TestServer,
  tempDir,
  tokenFor,
  waitFor,
} from './helpers.js'

let srv: TestServer | undefined
const clients: Client[] = []
const cleanups: Array<() => Promise<void>> = []
const connect = (...a: Parameters<typeof connectClient>) => {
  const c = connectClient(...a)
  clients.push(c)
  return c
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  await srv?.server.close()
  srv = undefined
  for (const f of cleanups.splice(0)) await f()
})

describe('official y-websocket client', () => {
  it('syncs, converges between two clients, and acks durable changes', async () => {
    srv = await startTestServer()
    const a = connect(srv.wsBase, 'wb1', tokenFor('editor'), { ack: true })
    const b = connect(srv.wsBase, 'wb1', tokenFor('editor', 'wb1'))
    await synced(a)
    await synced(b)
    a.doc.getMap('cells').set('A1', 'hello')
    b.doc.getArray('rows').insert(0, ['r1', 'r2'])
    await waitFor(
      () => a.doc.getArray('rows').length === 2 && b.doc.getMap('cells').get('A1') === 'hello',
      'convergence',
    )
    await waitFor(() => ownChangesDurable(a), 'ack for a')
    expect(Y.encodeStateVector(a.doc)).toEqual(Y.encodeStateVector(b.doc))
    const local = Y.decodeStateVector(Y.encodeStateVector(a.doc))
    expect(pendingFromStateVectors(local, a.durable!, [a.doc.clientID])).toBe(0)
    const stored = new Y.Doc()
    for (const u of await srv.store.load('wb1')) Y.applyUpdate(stored, u)
    expect(stored.getMap('cells').get('A1')).toBe('hello')
    expect(stored.getArray('rows').toArray()).toEqual(['r1', 'r2'])
  })

  it('sends acknowledgements only to clients that opt in', async () => {
    srv = await startTestServer()
    const plain = rawSocket(`${srv.wsBase}/wb1?token=${tokenFor('editor')}`)
    const withAck = rawSocket(`${srv.wsBase}/wb1?ack=1&token=${tokenFor('editor')}`)
    await opened(plain.ws)
    await opened(withAck.ws)
    const writer = connect(srv.wsBase, 'wb1', tokenFor('editor'))
    await synced(writer)
    writer.doc.getMap('m').set('k', 1)
    const isAck = (m: Uint8Array) => m[0] === MESSAGE_TYPE.durable
    await waitFor(() => withAck.messages.filter(isAck).length >= 2, 'acks on opted-in socket')
    await waitFor(() => plain.messages.length >= 2, 'plain socket got the update')
    expect(plain.messages.filter(isAck)).toHaveLength(0)
    plain.ws.close()
    withAck.ws.close()
  })

  it('restores from storage after a restart', async () => {
    const { dir, cleanup } = await tempDir()
    cleanups.push(cleanup)
    srv = await startTestServer({ store: await createLevelDocStore(dir) })
    const a = connect(srv.wsBase, 'wb1', tokenFor('editor'), { ack: true })
    await synced(a)
    for (let i = 0; i < 100; i++) a.doc.getMap('m').set(`k${i}`, i)
    await waitFor(() => ownChangesDurable(a), 'all durable')
    a.destroy()
    await srv.server.close()
    srv = await startTestServer({ store: await createLevelDocStore(dir) })
    const b = connect(srv.wsBase, 'wb1', tokenFor('viewer', 'wb1'))
    await synced(b)
    await waitFor(() => b.doc.getMap('m').size === 100, 'restored')
    expect(b.doc.getMap('m').get('k99')).toBe(99)
  })

  it('loads a room once when many clients arrive together, and unloads it when idle', async () => {
    srv = await startTestServer({ limits: { ROOM_IDLE_UNLOAD_MS: 50 } })
    srv.store.loadDelayMs = 100
    const many = Array.from({ length: 20 }, () => connect(srv!.wsBase, 'wb1', tokenFor('editor')))
    for (const c of many) await synced(c)
    expect(srv.store.loads).toBe(1)
    expect(srv.server.rooms.size).toBe(1)
    for (const c of many) c.provider.disconnect()
    await waitFor(() => srv!.server.rooms.size === 0, 'idle unload')
    expect(srv.server.metrics.connections).toBe(0)
  })

  it('unloads a room whose only client left while it was loading', async () => {
    // The unload delay is long enough for the poll below to see the room loaded in between.
    srv = await startTestServer({ limits: { ROOM_IDLE_UNLOAD_MS: 300 } })
    srv.store.loadDelayMs = 100
    const s = rawSocket(`${srv.wsBase}/wb1?token=${tokenFor('editor')}`)
    await opened(s.ws)
    s.ws.close()
    await waitFor(() => srv!.store.loads === 1, 'load started')
    await waitFor(() => srv!.server.rooms.size === 1, 'room loaded')
    await waitFor(() => srv!.server.rooms.size === 0, 'room unloaded')
  })

  it('never acks or broadcasts a failed write; retries; the room stays loaded', async () => {
    srv = await startTestServer({ limits: { ROOM_IDLE_UNLOAD_MS: 10, RETRY_MIN_MS: 20 } })
    const a = connect(srv.wsBase, 'wb1', tokenFor('editor'), { ack: true })
    const b = connect(srv.wsBase, 'wb1', tokenFor('editor'))
    await synced(a)
    await synced(b)
    await waitFor(() => a.acks >= 1, 'initial durable message')
    const acksBefore = a.acks
    srv.store.failAppends = 3
    a.doc.getMap('m').set('k', 'v')
    await waitFor(() => srv!.server.metrics.appendFailures >= 2, 'append failures')
    // Still failing: nothing acknowledged, nothing broadcast.
    expect(ownChangesDurable(a)).toBe(false)
    expect(b.doc.getMap('m').get('k')).toBeUndefined()
    expect(a.acks).toBe(acksBefore)
    a.provider.disconnect()
    b.provider.disconnect()
    await waitFor(() => srv!.store.appends >= 1, 'retry succeeded')
    const stored = new Y.Doc()
    for (const u of await srv.store.load('wb1')) Y.applyUpdate(stored, u)
    expect(stored.getMap('m').get('k')).toBe('v')
  })
})
