import { mkdir, open, readdir, readFile, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { ClassicLevel } from 'classic-level'
import {
  newestFirst,
  newVersionId,
  RoomLocks,
  type StoredVersion,
  toPrune,
  VERSION_ID,
  type VersionStore,
} from './VersionStore.js'

// Layout under <dir> (the data dir's `versions/`, a LevelDB of its own beside the doc store's
// `db/`: ClassicLevel opens a directory once per process, and the doc store owns `db/`):
//   LevelDB key  v\0<room>\0<id>  → the version's metadata (JSON, utf8)
//   file         snapshots/<id>   → the snapshot bytes
// Snapshots are files, not LevelDB values, for the reason the doc store keeps its large records
// in blob files (storage/levelDocStore.ts): a multi-MB value would pass through the memtable, the
// log and every compaction level.
const SEP = '\u0000'
const SNAP_DIR = 'snapshots'
const metaKey = (room: string, id: string) => `v${SEP}${room}${SEP}${id}`
const roomRange = (room: string) => ({
  gt: `v${SEP}${room}${SEP}`,
  lt: `v${SEP}${room}${SEP}\uffff`,
})

/** The versions LevelDB directory inside a data dir. */
export const VERSIONS_DIR = 'versions'

/**
 * `VersionStore` on LevelDB (classic-level) plus one file per snapshot. A put writes and fsyncs
 * the file and its directory entry, then the metadata with a synced write: a crash in between
 * leaves a file no key names, removed at the next open. Prune deletes the keys (one synced batch),
 * then the files.
 */
export async function createLevelVersionStore(dir: string): Promise<VersionStore> {
  const db = new ClassicLevel<string, string>(dir, {
    keyEncoding: 'utf8',
    valueEncoding: 'utf8',
    cacheSize: 512 * 1024,
  })
  await db.open()
  const snapDir = join(dir, SNAP_DIR)
  await mkdir(snapDir, { recursive: true })
  await removeOrphans(db, snapDir)
  const locks = new RoomLocks()
  const pending = new Set<Promise<unknown>>()
  let closed = false
  const track = <T>(p: Promise<T>): Promise<T> => {
    if (closed) return Promise.reject(new Error('VersionStore is closed'))
    pending.add(p)
    void p.catch(() => undefined).then(() => pending.delete(p))
    return p
  }

  return {
    put: (room, meta, snapshot) =>
      track(
        (async () => {
          const info: StoredVersion = {
            ...meta,
            id: newVersionId(meta.createdAt),
            bytes: snapshot.length,
          }
          await writeDurably(snapDir, info.id, snapshot)
          await db.put(metaKey(room, info.id), JSON.stringify(info), { sync: true })
          return info
        })(),
      ),
    list: (room) =>
      track(
        (async () => {
          const out: StoredVersion[] = []
          for await (const value of db.values(roomRange(room))) out.push(JSON.parse(value))
          return out.sort(newestFirst)
        })(),
      ),
    get: (room, id) =>
      track(
        (async () => {
          if (!VERSION_ID.test(id)) return null
          if ((await db.get(metaKey(room, id))) === undefined) return null
          return new Uint8Array(await readFile(join(snapDir, id)))
        })(),
      ),
    prune: (room, now, policy) =>
      track(
        (async () => {
          const versions: StoredVersion[] = []
          for await (const value of db.values(roomRange(room))) versions.push(JSON.parse(value))
          const ids = toPrune(versions, now, policy)
          if (ids.length === 0) return ids
          await db.batch(
            ids.map((id) => ({ type: 'del' as const, key: metaKey(room, id) })),
            { sync: true },
          )
          for (const id of ids) await unlink(join(snapDir, id)).catch(() => undefined)
          return ids
        })(),
      ),
    exclusive: (room, task) => locks.run(room, task),
    async close() {
      if (closed) return
      closed = true
      await Promise.allSettled([...pending])
      await db.close()
    },
  }
}

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
    const d = await open(dir, 'r')
    try {
      await d.sync()
    } finally {
      await d.close()
    }
  } catch (err) {
    await unlink(path).catch(() => undefined)
    throw err
  }
}

/** Deletes snapshot files no metadata names (a crash between a put's file and its key). */
async function removeOrphans(db: ClassicLevel<string, string>, snapDir: string): Promise<void> {
  const files = await readdir(snapDir)
  if (files.length === 0) return
  const named = new Set<string>()
  for await (const value of db.values({ gt: `v${SEP}`, lt: `v${SEP}\uffff` }))
    named.add((JSON.parse(value) as StoredVersion).id)
  for (const f of files) if (!named.has(f)) await unlink(join(snapDir, f)).catch(() => undefined)
}
