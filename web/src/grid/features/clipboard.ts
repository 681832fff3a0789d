import { type CellValue, formatValue, PASTE, parseValue } from '@taizhang/shared'
import type { GridApi } from 'ag-grid-community'
import { ROW_NUMBER_COL } from '../columnDefs'
import type { GridContext } from '../gridContext'
import { referenceParseOptions } from '../references'
import type { RowData } from '../rowData'
import { parseTsv, writeTsv } from '../tsv'
import type { FeatureContext, GridFeature } from './GridFeature'

/** Cells a single paste may write; past it we refuse rather than freeze the tab. */
const MAX_PASTE_CELLS = 200_000

export interface ClipboardFeature extends GridFeature {
  /** The range as TSV (formatted as shown: Excel/WPS paste it as a block). */
  copySelection(): string
  /** Writes a TSV block at the focused cell (rows added as needed), one undo step. */
  pasteText(text: string): void
}

/**
 * Copy, cut and paste through the clipboard events (no permission prompt, every browser); the
 * context menu calls `copySelection`/`pasteText` with the async clipboard instead.
 */
export function makeClipboard(clearRange: () => void): ClipboardFeature {
  let at: { api: GridApi<RowData>; ctx: FeatureContext } | null = null
  const self: ClipboardFeature = {
    name: 'clipboard',
    copySelection() {
      if (!at?.ctx.cells.sel) return ''
      return writeTsv(toTextGrid(at.api, at.ctx, at.ctx.cells.sel))
    },
    pasteText(text) {
      if (!at || at.ctx.readOnly()) return
      pasteBlock(at.api, at.ctx, text)
    },
    install(api, ctx) {
      at = { api, ctx }
      ctx.host.add(() => {
        at = null
      })
      const isEditing = () => api.getEditingCells().length > 0
      const onCopy = (e: ClipboardEvent) => {
        if (isEditing() || !ctx.cells.sel) return
        if ((e.target as HTMLElement).closest('input, textarea')) return
        e.preventDefault()
        e.clipboardData?.setData('text/plain', self.copySelection())
      }
      ctx.host.listen(ctx.container, 'copy', onCopy)
      ctx.host.listen(ctx.container, 'cut', (e) => {
        onCopy(e)
        if (!isEditing() && ctx.cells.sel && !ctx.readOnly()) clearRange()
      })
      ctx.host.listen(ctx.container, 'paste', (e) => {
        if (isEditing()) return
        if ((e.target as HTMLElement).closest('input, textarea')) return
        const text = e.clipboardData?.getData('text/plain')
        if (!text) return
        e.preventDefault()
        self.pasteText(text)
      })
      return undefined
    },
  }
  return self
}

function toTextGrid(
  api: GridApi<RowData>,
  ctx: FeatureContext,
  sel: NonNullable<GridContext['sel']>,
): string[][] {
  const out: string[][] = []
  const cols = ctx.columns().slice(sel.c0, sel.c1 + 1)
  // One set of format options per column, not per cell (a 10,000 × 12 copy formats 120,000).
  const ids = cols.map((c) => c.id)
  const opts = cols.map((c) => ({
    locale: ctx.cells.locale,
    referenceLabel: (id: string) => ctx.cells.referenceLabel(c, id),
  }))
  const n = cols.length
  for (let r = sel.r0; r <= sel.r1; r++) {
    // The displayed order (sort, filter) is the range's: row r of the range is the grid's row r.
    const data = api.getDisplayedRowAtIndex(r)?.data
    if (!data) continue
    const cells = data.cells
    const line = new Array<string>(n)
    for (let i = 0; i < n; i++) {
      const v = cells[ids[i]!]
      line[i] = v === null || v === undefined ? '' : formatValue(v, cols[i]!, opts[i])
    }
    out.push(line)
  }
  return out
}

function pasteBlock(api: GridApi<RowData>, ctx: FeatureContext, text: string): void {
  const { workbook, sheet } = ctx
  const columns = ctx.columns()
  const grid = parseTsv(text)
  const f = api.getFocusedCell()
  if (!grid.length || !f) return
  const startCol =
    f.column.getColId() === ROW_NUMBER_COL ? 0 : (ctx.cells.colIndex.get(f.column.getColId()) ?? 0)
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
        const t = cellsOfRow[c] ?? ''
        const res = parseValue(t, col, referenceParseOptions(workbook, col))
        cells++
        if (res.ok) edits.push({ row: rowId, col: col.id, value: res.value })
        else {
          unparsed++
          // Keep what was pasted: validation outlines it, and nothing the user had is lost.
          edits.push({ row: rowId, col: col.id, value: t })
        }
      }
    })
    sheet.setCells(edits)
  }, PASTE)
  ctx.flush()
  // Select what was pasted, so Ctrl+C copies it straight back out.
  ctx.range.set(
    { rowIndex: f.rowIndex, colId: columns[startCol]!.id },
    { rowIndex: f.rowIndex + grid.length - 1, colId: columns[startCol + width - 1]!.id },
  )
  api.refreshCells({ force: false })
  ctx.events.onSelectionChange?.(ctx.range.info())
  ctx.events.onPasted?.({ cells, unparsed, addedRows: Math.max(0, missing) })
}
