/**
 * The totals row (issue 14): a strip pinned under the grid with one figure per column — sum,
 * average, count, min, max or none, chosen per column and stored in the doc (definition
 * `totals:<sheetId>`, so everyone sees the same totals) — over the rows the grid shows now (its
 * filter applied). A DOM strip aligned to AG Grid's columns rather than a pinned AG Grid row: a
 * pinned row would go through the editors, renderers and range selection written for model rows.
 */
import {
  formatValue,
  isNumericType,
  onDefinitionsChange,
  readDefinition,
  writeDefinition,
} from '@taizhang/shared'
import type { Column as AgColumn } from 'ag-grid-community'
import { locale, t } from '../../i18n'
import './totalsRow.css'
import type { GridFeature } from './GridFeature'
import { type TotalKind, TotalsRun, totalOf } from './totalsCompute'

export { type TotalKind, totalOf }
export const TOTAL_KINDS: readonly TotalKind[] = ['sum', 'avg', 'count', 'min', 'max', 'none']

/** Numeric columns default to a sum, others to nothing. */
export function defaultTotal(numeric: boolean): TotalKind {
  return numeric ? 'sum' : 'none'
}

const STRIP_HEIGHT = 30
/** A slice of the totals' computation gives the page back after this long (ms). */
const SLICE_MS = 8

export const totalsRow: GridFeature = {
  name: 'totalsRow',
  install(api, ctx) {
    const { container, workbook, sheet } = ctx
    const gridEl = container.firstElementChild as HTMLElement | null
    const strip = document.createElement('div')
    strip.className = 'tz-totals'
    strip.dataset.testid = 'totals-row'
    strip.style.height = `${STRIP_HEIGHT}px`
    const left = document.createElement('div')
    left.className = 'tz-totals-left'
    const center = document.createElement('div')
    center.className = 'tz-totals-center'
    const inner = document.createElement('div')
    inner.className = 'tz-totals-inner'
    center.appendChild(inner)
    strip.append(left, center)
    const prev = { display: container.style.display, direction: container.style.flexDirection }
    container.style.display = 'flex'
    container.style.flexDirection = 'column'
    if (gridEl) {
      gridEl.style.flex = '1'
      gridEl.style.minHeight = '0'
    }
    container.appendChild(strip)

    const kinds = (): Record<string, TotalKind> =>
      readDefinition<Record<string, TotalKind>>(workbook, 'totals', sheet.id) ?? {}
    const kindOf = (colId: string): TotalKind => {
      const col = ctx.columns().find((c) => c.id === colId)
      return kinds()[colId] ?? defaultTotal(!!col && isNumericType(col.type))
    }
    let scrollLeft = 0
    // The figures last computed (shown until the next computation has read every row), the
    // number of rows they cover, and the computation under way (a newer one replaces it).
    let figures = new Map<string, number | null>()
    let figureKinds = new Map<string, TotalKind>()
    let shownRows = 0
    let run: TotalsRun | null = null
    let computeQueued = false
    let layoutQueued = false
    const compute = () => {
      computeQueued = false
      if (api.isDestroyed()) return
      const visible: string[] = []
      api.forEachNodeAfterFilter((n) => {
        if (n.data) visible.push(n.data.id)
      })
      const columns = ctx.columns().map((c) => ({ colId: c.id, kind: kindOf(c.id) }))
      const mine = new TotalsRun(visible, columns, (rowId, colId) => sheet.getCell(rowId, colId))
      run = mine
      const slice = () => {
        if (run !== mine || api.isDestroyed()) return
        const until = performance.now() + SLICE_MS
        if (!mine.step(() => performance.now() > until)) {
          ctx.host.timeout(slice, 0)
          return
        }
        run = null
        figures = mine.result()
        figureKinds = new Map(columns.map((c) => [c.colId, c.kind]))
        shownRows = visible.length
        layout()
      }
      slice()
    }
    const layout = () => {
      layoutQueued = false
      if (api.isDestroyed()) return
      const cols = api.getAllDisplayedColumns()
      left.replaceChildren()
      inner.replaceChildren()
      let pinnedWidth = 0
      for (const c of cols) if (c.getPinned() === 'left') pinnedWidth += c.getActualWidth()
      left.style.width = `${pinnedWidth}px`
      inner.style.transform = `translateX(${-scrollLeft}px)`
      // The label ("合计（141 行）") spans the row numbers and the pinned columns after them
      // that show no total (the station name), so it is not cut off.
      let labelWidth = 0
      let i = 0
      for (; i < cols.length; i++) {
        const c = cols[i]!
        const isData = ctx.columns().some((x) => x.id === c.getColId())
        if (
          c.getPinned() !== 'left' ||
          (isData && kindOf(c.getColId()) !== 'none') ||
          (i > 0 && !isData)
        )
          break
        labelWidth += c.getActualWidth()
      }
      const label = document.createElement('div')
      label.className = 'tz-total tz-total-label'
      label.style.left = '0px'
      label.style.width = `${labelWidth}px`
      label.textContent = t('totals.label', { n: shownRows })
      left.appendChild(label)
      for (const c of cols.slice(Math.max(1, i)))
        cellFor(c, c.getPinned() === 'left' ? left : inner)
    }
    const cellFor = (c: AgColumn, into: HTMLElement) => {
      const colId = c.getColId()
      const el = document.createElement('button')
      el.type = 'button'
      el.className = 'tz-total'
      el.style.left = `${c.getLeft() ?? 0}px`
      el.style.width = `${c.getActualWidth()}px`
      const col = ctx.columns().find((x) => x.id === colId)
      if (!col) return
      {
        const kind = kindOf(colId)
        el.dataset.col = colId
        el.dataset.kind = kind
        // A kind just chosen shows … until its figure is computed (not the old kind's figure).
        const ready = figureKinds.get(colId) === kind
        const v = ready ? (figures.get(colId) ?? null) : null
        const shown = !ready
          ? '…'
          : v === null
            ? ''
            : kind === 'count'
              ? String(v)
              : formatValue(
                  v,
                  kind === 'avg' && col.type === 'integer'
                    ? {
                        ...col,
                        type: 'number',
                        format: { ...col.format, decimals: col.format.decimals ?? 2 },
                      }
                    : col,
                  {
                    locale: locale(),
                  },
                )
        el.textContent = kind === 'none' ? '' : `${t(`totals.${kind}`)} ${shown}`
        el.title = t('totals.choose')
        el.addEventListener('click', () => {
          if (ctx.readOnly()) return
          const next = TOTAL_KINDS[(TOTAL_KINDS.indexOf(kind) + 1) % TOTAL_KINDS.length]!
          writeDefinition(workbook, 'totals', sheet.id, { ...kinds(), [colId]: next })
        })
      }
      into.appendChild(el)
    }
    // Values changed (or which rows show, or a column's kind): compute again. Widths and order
    // changed: lay out the figures already computed.
    const schedule = () => {
      if (computeQueued) return
      computeQueued = true
      ctx.host.timeout(compute, 0)
    }
    const scheduleLayout = () => {
      if (layoutQueued) return
      layoutQueued = true
      ctx.host.timeout(layout, 0)
    }
    ctx.host.onGrid(api, 'filterChanged', schedule)
    ctx.host.onGrid(api, 'modelUpdated', schedule)
    ctx.host.onGrid(api, 'rowDataUpdated', schedule)
    ctx.host.onGrid(api, 'displayedColumnsChanged', scheduleLayout)
    ctx.host.onGrid(api, 'columnResized', scheduleLayout)
    ctx.host.onGrid(api, 'bodyScroll', (e: { left: number; direction: string }) => {
      if (e.direction !== 'horizontal') return
      scrollLeft = e.left
      inner.style.transform = `translateX(${-scrollLeft}px)`
    })
    ctx.host.add(
      workbook.onChange((c) => {
        if (c.sheets.has(sheet.id)) schedule()
      }),
    )
    ctx.host.add(
      onDefinitionsChange(workbook, (keys) => {
        if (keys.has(`totals:${sheet.id}`)) schedule()
      }),
    )
    compute()
    // Still computing (a large sheet): show the strip with … until the figures are ready.
    if (run) layout()
    return () => {
      run = null
      strip.remove()
      container.style.display = prev.display
      container.style.flexDirection = prev.direction
      if (gridEl) {
        gridEl.style.flex = ''
        gridEl.style.minHeight = ''
      }
    }
  },
}
