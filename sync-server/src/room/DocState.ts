import * as Y from 'yjs'
import { type DeletedRanges, EMPTY_UPDATE, transactionChanged } from './yjsUpdates.js'

/**
 * What a room holds of its workbook, in one of two forms (docs/SYNC.md, "Doc-less rooms"); a
 * field exists only in the form where it means something.
 */
export type DocState = ColdState | LiveState

/**
 * Nothing but the state vector of what storage holds (one record, compacted) and, once needed,
 * its delete set. Sync requests are answered by reading storage, so a cold room's size does not
 * stay resident.
 */
export interface ColdState {
  readonly kind: 'cold'
  /** The state vector of what storage holds, encoded and decoded. */
  readonly sv: Uint8Array
  readonly svMap: Map<number, number>
  /** Storage holds nothing for the room (a new workbook): no read needed. */
  readonly storedEmpty: boolean
  /**
   * The stored state's update against its own state vector (its delete set, plus structs still
   * waiting for dependencies), for clients that already have every struct; taken from the doc
   * when it is dropped, else read once.
   */
  dsOnly: Uint8Array | null
  /** The decoded delete set, for viewer checks. */
  deleted: DeletedRanges | null
}

/**
 * A `Y.Doc`, revived from storage when a write (or a viewer's delete set) needs validating against
 * the doc, and dropped `DOC_IDLE_MS` after the last write once everything is durable.
 */
export interface LiveState {
  readonly kind: 'live'
  readonly doc: Y.Doc
  /** The bytes the doc was built from plus those appended since (its rough size). */
  docBytes: number
  /** A cached full encoding of the doc at `bytesGen`, or null. */
  bytes: Uint8Array | null
  bytesGen: number
  /** Whether the doc's last transaction changed it (set by its `afterTransaction` listener). */
  changed: boolean
}

/** The cold state of a room whose storage holds `bytes` (one record; EMPTY_UPDATE for none). */
export function coldFromStored(bytes: Uint8Array): ColdState {
  const sv = Y.encodeStateVectorFromUpdate(bytes)
  return {
    kind: 'cold',
    sv,
    svMap: Y.decodeStateVector(sv),
    storedEmpty: bytes === EMPTY_UPDATE,
    dsOnly: null,
    deleted: null,
  }
}

/** The cold state a live doc leaves behind (everything in it is durable). */
export function coldFromDoc(doc: Y.Doc): ColdState {
  const sv = Y.encodeStateVector(doc)
  return {
    kind: 'cold',
    sv,
    svMap: Y.decodeStateVector(sv),
    storedEmpty: false,
    dsOnly: Y.encodeStateAsUpdate(doc, sv),
    deleted: null,
  }
}

/**
 * A live state whose doc holds `records`; one `afterTransaction` listener tells the apply whether
 * an update changed it. Deliberately no `update` listener: Yjs would then encode every
 * transaction's diff (a third of the apply's cost), and the update as sent is what is stored and
 * broadcast. `gen`: the room's change counter now (a single record stays valid as the cached full
 * encoding until the first change).
 */
export function liveFromRecords(records: Uint8Array[], gen: number): LiveState {
  const doc = new Y.Doc()
  let docBytes = 0
  doc.transact(() => {
    for (const u of records) {
      Y.applyUpdate(doc, u)
      docBytes += u.length
    }
  })
  const state: LiveState = {
    kind: 'live',
    doc,
    docBytes,
    bytes: records.length === 1 ? records[0]! : null,
    bytesGen: gen,
    changed: false,
  }
  doc.on('afterTransaction', (tr: Y.Transaction) => {
    state.changed = transactionChanged(tr)
  })
  return state
}
