import {
  newestFirst,
  newVersionId,
  RoomLocks,
  type StoredVersion,
  toPrune,
  type VersionStore,
} from './VersionStore.js'

/** Versions in memory, for `--storage memory` (tests and demos: nothing survives a restart). */
export function createMemoryVersionStore(): VersionStore {
  const rooms = new Map<string, Map<string, { info: StoredVersion; data: Uint8Array }>>()
  const locks = new RoomLocks()
  let closed = false
  const guard = () => {
    if (closed) throw new Error('VersionStore is closed')
  }
  return {
    async put(room, meta, snapshot) {
      guard()
      const info: StoredVersion = {
        ...meta,
        id: newVersionId(meta.createdAt),
        bytes: snapshot.length,
      }
      const map = rooms.get(room) ?? new Map()
      rooms.set(room, map)
      map.set(info.id, { info, data: snapshot.slice() })
      return { ...info }
    },
    async list(room) {
      guard()
      return [...(rooms.get(room)?.values() ?? [])].map((v) => ({ ...v.info })).sort(newestFirst)
    },
    async get(room, id) {
      guard()
      return rooms.get(room)?.get(id)?.data.slice() ?? null
    },
    async prune(room, now, policy) {
      guard()
      const map = rooms.get(room)
      if (!map) return []
      const ids = toPrune(
        [...map.values()].map((v) => v.info),
        now,
        policy,
      )
      for (const id of ids) map.delete(id)
      return ids
    },
    exclusive: (room, task) => locks.run(room, task),
    async close() {
      closed = true
    },
  }
}
