/**
 * What a summary is: the definitions stored in the doc (a summary table, a cross-tab, their measures)
 * and the table a summary computes. `LiveSummary` (summary.ts) keeps one up to date.
 */
import type { MoneyUnit } from '../schema/columnTypes.js'
import type { AggregateKind } from './aggregate.js'
import type { Key } from './keys.js'

/** One measured column of a summary. */
export interface MeasureDef {
  kind: AggregateKind
  /** An expression over the source row (usually a column name); empty for count of rows. */
  expr?: string
  /** share only: the condition a row must meet (e.g. `服务人次 >= 100`). */
  where?: string
  /** Money is read in this unit (元 or 万元): never added raw across units. */
  unit?: MoneyUnit
  label?: string
}

/** A summary table stored in the doc. */
export interface SummaryDef {
  title: string
  sheetId: string
  /** Group-by expressions, outermost first: ['站点.区县', '期间']. */
  groupBy: string[]
  measures: MeasureDef[]
  /** Only rows where this holds (optional). */
  filter?: string
}

/** A cross-tab: rows × columns of one measure, with row and column totals. */
export interface CrossTabDef {
  title: string
  sheetId: string
  rows: string
  columns: string
  measure: MeasureDef
  filter?: string
}

/** A group's figures. `level` 0 is a detail row, 1 a subtotal of the first key, 2 the grand total. */
export interface SummaryRow {
  level: 0 | 1 | 2
  keys: Key[]
  values: (number | null)[]
  rows: number
}

export interface SummaryTable {
  keyLabels: string[]
  measureLabels: string[]
  rows: SummaryRow[]
}
