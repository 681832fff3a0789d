import type pg from 'pg'
import * as Y from 'yjs'
import { type DocStore, KeyedQueue } from './DocStore.js'
import { GroupCommit } from './groupCommit.js'

/**
 * Schema (created if missing; one table, so a `pg_dump` of it is the whole backup):
 *   taizhang_updates(room text, seq bigserial, data bytea, primary key (room, seq))
 * `seq` comes from one sequence, so a room's rows sort oldest first whichever server wrote them.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS taizhang_updates (
  room text NOT NULL,
  seq bigserial NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (room, seq)
)`

/** First key of the two-int advisory locks taken by compaction ('tz' in ASCII); the second is the room's hash. */
export const LOCK_SPACE = 0x747a

export interface PostgresDocStoreOptions {
  /** Pool size: rooms append in parallel, one room in call order (default 10). */
  maxConnections?: number
  /** Called after each storage operation with its duration (the store latency metric). */
  observe?: (op: 'load' | 'append' | 'compact', seconds: number, ok: boolean) => void
  /** Called when the database becomes unreachable (false) or answers again (true). */
  onHealth?: (healthy: boolean) => void
}

export interface PostgresDocStore extends DocStore {
  /** False from a connection error until the next successful query. */
  healthy(): boolean
  /** Checks the connection now (`SELECT 1`) and updates `healthy()`; never rejects. */
  probe(): Promise<boolean>
}

/**
 * `DocStore` on PostgreSQL (node-postgres), for several servers sharing one database.
 *
 * Durability: an `append` resolves after its INSERT's COMMIT returned, and every session runs
 * with `synchronous_commit = on`; at open the store refuses a server with `fsync = off`. With both,
 * PostgreSQL returns COMMIT only after the WAL record is flushed to disk, so an acknowledged edit
 * survives a crash of the database machine. (With a synchronous standby configured,
 * `synchronous_commit = on` also waits for the standby's flush.) Concurrent commits share WAL
 * flushes: PostgreSQL's own group commit.
 *
 * Compaction in a cluster: other servers append to the same room concurrently, and a server's doc
 * may not hold their newest rows yet. So `compact(room, merged)` deletes only rows it knows are in
 * `merged`: the rows this store wrote (the caller applied them first), and rows its last `load`
 * returned whose structs `merged` covers (checked by state vector: a load may have been for
 * something other than building the doc). It runs in one transaction under a per-room advisory
 * lock, so one server compacts a room at a time; a crash rolls the transaction back (the lock goes
 * with the session) and the next compaction simply repeats it. Rows of other servers stay until
 * their writer (or a server whose doc holds them) compacts: a room holds about one merged row per
 * server plus recent appends. With one store (the contract suite) every row is its own, so
 * `compact` replaces everything.
 */
export async function createPostgresDocStore(
  connectionString: string,
  opts: PostgresDocStoreOptions = {},
): Promise<PostgresDocStore> {
  // Loaded on demand: a server on LevelDB never loads pg (its resident memory counts, see
  // BENCHMARKS "RSS"), and a dynamic import stays lazy in the bundle.
  const { default: pgClient } = await import('pg')
  const pool: pg.Pool = new pgClient.Pool({
    connectionString,
    max: opts.maxConnections ?? 10,
    // Acknowledgements depend on it: set per session, whatever the server's default.
    options: '-c synchronous_commit=on',
    connectionTimeoutMillis: 5000,
    // A connection that hangs (a network partition) fails the operation; the room retries it.
    query_timeout: 60_000,
  })
  let healthy = true
  const setHealth = (ok: boolean) => {
    if (ok === healthy) return
    healthy = ok
    opts.onHealth?.(ok)
  }
  // An idle client losing its connection (a database restart) must not crash the process.
  pool.on('error', () => setHealth(false))
  const fsync = await pool.query<{ fsync: string }>('SHOW fsync')
  if (fsync.rows[0]?.fsync !== 'on') {
    await pool.end()
    throw new Error(
      'PostgreSQL 的 fsync 已关闭，确认的编辑将无法保证持久 / PostgreSQL runs with fsync = off: acknowledged edits would not be durable',
    )
  }
  // Servers starting together would race on CREATE TABLE IF NOT EXISTS: one at a time.
  const setup = await pool.connect()
  setup.on('error', () => setHealth(false))
  try {
    await setup.query('BEGIN')
    await setup.query('SELECT pg_advisory_xact_lock($1, 0)', [LOCK_SPACE])
    await setup.query(SCHEMA)
    await setup.query('COMMIT')
  } catch (err) {
    await setup.query('ROLLBACK').catch(() => undefined)
    setup.release()
    await pool.end()
    throw err
  }
  setup.release()

  const queue = new KeyedQueue()
  // Group commit across rooms (as the LevelDB store does): appends of other rooms arriving while
  // one INSERT is in flight go into the next one, a single statement, so one WAL flush makes all
  // of them durable. A room has at most one append in flight (`queue`), so a group holds each room
  // once, in call order.
  const appends = new GroupCommit<{ room: string; data: Buffer }>(async (ops) => {
    const values = ops.map((_, i) => `($${2 * i + 1}, $${2 * i + 2})`).join(', ')
    const res = await pool.query<{ room: string; seq: string }>(
      `INSERT INTO taizhang_updates (room, data) VALUES ${values} RETURNING room, seq`,
      ops.flatMap((o) => [o.room, o.data]),
    )
    for (const r of res.rows) addTo(written, r.room, r.seq)
  })
  /** Per room, the seqs this store handed to its caller (see compaction above). */
  /**
   * Per room, the rows this store wrote (appends, its compacted record): the caller applied them
   * to its doc before writing, so they are in every later `merged`. And the rows its last `load`
   * returned: usually in the doc too (a room is built from its load), but not always (a read for
   * another purpose: a cold read, the read API, the bus refilling a gap), so compaction deletes
   * one of those only if `merged` covers it (see `coveredBy`).
   */
  const written = new Map<string, Set<string>>()
  const loaded = new Map<string, Set<string>>()
  const addTo = (map: Map<string, Set<string>>, room: string, seq: string) => {
    const set = map.get(room)
    if (set) set.add(seq)
    else map.set(room, new Set([seq]))
  }

  let closed = false
  const guard = () => {
    if (closed) throw new Error('DocStore is closed')
  }
  const timed = async <T>(op: 'load' | 'append' | 'compact', run: () => Promise<T>): Promise<T> => {
    const start = performance.now()
    try {
      const out = await run()
      setHealth(true)
      opts.observe?.(op, (performance.now() - start) / 1000, true)
      return out
    } catch (err) {
      if (isConnectionError(err)) setHealth(false)
      opts.observe?.(op, (performance.now() - start) / 1000, false)
      throw err
    }
  }
  const bytesOf = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)

  return {
    healthy: () => healthy,
    probe: async () => {
      if (closed) return false
      try {
        await pool.query('SELECT 1')
        setHealth(true)
      } catch (err) {
        if (isConnectionError(err)) setHealth(false)
      }
      return healthy
    },
    load: (room) =>
      queue.run(room, async () => {
        guard()
        return timed('load', async () => {
          const res = await pool.query<{ seq: string; data: Buffer }>(
            'SELECT seq, data FROM taizhang_updates WHERE room = $1 ORDER BY seq',
            [room],
          )
          // Exactly what this read returned: rows another server compacted away since an earlier
          // read are forgotten, so the set stays as small as the room.
          loaded.set(room, new Set(res.rows.map((r) => r.seq)))
          return res.rows.map((r) => bytesOf(r.data))
        })
      }),
    append: (room, update) =>
      queue.run(room, async () => {
        guard()
        await timed('append', () =>
          appends.add([
            { room, data: Buffer.from(update.buffer, update.byteOffset, update.byteLength) },
          ]),
        )
      }),
    compact: (room, merged) =>
      queue.run(room, async () => {
        guard()
        await timed('compact', async () => {
          const client = await pool.connect()
          // A checked-out client whose connection dies emits 'error' (the pool only listens to
          // idle ones); the query in flight rejects with it anyway.
          const onError = () => setHealth(false)
          client.on('error', onError)
          let failed: unknown
          try {
            await client.query('BEGIN')
            // One server compacts a room at a time; the lock goes with the transaction (also on a crash).
            await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_SPACE, room])
            const mine = new Set(written.get(room))
            const toCheck = [...(loaded.get(room) ?? [])].filter((seq) => !mine.has(seq))
            if (toCheck.length > 0) {
              const rows = await client.query<{ seq: string; data: Buffer }>(
                'SELECT seq, data FROM taizhang_updates WHERE room = $1 AND seq = ANY($2::bigint[])',
                [room, toCheck],
              )
              const state = mergedState(merged)
              for (const r of rows.rows) if (coveredBy(r.data, state)) mine.add(r.seq)
            }
            await client.query(
              'DELETE FROM taizhang_updates WHERE room = $1 AND seq = ANY($2::bigint[])',
              [room, [...mine]],
            )
            const res = await client.query<{ seq: string }>(
              'INSERT INTO taizhang_updates (room, data) VALUES ($1, $2) RETURNING seq',
              [room, Buffer.from(merged.buffer, merged.byteOffset, merged.byteLength)],
            )
            await client.query('COMMIT')
            written.set(room, new Set([res.rows[0]!.seq]))
            const stillLoaded = [...(loaded.get(room) ?? [])].filter((seq) => !mine.has(seq))
            loaded.set(room, new Set(stillLoaded))
          } catch (err) {
            failed = err
            await client.query('ROLLBACK').catch(() => undefined)
            throw err
          } finally {
            client.off('error', onError)
            // A client whose connection broke mid-transaction is discarded, not reused.
            client.release(
              failed instanceof Error && isConnectionError(failed) ? failed : undefined,
            )
          }
        })
      }),
    list: async () => {
      guard()
      const res = await pool.query<{ room: string }>(
        'SELECT DISTINCT room COLLATE "C" AS room FROM taizhang_updates ORDER BY 1',
      )
      return res.rows.map((r) => r.room)
    },
    close: async () => {
      if (closed) return
      await queue.drain()
      closed = true
      await pool.end()
    },
  }
}

/** A Yjs update's state vector, or null if the bytes are not a Yjs update. */
function stateVectorOf(update: Uint8Array): Map<number, number> | null {
  try {
    return Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update))
  } catch {
    return null
  }
}

type Ranges = Array<{ clock: number; len: number }>

/** A compacted state as the coverage check needs it: its state vector, its delete set (lazily). */
interface MergedState {
  sv: Map<number, number>
  svBytes: Uint8Array
  deleted: () => Map<number, Ranges>
}

/** `merged`'s state, or null if the bytes are not a Yjs update (the contract suite's). */
function mergedState(merged: Uint8Array): MergedState | null {
  const sv = stateVectorOf(merged)
  if (!sv) return null
  const svBytes = Y.encodeStateVectorFromUpdate(merged)
  let deleted: Map<number, Ranges> | null = null
  return {
    sv,
    svBytes,
    // Diffed against its own state vector, the state keeps no struct, only its delete set.
    deleted: () => {
      deleted ??= Y.decodeUpdate(Y.diffUpdate(merged, svBytes)).ds.clients as Map<number, Ranges>
      return deleted
    },
  }
}

/** Whether the sorted, merged `ranges` (a Yjs delete set's) cover [clock, clock + len). */
function rangesCover(ranges: Ranges, clock: number, len: number): boolean {
  let pos = clock
  for (const r of ranges) {
    if (r.clock + r.len <= pos) continue
    if (r.clock > pos) return false
    pos = r.clock + r.len
    if (pos >= clock + len) return true
  }
  return pos >= clock + len
}

/**
 * Whether `row` adds nothing to the document whose full state is `state`: no struct past its
 * state vector (a full state holds every clock below it) and no deletion outside its delete set
 * (pure deletions, `Y.Map.delete`, carry no struct). Bytes that are not a Yjs update (the
 * contract suite's) carry nothing to lose.
 */
function coveredBy(row: Uint8Array, state: MergedState | null): boolean {
  const rowSv = stateVectorOf(row)
  if (!rowSv || !state) return true
  for (const [client, clock] of rowSv) if (clock > (state.sv.get(client) ?? 0)) return false
  const { ds } = Y.decodeUpdate(Y.diffUpdate(row, state.svBytes))
  for (const [client, items] of ds.clients as Map<number, Ranges>) {
    const have = state.deleted().get(client) ?? []
    for (const { clock, len } of items) if (!rangesCover(have, clock, len)) return false
  }
  return true
}

/** Errors that mean "the database is not reachable" (as opposed to a bad query). */
function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false
  const code = (err as { code?: string }).code ?? ''
  // 57P01..03: admin shutdown, crash shutdown, cannot connect now; 08xxx: connection exceptions.
  if (code.startsWith('08') || code.startsWith('57P')) return true
  if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code)) return true
  return /Connection terminated|connection timeout|not queryable|Client has encountered a connection error/i.test(
    err.message,
  )
}
