import { afterEach, describe, expect, it } from 'vitest'
import type { VersionMeta, VersionStore } from './VersionStore.js'

/** A fresh store, and for persistent engines a second one over the same data. */
export interface VersionStoreHarness {
  store: VersionStore
  /** Another store over the same data: after `store.close()` (reopen), or alongside it (cluster). */
  another?: () => Promise<VersionStore>
  cleanup?: () => Promise<void>
}

const HOUR = 3_600_000
const T0 = Date.UTC(2026, 4, 6, 4, 0, 0)
const meta = (over: Partial<VersionMeta> = {}): VersionMeta => ({
  name: '',
  kind: 'auto',
  author: 'system',
  createdAt: T0,
  hash: 'h',
  ...over,
})

/** The one contract every `VersionStore` passes (as `docStore.contract.ts` is for documents). */
export function describeVersionStore(
  name: string,
  make: () => Promise<VersionStoreHarness>,
  opts: { persistent: boolean; shared: boolean },
): void {
  describe(`VersionStore contract: ${name}`, () => {
    let h: VersionStoreHarness | undefined
    const extra: VersionStore[] = []
    const open = async () => {
      h = await make()
      return h
    }
    afterEach(async () => {
      for (const s of extra.splice(0)) await s.close().catch(() => undefined)
      await h?.store.close().catch(() => undefined)
      await h?.cleanup?.()
      h = undefined
    })

    it('lists nothing and gets null for an unknown room, an unknown id and a malformed id', async () => {
      const { store } = await open()
      expect(await store.list('nope')).toEqual([])
      expect(await store.get('nope', '000000000-00000000')).toBeNull()
      expect(await store.get('nope', '../../etc/passwd')).toBeNull()
    })

    it('stores snapshots byte for byte, lists newest first with metadata and size, keeps rooms apart', async () => {
      const { store } = await open()
      const big = new Uint8Array(2 << 20).map((_, i) => (i * 31) & 0xff)
      const a = await store.put('r', meta({ name: '月初', kind: 'manual', author: '张三' }), big)
      const b = await store.put(
        'r',
        meta({ kind: 'import', createdAt: T0 + 1000 }),
        new Uint8Array([1, 2]),
      )
      await store.put('other', meta(), new Uint8Array([9]))
      expect(a).toMatchObject({
        name: '月初',
        kind: 'manual',
        author: '张三',
        createdAt: T0,
        bytes: big.length,
      })
      expect(a.id).not.toBe(b.id)
      const listed = await store.list('r')
      expect(listed.map((v) => v.id)).toEqual([b.id, a.id])
      expect(listed[1]).toEqual(a)
      // Buffer.equals: a deep toEqual of 2 MiB element by element takes seconds.
      const got = await store.get('r', a.id)
      expect(got && Buffer.from(got).equals(Buffer.from(big))).toBe(true)
      expect(await store.get('r', b.id)).toEqual(new Uint8Array([1, 2]))
      // A version of another room is not found through this one.
      expect(await store.get('other', a.id)).toBeNull()
      expect(await store.list('other')).toHaveLength(1)
    })

    it('prunes what the retention policy drops and nothing else', async () => {
      const { store } = await open()
      const old1 = await store.put('r', meta({ createdAt: T0 - 5 * HOUR }), new Uint8Array([1]))
      const old2 = await store.put(
        'r',
        meta({ createdAt: T0 - 5 * HOUR + 60_000 }),
        new Uint8Array([2]),
      )
      const named = await store.put(
        'r',
        meta({ kind: 'manual', createdAt: T0 - 5 * HOUR + 1 }),
        new Uint8Array([3]),
      )
      const now = await store.put('r', meta({ createdAt: T0 }), new Uint8Array([4]))
      expect(await store.prune('r', T0)).toEqual([old1.id])
      expect((await store.list('r')).map((v) => v.id).sort()).toEqual(
        [old2.id, named.id, now.id].sort(),
      )
      expect(await store.get('r', old1.id)).toBeNull()
      expect(await store.prune('r', T0)).toEqual([])
      expect(await store.prune('unknown', T0)).toEqual([])
    })

    it('runs one exclusive task per room at a time; other rooms are not held up', async () => {
      const { store, another } = await open()
      let release!: () => void
      const gate = new Promise<void>((r) => {
        release = r
      })
      const first = store.exclusive('r', async () => {
        await gate
        return 1
      })
      // Give the first task time to take its lock (a round trip on PostgreSQL).
      await new Promise((r) => setTimeout(r, 100))
      expect(await store.exclusive('r', async () => 2)).toEqual({ ran: false })
      expect(await store.exclusive('r2', async () => 3)).toEqual({ ran: true, value: 3 })
      if (opts.shared && another) {
        const other = await another()
        extra.push(other)
        expect(await other.exclusive('r', async () => 4)).toEqual({ ran: false })
      }
      release()
      expect(await first).toEqual({ ran: true, value: 1 })
      expect(await store.exclusive('r', async () => 5)).toEqual({ ran: true, value: 5 })
    })

    it.runIf(opts.persistent)('keeps versions across a reopen', async () => {
      const { store, another } = await open()
      const v = await store.put('r', meta({ name: 'keep' }), new Uint8Array([7, 7]))
      await store.close()
      const again = await another!()
      extra.push(again)
      expect(await again.list('r')).toEqual([v])
      expect(await again.get('r', v.id)).toEqual(new Uint8Array([7, 7]))
    })
  })
}
