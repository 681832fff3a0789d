import type pg from 'pg'
import {
  newestFirst,
  newVersionId,
  type StoredVersion,
  toPrune,
  VERSION_ID,
  type VersionStore,
} from './VersionStore.js'

/**
 * Schema (created if missing, by one server at a time):
 *   tz_versions(room, id, name, kind, author, created_at, bytes, hash, data) — one row per version,
 *   the snapshot in `data`. Listing reads every column but `data`.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS tz_versions (
  room text NOT NULL,
  id text NOT NULL,
  name text NOT NULL,
  kind text NOT NULL,
  author text NOT NULL,
  created_at bigint NOT NULL,
  bytes integer NOT NULL,
  hash text NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (room, id)
)`

/** First key of the versions' advisory locks ('tv' in ASCII); the second is the room's hash (0: schema). */
export const VERSIONS_LOCK_SPACE = 0x7476

interface Row {
  id: string
  name: string
  kind: StoredVersion['kind']
  author: string
  created_at: string
  bytes: number
  hash: string
}

const toVersion = (r: Row): StoredVersion => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  author: r.author,
  createdAt: Number(r.created_at),
  bytes: r.bytes,
  hash: r.hash,
})

/**
 * `VersionStore` on PostgreSQL, the same database as the cluster's doc store (`--store`), its own
 * small pool. A put is one INSERT (durable at COMMIT, `synchronous_commit = on`). `exclusive` holds
 * a session advisory lock (`pg_try_advisory_lock`) on a checked-out connection while the task
 * runs, so of several servers only one captures a room's scheduled version (as compaction does).
 */
export async function createPostgresVersionStore(
  connectionString: string,
  opts: { maxConnections?: number } = {},
): Promise<VersionStore> {
  const { default: pgClient } = await import('pg')
  const pool: pg.Pool = new pgClient.Pool({
    connectionString,
    max: opts.maxConnections ?? 3,
    options: '-c synchronous_commit=on',
    connectionTimeoutMillis: 5000,
    query_timeout: 120_000,
  })
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', () => undefined)
  const setup = await pool.connect()
  try {
    await setup.query('BEGIN')
    await setup.query('SELECT pg_advisory_xact_lock($1, 0)', [VERSIONS_LOCK_SPACE])
    await setup.query(SCHEMA)
    await setup.query('COMMIT')
  } catch (err) {
    await setup.query('ROLLBACK').catch(() => undefined)
    setup.release()
    await pool.end()
    throw err
  }
  setup.release()
  let closed = false
  const guard = () => {
    if (closed) throw new Error('VersionStore is closed')
  }
  const listRows = async (room: string) =>
    (
      await pool.query<Row>(
        'SELECT id, name, kind, author, created_at, bytes, hash FROM tz_versions WHERE room = $1',
        [room],
      )
    ).rows
      .map(toVersion)
      .sort(newestFirst)

  return {
    async put(room, meta, snapshot) {
      guard()
      const info: StoredVersion = {
        ...meta,
        id: newVersionId(meta.createdAt),
        bytes: snapshot.length,
      }
      await pool.query(
        `INSERT INTO tz_versions (room, id, name, kind, author, created_at, bytes, hash, data)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          room,
          info.id,
          info.name,
          info.kind,
          info.author,
          info.createdAt,
          info.bytes,
          info.hash,
          Buffer.from(snapshot.buffer, snapshot.byteOffset, snapshot.byteLength),
        ],
      )
      return info
    },
    async list(room) {
      guard()
      return listRows(room)
    },
    async get(room, id) {
      guard()
      if (!VERSION_ID.test(id)) return null
      const res = await pool.query<{ data: Buffer }>(
        'SELECT data FROM tz_versions WHERE room = $1 AND id = $2',
        [room, id],
      )
      const data = res.rows[0]?.data
      return data ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : null
    },
    async prune(room, now, policy) {
      guard()
      const ids = toPrune(await listRows(room), now, policy)
      if (ids.length > 0)
        await pool.query('DELETE FROM tz_versions WHERE room = $1 AND id = ANY($2::text[])', [
          room,
          ids,
        ])
      return ids
    },
    async exclusive(room, task) {
      guard()
      const client = await pool.connect()
      let broken: Error | undefined
      try {
        const got = await client.query<{ ok: boolean }>(
          'SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok',
          [VERSIONS_LOCK_SPACE, room],
        )
        if (!got.rows[0]?.ok) return { ran: false }
        try {
          return { ran: true, value: await task() }
        } finally {
          await client
            .query('SELECT pg_advisory_unlock($1, hashtext($2))', [VERSIONS_LOCK_SPACE, room])
            .catch((err: Error) => {
              // The session ended, and its lock with it: drop the connection rather than reuse it.
              broken = err
            })
        }
      } finally {
        client.release(broken)
      }
    },
    async close() {
      if (closed) return
      closed = true
      await pool.end()
    },
  }
}
