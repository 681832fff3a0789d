import { randomUUID } from 'node:crypto'
import { mkdir, open, readdir, readFile, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { ClassicLevel } from 'classic-level'
import { type DocStore, KeyedQueue } from './DocStore.js'
import { GroupCommit } from './groupCommit.js'

// Key layout (utf8 keys, binary values):
//   u\0<room>\0<seq as 12 hex digits>  → one update (seq grows per room, so keys sort oldest first),
//                                      or empty: the update is in a blob file (a Yjs update is
//                                      never empty)
//   b\0<room>\0<seq as 12 hex digits>  → that blob's file name (utf8), in <dir>/blobs
//   r\0<room>                         → empty; the room index for list()
const SEP = '\u0000'
const SEQ_DIGITS = 12
/** Every key that starts with `prefix`. */
const prefixRange = (prefix: string) => ({ gt: prefix, lt: `${prefix}\uffff` })
const seqKey = (space: 'u' | 'b', room: string, seq: number) =>
  `${space}${SEP}${room}${SEP}${seq.toString(16).padStart(SEQ_DIGITS, '0')}`
const updateKey = (room: string, seq: number) => seqKey('u', room, seq)
const blobKey = (room: string, seq: number) => seqKey('b', room, seq)
const roomRange = (room: string) => prefixRange(`u${SEP}${room}${SEP}`)
const blobRange = (room: string) => prefixRange(`b${SEP}${room}${SEP}`)
const seqFromKey = (key: string) => Number.parseInt(key.slice(key.lastIndexOf(SEP) + 1), 16)
const EMPTY = new Uint8Array(0)
/** LevelDB's memtable size (its default): a write buffer this large is flushed to a table file. */
const WRITE_BUFFER_BYTES = 4 * 1024 * 1024
/** Records this large or larger are kept in blob files (see createLevelDocStore). */
export const BLOB_MIN_BYTES = 1024 * 1024
const BLOB_DIR = 'blobs'

type Op = { type: 'del'; key: string } | { type: 'put'; key: string; value: Uint8Array }

/**
 * Writes `bytes` to a new file and makes it and its directory entry durable. On failure the file
 * is removed: a storage error (a full disk) retried every few seconds must not pile up partial
 * 20 MB files.
 */
async function writeDurably(dir: string, name: string, bytes: Uint8Array): Promise<void> {
  const path = join(dir, name)
  const file = await open(path, 'wx')
  try {
    try {
      await file.writeFile(bytes)
      await file.datasync()
    } finally {
      await file.close()
    }
    await syncDir(dir)
  } catch (err) {
    await unlink(path).catch(() => undefined)
    throw err
  }
}

async function syncDir(dir: string): Promise<void> {
  const d = await open(dir, 'r')
  try {
    await d.sync()
  } finally {
    await d.close()
  }
}

/**
 * `DocStore` on LevelDB (classic-level) in `dir`. Every write is a `sync: true` batch, i.e. the
 * LevelDB log is fsynced before the promise resolves; compaction is one atomic batch (delete all
 * records, put the merged one), so a crash at any point leaves the old or the new records.
 * Appends from different rooms are group-committed: those waiting while a batch is being written
 * go into the next batch together (one fsync for all; `GroupCommit`). One room has at most one
 * append in a batch (its operations run one after another), so its order is kept.
 *
 * Large records (≥ `blobMinBytes`: a workbook's first upload, a big room's compaction) are kept
 * out of LevelDB, in files of their own under `<dir>/blobs` (key-value separation, as WiscKey
 * and Badger do). In LevelDB a 20 MB value passes through the memtable, the log and every level's
 * compaction, and reading it maps the table files' pages into the process (resident memory for
 * as long as the table stays open). A blob is written and fsynced (file and directory) before the
 * batch that points to it commits, and a compaction unlinks the blobs it replaced after its batch
 * commits; a crash in between leaves an unreferenced file, removed at the next open.
 */
export async function createLevelDocStore(
  dir: string,
  opts: { blobMinBytes?: number } = {},
): Promise<DocStore> {
  const blobMinBytes = opts.blobMinBytes ?? BLOB_MIN_BYTES
  const db = new ClassicLevel<string, Uint8Array>(dir, {
    keyEncoding: 'utf8',
    valueEncoding: 'view',
    // Reads happen once per room load, so a big block cache buys nothing but resident memory.
    cacheSize: 2 * 1024 * 1024,
    writeBufferSize: WRITE_BUFFER_BYTES,
  })
  await db.open()
  const blobDir = join(dir, BLOB_DIR)
  await mkdir(blobDir, { recursive: true })
  await removeOrphanBlobs(db, blobDir)
  const queue = new KeyedQueue()
  const appends = new GroupCommit<Op>((ops) => db.batch(ops, { sync: true }))
  // Next sequence number per room, read lazily from the last stored key.
  const nextSeq = new Map<string, number>()
  /** Rooms whose index entry this process has written. */
  const indexed = new Set<string>()
  let closed = false

  const guard = () => {
    if (closed) throw new Error('DocStore is closed')
  }
  /**
   * The puts storing `update` as record `seq` of `room`: the bytes themselves (at once, no await:
   * a small append reaches LevelDB in the caller's turn), or, when large, an empty value and the
   * name of a blob file written durably first.
   */
  const recordOps = (room: string, seq: number, update: Uint8Array): Op[] | Promise<Op[]> => {
    if (update.length < blobMinBytes)
      return [{ type: 'put', key: updateKey(room, seq), value: update }]
    const name = `${randomUUID()}.yupdate`
    return writeDurably(blobDir, name, update).then(() => [
      { type: 'put', key: updateKey(room, seq), value: EMPTY },
      { type: 'put', key: blobKey(room, seq), value: Buffer.from(name) },
    ])
  }
  const seqOf = async (room: string): Promise<number> => {
    const known = nextSeq.get(room)
    if (known !== undefined) return known
    let seq = 0
    for await (const key of db.keys({ ...roomRange(room), reverse: true, limit: 1 })) {
      seq = seqFromKey(key) + 1
    }
    nextSeq.set(room, seq)
    return seq
  }

  return {
    load: (room) =>
      queue.run(room, async () => {
        guard()
        const out: Uint8Array[] = []
        let last: string | undefined
        for await (const [key, value] of db.iterator(roomRange(room))) {
          if (value.length > 0) out.push(new Uint8Array(value))
          else {
            const name = await db.get(blobKey(room, seqFromKey(key)))
            if (name === undefined) throw new Error(`DocStore: blob of ${key} is missing`)
            // A view, not a copy: readFile's buffer is the file's own (never pooled), and copying a
            // 20 MB blob stalled the event loop 10–21 ms (bench/versions, a capture's profile).
            const blob = await readFile(join(blobDir, Buffer.from(name).toString()))
            out.push(new Uint8Array(blob.buffer, blob.byteOffset, blob.byteLength))
          }
          last = key
        }
        // The next sequence number comes free with the load (rooms load before they append).
        if (!nextSeq.has(room)) nextSeq.set(room, last === undefined ? 0 : seqFromKey(last) + 1)
        return out
      }),
    append: (room, update) =>
      queue.run(room, async () => {
        guard()
        // Known after the room's load: no await, so the write starts in the caller's turn.
        const seq = nextSeq.get(room) ?? (await seqOf(room))
        const record = recordOps(room, seq, update)
        const ops = Array.isArray(record) ? record : await record
        // The room index entry goes with the first record this process writes for the room (in
        // the same atomic batch); later appends skip it, one put less on the fsync path.
        if (!indexed.has(room)) ops.push({ type: 'put', key: `r${SEP}${room}`, value: EMPTY })
        // A failed batch leaves its blob to the next open's cleanup, never unlinked here: LevelDB
        // may report a failed fsync for a record it replays at the next open.
        await appends.add(ops)
        indexed.add(room)
        nextSeq.set(room, seq + 1)
      }),
    compact: (room, merged) =>
      queue.run(room, async () => {
        guard()
        const seq = await seqOf(room)
        const ops: Op[] = []
        for await (const key of db.keys(roomRange(room))) ops.push({ type: 'del', key })
        const replaced: string[] = []
        for await (const [key, name] of db.iterator(blobRange(room))) {
          ops.push({ type: 'del', key })
          replaced.push(Buffer.from(name).toString())
        }
        ops.push(...(await recordOps(room, seq, merged)))
        ops.push({ type: 'put', key: `r${SEP}${room}`, value: EMPTY })
        await db.batch(ops, { sync: true })
        nextSeq.set(room, seq + 1)
        // Unreferenced now; a crash before this leaves them to the next open's cleanup.
        for (const name of replaced) await unlink(join(blobDir, name)).catch(() => undefined)
      }),
    list: async () => {
      guard()
      const rooms: string[] = []
      for await (const key of db.keys(prefixRange(`r${SEP}`))) rooms.push(key.slice(2))
      return rooms.sort()
    },
    close: async () => {
      if (closed) return
      await queue.drain()
      closed = true
      await db.close()
    },
  }
}

/** Deletes blob files no key points to (left by a crash between a blob's write and its batch). */
async function removeOrphanBlobs(
  db: ClassicLevel<string, Uint8Array>,
  blobDir: string,
): Promise<void> {
  const files = await readdir(blobDir)
  if (files.length === 0) return
  const referenced = new Set<string>()
  for await (const name of db.values(prefixRange(`b${SEP}`)))
    referenced.add(Buffer.from(name).toString())
  for (const f of files) if (!referenced.has(f)) await unlink(join(blobDir, f))
}
