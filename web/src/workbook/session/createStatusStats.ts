import type { CellValue, Column, Workbook } from '@taizhang/shared'
import { type Accessor, createEffect, createMemo, createSignal, on, onCleanup } from 'solid-js'
import type { SelectionInfo, SheetGridHandle } from '../../grid/makeSheetGrid'
import { formatNumber, locale } from '../../i18n'
import { aggregateValues, type ColumnAggregate, ColumnStats, formatAggregate } from '../columnStats'

export interface StatusStats {
  rows: number
  /** The focused column's name, or null with no focused column (or a block selected). */
  col: string | null
  /** The numbers are the selected block's. */
  selection?: boolean
  /** The numbers are the focused column's rows that pass the filter. */
  filtered?: boolean
  count?: number | null
  sum?: string | null
  avg?: string | null
}

/**
 * Status bar: rows, and count/sum/average of the selected block, or else of the focused column.
 * The column's are kept incrementally (an edit costs the cells it touched; the first pass runs
 * in slices off the hot path); under a filter, and for a block, they are read from the rows the
 * grid shows.
 */
export function createStatusStats(
  wb: Workbook,
  activeSheet: Accessor<string | null>,
  focusedColId: Accessor<string | null>,
  grid: Accessor<SheetGridHandle | null>,
  selection: Accessor<SelectionInfo>,
): Accessor<StatusStats | null> {
  const [statsVersion, setStatsVersion] = createSignal(0)
  let colStats: ColumnStats | null = null
  const bumpStats = () => setStatsVersion((v) => v + 1)
  createEffect(
    on([activeSheet, focusedColId], ([id, colId]) => {
      colStats?.dispose()
      colStats = null
      if (id && colId && wb.hasSheet(id) && wb.sheet(id).column(colId))
        colStats = new ColumnStats(wb.sheet(id), colId, bumpStats)
      bumpStats()
    }),
  )
  const offStats = wb.onChange((c) => {
    const id = activeSheet()
    const sc = id ? c.sheets.get(id) : undefined
    if (!sc) return
    if (sc.columns && colStats && id) {
      // A retyped or deleted column: start over.
      const colId = colStats.colId
      colStats.dispose()
      colStats = wb.sheet(id).column(colId) ? new ColumnStats(wb.sheet(id), colId, bumpStats) : null
      bumpStats()
    } else colStats?.apply(sc)
    if (sc.added.size || sc.removed.size || sc.columns) bumpStats()
  })
  onCleanup(() => {
    offStats()
    colStats?.dispose()
  })
  return createMemo(() => {
    void statsVersion()
    const sel = selection()
    const id = activeSheet()
    if (!id || !wb.hasSheet(id)) return null
    const sheet = wb.sheet(id)
    const rows = sheet.rowCount()
    const lang = locale()
    const shown = (agg: ColumnAggregate, kind: Column | null) => ({
      count: agg.count,
      ...formatAggregate(agg, kind, (n) => formatNumber(n), lang),
    })
    // A block: the cells the grid shows in it (its filter and sort applied).
    if (sel.rows * sel.cols > 1) {
      const agg: ColumnAggregate = { count: 0, sum: 0, numbers: 0 }
      let kind: Column | null | undefined
      for (const colId of sel.colIds) {
        const col = sheet.column(colId)
        if (!col) continue
        const before = agg.numbers
        aggregateValues(
          sel.rowIds.map((r) => sheet.getCell(r, colId)),
          agg,
        )
        if (agg.numbers > before)
          kind = kind === undefined || (kind !== null && sameKind(kind, col)) ? col : null
      }
      return { rows, col: null, selection: true, ...shown(agg, kind ?? null) }
    }
    const cs = colStats
    const col = cs ? sheet.column(cs.colId) : undefined
    if (!cs || !col) return { rows, col: null }
    // Under a filter: the rows shown, read now (the incremental stats cover every row).
    const api = grid()?.api
    if (api && !api.isDestroyed() && api.isAnyFilterPresent()) {
      const values: CellValue[] = []
      api.forEachNodeAfterFilter((node) => {
        if (node.data) values.push((node.data.cells[col.id] ?? null) as CellValue)
      })
      return { rows, col: col.name, filtered: true, ...shown(aggregateValues(values), col) }
    }
    if (!cs.ready()) return { rows, col: col.name, count: null, sum: null, avg: null }
    return { rows, col: col.name, ...shown(cs.value(), col) }
  })
}

/** Numbers of these two columns read the same way (type, unit, decimals). */
function sameKind(a: Column, b: Column): boolean {
  return (
    a.type === b.type &&
    (a.format.unit ?? '') === (b.format.unit ?? '') &&
    a.format.decimals === b.format.decimals
  )
}
