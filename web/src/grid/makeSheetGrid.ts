import type { Column, Problem, Sheet, Workbook } from '@taizhang/shared'
import { createGrid, type GridApi, type GridOptions } from 'ag-grid-community'
import type { UnackedCells } from '../doc/UnackedCells'
import { buildColumnDefs as buildPlainColumnDefs } from './columnDefs'
// issue 16 (access-ui): rules and locks decide what is editable; all writes go through one guard
import { makeAccess } from './features/access'
import { makeClipboard } from './features/clipboard'
import { computedColumns } from './features/computedColumns'
import { conflictMarkers } from './features/conflictMarkers'
import { makeContextMenu } from './features/contextMenu'
import { drillDown } from './features/drillDown'
import { editing } from './features/editing'
// issue 12 (Search): the find bar and its match highlighting
import { find } from './features/find'
// issue 12 (grid-ui): frozen columns, per person and device
import { makeFreeze } from './features/freeze'
import type {
  FeatureContext,
  GridFeature,
  SelectionInfo,
  SheetGridEvents,
} from './features/GridFeature'
import { makeGridEventHub, makeListenerHost } from './features/host'
// issue 12 (grid-ui): IME composition over a selected cell
import { ime } from './features/ime'
import { keyboard } from './features/keyboard'
import { makeModelBinding } from './features/modelBinding'
import { narrowPinned } from './features/narrowPinned'
import { makePresence, type PeerCell } from './features/presence'
import { makeProblems } from './features/problems'
import { makeRangeModel } from './features/range'
import { makeRangeSelect } from './features/rangeSelect'
import { makeRowDrag } from './features/rowDrag'
import { makeRowEdits } from './features/rowEdits'
import { rowNumbers } from './features/rowNumbers'
import { selection } from './features/selection'
import { tapEditing } from './features/tapEditing'
import { totalsRow } from './features/totalsRow'
import { unackedMarkers } from './features/unackedMarkers'
import type { GridContext } from './gridContext'
import { baseGridOptions, type EarlyGrid, registerGridModules, setGridLocale } from './gridOptions'
import { referenceLabel, referenceOptions } from './references'
import type { RowData } from './rowData'

export type { FocusedCell, SelectionInfo } from './features/GridFeature'
export { createEarlyGrid, type EarlyGrid, gridTheme, registerGridModules } from './gridOptions'
export { referenceLabel, referenceOptions } from './references'

export interface SheetGridOptions extends SheetGridEvents {
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
  /** A grid created while the workbook was read, to adopt instead of creating one. */
  early?: EarlyGrid | null
  /** The workbook's id: this device's per-sheet view settings (frozen columns) are keyed by it. */
  workbookId?: string
}

/** What the workbook view (and the command table) can ask of a sheet's grid. */
export interface SheetGridHandle {
  readonly api: GridApi<RowData>
  setReadOnly(readOnly: boolean): void
  setLocale(locale: 'zh-CN' | 'en', text: SheetGridOptions['text']): void
  setProblems(problems: readonly Problem[], message: (p: Problem) => string): void
  setPeers(peers: PeerCell[]): void
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
  /** Opens the context menu under the focused cell. */
  openContextMenu(): void
  /** Moves the range's focus corner (Shift+arrows). */
  extendRange(dRows: number, dCols: number): void
  selectAll(): void
  selectWhole(what: 'rows' | 'columns'): void
  fillDown(): void
  /** Sorts by the focused column (null: no sort). */
  sortFocused(dir: 'asc' | 'desc' | null): void
  /** The focused cell's column id, if any. */
  focusedColId(): string | null
  /** Moves the selected rows one shown row up or down (one undo step). */
  moveRows(delta: -1 | 1): void
  /** Moves the selected rows to shown row `rowNumber` (1-based). */
  moveRowsTo(rowNumber: number): void
  /** Whether a sort is on (rows then can't be moved: the order shown is not the sheet's). */
  isSorted(): boolean
  /** grid-ui (issue 12): freezes the data columns up to `colId` (null: none), saved on this device. */
  freezeTo(colId: string | null): void
  /** The last frozen data column as set, or null. */
  frozenUpTo(): string | null
  flushBinding(): void
  dispose(): void
}

/**
 * Mounts an AG Grid for one sheet and binds it to the model by composing grid features
 * (`features/`): each adds its options, is installed on the grid, and is disposed with it.
 * Plain (no Solid owner): returns a handle whose `dispose` destroys the grid and every
 * subscription.
 */
export function makeSheetGrid(opts: SheetGridOptions): SheetGridHandle {
  performance.mark('tz:grid0')
  registerGridModules()
  setGridLocale(opts.locale)
  const { workbook, container } = opts
  // issue 16 (access-ui): the features write through the guarded sheet (refused cells skipped)
  const access = makeAccess(workbook)
  const sheet = access.guard(opts.sheet)
  const buildColumnDefs = (cols: readonly Column[], ro: boolean) =>
    access.decorate(buildPlainColumnDefs(cols, ro))
  let readOnly = opts.readOnly
  let text = opts.text
  const cells: GridContext = {
    sheetId: sheet.id,
    sheet,
    readOnly,
    locale: opts.locale,
    columns: new Map(),
    unacked: opts.unacked,
    peers: new Map(),
    problems: new Map(),
    warnings: new Map(), // issue 14: outliers, warning-level rules
    conflicts: new Map(),
    sel: null,
    colIndex: new Map(),
    unackedTitle: opts.text.unacked,
    referenceLabel: (col, rowId) => referenceLabel(workbook, col, rowId),
    referenceOptions: (col) => referenceOptions(workbook, col),
    writeCell: (rowId, colId, value) => {
      if (!readOnly) sheet.setCell(rowId, colId, value)
    },
    t: (key) =>
      key === 'editor.search' ? text.search : key === 'editor.none' ? text.none : text.noMatch,
  }
  let columns: Column[] = []
  const readColumns = () => {
    columns = sheet.columns()
    cells.columns = new Map(columns.map((c) => [c.id, c]))
    cells.colIndex = new Map(columns.map((c, i) => [c.id, i]))
  }
  readColumns()

  let api!: GridApi<RowData>
  const range = makeRangeModel(
    () => api,
    cells,
    () => columns,
  )
  const binding = makeModelBinding()
  const rowEdits = makeRowEdits()
  const clipboard = makeClipboard(() => rowEdits.clearSelectedCells())
  const contextMenu = makeContextMenu()
  const rangeSelect = makeRangeSelect()
  const presence = makePresence()
  const problems = makeProblems()
  const freeze = makeFreeze(opts.workbookId ?? '')
  const features: GridFeature[] = [
    binding,
    rowNumbers,
    unackedMarkers,
    // issue 13: winners of concurrent writes
    conflictMarkers,
    selection,
    // before rangeSelect: a press on the row handle is a move, not a range drag
    makeRowDrag(
      (ids, to) => rowEdits.moveRowsToIndex(ids, to),
      () => rowEdits.selectedRowIds(),
    ),
    rangeSelect,
    editing,
    // issue 12 (grid-ui): Chinese typed through an IME over a selected cell starts its editor
    ime,
    rowEdits,
    keyboard,
    contextMenu,
    clipboard,
    presence,
    problems,
    // issue 12 (grid-ui): frozen columns, before narrowPinned caps their width
    freeze,
    // narrow screens and touch (issue 12, "app")
    narrowPinned,
    tapEditing,
    // issue 14 (ledger): the totals row under the grid
    totalsRow,
    // issue 14 (ledger2): computed columns, read-only, after the data columns
    computedColumns,
    // issue 14 (ledger2): a summary's drill-down filters the sheet, with a chip to clear it
    drillDown,
    // issue 12 (Search): find / replace highlights
    find,
    // issue 16 (access-ui): locked / out-of-scope cells, their tooltip
    access,
  ]

  const hub = makeGridEventHub()
  const hosts = features.map(() => makeListenerHost(hub))
  const shared: Omit<FeatureContext, 'host'> = {
    workbook,
    sheet,
    container,
    cells,
    columns: () => columns,
    readOnly: () => readOnly,
    range,
    events: opts,
    flush: () => binding.flush(),
    reloadColumns: () => {
      readColumns()
      range.recompute()
      api.setGridOption('columnDefs', buildColumnDefs(columns, readOnly))
      api.refreshCells({ force: true })
    },
    refreshCells: (keys) => {
      const byCol = new Map<string, NonNullable<ReturnType<typeof api.getRowNode>>[]>()
      for (const [rowId, colId] of keys) {
        const node = api.getRowNode(rowId)
        if (!node) continue
        const list = byCol.get(colId) ?? []
        list.push(node)
        byCol.set(colId, list)
      }
      for (const [colId, rowNodes] of byCol)
        api.refreshCells({ rowNodes, columns: [colId], force: true })
    },
  }
  const ctxs: FeatureContext[] = hosts.map((host) => ({ ...shared, host }))

  // What this sheet adds to the options every grid has (`baseGridOptions`).
  const sheetOptions: GridOptions<RowData> = {
    columnDefs: buildColumnDefs(columns, readOnly),
    context: cells,
    ...hub.options(),
  }
  features.forEach((f, i) => {
    const extra = f.options?.(ctxs[i]!) ?? {}
    for (const key of Object.keys(extra)) {
      if (key in sheetOptions) throw new Error(`grid feature ${f.name} sets ${key} twice`)
    }
    Object.assign(sheetOptions, extra)
  })

  performance.mark('tz:grid1')
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

  const undo: (() => void)[] = []
  features.forEach((f, i) => {
    const off = f.install(api, ctxs[i]!)
    if (off) undo.push(off)
  })

  return {
    api,
    setReadOnly(next) {
      if (next === readOnly) return
      readOnly = next
      cells.readOnly = next
      if (next) api.stopEditing(true)
      api.setGridOption('columnDefs', buildColumnDefs(columns, readOnly))
      api.refreshCells({ force: true })
    },
    setLocale(locale, next) {
      setGridLocale(locale)
      cells.locale = locale
      cells.unackedTitle = next.unacked
      text = next
      api.refreshCells({ force: true })
    },
    setProblems: (list, message) => problems.setProblems(list, message),
    setPeers: (peers) => presence.setPeers(peers),
    focusCell: (rowId, colId) => rowEdits.focusCell(rowId, colId),
    selection: () => range.info(),
    selectedRowIds: () => rowEdits.selectedRowIds(),
    insertRow: (where) => rowEdits.insertRow(where),
    addRowAtEnd: () => rowEdits.addRowAtEnd(),
    deleteSelectedRows: () => rowEdits.deleteSelectedRows(),
    clearSelectedCells: () => rowEdits.clearSelectedCells(),
    copySelection: () => clipboard.copySelection(),
    pasteText: (t) => clipboard.pasteText(t),
    openContextMenu: () => contextMenu.openAtFocus(),
    extendRange: (dr, dc) => rangeSelect.extend(dr, dc),
    selectAll: () => rangeSelect.selectAll(),
    selectWhole: (what) => rangeSelect.selectWhole(what),
    fillDown: () => rowEdits.fillDown(),
    sortFocused(dir) {
      const colId = api.getFocusedCell()?.column.getColId()
      if (!colId || !cells.columns.has(colId)) return
      api.applyColumnState({ state: [{ colId, sort: dir }], defaultState: { sort: null } })
    },
    focusedColId() {
      const colId = api.getFocusedCell()?.column.getColId()
      return colId && cells.columns.has(colId) ? colId : null
    },
    moveRows: (delta) => rowEdits.moveSelectedRows(delta),
    moveRowsTo: (n) => rowEdits.moveSelectedRowsTo(n),
    isSorted: () => api.getColumnState().some((c) => !!c.sort),
    freezeTo: (colId) => freeze.freezeTo(colId),
    frozenUpTo: () => freeze.frozenUpTo(),
    flushBinding: () => binding.flush(),
    dispose() {
      for (let i = undo.length - 1; i >= 0; i--) undo[i]!()
      for (let i = hosts.length - 1; i >= 0; i--) hosts[i]!.dispose()
      api.destroy()
    },
  }
}
