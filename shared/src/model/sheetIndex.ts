import * as Y from 'yjs'
import type { CellValue } from '../schema/columnTypes.js'
import {
  cellKey,
  SHEET_BATCHES,
  SHEET_CELLS,
  SHEET_DELETIONS,
  SHEET_ROW_ORDER,
  SHEET_ROWS,
  splitCellKey,
} from './keys.js'
import { compareKeyed } from './order.js'
import type { Overlay, RowRecord, SheetChange, Tombstone } from './types.js'

/** Above this many order changes in one transaction, re-sort instead of splicing one by one. */
const RESORT_THRESHOLD = 256
/** From this many records on, a full rebuild indexes them by id lazily (`record`). */
const LAZY_RECORDS_MIN = 2048

/**
 * What users of a sheet may read from its index (`Sheet.index`): no Y types, no write-through.
 * Writes go through `SheetWriter` (sheetWriter.ts), which pairs each Yjs write with its index update.
 */
export interface ReadonlySheetIndex {
  /** Records by row id (complete). */
  readonly records: ReadonlyMap<string, RowRecord>
  record(rowId: string): RowRecord | undefined
  orderKey(rowId: string): string | undefined
  isVisible(rowId: string): boolean
  /** Visible row ids in order. The returned array is live: copy before mutating the doc. */
  orderedIds(): readonly string[]
  indexOf(rowId: string): number
  cell(rowId: string, colId: string): CellValue | undefined
  rowCells(rowId: string, liveColumns?: ReadonlySet<string>): Record<string, CellValue>
  /** The overlay entry of one cell (`[value, editId]`), undefined when never edited. */
  overlayEntry(rowId: string, colId: string): Overlay | undefined
  /** Every overlay entry, keyed by cell key. */
  overlayEntries(): IterableIterator<[string, Overlay]>
  /** Every tombstone, in doc order. */
  tombstones(): Tombstone[]
  batchColumns(batchId: string): readonly string[]
}

/**
 * A plain-JS materialized view of one sheet's rows, kept in step with the Y types by
 * `applyEvents`. Yjs has no indexed view of "base record + overlay + tombstones + order keys",
 * so this is hand-written; it is the only place that composes them.
 */
export class SheetIndex implements ReadonlySheetIndex {
  /** Records by row id; `records` completes it first when a rebuild left it partial. */
  private readonly byId = new Map<string, RowRecord>()
  /**
   * After a full rebuild of a big sheet (opening it), the shown records not yet in `byId`:
   * `lazy.list[lazy.at..]`. Indexing 100,000 ids took ~100 ms of the open while the first
   * screen needs ~100, so lookups index only as far as they must (`record`), any change to the
   * index completes it first (`records`), and the rest is indexed as rows are read.
   */
  private lazy: { list: readonly RowRecord[]; at: number } | null = null
  readonly overlay = new Map<string, Map<string, CellValue>>()
  readonly orderOverride = new Map<string, string>()
  readonly deleted = new Map<string, number>()
  private batchCache = new Map<string, readonly string[]>()
  /**
   * Records whose batch has no `batches` entry: a staged import not yet published (or one whose
   * publish was undone), by batch id. No view shows them; the entry appearing reveals them.
   */
  private readonly staged = new Map<string, Map<string, RowRecord>>()
  /** Visible row ids sorted by (order key, id); null when it must be rebuilt. */
  private ordered: string[] | null = null
  /**
   * The row `cell` read last: its record, batch columns and overlay. A summary or a computed
   * column reads several cells of one row in a row, and each read looked the row up in maps of
   * 100,000 entries (the largest cost of a summary's cold start). Dropped by every change to
   * records (`records`, `rebuildAll`), batches and that row's overlay.
   */
  private lastRow: {
    id: string
    rec: RowRecord | undefined
    cols: readonly string[]
    ov: Map<string, CellValue> | undefined
  } | null = null

  constructor(readonly sheet: Y.Map<unknown>) {
    this.rebuildAll()
  }

  overlayEntry(rowId: string, colId: string): Overlay | undefined {
    return this.cellsMap.get(cellKey(rowId, colId))
  }

  overlayEntries(): IterableIterator<[string, Overlay]> {
    return this.cellsMap.entries()
  }

  tombstones(): Tombstone[] {
    return this.deletionsArray.toArray()
  }

  // The Y types and the note* write-throughs below are for `SheetWriter` only (@internal).
  /** @internal */
  get rowsArray(): Y.Array<RowRecord> {
    return this.sheet.get(SHEET_ROWS) as Y.Array<RowRecord>
  }
  /** @internal */
  get cellsMap(): Y.Map<Overlay> {
    return this.sheet.get(SHEET_CELLS) as Y.Map<Overlay>
  }
  /** @internal */
  get rowOrderMap(): Y.Map<string> {
    return this.sheet.get(SHEET_ROW_ORDER) as Y.Map<string>
  }
  /** @internal */
  get deletionsArray(): Y.Array<Tombstone> {
    return this.sheet.get(SHEET_DELETIONS) as Y.Array<Tombstone>
  }
  /** @internal */
  get batchesMap(): Y.Map<string[]> {
    return this.sheet.get(SHEET_BATCHES) as Y.Map<string[]>
  }

  /** Records by row id (complete: indexes any records a rebuild left for later). */
  get records(): Map<string, RowRecord> {
    // Every change to the records goes through here (or `rebuildAll`).
    this.lastRow = null
    const lazy = this.lazy
    if (lazy) {
      this.lazy = null
      const { list } = lazy
      for (let i = lazy.at; i < list.length; i++) this.byId.set(list[i]![0], list[i]!)
    }
    return this.byId
  }

  /** One row's record: indexes lazily kept records only up to it (see `lazy`). */
  record(rowId: string): RowRecord | undefined {
    const rec = this.byId.get(rowId)
    const lazy = this.lazy
    if (rec !== undefined || lazy === null) return rec
    const { list } = lazy
    for (let i = lazy.at; i < list.length; i++) {
      const r = list[i]!
      this.byId.set(r[0], r)
      if (r[0] === rowId) {
        lazy.at = i + 1
        if (lazy.at === list.length) this.lazy = null
        return r
      }
    }
    this.lazy = null
    return undefined
  }

  /** Re-reads everything from the Y types (a sheet created or replaced in this transaction). */
  rebuildAll(): void {
    this.lastRow = null
    this.lazy = null
    this.byId.clear()
    this.staged.clear()
    const published = this.publishedCheck()
    const all = this.rowsArray.toArray()
    let shown = all
    if (!all.every((rec) => published(rec[2]))) {
      shown = []
      for (const rec of all) {
        if (published(rec[2])) shown.push(rec)
        else this.stage(rec)
      }
    }
    if (shown.length >= LAZY_RECORDS_MIN) this.lazy = { list: shown, at: 0 }
    else for (const rec of shown) this.byId.set(rec[0], rec)
    this.overlay.clear()
    for (const [key, ov] of this.cellsMap.entries()) this.setOverlay(key, ov)
    this.orderOverride.clear()
    for (const [rowId, k] of this.rowOrderMap.entries()) this.orderOverride.set(rowId, k)
    this.rebuildDeleted()
    this.batchCache.clear()
    this.ordered = null
  }

  private rebuildDeleted(): void {
    this.deleted.clear()
    for (const t of this.deletionsArray.toArray()) {
      this.deleted.set(t[0], (this.deleted.get(t[0]) ?? 0) + 1)
    }
  }

  /** @internal Write-through after a local overlay write, so later writes in the same transaction see it. */
  noteOverlay(key: string): void {
    this.setOverlay(key, this.cellsMap.get(key))
  }

  /** @internal Write-through after tombstones of `rowIds` were added or removed. */
  noteDeletions(rowIds: Iterable<string>): void {
    this.rebuildDeleted()
    this.updateOrdered([...rowIds])
  }

  /** @internal Write-through after new row records were pushed. */
  noteRecords(recs: readonly RowRecord[]): void {
    for (const rec of recs) this.records.set(rec[0], rec)
    const ordered = this.ordered
    if (!ordered) return
    if (recs.length > RESORT_THRESHOLD && this.appendsInOrder(ordered, recs)) {
      // The usual bulk insert (import, paste at the end): new rows, ascending keys, after the
      // last row. Appending them costs nothing per row beyond the push.
      for (const rec of recs) ordered.push(rec[0])
      return
    }
    this.updateOrdered(recs.map((r) => r[0]))
  }

  private appendsInOrder(ordered: readonly string[], recs: readonly RowRecord[]): boolean {
    for (const rec of recs) {
      if (this.orderOverride.has(rec[0]) || this.deleted.has(rec[0])) return false
    }
    for (let i = 1; i < recs.length; i++) {
      const a = recs[i - 1]!
      const b = recs[i]!
      if (compareKeyed(a[1], a[0], b[1], b[0]) >= 0) return false
    }
    const last = ordered[ordered.length - 1]
    const first = recs[0]!
    return last === undefined || compareKeyed(this.orderKey(last)!, last, first[1], first[0]) < 0
  }

  /** @internal Write-through after a row's order override was set. */
  noteOrder(rowIds: readonly string[]): void {
    const splice = rowIds.length <= RESORT_THRESHOLD
    for (const rowId of rowIds) {
      // Remove by identity before the key changes, so the binary search stays valid.
      if (splice) this.removeOrdered(rowId)
      const k = this.rowOrderMap.get(rowId)
      if (k === undefined) this.orderOverride.delete(rowId)
      else this.orderOverride.set(rowId, k)
      if (splice && this.isVisible(rowId)) this.insertOrdered(rowId)
    }
    if (!splice) this.updateOrdered([...rowIds])
  }

  private setOverlay(key: string, ov: Overlay | undefined): void {
    const parts = splitCellKey(key)
    if (parts) this.setOverlayAt(parts[0], parts[1], ov)
  }

  /**
   * @internal Write-through of one cell's overlay entry (`SheetWriter.setOverlay`, and the cells
   * event): the entry as written, without reading it back from the Y.Map or re-splitting its key.
   */
  setOverlayAt(rowId: string, colId: string, ov: Overlay | undefined): void {
    if (this.lastRow?.id === rowId) this.lastRow = null
    if (ov === undefined) {
      const m = this.overlay.get(rowId)
      m?.delete(colId)
      if (m && m.size === 0) this.overlay.delete(rowId)
      return
    }
    let m = this.overlay.get(rowId)
    if (!m) {
      m = new Map()
      this.overlay.set(rowId, m)
    }
    m.set(colId, Array.isArray(ov) ? (ov[0] ?? null) : null)
  }

  batchColumns(batchId: string): readonly string[] {
    if (batchId === '') return []
    let cols = this.batchCache.get(batchId)
    if (!cols) {
      cols = this.batchesMap.get(batchId) ?? []
      this.batchCache.set(batchId, cols)
    }
    return cols
  }

  orderKey(rowId: string): string | undefined {
    return this.orderOverride.get(rowId) ?? this.record(rowId)?.[1]
  }

  isVisible(rowId: string): boolean {
    return this.record(rowId) !== undefined && !this.deleted.has(rowId)
  }

  /** Visible row ids in order. The returned array is live: copy before mutating the doc. */
  orderedIds(): readonly string[] {
    if (!this.ordered) {
      // Hot path of opening a big sheet: read keys straight from the records, no per-id lookups
      // unless there are moves or deletions at all.
      const ids: string[] = []
      const keys: string[] = []
      const overrides = this.orderOverride.size > 0 ? this.orderOverride : null
      const deleted = this.deleted.size > 0 ? this.deleted : null
      const add = (rec: RowRecord) => {
        const id = rec[0]
        if (deleted?.has(id)) return
        ids.push(id)
        keys.push(overrides?.get(id) ?? rec[1])
      }
      // Without indexing records kept lazily: those indexed so far, then the rest of the list.
      for (const rec of this.byId.values()) add(rec)
      const lazy = this.lazy
      if (lazy) for (let i = lazy.at; i < lazy.list.length; i++) add(lazy.list[i]!)
      this.ordered = sortByKeys(ids, keys)
    }
    return this.ordered
  }

  /** Sorts ids by (order key, id); skips the sort when they already are (bulk inserts are). */
  private sortIds(ids: string[]): string[] {
    return sortByKeys(
      ids,
      ids.map((id) => this.orderKey(id)!),
    )
  }

  indexOf(rowId: string): number {
    const ids = this.orderedIds()
    const key = this.orderKey(rowId)
    if (key === undefined) return -1
    // Binary search by (key, id); ids are unique so the match is exact.
    let lo = 0
    let hi = ids.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const midId = ids[mid]!
      const c = compareKeyed(this.orderKey(midId)!, midId, key, rowId)
      if (c === 0) return mid
      if (c < 0) lo = mid + 1
      else hi = mid - 1
    }
    return -1
  }

  private insertOrdered(rowId: string): void {
    const ids = this.ordered
    if (!ids) return
    const key = this.orderKey(rowId)!
    let lo = 0
    let hi = ids.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      const midId = ids[mid]!
      if (compareKeyed(this.orderKey(midId)!, midId, key, rowId) < 0) lo = mid + 1
      else hi = mid
    }
    ids.splice(lo, 0, rowId)
  }

  private removeOrdered(rowId: string): void {
    const ids = this.ordered
    if (!ids) return
    // Binary search by the key the index holds for the row; when that key no longer places it
    // (its record was purged, or the key changed underneath), search by identity.
    let i = -1
    const key = this.orderKey(rowId)
    if (key !== undefined) {
      let lo = 0
      let hi = ids.length - 1
      while (lo <= hi) {
        const mid = (lo + hi) >> 1
        const midId = ids[mid]!
        const midKey = this.orderKey(midId)
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

  /** Reads one cell: the overlay wins over the record's value; undefined when empty. */
  cell(rowId: string, colId: string): CellValue | undefined {
    let row = this.lastRow
    if (row === null || row.id !== rowId) {
      const rec = this.record(rowId)
      row = {
        id: rowId,
        rec,
        cols: rec ? this.batchColumns(rec[2]) : [],
        ov: this.overlay.get(rowId),
      }
      this.lastRow = row
    }
    const ov = row.ov
    if (ov?.has(colId)) return ov.get(colId)
    const rec = row.rec
    if (!rec) return undefined
    const i = row.cols.indexOf(colId)
    return i >= 0 ? rec[3 + i] : undefined
  }

  /** All non-empty cells of a row, restricted to `liveColumns` when given. */
  rowCells(rowId: string, liveColumns?: ReadonlySet<string>): Record<string, CellValue> {
    const out: Record<string, CellValue> = {}
    const rec = this.record(rowId)
    if (!rec) return out
    const cols = this.batchColumns(rec[2])
    for (let i = 0; i < cols.length; i++) {
      const v = rec[3 + i]
      const c = cols[i]!
      if (v !== null && v !== undefined && (!liveColumns || liveColumns.has(c))) out[c] = v
    }
    const ov = this.overlay.get(rowId)
    if (ov) {
      for (const [c, v] of ov) {
        if (liveColumns && !liveColumns.has(c)) continue
        if (v === null || v === undefined) delete out[c]
        else out[c] = v
      }
    }
    return out
  }

  /**
   * Brings the view up to date with one transaction's events on this sheet and records what
   * changed into `change`. `path` is the event's path below the sheet map.
   */
  applyEvent(event: Y.YEvent<Y.AbstractType<unknown>>, field: string, change: SheetChange): void {
    switch (field) {
      case SHEET_ROWS:
        this.applyRowsEvent(event as Y.YArrayEvent<RowRecord>, change)
        return
      case SHEET_CELLS: {
        // Hot for big writes (a 10,000-cell clear): the map read once, each key split once.
        const cells = this.cellsMap
        for (const key of (event as Y.YMapEvent<Overlay>).keysChanged) {
          const parts = splitCellKey(key)
          if (!parts) continue
          this.setOverlayAt(parts[0], parts[1], cells.get(key))
          let set = change.cells.get(parts[0])
          if (!set) {
            set = new Set()
            change.cells.set(parts[0], set)
          }
          set.add(parts[1])
        }
        return
      }
      case SHEET_ROW_ORDER: {
        const keys = [...(event as Y.YMapEvent<string>).keysChanged]
        this.noteOrder(keys)
        for (const rowId of keys) if (this.records.has(rowId)) change.moved.add(rowId)
        change.order = true
        return
      }
      case SHEET_DELETIONS: {
        const { added, deleted } = arrayChanges(event.target, event.transaction)
        // Per row: tombstones this transaction added minus those it removed. A row deleted on two
        // replicas at once gets two tombstones; the second changes nothing anyone sees, so it
        // must not be reported removed again (a grid would be told to remove a row it no longer
        // has). Counted from the transaction, not from `deleted` before this handler: a local
        // delete has already written through.
        const delta = new Map<string, number>()
        for (const item of added) {
          for (const t of item.content.getContent() as Tombstone[])
            delta.set(t[0], (delta.get(t[0]) ?? 0) + 1)
        }
        for (const item of deleted) {
          for (const t of item.content.getContent() as Tombstone[])
            delta.set(t[0], (delta.get(t[0]) ?? 0) - 1)
        }
        this.noteDeletions(delta.keys())
        for (const [id, d] of delta) {
          if (!this.records.has(id)) continue
          const now = this.deleted.get(id) ?? 0
          if (now > 0 === now - d > 0) continue // no visibility flip
          if (now > 0) {
            change.removed.add(id)
            change.added.delete(id)
          } else {
            change.added.add(id)
            change.removed.delete(id)
          }
        }
        if (delta.size > 0) change.order = true
        return
      }
      case SHEET_BATCHES:
        // Entries are written once, with or after the records that use them. One appearing
        // publishes a staged batch; one removed (undo) hides its records again.
        this.lastRow = null
        for (const key of (event as Y.YMapEvent<string[]>).keysChanged) {
          this.batchCache.delete(key)
          if (this.batchesMap.has(key)) this.revealBatch(key, change)
          else this.hideBatch(key, change)
        }
        return
      default:
        return
    }
  }

  /**
   * Re-places `flips` (rows whose visibility or key changed) in the ordered list: one by one for a
   * few, else by filtering them out and merging the visible ones back in, O(n + m log m).
   */
  private updateOrdered(flips: string[]): void {
    const ordered = this.ordered
    if (!ordered) return
    if (flips.length <= RESORT_THRESHOLD) {
      for (const id of flips) {
        this.removeOrdered(id)
        if (this.isVisible(id)) this.insertOrdered(id)
      }
      return
    }
    const flipSet = new Set(flips)
    const kept = ordered.filter((id) => !flipSet.has(id))
    const added = this.sortIds([...flipSet].filter((id) => this.isVisible(id)))
    const last = kept[kept.length - 1]
    const firstAdded = added[0]
    if (
      last === undefined ||
      firstAdded === undefined ||
      compareKeyed(this.orderKey(last)!, last, this.orderKey(firstAdded)!, firstAdded) < 0
    ) {
      // Appending (the usual bulk insert): no merge needed.
      for (const id of added) kept.push(id)
      this.ordered = kept
      return
    }
    const merged: string[] = new Array(kept.length + added.length)
    let i = 0
    let j = 0
    let k = 0
    while (i < kept.length && j < added.length) {
      const a = kept[i]!
      const b = added[j]!
      if (compareKeyed(this.orderKey(a)!, a, this.orderKey(b)!, b) <= 0) merged[k++] = kept[i++]!
      else merged[k++] = added[j++]!
    }
    while (i < kept.length) merged[k++] = kept[i++]!
    while (j < added.length) merged[k++] = added[j++]!
    this.ordered = merged
  }

  private applyRowsEvent(event: Y.YArrayEvent<RowRecord>, change: SheetChange): void {
    const { added, deleted } = arrayChanges(event.target, event.transaction)
    const inserted: RowRecord[] = []
    for (const item of added) for (const rec of item.content.getContent()) inserted.push(rec)
    // Purges (hard deletes: an undone insert): drop the records these items held. A row id can
    // live on in another item (a redo re-inserts the same record objects), so only the record
    // object the map holds is dropped, and inserts of this transaction are applied after.
    const purged: string[] = []
    for (const item of deleted) {
      for (const rec of item.content.getContent() as RowRecord[]) {
        if (this.records.get(rec[0]) !== rec) {
          this.unstage(rec)
          continue
        }
        this.records.delete(rec[0])
        purged.push(rec[0])
        if (!this.deleted.has(rec[0])) change.removed.add(rec[0])
        change.added.delete(rec[0])
      }
    }
    if (purged.length > 0) this.updateOrdered(purged)
    // Records of an unpublished batch wait, invisible, for their `batches` entry.
    const published = this.publishedCheck()
    const shown = inserted.filter((rec) => {
      if (published(rec[2])) return true
      this.stage(rec)
      return false
    })
    // Local inserts were written through already (the same record objects): skip them.
    const fresh = shown.filter((rec) => this.records.get(rec[0]) !== rec)
    if (fresh.length > 0) this.noteRecords(fresh)
    for (const rec of shown) if (!this.deleted.has(rec[0])) change.added.add(rec[0])
    if (shown.length > 0 || purged.length > 0) change.order = true
  }

  // ---- staged batches (a big import written in slices, then published at once) ---------------

  /** Whether a batch's records are shown: no batch, or one with a `batches` entry (memoised per call site). */
  private publishedCheck(): (batchId: string) => boolean {
    let last: string | null = null
    let lastOk = true
    return (batchId) => {
      if (batchId === '') return true
      if (batchId !== last) {
        last = batchId
        lastOk = this.batchesMap.has(batchId)
      }
      return lastOk
    }
  }

  private stage(rec: RowRecord): void {
    let m = this.staged.get(rec[2])
    if (!m) {
      m = new Map()
      this.staged.set(rec[2], m)
    }
    m.set(rec[0], rec)
  }

  private unstage(rec: RowRecord): void {
    const m = this.staged.get(rec[2])
    if (m?.get(rec[0]) !== rec) return
    m.delete(rec[0])
    if (m.size === 0) this.staged.delete(rec[2])
  }

  /** A batch's entry appeared (a publish, or the redo of one): its staged records become rows. */
  private revealBatch(batchId: string, change: SheetChange): void {
    const m = this.staged.get(batchId)
    if (!m) return
    this.staged.delete(batchId)
    // One pass (100,000 rows on a big import's publish): no per-row lookups that can't hit.
    const recs: RowRecord[] = new Array(m.size)
    const deleted = this.deleted.size > 0 ? this.deleted : null
    const removed = change.removed.size > 0 ? change.removed : null
    const added = change.added
    let i = 0
    for (const rec of m.values()) {
      recs[i++] = rec
      const id = rec[0]
      if (deleted?.has(id)) continue
      added.add(id)
      removed?.delete(id)
    }
    this.noteRecords(recs)
    change.order = true
  }

  /** A batch's entry went away (the undo of a publish or of an insert): its rows are hidden again. */
  private hideBatch(batchId: string, change: SheetChange): void {
    const hidden: string[] = []
    for (const rec of this.records.values()) if (rec[2] === batchId) hidden.push(rec[0])
    if (hidden.length === 0) return
    for (const id of hidden) {
      this.stage(this.records.get(id)!)
      this.records.delete(id)
      if (!this.deleted.has(id)) change.removed.add(id)
      change.added.delete(id)
    }
    this.updateOrdered(hidden)
    change.order = true
  }
}

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

function sortByKeys(ids: string[], keys: string[]): string[] {
  let sorted = true
  for (let i = 1; i < ids.length && sorted; i++) {
    if (compareKeyed(keys[i - 1]!, ids[i - 1]!, keys[i]!, ids[i]!) > 0) sorted = false
  }
  if (sorted) return ids
  const idx = ids.map((_, i) => i)
  idx.sort((a, b) => compareKeyed(keys[a]!, ids[a]!, keys[b]!, ids[b]!))
  return idx.map((i) => ids[i]!)
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
