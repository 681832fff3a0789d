import * as Y from 'yjs'
import { HOW_CODES, writeRowLogRecord } from '../history/log.js'
import type {
  ColumnRemoval,
  Conflict,
  EditEntry,
  Removal,
  RowEventKind,
  RowRemoval,
} from '../history/types.js'
import {
  type CellValue,
  type Column,
  type ColumnConstraints,
  type ColumnFormat,
  type ColumnInit,
  type ColumnType,
  DEFAULT_COLUMN_WIDTH,
  isColumnType,
} from '../schema/columnTypes.js'
import { assert } from './assert.js'
import { BATCH_ID_LENGTH, COLUMN_ID_LENGTH, EDIT_ID_LENGTH, ROW_ID_LENGTH } from './ids.js'
import {
  COL_CONSTRAINTS,
  COL_DELETED,
  COL_FORMAT,
  COL_NAME,
  COL_ORDER,
  COL_TYPE,
  COL_WIDTH,
  cellKey,
  SHEET_COLUMNS,
  SHEET_NAME,
} from './keys.js'
import { compareKeyed, FALLBACK_KEY, keyBetween, keysBetween } from './order.js'
import { CSV_STAGE, LOCAL_EDIT, type Origin, RESTORE_EDIT } from './origins.js'
import { type RowArrays, type RowSource, rowSource, usedColumns } from './rowSource.js'
import { editHowOf, SheetHistory } from './sheetHistory.js'
import { type ReadonlySheetIndex, SheetIndex } from './sheetIndex.js'
import { SheetWriter } from './sheetWriter.js'
import {
  planStagedInsert,
  publishStagedInsert,
  type StagedInsert,
  writeStagedSlice,
} from './stagedInsert.js'
import type {
  LogRecord,
  Overlay,
  RowRecord,
  RowView,
  SheetChange,
  Tombstone,
  WorkbookContext,
} from './types.js'

/** Where to put inserted or moved rows; neither given means "at the end". */
export interface RowPosition {
  before?: string | null
  after?: string | null
}

/** A single cell write for `setCells`. */
export interface CellEdit {
  row: string
  col: string
  value: CellValue
}

export type { Conflict, EditEntry } from '../history/types.js'
export type { RowSource } from './rowSource.js'
export type { StagedInsert } from './stagedInsert.js'

type ColumnPatch = Partial<{
  name: string
  type: ColumnType
  constraints: ColumnConstraints
  format: ColumnFormat
  width: number
}>

/**
 * A handle on one sheet. Reads come from a materialized index; writes go through Yjs in one
 * transaction each (joining the caller's `workbook.transact` when inside one).
 */
export class Sheet {
  /** The materialized view, read-only: every write goes through `writer`, never straight to Yjs. */
  readonly index: ReadonlySheetIndex
  private readonly store: SheetIndex
  private readonly writer: SheetWriter
  private historyView: SheetHistory | null = null
  private columnCache: Column[] | null = null
  /** The live column ids of `liveIdsFor` (the column list they were computed from). */
  private liveIdsCache: Set<string> | null = null
  private liveIdsFor: Column[] | null = null

  constructor(
    readonly id: string,
    /** @internal */ readonly map: Y.Map<unknown>,
    private readonly ctx: WorkbookContext,
  ) {
    this.store = new SheetIndex(map)
    this.index = this.store
    this.writer = new SheetWriter(this.store, () => ctx.history(id), ctx.rowLog)
  }

  /** @internal The workbook's observer: brings the index up to date with one event. */
  applyIndexEvent(
    event: Y.YEvent<Y.AbstractType<unknown>>,
    field: string,
    change: SheetChange,
  ): void {
    this.store.applyEvent(event, field, change)
  }

  /** @internal Re-reads the index from the doc (a sheet created by a non-API transaction). */
  rebuildIndex(): void {
    this.store.rebuildAll()
  }

  get name(): string {
    return String(this.map.get(SHEET_NAME) ?? '')
  }

  private get columnsMap(): Y.Map<Y.Map<unknown>> {
    return this.map.get(SHEET_COLUMNS) as Y.Map<Y.Map<unknown>>
  }

  /**
   * Runs `fn` in one transaction with `origin` (joining the caller's, whose origin then wins) and
   * gives it the transaction's origin, which the history records as how a value got in.
   */
  private write<T>(fn: (origin: unknown) => T, origin: Origin = LOCAL_EDIT): T {
    assert(!this.ctx.readOnly, 'this workbook is read-only')
    this.columnCache = null
    let out: T | undefined
    this.ctx.doc.transact((tr) => {
      out = fn(tr.origin)
    }, origin)
    return out as T
  }

  /** Appends one row-log entry (insert, move, delete or restore) for the current write. */
  private noteRows(
    kind: RowEventKind,
    origin: unknown,
    rowIds: string[],
    batchId = '',
    source = '',
  ): void {
    const how = editHowOf(origin)
    const by = this.ctx.author().name
    this.writer.appendRowLog(
      writeRowLogRecord(this.id, kind, rowIds, batchId, by, this.ctx.now(), how, source),
    )
  }

  /** @internal Called by the workbook when a column changed. */
  invalidateColumns(): void {
    this.columnCache = null
  }

  // ---- columns ---------------------------------------------------------------------------

  /** Live columns in display order. */
  columns(): Column[] {
    if (!this.columnCache) this.columnCache = this.readColumns(false)
    return this.columnCache
  }

  /** Columns in the trash (deleted, restorable), in display order. */
  deletedColumns(): Column[] {
    return this.readColumns(true)
  }

  private readColumns(deleted: boolean): Column[] {
    const out: Column[] = []
    this.columnsMap.forEach((m, id) => {
      if ((m.get(COL_DELETED) !== undefined) !== deleted) return
      const type = m.get(COL_TYPE)
      out.push({
        id,
        name: String(m.get(COL_NAME) ?? ''),
        type: isColumnType(type) ? type : 'text',
        constraints: (m.get(COL_CONSTRAINTS) as ColumnConstraints | undefined) ?? {},
        format: (m.get(COL_FORMAT) as ColumnFormat | undefined) ?? {},
        width: Number(m.get(COL_WIDTH) ?? DEFAULT_COLUMN_WIDTH),
        order: typeof m.get(COL_ORDER) === 'string' ? (m.get(COL_ORDER) as string) : FALLBACK_KEY,
      })
    })
    out.sort((a, b) => compareKeyed(a.order, a.id, b.order, b.id))
    return out
  }

  column(colId: string): Column | undefined {
    return this.columns().find((c) => c.id === colId)
  }

  /** Adds a column at `index` (default: last) and returns its id. */
  addColumn(init: ColumnInit, opts: { index?: number } = {}): string {
    return this.write(() => {
      const cols = this.columns()
      const at = Math.max(0, Math.min(opts.index ?? cols.length, cols.length))
      const id = init.id ?? this.ctx.newId(COLUMN_ID_LENGTH)
      assert(!this.columnsMap.has(id), `column ${id} exists`)
      const m = new Y.Map<unknown>()
      m.set(COL_NAME, init.name)
      m.set(COL_TYPE, init.type)
      m.set(COL_CONSTRAINTS, init.constraints ?? {})
      m.set(COL_FORMAT, init.format ?? {})
      m.set(COL_WIDTH, init.width ?? DEFAULT_COLUMN_WIDTH)
      m.set(COL_ORDER, keyBetween(cols[at - 1]?.order ?? null, cols[at]?.order ?? null))
      this.columnsMap.set(id, m)
      return id
    })
  }

  /** Changes a column's settings; cells are keyed by column id, so nothing else is touched. */
  updateColumn(colId: string, patch: ColumnPatch): void {
    this.write(() => {
      const m = this.columnsMap.get(colId)
      assert(m, `no column ${colId}`)
      if (patch.name !== undefined) m.set(COL_NAME, patch.name)
      if (patch.type !== undefined) m.set(COL_TYPE, patch.type)
      if (patch.constraints !== undefined) m.set(COL_CONSTRAINTS, patch.constraints)
      if (patch.format !== undefined) m.set(COL_FORMAT, patch.format)
      if (patch.width !== undefined) m.set(COL_WIDTH, patch.width)
    })
  }

  renameColumn(colId: string, name: string): void {
    this.updateColumn(colId, { name })
  }

  /** Moves a column to position `toIndex` among the live columns. */
  moveColumn(colId: string, toIndex: number): void {
    this.write(() => {
      const others = this.columns().filter((c) => c.id !== colId)
      const m = this.columnsMap.get(colId)
      assert(m, `no column ${colId}`)
      const at = Math.max(0, Math.min(toIndex, others.length))
      m.set(COL_ORDER, keyBetween(others[at - 1]?.order ?? null, others[at]?.order ?? null))
    })
  }

  /** Soft-deletes a column: its cells stay in the doc so undo or restore brings them back. */
  deleteColumn(colId: string): void {
    this.write(() => {
      const m = this.columnsMap.get(colId)
      assert(m, `no column ${colId}`)
      // The deleter's state vector: an edit of the column it does not cover was made without the
      // deleter seeing it (a concurrent fill), whatever the clocks say.
      const sv: Record<string, number> = {}
      for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(this.ctx.doc)))
        sv[client] = clock
      m.set(COL_DELETED, { by: this.ctx.author().name, at: this.ctx.now(), sv })
    })
  }

  restoreColumn(colId: string): void {
    this.write(() => {
      this.columnsMap.get(colId)?.delete(COL_DELETED)
    })
  }

  // ---- rows: reads -----------------------------------------------------------------------

  rowCount(): number {
    return this.index.orderedIds().length
  }

  /** Visible row ids in order (a copy). */
  rowIds(): string[] {
    return this.index.orderedIds().slice()
  }

  /** Position of a visible row, or -1. */
  rowIndex(rowId: string): number {
    return this.index.isVisible(rowId) ? this.index.indexOf(rowId) : -1
  }

  hasRow(rowId: string): boolean {
    return this.index.isVisible(rowId)
  }

  /** A visible row with the cells of live columns; undefined if deleted or unknown. */
  getRow(rowId: string): RowView | undefined {
    if (!this.index.isVisible(rowId)) return undefined
    return { id: rowId, cells: this.index.rowCells(rowId, this.liveColumnIds()) }
  }

  /** A row whatever its state (deleted rows too), for the trash and conflict views. */
  getAnyRow(rowId: string): RowView | undefined {
    if (!this.index.records.has(rowId)) return undefined
    return { id: rowId, cells: this.index.rowCells(rowId, this.liveColumnIds()) }
  }

  /** Every visible row in order. */
  readRows(): RowView[] {
    const live = this.liveColumnIds()
    return this.index.orderedIds().map((id) => ({ id, cells: this.index.rowCells(id, live) }))
  }

  /** One cell's value; null when empty. */
  getCell(rowId: string, colId: string): CellValue {
    return this.index.cell(rowId, colId) ?? null
  }

  private liveColumnIds(): Set<string> {
    if (!this.liveIdsCache || this.liveIdsFor !== this.columns()) {
      this.liveIdsFor = this.columns()
      this.liveIdsCache = new Set(this.liveIdsFor.map((c) => c.id))
    }
    return this.liveIdsCache
  }

  // ---- rows: writes ----------------------------------------------------------------------

  /** Sets cells. Each write goes to its own overlay key, so concurrent edits to other cells merge. */
  setCells(edits: readonly CellEdit[]): void {
    if (edits.length === 0) return
    this.write((origin) => {
      const how = editHowOf(origin)
      // Typed is the default and costs nothing in the log: no code stored.
      const code = how === 'typed' ? undefined : HOW_CODES[how]
      const by = this.ctx.author().name
      const at = this.ctx.now()
      const entries: LogRecord[] = []
      // Hoisted out of the loop (a 10,000-cell clear or fill runs it 10,000 times): the records,
      // the cells map, and a writer that tells the index each entry as written. Each cell is
      // still written before the next is read, so a cell given twice sees its first write.
      const records = this.index.records
      const cells = this.store.cellsMap
      const overlay = this.store.overlay
      const setOverlay = this.writer.overlayWriter()
      for (const { row, col, value } of edits) {
        if (!records.has(row)) assert(false, `no row ${row}`)
        const key = cellKey(row, col)
        // The index holds exactly the cells the map has entries for: a never-edited cell (most
        // of a big clear or fill) needs no Y.Map lookup; an edited one needs its entry's edit id.
        const prev = overlay.get(row)?.has(col) ? cells.get(key) : undefined
        const current = prev ? prev[0] : (this.index.cell(row, col) ?? null)
        if (prev && current === value) continue
        if (!prev && current === (value ?? null)) continue
        const editId = this.ctx.newId(EDIT_ID_LENGTH)
        setOverlay(key, row, col, [value, editId] satisfies Overlay)
        const rec: LogRecord = [row, col, value, by, at, editId, prev ? prev[1] : null]
        if (code !== undefined) rec.push(code)
        entries.push(rec)
      }
      this.writer.appendLog(entries)
    })
  }

  setCell(rowId: string, colId: string, value: CellValue): void {
    this.setCells([{ row: rowId, col: colId, value }])
  }

  clearCell(rowId: string, colId: string): void {
    this.setCells([{ row: rowId, col: colId, value: null }])
  }

  /** The keys around a position among visible rows, skipping collided keys. */
  private neighbours(at: RowPosition): [string | null, string | null] {
    const ids = this.index.orderedIds()
    let i: number
    if (at.before) {
      i = this.index.indexOf(at.before)
      assert(i >= 0, `no visible row ${at.before}`)
    } else if (at.after) {
      const j = this.index.indexOf(at.after)
      assert(j >= 0, `no visible row ${at.after}`)
      i = j + 1
    } else i = ids.length
    const prev = i > 0 ? this.index.orderKey(ids[i - 1]!)! : null
    let next: string | null = null
    for (let j = i; j < ids.length; j++) {
      const k = this.index.orderKey(ids[j]!)!
      if (prev === null || k > prev) {
        next = k
        break
      }
    }
    return [prev, next]
  }

  /**
   * Inserts rows (cells keyed by column id) at a position and returns their ids. The values go
   * into the row records as one Yjs item per call, not one item per cell.
   */
  insertRows(rows: readonly Record<string, CellValue>[], at: RowPosition = {}): string[] {
    const colSet = new Set<string>()
    for (const r of rows) for (const c in r) if (r[c] !== null && r[c] !== undefined) colSet.add(c)
    const cols = [...colSet]
    return this.insertRowValues(
      cols,
      rows.map((r) => cols.map((c) => r[c] ?? null)),
      at,
    )
  }

  /**
   * `insertRows` for rows given as value arrays aligned with `colIds` (bulk imports and pastes:
   * no object per row). Columns with no value in any row are left out of the batch.
   */
  insertRowValues(
    colIds: readonly string[],
    rows: RowArrays | RowSource,
    at: RowPosition = {},
    opts: { source?: string } = {},
  ): string[] {
    const src = rowSource(rows)
    const n = src.length
    if (n === 0) return []
    const used = usedColumns(src, colIds.length)
    return this.write((origin) => {
      const [prev, next] = this.neighbours(at)
      const keys = keysBetween(prev, next, n)
      let batchId = ''
      if (used.length > 0) {
        batchId = this.ctx.newId(BATCH_ID_LENGTH)
        this.writer.setBatch(
          batchId,
          used.map((c) => colIds[c]!),
        )
      }
      const ids: string[] = new Array(n)
      const records: RowRecord[] = new Array(n)
      for (let i = 0; i < n; i++) {
        const id = this.ctx.newId(ROW_ID_LENGTH)
        ids[i] = id
        const rec: RowRecord = [id, keys[i]!, batchId]
        for (const c of used) rec.push(src.value(i, c) ?? null)
        records[i] = rec
      }
      this.writer.appendRecords(records)
      // One row-log entry per insert: a value batch names its rows by batch id, not by list.
      this.noteRows('insert', origin, batchId === '' ? ids : [], batchId, opts.source)
      return ids
    })
  }

  // ---- rows: staged bulk inserts (big CSV imports) ------------------------------------------

  /**
   * Starts a staged insert of `rows` (value arrays aligned with target positions 0..width-1) at
   * `at`: the order keys, the batch id and the columns that carry values are fixed now; nothing is
   * written. `stageRows` then writes the records in slices under that batch id, which has no
   * `batches` entry yet, so the sheet index (every view, export and replica) ignores them;
   * `publishStaged` writes the entry, and every staged row appears at once.
   */
  beginStagedInsert(
    rows: RowArrays | RowSource,
    width: number,
    at: RowPosition = {},
  ): StagedInsert {
    return planStagedInsert(rows, width, this.neighbours(at), this.ctx.newId)
  }

  /**
   * Writes the next `count` rows of a staged insert as one transaction with origin `CSV_STAGE`
   * (outside the undo scope), invisible until `publishStaged`. Returns how many it wrote.
   */
  stageRows(staged: StagedInsert, rows: RowArrays | RowSource, count: number): number {
    assert(!this.ctx.readOnly, 'this workbook is read-only')
    let n = 0
    this.ctx.doc.transact(() => {
      n = writeStagedSlice(this.writer, staged, rows, count, this.ctx.newId)
    }, CSV_STAGE)
    return n
  }

  /**
   * Publishes a fully staged insert: one `batches` entry (the column ids of `colIds` that carry
   * values) makes every staged row visible. Joins the caller's transaction, which is then the
   * insert's one undo step; undoing it hides the rows again (their records stay in the doc).
   */
  publishStaged(
    staged: StagedInsert,
    colIds: readonly string[],
    opts: { source?: string } = {},
  ): string[] {
    return this.write((origin) => {
      const ids = publishStagedInsert(this.writer, staged, colIds)
      this.noteRows('insert', origin, [], staged.batchId, opts.source)
      return ids
    })
  }

  /** Inserts `n` empty rows. */
  insertEmptyRows(n: number, at: RowPosition = {}): string[] {
    return this.insertRows(
      Array.from({ length: n }, () => ({})),
      at,
    )
  }

  /**
   * Soft-deletes rows: a tombstone per row. The data stays, so undo (or restore from the trash)
   * brings the rows back with any edits made meanwhile, even concurrent offline ones.
   */
  deleteRows(rowIds: readonly string[]): void {
    const visible = rowIds.filter((id) => this.index.isVisible(id))
    if (visible.length === 0) return
    this.write((origin) => {
      const by = this.ctx.author().name
      const at = this.ctx.now()
      this.writer.addTombstones(visible.map((id): Tombstone => [id, by, at, this.seenEdits(id)]))
      this.noteRows('delete', origin, visible)
    })
  }

  /** The edit ids a row's cells hold now (what a deleter of the row has seen). */
  private seenEdits(rowId: string): string[] {
    const seen: string[] = []
    for (const colId of this.store.overlay.get(rowId)?.keys() ?? []) {
      const ov = this.index.overlayEntry(rowId, colId)
      if (ov) seen.push(ov[1])
    }
    return seen
  }

  /** Removes every tombstone of these rows (whoever wrote it). */
  restoreRows(rowIds: readonly string[]): void {
    const want = new Set(rowIds)
    const back = this.index.tombstones().filter((t) => want.has(t[0]))
    this.write((origin) => {
      this.writer.removeTombstones(want)
      if (back.length > 0) this.noteRows('restore', origin, [...new Set(back.map((t) => t[0]))])
    })
  }

  /** Deleted rows with who deleted them and when (latest tombstone wins for display). */
  deletedRows(): { id: string; by: string; at: number }[] {
    const latest = new Map<string, Tombstone>()
    for (const t of this.index.tombstones()) {
      const cur = latest.get(t[0])
      if (!cur || t[2] >= cur[2]) latest.set(t[0], t)
    }
    return [...latest.values()]
      .filter((t) => this.index.records.has(t[0]))
      .map(([id, by, at]) => ({ id, by, at }))
  }

  /** Moves rows, keeping their relative order, to a position among the other visible rows. */
  moveRows(rowIds: readonly string[], at: RowPosition): void {
    const moving = this.index.orderedIds().filter((id) => rowIds.includes(id))
    if (moving.length === 0) return
    if (at.before && moving.includes(at.before)) return
    if (at.after && moving.includes(at.after)) return
    this.write((origin) => {
      const [prev, next] = this.neighbours(at)
      this.writer.setOrder(moving, keysBetween(prev, next, moving.length))
      this.noteRows('move', origin, moving.slice())
    })
  }

  /**
   * Deleted rows by id, with the latest deletion and the edit ids their deleters had seen (null
   * when a tombstone predates that record: clocks decide then).
   */
  deletedRowRemovals(): Map<string, RowRemoval> {
    const seen = new Map<string, Set<string> | null>()
    for (const t of this.index.tombstones()) {
      const s = seen.get(t[0])
      if (s === null) continue
      if (!Array.isArray(t[3])) seen.set(t[0], null)
      else if (s) for (const id of t[3]) s.add(id)
      else seen.set(t[0], new Set(t[3]))
    }
    return new Map(
      this.deletedRows().map((d) => [d.id, { by: d.by, at: d.at, seen: seen.get(d.id) ?? null }]),
    )
  }

  /** Deleted columns by id, with who deleted them and when. */
  deletedColumnRemovals(): Map<string, ColumnRemoval> {
    const out = new Map<string, ColumnRemoval>()
    this.columnsMap.forEach((m, id) => {
      const d = m.get(COL_DELETED) as (Partial<Removal> & { sv?: unknown }) | undefined
      if (d === undefined) return
      const sv = d?.sv && typeof d.sv === 'object' ? (d.sv as Record<string, number>) : null
      out.set(id, { by: String(d?.by ?? ''), at: Number(d?.at ?? 0), sv })
    })
    return out
  }

  /** Restores several deleted columns in one transaction (one undo step). */
  restoreColumns(colIds: readonly string[]): void {
    this.write(() => {
      for (const id of colIds) this.columnsMap.get(id)?.delete(COL_DELETED)
    })
  }

  // ---- history and conflicts -------------------------------------------------------------

  /** Cell and row history, conflicts and the trash, computed from the doc (works offline). */
  get history(): SheetHistory {
    this.historyView ??= new SheetHistory(this, this.ctx)
    return this.historyView
  }

  /** Every recorded write to one cell, oldest first by time. */
  cellHistory(rowId: string, colId: string): EditEntry[] {
    return this.history.cellEdits(rowId, colId)
  }

  /**
   * 恢复: writes an older value of a cell back as a new edit (how: restore), one undo step. A
   * value equal to the current one writes nothing.
   */
  restoreValue(rowId: string, colId: string, value: CellValue): void {
    this.write(() => this.setCells([{ row: rowId, col: colId, value }]), RESTORE_EDIT)
  }

  /**
   * Values that lost without their writer seeing the winner: concurrent writes to the same cell
   * (a sibling of an edit on the current value's prev-edit chain), edits into rows that a
   * concurrent or later delete hid, and fills of a column deleted meanwhile (settled ones too).
   */
  conflicts(): Conflict[] {
    return this.history.conflicts()
  }
}
