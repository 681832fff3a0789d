import { assert } from './assert.js'
import { BATCH_ID_LENGTH, ROW_ID_LENGTH } from './ids.js'
import { keysBetween } from './order.js'
import { type RowArrays, type RowSource, rowSource, usedColumns } from './rowSource.js'
import type { SheetWriter } from './sheetWriter.js'
import type { RowRecord } from './types.js'

/**
 * A bulk insert written in slices before it is shown (`Sheet.beginStagedInsert`): its records carry
 * a batch id that has no `batches` entry until `publishStaged`.
 */
export interface StagedInsert {
  readonly batchId: string
  readonly total: number
  /** Rows written so far. */
  written: number
  /** Ids of the rows written so far, in order. */
  readonly rowIds: string[]
  /** @internal */ readonly keys: readonly string[]
  /** @internal Target positions that carry a value in some row. */
  readonly used: readonly number[]
}

/** Fixes a staged insert's order keys (between `prev` and `next`), batch id and used columns. */
export function planStagedInsert(
  rows: RowArrays | RowSource,
  width: number,
  [prev, next]: [string | null, string | null],
  newId: (length: number) => string,
): StagedInsert {
  const src = rowSource(rows)
  return {
    batchId: newId(BATCH_ID_LENGTH),
    total: src.length,
    written: 0,
    rowIds: [],
    keys: keysBetween(prev, next, src.length),
    used: usedColumns(src, width),
  }
}

/** Writes the next `count` rows of a staged insert (the caller's transaction). Returns how many. */
export function writeStagedSlice(
  writer: SheetWriter,
  staged: StagedInsert,
  rows: RowArrays | RowSource,
  count: number,
  newId: (length: number) => string,
): number {
  const src = rowSource(rows)
  const from = staged.written
  const to = Math.min(staged.total, from + Math.max(1, count))
  if (to <= from) return 0
  const records: RowRecord[] = new Array(to - from)
  for (let i = from; i < to; i++) {
    const id = newId(ROW_ID_LENGTH)
    staged.rowIds.push(id)
    const rec: RowRecord = [id, staged.keys[i]!, staged.batchId]
    for (const c of staged.used) rec.push(src.value(i, c) ?? null)
    records[i - from] = rec
  }
  writer.appendStagedRecords(records)
  staged.written = to
  return to - from
}

/** Publishes a fully written staged insert: its `batches` entry makes every row visible at once. */
export function publishStagedInsert(
  writer: SheetWriter,
  staged: StagedInsert,
  colIds: readonly string[],
): string[] {
  assert(staged.written === staged.total, 'a staged insert is published once fully written')
  writer.setBatch(
    staged.batchId,
    staged.used.map((c) => colIds[c]!),
  )
  return staged.rowIds
}
