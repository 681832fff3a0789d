import type * as XLSX from '@e965/xlsx'
import { createWorkbookScopes } from '../expr/workbookScope.js'
import type { Workbook } from '../model/workbook.js'
import { listSummaries, summaryDefOf } from '../summary/store.js'
import { formatKey, LiveSummary } from '../summary/summary.js'

/** A summary (issue 14) as rows of cells for its own worksheet in a whole-workbook export. */
export interface SummarySheet {
  title: string
  header: string[]
  rows: (XLSX.CellObject | undefined)[][]
}

const LABELS = {
  'zh-CN': { subtotal: '小计', total: '总计', rows: '行数', sum: '合计' },
  en: { subtotal: 'Subtotal', total: 'Total', rows: 'Rows', sum: 'Total' },
} as const

const num = (v: number | null): XLSX.CellObject | undefined =>
  v === null ? undefined : { t: 'n', v }
const text = (s: string): XLSX.CellObject => ({ t: 's', v: s })

/**
 * Every stored summary and cross-tab of the workbook, computed now (issue #15 §2: "summaries too
 * once they exist"): key columns as text, figures as numbers, subtotal and total rows labelled as
 * the report page shows them; a cross-tab as its matrix with a 合计 column and row. A summary whose
 * definition no longer compiles (a column renamed away) is left out.
 */
export function summarySheets(wb: Workbook, locale: 'zh-CN' | 'en' = 'zh-CN'): SummarySheet[] {
  const L = LABELS[locale]
  const scopes = createWorkbookScopes(wb)
  const out: SummarySheet[] = []
  try {
    collect()
  } finally {
    scopes.dispose()
  }
  return out

  function collect(): void {
    for (const [, def] of listSummaries(wb)) {
      const scope = scopes.scope(def.sheetId)
      if (!scope) continue
      const live = LiveSummary.create(summaryDefOf(def), scope)
      if (!live.ok) continue
      if (def.type === 'crossTab') {
        const x = live.summary.crossTab()
        out.push({
          title: def.title,
          header: [
            `${x.rowLabel} \\ ${x.colLabel}`,
            ...x.columns.map((c) => formatKey(c, locale)),
            L.sum,
          ],
          rows: [
            ...x.rows.map((r, i) => [
              text(formatKey(r, locale)),
              ...(x.cells[i] ?? []).map(num),
              num(x.rowTotals[i] ?? null),
            ]),
            [text(L.sum), ...x.columnTotals.map(num), num(x.total)],
          ],
        })
        continue
      }
      const t = live.summary.table()
      out.push({
        title: def.title,
        header: [...t.keyLabels, ...t.measureLabels, L.rows],
        rows: t.rows.map((r) => [
          ...t.keyLabels.map((_, i) => {
            if (r.level === 2) return i === 0 ? text(L.total) : undefined
            if (r.level === 1)
              return i === 0
                ? text(`${formatKey(r.keys[0] ?? null, locale)} ${L.subtotal}`)
                : undefined
            return text(formatKey(r.keys[i] ?? null, locale))
          }),
          ...r.values.map(num),
          num(r.rows),
        ]),
      })
    }
  }
}
