import {
  type CellValue,
  type Column,
  formatValue,
  PASTE,
  type Problem,
  parseValue,
  type Sheet,
  type Workbook,
} from '@taizhang/shared'
import {
  CellStyleModule,
  ClientSideRowModelApiModule,
  ClientSideRowModelModule,
  ColumnApiModule,
  CustomEditorModule,
  createGrid,
  EventApiModule,
  type GridApi,
  type GridOptions,
  type IRowNode,
  ModuleRegistry,
  NumberFilterModule,
  RenderApiModule,
  RowApiModule,
  ScrollApiModule,
  TextFilterModule,
  themeQuartz,
} from 'ag-grid-community'
import { type FirstScreen, refLabelKey } from '../doc/firstScreen'
import type { UnackedCells } from '../doc/UnackedCells'
import { buildColumnDefs, ROW_NUMBER_COL } from './columnDefs'
import { type EditorResult, isEditorResult } from './editors'
import { makeGridBinding } from './gridBinding'
import { cellKeyOf, type GridContext, type PeerMark } from './gridContext'
import type { RowData } from './rowData'
import { parseTsv, writeTsv } from './tsv'

let modulesRegistered = false
/** Only the modules we use: AllCommunityModule would add about 1 MB to the bundle. */
export function registerGridModules(): void {
  if (modulesRegistered) return
  modulesRegistered = true
  ModuleRegistry.registerModules([
    ClientSideRowModelModule,
    ClientSideRowModelApiModule,
    RowApiModule,
    ScrollApiModule,
    RenderApiModule,
    ColumnApiModule,
    CustomEditorModule,
    EventApiModule,
    TextFilterModule,
    NumberFilterModule,
    CellStyleModule,
  ])
}

export const gridTheme = themeQuartz.withParams({
  fontFamily: [
    '-apple-system',
    'BlinkMacSystemFont',
    'PingFang SC',
    'Microsoft YaHei',
    'Noto Sans CJK SC',
    'sans-serif',
  ],
  fontSize: 13,
  rowHeight: 32,
  headerHeight: 34,
  spacing: 6,
  headerBackgroundColor: '#f5f6f8',
  accentColor: '#2563eb',
  borderColor: '#e3e6ea',
  columnBorder: true,
  wrapperBorderRadius: 0,
})

/**
 * The options every sheet's grid has, known before any sheet is: an early grid
 * (`createEarlyGrid`) is created with them, and the initial-only ones (`getRowId`,
 * `stopEditingWhenCellsLoseFocus`, `undoRedoCellEditing`) must be the same for every grid.
 */
function baseGridOptions(): GridOptions<RowData> {
  return {
    theme: gridTheme,
    getRowId: (p) => p.data.id,
    readOnlyEdit: true,
    stopEditingWhenCellsLoseFocus: true,
    enterNavigatesVerticallyAfterEdit: true,
    singleClickEdit: false,
    suppressCellFocus: false,
    animateRows: false,
    suppressColumnMoveAnimation: true,
    rowBuffer: ROW_BUFFER,
    defaultColDef: {
      sortable: true,
      resizable: true,
      suppressKeyboardEvent: (p) => {
        const e = p.event
        if (p.editing) return false
        const mod = e.ctrlKey || e.metaKey
        if (e.key === 'Delete' || e.key === 'Backspace') return true
        if (mod && ['z', 'y', 'c', 'v', 'x'].includes(e.key.toLowerCase())) return true
        if (mod && (e.key === '-' || e.key === '+' || e.key === '=')) return true
        if (e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10')) return true
        return false
      },
    },
    // AG Grid's own undo stack is cleared by every remote update; ours is Y.UndoManager.
    undoRedoCellEditing: false,
  }
}

/** A grid created before its sheet is known (`createEarlyGrid`); `makeSheetGrid` adopts it. */
export interface EarlyGrid {
  /** The element the grid lives in; `makeSheetGrid` moves it into its container. */
  readonly el: HTMLDivElement
  readonly api: GridApi<RowData>
  /** The first-screen cache it shows, read-only, until the sheet's grid adopts it. */
  readonly screen: FirstScreen | null
}

/**
 * Creates an empty grid (no columns, no rows) in a new element inside `parent`, hidden. Creating
 * an AG Grid (its DOM, styles and first layout) is most of a grid's cost and needs no data, so
 * the app does it while the workbook is still being read (`workbook/earlyGrid.ts`).
 */
export function createEarlyGrid(
  parent: HTMLElement,
  /** A first-screen cache to show at once, read-only: the grid is then visible. */
  screen: FirstScreen | null = null,
  unacked: Pick<UnackedCells, 'has'> | null = null,
  locale: 'zh-CN' | 'en' = 'zh-CN',
): EarlyGrid {
  registerGridModules()
  const el = document.createElement('div')
  el.style.cssText = screen ? 'width:100%;height:100%' : 'width:100%;height:100%;visibility:hidden'
  parent.appendChild(el)
  const api = createGrid<RowData>(el, {
    ...baseGridOptions(),
    ...(screen
      ? firstScreenOptions(screen, unacked, locale)
      : { columnDefs: [], rowData: [], suppressNoRowsOverlay: true }),
  })
  return { el, api, screen }
}

/**
 * A first-screen cache as grid options: the same column definitions, renderer and row ids as the
 * sheet's live grid (so the live grid takes over the very rows), read-only, with no sorting,
 * filtering, resizing or focus until then.
 */
function firstScreenOptions(
  screen: FirstScreen,
  unacked: Pick<UnackedCells, 'has'> | null,
  locale: 'zh-CN' | 'en',
): GridOptions<RowData> {
  const columns = new Map(screen.columns.map((c) => [c.id, c]))
  const ctx: GridContext = {
    sheetId: screen.sheetId,
    sheet: null as unknown as Sheet,
    readOnly: true,
    locale,
    columns,
    unacked: (unacked ?? { has: () => false }) as UnackedCells,
    peers: new Map(),
    problems: new Map(),
    sel: null,
    colIndex: new Map(screen.columns.map((c, i) => [c.id, i])),
    unackedTitle: '',
    referenceLabel: (col, rowId) => screen.refLabels[refLabelKey(col.id, rowId)],
    referenceOptions: () => [],
    writeCell: () => {},
    t: () => '',
  }
  return {
    columnDefs: buildColumnDefs(screen.columns, true).map((d) => ({
      ...d,
      sortable: false,
      resizable: false,
      filter: false,
    })),
    rowData: screen.rows,
    context: ctx,
    rowBuffer: 0,
    suppressCellFocus: true,
  }
}

export interface FocusedCell {
  rowId: string
  colId: string
  rowIndex: number
}

export interface SelectionInfo {
  rows: number
  cols: number
  rowIds: string[]
  colIds: string[]
}

export interface SheetGridOptions {
  container: HTMLElement
  workbook: Workbook
  sheet: Sheet
  unacked: UnackedCells
  readOnly: boolean
  locale: 'zh-CN' | 'en'
  text: {
    unacked: string
    search: string
    none: string
    noMatch: string
  }
  onFocusChange?: (cell: FocusedCell | null) => void
  onSelectionChange?: (sel: SelectionInfo) => void
  onContextMenu?: (at: { x: number; y: number }) => void
  /** After a paste: how many cells could not be parsed and were kept as typed text. */
  onPasted?: (report: { cells: number; unparsed: number; addedRows: number }) => void
  onKeyCommand?: (cmd: 'undo' | 'redo') => void
  /** A grid created while the workbook was read, to adopt instead of creating one. */
  early?: EarlyGrid | null
}

export interface SheetGridHandle {
  readonly api: GridApi<RowData>
  setReadOnly(readOnly: boolean): void
  setLocale(locale: 'zh-CN' | 'en', text: SheetGridOptions['text']): void
  setProblems(problems: readonly Problem[], message: (p: Problem) => string): void
  setPeers(
    peers: { clientId: number; name: string; color: string; rowId: string; colId: string }[],
  ): void
  focusCell(rowId: string, colId: string): void
  selection(): SelectionInfo
  /** The row ids the row commands act on: the selected rows, or the focused one. */
  selectedRowIds(): string[]
  insertRow(where: 'above' | 'below'): void
  addRowAtEnd(): void
  deleteSelectedRows(): void
  clearSelectedCells(): void
  copySelection(): string
  pasteText(text: string): void
  flushBinding(): void
  dispose(): void
}

interface LoadState {
  ids: string[]
  next: number
  timer: ReturnType<typeof setTimeout> | null
}

/** Rows AG Grid renders beyond the viewport (none for a big sheet's first frame). */
const ROW_BUFFER = 10

/** Sheets above this many rows paint a first slice, then load the rest in chunks. */
const PROGRESSIVE_MIN_ROWS = 5000
const FIRST_PAINT_ROWS = 100
/** Rows per load task: ~60 ms at 100,000 rows (the row model re-runs over every row). */
const LOAD_CHUNK_ROWS = 10_000

/** Cells a single paste may write; past it we refuse rather than freeze the tab. */
const MAX_PASTE_CELLS = 200_000

/** Problems turned into cell outlines per task (`setProblems`). */
const PROBLEM_SLICE = 20_000

/**
 * Mounts an AG Grid for one sheet and binds it to the model. Plain (no Solid owner): returns a
 * handle whose `dispose` destroys the grid and every subscription.
 */
export function makeSheetGrid(opts: SheetGridOptions): SheetGridHandle {
  performance.mark('tz:grid0')
  registerGridModules()
  const { workbook, sheet } = opts
  let readOnly = opts.readOnly
  const ctx: GridContext = {
    sheetId: sheet.id,
    sheet,
    readOnly,
    locale: opts.locale,
    columns: new Map(),
    unacked: opts.unacked,
    peers: new Map(),
    problems: new Map(),
    sel: null,
    colIndex: new Map(),
    unackedTitle: opts.text.unacked,
    referenceLabel: (col, rowId) => referenceLabel(workbook, col, rowId),
    referenceOptions: (col) => referenceOptions(workbook, col),
    writeCell: (rowId, colId, value) => {
      if (!readOnly) sheet.setCell(rowId, colId, value)
    },
    t: (key) =>
      key === 'editor.search'
        ? opts.text.search
        : key === 'editor.none'
          ? opts.text.none
          : opts.text.noMatch,
  }
  let columns: Column[] = []
  const readColumns = () => {
    columns = sheet.columns()
    ctx.columns = new Map(columns.map((c) => [c.id, c]))
    ctx.colIndex = new Map(columns.map((c, i) => [c.id, i]))
  }
  readColumns()

  // ---- selection -------------------------------------------------------------------------
  let anchor: { rowIndex: number; colId: string } | null = null
  let focus: { rowIndex: number; colId: string } | null = null
  let shiftHeld = false
  const computeSel = () => {
    if (!anchor || !focus) {
      ctx.sel = null
      return
    }
    const a = anchor.colId === ROW_NUMBER_COL ? 0 : (ctx.colIndex.get(anchor.colId) ?? 0)
    const f =
      focus.colId === ROW_NUMBER_COL ? columns.length - 1 : (ctx.colIndex.get(focus.colId) ?? 0)
    const wholeRows = anchor.colId === ROW_NUMBER_COL
    ctx.sel = {
      r0: Math.min(anchor.rowIndex, focus.rowIndex),
      r1: Math.max(anchor.rowIndex, focus.rowIndex),
      c0: wholeRows ? 0 : Math.min(a, f),
      c1: wholeRows ? columns.length - 1 : Math.max(a, f),
    }
  }
  const selection = (): SelectionInfo => {
    const sel = ctx.sel
    if (!sel) return { rows: 0, cols: 0, rowIds: [], colIds: [] }
    const rowIds: string[] = []
    for (let r = sel.r0; r <= sel.r1; r++) {
      const node = api.getDisplayedRowAtIndex(r)
      if (node?.data) rowIds.push(node.data.id)
    }
    const colIds = columns.slice(sel.c0, sel.c1 + 1).map((c) => c.id)
    return { rows: rowIds.length, cols: colIds.length, rowIds, colIds }
  }

  // ---- progressive first paint ----------------------------------------------------------------
  // A big sheet paints its first screen from a slice, then the rest arrives in chunks after that
  // paint, each its own task: no single task builds 100,000 row nodes.
  let loading = null as LoadState | null
  function initialRows(): RowData[] {
    const ids = sheet.rowIds()
    if (ids.length <= PROGRESSIVE_MIN_ROWS) return sheet.readRows()
    loading = { ids, next: FIRST_PAINT_ROWS, timer: null }
    const out: RowData[] = []
    for (const id of ids.slice(0, FIRST_PAINT_ROWS)) {
      const row = sheet.getRow(id)
      if (row) out.push(row)
    }
    return out
  }
  const loadStep = () => {
    const l = loading
    if (!l) return
    l.timer = null
    const add: RowData[] = []
    for (const id of l.ids.slice(l.next, l.next + LOAD_CHUNK_ROWS)) {
      // Read now, not at open: edits made meanwhile are included.
      const row = sheet.getRow(id)
      if (row) add.push(row)
    }
    l.next += LOAD_CHUNK_ROWS
    if (add.length) api.applyTransaction({ add })
    if (l.next < l.ids.length) l.timer = setTimeout(loadStep, 0)
    else loading = null
  }
  /** A structural change arrived before every row was loaded: hand AG Grid the whole sheet. */
  const finishLoading = () => {
    if (!loading) return
    if (loading.timer !== null) clearTimeout(loading.timer)
    loading = null
    api.setGridOption('rowData', sheet.readRows())
  }

  // What this sheet adds to the options every grid has (`baseGridOptions`).
  const firstRows = initialRows()
  const sheetOptions: GridOptions<RowData> = {
    columnDefs: buildColumnDefs(columns, readOnly),
    rowData: firstRows,
    // A big sheet's first frame renders only the rows in view; the buffer comes after it.
    ...(loading ? { rowBuffer: 0 } : {}),
    context: ctx,
    onCellEditRequest: (e) => {
      if (readOnly || !e.data) return
      const colId = e.column.getColId()
      const col = ctx.columns.get(colId)
      if (!col) return
      const value = toCellValue(e.newValue, col, workbook)
      if (value === undefined) return
      sheet.setCell(e.data.id, colId, value)
    },
    onCellFocused: (e) => {
      if (
        e.rowIndex === null ||
        e.rowIndex === undefined ||
        !e.column ||
        typeof e.column === 'string'
      ) {
        opts.onFocusChange?.(null)
        return
      }
      const colId = e.column.getColId()
      const cell = { rowIndex: e.rowIndex, colId }
      if (shiftHeld && anchor) focus = cell
      else {
        anchor = cell
        focus = cell
      }
      computeSel()
      api.refreshCells({ force: false })
      const node = api.getDisplayedRowAtIndex(e.rowIndex)
      if (node?.data) opts.onFocusChange?.({ rowId: node.data.id, colId, rowIndex: e.rowIndex })
      opts.onSelectionChange?.(selection())
    },
    onCellContextMenu: (e) => {
      const ev = e.event as MouseEvent | null
      if (!ev) return
      ev.preventDefault()
      // Right-click outside the selection moves it, as spreadsheets do.
      const idx = e.rowIndex ?? -1
      const sel = ctx.sel
      if (!sel || idx < sel.r0 || idx > sel.r1) {
        if (e.rowIndex !== null) api.setFocusedCell(e.rowIndex, e.column.getColId())
      }
      opts.onContextMenu?.({ x: ev.clientX, y: ev.clientY })
    },
    onModelUpdated: () => opts.onSelectionChange?.(selection()),
  }

  const container = opts.container
  performance.mark('tz:grid1')
  let api: GridApi<RowData>
  const early = opts.early
  if (early) {
    // Created while the workbook was being read: give it this sheet's columns and rows. When it
    // shows the first-screen cache, the rows keep their ids (and DOM) and scroll position.
    const viewport = early.el.querySelector<HTMLElement>('.ag-body-viewport')
    const scrollTop = viewport?.scrollTop ?? 0
    container.appendChild(early.el)
    early.el.style.visibility = ''
    api = early.api
    api.updateGridOptions({
      ...sheetOptions,
      suppressNoRowsOverlay: false,
      suppressCellFocus: false,
    })
    if (viewport && scrollTop && viewport.scrollTop !== scrollTop) viewport.scrollTop = scrollTop
  } else api = createGrid<RowData>(container, { ...baseGridOptions(), ...sheetOptions })
  performance.mark('tz:grid2')
  if (loading) {
    // After the first frame is painted.
    const l: LoadState = loading
    requestAnimationFrame(() => {
      if (loading === l) l.timer = setTimeout(loadStep, 0)
      setTimeout(() => {
        if (!api.isDestroyed()) api.setGridOption('rowBuffer', ROW_BUFFER)
      }, 0)
    })
  }

  const onKeyTrack = (e: KeyboardEvent) => {
    shiftHeld = e.shiftKey
  }
  const onMouseTrack = (e: MouseEvent) => {
    shiftHeld = e.shiftKey
    if (e.button === 2) shiftHeld = false
  }
  const onGridContextMenu = (e: MouseEvent) => {
    // Our own menu replaces the browser's inside the grid body.
    if ((e.target as HTMLElement).closest('.ag-cell')) e.preventDefault()
  }
  const isEditing = () => api.getEditingCells().length > 0
  const onKeyDown = (e: KeyboardEvent) => {
    shiftHeld = e.shiftKey
    if (isEditing()) return
    const target = e.target as HTMLElement
    if (target.closest('.ag-popup, .ag-filter, input, textarea, select')) return
    const mod = e.ctrlKey || e.metaKey
    const k = e.key.toLowerCase()
    if (mod && k === 'z') {
      e.preventDefault()
      opts.onKeyCommand?.(e.shiftKey ? 'redo' : 'undo')
    } else if (mod && k === 'y') {
      e.preventDefault()
      opts.onKeyCommand?.('redo')
    } else if (e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault()
      handle.clearSelectedCells()
    } else if (mod && e.key === '-') {
      e.preventDefault()
      handle.deleteSelectedRows()
    } else if (mod && (e.key === '+' || e.key === '=')) {
      e.preventDefault()
      handle.insertRow(e.shiftKey ? 'below' : 'above')
    } else if (e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10')) {
      e.preventDefault()
      const cell = api.getFocusedCell()
      const el = cell
        ? container.querySelector<HTMLElement>(
            `.ag-row[row-index="${cell.rowIndex}"] [col-id="${cell.column.getColId()}"]`,
          )
        : null
      const r = el?.getBoundingClientRect()
      opts.onContextMenu?.({ x: r ? r.left + 8 : 100, y: r ? r.bottom : 100 })
    }
  }
  // Copy and paste go through the clipboard events: no permission prompt, works in every browser.
  const onCopy = (e: ClipboardEvent) => {
    if (isEditing() || !ctx.sel) return
    if ((e.target as HTMLElement).closest('input, textarea')) return
    e.preventDefault()
    e.clipboardData?.setData('text/plain', handle.copySelection())
  }
  const onCut = (e: ClipboardEvent) => {
    onCopy(e)
    if (!isEditing() && ctx.sel && !readOnly) handle.clearSelectedCells()
  }
  const onPaste = (e: ClipboardEvent) => {
    if (isEditing()) return
    if ((e.target as HTMLElement).closest('input, textarea')) return
    const text = e.clipboardData?.getData('text/plain')
    if (!text) return
    e.preventDefault()
    handle.pasteText(text)
  }
  container.addEventListener('keydown', onKeyDown)
  container.addEventListener('keyup', onKeyTrack)
  container.addEventListener('mousedown', onMouseTrack, true)
  container.addEventListener('contextmenu', onGridContextMenu)
  container.addEventListener('copy', onCopy)
  container.addEventListener('cut', onCut)
  container.addEventListener('paste', onPaste)

  // ---- model → grid ------------------------------------------------------------------------
  /**
   * Applies a model change to the grid without disturbing an open editor. AG Grid restores focus
   * by *position* after a row-model refresh: a row inserted or removed above the editing row would
   * move browser focus to whatever cell now sits at the old index, taking it from the editor. So:
   * no positional focus restore while editing, the focused cell follows the editing row, and the
   * editor's focus and caret are put back exactly as they were.
   */
  const keepEditor = (fn: () => void) => {
    const editing = api.getEditingCells()[0]
    if (!editing) {
      fn()
      return
    }
    const rowId = api.getDisplayedRowAtIndex(editing.rowIndex)?.id
    const colId = editing.column?.getColId()
    const ae = document.activeElement
    const input =
      (ae instanceof HTMLInputElement || ae instanceof HTMLTextAreaElement) &&
      container.contains(ae)
        ? ae
        : null
    let caret: [number, number, 'forward' | 'backward' | 'none'] | null = null
    try {
      if (input && input.selectionStart !== null && input.selectionEnd !== null)
        caret = [input.selectionStart, input.selectionEnd, input.selectionDirection ?? 'none']
    } catch {
      // Inputs without a text selection (type=date) have no caret to keep.
    }
    api.setGridOption('suppressFocusAfterRefresh', true)
    try {
      fn()
    } finally {
      api.setGridOption('suppressFocusAfterRefresh', false)
    }
    const node = rowId ? api.getRowNode(rowId) : undefined
    if (
      colId &&
      node?.rowIndex != null &&
      node.rowIndex !== editing.rowIndex &&
      api.getEditingCells().length
    )
      api.setFocusedCell(node.rowIndex, colId)
    if (input?.isConnected) {
      if (document.activeElement !== input) input.focus({ preventScroll: true })
      if (caret) {
        try {
          input.setSelectionRange(caret[0], caret[1], caret[2])
        } catch {
          // See above.
        }
      }
    }
  }
  let sorted = false
  const isSorted = () => sorted
  api.addEventListener('sortChanged', () => {
    sorted = api.getColumnState().some((c) => !!c.sort)
  })
  let problemsGen = 0
  let problemsTimer: ReturnType<typeof setTimeout> | null = null
  const binding = makeGridBinding(workbook, sheet, {
    applyTransaction: (tx) =>
      keepEditor(() => {
        if (loading && (tx.add?.length || tx.remove?.length)) {
          finishLoading()
          return
        }
        // A row transaction re-runs AG Grid's row model (sort, filter, flatten) over every row:
        // ~50 ms per edit at 100,000 rows. Value-only updates with no sort or filter active
        // don't move rows, so they go to their row nodes directly (O(rows changed)).
        let update = tx.update
        if (update?.length && !api.isAnyFilterPresent() && !isSorted()) {
          update = update.filter((row) => {
            const node = api.getRowNode(row.id)
            if (!node) return true
            node.updateData(row)
            return false
          })
        }
        const remove = tx.remove?.map((r) => ({ id: r.id, cells: {} }))
        if (update?.length || remove?.length || tx.add?.length)
          api.applyTransaction({ ...tx, update, remove })
      }),
    setRowData: (rows) =>
      keepEditor(() => {
        if (loading) {
          if (loading.timer !== null) clearTimeout(loading.timer)
          loading = null
        }
        api.setGridOption('rowData', rows)
      }),
    onColumnsChanged: () => {
      readColumns()
      computeSel()
      api.setGridOption('columnDefs', buildColumnDefs(columns, readOnly))
      api.refreshCells({ force: true })
    },
  })

  // Row numbers depend on position: refresh them after inserts/deletes/sorts.
  const refreshRowNumbers = () => api.refreshCells({ columns: [ROW_NUMBER_COL], force: true })
  api.addEventListener('rowDataUpdated', refreshRowNumbers)
  api.addEventListener('sortChanged', refreshRowNumbers)
  api.addEventListener('filterChanged', refreshRowNumbers)
  const offTx = workbook.onChange((c) => {
    const sc = c.sheets.get(sheet.id)
    if (sc && (sc.added.size || sc.removed.size)) queueMicrotask(refreshRowNumbers)
  })

  /** Force-redraws given cells (markers, outlines). Only rendered rows cost anything. */
  const refreshCellsByKey = (keys: Iterable<[string, string]>) => {
    const byCol = new Map<string, IRowNode<RowData>[]>()
    for (const [rowId, colId] of keys) {
      const node = api.getRowNode(rowId)
      if (!node) continue
      const list = byCol.get(colId) ?? []
      list.push(node)
      byCol.set(colId, list)
    }
    for (const [colId, rowNodes] of byCol)
      api.refreshCells({ rowNodes, columns: [colId], force: true })
  }
  const offUnacked = opts.unacked.onChange((keys) => {
    const prefix = sheet.id + '\u0000'
    const cells: [string, string][] = []
    for (const k of keys) {
      if (!k.startsWith(prefix)) continue
      const [, rowId, colId] = k.split('\u0000')
      if (rowId && colId) cells.push([rowId, colId])
    }
    if (cells.length > 500) api.refreshCells({ force: true })
    else refreshCellsByKey(cells)
  })

  const toTextGrid = (sel: NonNullable<GridContext['sel']>): string[][] => {
    const out: string[][] = []
    const cols = columns.slice(sel.c0, sel.c1 + 1)
    for (let r = sel.r0; r <= sel.r1; r++) {
      const node = api.getDisplayedRowAtIndex(r)
      if (!node?.data) continue
      const data = node.data
      out.push(
        cols.map((c) =>
          formatValue(data.cells[c.id] ?? null, c, {
            locale: ctx.locale,
            referenceLabel: (id) => ctx.referenceLabel(c, id),
          }),
        ),
      )
    }
    return out
  }

  const handle: SheetGridHandle = {
    api,
    setReadOnly(next) {
      if (next === readOnly) return
      readOnly = next
      ctx.readOnly = next
      if (next) api.stopEditing(true)
      api.setGridOption('columnDefs', buildColumnDefs(columns, readOnly))
      api.refreshCells({ force: true })
    },
    setLocale(locale, text) {
      ctx.locale = locale
      ctx.unackedTitle = text.unacked
      opts.text = text
      api.refreshCells({ force: true })
    },
    setProblems(problems, message) {
      // An import can bring 100,000s of problems: the cell map is built PROBLEM_SLICE at a time,
      // one task each, and swapped in whole; a newer list supersedes one still being built.
      const gen = ++problemsGen
      const next = new Map<string, string>()
      let at = 0
      const step = () => {
        problemsTimer = null
        if (gen !== problemsGen) return
        const end = Math.min(problems.length, at + PROBLEM_SLICE)
        for (; at < end; at++) {
          const p = problems[at]!
          const k = cellKeyOf(p.rowId, p.colId)
          const prev = next.get(k)
          next.set(k, prev ? prev + '\n' + message(p) : message(p))
        }
        if (at < problems.length) {
          problemsTimer = setTimeout(step, 0)
          return
        }
        const old = ctx.problems
        ctx.problems = next
        // Many problems: redraw what is shown rather than diff two big maps.
        if (old.size + next.size > 1000) {
          api.refreshCells({ force: true })
          return
        }
        const changed: [string, string][] = []
        for (const k of new Set([...old.keys(), ...next.keys()])) {
          if (old.get(k) !== next.get(k)) {
            const i = k.indexOf(':')
            changed.push([k.slice(0, i), k.slice(i + 1)])
          }
        }
        if (changed.length > 500) api.refreshCells({ force: true })
        else refreshCellsByKey(changed)
      }
      step()
    },
    setPeers(peers) {
      const next = new Map<string, PeerMark[]>()
      for (const p of peers) {
        const k = cellKeyOf(p.rowId, p.colId)
        const list = next.get(k) ?? []
        list.push({ clientId: p.clientId, name: p.name, color: p.color })
        next.set(k, list)
      }
      const changed: [string, string][] = []
      for (const k of new Set([...ctx.peers.keys(), ...next.keys()])) {
        const a = ctx.peers.get(k)
        const b = next.get(k)
        if (JSON.stringify(a) !== JSON.stringify(b)) {
          const i = k.indexOf(':')
          changed.push([k.slice(0, i), k.slice(i + 1)])
        }
      }
      ctx.peers = next
      refreshCellsByKey(changed)
    },
    focusCell(rowId, colId) {
      const node = api.getRowNode(rowId)
      if (!node || node.rowIndex === null) return
      api.ensureIndexVisible(node.rowIndex, 'middle')
      api.ensureColumnVisible(colId)
      api.setFocusedCell(node.rowIndex, colId)
    },
    selection,
    selectedRowIds() {
      const s = selection()
      if (s.rowIds.length) return s.rowIds
      const f = api.getFocusedCell()
      const node = f ? api.getDisplayedRowAtIndex(f.rowIndex) : undefined
      return node?.data ? [node.data.id] : []
    },
    insertRow(where) {
      if (readOnly) return
      const ids = handle.selectedRowIds()
      const f = api.getFocusedCell()
      const colId = f?.column.getColId() ?? columns[0]?.id ?? ROW_NUMBER_COL
      let newId: string | undefined
      if (!ids.length) [newId] = sheet.insertEmptyRows(1)
      else if (where === 'above') [newId] = sheet.insertEmptyRows(1, { before: ids[0]! })
      else [newId] = sheet.insertEmptyRows(1, { after: ids[ids.length - 1]! })
      binding.flush()
      if (newId) handle.focusCell(newId, colId)
    },
    addRowAtEnd() {
      if (readOnly) return
      const [newId] = sheet.insertEmptyRows(1)
      binding.flush()
      if (newId && columns[0]) handle.focusCell(newId, columns[0].id)
    },
    deleteSelectedRows() {
      if (readOnly) return
      const ids = handle.selectedRowIds()
      if (!ids.length) return
      const f = api.getFocusedCell()
      sheet.deleteRows(ids)
      binding.flush()
      anchor = focus = null
      computeSel()
      if (f) {
        const idx = Math.min(f.rowIndex, api.getDisplayedRowCount() - 1)
        if (idx >= 0) api.setFocusedCell(idx, f.column.getColId())
      }
    },
    clearSelectedCells() {
      if (readOnly) return
      const s = selection()
      const edits: { row: string; col: string; value: CellValue }[] = []
      for (const row of s.rowIds) for (const col of s.colIds) edits.push({ row, col, value: null })
      if (edits.length) sheet.setCells(edits)
    },
    copySelection() {
      return ctx.sel ? writeTsv(toTextGrid(ctx.sel)) : ''
    },
    pasteText(text) {
      if (readOnly) return
      const grid = parseTsv(text)
      const f = api.getFocusedCell()
      if (!grid.length || !f) return
      const startCol =
        f.column.getColId() === ROW_NUMBER_COL ? 0 : (ctx.colIndex.get(f.column.getColId()) ?? 0)
      const width = Math.min(Math.max(...grid.map((r) => r.length)), columns.length - startCol)
      if (width <= 0 || grid.length * width > MAX_PASTE_CELLS) return
      const targetRows: string[] = []
      for (let r = 0; r < grid.length; r++) {
        const node = api.getDisplayedRowAtIndex(f.rowIndex + r)
        if (!node?.data) break
        targetRows.push(node.data.id)
      }
      let unparsed = 0
      let cells = 0
      const missing = grid.length - targetRows.length
      workbook.transact(() => {
        if (missing > 0) {
          const last = targetRows[targetRows.length - 1]
          targetRows.push(...sheet.insertEmptyRows(missing, last ? { after: last } : {}))
        }
        const edits: { row: string; col: string; value: CellValue }[] = []
        grid.forEach((cellsOfRow, r) => {
          const rowId = targetRows[r]
          if (!rowId) return
          for (let c = 0; c < width; c++) {
            const col = columns[startCol + c]
            if (!col) continue
            const text = cellsOfRow[c] ?? ''
            const res = parseValue(text, col, referenceParseOptions(workbook, col))
            cells++
            if (res.ok) edits.push({ row: rowId, col: col.id, value: res.value })
            else {
              unparsed++
              // Keep what was pasted: validation outlines it, and nothing the user had is lost.
              edits.push({ row: rowId, col: col.id, value: text })
            }
          }
        })
        sheet.setCells(edits)
      }, PASTE)
      binding.flush()
      // Select what was pasted, so Ctrl+C copies it straight back out.
      anchor = { rowIndex: f.rowIndex, colId: columns[startCol]!.id }
      focus = { rowIndex: f.rowIndex + grid.length - 1, colId: columns[startCol + width - 1]!.id }
      computeSel()
      api.refreshCells({ force: false })
      opts.onSelectionChange?.(selection())
      opts.onPasted?.({ cells, unparsed, addedRows: Math.max(0, missing) })
    },
    flushBinding: () => binding.flush(),
    dispose() {
      problemsGen++
      if (problemsTimer !== null) clearTimeout(problemsTimer)
      if (loading?.timer != null) clearTimeout(loading.timer)
      loading = null
      binding.dispose()
      offTx()
      offUnacked()
      container.removeEventListener('keydown', onKeyDown)
      container.removeEventListener('keyup', onKeyTrack)
      container.removeEventListener('mousedown', onMouseTrack, true)
      container.removeEventListener('contextmenu', onGridContextMenu)
      container.removeEventListener('copy', onCopy)
      container.removeEventListener('cut', onCut)
      container.removeEventListener('paste', onPaste)
      api.destroy()
    },
  }
  return handle
}

// ---- references ---------------------------------------------------------------------------

function refLabelColumn(workbook: Workbook, col: Column): { sheet: Sheet; colId: string } | null {
  const refSheet = col.format.refSheet
  if (!refSheet || !workbook.hasSheet(refSheet)) return null
  const sheet = workbook.sheet(refSheet)
  const colId = col.format.refColumn ?? sheet.columns()[0]?.id
  return colId ? { sheet, colId } : null
}

export function referenceLabel(workbook: Workbook, col: Column, rowId: string): string | undefined {
  const ref = refLabelColumn(workbook, col)
  if (!ref?.sheet.hasRow(rowId)) return undefined
  const v = ref.sheet.getCell(rowId, ref.colId)
  return v === null ? undefined : String(v)
}

export function referenceOptions(workbook: Workbook, col: Column): [string, string][] {
  const ref = refLabelColumn(workbook, col)
  if (!ref) return []
  return ref.sheet.rowIds().map((id) => [id, String(ref.sheet.getCell(id, ref.colId) ?? id)])
}

function referenceParseOptions(workbook: Workbook, col: Column) {
  if (col.type !== 'reference') return {}
  const ref = refLabelColumn(workbook, col)
  if (!ref) return {}
  return {
    resolveReference: (text: string) => {
      for (const id of ref.sheet.rowIds())
        if (String(ref.sheet.getCell(id, ref.colId) ?? '') === text) return id
      return undefined
    },
    referenceExists: (id: string) => ref.sheet.hasRow(id),
  }
}

/** An editor's result as the value to store; undefined means "write nothing". */
function toCellValue(result: unknown, col: Column, workbook: Workbook): CellValue | undefined {
  if (!isEditorResult(result)) return undefined
  const r = result as EditorResult
  if (r.kind === 'value') return r.value
  const parsed = parseValue(r.text, col, referenceParseOptions(workbook, col))
  // Unparseable input is kept as typed; validation outlines it and says why.
  return parsed.ok ? parsed.value : r.text
}
