/**
 * The ledger's live state for the reports view: stored definitions (summaries, charts, report page,
 * completeness settings) read from the doc, summaries kept up to date from the change feed (each
 * edit from anyone moves one row's contribution), and a version signal the views read. Needs a
 * Solid owner (createX); everything is computed on this device, offline included.
 */
import {
  type ChartDef,
  type CompletenessSettings,
  createWorkbookScopes,
  type ExprError,
  LiveSummary,
  listCharts,
  listCompletenessSettings,
  listSummaries,
  onDefinitionsChange,
  readDefinition,
  type StoredSummary,
  type SummaryDef,
  summaryDefOf,
  type Workbook,
  type WorkbookScopes,
} from '@taizhang/shared'
import { createSignal, onCleanup } from 'solid-js'
import type { ReportLayout } from './reportLayout'

export interface SummaryEntry {
  id: string
  def: StoredSummary
  live: LiveSummary | null
  error: { error: ExprError; where: string } | null
}

export interface Ledger {
  workbook: Workbook
  scopes: WorkbookScopes
  /** Bumped after every change to data or definitions: read it to stay live. */
  version: () => number
  summaries: () => SummaryEntry[]
  charts: () => [string, ChartDef][]
  completeness: () => CompletenessSettings[]
  report: () => ReportLayout
  /** Runs `fn` tracked on the version, so a view re-reads it after any change. */
  live<T>(fn: () => T): T
  /** Limit summaries grouped by a period column to a range of periods (null: all). */
  setPeriodRange(range: { from: string; to: string } | null): void
  periodRange: () => { from: string; to: string } | null
}

/** The summary limited to a period range: a filter on its first group key that is a period column. */
function withPeriodRange(
  wb: Workbook,
  def: SummaryDef,
  range: { from: string; to: string } | null,
): SummaryDef {
  if (!range || !wb.hasSheet(def.sheetId)) return def
  const periodNames = new Set(
    wb
      .sheet(def.sheetId)
      .columns()
      .filter((c) => c.type === 'period')
      .map((c) => c.name),
  )
  const key = def.groupBy.find((g) => periodNames.has(g.trim()))
  if (!key) return def
  const cond = `INPERIOD(${key.trim()}, "${range.from}", "${range.to}")`
  return { ...def, filter: def.filter?.trim() ? `(${def.filter}) && ${cond}` : cond }
}

export function createLedger(wb: Workbook): Ledger {
  const scopes = createWorkbookScopes(wb)
  const [version, setVersion] = createSignal(0)
  let range: { from: string; to: string } | null = null
  let summaries: SummaryEntry[] = []
  let charts: [string, ChartDef][] = []
  let completeness: CompletenessSettings[] = []
  let report: ReportLayout = { items: [] }

  const readAll = () => {
    summaries = listSummaries(wb).map(([id, def]) => {
      const scope = scopes.scope(def.sheetId)
      if (!scope) return { id, def, live: null, error: null }
      const r = LiveSummary.create(withPeriodRange(wb, summaryDefOf(def), range), scope)
      return r.ok
        ? { id, def, live: r.summary, error: null }
        : { id, def, live: null, error: { error: r.error, where: r.where } }
    })
    charts = listCharts(wb)
    completeness = listCompletenessSettings(wb)
    report = readDefinition<ReportLayout>(wb, 'report', 'main') ?? { items: [] }
  }
  readAll()
  const offDefs = onDefinitionsChange(wb, () => {
    readAll()
    setVersion((v) => v + 1)
  })
  const offData = wb.onChange((change) => {
    if (change.sheets.size === 0 && !change.sheetsChanged) return
    for (const s of summaries) s.live?.applyChange(change)
    if (change.sheetsChanged) readAll()
    setVersion((v) => v + 1)
  })
  onCleanup(() => {
    offDefs()
    offData()
    scopes.dispose()
  })
  return {
    workbook: wb,
    scopes,
    version,
    summaries: () => {
      version()
      return summaries
    },
    charts: () => {
      version()
      return charts
    },
    completeness: () => {
      version()
      return completeness
    },
    report: () => {
      version()
      return report
    },
    live: (fn) => {
      version()
      return fn()
    },
    setPeriodRange(next) {
      range = next
      readAll()
      setVersion((v) => v + 1)
    },
    periodRange: () => {
      version()
      return range
    },
  }
}
