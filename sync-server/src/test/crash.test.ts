import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createLevelDocStore } from '../storage/levelDocStore.js'
import {
  type Client,
  connectClient,
  InstrumentedStore,
  SECRET,
  spawnServer,
  startTestServer,
  synced,
  tempDir,
  tokenFor,
  waitFor,
} from './helpers.js'

const clients: Client[] = []
const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  for (const f of cleanups.splice(0)) await f()
})

/** Streams edits (one map key per edit) and records which ones the server acknowledged durable. */
function editStream(c: Client, prefix: string, valueBytes = 16) {
  const clocks: Array<{ key: string; clock: number }> = []
  let i = 0
  let running = true
  const pad = 'v'.repeat(valueBytes)
  const loop = (async () => {
    while (running) {
      // A few edits per turn, so batches form as they would under real typing.
      for (let k = 0; k < 3; k++) {
        const key = `${prefix}${i++}`
        c.doc.getMap('m').set(key, `${key}${pad}`)
        clocks.push({ key, clock: Y.getState(c.doc.store, c.doc.clientID) })
      }
      await new Promise((r) => setTimeout(r, 1))
    }
  })()
  return {
    acked(): string[] {
      const durable = c.durable?.get(c.doc.clientID) ?? 0
      return clocks.filter((e) => e.clock <= durable).map((e) => e.key)
    },
    async stop() {
      running = false
      await loop
    },
  }
}

async function readBack(port: number, workbook: string): Promise<Y.Map<unknown>> {
  const c = connectClient(`ws://127.0.0.1:${port}/sync`, workbook, tokenFor('viewer', workbook))
  clients.push(c)
  // A server just restarted after kill -9 loads (and may compact) a doc of several MB first: on a
  // loaded CI machine that took longer than the default 15 s once.
  await waitFor(() => c.provider.synced, 'read-back client synced', 60_000)
  return c.doc.getMap('m')
}

describe('crash safety (real CLI in a child process)', () => {
  it('kill -9 during a stream of acknowledged edits, 20 times: 0 acknowledged updates lost', async () => {
    const { dir, cleanup } = await tempDir()
    cleanups.push(cleanup)
    const everAcked: string[] = []
    let srv = await spawnServer(dir)
    for (let round = 0; round < 20; round++) {
      // The server we just started must hold every edit acknowledged before every earlier kill.
      const m = await readBack(srv.port, 'wb1')
      const missing = everAcked.filter((k) => !m.has(k))
      expect({ round, missing }).toEqual({ round, missing: [] })
      const c = connectClient(`ws://127.0.0.1:${srv.port}/sync`, 'wb1', tokenFor('editor'), {
        ack: true,
      })
      clients.push(c)
      await synced(c)
      const stream = editStream(c, `r${round}-`)
      const target = 5 + ((round * 7) % 40)
      await waitFor(() => stream.acked().length >= target, 'some acks')
      srv.child.kill('SIGKILL')
      await srv.exited
      await stream.stop()
      everAcked.push(...stream.acked())
      c.destroy()
      srv = await spawnServer(dir)
    }
    const m = await readBack(srv.port, 'wb1')
    expect(everAcked.filter((k) => !m.has(k))).toEqual([])
    expect(everAcked.length).toBeGreaterThan(20 * 5)
    srv.child.kill('SIGKILL')
    await srv.exited
  })

  it('kill -9 during compaction leaves a loadable doc with every acknowledged edit', async () => {
    const { dir, cleanup } = await tempDir()
    cleanups.push(cleanup)
    const everAcked = new Map<string, string>()
    let srv = await spawnServer(dir, ['--compact-after', '2'])
    for (let round = 0; round < 6; round++) {
      const c = connectClient(`ws://127.0.0.1:${srv.port}/sync`, 'wb1', tokenFor('editor'), {
        ack: true,
      })
      clients.push(c)
      await synced(c)
      // Large values make each compaction write a few MB, so kills land inside it.
      const stream = editStream(c, `c${round}-`, 20_000)
      await waitFor(() => stream.acked().length >= 30 + round * 10, 'acks while compacting')
      srv.child.kill('SIGKILL')
      await srv.exited
      await stream.stop()
      for (const k of stream.acked()) everAcked.set(k, c.doc.getMap('m').get(k) as string)
      c.destroy()
      srv = await spawnServer(dir, ['--compact-after', '2'])
      const m = await readBack(srv.port, 'wb1')
      const wrong = [...everAcked].filter(([k, v]) => m.get(k) !== v).map(([k]) => k)
      expect({ round, wrong }).toEqual({ round, wrong: [] })
    }
    srv.child.kill('SIGKILL')
    await srv.exited
    // The store opens cleanly and holds one document equal to what the server served.
    const store = await createLevelDocStore(`${dir}/db`)
    const doc = new Y.Doc()
    for (const u of await store.load('wb1')) Y.applyUpdate(doc, u)
    await store.close()
    for (const [k, v] of everAcked) expect(doc.getMap('m').get(k)).toBe(v)
  })

  it('SIGTERM: exits 0, and every acknowledged edit survives', async () => {
    const { dir, cleanup } = await tempDir()
    cleanups.push(cleanup)
    const srv = await spawnServer(dir)
    const c = connectClient(`ws://127.0.0.1:${srv.port}/sync`, 'wb1', tokenFor('editor'), {
      ack: true,
    })
    clients.push(c)
    await synced(c)
    const stream = editStream(c, 't-')
    await waitFor(() => stream.acked().length >= 50, 'acks')
    srv.child.kill('SIGTERM')
    expect(await srv.exited).toBe(0)
    await stream.stop()
    const acked = stream.acked()
    c.destroy()
    const again = await spawnServer(dir)
    const m = await readBack(again.port, 'wb1')
    expect(acked.filter((k) => !m.has(k))).toEqual([])
    again.child.kill('SIGTERM')
    expect(await again.exited).toBe(0)
  })
})

describe('graceful shutdown with dirty rooms', () => {
  it('writes every update the server accepted before closing storage', async () => {
    const { dir, cleanup } = await tempDir()
    cleanups.push(cleanup)
    const level = await createLevelDocStore(dir)
    const srv = await startTestServer({ store: level })
    // Slow storage keeps batches in flight, so rooms are dirty when shutdown starts.
    srv.store.appendDelayMs = 200
    const rooms = ['d1', 'd2', 'd3']
    const cs = rooms.map((r) => connectClient(srv.wsBase, r, tokenFor('editor'), { ack: true }))
    clients.push(...cs)
    for (const c of cs) await synced(c)
    for (const c of cs) for (let i = 0; i < 50; i++) c.doc.getMap('m').set(`k${i}`, i)
    await waitFor(
      () =>
        rooms.every((r) => {
          const room = srv.server.rooms.peek(r)
          // Cold until the first edit revives its doc (then live for DOC_IDLE_MS).
          if (!room?.isLive) return false
          const doc = new Y.Doc()
          Y.applyUpdate(doc, room.fullState())
          return doc.getMap('m').size === 50
        }),
      'server applied all edits',
    )
    expect(rooms.some((r) => !srv.server.rooms.peek(r)!.idle)).toBe(true)
    await srv.server.close()
    const reopened = new InstrumentedStore(await createLevelDocStore(dir))
    for (const r of rooms) {
      const doc = new Y.Doc()
      for (const u of await reopened.load(r)) Y.applyUpdate(doc, u)
      expect(doc.getMap('m').size).toBe(50)
    }
    await reopened.close()
    expect(SECRET.length).toBeGreaterThan(0)
  })
})
