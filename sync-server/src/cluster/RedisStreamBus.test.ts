import { Redis } from 'ioredis'
import { pino } from 'pino'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  type BusMessage,
  type BusMetrics,
  type BusRoom,
  type BusTarget,
  RedisStreamBus,
} from './RedisStreamBus.js'
import { type RedisService, startRedis } from './services/redisService.js'

const log = pino({ level: process.env.BUS_LOG ?? 'silent' })

/** A room as the bus sees it, over a real Y.Doc (what `Room` does, without sockets or storage). */
class DocRoom implements BusRoom {
  readonly doc = new Y.Doc()
  awareness: Uint8Array[] = []
  constructor(readonly name: string) {}
  get isLive() {
    return true
  }
  stateVector() {
    return Y.encodeStateVector(this.doc)
  }
  syncStep2(sv: Uint8Array) {
    return Y.encodeStateAsUpdate(this.doc, sv)
  }
  receiveRemote(msg: BusMessage) {
    if (msg.type === 'update') Y.applyUpdate(this.doc, msg.update, 'remote')
    else this.awareness.push(msg.update)
    return 'ok'
  }
}

/** One server: its rooms, its "store" (the durable records), and its bus. */
async function server(
  id: string,
  url: string,
  store: Map<string, Uint8Array[]>,
  opts: { maxLen?: number; readCount?: number; metrics?: BusMetrics } = {},
) {
  const rooms = new Map<string, DocRoom>()
  const bus = await RedisStreamBus.create({ url, serverId: id, log, blockMs: 50, ...opts })
  const target: BusTarget = {
    peek: (n) => rooms.get(n),
    loadStored: async (n) => store.get(n) ?? [],
  }
  const open = async (name: string) => {
    await bus.watch(name)
    const room = new DocRoom(name)
    for (const u of store.get(name) ?? []) Y.applyUpdate(room.doc, u)
    // What Room does: local edits go to the bus (remote ones are not published again).
    room.doc.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin !== 'remote') bus.publish(name, { type: 'update', update: u })
    })
    rooms.set(name, room)
    return room
  }
  return { bus, rooms, open, start: () => bus.start(target) }
}

async function until(cond: () => boolean, what: string, ms = 15_000) {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

const json = (r: DocRoom) => r.doc.getMap('m').toJSON()

describe('Redis Streams bus (real redis-server)', () => {
  let redis: RedisService
  const buses: RedisStreamBus[] = []
  beforeAll(async () => {
    redis = await startRedis()
  })
  afterAll(async () => {
    await redis?.destroy()
  })
  afterEach(async () => {
    for (const b of buses.splice(0)) await b.close()
  })
  const make = async (...args: Parameters<typeof server>) => {
    const s = await server(...args)
    buses.push(s.bus)
    return s
  }

  it('fans updates and awareness out to the other server, not back to the sender', async () => {
    const store = new Map<string, Uint8Array[]>()
    const a = await make('A', redis.url, store)
    const b = await make('B', redis.url, store)
    await a.start()
    await b.start()
    const ra = await a.open('fan')
    const rb = await b.open('fan')
    ra.doc.getMap('m').set('x', 1)
    rb.doc.getMap('m').set('y', 2)
    await until(() => json(ra).y === 2 && json(rb).x === 1, 'both edits on both servers')
    a.bus.publish('fan', { type: 'awareness', update: new Uint8Array([7, 7]) })
    await until(() => rb.awareness.length === 1, 'awareness at B')
    expect(rb.awareness[0]).toEqual(new Uint8Array([7, 7]))
    expect(ra.awareness).toHaveLength(0)
  })

  it('a server opening a room gets what another server holds but has not stored (resync request)', async () => {
    const store = new Map<string, Uint8Array[]>()
    const a = await make('A', redis.url, store)
    await a.start()
    const ra = await a.open('late')
    for (let i = 0; i < 20; i++) ra.doc.getMap('m').set(`k${i}`, i)
    const b = await make('B', redis.url, store)
    await b.start()
    const rb = await b.open('late') // the store is empty: only A's doc has the edits
    await until(() => Object.keys(json(rb)).length === 20, 'B to catch up from A')
  })

  it('catches up after a Redis restart: edits made while Redis was down reach the other server', async () => {
    const store = new Map<string, Uint8Array[]>()
    const a = await make('A', redis.url, store)
    const b = await make('B', redis.url, store)
    await a.start()
    await b.start()
    const ra = await a.open('restart')
    const rb = await b.open('restart')
    ra.doc.getMap('m').set('before', 1)
    await until(() => json(rb).before === 1, 'first edit')
    await redis.stop('SIGKILL')
    ra.doc.getMap('m').set('during', 2) // published into the void
    rb.doc.getMap('m').set('duringB', 3)
    await redis.start()
    await until(() => a.bus.connected && b.bus.connected, 'reconnect')
    await until(() => json(rb).during === 2 && json(ra).duringB === 3, 'resync after the restart')
    ra.doc.getMap('m').set('after', 4)
    await until(() => json(rb).after === 4, 'edits after the restart')
  })

  it('after a Redis restart, an edit whose publisher died and whose entry Redis lost is reloaded from the store', async () => {
    const store = new Map<string, Uint8Array[]>()
    const a = await make('A', redis.url, store)
    const b = await make('B', redis.url, store)
    await a.start()
    await b.start()
    const ra = await a.open('dead')
    const rb = await b.open('dead')
    ra.doc.getMap('m').set('before', 1)
    await until(() => json(rb).before === 1, 'first edit')
    // A commits an edit (acknowledged to its client), its entry never reaches B, and A dies: no
    // live server can answer B's resync request, only the store has it.
    await a.bus.close()
    ra.doc.getMap('m').set('lost', 2)
    store.set('dead', [Y.encodeStateAsUpdate(ra.doc)])
    await redis.stop('SIGKILL')
    await redis.start()
    await until(() => json(rb).lost === 2, "the dead publisher's edit at B, from the store")
  })

  it('a room opened just after another server published replays the entry when that server died before answering', async () => {
    const store = new Map<string, Uint8Array[]>()
    const a = await make('A', redis.url, store)
    await a.start()
    const ra = await a.open('replay')
    ra.doc.getMap('m').set('x', 1) // published; not in the store yet (A's commit is in flight)
    await new Promise((r) => setTimeout(r, 100)) // the XADD is in
    await a.bus.close() // A dies before anyone asks it
    const b = await make('B', redis.url, store)
    await b.start()
    const rb = await b.open('replay') // watches after the entry, reads an empty store
    await until(() => json(rb).x === 1, 'the entry published before the watch, replayed')
  })

  it('a reader that fell behind a trimmed stream reloads the room from the store and resyncs', async () => {
    const store = new Map<string, Uint8Array[]>()
    const a = await make('A', redis.url, store, { maxLen: 10 })
    await a.start()
    const ra = await a.open('trim')
    // B watches (position recorded) but does not read yet.
    let reloads = 0
    const metrics: BusMetrics = {
      lag: () => undefined,
      published: () => undefined,
      publishFailed: () => undefined,
      reloaded: () => reloads++,
      streamLength: () => undefined,
    }
    const b = await make('B', redis.url, store, { readCount: 5, metrics })
    await b.bus.connect()
    const rb = await b.open('trim')
    for (let i = 0; i < 300; i++) {
      ra.doc.getMap('m').set(`k${i}`, i)
      store.set('trim', [Y.encodeStateAsUpdate(ra.doc)]) // "durable" as A writes
    }
    await new Promise((r) => setTimeout(r, 100)) // A's XADDs are in
    await a.bus.close() // nobody left to answer a resync: only the stream and the store
    await b.start()
    await until(() => Object.keys(json(rb)).length === 300, 'B to have all 300 keys')
    expect(reloads).toBe(1)
  })

  it('an update Redis refused (out of memory) reaches the other server once Redis accepts again', async () => {
    const store = new Map<string, Uint8Array[]>()
    const a = await make('A', redis.url, store)
    const b = await make('B', redis.url, store)
    await a.start()
    await b.start()
    const ra = await a.open('oom')
    const rb = await b.open('oom')
    ra.doc.getMap('m').set('before', 1)
    await until(() => json(rb).before === 1, 'first edit')
    const admin = new Redis(redis.url)
    try {
      await admin.config('SET', 'maxmemory', '1') // noeviction: every write is refused
      ra.doc.getMap('m').set('refused', 2)
      store.set('oom', [Y.encodeStateAsUpdate(ra.doc)]) // A made it durable meanwhile
      await new Promise((r) => setTimeout(r, 300))
      expect(json(rb).refused).toBeUndefined()
    } finally {
      await admin.config('SET', 'maxmemory', '0')
      admin.disconnect()
    }
    await until(() => json(rb).refused === 2, 'the refused edit at B')
  })
})
