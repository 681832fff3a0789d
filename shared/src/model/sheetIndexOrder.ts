/**
 * The visible rows of a sheet in order: row ids sorted by (order key, row id), kept up to date as rows
 * are inserted, moved, deleted, restored or purged — spliced one by one for a few changes, filtered and
 * merged for many. Part of `SheetIndex` (sheetIndex.ts), which owns the keys and visibility it reads.
 */
import { compareKeyed } from './order.js'

/** Above this many order changes in one transaction, re-sort instead of splicing one by one. */
export const RESORT_THRESHOLD = 256

/** What the order reads from its index: a row's order key and whether it is shown. */
export interface OrderedRows {
  orderKey(rowId: string): string | undefined
  isVisible(rowId: string): boolean
}

/** The ordered visible row ids of one sheet. */
export class RowOrder {
  /** Visible row ids sorted by (order key, id); null when it must be rebuilt. */
  ids: string[] | null = null

  constructor(private readonly rows: OrderedRows) {}

  /** Sorts ids by (order key, id); skips the sort when they already are (bulk inserts are). */
  private sortIds(ids: string[]): string[] {
    return sortByKeys(
      ids,
      ids.map((id) => this.rows.orderKey(id)!),
    )
  }

  /** The position of a visible row in `ids` (the built order), or -1. */
  indexOf(ids: readonly string[], rowId: string): number {
    const key = this.rows.orderKey(rowId)
    if (key === undefined) return -1
    // Binary search by (key, id); ids are unique so the match is exact.
    let lo = 0
    let hi = ids.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const midId = ids[mid]!
      const c = compareKeyed(this.rows.orderKey(midId)!, midId, key, rowId)
      if (c === 0) return mid
      if (c < 0) lo = mid + 1
      else hi = mid - 1
    }
    return -1
  }

  /** Places a row that became visible (no-op while the order is not built). */
  insert(rowId: string): void {
    const ids = this.ids
    if (!ids) return
    const key = this.rows.orderKey(rowId)!
    let lo = 0
    let hi = ids.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      const midId = ids[mid]!
      if (compareKeyed(this.rows.orderKey(midId)!, midId, key, rowId) < 0) lo = mid + 1
      else hi = mid
    }
    ids.splice(lo, 0, rowId)
  }

  /** Takes a row out (no-op while the order is not built). */
  remove(rowId: string): void {
    const ids = this.ids
    if (!ids) return
    // Binary search by the key the index holds for the row; when that key no longer places it
    // (its record was purged, or the key changed underneath), search by identity.
    let i = -1
    const key = this.rows.orderKey(rowId)
    if (key !== undefined) {
      let lo = 0
      let hi = ids.length - 1
      while (lo <= hi) {
        const mid = (lo + hi) >> 1
        const midId = ids[mid]!
        const midKey = this.rows.orderKey(midId)
        if (midKey === undefined) break // another purged row still listed: search by identity
        const c = compareKeyed(midKey, midId, key, rowId)
        if (c === 0) {
          i = mid
          break
        }
        if (c < 0) lo = mid + 1
        else hi = mid - 1
      }
    }
    if (i < 0) i = ids.indexOf(rowId)
    if (i >= 0) ids.splice(i, 1)
  }

  /**
   * Re-places `flips` (rows whose visibility or key changed) in the ordered list: one by one for a
   * few, else by filtering them out and merging the visible ones back in, O(n + m log m).
   */
  update(flips: string[]): void {
    const ordered = this.ids
    if (!ordered) return
    if (flips.length <= RESORT_THRESHOLD) {
      for (const id of flips) {
        this.remove(id)
        if (this.rows.isVisible(id)) this.insert(id)
      }
      return
    }
    const flipSet = new Set(flips)
    const kept = ordered.filter((id) => !flipSet.has(id))
    const added = this.sortIds([...flipSet].filter((id) => this.rows.isVisible(id)))
    const last = kept[kept.length - 1]
    const firstAdded = added[0]
    if (
      last === undefined ||
      firstAdded === undefined ||
      compareKeyed(this.rows.orderKey(last)!, last, this.rows.orderKey(firstAdded)!, firstAdded) < 0
    ) {
      // Appending (the usual bulk insert): no merge needed.
      for (const id of added) kept.push(id)
      this.ids = kept
      return
    }
    const merged: string[] = new Array(kept.length + added.length)
    let i = 0
    let j = 0
    let k = 0
    while (i < kept.length && j < added.length) {
      const a = kept[i]!
      const b = added[j]!
      if (compareKeyed(this.rows.orderKey(a)!, a, this.rows.orderKey(b)!, b) <= 0)
        merged[k++] = kept[i++]!
      else merged[k++] = added[j++]!
    }
    while (i < kept.length) merged[k++] = kept[i++]!
    while (j < added.length) merged[k++] = added[j++]!
    this.ids = merged
  }
}

/** `ids` sorted by (key, id), `keys[i]` being the key of `ids[i]`; `ids` itself when already sorted. */
export function sortByKeys(ids: string[], keys: string[]): string[] {
  let sorted = true
  for (let i = 1; i < ids.length && sorted; i++) {
    if (compareKeyed(keys[i - 1]!, ids[i - 1]!, keys[i]!, ids[i]!) > 0) sorted = false
  }
  if (sorted) return ids
  const idx = ids.map((_, i) => i)
  idx.sort((a, b) => compareKeyed(keys[a]!, ids[a]!, keys[b]!, ids[b]!))
  return idx.map((i) => ids[i]!)
}
