/**
 * A sheet's row records by row id, indexed lazily after a rebuild: opening a big sheet lists its
 * records at once but indexes their ids only as lookups need them. Part of `SheetIndex` (sheetIndex.ts).
 */
import type { RowRecord } from './types.js'

/** From this many records on, a full rebuild indexes them by id lazily (`get`). */
const LAZY_RECORDS_MIN = 2048

/** The shown (published) row records of one sheet, by row id. */
export class RowRecords {
  /** Records by row id; `all` completes it first when a rebuild left it partial. */
  private readonly byId = new Map<string, RowRecord>()
  /**
   * After a full rebuild of a big sheet (opening it), the shown records not yet in `byId`:
   * `lazy.list[lazy.at..]`. Indexing 100,000 ids took ~100 ms of the open while the first
   * screen needs ~100, so lookups index only as far as they must (`get`), any change to the
   * index completes it first (`all`), and the rest is indexed as rows are read.
   */
  private lazy: { list: readonly RowRecord[]; at: number } | null = null

  /** Records by row id (complete: indexes any records a rebuild left for later). */
  all(): Map<string, RowRecord> {
    const lazy = this.lazy
    if (lazy) {
      this.lazy = null
      const { list } = lazy
      for (let i = lazy.at; i < list.length; i++) this.byId.set(list[i]![0], list[i]!)
    }
    return this.byId
  }

  /** One row's record: indexes lazily kept records only up to it (see `lazy`). */
  get(rowId: string): RowRecord | undefined {
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

  /** Replaces every record with `shown` (a rebuild); from `LAZY_RECORDS_MIN` on, indexed lazily. */
  reset(shown: readonly RowRecord[]): void {
    this.lazy = null
    this.byId.clear()
    if (shown.length >= LAZY_RECORDS_MIN) this.lazy = { list: shown, at: 0 }
    else for (const rec of shown) this.byId.set(rec[0], rec)
  }

  /** Every record without indexing those kept lazily: those indexed so far, then the rest of the list. */
  forEach(fn: (rec: RowRecord) => void): void {
    for (const rec of this.byId.values()) fn(rec)
    const lazy = this.lazy
    if (lazy) for (let i = lazy.at; i < lazy.list.length; i++) fn(lazy.list[i]!)
  }
}
