/** The report page's layout, stored in the doc as definition `report:main`. */
export type ReportItem =
  | {
      type: 'figure'
      label: string
      /**
       * An expression over the summaries' grand totals (`按区县汇总.服务人次合计 / 1435`; names in
       * shared/src/summary/figures.ts). Figures saved before expressions have only the two below.
       */
      expr?: string
      /** Without `expr`: this summary's grand total of measure `measure`. */
      summaryId?: string
      measure?: number
      /** Shown after the figure: 家, 次, 人次, %. */
      unit: string
      /** `percent`: × 100 with one decimal; `wan`: in 万 with one decimal; else grouped digits. */
      style?: 'plain' | 'percent' | 'wan'
    }
  | { type: 'chart'; chartId: string }

export interface ReportLayout {
  title?: string
  items: ReportItem[]
}

/** A key figure the way a report writes it: 1,435 家, 63.7%, 2.3 万次 (2,893 次 below 10,000). */
export function formatFigure(
  value: number | null,
  style: 'plain' | 'percent' | 'wan' = 'plain',
  locale: 'zh-CN' | 'en' = 'zh-CN',
): string {
  if (value === null || !Number.isFinite(value)) return '—'
  if (style === 'percent') return `${(Math.round(value * 1000) / 10).toFixed(1)}%`
  if (style === 'wan') {
    // Below 10,000 a figure is written out (2,893 次), above in 万 (2.3 万次), as reports do.
    if (locale === 'en' || Math.abs(value) < 10_000)
      return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value)
    // zh-data: Chinese data (a district column's name, the 万 unit), not UI text
    return `${(Math.round(value / 1000) / 10).toFixed(1)} 万`
  }
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value)
}
