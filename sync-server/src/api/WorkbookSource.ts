import type { DocStore } from '../storage/DocStore.js'

/**
 * Where the read API gets workbooks from. The API never writes: it applies a copy of the state to
 * its own Y.Doc, so a reader can neither change a room nor keep its doc alive.
 */
export interface WorkbookSource {
  /** Ids of every stored workbook, sorted. */
  list(): Promise<string[]>
  /** The workbook's state as Yjs updates (apply them all), or null when nothing is stored. */
  read(id: string): Promise<Uint8Array[] | null>
}

/** What the API needs of the loaded rooms (`Rooms` fits): a live doc's state, if any. */
export interface LiveRooms {
  peek(id: string): { readonly isLive: boolean; fullState(): Uint8Array } | undefined
}

/**
 * Reads a live room's doc when the room holds one (it may have edits not yet stored), and storage
 * otherwise. A cold or unloaded room is never loaded for a read: the API must not revive docs.
 */
export function createRoomsSource(rooms: LiveRooms, store: DocStore): WorkbookSource {
  return {
    list: () => store.list(),
    async read(id) {
      const room = rooms.peek(id)
      if (room?.isLive) return [room.fullState()]
      const records = await store.load(id)
      return records.length === 0 ? null : records
    },
  }
}
