import * as Y from 'yjs'
import { migrate, SCHEMA_VERSION } from '../schema/migrations.js'
import { assert } from './assert.js'
import { createIdGenerator, SHEET_ID_LENGTH } from './ids.js'
import {
  META_CREATED_AT,
  META_SCHEMA_VERSION,
  META_TITLE,
  ROOT_HISTORY,
  ROOT_META,
  ROOT_ROW_LOG,
  ROOT_SHEETS,
  SHEET_BATCHES,
  SHEET_CELLS,
  SHEET_COLUMNS,
  SHEET_DELETED,
  SHEET_DELETIONS,
  SHEET_NAME,
  SHEET_ORDER,
  SHEET_ROW_ORDER,
  SHEET_ROWS,
  SHEET_STAGED,
} from './keys.js'
import { compareKeyed, FALLBACK_KEY, keyBetween } from './order.js'
import { CSV_STAGE, LOCAL_EDIT, MIGRATION, type Origin, UNDOABLE_ORIGINS } from './origins.js'
import { Sheet } from './sheet.js'
import type {
  Author,
  LogRecord,
  RowLogRecord,
  SheetInfo,
  WorkbookChange,
  WorkbookContext,
  WorkbookOptions,
} from './types.js'
import { readRemoval, WorkbookHistory } from './workbookHistory.js'
import { observeWorkbook } from './workbookObserver.js'

export interface WorkbookMeta {
  title: string
  schemaVersion: number
  createdAt: number
}

/** The outcome of opening a doc: migrated and writable, or newer than this code and read-only. */
export interface OpenResult {
  workbook: Workbook
  readOnly: boolean
  /** Why the workbook is read-only, for the user. */
  reason?: { zh: string; en: string }
  /** Migration versions this open applied (empty when up to date). */
  migrated: number[]
}

const ANONYMOUS: Author = { id: 'anonymous', name: '匿名' }

/**
 * A workbook: one Y.Doc holding sheets, columns, rows and cells. The only way `web` and
 * `sync-server` read or write workbook data.
 *
 * @example
 * const wb = Workbook.create(new Y.Doc(), { title: '杨浦区社工站台账' })
 * const s = wb.sheet(wb.addSheet('站点'))
 * const name = s.addColumn({ name: '站点名称', type: 'text' })
 * const [row] = s.insertRows([{ [name]: '殷行街道社工站' }])
 */
export class Workbook {
  private readonly sheetHandles = new Map<string, Sheet>()
  private readonly listeners = new Set<(c: WorkbookChange) => void>()
  private readonly newId: (length: number) => string
  private readonly clock: () => number
  private currentAuthor: Author
  private readonly ctx: WorkbookContext
  private readonly unobserve: () => void
  private historyView: WorkbookHistory | null = null

  private constructor(
    readonly doc: Y.Doc,
    readonly readOnly: boolean,
    opts: WorkbookOptions,
  ) {
    this.newId = createIdGenerator(opts.random)
    this.clock = opts.now ?? (() => Date.now())
    this.currentAuthor = opts.author ?? ANONYMOUS
    this.ctx = {
      doc,
      readOnly,
      author: () => this.currentAuthor,
      now: () => this.clock(),
      newId: (n) => this.newId(n),
      history: (sheetId) => this.historyMap.get(sheetId),
      rowLog: () => this.doc.getArray<RowLogRecord>(ROOT_ROW_LOG),
    }
    this.unobserve = this.observe()
  }

  /** Creates a new workbook in an empty doc, at the current schema version. */
  static create(doc: Y.Doc, init: { title: string } & WorkbookOptions): Workbook {
    const wb = new Workbook(doc, false, init)
    doc.transact(() => {
      wb.metaMap.set(META_TITLE, init.title)
      wb.metaMap.set(META_SCHEMA_VERSION, SCHEMA_VERSION)
      wb.metaMap.set(META_CREATED_AT, wb.clock())
    }, MIGRATION)
    return wb
  }

  /**
   * Opens a workbook from a doc that already holds data (or is empty, in which case it is
   * stamped with the current schema). Migrations run in one transaction; a doc newer than the
   * code opens read-only with a reason.
   */
  static open(doc: Y.Doc, opts: WorkbookOptions = {}): OpenResult {
    let result: ReturnType<typeof migrate> | undefined
    doc.transact(() => {
      result = migrate(doc)
    }, MIGRATION)
    assert(result, 'migrate ran')
    if (!result.ok) {
      return {
        workbook: new Workbook(doc, true, opts),
        readOnly: true,
        migrated: [],
        reason: {
          zh: `此台账由较新版本的台账系统创建（数据版本 ${result.docVersion}，本程序支持 ${result.codeVersion}），只能查看。请刷新或升级后再编辑。`,
          en: `This workbook was saved by a newer Taizhang (data version ${result.docVersion}; this app supports ${result.codeVersion}). It is read-only until you reload or upgrade.`,
        },
      }
    }
    return { workbook: new Workbook(doc, false, opts), readOnly: false, migrated: result.applied }
  }

  /** Stops observing the doc. The doc itself is left to its owner. */
  destroy(): void {
    this.unobserve()
    this.listeners.clear()
  }

  private get metaMap(): Y.Map<unknown> {
    return this.doc.getMap(ROOT_META)
  }
  private get sheetsMap(): Y.Map<Y.Map<unknown>> {
    return this.doc.getMap(ROOT_SHEETS)
  }
  private get historyMap(): Y.Map<Y.Array<LogRecord>> {
    return this.doc.getMap(ROOT_HISTORY)
  }

  /** The clock stamped on edits, deletions and settlements (ms since the epoch). */
  now(): number {
    return this.clock()
  }

  /** The conflict inbox, settling and the trash (see `WorkbookHistory`). */
  get history(): WorkbookHistory {
    this.historyView ??= new WorkbookHistory(this)
    return this.historyView
  }

  /** Who deleted a sheet in the trash, and when; undefined for a live sheet. */
  sheetDeletion(id: string): { by: string; at: number } | undefined {
    const m = this.sheetsMap.get(id)
    return m ? readRemoval(m) : undefined
  }

  /** Sets who is writing; stamped on edits, deletions and the edit log. */
  setAuthor(author: Author): void {
    this.currentAuthor = author
  }
  author(): Author {
    return this.currentAuthor
  }

  meta(): WorkbookMeta {
    const m = this.metaMap
    return {
      title: String(m.get(META_TITLE) ?? ''),
      schemaVersion: Number(m.get(META_SCHEMA_VERSION) ?? 0),
      createdAt: Number(m.get(META_CREATED_AT) ?? 0),
    }
  }

  setTitle(title: string): void {
    this.transact(() => this.metaMap.set(META_TITLE, title))
  }

  /**
   * Runs `fn` as one Yjs transaction with a typed origin: one update on the wire, one undo step.
   * Writes made by sheet methods inside join it.
   */
  transact<T>(fn: () => T, origin: Origin = LOCAL_EDIT): T {
    assert(!this.readOnly, 'this workbook is read-only')
    let out: T | undefined
    this.doc.transact(() => {
      out = fn()
    }, origin)
    return out as T
  }

  // ---- sheets ----------------------------------------------------------------------------

  /** Live sheets in tab order. */
  listSheets(): SheetInfo[] {
    return this.readSheets(false)
  }

  /** Sheets in the trash. */
  deletedSheets(): SheetInfo[] {
    return this.readSheets(true)
  }

  private readSheets(deleted: boolean): SheetInfo[] {
    const out: SheetInfo[] = []
    this.sheetsMap.forEach((m, id) => {
      if ((m.get(SHEET_DELETED) !== undefined) !== deleted) return
      // A staged import's new sheet is in no list until the import publishes it.
      if (m.get(SHEET_STAGED) !== undefined) return
      out.push({
        id,
        name: String(m.get(SHEET_NAME) ?? ''),
        order:
          typeof m.get(SHEET_ORDER) === 'string' ? (m.get(SHEET_ORDER) as string) : FALLBACK_KEY,
      })
    })
    return out.sort((a, b) => compareKeyed(a.order, a.id, b.order, b.id))
  }

  /** Adds a sheet with all its nested types (created here, once, so no client races on them). */
  addSheet(name: string, opts: { id?: string; index?: number } = {}): string {
    return this.transact(() => this.createSheet(name, opts, false))
  }

  /**
   * Adds a sheet for a staged import to fill (in a `CSV_STAGE` transaction, outside the undo
   * scope): it is in neither `listSheets` nor `deletedSheets` until `publishSheet`, which the
   * import's one undoable transaction calls.
   */
  addStagedSheet(name: string): string {
    return this.transact(() => this.createSheet(name, {}, true), CSV_STAGE)
  }

  /**
   * Forgets the cached handle of a sheet that is still staged. A staged import into a new sheet calls
   * it before publishing: the handle it staged through would otherwise reveal all the rows in its
   * index inside the publish (~0.1 s of Map and Set insertions at 100,000 rows), while a handle built
   * afterwards indexes them lazily when the sheet is first read. The old handle must then only write.
   */
  detachStagedSheet(id: string): void {
    assert(this.requireSheetMap(id).get(SHEET_STAGED) !== undefined, `sheet ${id} is not staged`)
    this.sheetHandles.delete(id)
  }

  /** Makes a staged sheet appear (joins the caller's transaction; undo hides it again). */
  publishSheet(id: string): void {
    this.transact(() => this.requireSheetMap(id).delete(SHEET_STAGED))
  }

  private createSheet(
    name: string,
    opts: { id?: string; index?: number },
    staged: boolean,
  ): string {
    const sheets = this.listSheets()
    const at = Math.max(0, Math.min(opts.index ?? sheets.length, sheets.length))
    const id = opts.id ?? this.newId(SHEET_ID_LENGTH)
    assert(!this.sheetsMap.has(id), `sheet ${id} exists`)
    const m = new Y.Map<unknown>()
    m.set(SHEET_NAME, name)
    m.set(SHEET_ORDER, keyBetween(sheets[at - 1]?.order ?? null, sheets[at]?.order ?? null))
    m.set(SHEET_COLUMNS, new Y.Map())
    m.set(SHEET_ROWS, new Y.Array())
    m.set(SHEET_BATCHES, new Y.Map())
    m.set(SHEET_CELLS, new Y.Map())
    m.set(SHEET_ROW_ORDER, new Y.Map())
    m.set(SHEET_DELETIONS, new Y.Array())
    if (staged) m.set(SHEET_STAGED, true)
    this.sheetsMap.set(id, m)
    this.historyMap.set(id, new Y.Array<LogRecord>())
    return id
  }

  renameSheet(id: string, name: string): void {
    this.transact(() => this.requireSheetMap(id).set(SHEET_NAME, name))
  }

  moveSheet(id: string, toIndex: number): void {
    this.transact(() => {
      const others = this.listSheets().filter((s) => s.id !== id)
      const at = Math.max(0, Math.min(toIndex, others.length))
      this.requireSheetMap(id).set(
        SHEET_ORDER,
        keyBetween(others[at - 1]?.order ?? null, others[at]?.order ?? null),
      )
    })
  }

  /** Soft-deletes a sheet; undo or `restoreSheet` brings it back with everything in it. */
  deleteSheet(id: string): void {
    this.transact(() =>
      this.requireSheetMap(id).set(SHEET_DELETED, {
        by: this.currentAuthor.name,
        at: this.clock(),
      }),
    )
  }

  restoreSheet(id: string): void {
    this.transact(() => this.requireSheetMap(id).delete(SHEET_DELETED))
  }

  private requireSheetMap(id: string): Y.Map<unknown> {
    const m = this.sheetsMap.get(id)
    assert(m, `no sheet ${id}`)
    return m
  }

  hasSheet(id: string): boolean {
    return this.sheetsMap.has(id)
  }

  /** A handle on a sheet (cached; live or in the trash). */
  sheet(id: string): Sheet {
    let s = this.sheetHandles.get(id)
    if (!s) {
      s = new Sheet(id, this.requireSheetMap(id), this.ctx)
      this.sheetHandles.set(id, s)
    }
    return s
  }

  /** The first live sheet with this name, if any. */
  sheetByName(name: string): Sheet | undefined {
    const info = this.listSheets().find((s) => s.name === name)
    return info ? this.sheet(info.id) : undefined
  }

  /**
   * An undo manager for this user's own changes: edits, pastes and imports, never remote ones.
   * Each transaction is its own step (captureTimeout 0) unless `captureTimeout` says otherwise.
   */
  createUndoManager(opts: { captureTimeout?: number } = {}): Y.UndoManager {
    return new Y.UndoManager([this.sheetsMap, this.metaMap], {
      trackedOrigins: new Set<unknown>(UNDOABLE_ORIGINS),
      captureTimeout: opts.captureTimeout ?? 0,
    })
  }

  // ---- change feed (the doc side is workbookObserver.ts) ----------------------------------

  /** Subscribes to changes: which sheets, rows and cells each transaction touched. */
  onChange(cb: (change: WorkbookChange) => void): () => void {
    this.listeners.add(cb)
    return () => this.listeners.delete(cb)
  }

  /**
   * Delivers a change to the listeners subscribed when it happened. One subscribed meanwhile (a
   * grid mounted by an earlier listener, say) has read the state after the change already: given
   * the change too, a grid opened for an imported sheet re-read all its rows a second time.
   */
  private emit(change: WorkbookChange): void {
    // A listener removed meanwhile (a grid closed by an earlier one) is skipped.
    for (const cb of [...this.listeners]) if (this.listeners.has(cb)) cb(change)
  }

  private observe(): () => void {
    return observeWorkbook({
      doc: this.doc,
      readOnly: this.readOnly,
      ctx: this.ctx,
      handles: this.sheetHandles,
      sheet: (id) => this.sheet(id),
      emit: (change) => this.emit(change),
    })
  }
}
