import { ClassicLevel } from 'classic-level'
import { type DocStore, KeyedQueue } from './DocStore.js'
import { GroupCommit } from './groupCommit.js'

// Key layout (utf8 keys, binary values):
//   u\0<room>\0<seq as 12 hex digits>  → one update (seq grows per room, so keys sort oldest first)
//   r\0<room>                         → empty; the room index for list()
const SEP = '\u0000'
const SEQ_DIGITS = 12
const updateKey = (room: string, seq: number) =>
  `u${SEP}${room}${SEP}${seq.toString(16).padStart(SEQ_DIGITS, '0')}`
const roomRange = (room: string) => ({
  gt: `u${SEP}${room}${SEP}`,
  lt: `u${SEP}${room}${SEP}\uffff`,
})
const seqFromKey = (key: string) => Number.parseInt(key.slice(key.lastIndexOf(SEP) + 1), 16)
const EMPTY = new Uint8Array(0)
/** LevelDB's memtable size (its default): a write buffer this large is flushed to a table file. */
const WRITE_BUFFER_BYTES = 4 * 1024 * 1024

type Op = { type: 'del'; key: string } | { type: 'put'; key: string; value: Uint8Array }

/**
 * `DocStore` on LevelDB (classic-level) in `dir`. Every write is a `sync: true` batch, i.e. the
 * LevelDB log is fsynced before the promise resolves; compaction is one atomic batch (delete all
 * records, put the merged one), so a crash at any point leaves the old or the new records.
 * Appends from different rooms are group-committed: those waiting while a batch is being written
 * go into the next batch together (one fsync for all; `GroupCommit`). One room has at most one
 * append in a batch (its operations run one after another), so its order is kept.
 */
export async function createLevelDocStore(dir: string): Promise<DocStore> {
  const db = new ClassicLevel<string, Uint8Array>(dir, {
    keyEncoding: 'utf8',
    valueEncoding: 'view',
    // Reads happen once per room load, so a big block cache buys nothing but resident memory.
    cacheSize: 2 * 1024 * 1024,
    writeBufferSize: WRITE_BUFFER_BYTES,
  })
  await db.open()
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
   * LevelDB moves a full memtable to a table file only when the NEXT write arrives, so after a
   * large record (a compacted 100,000-row workbook is ~20 MB) with nothing after it the memtable
   * would keep a copy resident for as long as the room stays quiet. A tiny unsynced write (the
   * room's index entry again) after such a record makes LevelDB flush it now.
   */
  const rotateAfter = async (room: string, bytes: number) => {
    if (bytes >= WRITE_BUFFER_BYTES) await db.put(`r${SEP}${room}`, EMPTY)
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
          out.push(new Uint8Array(value))
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
        const put: Op = { type: 'put', key: updateKey(room, seq), value: update }
        // The room index entry goes with the first record this process writes for the room (in
        // the same atomic batch); later appends skip it, one put less on the fsync path.
        await appends.add(
          indexed.has(room) ? [put] : [put, { type: 'put', key: `r${SEP}${room}`, value: EMPTY }],
        )
        indexed.add(room)
        nextSeq.set(room, seq + 1)
        await rotateAfter(room, update.length)
      }),
    compact: (room, merged) =>
      queue.run(room, async () => {
        guard()
        const seq = await seqOf(room)
        const ops: Op[] = []
        for await (const key of db.keys(roomRange(room))) ops.push({ type: 'del', key })
        ops.push({ type: 'put', key: updateKey(room, seq), value: merged })
        ops.push({ type: 'put', key: `r${SEP}${room}`, value: EMPTY })
        await db.batch(ops, { sync: true })
        nextSeq.set(room, seq + 1)
        await rotateAfter(room, merged.length)
      }),
    list: async () => {
      guard()
      const rooms: string[] = []
      for await (const key of db.keys({ gt: `r${SEP}`, lt: `r${SEP}\uffff` }))
        rooms.push(key.slice(2))
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
