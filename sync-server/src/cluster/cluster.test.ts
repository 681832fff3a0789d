import { randomUUID } from 'node:crypto'
import { Workbook } from '@taizhang/shared'
import pg from 'pg'
import { pino } from 'pino'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Limits } from '../limits.js'
import { type RunningServer, startServer } from '../main.js'
import { createPostgresDocStore } from '../storage/postgresDocStore.js'
import {
  type Client,
  connectClient,
  ownChangesDurable,
  SECRET,
  silent,
  synced,
  tokenFor,
  waitFor,
} from '../test/helpers.js'
import { createCluster } from './createCluster.js'
import { type PostgresService, startPostgres } from './services/postgresService.js'
import { type RedisService, startRedis } from './services/redisService.js'

// Two real servers in this process sharing a real PostgreSQL and a real Redis (Debian's
// packages on 127.0.0.1, temp dirs), real y-websocket clients.
let pgs: PostgresService
let redis: RedisService
let dbs = 0
beforeAll(async () => {
  ;[pgs, redis] = await Promise.all([startPostgres(), startRedis()])
})
afterAll(async () => {
  await Promise.all([pgs?.destroy(), redis?.destroy()])
})

async function freshDatabase(): Promise<string> {
  const name = `tzc_${process.pid}_${++dbs}`
  const admin = new pg.Client({ connectionString: pgs.url })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  return pgs.url.replace(/\/postgres$/, `/${name}`)
}

describe('cluster: servers sharing PostgreSQL and a Redis Streams bus', () => {
  const servers: RunningServer[] = []
  const clients: Client[] = []
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy()
    for (const s of servers.splice(0)) await s.close()
  })

  async function clusterServer(storeUrl: string, id: string, limits?: Partial<Limits>) {
    const cluster = await createCluster({
      storeUrl,
      busUrl: redis.url,
      serverId: id,
      log: process.env.CLUSTER_LOG
        ? pino({ level: process.env.CLUSTER_LOG }).child({ id })
        : silent,
      busBlockMs: 50,
    })
    const server = await startServer({
      host: '127.0.0.1',
      port: 0,
      store: cluster.store!,
      secret: SECRET,
      log: process.env.CLUSTER_LOG
        ? pino({ level: process.env.CLUSTER_LOG }).child({ id })
        : silent,
      webDir: '/nonexistent-web-dist',
      cluster,
      limits,
    })
    servers.push(server)
    return server
  }
  const connect = (s: RunningServer, room: string) => {
    const c = connectClient(`ws://127.0.0.1:${s.port}/sync`, room, tokenFor('editor'), {
      ack: true,
    })
    clients.push(c)
    return c
  }
  const cells = (c: Client) => c.doc.getMap('cells').toJSON()
  const healthOf = async (s: RunningServer) =>
    (await (await fetch(`${s.url}/healthz`)).json()) as { status: string }

  it('clients on two servers edit one workbook live; acks cover only what PostgreSQL committed', async () => {
    const url = await freshDatabase()
    const [a, b] = [await clusterServer(url, 'A'), await clusterServer(url, 'B')]
    const room = `wb-${randomUUID().slice(0, 8)}`
    const ca = connect(a, room)
    const cb = connect(b, room)
    await Promise.all([synced(ca), synced(cb)])
    for (let i = 0; i < 30; i++) {
      ca.doc.getMap('cells').set(`a${i}`, i)
      cb.doc.getMap('cells').set(`b${i}`, i)
    }
    await waitFor(
      () => Object.keys(cells(ca)).length === 60 && Object.keys(cells(cb)).length === 60,
      'both clients to see all 60 edits',
    )
    await waitFor(() => ownChangesDurable(ca) && ownChangesDurable(cb), 'acks of both clients')
    // What PostgreSQL holds covers everything acknowledged.
    const check = await createPostgresDocStore(url)
    const stored = new Y.Doc()
    for (const u of await check.load(room)) Y.applyUpdate(stored, u)
    await check.close()
    expect(stored.getMap('cells').toJSON()).toEqual(cells(ca))
    const health = await (await fetch(`${a.url}/healthz`)).json()
    expect(health).toMatchObject({ ok: true, status: 'ok', store: 'ok', bus: 'ok' })
    const metrics = await (await fetch(`${b.url}/metrics`)).text()
    expect(metrics).toMatch(/taizhang_bus_lag_seconds_count [1-9]/)
    expect(metrics).toMatch(/taizhang_store_op_seconds_count\{op="append",ok="true"\} [1-9]/)
  })

  it('a server that opens the room later catches up with the edits made on the other', async () => {
    const url = await freshDatabase()
    const a = await clusterServer(url, 'A')
    const room = `wb-${randomUUID().slice(0, 8)}`
    const ca = connect(a, room)
    await synced(ca)
    for (let i = 0; i < 10; i++) ca.doc.getMap('cells').set(`k${i}`, i)
    const b = await clusterServer(url, 'B')
    const cb = connect(b, room)
    await waitFor(() => Object.keys(cells(cb)).length === 10, 'the late client to catch up')
  })

  it('while PostgreSQL is down: healthz says degraded, edits still fan out, acks wait and resume', async () => {
    const url = await freshDatabase()
    const [a, b] = [await clusterServer(url, 'A'), await clusterServer(url, 'B')]
    const room = `wb-${randomUUID().slice(0, 8)}`
    const ca = connect(a, room)
    const cb = connect(b, room)
    await Promise.all([synced(ca), synced(cb)])
    ca.doc.getMap('cells').set('before', 1)
    await waitFor(() => ownChangesDurable(ca), 'first ack')
    await pgs.stop('fast')
    try {
      await waitFor(async () => (await healthOf(a)).status === 'degraded', 'healthz degraded')
      ca.doc.getMap('cells').set('during', 2)
      await waitFor(() => cells(cb).during === 2, 'live fan-out without the store')
      await new Promise((r) => setTimeout(r, 300))
      expect(ownChangesDurable(ca)).toBe(false) // not committed: not acknowledged
    } finally {
      await pgs.start()
    }
    await waitFor(() => ownChangesDurable(ca), 'the ack once PostgreSQL is back', 30_000)
    await waitFor(async () => (await healthOf(a)).status === 'ok', 'healthz ok again')
    const check = await createPostgresDocStore(url)
    const stored = new Y.Doc()
    for (const u of await check.load(room)) Y.applyUpdate(stored, u)
    await check.close()
    expect(stored.getMap('cells').toJSON()).toEqual({ before: 1, during: 2 })
  })

  it('a remote update reaching a cold room while PostgreSQL is down is not lost: asked again once it is back', async () => {
    const url = await freshDatabase()
    // A drops its doc 100 ms after a write (cold: reviving needs a storage read); B keeps its own.
    const a = await clusterServer(url, 'A', { DOC_IDLE_MS: 100, LIVE_DOC_MIN_IDLE_MS: 0 })
    const b = await clusterServer(url, 'B')
    const room = `wb-${randomUUID().slice(0, 8)}`
    const ca = connect(a, room)
    const cb = connect(b, room)
    await Promise.all([synced(ca), synced(cb)])
    cb.doc.getMap('cells').set('first', 1)
    await waitFor(() => cells(ca).first === 1 && ownChangesDurable(cb), 'first edit everywhere')
    await waitFor(() => a.rooms.peek(room)?.isLive === false, 'A to drop its doc')
    await pgs.stop('fast')
    try {
      cb.doc.getMap('cells').set('while-down', 2) // B is live: it applies and publishes at once
      await new Promise((r) => setTimeout(r, 1500))
      expect(cells(ca)['while-down']).toBeUndefined() // A could not revive its doc to apply it
    } finally {
      await pgs.start()
    }
    await waitFor(
      () => cells(ca)['while-down'] === 2,
      'the edit at A once PostgreSQL is back',
      30_000,
    )
  })

  it('tokens, roles and the read API behave the same on any server', async () => {
    const url = await freshDatabase()
    const [a, b] = [await clusterServer(url, 'A'), await clusterServer(url, 'B')]
    const room = `wb-${randomUUID().slice(0, 8)}`
    const editor = connect(a, room)
    await synced(editor)
    Workbook.create(editor.doc, { title: '杨浦区社工站台账' })
    await waitFor(() => ownChangesDurable(editor), 'the workbook durable')
    // The read API of the other server reads it (from PostgreSQL) with a viewer token signed by
    // the same secret.
    const res = await fetch(`${b.url}/api/workbooks/${room}`, {
      headers: { authorization: `Bearer ${tokenFor('viewer')}` },
    })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { title: string }).title).toBe('杨浦区社工站台账')
    // A viewer on the other server cannot write: refused there, never fanned out.
    const viewer = connectClient(`ws://127.0.0.1:${b.port}/sync`, room, tokenFor('viewer'))
    clients.push(viewer)
    await synced(viewer)
    viewer.doc.getMap('cells').set('viewer-write', 1)
    await waitFor(() => viewer.denied > 0, 'the viewer refused')
    editor.doc.getMap('cells').set('after', 1)
    await waitFor(
      () => viewer.doc.getMap('cells').get('after') === 1,
      'the editor edit at the viewer',
    )
    expect(editor.doc.getMap('cells').get('viewer-write')).toBeUndefined()
    // A forged token is refused by every server alike.
    const forged = await fetch(`${b.url}/api/workbooks/${room}`, {
      headers: {
        authorization: `Bearer ${tokenFor('viewer', '*', { secret: 'another-secret-0123456789' })}`,
      },
    })
    expect(forged.status).toBe(401)
  })
})
