import { AG_GRID_LOCALE_CN } from '@ag-grid-community/locale'
import type { Sheet } from '@taizhang/shared'
import {
  CellStyleModule,
  ClientSideRowModelApiModule,
  ClientSideRowModelModule,
  ColumnApiModule,
  ColumnAutoSizeModule,
  CustomEditorModule,
  createGrid,
  EventApiModule,
  type GridApi,
  type GridOptions,
  LocaleModule,
  ModuleRegistry,
  NumberFilterModule,
  RenderApiModule,
  RowApiModule,
  ScrollApiModule,
  TextFilterModule,
  TooltipModule,
  themeQuartz,
} from 'ag-grid-community'
import { isCommandKey } from '../app/toolbarExtensions'
import { type FirstScreen, refLabelKey } from '../doc/firstScreen'
import type { UnackedCells } from '../doc/UnackedCells'
import { buildColumnDefs } from './columnDefs'
import { ROW_BUFFER } from './features/modelBinding'
import type { GridContext } from './gridContext'
import type { RowData } from './rowData'

/**
 * The language of AG Grid's own strings (filter popup, "No Rows To Show"…), following the app's:
 * AG Grid's zh-CN catalog from @ag-grid-community/locale. `getLocaleText` reads it when a string
 * is drawn, so a switch applies to popups opened after it without recreating the grid.
 */
let gridLocale: 'zh-CN' | 'en' = 'zh-CN'
export function setGridLocale(locale: 'zh-CN' | 'en'): void {
  gridLocale = locale
}
const zhText = AG_GRID_LOCALE_CN as Record<string, string>

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
    LocaleModule,
    // Column headers show their full name on hover (long names are cut: 投入资金（万…).
    TooltipModule,
    // grid-ui (issue 12): double-click a header's resize border to fit the column to its content
    // (AG Grid's own autosize; api.autoSizeColumns).
    ColumnAutoSizeModule,
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
export function baseGridOptions(): GridOptions<RowData> {
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
      // Keys a command owns (the command table) are not AG Grid's to handle.
      suppressKeyboardEvent: (p) => !p.editing && isCommandKey(p.event),
    },
    // AG Grid's own undo stack is cleared by every remote update; ours is Y.UndoManager.
    undoRedoCellEditing: false,
    getLocaleText: (p) =>
      gridLocale === 'zh-CN' ? (zhText[p.key] ?? p.defaultValue) : p.defaultValue,
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
  setGridLocale(locale)
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
    warnings: new Map(),
    conflicts: new Map(), // issue 13
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
