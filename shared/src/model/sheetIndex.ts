import type * as Y from 'yjs'
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
import { SheetCells } from './sheetIndexCells.js'
import { arrayChanges, tombstoneDelta } from './sheetIndexEvents.js'
import { RESORT_THRESHOLD, RowOrder, sortByKeys } from './sheetIndexOrder.js'
import { RowRecords } from './sheetIndexRecords.js'
import { publishedCheck, StagedRows } from './sheetIndexStaged.js'
import type { Overlay, RowRecord, SheetChange, Tombstone } from './types.js'

// The index's other parts, re-exported where their users import them from.
export { arrayChanges, emptySheetChange } from './sheetIndexEvents.js'

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
 * so this is hand-written; it is the only place that composes them. Its parts, each in its own
 * module: the records (sheetIndexRecords.ts), the cells as read (sheetIndexCells.ts), the visible
 * order (sheetIndexOrder.ts), staged batches (sheetIndexStaged.ts) and reading a transaction's
 * changes (sheetIndexEvents.ts); this class holds the tombstones and order overrides, applies the
 * write-throughs and events, and is all its users see (`ReadonlySheetIndex`).
 */
export class SheetIndex implements ReadonlySheetIndex {
  /** Records by row id, indexed lazily after a rebuild (sheetIndexRecords.ts). */
  private readonly recs = new RowRecords()
  /** Cells as read: overlay over records (sheetIndexCells.ts). */
  private readonly cells: SheetCells
  /** Overlay values by row id, then column id. */
  readonly overlay: Map<string, Map<string, CellValue>>
  readonly orderOverride = new Map<string, string>()
  readonly deleted = new Map<string, number>()
  /** Records of batches not yet published (sheetIndexStaged.ts). */
  private readonly staged = new StagedRows()
  /** Visible row ids in order (sheetIndexOrder.ts). */
  private readonly order = new RowOrder(this)

  constructor(readonly sheet: Y.Map<unknown>) {
    this.cells = new SheetCells(this.recs, sheet)
    this.overlay = this.cells.overlay
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
    this.cells.forgetRow()
    return this.recs.all()
  }

  /** One row's record: indexes lazily kept records only up to it. */
  record(rowId: string): RowRecord | undefined {
    return this.recs.get(rowId)
  }

  /** Re-reads everything from the Y types (a sheet created or replaced in this transaction). */
  rebuildAll(): void {
    this.cells.forgetRow()
    this.staged.clear()
    const published = publishedCheck(this.batchesMap)
    const all = this.rowsArray.toArray()
    let shown = all
    if (!all.every((rec) => published(rec[2]))) {
      shown = []
      for (const rec of all) {
        if (published(rec[2])) shown.push(rec)
        else this.staged.add(rec)
      }
    }
    this.recs.reset(shown)
    this.cells.reset(this.cellsMap.entries())
    this.orderOverride.clear()
    for (const [rowId, k] of this.rowOrderMap.entries()) this.orderOverride.set(rowId, k)
    this.rebuildDeleted()
    this.order.ids = null
  }

  private rebuildDeleted(): void {
    this.deleted.clear()
    for (const t of this.deletionsArray.toArray()) {
      this.deleted.set(t[0], (this.deleted.get(t[0]) ?? 0) + 1)
    }
  }

  /** @internal Write-through after a local overlay write, so later writes in the same transaction see it. */
  noteOverlay(key: string): void {
    this.cells.setOverlay(key, this.cellsMap.get(key))
  }

  /** @internal Write-through after tombstones of `rowIds` were added or removed. */
  noteDeletions(rowIds: Iterable<string>): void {
    this.rebuildDeleted()
    this.order.update([...rowIds])
  }

  /** @internal Write-through after new row records were pushed. */
  noteRecords(recs: readonly RowRecord[]): void {
    for (const rec of recs) this.records.set(rec[0], rec)
    const ordered = this.order.ids
    if (!ordered) return
    if (recs.length > RESORT_THRESHOLD && this.appendsInOrder(ordered, recs)) {
      // The usual bulk insert (import, paste at the end): new rows, ascending keys, after the
      // last row. Appending them costs nothing per row beyond the push.
      for (const rec of recs) ordered.push(rec[0])
      return
    }
    this.order.update(recs.map((r) => r[0]))
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
      if (splice) this.order.remove(rowId)
      const k = this.rowOrderMap.get(rowId)
      if (k === undefined) this.orderOverride.delete(rowId)
      else this.orderOverride.set(rowId, k)
      if (splice && this.isVisible(rowId)) this.order.insert(rowId)
    }
    if (!splice) this.order.update([...rowIds])
  }

  /**
   * @internal Write-through of one cell's overlay entry (`SheetWriter.setOverlay`, and the cells
   * event): the entry as written, without reading it back from the Y.Map or re-splitting its key.
   */
  setOverlayAt(rowId: string, colId: string, ov: Overlay | undefined): void {
    this.cells.setOverlayAt(rowId, colId, ov)
  }

  batchColumns(batchId: string): readonly string[] {
    return this.cells.batchColumns(batchId)
  }

  orderKey(rowId: string): string | undefined {
    return this.orderOverride.get(rowId) ?? this.record(rowId)?.[1]
  }

  isVisible(rowId: string): boolean {
    return this.record(rowId) !== undefined && !this.deleted.has(rowId)
  }

  /** Visible row ids in order. The returned array is live: copy before mutating the doc. */
  orderedIds(): readonly string[] {
    let ordered = this.order.ids
    if (!ordered) {
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
      this.recs.forEach(add)
      ordered = sortByKeys(ids, keys)
      this.order.ids = ordered
    }
    return ordered
  }

  indexOf(rowId: string): number {
    return this.order.indexOf(this.orderedIds(), rowId)
  }

  /** Reads one cell: the overlay wins over the record's value; undefined when empty. */
  cell(rowId: string, colId: string): CellValue | undefined {
    return this.cells.cell(rowId, colId)
  }

  /** All non-empty cells of a row, restricted to `liveColumns` when given. */
  rowCells(rowId: string, liveColumns?: ReadonlySet<string>): Record<string, CellValue> {
    return this.cells.rowCells(rowId, liveColumns)
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
          this.cells.setOverlayAt(parts[0], parts[1], cells.get(key))
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
        const delta = tombstoneDelta(event)
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
        this.cells.forgetRow()
        for (const key of (event as Y.YMapEvent<string[]>).keysChanged) {
          this.cells.forgetBatch(key)
          if (this.batchesMap.has(key)) this.revealBatch(key, change)
          else this.hideBatch(key, change)
        }
        return
      default:
        return
    }
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
          this.staged.remove(rec)
          continue
        }
        this.records.delete(rec[0])
        purged.push(rec[0])
        if (!this.deleted.has(rec[0])) change.removed.add(rec[0])
        change.added.delete(rec[0])
      }
    }
    if (purged.length > 0) this.order.update(purged)
    // Records of an unpublished batch wait, invisible, for their `batches` entry.
    const published = publishedCheck(this.batchesMap)
    const shown = inserted.filter((rec) => {
      if (published(rec[2])) return true
      this.staged.add(rec)
      return false
    })
    // Local inserts were written through already (the same record objects): skip them.
    const fresh = shown.filter((rec) => this.records.get(rec[0]) !== rec)
    if (fresh.length > 0) this.noteRecords(fresh)
    for (const rec of shown) if (!this.deleted.has(rec[0])) change.added.add(rec[0])
    if (shown.length > 0 || purged.length > 0) change.order = true
  }

  // ---- staged batches (a big import written in slices, then published at once) ---------------

  /** A batch's entry appeared (a publish, or the redo of one): its staged records become rows. */
  private revealBatch(batchId: string, change: SheetChange): void {
    const m = this.staged.take(batchId)
    if (!m) return
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
      this.staged.add(this.records.get(id)!)
      this.records.delete(id)
      if (!this.deleted.has(id)) change.removed.add(id)
      change.added.delete(id)
    }
    this.order.update(hidden)
    change.order = true
  }
}
