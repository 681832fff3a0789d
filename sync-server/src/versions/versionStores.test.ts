import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type PostgresService, startPostgres } from '../cluster/services/postgresService.js'
import { createMemoryDocStore } from '../storage/memoryDocStore.js'
import { silent } from '../test/helpers.js'
import { createLevelVersionStore } from './levelVersionStore.js'
import { createMemoryVersionStore } from './memoryVersionStore.js'
import { createPostgresVersionStore } from './postgresVersionStore.js'
import { VersionKeeper } from './VersionKeeper.js'
import { describeVersionStore } from './versionStore.contract.js'

describeVersionStore('memory', async () => ({ store: createMemoryVersionStore() }), {
  persistent: false,
  shared: false,
})

describeVersionStore(
  'level',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tz-versions-'))
    return {
      store: await createLevelVersionStore(dir),
      another: () => createLevelVersionStore(dir),
      cleanup: () => rm(dir, { recursive: true, force: true }),
    }
  },
  { persistent: true, shared: false },
)

// One throwaway PostgreSQL (Debian's, 127.0.0.1, temp dir) for the file; a database per store.
let server: PostgresService
let dbs = 0
beforeAll(async () => {
  server = await startPostgres()
}, 60_000)
afterAll(async () => {
  await server?.destroy()
})
async function freshDatabase(): Promise<string> {
  const name = `tzv_${process.pid}_${++dbs}`
  const admin = new pg.Client({ connectionString: server.url })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  return server.url.replace(/\/postgres$/, `/${name}`)
}

describeVersionStore(
  'postgres',
  async () => {
    const url = await freshDatabase()
    return {
      store: await createPostgresVersionStore(url),
      another: () => createPostgresVersionStore(url),
    }
  },
  { persistent: true, shared: true },
)

describe('LevelDB version store: files', () => {
  it('removes at open a snapshot file no version names (a crash between file and key)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tz-versions-'))
    try {
      const store = await createLevelVersionStore(dir)
      const v = await store.put(
        'r',
        { name: '', kind: 'auto', author: 'system', createdAt: Date.now(), hash: 'h' },
        new Uint8Array([1]),
      )
      await store.close()
      await writeFile(join(dir, 'snapshots', '000000001-deadbeef'), 'orphan')
      const again = await createLevelVersionStore(dir)
      expect((await readdir(join(dir, 'snapshots'))).sort()).toEqual([v.id])
      expect(await again.get('r', v.id)).toEqual(new Uint8Array([1]))
      await again.close()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('scheduled versions on a cluster (two servers, one PostgreSQL)', () => {
  it('one server takes a changed room’s scheduled version; the other skips it', async () => {
    const url = await freshDatabase()
    const docs = createMemoryDocStore()
    const doc = new Y.Doc()
    doc.getMap('m').set('k', 1)
    await docs.append('r', Y.encodeStateAsUpdate(doc))
    const stores = [await createPostgresVersionStore(url), await createPostgresVersionStore(url)]
    const now = Date.UTC(2026, 4, 6)
    const keepers = stores.map(
      (store) =>
        new VersionKeeper({
          store,
          source: { read: async (room) => docs.load(room) },
          listRooms: () => docs.list(),
          log: silent,
          now: () => now,
          everyMs: 3_600_000,
        }),
    )
    try {
      const made = await Promise.all(keepers.map((k) => k.tick()))
      expect(made.flat()).toHaveLength(1)
      expect(await stores[0]!.list('r')).toHaveLength(1)
    } finally {
      for (const k of keepers) await k.stop()
      for (const s of stores) await s.close()
    }
  })
})
