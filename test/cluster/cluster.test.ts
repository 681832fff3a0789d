/**
 * Cluster chaos (issue #17 §4), at CI size: 3 real `taizhang serve` processes sharing a real
 * PostgreSQL and a real Redis, behind a real HAProxy (Debian's packages), 8 real y-websocket
 * clients spread over them making random edits; during the run a server is SIGKILLed (and
 * restarted), Redis is SIGKILLed and restarted, PostgreSQL is stopped immediately (crash recovery
 * at restart) and restarted, and another server is SIGKILLed and restarted. At the end every replica converges, every edit that was
 * ever acknowledged is present, and the document stored in PostgreSQL equals the live one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ACK_PARAMS, installAckHandler } from '../../shared/src/index.js'
import { createPostgresDocStore } from '../../sync-server/src/storage/postgresDocStore.js'
import { WebsocketProvider, type WebsocketProviderT, WS, Y, type YDoc } from '../chaos/deps.js'
import { type Cluster, startCluster } from './clusterHarness.js'

type ProviderOptions = NonNullable<ConstructorParameters<typeof WebsocketProvider>[3]>

const CLIENTS = 8
const SERVERS = 3
const ROOM = 'cluster-chaos'
/** Edit phase length and the moments of the faults (ms from the start of the edits). */
const EDIT_MS = 24_000
const KILL_SERVER_AT = 4_000
const RESTART_SERVER_AFTER = 3_000
const REDIS_AT = 10_000
const POSTGRES_AT = 16_000
const KILL_SECOND_AT = 20_000
const SEED = Number(process.env.CLUSTER_SEED ?? Date.now() % 1_000_000)

/** mulberry32: a small seeded PRNG (the seed is printed, so a failure can be replayed). */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface Edit {
  key: string
  value: number
  /** The client's own Yjs clock right after the edit. */
  clock: number
  acked: boolean
}

interface TestClient {
  index: number
  doc: YDoc
  provider: WebsocketProviderT
  edits: Edit[]
  durable: number
  reconnects: number
}

function connect(cluster: Cluster, index: number): TestClient {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(cluster.wsBase, ROOM, doc, {
    WebSocketPolyfill: WS.WebSocket as unknown as ProviderOptions['WebSocketPolyfill'],
    params: { ...ACK_PARAMS, token: cluster.token() },
    disableBc: true,
    maxBackoffTime: 1000,
  })
  const c: TestClient = { index, doc, provider, edits: [], durable: 0, reconnects: 0 }
  installAckHandler(provider, (sv) => {
    c.durable = Math.max(c.durable, sv.get(doc.clientID) ?? 0)
    for (const e of c.edits) if (!e.acked && e.clock <= c.durable) e.acked = true
  })
  provider.on('status', ({ status }: { status: string }) => {
    if (status === 'connected') c.reconnects++
  })
  return c
}

async function until(cond: () => boolean | Promise<boolean>, what: string, ms: number) {
  const end = Date.now() + ms
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (seed ${SEED})`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('cluster chaos: 3 servers behind HAProxy, PostgreSQL + Redis, 8 clients', () => {
  let cluster: Cluster
  const clients: TestClient[] = []
  beforeAll(async () => {
    cluster = await startCluster(SERVERS)
  }, 120_000)
  afterAll(async () => {
    for (const c of clients) {
      c.provider.destroy()
      c.doc.destroy()
    }
    await cluster?.destroy()
  })

  it(`converges with every acknowledged edit stored, through a SIGKILL, a Redis and a PostgreSQL restart (seed ${SEED})`, async () => {
    const rand = prng(SEED)
    for (let i = 0; i < CLIENTS; i++) {
      clients.push(connect(cluster, i))
      // HAProxy's leastconn spreads them only if each connection is counted before the next.
      await until(() => clients[i]!.provider.synced, `client ${i} synced`, 20_000)
    }
    const spread = await Promise.all(
      cluster.servers.map(async (s) => (await s.health()).connections),
    )
    expect(
      spread.every((n) => Number(n) >= 1),
      `clients per server: ${spread}`,
    ).toBe(true)

    const faults: string[] = []
    let editing = true
    const editLoop = async (c: TestClient) => {
      let n = 0
      while (editing) {
        await sleep(30 + Math.floor(rand() * 50))
        const r = rand()
        const m = c.doc.getMap('cells')
        if (r < 0.7) {
          const key = `c${c.index}-${n}`
          m.set(key, n)
          c.edits.push({
            key,
            value: n,
            clock: Y.getState(c.doc.store, c.doc.clientID),
            acked: false,
          })
        } else if (r < 0.9) {
          m.set(`shared${Math.floor(rand() * 20)}`, `c${c.index}-${n}`)
        } else {
          m.delete(`shared${Math.floor(rand() * 20)}`)
        }
        n++
      }
    }
    const chaos = async () => {
      const t0 = Date.now()
      const at = (ms: number) => sleep(Math.max(0, ms - (Date.now() - t0)))
      await at(KILL_SERVER_AT)
      // The server holding the most clients.
      const counts = await Promise.all(
        cluster.servers.map(async (s) => Number((await s.health()).connections)),
      )
      const victim = cluster.servers[counts.indexOf(Math.max(...counts))]!
      await victim.kill()
      faults.push(`SIGKILL ${victim.name} (${Math.max(...counts)} clients)`)
      await sleep(RESTART_SERVER_AFTER)
      await victim.start()
      faults.push(`restarted ${victim.name}`)
      await at(REDIS_AT)
      await cluster.redis.stop('SIGKILL')
      faults.push('SIGKILL redis')
      await sleep(1000)
      await cluster.redis.start()
      faults.push('restarted redis')
      await at(POSTGRES_AT)
      await cluster.pg.stop('immediate')
      faults.push('postgres stopped (immediate)')
      await until(
        async () => (await cluster.servers[0]!.health()).status === 'degraded',
        'healthz degraded while PostgreSQL is down',
        10_000,
      )
      faults.push('healthz degraded')
      await sleep(1500)
      await cluster.pg.start()
      faults.push('restarted postgres')
      await at(KILL_SECOND_AT)
      // Another server this time, while edits go on; it comes back 2 s later.
      const second = cluster.servers.find((s) => s !== victim)!
      await second.kill()
      faults.push(`SIGKILL ${second.name}`)
      await sleep(2000)
      await second.start()
      faults.push(`restarted ${second.name}`)
      await at(EDIT_MS)
      editing = false
    }
    await Promise.all([chaos(), ...clients.map(editLoop)])

    const total = clients.reduce((s, c) => s + c.edits.length, 0)
    const ackedDuringRun = clients.flatMap((c) => c.edits.filter((e) => e.acked))
    // Everything sent becomes durable and acknowledged once the faults are over.
    await until(
      () => clients.every((c) => c.durable >= Y.getState(c.doc.store, c.doc.clientID)),
      'every client to have all its edits acknowledged',
      60_000,
    )
    const json = (c: TestClient) =>
      JSON.stringify(
        c.doc.getMap('cells').toJSON(),
        Object.keys(c.doc.getMap('cells').toJSON()).sort(),
      )
    const converged = () => clients.every((c) => json(c) === json(clients[0]!))
    // Live: no client re-syncs by hand. Every acknowledged edit reaches every live client through
    // the bus, its catch-up after the restarts, or the reloads from the store (RedisStreamBus).
    await until(converged, 'replicas to converge live', 60_000)
    const final = clients[0]!.doc.getMap('cells').toJSON()
    for (const c of clients)
      for (const e of c.edits) expect(final[e.key], `${e.key} (seed ${SEED})`).toBe(e.value)

    // The stored document (read straight from PostgreSQL) equals the live one.
    const store = await createPostgresDocStore(cluster.pg.url)
    const stored = new Y.Doc()
    for (const u of await store.load(ROOM)) Y.applyUpdate(stored, u)
    await store.close()
    expect(stored.getMap('cells').toJSON()).toEqual(final)
    expect(Y.encodeStateVector(stored)).toEqual(Y.encodeStateVector(clients[0]!.doc))
    for (const e of ackedDuringRun) expect(stored.getMap('cells').get(e.key)).toBe(e.value)

    const health = await Promise.all(cluster.servers.map((s) => s.health()))
    expect(health.map((h) => h.status)).toEqual(Array(SERVERS).fill('ok'))
    console.log(
      `cluster chaos seed ${SEED}: ${total} edits (${ackedDuringRun.length} acknowledged during the run), ` +
        `faults: ${faults.join(', ')}; reconnects per client: ${clients.map((c) => c.reconnects - 1).join(' ')}`,
    )
    expect(faults).toHaveLength(9)
    expect(ackedDuringRun.length).toBeGreaterThan(0)
  }, 170_000)
})
