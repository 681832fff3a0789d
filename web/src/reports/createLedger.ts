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
  /** Null while it is being computed (`building`) or when its definition does not compile. */
  live: LiveSummary | null
  /** A big sheet's summary is computed a slice per task: how far it is. */
  building: { done: number; total: number } | null
  error: { error: ExprError; where: string } | null
}

/**
 * Rows per slice of a summary's cold start, one slice per task: about 20–80 ms at 100,000 rows
 * (bench/ledger, "longest slice"), against 150–750 ms for the whole pass in one task.
 */
const SLICE_ROWS = 10_000

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
  /** Summaries still being computed, a slice per task (`pump`), by entry id. */
  const pending = new Map<string, LiveSummary>()
  let timer: ReturnType<typeof setTimeout> | null = null

  /** Runs one slice of the first summary still being computed, then yields to the page. */
  const pump = () => {
    timer = null
    const first = pending.entries().next()
    if (first.done) return
    const [id, live] = first.value
    const finished = live.step()
    if (finished) pending.delete(id)
    // A new entry object: the views' lists see the change (same objects are not re-rendered).
    summaries = summaries.map((e) =>
      e.id === id
        ? { ...e, live: finished ? live : null, building: finished ? null : live.building }
        : e,
    )
    setVersion((v) => v + 1)
    schedule()
  }
  const schedule = () => {
    if (timer === null && pending.size > 0) timer = setTimeout(pump, 0)
  }

  /**
   * Computes a summary from scratch: a sheet of one slice at once, a bigger one a slice per task
   * (`pump`), during which the entry shows its progress instead of figures.
   */
  const startBuild = (id: string, live: LiveSummary): Pick<SummaryEntry, 'live' | 'building'> => {
    live.startSlicedRebuild(SLICE_ROWS)
    if (live.step()) {
      pending.delete(id)
      return { live, building: null }
    }
    pending.set(id, live)
    schedule()
    return { live: null, building: live.building }
  }

  const readAll = () => {
    pending.clear()
    summaries = listSummaries(wb).map(([id, def]): SummaryEntry => {
      const scope = scopes.scope(def.sheetId)
      if (!scope) return { id, def, live: null, building: null, error: null }
      const r = LiveSummary.create(withPeriodRange(wb, summaryDefOf(def), range), scope, {
        rebuild: false,
      })
      if (!r.ok)
        return { id, def, live: null, building: null, error: { error: r.error, where: r.where } }
      return { id, def, ...startBuild(id, r.summary), error: null }
    })
    schedule()
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
    summaries = summaries.map((s) => {
      // A summary being computed queues the change (or starts over when it needs to).
      const building = pending.get(s.id)
      if (building) building.applyChange(change)
      // A change that moves every row (a station's district, columns) is computed in slices too.
      else if (s.live?.needsRebuild(change)) return { ...s, ...startBuild(s.id, s.live) }
      else s.live?.applyChange(change)
      return s
    })
    if (change.sheetsChanged) readAll()
    setVersion((v) => v + 1)
  })
  onCleanup(() => {
    if (timer !== null) clearTimeout(timer)
    pending.clear()
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
