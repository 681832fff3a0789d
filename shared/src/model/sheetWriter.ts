import type * as Y from 'yjs'
import type { SheetIndex } from './sheetIndex.js'
import type { LogRecord, Overlay, RowLogRecord, RowRecord, Tombstone } from './types.js'

/**
 * The one write path of a sheet: each method makes one kind of Yjs write and the matching
 * `SheetIndex` update in the same call, so no caller can write to the doc and forget the index
 * (automerge-repo's `applyMutation` pairs mutation and dispatch for the same reason). Call inside
 * a transaction; the transaction's events then find the index already up to date.
 */
export class SheetWriter {
  constructor(
    private readonly index: SheetIndex,
    private readonly log: () => Y.Array<LogRecord> | undefined,
    private readonly rowLog: () => Y.Array<RowLogRecord>,
  ) {}

  /** Writes one cell's overlay entry. */
  setOverlay(key: string, ov: Overlay): void {
    this.index.cellsMap.set(key, ov)
    this.index.noteOverlay(key)
  }

  /**
   * A writer of one cell's overlay entry for a loop over many cells (`setCells`): the Y.Map is
   * looked up once, and the index is told the entry as written (no read back, no key split).
   */
  overlayWriter(): (key: string, rowId: string, colId: string, ov: Overlay) => void {
    const cells = this.index.cellsMap
    const index = this.index
    return (key, rowId, colId, ov) => {
      cells.set(key, ov)
      index.setOverlayAt(rowId, colId, ov)
    }
  }

  /** Appends row records (visible: their batch entry exists or they carry no values). */
  appendRecords(records: RowRecord[]): void {
    this.index.rowsArray.insert(this.index.rowsArray.length, records)
    this.index.noteRecords(records)
  }

  /**
   * Appends records of an unpublished batch. No write-through: they are in no view until the
   * batch's entry appears, which the index learns of from that transaction's event.
   */
  appendStagedRecords(records: RowRecord[]): void {
    this.index.rowsArray.insert(this.index.rowsArray.length, records)
  }

  /**
   * Writes a batch's column list. The index reads batch entries lazily, and a staged batch's
   * records are revealed by the entry's event (one pass over them, at the transaction's end).
   */
  setBatch(batchId: string, colIds: string[]): void {
    this.index.batchesMap.set(batchId, colIds)
  }

  addTombstones(tombstones: Tombstone[]): void {
    const arr = this.index.deletionsArray
    arr.insert(arr.length, tombstones)
    this.index.noteDeletions(tombstones.map((t) => t[0]))
  }

  /** Removes every tombstone of these rows (whoever wrote it). */
  removeTombstones(rowIds: ReadonlySet<string>): void {
    const arr = this.index.deletionsArray
    const all = arr.toArray()
    // Delete from the end so earlier indices stay valid; runs of matches go in one call.
    for (let i = all.length - 1; i >= 0; ) {
      if (!rowIds.has(all[i]![0])) {
        i--
        continue
      }
      let j = i
      while (j - 1 >= 0 && rowIds.has(all[j - 1]![0])) j--
      arr.delete(j, i - j + 1)
      i = j - 1
    }
    this.index.noteDeletions(rowIds)
  }

  /** Sets rows' order keys (a move), `keys[i]` for `rowIds[i]`. */
  setOrder(rowIds: readonly string[], keys: readonly string[]): void {
    const orderMap = this.index.rowOrderMap
    rowIds.forEach((id, i) => {
      orderMap.set(id, keys[i]!)
    })
    this.index.noteOrder(rowIds)
  }

  /**
   * Appends entries to the sheet's edit log (outside the undo scope; the index does not read it).
   * Inserted at the length, not pushed: push walks the whole array from its start on every call,
   * while insert uses Yjs's search markers (the log grows by one item per call).
   */
  appendLog(entries: LogRecord[]): void {
    const log = this.log()
    if (log && entries.length > 0) log.insert(log.length, entries)
  }

  /** Appends one entry to the workbook's row log (outside the undo scope, like the edit log). */
  appendRowLog(rec: RowLogRecord): void {
    const log = this.rowLog()
    log.insert(log.length, [rec])
  }
}
