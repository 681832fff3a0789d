import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { LIMITS, type Limits } from '../limits.js'
import { createMetrics } from '../metrics.js'
import type { DocStore } from '../storage/DocStore.js'
import { createMemoryDocStore } from '../storage/memoryDocStore.js'
import { silent } from '../test/helpers.js'
import { editUpdate, ManualClock, settle } from '../test/roomHarness.js'
import { DurableWriter } from './DurableWriter.js'

/** A writer over a store whose appends wait for `release()`, recording what the hooks see. */
function setup(limits: Partial<Limits> = {}) {
  const inner = createMemoryDocStore()
  const appends: Uint8Array[] = []
  let gate: Promise<void> = Promise.resolve()
  let open: () => void = () => {}
  const store: DocStore = {
    ...inner,
    append: async (room, u) => {
      await gate
      appends.push(u)
      await inner.append(room, u)
    },
  }
  const hold = () => {
    gate = new Promise((r) => {
      open = r
    })
  }
  const clock = new ManualClock()
  const doc = new Y.Doc()
  const durable: Array<Map<number, number>> = []
  const writer = new DurableWriter<string>(
    'wb',
    {
      store,
      log: silent,
      metrics: createMetrics(),
      limits: { ...LIMITS, ...limits },
      clock,
    },
    {
      stateVector: () => Y.encodeStateVector(doc),
      prepare: (sv) => `ack ${Y.decodeStateVector(sv).size}`,
      durable: (prepared, sv) => {
        expect(prepared).toBe(`ack ${Y.decodeStateVector(sv).size}`)
        durable.push(Y.decodeStateVector(sv))
      },
      fullState: () => Y.encodeStateAsUpdate(doc),
      settled: () => {},
    },
  )
  /** An edit applied to the doc, then queued (as the room does). */
  const write = (client: number) => {
    const u = editUpdate(client, `k${client}`, client)
    Y.applyUpdate(doc, u)
    writer.enqueue(u)
  }
  return { inner, writer, write, appends, durable, clock, hold, release: () => open() }
}

describe('DurableWriter', () => {
  it('writes a lone edit at once and groups the edits arriving during that write into one append', async () => {
    const t = setup({ BATCH_WINDOW_MS: 0 })
    t.hold()
    t.write(1) // starts its write now
    t.write(2)
    t.write(3)
    t.write(4)
    expect(t.writer.idle).toBe(false)
    t.release()
    await t.writer.flush()
    expect(t.appends.length).toBe(2)
    // The second append is the merged batch of 2, 3 and 4: once stored, all four are durable.
    const last = t.durable.at(-1)!
    expect([...last.keys()].sort()).toEqual([1, 2, 3, 4])
    expect(t.writer.idle).toBe(true)
  })

  it('with a batch window, waits for it on the clock, then writes everything in one append', async () => {
    const t = setup({ BATCH_WINDOW_MS: 20 })
    t.write(1)
    t.write(2)
    await settle()
    expect(t.appends.length).toBe(0)
    await t.clock.advance(20)
    await t.writer.flush()
    expect(t.appends.length).toBe(1)
    expect(t.durable.length).toBe(1)
  })

  it('compacts the stored records into one after COMPACT_AFTER_APPENDS appends', async () => {
    const t = setup({ COMPACT_AFTER_APPENDS: 3 })
    for (let i = 1; i <= 3; i++) {
      t.write(i)
      await t.writer.flush()
    }
    expect(t.writer.appendsSinceCompact).toBe(0)
    const stored = await t.inner.load('wb')
    expect(stored.length).toBe(1)
    const doc = new Y.Doc()
    Y.applyUpdate(doc, stored[0]!)
    expect(doc.getMap('m').toJSON()).toEqual({ k1: 1, k2: 2, k3: 3 })
  })

  it('gives up at the shutdown deadline without calling durable (nothing acknowledged)', async () => {
    const t = setup({ RETRY_MIN_MS: 50 })
    const failing = new DurableWriter<null>(
      'wb',
      {
        store: { ...t.inner, append: () => Promise.reject(new Error('disk gone')) },
        log: silent,
        metrics: createMetrics(),
        limits: { ...LIMITS, RETRY_MIN_MS: 50 },
        clock: t.clock,
      },
      {
        stateVector: () => new Uint8Array([0]),
        prepare: () => null,
        durable: () => {
          throw new Error('must not be called')
        },
        fullState: () => null,
        settled: () => {},
      },
    )
    failing.giveUpAt = t.clock.now() + 120
    failing.enqueue(editUpdate(5, 'x', 1))
    const done = failing.flush()
    await t.clock.advance(50) // second attempt fails; the next (100 ms later) is past the deadline
    await done
    expect(failing.idle).toBe(true)
  })
})
