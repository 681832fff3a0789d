import { formatValue, isNumericType, type Workbook } from '@taizhang/shared'
import { type Accessor, createEffect, createMemo, createSignal, on, onCleanup } from 'solid-js'
import { formatNumber, locale } from '../../i18n'
import { ColumnStats } from '../columnStats'

export interface StatusStats {
  rows: number
  /** The focused column's name, or null with no focused column. */
  col: string | null
  count?: number | null
  sum?: string | null
  avg?: string | null
}

/**
 * Status bar: rows, and sum/average/count of the focused column. Kept incrementally (an edit
 * costs the cells it touched); the first pass over a column runs in slices off the hot path.
 */
export function createStatusStats(
  wb: Workbook,
  activeSheet: Accessor<string | null>,
  focusedColId: Accessor<string | null>,
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
    const id = activeSheet()
    if (!id || !wb.hasSheet(id)) return null
    const sheet = wb.sheet(id)
    const rows = sheet.rowCount()
    const cs = colStats
    const col = cs ? sheet.column(cs.colId) : undefined
    if (!cs || !col) return { rows, col: null }
    if (!cs.ready()) return { rows, col: col.name, count: null, sum: null, avg: null }
    const { count, sum, numbers } = cs.value()
    const fmt = (n: number) =>
      isNumericType(col.type) ? formatValue(n, col, { locale: locale() }) : formatNumber(n)
    return {
      rows,
      col: col.name,
      count,
      sum: numbers ? fmt(sum) : null,
      avg: numbers ? fmt(sum / numbers) : null,
    }
  })
}
