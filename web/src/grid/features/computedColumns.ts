/**
 * Computed columns in the grid (issue 14, "ledger2"): each computed-column definition of the sheet
 * (`computed:<sheetId>:…` in the doc, shared/src/expr/computed.ts) is shown as a read-only column
 * after the data columns. Values are computed here on the device per shown row (AG Grid only asks
 * for rendered rows), cached, and the cache dropped when the workbook changes (a definition, this
 * sheet, or a sheet it looks up); nothing is ever written per row. The header marks the column as
 * computed (ƒ, a tooltip with the expression); the column is not editable and is not in the
 * sheet's columns, so range, paste and clear never touch it.
 */
import {
  type ComputedColumn,
  compileComputedColumns,
  createWorkbookScopes,
  onDefinitionsChange,
} from '@taizhang/shared'
import type { ColDef } from 'ag-grid-community'
import { locale, t } from '../../i18n'
import type { RowData } from '../rowData'
import './computedColumns.css'
import type { GridFeature } from './GridFeature'

export const COMPUTED_COL_PREFIX = '__computed:'

/** What a computed cell shows: the value in the locale, or the row's own error (e.g. ÷0). */
export function computedText(
  result: ReturnType<Extract<ComputedColumn, { ok: true }>['compiled']['run']>,
  decimals: number | undefined,
  unit: string | undefined,
  lang: 'zh-CN' | 'en',
): string {
  if (!result.ok) return lang === 'en' ? result.error.message.en : result.error.message.zh
  const v = result.value
  if (v === null || v === undefined || v === '') return ''
  const shown =
    typeof v === 'number'
      ? v.toLocaleString(lang, {
          minimumFractionDigits: decimals ?? 0,
          maximumFractionDigits: decimals ?? 6,
        })
      : String(v)
  return unit ? `${shown} ${unit}` : shown
}

export const computedColumns: GridFeature = {
  name: 'computedColumns',
  install(api, ctx) {
    const { workbook, sheet } = ctx
    const scopes = createWorkbookScopes(workbook)
    ctx.host.add(() => scopes.dispose())
    let compiled: ComputedColumn[] = []
    /** colId → rowId → shown text */
    const cache = new Map<string, Map<string, string>>()

    const cellText = (c: ComputedColumn, rowId: string): string => {
      const colId = COMPUTED_COL_PREFIX + c.id
      let byRow = cache.get(colId)
      if (!byRow) {
        byRow = new Map()
        cache.set(colId, byRow)
      }
      let s = byRow.get(rowId)
      if (s === undefined) {
        s = c.ok
          ? computedText(c.compiled.run(rowId), c.def.decimals, c.def.unit, locale())
          : t('computed.broken')
        byRow.set(rowId, s)
      }
      return s
    }

    const defsFor = (): ColDef<RowData>[] =>
      compiled.map((c) => ({
        colId: COMPUTED_COL_PREFIX + c.id,
        headerName: `ƒ ${c.def.name}`,
        headerTooltip: t('computed.tooltip', { expr: c.def.expr }),
        headerClass: 'tz-header-computed',
        cellClass: c.ok ? 'tz-computed tz-num' : 'tz-computed tz-computed-broken',
        editable: false,
        sortable: true,
        width: 140,
        valueGetter: (p) => (p.data ? cellText(c, p.data.id) : ''),
        tooltipValueGetter: () => t('computed.readOnly'),
        filter: 'agTextColumnFilter',
      }))

    const isComputed = (d: ColDef<RowData>) => !!d.colId?.startsWith(COMPUTED_COL_PREFIX)
    /** Puts this sheet's computed columns after the data columns (again after a column reload). */
    const apply = () => {
      if (api.isDestroyed()) return
      const current = (api.getColumnDefs() ?? []) as ColDef<RowData>[]
      const want = defsFor()
      const have = current.filter(isComputed).map((d) => `${d.colId}|${d.headerName}`)
      if (
        have.length === want.length &&
        have.every((h, i) => h === `${want[i]!.colId}|${want[i]!.headerName}`)
      )
        return
      api.setGridOption('columnDefs', [...current.filter((d) => !isComputed(d)), ...want])
    }
    const recompile = () => {
      const scope = scopes.scope(sheet.id)
      compiled = scope ? compileComputedColumns(workbook, scope) : []
      cache.clear()
      apply()
      if (compiled.length)
        api.refreshCells({ columns: compiled.map((c) => COMPUTED_COL_PREFIX + c.id), force: true })
    }
    let queued = false
    const schedule = () => {
      if (queued) return
      queued = true
      ctx.host.timeout(() => {
        queued = false
        if (!api.isDestroyed()) recompile()
      }, 0)
    }
    // A column reload (reloadColumns, setReadOnly) rebuilds the defs without ours: add them back.
    ctx.host.onGrid(api, 'newColumnsLoaded', () => {
      if (compiled.length) apply()
    })
    ctx.host.add(
      workbook.onChange((c) => {
        if (!compiled.length) return
        // Lookups (站点.持证社工) read other sheets: any change may change a value.
        if (c.sheets.has(sheet.id) || compiled.some((x) => x.ok && x.compiled.readsOtherSheets))
          schedule()
      }),
    )
    ctx.host.add(
      onDefinitionsChange(workbook, (keys) => {
        for (const k of keys) if (k.startsWith('computed:')) return schedule()
      }),
    )
    recompile()
    return undefined
  },
}
