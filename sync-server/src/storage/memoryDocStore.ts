import { type DocStore, KeyedQueue } from './DocStore.js'

/** In-memory `DocStore` for tests and `--storage memory`; nothing survives the process. */
export function createMemoryDocStore(): DocStore {
  const rooms = new Map<string, Uint8Array[]>()
  const queue = new KeyedQueue()
  let closed = false
  const guard = () => {
    if (closed) throw new Error('DocStore is closed')
  }
  return {
    load: (room) =>
      queue.run(room, async () => {
        guard()
        return (rooms.get(room) ?? []).map((u) => u.slice())
      }),
    append: (room, update) =>
      queue.run(room, async () => {
        guard()
        const list = rooms.get(room) ?? []
        list.push(update.slice())
        rooms.set(room, list)
      }),
    compact: (room, merged) =>
      queue.run(room, async () => {
        guard()
        rooms.set(room, [merged.slice()])
      }),
    list: async () => {
      guard()
      return [...rooms.keys()].sort()
    },
    close: async () => {
      await queue.drain()
      closed = true
    },
  }
}
