/**
 * Find and replace in the grid (issue 12, "Search"). The find bar (`FindBar.tsx`) keeps the query
 * here; this module lists the matches (case-insensitive, on the text a cell shows: formatted
 * numbers, dates, enum and reference labels) in this sheet or in every sheet, and the grid feature
 * `find` marks the matching cells of the sheet on screen with the class `tz-find-match` (the
 * current one also `tz-find-current`).
 *
 * Why classes on the DOM and not a `cellClassRules` entry: the column defs (`columnDefs.ts`) are
 * owned by another module; the feature re-applies the classes after every render-changing grid
 * event, which covers scrolling, sorting, filtering and edits.
 */
import type { CellValue, Column, Workbook } from '@taizhang/shared'
import type { GridApi } from 'ag-grid-community'
import type { GridContext } from '../gridContext'
import type { RowData } from '../rowData'
import type { GridFeature } from './GridFeature'

export interface FindMatch {
  sheetId: string
  rowId: string
  colId: string
}

export interface FindState {
  open: boolean
  /** The replace row is shown (Ctrl+H, editors only). */
  replace: boolean
  query: string
  allSheets: boolean
  matches: FindMatch[]
  /** Index of the current match in `matches`, or -1. */
  index: number
}

let state: FindState = {
  open: false,
  replace: false,
  query: '',
  allSheets: false,
  matches: [],
  index: -1,
}
const listeners = new Set<() => void>()

export function findState(): FindState {
  return state
}

export function onFindChange(l: () => void): () => void {
  listeners.add(l)
  return () => listeners.delete(l)
}

export function setFindState(patch: Partial<FindState>): void {
  state = { ...state, ...patch }
  for (const l of listeners) l()
}

/** The grid on screen, as the find bar needs it: its sheet, API and renderers' context. */
export interface LiveGrid {
  sheetId: string
  api: GridApi<RowData>
  cells: GridContext
  focus(rowId: string, colId: string): void
}
let live: LiveGrid | null = null
export function liveGrid(): LiveGrid | null {
  return live
}

/** The text a cell shows (as the renderer formats it). */
export type CellText = (col: Column, value: CellValue) => string

/**
 * Every match of `query` (case-insensitive) in the given sheets, sheet by sheet, rows in sheet
 * order, columns in display order. `visible(sheetId)` may narrow a sheet's rows to the order the
 * grid shows (filter and sort applied).
 */
export function findMatches(
  workbook: Workbook,
  sheetIds: readonly string[],
  query: string,
  text: CellText,
  order?: (sheetId: string) => string[] | null,
): FindMatch[] {
  const q = query.toLocaleLowerCase()
  if (!q) return []
  const out: FindMatch[] = []
  for (const sheetId of sheetIds) {
    const sheet = workbook.sheet(sheetId)
    const cols = sheet.columns()
    const rows = sheet.readRows()
    const byId = new Map(rows.map((r) => [r.id, r]))
    const ids = order?.(sheetId) ?? rows.map((r) => r.id)
    for (const rowId of ids) {
      const row = byId.get(rowId)
      if (!row) continue
      for (const col of cols) {
        const v = row.cells[col.id] ?? null
        if (v === null) continue
        if (text(col, v).toLocaleLowerCase().includes(q))
          out.push({ sheetId, rowId, colId: col.id })
      }
    }
  }
  return out
}

/**
 * A stored text value with every case-insensitive occurrence of `query` replaced; null when the
 * value is not text (numbers, dates, enums… are not rewritten by replace).
 */
export function replaceInValue(value: CellValue, query: string, by: string): string | null {
  if (typeof value !== 'string' || !query) return null
  const lower = value.toLocaleLowerCase()
  const q = query.toLocaleLowerCase()
  let out = ''
  let from = 0
  for (let i = lower.indexOf(q); i >= 0; i = lower.indexOf(q, from)) {
    out += value.slice(from, i) + by
    from = i + q.length
  }
  return from === 0 ? null : out + value.slice(from)
}

const MATCH = 'tz-find-match'
const CURRENT = 'tz-find-current'

export const find: GridFeature = {
  name: 'find',
  install(api, ctx) {
    let frame = 0
    const paint = () => {
      frame = 0
      if (api.isDestroyed()) return
      const mine = new Set<string>()
      let current = ''
      if (state.open) {
        state.matches.forEach((m, i) => {
          if (m.sheetId !== ctx.sheet.id) return
          const key = `${m.rowId}\u0000${m.colId}`
          mine.add(key)
          if (i === state.index) current = key
        })
      }
      for (const el of ctx.container.querySelectorAll<HTMLElement>('.ag-row[row-id] .ag-cell')) {
        const rowId = el.closest<HTMLElement>('.ag-row')?.getAttribute('row-id') ?? ''
        const key = `${rowId}\u0000${el.getAttribute('col-id') ?? ''}`
        el.classList.toggle(MATCH, mine.has(key))
        el.classList.toggle(CURRENT, key === current)
      }
    }
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(paint)
    }
    ctx.host.add(() => cancelAnimationFrame(frame))
    for (const ev of [
      'modelUpdated',
      'bodyScroll',
      'viewportChanged',
      'virtualColumnsChanged',
      'cellValueChanged',
      'displayedColumnsChanged',
    ] as const)
      ctx.host.onGrid(api, ev, schedule)
    ctx.host.add(onFindChange(schedule))
    const me: LiveGrid = {
      sheetId: ctx.sheet.id,
      api,
      cells: ctx.cells,
      focus: (rowId, colId) => {
        const node = api.getRowNode(rowId)
        if (!node || node.rowIndex === null) return
        api.ensureIndexVisible(node.rowIndex)
        api.ensureColumnVisible(colId)
        api.setFocusedCell(node.rowIndex, colId)
        schedule()
      },
    }
    live = me
    for (const l of listeners) l()
    schedule()
    return () => {
      if (live === me) live = null
    }
  },
}
