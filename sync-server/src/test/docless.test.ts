import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createLevelDocStore } from '../storage/levelDocStore.js'
import {
  ownChangesDurable,
  startTestServer,
  synced,
  tempDir,
  tokenFor,
  useTestScope,
  waitFor,
} from './helpers.js'

const scope = useTestScope()
const { connect, cleanups } = scope

const json = (doc: Y.Doc) => ({ m: doc.getMap('m').toJSON(), t: doc.getText('t').toString() })

/** A doc holding `update`, with its own client id (an offline device). */
function docFrom(update: Uint8Array): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, update)
  return doc
}

describe('doc-less rooms (state in storage; a Y.Doc only to validate writes)', () => {
  it('drops the doc when write-idle and serves fresh, up-to-date and behind clients from bytes', async () => {
    scope.srv = await startTestServer({ limits: { DOC_IDLE_MS: 50 } })
    const { metrics } = scope.srv.server
    const a = connect(scope.srv.wsBase, 'wb', tokenFor('editor'), { ack: true })
    await synced(a)
    for (let i = 0; i < 20; i++) a.doc.getMap('m').set(`k${i}`, i)
    a.doc.getText('t').insert(0, 'hello world')
    const midway = Y.encodeStateAsUpdate(a.doc)
    a.doc.getText('t').delete(0, 6) // a delete set, not only structs
    a.doc.getMap('m').set('k0', 'overwritten')
    await waitFor(() => ownChangesDurable(a), 'a durable')
    await waitFor(() => metrics.docsLive() === 0, 'room cold')
    expect(metrics.docDrops).toBeGreaterThanOrEqual(1)
    const revivals = metrics.docRevivals

    // Reads never revive the doc: a fresh client, one holding everything, a read-only viewer
    // whose handshake carries the whole delete set.
    const fresh = connect(scope.srv.wsBase, 'wb', tokenFor('editor'))
    const upToDate = connect(scope.srv.wsBase, 'wb', tokenFor('editor'), {
      doc: docFrom(Y.encodeStateAsUpdate(a.doc)),
    })
    const viewer = connect(scope.srv.wsBase, 'wb', tokenFor('viewer'), {
      doc: docFrom(Y.encodeStateAsUpdate(a.doc)),
    })
    for (const c of [fresh, upToDate, viewer]) await synced(c)
    await waitFor(() => json(fresh.doc).t === 'world', 'fresh client has the state')
    expect(json(fresh.doc)).toEqual(json(a.doc))
    expect(json(upToDate.doc)).toEqual(json(a.doc))
    expect(scope.srv.server.metrics.rejected.get('viewer')).toBeUndefined()
    expect(metrics.docRevivals).toBe(revivals)
    expect(metrics.docsLive()).toBe(0)

    // A viewer's real deletion is still refused against the cold room's delete set.
    viewer.doc.getText('t').delete(0, 1)
    await waitFor(() => viewer.denied >= 1, 'viewer denied')
    expect(metrics.docRevivals).toBe(revivals)

    // A device that was offline since `midway`, with an edit of its own: it receives what it
    // missed (a diff from the bytes) and its edit revives the doc, is stored and broadcast.
    const behind = connect(scope.srv.wsBase, 'wb', tokenFor('editor'), {
      ack: true,
      doc: docFrom(midway),
    })
    behind.doc.getMap('m').set('offline', true)
    await synced(behind)
    await waitFor(() => ownChangesDurable(behind), 'offline edit durable')
    expect(metrics.docRevivals).toBe(revivals + 1)
    await waitFor(() => a.doc.getMap('m').get('offline') === true, 'broadcast to a')
    await waitFor(() => json(behind.doc).t === 'world', 'behind caught up')
    expect(json(behind.doc)).toEqual(json(a.doc))
    expect(json(fresh.doc)).toEqual(json(a.doc))
    await waitFor(() => metrics.docsLive() === 0, 'room cold again')
    const late = connect(scope.srv.wsBase, 'wb', tokenFor('editor'))
    await synced(late)
    await waitFor(() => late.doc.getMap('m').get('offline') === true, 'late client has it')
    expect(json(late.doc)).toEqual(json(a.doc))
  })

  it('a cold room keeps no bytes: reads come from storage, one read for clients arriving together', async () => {
    scope.srv = await startTestServer({ limits: { DOC_IDLE_MS: 50 } })
    const { metrics } = scope.srv.server
    const store = scope.srv.store
    const a = connect(scope.srv.wsBase, 'wb', tokenFor('editor'), { ack: true })
    await synced(a)
    for (let i = 0; i < 30; i++) a.doc.getMap('m').set(`k${i}`, 'x'.repeat(100))
    await waitFor(() => ownChangesDurable(a), 'a durable')
    await waitFor(() => metrics.docsLive() === 0, 'room cold')
    // The drop compacted the room's records into one.
    await waitFor(() => store.compacts >= 1, 'compacted at the drop')
    const loads = store.loads
    store.loadDelayMs = 50
    const fresh = [1, 2, 3].map(() => connect(scope.srv!.wsBase, 'wb', tokenFor('viewer')))
    for (const c of fresh) await synced(c)
    for (const c of fresh) expect(json(c.doc)).toEqual(json(a.doc))
    // Three fresh clients within the same read share it (never more than one read each).
    expect(store.loads - loads).toBeGreaterThanOrEqual(1)
    expect(store.loads - loads).toBeLessThanOrEqual(3)
    expect(metrics.docsLive()).toBe(0)
  })

  it('edits reaching a cold room while it revives are applied in arrival order, once', async () => {
    scope.srv = await startTestServer({ limits: { DOC_IDLE_MS: 50 } })
    const { metrics } = scope.srv.server
    const a = connect(scope.srv.wsBase, 'wb', tokenFor('editor'), { ack: true })
    const b = connect(scope.srv.wsBase, 'wb', tokenFor('editor'))
    await synced(a)
    await synced(b)
    a.doc.getText('t').insert(0, 'start')
    await waitFor(() => ownChangesDurable(a), 'a durable')
    await waitFor(() => metrics.docsLive() === 0, 'room cold')
    const revivals = metrics.docRevivals
    // A slow storage read keeps the revive in flight while 200 edits arrive.
    scope.srv.store.loadDelayMs = 100
    for (let i = 0; i < 200; i++) {
      a.doc.getText('t').insert(a.doc.getText('t').length, `${i % 10}`)
      a.doc.getMap('m').set(`k${i}`, i)
    }
    await waitFor(() => ownChangesDurable(a), 'edits durable', 30_000)
    expect(metrics.docRevivals).toBe(revivals + 1)
    await waitFor(() => b.doc.getMap('m').size === 200, 'broadcast to b')
    expect(json(b.doc)).toEqual(json(a.doc))
    scope.srv.store.loadDelayMs = 0
    const late = connect(scope.srv.wsBase, 'wb', tokenFor('viewer'))
    await synced(late)
    expect(json(late.doc)).toEqual(json(a.doc))
  })

  it('keeps at most MAX_LIVE_DOCS docs live: the least recently written idle ones drop', async () => {
    scope.srv = await startTestServer({
      limits: { MAX_LIVE_DOCS: 2, LIVE_DOC_MIN_IDLE_MS: 0, DOC_IDLE_MS: 60_000 },
    })
    const { metrics } = scope.srv.server
    const rooms = ['r1', 'r2', 'r3', 'r4']
    for (const r of rooms) {
      const c = connect(scope.srv.wsBase, r, tokenFor('editor'), { ack: true })
      await synced(c)
      c.doc.getMap('m').set('room', r)
      await waitFor(() => ownChangesDurable(c), `${r} durable`)
      expect(metrics.docsLive()).toBeLessThanOrEqual(2)
    }
    expect(metrics.docDrops).toBe(2)
    expect(scope.srv.server.rooms.peek('r1')!.isLive).toBe(false)
    expect(scope.srv.server.rooms.peek('r4')!.isLive).toBe(true)
    for (const r of rooms) {
      const fresh = connect(scope.srv.wsBase, r, tokenFor('viewer'))
      await synced(fresh)
      await waitFor(() => fresh.doc.getMap('m').get('room') === r, `${r} served`)
    }
  })

  it('loads a compacted room cold after a restart, with the durable state vector', async () => {
    const { dir, cleanup } = await tempDir()
    cleanups.push(cleanup)
    const limits = { COMPACT_AFTER_APPENDS: 1, DOC_IDLE_MS: 60_000 }
    scope.srv = await startTestServer({ store: await createLevelDocStore(dir), limits })
    const a = connect(scope.srv.wsBase, 'wb', tokenFor('editor'), { ack: true })
    await synced(a)
    a.doc.getText('t').insert(0, 'persisted text')
    a.doc.getText('t').delete(0, 10)
    a.doc.getMap('m').set('x', 1)
    await waitFor(() => ownChangesDurable(a), 'a durable')
    const expected = json(a.doc)
    const sv = Y.encodeStateVector(a.doc)
    a.destroy()
    await scope.srv.server.close()

    scope.srv = await startTestServer({ store: await createLevelDocStore(dir), limits })
    const b = connect(scope.srv.wsBase, 'wb', tokenFor('editor'), { ack: true })
    await synced(b)
    await waitFor(() => b.durable !== null, 'durable state vector at join')
    expect(scope.srv.server.metrics.docsLive()).toBe(0)
    expect(json(b.doc)).toEqual(expected)
    expect(Y.encodeStateVector(b.doc)).toEqual(sv)
    expect(b.durable).toEqual(Y.decodeStateVector(sv))
    b.doc.getMap('m').set('y', 2)
    await waitFor(() => ownChangesDurable(b), 'b durable')
    expect(scope.srv.server.metrics.docsLive()).toBe(1)
  })

  it('gives a dropped doc’s memory back: a full GC (and its follow-up) once the room is quiet', async () => {
    let gcs = 0
    const limits = { DOC_IDLE_MS: 50, RECLAIM_MIN_BYTES: 4_000, RECLAIM_QUIET_MS: 20 }
    scope.srv = await startTestServer({ limits, gc: () => gcs++ })
    const { metrics } = scope.srv.server
    const a = connect(scope.srv.wsBase, 'wb', tokenFor('editor'), { ack: true })
    await synced(a)
    // A small doc dropped: under RECLAIM_MIN_BYTES, no GC.
    a.doc.getMap('m').set('k', 1)
    await waitFor(() => ownChangesDurable(a), 'a durable')
    await waitFor(() => metrics.docDrops === 1, 'first drop')
    await new Promise((r) => setTimeout(r, 100))
    expect(gcs).toBe(0)
    // A big one: one GC, after the drop (nothing is let go while the doc is live).
    a.doc.getText('t').insert(0, 'x'.repeat(5_000))
    await waitFor(() => ownChangesDurable(a), 'a durable again')
    expect(gcs).toBe(0)
    await waitFor(() => metrics.docDrops === 2, 'second drop')
    await waitFor(() => gcs === 2, 'a GC and its follow-up after the drop')
    await new Promise((r) => setTimeout(r, 300))
    expect(gcs).toBe(2)
  })
})
