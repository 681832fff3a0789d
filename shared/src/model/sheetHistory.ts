import type * as Y from 'yjs'
import { buildCellHistory } from '../history/cellHistory.js'
import { type ConflictIndex, ConflictIndexBuild } from '../history/conflictIndex.js'
import { findConflicts } from '../history/conflicts.js'
import { readEditEntry } from '../history/log.js'
import { buildRowHistory } from '../history/rowHistory.js'
import { buildTrash, type TrashItem } from '../history/trash.js'
import type {
  CellHistoryItem,
  ColumnRemoval,
  Conflict,
  EditEntry,
  EditHow,
  RowEvent,
  RowRemoval,
} from '../history/types.js'
import { CONFLICT_RESTORE, CSV_IMPORT, FILL, PASTE, RESTORE_EDIT } from './origins.js'
import { arrayChanges, type ReadonlySheetIndex } from './sheetIndex.js'
import type { LogRecord, WorkbookContext } from './types.js'

/** How a write's transaction origin reads in the history (everything else: typed). */
export function editHowOf(origin: unknown): EditHow {
  if (origin === PASTE) return 'paste'
  if (origin === CSV_IMPORT) return 'import'
  if (origin === FILL) return 'fill'
  if (origin === RESTORE_EDIT) return 'restore'
  if (origin === CONFLICT_RESTORE) return 'conflict-restore'
  return 'typed'
}

/** What the history reads from its sheet. */
export interface SheetHistorySource {
  readonly id: string
  readonly index: ReadonlySheetIndex
  deletedRowRemovals(): Map<string, RowRemoval>
  deletedColumnRemovals(): Map<string, ColumnRemoval>
}

/**
 * A sheet's history, conflicts and trash, computed on the device from the doc (so they work
 * offline) by the pure functions of shared/src/history/.
 */
export class SheetHistory {
  constructor(
    private readonly sheet: SheetHistorySource,
    private readonly ctx: WorkbookContext,
  ) {}

  /** Every entry of the sheet's edit log, in log order. */
  log(): EditEntry[] {
    const log = this.ctx.history(this.sheet.id)
    return log ? log.toArray().map(readEditEntry) : []
  }

  /**
   * The last cell read and its records, kept while the log's length is unchanged (the log only
   * ever grows, so an equal length means equal contents): a panel re-reading its cell on every
   * change scans the log only when the log grew.
   */
  private lastCell: { rowId: string; colId: string; length: number; recs: LogRecord[] } | null =
    null

  /**
   * One cell's log entries, in log order: one pass over the log's Yjs items and their record
   * arrays (no copy of the whole log, no object per record that is not this cell's).
   */
  private cellEntries(rowId: string, colId: string): EditEntry[] {
    const log = this.ctx.history(this.sheet.id)
    if (!log) return []
    const last = this.lastCell
    if (last && last.rowId === rowId && last.colId === colId && last.length === log.length)
      return last.recs.map(readEditEntry)
    const recs: LogRecord[] = []
    for (let item = log._start; item !== null; item = item.right) {
      if (item.deleted || !item.countable) continue
      const arr = item.content.getContent() as LogRecord[]
      for (let i = 0; i < arr.length; i++) {
        const rec = arr[i]!
        if (rec[0] === rowId && rec[1] === colId) recs.push(rec)
      }
    }
    this.lastCell = { rowId, colId, length: log.length, recs }
    return recs.map(readEditEntry)
  }

  /** Every recorded write to one cell, oldest first by time. */
  cellEdits(rowId: string, colId: string): EditEntry[] {
    return this.cellEntries(rowId, colId).sort(
      (a, b) => a.at - b.at || (a.editId < b.editId ? -1 : 1),
    )
  }

  /** Every value the cell has had, newest first, with how it got there; losing writes marked. */
  cell(rowId: string, colId: string): CellHistoryItem[] {
    const entries = this.cellEntries(rowId, colId)
    const lost = new Set(this.conflictsIn(entries).map((c) => c.lost.editId))
    const idx = this.sheet.index
    const rec = idx.record(rowId)
    let inserted: CellHistoryItem['value'] | undefined
    if (rec) {
      const i = idx.batchColumns(rec[2]).indexOf(colId)
      if (i >= 0) inserted = rec[3 + i]
    }
    const insertEvent = this.row(rowId).find((e) => e.kind === 'insert')
    return buildCellHistory(entries, {
      inserted,
      insertEvent,
      currentEditId: idx.overlayEntry(rowId, colId)?.[1],
      lost,
    })
  }

  /** A row's inserts, moves, deletes and restores, newest first. */
  row(rowId: string): RowEvent[] {
    const batchId = this.sheet.index.record(rowId)?.[2] ?? ''
    return buildRowHistory(this.ctx.rowLog().toArray(), this.sheet.id, rowId, batchId)
  }

  /** The log's entries by cell, kept up to date as the log grows (see `ConflictIndex`). */
  private index: ConflictIndex | null = null
  /** The index's first build while it is not finished (conflict-perf: built in slices). */
  private build: ConflictIndexBuild | null = null

  /**
   * Starts the index: a snapshot of the log to read (in one go or in slices), and an observer that
   * adds each later transaction's new log records (from its new structs: O(change), as
   * `SheetIndex` does) at once, whether or not the snapshot has been read yet.
   */
  private startIndex(log: NonNullable<ReturnType<WorkbookContext['history']>>): void {
    const build = new ConflictIndexBuild(log.toArray())
    const ix = build.index
    // Lives as long as the doc: the sheet handle and this history are kept for the doc's life.
    log.observe((event) => {
      const { added } = arrayChanges(event.target, event.transaction)
      const fresh: EditEntry[] = []
      for (const item of added)
        for (const rec of item.content.getContent() as LogRecord[]) fresh.push(readEditEntry(rec))
      ix.add(fresh)
    })
    this.index = ix
    this.build = build.done ? null : build
  }

  /**
   * Builds the conflict index by up to `maxEntries` log entries more (a slice), so that a UI can
   * spread the first read of a long log over several tasks; true once `conflicts()` needs no
   * more building. `conflicts()` finishes a build in progress itself, with the same result.
   */
  buildConflictIndex(maxEntries: number): boolean {
    const log = this.ctx.history(this.sheet.id)
    if (!log) return true
    // The snapshot (the whole log as an array) is a slice of its own.
    if (!this.index) this.startIndex(log)
    else if (this.build?.step(maxEntries)) this.build = null
    return this.build === null
  }

  /**
   * Every losing write of the sheet (settled or not), sorted by the losing write (time, edit id,
   * kind). Incremental: the first call reads the whole log (unless `buildConflictIndex` already
   * has), then only each transaction's new log records.
   */
  conflicts(): Conflict[] {
    const log = this.ctx.history(this.sheet.id)
    if (!log) return []
    if (!this.index) this.startIndex(log)
    if (this.build) {
      this.build.step(Number.POSITIVE_INFINITY)
      this.build = null
    }
    if (!this.index) return []
    const deletedColumns = this.sheet.deletedColumnRemovals()
    let ids: Map<string, { client: number; clock: number }> | null = null
    return this.index.conflicts({
      winnerOf: (rowId, colId) => this.sheet.index.overlayEntry(rowId, colId)?.[1],
      deletedRows: this.sheet.deletedRowRemovals(),
      deletedColumns,
      logId: (editId) => {
        ids ??= this.logIds(new Set(deletedColumns.keys()))
        return ids.get(editId)
      },
    })
  }

  private conflictsIn(entries: readonly EditEntry[]): Conflict[] {
    const deletedColumns = this.sheet.deletedColumnRemovals()
    let ids: Map<string, { client: number; clock: number }> | null = null
    return findConflicts(entries, {
      winnerOf: (rowId, colId) => this.sheet.index.overlayEntry(rowId, colId)?.[1],
      deletedRows: this.sheet.deletedRowRemovals(),
      deletedColumns,
      logId: (editId) => {
        ids ??= this.logIds(new Set(deletedColumns.keys()))
        return ids.get(editId)
      },
    })
  }

  /**
   * The Yjs ids of the log records that edit these columns, by edit id: record i of an item has
   * the item's clock + i. Read from the log's items, as Yjs has no public way to ask an array
   * element's id.
   */
  private logIds(cols: ReadonlySet<string>): Map<string, { client: number; clock: number }> {
    const out = new Map<string, { client: number; clock: number }>()
    const log = this.ctx.history(this.sheet.id)
    for (let item = log?._start ?? null; item !== null; item = item.right) {
      if (item.deleted || !item.countable) continue
      const recs = item.content.getContent() as LogRecord[]
      for (let i = 0; i < recs.length; i++) {
        const r = recs[i]!
        if (cols.has(r[1])) out.set(r[5], { client: item.id.client, clock: item.id.clock + i })
      }
    }
    return out
  }

  /** Edit id → the Yjs id of its log record, once `logIdOf` has been asked (conflict-perf). */
  private ids: Map<string, { client: number; clock: number }> | null = null

  /**
   * The Yjs id (client, clock) of an edit's log record, as `logIds` (attest/editIds.ts) gives it:
   * built by one walk of the log when first asked, then kept up to date by a log observer
   * (O(change)), so a caller asking on every change (the grid's conflict tooltips name the author
   * the server vouches for) does not walk a 100,000-entry log each time.
   */
  logIdOf(editId: string): { client: number; clock: number } | undefined {
    if (!this.ids) {
      const log = this.ctx.history(this.sheet.id)
      if (!log) return undefined
      const ids = new Map<string, { client: number; clock: number }>()
      const take = (item: { content: { getContent(): unknown[] }; id: Y.ID }) => {
        const recs = item.content.getContent() as LogRecord[]
        for (let i = 0; i < recs.length; i++)
          ids.set(recs[i]![5], { client: item.id.client, clock: item.id.clock + i })
      }
      for (let item = log._start; item !== null; item = item.right)
        if (!item.deleted && item.countable) take(item)
      // Lives as long as the doc, as the conflict index's observer does.
      log.observe((event) => {
        for (const item of arrayChanges(event.target, event.transaction).added) take(item)
      })
      this.ids = ids
    }
    return this.ids.get(editId)
  }

  /** Deleted rows and columns, with who and when and the edits made to them while deleted. */
  trash(): { rows: TrashItem[]; columns: TrashItem[] } {
    return buildTrash(
      this.conflicts(),
      this.sheet.deletedRowRemovals(),
      this.sheet.deletedColumnRemovals(),
    )
  }
}
