import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  deleteLocalDoc,
  IdbPersistence,
  type LocalSaveStatus,
  MERGE_MAX_BYTES,
} from './IdbPersistence'
import { openDocDatabase, requestToPromise, UPDATES_STORE } from './idb'

let n = 0
const freshId = () => `test-${Date.now()}-${n++}`

async function countRecords(id: string): Promise<number> {
  const db = await openDocDatabase(id)
  try {
    return await requestToPromise(db.transaction(UPDATES_STORE).objectStore(UPDATES_STORE).count())
  } finally {
    db.close()
  }
}

describe('IdbPersistence', () => {
  it('restores every update after a reopen, without re-snapshotting on open', async () => {
    const id = freshId()
    const doc = new Y.Doc()
    const p = new IdbPersistence(id, doc, { makeWorker: () => null })
    await p.whenLoaded
    for (let i = 0; i < 10; i++) doc.getMap('m').set(`k${i}`, i)
    await p.flush()
    await p.destroy()
    const records = await countRecords(id)

    const doc2 = new Y.Doc()
    const p2 = new IdbPersistence(id, doc2, { makeWorker: () => null })
    const loaded = await p2.whenLoaded
    expect(loaded.records).toBe(records)
    expect(doc2.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON())
    await p2.destroy()
    // Opening added nothing (stock y-indexeddb appends a full snapshot here).
    expect(await countRecords(id)).toBe(records)
    await deleteLocalDoc(id)
  })

  it('reports "saved" only after the IndexedDB transaction completes', async () => {
    const id = freshId()
    const doc = new Y.Doc()
    const states: LocalSaveStatus['state'][] = []
    const p = new IdbPersistence(id, doc, {
      makeWorker: () => null,
      onStatus: (s) => states.push(s.state),
    })
    await p.whenLoaded
    states.length = 0
    doc.getMap('m').set('a', 1)
    expect(states).toEqual(['saving'])
    await p.flush()
    expect(states[states.length - 1]).toBe('saved')
    expect(await countRecords(id)).toBe(1)
    await p.destroy()
    await deleteLocalDoc(id)
  })

  it('skips a corrupt record with a count instead of failing the open', async () => {
    const id = freshId()
    const doc = new Y.Doc()
    const p = new IdbPersistence(id, doc, { makeWorker: () => null })
    await p.whenLoaded
    doc.getMap('m').set('good', 1)
    await p.destroy()
    const db = await openDocDatabase(id)
    const tx = db.transaction(UPDATES_STORE, 'readwrite')
    tx.objectStore(UPDATES_STORE).add(new Uint8Array([255, 255, 255, 1, 2]))
    tx.objectStore(UPDATES_STORE).add('not bytes')
    await new Promise((r) => {
      tx.oncomplete = r
    })
    db.close()
    const doc2 = new Y.Doc()
    const p2 = new IdbPersistence(id, doc2, { makeWorker: () => null })
    const loaded = await p2.whenLoaded
    expect(loaded.corrupt).toBe(2)
    expect(doc2.getMap('m').get('good')).toBe(1)
    expect(p2.getStatus().corrupt).toBe(2)
    await p2.destroy()
    await deleteLocalDoc(id)
  })

  it('compacts past the threshold into one record holding the same doc', async () => {
    const id = freshId()
    const doc = new Y.Doc()
    const p = new IdbPersistence(id, doc, { makeWorker: () => null, compactThreshold: 5 })
    await p.whenLoaded
    for (let i = 0; i < 12; i++) {
      doc.getMap('m').set(`k${i}`, i)
      await p.flush()
    }
    // Let the inline compaction finish.
    await new Promise((r) => setTimeout(r, 50))
    await p.destroy()
    expect(await countRecords(id)).toBeLessThan(12)
    const doc2 = new Y.Doc()
    const p2 = new IdbPersistence(id, doc2, { makeWorker: () => null })
    await p2.whenLoaded
    expect(doc2.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON())
    await p2.destroy()
    await deleteLocalDoc(id)
  })
})

describe('IdbPersistence: big queued updates (a staged CSV import)', () => {
  it('writes updates over MERGE_MAX_BYTES as they are, one IndexedDB transaction, and reloads them', async () => {
    const id = freshId()
    const doc = new Y.Doc()
    const p = new IdbPersistence(id, doc, { makeWorker: () => null })
    await p.whenLoaded
    const arr = doc.getArray<string>('rows')
    const big = 'x'.repeat(MERGE_MAX_BYTES / 2)
    // Three ~128 KB updates queued before the first flush runs: too big to merge on the main thread.
    for (let i = 0; i < 3; i++) arr.insert(arr.length, [big + i])
    await p.flush()
    expect(await countRecords(id)).toBe(3)
    // Small edits still merge into one record.
    for (let i = 0; i < 5; i++) doc.getMap('m').set(`k${i}`, i)
    await p.flush()
    expect(await countRecords(id)).toBe(4)
    await p.destroy()
    const doc2 = new Y.Doc()
    const p2 = new IdbPersistence(id, doc2, { makeWorker: () => null })
    await p2.whenLoaded
    expect(doc2.getArray<string>('rows').toArray()).toEqual(arr.toArray())
    expect(doc2.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON())
    await p2.destroy()
  })
})
