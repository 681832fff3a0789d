/**
 * Summary tables (汇总表) and cross-tabs (透视表): a definition stored in the doc, rows computed on the
 * device. Group keys and measured values are expressions (expr/), so `站点.区县` groups through a
 * reference exactly as a computed column reads it. `LiveSummary` keeps each row's contribution, so an
 * edit from anyone moves one row's contribution out of its old group and into its new one; the result
 * equals a from-scratch computation (summary.test.ts checks it with fast-check).
 */

import { type CompiledExpr, compileSource, type ExprScope } from '../expr/evaluate.js'
import type { ExprError } from '../expr/parse.js'
import type { SheetChange, WorkbookChange } from '../model/types.js'
import { comparePeriods, formatPeriod, isPeriod } from '../periods/period.js'
import type { CellValue, MoneyUnit } from '../schema/columnTypes.js'
import {
  type AggregateKind,
  type AggState,
  accumulate,
  emptyState,
  finish,
  mergeState,
} from './aggregate.js'

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

type Key = CellValue

interface RowEntry {
  key: string
  keys: Key[]
  inputs: { value: CellValue; matched: boolean }[]
}

interface Group {
  keys: Key[]
  states: AggState[]
  /** Rows in the group (drill-down finds them through `entries`). */
  count: number
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

export type SummaryCompileResult =
  | { ok: true; summary: LiveSummary }
  | { ok: false; error: ExprError; where: string }

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

function keyText(v: Key): string {
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

function compareKeyLists(a: readonly Key[], b: readonly Key[]): number {
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

/** A summary kept up to date from the change feed. */
export class LiveSummary {
  private readonly entries = new Map<string, RowEntry>()
  private readonly groups = new Map<string, Group>()
  private readonly allReads: Set<string>
  /** Groups in key order, kept until a group appears or disappears. */
  private sorted: Group[] | null = null

  private constructor(
    readonly def: SummaryDef,
    private readonly scope: ExprScope,
    private readonly keyExprs: CompiledExpr[],
    private readonly measureExprs: (CompiledExpr | undefined)[],
    private readonly whereExprs: (CompiledExpr | undefined)[],
    private readonly filter: CompiledExpr | undefined,
  ) {
    const all = [...keyExprs, ...measureExprs, ...whereExprs, filter].filter(
      (c): c is CompiledExpr => !!c,
    )
    this.allReads = new Set(all.flatMap((c) => [...c.reads]))
    this.readsOtherSheets = all.some((c) => c.readsOtherSheets)
    this.rebuild()
  }

  /** Whether a change in another sheet (a station's district) can move rows between groups. */
  readonly readsOtherSheets: boolean

  /** Compile a definition; a bad expression names itself (group, measure or filter) and where. */
  static create(def: SummaryDef, scope: ExprScope): SummaryCompileResult {
    const compileOne = (src: string, where: string) => {
      const c = compileSource(src, scope)
      if (!c.ok) throw Object.assign(new Error('compile'), { detail: { error: c.error, where } })
      return c.compiled
    }
    try {
      const keys = def.groupBy.map((g, i) => compileOne(g, `groupBy.${i}`))
      const measures = def.measures.map((m, i) => {
        const s = m.unit ? { ...scope, moneyUnit: m.unit } : scope
        if (!m.expr?.trim()) return undefined
        const c = compileSource(m.expr, s)
        if (!c.ok)
          throw Object.assign(new Error('compile'), {
            detail: { error: c.error, where: `measures.${i}` },
          })
        return c.compiled
      })
      const wheres = def.measures.map((m, i) =>
        m.kind === 'share' && m.where?.trim()
          ? compileOne(m.where, `measures.${i}.where`)
          : undefined,
      )
      const filter = def.filter?.trim() ? compileOne(def.filter, 'filter') : undefined
      return { ok: true, summary: new LiveSummary(def, scope, keys, measures, wheres, filter) }
    } catch (e) {
      const d = (e as { detail?: { error: ExprError; where: string } }).detail
      if (d) return { ok: false, error: d.error, where: d.where }
      throw e
    }
  }

  private entryOf(rowId: string): RowEntry | undefined {
    if (this.filter) {
      const f = this.filter.raw(rowId)
      if (!f.ok || f.value !== true) return undefined
    }
    const keys: Key[] = new Array(this.keyExprs.length)
    let key = ''
    for (let i = 0; i < this.keyExprs.length; i++) {
      const r = this.keyExprs[i]!.run(rowId)
      const v = r.ok ? r.value : null
      keys[i] = v
      key = i === 0 ? keyText(v) : `${key}\u0001${keyText(v)}`
    }
    const inputs = this.def.measures.map((m, i) => {
      const e = this.measureExprs[i]
      let value: CellValue = 1
      if (e) {
        const r = e.run(rowId)
        value = r.ok ? r.value : null
      }
      const w = this.whereExprs[i]
      const matched = w
        ? (() => {
            const r = w.raw(rowId)
            return r.ok && r.value === true
          })()
        : m.kind === 'share'
          ? value !== null && value !== '' && value !== false
          : false
      return { value, matched }
    })
    return { key, keys, inputs }
  }

  private add(rowId: string, e: RowEntry): void {
    let g = this.groups.get(e.key)
    if (!g) {
      g = { keys: e.keys, states: this.def.measures.map((m) => emptyState(m.kind)), count: 0 }
      this.groups.set(e.key, g)
      this.sorted = null
    }
    g.count++
    e.inputs.forEach((input, i) => accumulate(g.states[i]!, input, 1))
    this.entries.set(rowId, e)
  }

  private remove(rowId: string): void {
    const e = this.entries.get(rowId)
    if (!e) return
    this.entries.delete(rowId)
    const g = this.groups.get(e.key)
    if (!g) return
    g.count--
    e.inputs.forEach((input, i) => accumulate(g.states[i]!, input, -1))
    if (g.count === 0) {
      this.groups.delete(e.key)
      this.sorted = null
    }
  }

  private refresh(rowId: string): void {
    this.remove(rowId)
    const e = this.entryOf(rowId)
    if (e) this.add(rowId, e)
  }

  /** Recompute every row (cold start, or a change elsewhere that may move any row). */
  rebuild(): void {
    for (const _ of this.rebuildInSlices(Number.POSITIVE_INFINITY));
  }

  /**
   * The same rebuild in slices of `sliceRows` rows: the caller runs one step per task (the web app
   * yields between steps), so a 100,000-row cold start has no long task. Changes arriving between
   * steps must wait until the generator is done (the web app queues them).
   */
  *rebuildInSlices(sliceRows = 10_000): Generator<number, void, void> {
    this.entries.clear()
    this.groups.clear()
    this.sorted = null
    const ids = this.scope.sheet.rowIds()
    for (let start = 0; start < ids.length; start += sliceRows) {
      const end = Math.min(ids.length, start + sliceRows)
      for (let i = start; i < end; i++) {
        const id = ids[i]!
        const e = this.entryOf(id)
        if (e) this.add(id, e)
      }
      if (end < ids.length) yield end
    }
  }

  /**
   * Apply one transaction's changes; returns whether anything the summary shows may have changed.
   * Rows added, removed or with a changed cell that the definition reads are recomputed; a change in
   * another sheet the expressions read, or to columns, recomputes all.
   */
  applyChange(change: WorkbookChange): boolean {
    let touched = false
    for (const [sheetId, sc] of change.sheets) {
      if (sheetId !== this.def.sheetId) {
        if (this.readsOtherSheets) {
          this.rebuild()
          return true
        }
        continue
      }
      if (sc.columns) {
        this.rebuild()
        return true
      }
      touched = this.applySheetChange(sc) || touched
    }
    return touched
  }

  private applySheetChange(sc: SheetChange): boolean {
    let touched = false
    for (const id of sc.removed) {
      this.remove(id)
      touched = true
    }
    for (const id of sc.added) {
      this.refresh(id)
      touched = true
    }
    for (const [id, cols] of sc.cells) {
      if (sc.added.has(id) || sc.removed.has(id)) continue
      for (const c of cols) {
        if (this.allReads.has(c)) {
          this.refresh(id)
          touched = true
          break
        }
      }
    }
    return touched
  }

  /** The rows of the source sheet in a group (drill-down), in sheet order. */
  rowsOf(keys: readonly Key[]): string[] {
    const key = keys.map(keyText).join('\u0001')
    return this.scope.sheet.rowIds().filter((id) => this.entries.get(id)?.key === key)
  }

  /** The table: detail rows sorted by key, a subtotal after each first-key run (2+ keys), a grand total. */
  table(): SummaryTable {
    if (!this.sorted)
      this.sorted = [...this.groups.values()].sort((a, b) => compareKeyLists(a.keys, b.keys))
    const groups = this.sorted
    const kinds = this.def.measures.map((m) => m.kind)
    const values = (states: AggState[]) => states.map((s, i) => finish(s, kinds[i]!))
    const rows: SummaryRow[] = []
    const total = this.def.measures.map((m) => emptyState(m.kind))
    let totalRows = 0
    let sub: AggState[] | undefined
    let subKey: Key | undefined
    let subRows = 0
    const nested = this.def.groupBy.length >= 2
    const flush = () => {
      if (nested && sub)
        rows.push({ level: 1, keys: [subKey ?? null], values: values(sub), rows: subRows })
    }
    for (const g of groups) {
      if (nested && (sub === undefined || compareKeys(g.keys[0] ?? null, subKey ?? null) !== 0)) {
        flush()
        sub = this.def.measures.map((m) => emptyState(m.kind))
        subKey = g.keys[0] ?? null
        subRows = 0
      }
      rows.push({ level: 0, keys: g.keys, values: values(g.states), rows: g.count })
      g.states.forEach((s, i) => {
        mergeState(total[i]!, s)
        if (sub) mergeState(sub[i]!, s)
      })
      totalRows += g.count
      subRows += g.count
    }
    flush()
    rows.push({ level: 2, keys: [], values: values(total), rows: totalRows })
    return {
      keyLabels: [...this.def.groupBy],
      measureLabels: this.def.measures.map(measureLabel),
      rows,
    }
  }

  /** The summary as a cross-tab of its first two keys and first measure (with row and column totals). */
  crossTab(): CrossTab {
    const kind = this.def.measures[0]?.kind ?? 'count'
    const rowKeys = new Map<string, Key>()
    const colKeys = new Map<string, Key>()
    const cells = new Map<string, AggState>()
    const rowTotals = new Map<string, AggState>()
    const colTotals = new Map<string, AggState>()
    const total = emptyState(kind)
    const into = (m: Map<string, AggState>, k: string, s: AggState) => {
      let t = m.get(k)
      if (!t) {
        t = emptyState(kind)
        m.set(k, t)
      }
      mergeState(t, s)
    }
    for (const g of this.groups.values()) {
      const r = g.keys[0] ?? null
      const c = g.keys[1] ?? null
      const rk = keyText(r)
      const ck = keyText(c)
      rowKeys.set(rk, r)
      colKeys.set(ck, c)
      const s = g.states[0]
      if (!s) continue
      into(cells, `${rk}\u0001${ck}`, s)
      into(rowTotals, rk, s)
      into(colTotals, ck, s)
      mergeState(total, s)
    }
    const rs = [...rowKeys.entries()].sort((a, b) => compareKeys(a[1], b[1]))
    const cs = [...colKeys.entries()].sort((a, b) => compareKeys(a[1], b[1]))
    const get = (s: AggState | undefined) =>
      s ? finish(s, kind) : kind === 'sum' || kind === 'count' || kind === 'distinct' ? 0 : null
    return {
      rowLabel: this.def.groupBy[0] ?? '',
      colLabel: this.def.groupBy[1] ?? '',
      measureLabel: this.def.measures[0] ? measureLabel(this.def.measures[0]) : '',
      rows: rs.map(([, v]) => v),
      columns: cs.map(([, v]) => v),
      cells: rs.map(([rk]) => cs.map(([ck]) => get(cells.get(`${rk}\u0001${ck}`)))),
      rowTotals: rs.map(([rk]) => get(rowTotals.get(rk))),
      columnTotals: cs.map(([ck]) => get(colTotals.get(ck))),
      total: finish(total, kind),
    }
  }
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
