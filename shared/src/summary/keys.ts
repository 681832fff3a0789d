/**
 * How a summary's group keys are compared, shown and labelled, and the cross-tab's shape: the
 * parts of summaries (summary.ts) that hold no state.
 */

import { comparePeriods, formatPeriod, isPeriod } from '../periods/period.js'
import type { CellValue } from '../schema/columnTypes.js'
import type { AggregateKind } from './aggregate.js'
import type { CrossTabDef, MeasureDef, SummaryDef } from './summary.js'

export type Key = CellValue

const KIND_ZH: Record<AggregateKind, string> = {
  sum: '合计',
  avg: '平均',
  count: '计数',
  distinct: '去重计数',
  min: '最小',
  max: '最大',
  share: '占比',
}

/** The default label of a measure: 服务人次 合计 / 去重计数 站点. */
export function measureLabel(m: MeasureDef): string {
  if (m.label) return m.label
  const what = m.expr?.trim() ? m.expr.trim() : '行数'
  return `${what} ${KIND_ZH[m.kind]}${m.unit ? `（${m.unit}）` : ''}`
}

export function keyText(v: Key): string {
  return v === null || v === undefined
    ? '\u0000'
    : typeof v === 'number'
      ? `n${v}`
      : `s${String(v)}`
}

// One collator: String#localeCompare builds one per call (20× slower when sorting thousands of groups).
const COLLATOR = new Intl.Collator('zh-Hans-CN')

/** Group keys in a person's order: periods chronologically, numbers numerically, text by pinyin order. */
export function compareKeys(a: Key, b: Key): number {
  if (a === b) return 0
  if (a === null || a === undefined || a === '') return 1
  if (b === null || b === undefined || b === '') return -1
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (isPeriod(a) || isPeriod(b)) return comparePeriods(a, b)
  return COLLATOR.compare(String(a), String(b))
}

export function compareKeyLists(a: readonly Key[], b: readonly Key[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareKeys(a[i] ?? null, b[i] ?? null)
    if (c !== 0) return c
  }
  return 0
}

/** How a key is shown: periods the Chinese way, blanks as （空）/(blank). */
export function formatKey(v: Key, locale: 'zh-CN' | 'en' = 'zh-CN'): string {
  if (v === null || v === undefined || v === '') return locale === 'en' ? '(blank)' : '（空）'
  if (isPeriod(v)) return formatPeriod(v, locale === 'en' ? 'iso' : 'zh')
  if (typeof v === 'boolean') return locale === 'en' ? (v ? 'Yes' : 'No') : v ? '是' : '否'
  return String(v)
}

/** A cross-tab's figures: `cells[r][c]`, totals along both sides. */
export interface CrossTab {
  rowLabel: string
  colLabel: string
  measureLabel: string
  rows: Key[]
  columns: Key[]
  cells: (number | null)[][]
  rowTotals: (number | null)[]
  columnTotals: (number | null)[]
  total: number | null
}

/** A cross-tab definition as a two-key summary of one measure. */
export function crossTabSummary(def: CrossTabDef): SummaryDef {
  return {
    title: def.title,
    sheetId: def.sheetId,
    groupBy: [def.rows, def.columns],
    measures: [def.measure],
    filter: def.filter,
  }
}
