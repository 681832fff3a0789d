/**
 * Reading one transaction's changes to a sheet's Y types in O(change): the items it added to and
 * deleted from an array, the net tombstones per row, and the empty `SheetChange` a transaction fills.
 * Used by `SheetIndex` (sheetIndex.ts) and `SheetHistory`.
 */
import * as Y from 'yjs'
import type { SheetChange, Tombstone } from './types.js'

/**
 * The items a transaction added to an array (still live) and deleted from it (live before), read
 * from the transaction's new structs and its delete set: O(change). `event.changes` and
 * `event.delta` walk every item of the array (one per insert, deleted ones included) on every
 * event, which made each remote row insert or delete cost O(sheet history) on every replica.
 */
export function arrayChanges(
  target: object,
  tr: Y.Transaction,
): {
  added: Y.Item[]
  deleted: Y.Item[]
} {
  const clients = tr.doc.store.clients
  const added: Y.Item[] = []
  const deleted: Y.Item[] = []
  for (const [client, after] of tr.afterState) {
    const before = tr.beforeState.get(client) ?? 0
    const structs = clients.get(client)
    if (after <= before || !structs) continue
    for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
      const s = structs[i]!
      if (s.id.clock >= after) break
      if (s instanceof Y.Item && s.parent === target && !s.deleted) added.push(s)
    }
  }
  for (const [client, ranges] of tr.deleteSet.clients) {
    const structs = clients.get(client)
    if (!structs) continue
    for (const { clock, len } of ranges) {
      for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
        const s = structs[i]!
        if (s.id.clock >= clock + len) break
        // Deleted now, and not inserted by this same transaction (those are in neither list).
        const addedNow = s.id.clock >= (tr.beforeState.get(client) ?? 0)
        if (s instanceof Y.Item && s.parent === target && !addedNow) deleted.push(s)
      }
    }
  }
  return { added, deleted }
}

/**
 * Per row: the tombstones a transaction added minus those it removed. A row deleted on two replicas at
 * once gets two tombstones; the second changes nothing anyone sees, so it must not be reported removed
 * again (a grid would be told to remove a row it no longer has). Counted from the transaction, not from
 * the index before the event: a local delete has already written through.
 */
export function tombstoneDelta(event: Y.YEvent<Y.AbstractType<unknown>>): Map<string, number> {
  const { added, deleted } = arrayChanges(event.target, event.transaction)
  const delta = new Map<string, number>()
  for (const item of added) {
    for (const t of item.content.getContent() as Tombstone[])
      delta.set(t[0], (delta.get(t[0]) ?? 0) + 1)
  }
  for (const item of deleted) {
    for (const t of item.content.getContent() as Tombstone[])
      delta.set(t[0], (delta.get(t[0]) ?? 0) - 1)
  }
  return delta
}

export function emptySheetChange(): SheetChange {
  return {
    meta: false,
    columns: false,
    order: false,
    added: new Set(),
    removed: new Set(),
    moved: new Set(),
    cells: new Map(),
  }
}
