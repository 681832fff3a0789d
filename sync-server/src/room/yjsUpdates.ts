import { MESSAGE_TYPE } from '@taizhang/shared'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'

/** Pure Yjs helpers of the room: no state, no I/O. */

export const EMPTY_SV = new Uint8Array([0])
/** An update with no structs and an empty delete set (a new, empty room). */
export const EMPTY_UPDATE = new Uint8Array([0, 0])

const MERGE_FANIN = 16

/** Whether `update` is the empty update (a fresh client's handshake on a new workbook). */
export function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0
}

export function syncUpdateMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MESSAGE_TYPE.sync)
  syncProtocol.writeUpdate(e, update)
  return encoding.toUint8Array(e)
}

export function awarenessMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MESSAGE_TYPE.awareness)
  encoding.writeVarUint8Array(e, update)
  return encoding.toUint8Array(e)
}

/**
 * `Y.mergeUpdates` of many updates, in groups: Yjs re-sorts all its inputs for every struct it
 * writes, so one call on the thousands of one-struct edits of a burst costs O(n²); merging groups
 * of MERGE_FANIN, then the results, gives the same update in O(n · MERGE_FANIN · log n).
 */
export function mergeMany(updates: Uint8Array[]): Uint8Array {
  let level = updates
  while (level.length > 1) {
    const next: Uint8Array[] = []
    for (let i = 0; i < level.length; i += MERGE_FANIN) {
      const group = level.slice(i, i + MERGE_FANIN)
      next.push(group.length === 1 ? group[0]! : Y.mergeUpdates(group))
    }
    level = next
  }
  return level[0] ?? EMPTY_UPDATE
}

/** Whether a transaction changed its doc: a struct added or something deleted (as Yjs decides
 * whether to emit `update`). */
export function transactionChanged(tr: Y.Transaction): boolean {
  if (tr.deleteSet.clients.size > 0) return true
  for (const [client, clock] of tr.afterState) if (tr.beforeState.get(client) !== clock) return true
  return false
}

/** Whether a decoded update would change `doc`: a struct it lacks or a deletion it lacks. */
export function wouldChangeDoc(doc: Y.Doc, update: Uint8Array): boolean {
  const { structs, ds } = Y.decodeUpdate(update)
  for (const s of structs) {
    if (s instanceof Y.Skip) continue
    if (s.id.clock + s.length > Y.getState(doc.store, s.id.client)) return true
  }
  for (const [client, items] of ds.clients) {
    const own = doc.store.clients.get(client)
    for (const { clock, len } of items) {
      if (!own || clock + len > Y.getState(doc.store, client)) return true
      let i = Y.findIndexSS(own, clock)
      while (i < own.length && own[i]!.id.clock < clock + len) {
        if (!own[i]!.deleted) return true
        i++
      }
    }
  }
  return false
}

/** A decoded delete set: client → sorted, merged ranges. */
export type DeletedRanges = Map<number, Array<{ clock: number; len: number }>>

/** Whether every range of `ranges` (sorted, merged: a Yjs delete set) covers [clock, end). */
export function covers(
  ranges: ReadonlyArray<{ clock: number; len: number }>,
  clock: number,
  end: number,
): boolean {
  let lo = 0
  let hi = ranges.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const r = ranges[mid]!
    if (r.clock + r.len <= clock) lo = mid + 1
    else hi = mid
  }
  let pos = clock
  for (let i = lo; i < ranges.length && pos < end; i++) {
    const r = ranges[i]!
    if (r.clock > pos) return false
    pos = Math.max(pos, r.clock + r.len)
  }
  return pos >= end
}

/**
 * What `update` brings that a stored state lacks, judged from that state's state vector (`svMap`,
 * `sv` encoded) alone: `true` (a struct past the vector or a deletion past it), `false` (nothing),
 * or `'ask'` when only the stored delete set can tell (see `deletesCovered`).
 */
export function newAgainstVector(
  update: Uint8Array,
  sv: Uint8Array,
  svMap: Map<number, number>,
): { verdict: boolean } | { verdict: 'ask'; ds: DeletedRanges } {
  const { structs, ds } = Y.decodeUpdate(Y.diffUpdate(update, sv))
  if (structs.some((s) => !(s instanceof Y.Skip))) return { verdict: true }
  if (ds.clients.size === 0) return { verdict: false }
  // Deletions past the state vector are news; the rest must already be in the delete set.
  for (const [client, items] of ds.clients) {
    for (const { clock, len } of items)
      if (clock + len > (svMap.get(client) ?? 0)) return { verdict: true }
  }
  return { verdict: 'ask', ds: ds.clients as DeletedRanges }
}

/** Whether every deletion of `ds` is already in `deleted`. */
export function deletesCovered(ds: DeletedRanges, deleted: DeletedRanges): boolean {
  for (const [client, items] of ds) {
    const own = deleted.get(client) ?? []
    for (const { clock, len } of items) if (!covers(own, clock, clock + len)) return false
  }
  return true
}
