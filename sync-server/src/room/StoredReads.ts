import * as Y from 'yjs'
import type { DocStore } from '../storage/DocStore.js'
import type { ColdState } from './DocState.js'
import { deletesCovered, EMPTY_UPDATE, mergeMany, newAgainstVector } from './yjsUpdates.js'

/**
 * A cold room's answers from what storage holds: one read of the whole state at a time, shared by
 * every caller arriving while it runs (and its delete set, derived from such a read). `current`
 * tells whether the room is still in the cold state given (only then are results cached in it).
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

  /**
   * The sync step 2 payload of a cold room for a client with state vector `theirs` (`sv`
   * encoded): a fresh client gets the stored record as it is, a client holding every struct the
   * cached delete-set update, any other a diff of the stored state.
   */
  syncStep2(
    cold: ColdState,
    theirs: Map<number, number>,
    sv: Uint8Array,
    current: () => boolean,
  ): Uint8Array | Promise<Uint8Array> {
    if (cold.storedEmpty) return EMPTY_UPDATE
    if (theirs.size === 0) return this.state()
    let hasAll = true
    for (const [client, clock] of cold.svMap) {
      if ((theirs.get(client) ?? 0) < clock) {
        hasAll = false
        break
      }
    }
    // A client holding every struct needs only the delete set: cached, instead of a full pass.
    if (hasAll) return this.deleteSetOf(cold, current)
    return this.state().then((bytes) => Y.diffUpdate(bytes, sv))
  }

  /** The cold state's delete-set update (cached in it while it is current). */
  private deleteSetOf(cold: ColdState, current: () => boolean): Uint8Array | Promise<Uint8Array> {
    if (cold.dsOnly) return cold.dsOnly
    return this.deleteSet(cold.sv).then((ds) => {
      if (current()) cold.dsOnly = ds
      return ds
    })
  }

  /**
   * Whether `update` would change a cold room, without reviving the doc: the structs it lacks are
   * those past its state vector (streamed out with `Y.diffUpdate`, so a client's whole-workbook
   * handshake is never materialised), and every deleted range must already be in its delete set.
   */
  async wouldChange(cold: ColdState, update: Uint8Array, current: () => boolean): Promise<boolean> {
    const first = newAgainstVector(update, cold.sv, cold.svMap)
    if (first.verdict !== 'ask') return first.verdict
    const deleted = cold.deleted ?? Y.decodeUpdate(await this.deleteSetOf(cold, current)).ds.clients
    if (current()) cold.deleted = deleted
    return !deletesCovered(first.ds, deleted)
  }
}
