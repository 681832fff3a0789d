/** Export a summary table or cross-tab as CSV text, like a sheet (formula text neutralised). */
import { neutraliseFormula } from '../csv/formula.js'
import { writeCsvText } from '../csv/writeCsv.js'
import { type CrossTab, formatKey, type SummaryTable } from './summary.js'

const LABELS = {
  'zh-CN': { subtotal: '小计', total: '总计', rows: '行数' },
  en: { subtotal: 'Subtotal', total: 'Total', rows: 'Rows' },
} as const

function figure(v: number | null): string {
  return v === null ? '' : String(Math.round(v * 1e6) / 1e6)
}

/** The summary table as CSV: key columns, measures, row count; subtotal and total rows labelled. */
export function summaryToCsv(t: SummaryTable, locale: 'zh-CN' | 'en' = 'zh-CN'): string {
  const L = LABELS[locale]
  const header = [...t.keyLabels, ...t.measureLabels, L.rows].map(neutraliseFormula)
  const rows = t.rows.map((r) => {
    const keys = t.keyLabels.map((_, i) => {
      if (r.level === 2) return i === 0 ? L.total : ''
      if (r.level === 1)
        return i === 0 ? `${formatKey(r.keys[0] ?? null, locale)} ${L.subtotal}` : ''
      return formatKey(r.keys[i] ?? null, locale)
    })
    return [...keys.map(neutraliseFormula), ...r.values.map(figure), String(r.rows)]
  })
  return writeCsvText(header, rows)
}

/** The cross-tab as CSV: one row per row key, a 合计 column and a 合计 row. */
export function crossTabToCsv(x: CrossTab, locale: 'zh-CN' | 'en' = 'zh-CN'): string {
  const total = locale === 'en' ? 'Total' : '合计'
  const header = [
    `${x.rowLabel} \\ ${x.colLabel}`,
    ...x.columns.map((c) => formatKey(c, locale)),
    total,
  ].map(neutraliseFormula)
  const rows = x.rows.map((r, i) => [
    neutraliseFormula(formatKey(r, locale)),
    ...(x.cells[i] ?? []).map(figure),
    figure(x.rowTotals[i] ?? null),
  ])
  rows.push([total, ...x.columnTotals.map(figure), figure(x.total)])
  return writeCsvText(header, rows)
}
