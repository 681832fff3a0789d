/** Summaries, cross-tabs and charts as definitions in the doc (model/definitions.ts). */

import type { ExprScope } from '../expr/evaluate.js'
import type { ExprError } from '../expr/parse.js'
import { deleteDefinition, readDefinitions, writeDefinition } from '../model/definitions.js'
import { createIdGenerator } from '../model/ids.js'
import type { Workbook } from '../model/workbook.js'
import { type CrossTabDef, crossTabSummary, LiveSummary, type SummaryDef } from './summary.js'

const newId = createIdGenerator()

/** A stored summary: a plain summary table, or a cross-tab. */
export type StoredSummary = ({ type: 'table' } & SummaryDef) | ({ type: 'crossTab' } & CrossTabDef)

/** The summary definition a stored summary computes with. */
export function summaryDefOf(s: StoredSummary): SummaryDef {
  return s.type === 'table' ? s : crossTabSummary(s)
}

/** Save a summary after checking that it compiles; a bad expression writes nothing. */
export function saveSummary(
  wb: Workbook,
  scope: ExprScope,
  def: StoredSummary,
  id?: string,
): { ok: true; id: string } | { ok: false; error: ExprError; where: string } {
  // Compiled to refuse a bad expression; not computed (the views compute it, in slices when big).
  const c = LiveSummary.create(summaryDefOf(def), scope, { rebuild: false })
  if (!c.ok) return c
  const key = id ?? newId(8)
  writeDefinition(wb, 'summary', key, def)
  return { ok: true, id: key }
}

export function listSummaries(wb: Workbook): [id: string, def: StoredSummary][] {
  return readDefinitions<StoredSummary>(wb, 'summary')
}

export function removeSummary(wb: Workbook, id: string): void {
  deleteDefinition(wb, 'summary', id)
}

export const ChartKinds = { bar: 'bar', stacked: 'stacked', line: 'line', pie: 'pie' } as const
export type ChartKind = (typeof ChartKinds)[keyof typeof ChartKinds]
export const CHART_KINDS: readonly ChartKind[] = Object.values(ChartKinds)

/** A chart over a stored summary (first key → categories; second key → series). */
export interface ChartDef {
  title: string
  summaryId: string
  kind: ChartKind
}

export function saveChart(wb: Workbook, def: ChartDef, id?: string): string {
  const key = id ?? newId(8)
  writeDefinition(wb, 'chart', key, def)
  return key
}

export function listCharts(wb: Workbook): [id: string, def: ChartDef][] {
  return readDefinitions<ChartDef>(wb, 'chart')
}

export function removeChart(wb: Workbook, id: string): void {
  deleteDefinition(wb, 'chart', id)
}
