import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type PostgresService, startPostgres } from '../cluster/services/postgresService.js'
import { describeDocStore } from './docStore.contract.js'
import { createPostgresDocStore, LOCK_SPACE } from './postgresDocStore.js'

// One throwaway PostgreSQL (Debian's package, 127.0.0.1, temp dir) for the file; each store gets
// a fresh database so the contract's "unknown room" checks start empty.
let server: PostgresService
let dbs = 0
beforeAll(async () => {
  server = await startPostgres()
})
afterAll(async () => {
  await server?.destroy()
})

async function freshDatabase(): Promise<string> {
  const name = `tz_${process.pid}_${++dbs}`
  const admin = new pg.Client({ connectionString: server.url })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  return server.url.replace(/\/postgres$/, `/${name}`)
}

describeDocStore('postgres', async () => {
  const url = await freshDatabase()
  return {
    store: await createPostgresDocStore(url),
    reopen: () => createPostgresDocStore(url),
  }
})

describe('Postgres store: several servers on one database', () => {
  const docOf = (updates: Uint8Array[]) => {
    const d = new Y.Doc()
    for (const u of updates) Y.applyUpdate(d, u)
    return d
  }

  it('a compaction keeps the rows another server appended that this one never saw', async () => {
    const url = await freshDatabase()
    const a = await createPostgresDocStore(url)
    const b = await createPostgresDocStore(url)
    const da = new Y.Doc()
    da.getMap('m').set('a1', 1)
    await a.append('r', Y.encodeStateAsUpdate(da))
    const db = new Y.Doc()
    db.getMap('m').set('b1', 2)
    await b.append('r', Y.encodeStateAsUpdate(db)) // A never hears of it
    da.getMap('m').set('a2', 3)
    await a.compact('r', Y.encodeStateAsUpdate(da))
    const stored = await a.load('r')
    expect(stored).toHaveLength(2)
    expect(docOf(stored).getMap('m').toJSON()).toEqual({ a1: 1, a2: 3, b1: 2 })
    // B loaded nothing of A's and compacts its own; then a server that loads everything compacts all.
    await b.compact('r', Y.encodeStateAsUpdate(db))
    const c = await createPostgresDocStore(url)
    const all = await c.load('r')
    await c.compact('r', Y.mergeUpdates(all))
    expect(await c.load('r')).toHaveLength(1)
    expect(
      docOf(await c.load('r'))
        .getMap('m')
        .toJSON(),
    ).toEqual({ a1: 1, a2: 3, b1: 2 })
    await Promise.all([a.close(), b.close(), c.close()])
  })

  it('two servers compacting one room at once are serialized by the advisory lock and lose nothing', async () => {
    const url = await freshDatabase()
    const stores = await Promise.all([createPostgresDocStore(url), createPostgresDocStore(url)])
    const docs = [new Y.Doc(), new Y.Doc()]
    for (let round = 0; round < 20; round++) {
      await Promise.all(
        stores.map(async (s, i) => {
          docs[i]!.getMap('m').set(`s${i}-${round}`, round)
          await s.append('r', Y.encodeStateAsUpdate(docs[i]!))
          if (round % 3 === 2) await s.compact('r', Y.encodeStateAsUpdate(docs[i]!))
        }),
      )
    }
    const check = await createPostgresDocStore(url)
    const m = docOf(await check.load('r'))
      .getMap('m')
      .toJSON()
    expect(Object.keys(m)).toHaveLength(40)
    await Promise.all([...stores, check].map((s) => s.close()))
  })

  it('reports unhealthy while the database is down, appends fail (and are retried by the room), then recover', async () => {
    const url = await freshDatabase()
    const health: boolean[] = []
    const store = await createPostgresDocStore(url, { onHealth: (h) => health.push(h) })
    await store.append('r', new Uint8Array([1]))
    await server.stop('fast')
    await expect(store.append('r', new Uint8Array([2]))).rejects.toThrow()
    expect(store.healthy()).toBe(false)
    await server.start()
    await store.append('r', new Uint8Array([3]))
    expect(store.healthy()).toBe(true)
    expect(health).toEqual([false, true])
    expect(await store.load('r')).toEqual([new Uint8Array([1]), new Uint8Array([3])])
    await store.close()
  })

  it('a compactor that dies holding the room lock releases it with its session; the next compaction runs', async () => {
    const url = await freshDatabase()
    const store = await createPostgresDocStore(url)
    const d = new Y.Doc()
    d.getMap('m').set('a', 1)
    await store.append('r', Y.encodeStateAsUpdate(d))
    // Another server's compaction, stuck inside its transaction with the room's lock.
    const other = new pg.Client({ connectionString: url })
    other.on('error', () => undefined) // its session is about to be killed
    await other.connect()
    await other.query('BEGIN')
    await other.query("SELECT pg_advisory_xact_lock($1, hashtext('r'))", [LOCK_SPACE])
    const pid = (await other.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number
    d.getMap('m').set('b', 2)
    let done = false
    const compaction = store.compact('r', Y.encodeStateAsUpdate(d)).then(() => {
      done = true
    })
    await new Promise((r) => setTimeout(r, 300))
    expect(done).toBe(false) // one server compacts a room at a time
    // That server crashes: its session ends, the transaction rolls back, the lock goes with it.
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    await admin.query('SELECT pg_terminate_backend($1)', [pid])
    await admin.end()
    await compaction
    const stored = await store.load('r')
    expect(stored).toHaveLength(1)
    expect(docOf(stored).getMap('m').toJSON()).toEqual({ a: 1, b: 2 })
    await other.end().catch(() => undefined)
    await store.close()
  })

  it('a row that was read but is not in the compacted state survives the compaction', async () => {
    const url = await freshDatabase()
    const a = await createPostgresDocStore(url)
    const b = await createPostgresDocStore(url)
    const da = new Y.Doc()
    da.getMap('m').set('a', 1)
    await a.append('r', Y.encodeStateAsUpdate(da))
    const db = new Y.Doc()
    db.getMap('m').set('b', 2)
    await b.append('r', Y.encodeStateAsUpdate(db))
    // A reads the room for something else (a cold read, the read API) and does not apply B's row.
    expect(await a.load('r')).toHaveLength(2)
    da.getMap('m').set('a2', 3)
    await a.compact('r', Y.encodeStateAsUpdate(da))
    expect(
      docOf(await a.load('r'))
        .getMap('m')
        .toJSON(),
    ).toEqual({ a: 1, a2: 3, b: 2 })
    // Once A's doc holds B's row, A's next compaction folds it away.
    for (const u of await a.load('r')) Y.applyUpdate(da, u)
    await a.compact('r', Y.encodeStateAsUpdate(da))
    expect(await a.load('r')).toHaveLength(1)
    expect(
      docOf(await a.load('r'))
        .getMap('m')
        .toJSON(),
    ).toEqual({ a: 1, a2: 3, b: 2 })
    await Promise.all([a.close(), b.close()])
  })

  it('a read row holding only a deletion the compacted state lacks survives the compaction', async () => {
    const url = await freshDatabase()
    const a = await createPostgresDocStore(url)
    const b = await createPostgresDocStore(url)
    const base = new Y.Doc()
    base.getMap('m').set('gone', 1)
    const baseUpdate = Y.encodeStateAsUpdate(base)
    await a.append('r', baseUpdate)
    // B deletes the key: an update with a delete set and no struct.
    const db = new Y.Doc()
    Y.applyUpdate(db, baseUpdate)
    const before = Y.encodeStateVector(db)
    db.getMap('m').delete('gone')
    await b.append('r', Y.encodeStateAsUpdate(db, before))
    const da = new Y.Doc()
    Y.applyUpdate(da, baseUpdate)
    expect(await a.load('r')).toHaveLength(2) // read, but A's doc never applied B's deletion
    da.getMap('m').set('kept', 2)
    await a.compact('r', Y.encodeStateAsUpdate(da))
    expect(
      docOf(await a.load('r'))
        .getMap('m')
        .toJSON(),
    ).toEqual({ kept: 2 })
  })
})
