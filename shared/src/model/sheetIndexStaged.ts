/**
 * Staged batches: a big import is written in slices whose records stay hidden until the batch's
 * `batches` entry appears (its publish); undoing the publish hides them again. This holds which
 * records wait, by batch. Part of `SheetIndex` (sheetIndex.ts), which reveals and hides them.
 */
import type * as Y from 'yjs'
import type { RowRecord } from './types.js'

/**
 * Records whose batch has no `batches` entry: a staged import not yet published (or one whose
 * publish was undone), by batch id. No view shows them; the entry appearing reveals them.
 */
export class StagedRows {
  private readonly byBatch = new Map<string, Map<string, RowRecord>>()

  clear(): void {
    this.byBatch.clear()
  }

  add(rec: RowRecord): void {
    let m = this.byBatch.get(rec[2])
    if (!m) {
      m = new Map()
      this.byBatch.set(rec[2], m)
    }
    m.set(rec[0], rec)
  }

  /** Drops a staged record (a purge): only this record object, not another with its id. */
  remove(rec: RowRecord): void {
    const m = this.byBatch.get(rec[2])
    if (m?.get(rec[0]) !== rec) return
    m.delete(rec[0])
    if (m.size === 0) this.byBatch.delete(rec[2])
  }

  /** Removes and returns a batch's staged records (its publish), by row id. */
  take(batchId: string): Map<string, RowRecord> | undefined {
    const m = this.byBatch.get(batchId)
    if (m) this.byBatch.delete(batchId)
    return m
  }
}

/** Whether a batch's records are shown: no batch, or one with a `batches` entry (memoised per call site). */
export function publishedCheck(batches: Y.Map<string[]>): (batchId: string) => boolean {
  let last: string | null = null
  let lastOk = true
  return (batchId) => {
    if (batchId === '') return true
    if (batchId !== last) {
      last = batchId
      lastOk = batches.has(batchId)
    }
    return lastOk
  }
}
