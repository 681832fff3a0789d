import * as Y from 'yjs'
import type { DocStore } from '../storage/DocStore.js'
import { EMPTY_UPDATE, mergeMany } from './yjsUpdates.js'

/**
 * A cold room's reads of what storage holds: one read of the whole state at a time, shared by
 * every caller arriving while it runs (and its delete set, derived from such a read).
 */
export class StoredReads {
  private whole: Promise<Uint8Array> | null = null
  private ds: { sv: Uint8Array; read: Promise<Uint8Array> } | null = null

  constructor(
    private readonly room: string,
    private readonly store: DocStore,
    private readonly released?: (bytes: number) => void,
  ) {}

  /**
   * What storage holds for the room, as one update (normally its one compacted record). Always a
   * valid answer to a peer already in the room: whatever is written after the read reaches the peer
   * as a broadcast.
   */
  state(): Promise<Uint8Array> {
    this.whole ??= this.store
      .load(this.room)
      .then((records) => {
        const bytes = records.length === 0 ? EMPTY_UPDATE : mergeMany(records)
        // Reported once per read, however many callers share it: garbage once the answers are
        // sent (the reclaimer waits for a quiet spell).
        this.released?.(bytes.length)
        return bytes
      })
      .finally(() => {
        this.whole = null
      })
    return this.whole
  }

  /** The stored state against `sv` (its own state vector): its delete set and pending structs. */
  deleteSet(sv: Uint8Array): Promise<Uint8Array> {
    if (this.ds?.sv === sv) return this.ds.read
    const read = this.state()
      .then((bytes) => Y.diffUpdate(bytes, sv))
      .finally(() => {
        if (this.ds?.read === read) this.ds = null
      })
    this.ds = { sv, read }
    return read
  }
}
