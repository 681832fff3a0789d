/**
 * An ECharts option from a summary: one group key → one series over its groups; two keys → the
 * first key as categories and one series per value of the second (stacked for `stacked`). Pure, so
 * it is tested without a canvas.
 */
import { type ChartKind, type CrossTab, formatKey, type SummaryTable } from '@taizhang/shared'

export interface ChartData {
  title: string
  categories: string[]
  series: { name: string; data: (number | null)[] }[]
}

export function chartData(
  title: string,
  table: SummaryTable,
  cross: CrossTab | null,
  lang: 'zh-CN' | 'en',
): ChartData {
  if (cross && table.keyLabels.length >= 2) {
    return {
      title,
      categories: cross.rows.map((r) => formatKey(r, lang)),
      series: cross.columns.map((c, j) => ({
        name: formatKey(c, lang),
        data: cross.cells.map((row) => row[j] ?? null),
      })),
    }
  }
  const detail = table.rows.filter((r) => r.level === 0)
  return {
    title,
    categories: detail.map((r) => formatKey(r.keys[0] ?? null, lang)),
    series: [{ name: table.measureLabels[0] ?? '', data: detail.map((r) => r.values[0] ?? null) }],
  }
}

export function chartOption(kind: ChartKind, d: ChartData): Record<string, unknown> {
  const base = {
    title: { text: d.title, left: 'center', textStyle: { fontSize: 14 } },
    tooltip: { trigger: kind === 'pie' ? 'item' : 'axis' },
    legend: { bottom: 0, type: 'scroll' },
    animation: false,
  }
  if (kind === 'pie') {
    // A pie shows one series: the totals per category across every series.
    const totals = d.categories.map((name, i) => ({
      name,
      value: d.series.reduce((s, x) => s + (x.data[i] ?? 0), 0),
    }))
    return {
      ...base,
      series: [
        { type: 'pie', radius: ['30%', '62%'], data: totals, label: { formatter: '{b}: {d}%' } },
      ],
    }
  }
  return {
    ...base,
    grid: { left: 56, right: 24, top: 48, bottom: 56 },
    xAxis: {
      type: 'category',
      data: d.categories,
      axisLabel: { interval: 0, rotate: d.categories.length > 8 ? 30 : 0 },
    },
    yAxis: { type: 'value' },
    series: d.series.map((s) => ({
      type: kind === 'line' ? 'line' : 'bar',
      name: s.name,
      data: s.data,
      ...(kind === 'stacked' ? { stack: 'total' } : {}),
    })),
  }
}
