/**
 * Reporting completeness (DHIS2's reporting rate, offline): a periodic sheet declares its keys (a
 * reference to the stations sheet + a period column) and its required columns; the matrix stations ×
 * periods says 已上报 (every required cell of a row filled), 部分, 未上报, or 已确认完成 (the station
 * marked it complete: a record in the doc with who and when, removed again by an undo). Missing
 * station-period rows are never invented: they are shown as missing, and a row is created only
 * when someone asks for it (`createPeriodRow`).
 */
import { checkRules, type RuleProblem, rulesOf } from '../expr/computed.js'
import type { ExprScope } from '../expr/evaluate.js'
import {
  deleteDefinition,
  readDefinition,
  readDefinitions,
  writeDefinition,
} from '../model/definitions.js'
import type { Workbook } from '../model/workbook.js'
import { type Granularity, readPeriod } from '../periods/period.js'
import { periodsBetween } from '../periods/ranges.js'
import type { CellValue } from '../schema/columnTypes.js'

/** What a periodic sheet declares. Column ids, not names: a rename keeps the settings. */
export interface CompletenessSettings {
  sheetId: string
  /** Reference column to the stations sheet. */
  stationColumn: string
  periodColumn: string
  granularity: Granularity
  /** Columns that must be filled for a row to count as reported. */
  required: string[]
  /** First and last expected period (stored forms). */
  from: string
  to: string
  /** A column of the stations sheet to group rates by (区县). */
  districtColumn?: string
  /** Marking complete requires the sheet's rules (errors) to pass for that row. */
  requireRulesToMark?: boolean
}

export const CompletenessStatuses = {
  reported: 'reported',
  partial: 'partial',
  missing: 'missing',
  confirmed: 'confirmed',
} as const
export type CompletenessStatus = (typeof CompletenessStatuses)[keyof typeof CompletenessStatuses]

export const STATUS_LABELS: Record<CompletenessStatus, { zh: string; en: string }> = {
  reported: { zh: '已上报', en: 'Reported' },
  partial: { zh: '部分', en: 'Partial' },
  missing: { zh: '未上报', en: 'Not reported' },
  confirmed: { zh: '已确认完成', en: 'Marked complete' },
}

/** A "marked complete" record. */
export interface CompletionMark {
  by: string
  at: number
}

export interface StationInfo {
  id: string
  label: string
  district: string
}

/** The pure input: stations, periods, and each data row reduced to its keys and filled count. */
export interface CompletenessInput {
  stations: readonly StationInfo[]
  periods: readonly string[]
  rows: Iterable<{ rowId: string; station: CellValue; period: CellValue; filled: number }>
  required: number
  marks: ReadonlyMap<string, CompletionMark>
}

export interface CompletenessCell {
  status: CompletenessStatus
  /** The best row for the cell (most required cells filled), to jump to; none when missing. */
  rowId?: string
  mark?: CompletionMark
}

export interface Rate {
  expected: number
  /** Reported or marked complete. */
  reported: number
  rate: number | null
}

export interface CompletenessMatrix {
  stations: readonly StationInfo[]
  periods: readonly string[]
  /** cells[station][period] */
  cells: CompletenessCell[][]
  byPeriod: Rate[]
  /** district → rate per period, and over all periods. */
  byDistrict: { district: string; byPeriod: Rate[]; overall: Rate }[]
  overall: Rate
}

export function markKey(sheetId: string, stationId: string, period: string): string {
  return `${sheetId}|${stationId}|${period}`
}

function rate(expected: number, reported: number): Rate {
  return { expected, reported, rate: expected === 0 ? null : reported / expected }
}

/**
 * Build the matrix. Rows whose station or period is not expected are ignored (not counted twice);
 * two rows for one station and period count as one, the fuller one.
 */
export function computeCompleteness(input: CompletenessInput, sheetId: string): CompletenessMatrix {
  const si = new Map(input.stations.map((s, i) => [s.id, i]))
  const pi = new Map(input.periods.map((p, i) => [p, i]))
  const best: { filled: number; rowId: string }[][] = input.stations.map(() => [])
  for (const r of input.rows) {
    if (typeof r.station !== 'string' || typeof r.period !== 'string') continue
    const s = si.get(r.station)
    const p = pi.get(r.period)
    if (s === undefined || p === undefined) continue
    const cur = best[s]![p]
    if (!cur || r.filled > cur.filled) best[s]![p] = { filled: r.filled, rowId: r.rowId }
  }
  const nP = input.periods.length
  const periodReported = new Array<number>(nP).fill(0)
  const districts = new Map<string, { perPeriod: number[]; stations: number }>()
  const cells = input.stations.map((st, s) => {
    let d = districts.get(st.district)
    if (!d) {
      d = { perPeriod: new Array<number>(nP).fill(0), stations: 0 }
      districts.set(st.district, d)
    }
    d.stations++
    return input.periods.map((period, p): CompletenessCell => {
      const b = best[s]![p]
      const mark = input.marks.get(markKey(sheetId, st.id, period))
      let status: CompletenessStatus
      if (mark) status = 'confirmed'
      else if (!b) status = 'missing'
      else status = b.filled >= input.required ? 'reported' : 'partial'
      if (status === 'confirmed' || status === 'reported') {
        periodReported[p]!++
        d!.perPeriod[p]!++
      }
      const cell: CompletenessCell = { status }
      if (b) cell.rowId = b.rowId
      if (mark) cell.mark = mark
      return cell
    })
  })
  const nS = input.stations.length
  const byDistrict = [...districts.entries()]
    .sort((a, b) => a[0].localeCompare(b[0], 'zh-Hans-CN'))
    .map(([district, d]) => ({
      district,
      byPeriod: d.perPeriod.map((n) => rate(d.stations, n)),
      overall: rate(
        d.stations * nP,
        d.perPeriod.reduce((a, b) => a + b, 0),
      ),
    }))
  return {
    stations: input.stations,
    periods: input.periods,
    cells,
    byPeriod: periodReported.map((n) => rate(nS, n)),
    byDistrict,
    overall: rate(
      nS * nP,
      periodReported.reduce((a, b) => a + b, 0),
    ),
  }
}

// ---- the workbook side: settings and marks in the doc, rows read through the model's API ----

export function saveCompletenessSettings(wb: Workbook, settings: CompletenessSettings): void {
  writeDefinition(wb, 'completeness', settings.sheetId, settings)
}

export function completenessSettings(
  wb: Workbook,
  sheetId: string,
): CompletenessSettings | undefined {
  return readDefinition<CompletenessSettings>(wb, 'completeness', sheetId)
}

export function listCompletenessSettings(wb: Workbook): CompletenessSettings[] {
  return readDefinitions<CompletenessSettings>(wb, 'completeness').map(([, s]) => s)
}

/** The marks of a sheet, keyed by `markKey`. */
export function readMarks(wb: Workbook, sheetId: string): Map<string, CompletionMark> {
  const out = new Map<string, CompletionMark>()
  for (const [key, mark] of readDefinitions<CompletionMark>(wb, 'complete')) {
    if (key.startsWith(`${sheetId}|`)) out.set(key, mark)
  }
  return out
}

export type MarkResult =
  | { ok: true; mark: CompletionMark }
  | { ok: false; reason: { zh: string; en: string }; problems: RuleProblem[] }

/**
 * Mark a station's period complete (who: the workbook's author; when: `now`). With
 * `requireRulesToMark`, the station's rows of that period must pass the sheet's error rules first;
 * otherwise nothing is written and the broken rules are returned.
 */
export function markComplete(
  wb: Workbook,
  settings: CompletenessSettings,
  stationId: string,
  period: string,
  now: number,
  scope?: ExprScope,
): MarkResult {
  if (settings.requireRulesToMark && scope) {
    const sheet = wb.sheet(settings.sheetId)
    const rows = sheet
      .rowIds()
      .filter(
        (id) =>
          sheet.getCell(id, settings.stationColumn) === stationId &&
          sheet.getCell(id, settings.periodColumn) === period,
      )
    const { problems } = checkRules(rulesOf(wb, settings.sheetId), scope, rows)
    const errors = problems.filter((p) => p.level === 'error')
    if (errors.length > 0)
      return {
        ok: false,
        problems: errors,
        reason: {
          zh: `有 ${errors.length} 处不满足校验规则，不能标记为已完成`,
          en: `${errors.length} rule error(s) must be fixed before marking complete`,
        },
      }
  }
  const mark = { by: wb.author().name, at: now }
  writeDefinition(wb, 'complete', markKey(settings.sheetId, stationId, period), mark)
  return { ok: true, mark }
}

/** Undo a mark. */
export function unmarkComplete(
  wb: Workbook,
  sheetId: string,
  stationId: string,
  period: string,
): void {
  deleteDefinition(wb, 'complete', markKey(sheetId, stationId, period))
}

/** The matrix of a periodic sheet, read from the workbook; undefined if its settings do not resolve. */
export function completenessOf(
  wb: Workbook,
  settings: CompletenessSettings,
): CompletenessMatrix | undefined {
  if (!wb.hasSheet(settings.sheetId)) return undefined
  const sheet = wb.sheet(settings.sheetId)
  const stationCol = sheet.column(settings.stationColumn)
  const refSheet = stationCol?.format.refSheet
  if (!stationCol || !refSheet || !wb.hasSheet(refSheet)) return undefined
  const stations = wb.sheet(refSheet)
  const labelCol = stationCol.format.refColumn ?? stations.columns()[0]?.id
  const infos: StationInfo[] = stations.rowIds().map((id) => ({
    id,
    label: String((labelCol && stations.getCell(id, labelCol)) ?? id),
    district: settings.districtColumn
      ? String(stations.getCell(id, settings.districtColumn) ?? '')
      : '',
  }))
  const periods = periodsBetween(settings.from, settings.to, settings.granularity)
  const required = settings.required.filter((c) => sheet.column(c))
  const rows = (function* () {
    for (const rowId of sheet.rowIds()) {
      let filled = 0
      for (const c of required) {
        const v = sheet.getCell(rowId, c)
        if (v !== null && v !== undefined && v !== '') filled++
      }
      yield {
        rowId,
        station: sheet.getCell(rowId, settings.stationColumn),
        period: sheet.getCell(rowId, settings.periodColumn),
        filled,
      }
    }
  })()
  return computeCompleteness(
    {
      stations: infos,
      periods,
      rows,
      required: required.length,
      marks: readMarks(wb, settings.sheetId),
    },
    settings.sheetId,
  )
}

/** Create (on request only) the row of a station and period, returning its id. */
export function createPeriodRow(
  wb: Workbook,
  settings: CompletenessSettings,
  stationId: string,
  period: string,
): string | undefined {
  if (!readPeriod(period) || !wb.hasSheet(settings.sheetId)) return undefined
  const [id] = wb
    .sheet(settings.sheetId)
    .insertRows([{ [settings.stationColumn]: stationId, [settings.periodColumn]: period }])
  return id
}
