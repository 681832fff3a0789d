/**
 * The totals row (issue 14): a strip pinned under the grid with one figure per column — sum,
 * average, count, min, max or none, chosen per column and stored in the doc (definition
 * `totals:<sheetId>`, so everyone sees the same totals) — over the rows the grid shows now (its
 * filter applied). A DOM strip aligned to AG Grid's columns rather than a pinned AG Grid row: a
 * pinned row would go through the editors, renderers and range selection written for model rows.
 */
import {
  type AggregateKind,
  accumulate,
  emptyState,
  finish,
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

/** What a column's total is; `none` shows nothing. */
export type TotalKind = Extract<AggregateKind, 'sum' | 'avg' | 'count' | 'min' | 'max'> | 'none'
export const TOTAL_KINDS: readonly TotalKind[] = ['sum', 'avg', 'count', 'min', 'max', 'none']

/** Numeric columns default to a sum, others to nothing. */
export function defaultTotal(numeric: boolean): TotalKind {
  return numeric ? 'sum' : 'none'
}

/** The total of some cell values (blanks skipped; count counts filled cells). */
export function totalOf(values: Iterable<unknown>, kind: TotalKind): number | null {
  if (kind === 'none') return null
  const s = emptyState(kind)
  for (const v of values) {
    const value = v === undefined ? null : (v as string | number | boolean | null)
    if (kind !== 'count' && typeof value !== 'number') continue
    accumulate(s, { value, matched: false }, 1)
  }
  return finish(s, kind)
}

const STRIP_HEIGHT = 30

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
    let queued = false
    const render = () => {
      queued = false
      if (api.isDestroyed()) return
      const cols = api.getAllDisplayedColumns()
      const visible: string[] = []
      api.forEachNodeAfterFilter((n) => {
        if (n.data) visible.push(n.data.id)
      })
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
      label.textContent = t('totals.label', { n: visible.length })
      left.appendChild(label)
      for (const c of cols.slice(Math.max(1, i)))
        cellFor(c, visible, c.getPinned() === 'left' ? left : inner)
    }
    const cellFor = (c: AgColumn, rowIds: readonly string[], into: HTMLElement) => {
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
        const v = totalOf(
          rowIds.map((id) => sheet.getCell(id, colId)),
          kind,
        )
        const shown =
          v === null
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
    const schedule = () => {
      if (queued) return
      queued = true
      ctx.host.timeout(render, 0)
    }
    ctx.host.onGrid(api, 'filterChanged', schedule)
    ctx.host.onGrid(api, 'modelUpdated', schedule)
    ctx.host.onGrid(api, 'rowDataUpdated', schedule)
    ctx.host.onGrid(api, 'displayedColumnsChanged', schedule)
    ctx.host.onGrid(api, 'columnResized', schedule)
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
    render()
    return () => {
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
