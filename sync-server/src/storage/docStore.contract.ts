import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { DocStore } from './DocStore.js'

/** What a contract run needs: a fresh store, and (for persistent engines) a way to reopen it. */
export interface DocStoreHarness {
  store: DocStore
  /** Closes nothing; opens a second store over the same data (after `store.close()`). */
  reopen?: () => Promise<DocStore>
  cleanup?: () => Promise<void>
}

const bytes = (...xs: number[]) => new Uint8Array(xs)

/** The one storage contract suite (automerge-repo style); every `DocStore` must pass it. */
export function describeDocStore(name: string, make: () => Promise<DocStoreHarness>): void {
  describe(`DocStore contract: ${name}`, () => {
    let h: DocStoreHarness | undefined
    const open = async () => {
      h = await make()
      return h
    }
    afterEach(async () => {
      await h?.store.close().catch(() => undefined)
      await h?.cleanup?.()
      h = undefined
    })

    it('loads [] for an unknown room and lists nothing', async () => {
      const { store } = await open()
      expect(await store.load('nope')).toEqual([])
      expect(await store.list()).toEqual([])
    })

    it('returns appended updates oldest first, byte for byte', async () => {
      const { store } = await open()
      const big = new Uint8Array(1 << 20).map((_, i) => (i * 31) & 0xff)
      await store.append('a', bytes(1))
      await store.append('a', big)
      await store.append('a', bytes(3, 0, 255))
      const got = await store.load('a')
      expect(got.map((u) => Array.from(u.subarray(0, 3)))).toEqual([[1], [0, 31, 62], [3, 0, 255]])
      expect(Buffer.compare(got[1]!, big)).toBe(0)
    })

    it('keeps call order for un-awaited operations on one room', async () => {
      const { store } = await open()
      const ops: Promise<void>[] = []
      for (let i = 0; i < 300; i++) ops.push(store.append('a', bytes(i & 0xff, i >> 8)))
      await Promise.all(ops)
      const got = await store.load('a')
      expect(got.map((u) => u[0]! | (u[1]! << 8))).toEqual([...Array(300).keys()])
    })

    it('keeps each room in order when many rooms append at once (group commit), durably', async () => {
      const harness = await open()
      const ops: Promise<void>[] = []
      for (let i = 0; i < 20; i++)
        for (let r = 0; r < 50; r++) ops.push(harness.store.append(`g${r}`, bytes(r, i)))
      await Promise.all(ops)
      let store = harness.store
      if (harness.reopen) {
        await store.close()
        store = await harness.reopen()
        harness.store = store
      }
      for (let r = 0; r < 50; r++) {
        const got = await store.load(`g${r}`)
        expect(got).toEqual([...Array(20).keys()].map((i) => bytes(r, i)))
      }
      expect(await store.list()).toHaveLength(50)
    })

    it('keeps rooms apart, including rooms whose names are prefixes of others', async () => {
      const { store } = await open()
      await store.append('room', bytes(1))
      await store.append('room2', bytes(2))
      await store.append('ro', bytes(3))
      expect(await store.load('room')).toEqual([bytes(1)])
      expect(await store.load('room2')).toEqual([bytes(2)])
      expect(await store.list()).toEqual(['ro', 'room', 'room2'])
    })

    it('compact replaces everything stored for the room, later appends follow it', async () => {
      const { store } = await open()
      await store.append('a', bytes(1))
      await store.append('a', bytes(2))
      await store.append('b', bytes(9))
      await store.compact('a', bytes(7, 7))
      await store.append('a', bytes(8))
      expect(await store.load('a')).toEqual([bytes(7, 7), bytes(8)])
      expect(await store.load('b')).toEqual([bytes(9)])
    })

    it('compact of a Yjs room gives the same document', async () => {
      const { store } = await open()
      const doc = new Y.Doc()
      doc.on('update', (u: Uint8Array) => void store.append('y', u))
      for (let i = 0; i < 50; i++) doc.getMap('m').set(`k${i % 7}`, i)
      doc.getArray('a').insert(0, ['x', 'y'])
      const before = Y.encodeStateAsUpdate(doc)
      await store.compact('y', Y.mergeUpdates(await store.load('y')))
      const stored = await store.load('y')
      expect(stored).toHaveLength(1)
      const copy = new Y.Doc()
      Y.applyUpdate(copy, stored[0]!)
      expect(copy.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON())
      expect(Y.encodeStateVector(copy)).toEqual(Y.encodeStateVector(doc))
      expect(before.length).toBeGreaterThan(0)
    })

    it('persists across close and reopen (persistent engines)', async () => {
      const harness = await open()
      if (!harness.reopen) return
      await harness.store.append('a', bytes(1))
      await harness.store.compact('a', bytes(5))
      await harness.store.append('a', bytes(6))
      await harness.store.close()
      const again = await harness.reopen()
      harness.store = again
      expect(await again.load('a')).toEqual([bytes(5), bytes(6)])
      expect(await again.list()).toEqual(['a'])
      await again.append('a', bytes(7))
      expect(await again.load('a')).toEqual([bytes(5), bytes(6), bytes(7)])
    })

    it('rejects operations after close', async () => {
      const { store } = await open()
      await store.close()
      await expect(store.append('a', bytes(1))).rejects.toThrow()
    })
  })
}
