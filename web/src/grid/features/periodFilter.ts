/**
 * The period column filter (issue 14, "ledger2"): an AG Grid filter component for `period` columns
 * with 全部 / 本月 / 上月 / 本季度 / 今年 / 自定义 (from–to, any granularity), using the ranges of
 * shared/src/periods. "Now" is read here, at the edge; a period passes when it lies wholly inside
 * the range (本月 holds 2024-07, not 2024-Q3).
 */
import {
  calendarMonthOf,
  type MonthRange,
  parsePeriod,
  periodInRange,
  periodRange,
  RANGE_KINDS,
  type RangeKind,
} from '@taizhang/shared'
import type { IDoesFilterPassParams, IFilterComp, IFilterParams } from 'ag-grid-community'
import { t } from '../../i18n'
import './periodFilter.css'
import type { RowData } from '../rowData'

export interface PeriodFilterModel {
  kind: RangeKind
  from?: string
  to?: string
}

/** The months a model covers now; undefined for a custom range that does not parse. */
export function rangeOfModel(model: PeriodFilterModel, nowMs: number): MonthRange | undefined {
  return periodRange(model.kind, calendarMonthOf(nowMs), {
    from: model.from ?? '',
    to: model.to ?? '',
  })
}

/** What the user typed (2024年1月, 2024/01, 2024Q3) as a stored period, or '' when it does not parse. */
function canonical(input: string): string {
  const r = parsePeriod(input.trim())
  return r.ok ? r.value : ''
}

export class PeriodFilter implements IFilterComp<RowData> {
  private params!: IFilterParams<RowData>
  private gui = document.createElement('div')
  private model: PeriodFilterModel | null = null
  private range: MonthRange | undefined

  init(params: IFilterParams<RowData>): void {
    this.params = params
    this.gui.className = 'tz-period-filter'
    this.gui.dataset.testid = 'period-filter'
    const select = document.createElement('select')
    select.dataset.testid = 'period-filter-kind'
    for (const k of ['', ...RANGE_KINDS] as const) {
      const o = document.createElement('option')
      o.value = k
      o.textContent = t(
        k === '' ? 'rep.range.all' : k === 'custom' ? 'periodFilter.custom' : `rep.range.${k}`,
      )
      select.appendChild(o)
    }
    const from = document.createElement('input')
    const to = document.createElement('input')
    from.dataset.testid = 'period-filter-from'
    to.dataset.testid = 'period-filter-to'
    from.placeholder = '2024-01'
    to.placeholder = '2024-12'
    const custom = document.createElement('div')
    custom.className = 'tz-period-filter-custom'
    custom.append(from, to)
    const error = document.createElement('div')
    error.className = 'tz-period-filter-error'
    error.dataset.testid = 'period-filter-error'
    const update = () => {
      const kind = select.value as RangeKind | ''
      custom.hidden = kind !== 'custom'
      error.textContent = ''
      if (kind === '') this.model = null
      else {
        const m: PeriodFilterModel =
          kind === 'custom'
            ? { kind, from: canonical(from.value), to: canonical(to.value) }
            : { kind }
        const r = rangeOfModel(m, Date.now())
        if (!r) {
          if (from.value.trim() && to.value.trim()) error.textContent = t('periodFilter.bad')
          return
        }
        this.model = m
      }
      this.range = this.model ? rangeOfModel(this.model, Date.now()) : undefined
      this.params.filterChangedCallback()
    }
    select.addEventListener('change', update)
    from.addEventListener('change', update)
    to.addEventListener('change', update)
    custom.hidden = true
    this.gui.append(select, custom, error)
  }

  getGui(): HTMLElement {
    return this.gui
  }

  isFilterActive(): boolean {
    return this.model !== null && this.range !== undefined
  }

  doesFilterPass(p: IDoesFilterPassParams<RowData>): boolean {
    if (!this.range) return true
    const colId = this.params.column.getColId()
    return periodInRange(p.data?.cells[colId] ?? null, this.range)
  }

  getModel(): PeriodFilterModel | null {
    return this.model
  }

  setModel(model: PeriodFilterModel | null): void {
    this.model = model
    this.range = model ? rangeOfModel(model, Date.now()) : undefined
  }
}
