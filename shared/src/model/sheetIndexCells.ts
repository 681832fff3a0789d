/**
 * A sheet's cells as read: the overlay (cells edited after their row was written) over the values of
 * the row records, placed by their batch's columns, and the one-row cache `cell` reads through.
 * Part of `SheetIndex` (sheetIndex.ts), which tells it when records, batches or the overlay change.
 */
import type * as Y from 'yjs'
import type { CellValue } from '../schema/columnTypes.js'
import { SHEET_BATCHES, splitCellKey } from './keys.js'
import type { RowRecords } from './sheetIndexRecords.js'
import type { Overlay, RowRecord } from './types.js'

/** The cells of one sheet's shown rows. */
export class SheetCells {
  /** Overlay values by row id, then column id. */
  readonly overlay = new Map<string, Map<string, CellValue>>()
  private readonly batchCache = new Map<string, readonly string[]>()
  /**
   * The row `cell` read last: its record, batch columns and overlay. A summary or a computed
   * column reads several cells of one row in a row, and each read looked the row up in maps of
   * 100,000 entries (the largest cost of a summary's cold start). Dropped on every change to
   * records or batches (`SheetIndex` calls `forgetRow`, `reset`) and to that row's overlay.
   */
  private lastRow: {
    id: string
    rec: RowRecord | undefined
    cols: readonly string[]
    ov: Map<string, CellValue> | undefined
  } | null = null

  constructor(
    private readonly recs: RowRecords,
    private readonly sheet: Y.Map<unknown>,
  ) {}

  /** Drops the cached row: the records changed. */
  forgetRow(): void {
    this.lastRow = null
  }

  /** Drops what is cached of a batch (its entry was written or removed). */
  forgetBatch(batchId: string): void {
    this.batchCache.delete(batchId)
  }

  /** Re-reads every overlay entry (a rebuild) and forgets every cached batch. */
  reset(entries: Iterable<[string, Overlay]>): void {
    this.lastRow = null
    this.overlay.clear()
    for (const [key, ov] of entries) this.setOverlay(key, ov)
    this.batchCache.clear()
  }

  /** One overlay entry by cell key. */
  setOverlay(key: string, ov: Overlay | undefined): void {
    const parts = splitCellKey(key)
    if (parts) this.setOverlayAt(parts[0], parts[1], ov)
  }

  /**
   * One cell's overlay entry as written (`SheetIndex.setOverlayAt` for `SheetWriter`, and the cells
   * event), without reading it back from the Y.Map or re-splitting its key.
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
      cols = (this.sheet.get(SHEET_BATCHES) as Y.Map<string[]>).get(batchId) ?? []
      this.batchCache.set(batchId, cols)
    }
    return cols
  }

  /** Reads one cell: the overlay wins over the record's value; undefined when empty. */
  cell(rowId: string, colId: string): CellValue | undefined {
    let row = this.lastRow
    if (row === null || row.id !== rowId) {
      const rec = this.recs.get(rowId)
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
    const rec = this.recs.get(rowId)
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
}
