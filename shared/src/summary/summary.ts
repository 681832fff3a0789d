/**
 * Summary tables (汇总表) and cross-tabs (透视表): a definition stored in the doc, rows computed on the
 * device. Group keys and measured values are expressions (expr/), so `站点.区县` groups through a
 * reference exactly as a computed column reads it. `LiveSummary` keeps each row's contribution, so an
 * edit from anyone moves one row's contribution out of its old group and into its new one; the result
 * equals a from-scratch computation (summary.test.ts checks it with fast-check). The definitions and
 * the table's shape are in types.ts, group keys in keys.ts, the table and cross-tab figures in tables.ts.
 */

import { type CompiledExpr, compileSource, type ExprScope } from '../expr/evaluate.js'
import type { ExprError } from '../expr/parse.js'
import type { SheetChange, WorkbookChange } from '../model/types.js'
import type { CellValue } from '../schema/columnTypes.js'
import { type AggState, accumulateValue, emptyState } from './aggregate.js'
import { type CrossTab, compareKeyLists, type Key } from './keys.js'
import { crossTabOf, tableOf } from './tables.js'
import type { SummaryDef, SummaryTable } from './types.js'

export * from './keys.js'
export type {
  CrossTabDef,
  MeasureDef,
  SummaryDef,
  SummaryRow,
  SummaryTable,
} from './types.js'

/** One source row's contribution: its group and its measured values (and share conditions). */
interface RowEntry {
  group: Group
  values: CellValue[]
  /** Per measure, whether the share condition held; null when no measure is a share. */
  matched: boolean[] | null
}

interface Group {
  keys: Key[]
  /** The leaf map of `LiveSummary.tree` holding this group, and its key there. */
  parent: Map<Key, unknown>
  leafKey: Key
  states: AggState[]
  /** Rows in the group (drill-down finds them through `entries`). */
  count: number
}

export type SummaryCompileResult =
  | { ok: true; summary: LiveSummary }
  | { ok: false; error: ExprError; where: string }

/** A summary kept up to date from the change feed. */
export class LiveSummary {
  private readonly entries = new Map<string, RowEntry>()
  /**
   * Groups by their keys, one nested Map level per group-by key, keyed by the raw value (a blank
   * as null): finding a row's group builds no key text (a 100,000-row cold start built and hashed
   * 100,000 joined strings, its largest cost after reading the cells).
   */
  private readonly tree = new Map<Key, unknown>()
  private readonly groups = new Set<Group>()
  /** A scratch key list for lookups (copied only when a group is created). */
  private readonly scratch: Key[]
  private readonly hasShare: boolean
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
    rebuild: boolean,
  ) {
    const all = [...keyExprs, ...measureExprs, ...whereExprs, filter].filter(
      (c): c is CompiledExpr => !!c,
    )
    this.allReads = new Set(all.flatMap((c) => [...c.reads]))
    this.scratch = new Array(Math.max(1, keyExprs.length)).fill(null)
    this.hasShare = def.measures.some((m) => m.kind === 'share')
    this.readsOtherSheets = all.some((c) => c.readsOtherSheets)
    if (rebuild) this.rebuild()
  }

  /** Whether a change in another sheet (a station's district) can move rows between groups. */
  readonly readsOtherSheets: boolean

  /**
   * Compile a definition; a bad expression names itself (group, measure or filter) and where.
   * `rebuild: false` leaves it empty, for the caller to fill with `rebuildInSlices` (one slice per
   * task, as the web app does, so a 100,000-row sheet makes no long task).
   */
  static create(
    def: SummaryDef,
    scope: ExprScope,
    opts: { rebuild?: boolean } = {},
  ): SummaryCompileResult {
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
      return {
        ok: true,
        summary: new LiveSummary(def, scope, keys, measures, wheres, filter, opts.rebuild ?? true),
      }
    } catch (e) {
      const d = (e as { detail?: { error: ExprError; where: string } }).detail
      if (d) return { ok: false, error: d.error, where: d.where }
      throw e
    }
  }

  /** The group of these keys (`keys` may be the scratch list: it is copied when kept). */
  private groupFor(keys: readonly Key[], create: boolean): Group | undefined {
    let level = this.tree
    const last = keys.length - 1
    for (let i = 0; i < last; i++) {
      let next = level.get(keys[i]!) as Map<Key, unknown> | undefined
      if (!next) {
        if (!create) return undefined
        next = new Map()
        level.set(keys[i]!, next)
      }
      level = next
    }
    const leafKey = keys[last] ?? null
    let g = level.get(leafKey) as Group | undefined
    if (!g && create) {
      g = {
        keys: keys.slice(0, this.keyExprs.length),
        parent: level,
        leafKey,
        states: this.def.measures.map((m) => emptyState(m.kind)),
        count: 0,
      }
      level.set(leafKey, g)
      this.groups.add(g)
      this.sorted = null
    }
    return g
  }

  /** A row's contribution; undefined when the filter leaves it out. Hot: runs once per row. */
  private entryOf(rowId: string): RowEntry | undefined {
    if (this.filter) {
      const f = this.filter.raw(rowId)
      if (!f.ok || f.value !== true) return undefined
    }
    const keys = this.scratch
    for (let i = 0; i < this.keyExprs.length; i++) {
      const r = this.keyExprs[i]!.run(rowId)
      keys[i] = r.ok ? (r.value ?? null) : null
    }
    const group = this.groupFor(keys, true)!
    const measures = this.def.measures
    const values: CellValue[] = new Array(measures.length)
    const matched = this.hasShare ? new Array<boolean>(measures.length) : null
    for (let i = 0; i < measures.length; i++) {
      const e = this.measureExprs[i]
      let value: CellValue = 1
      if (e) {
        const r = e.run(rowId)
        value = r.ok ? r.value : null
      }
      values[i] = value
      if (matched) {
        const w = this.whereExprs[i]
        if (w) {
          const r = w.raw(rowId)
          matched[i] = r.ok && r.value === true
        } else
          matched[i] =
            measures[i]!.kind === 'share' && value !== null && value !== '' && value !== false
      }
    }
    return { group, values, matched }
  }

  private add(rowId: string, e: RowEntry): void {
    const g = e.group
    g.count++
    const { values, matched } = e
    for (let i = 0; i < values.length; i++)
      accumulateValue(g.states[i]!, values[i]!, matched ? matched[i]! : false, 1)
    this.entries.set(rowId, e)
  }

  private remove(rowId: string): void {
    const e = this.entries.get(rowId)
    if (!e) return
    this.entries.delete(rowId)
    const g = e.group
    g.count--
    const { values, matched } = e
    for (let i = 0; i < values.length; i++)
      accumulateValue(g.states[i]!, values[i]!, matched ? matched[i]! : false, -1)
    if (g.count === 0) {
      g.parent.delete(g.leafKey)
      this.groups.delete(g)
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
    // Reads every row now, so a sliced rebuild under way (and its queue) is moot.
    this.slicing = null
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
    this.tree.clear()
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

  /** A rebuild in slices under way (`startSlicedRebuild`), with the changes that came meanwhile. */
  private slicing: {
    steps: Generator<number, void, void>
    done: number
    total: number
    queued: WorkbookChange[]
    sliceRows: number
  } | null = null

  /**
   * Starts a rebuild run one slice per `step()` call (the web app calls it once per task). Until
   * it is done the figures are incomplete (`building` says how far): `applyChange` meanwhile
   * queues the change, applied when the last slice is done, or restarts the rebuild when the
   * change needs one anyway. The result equals a rebuild in one pass (summary.test.ts).
   */
  startSlicedRebuild(sliceRows = 10_000): void {
    this.slicing = {
      steps: this.rebuildInSlices(sliceRows),
      done: 0,
      total: this.scope.sheet.rowIds().length,
      queued: [],
      sliceRows,
    }
  }

  /** How far a sliced rebuild is (rows done of total); null when none is under way. */
  get building(): { done: number; total: number } | null {
    const s = this.slicing
    return s ? { done: s.done, total: s.total } : null
  }

  /** Runs the next slice of a sliced rebuild; returns true when there is nothing more to run. */
  step(): boolean {
    const s = this.slicing
    if (!s) return true
    const r = s.steps.next()
    if (!r.done) {
      s.done = r.value
      return false
    }
    this.slicing = null
    for (const change of s.queued) this.applyChange(change)
    return true
  }

  /**
   * Whether `applyChange` would recompute every row for this change (columns changed, or another
   * sheet the expressions read): a caller that slices its rebuilds runs `rebuildInSlices` instead.
   */
  needsRebuild(change: WorkbookChange): boolean {
    for (const [sheetId, sc] of change.sheets) {
      if (sheetId !== this.def.sheetId ? this.readsOtherSheets : sc.columns) return true
    }
    return false
  }

  /**
   * Apply one transaction's changes; returns whether anything the summary shows may have changed.
   * Rows added, removed or with a changed cell that the definition reads are recomputed; a change in
   * another sheet the expressions read, or to columns, recomputes all.
   */
  applyChange(change: WorkbookChange): boolean {
    const slicing = this.slicing
    if (slicing) {
      if (this.needsRebuild(change)) this.startSlicedRebuild(slicing.sliceRows)
      else slicing.queued.push(change)
      return false
    }
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
    const g = this.groupFor(keys.length ? keys.map((k) => k ?? null) : [null], false)
    if (!g) return []
    return this.scope.sheet.rowIds().filter((id) => this.entries.get(id)?.group === g)
  }

  /** The table: detail rows sorted by key, a subtotal after each first-key run (2+ keys), a grand total. */
  table(): SummaryTable {
    if (!this.sorted)
      this.sorted = [...this.groups.values()].sort((a, b) => compareKeyLists(a.keys, b.keys))
    return tableOf(this.def, this.sorted)
  }

  /** The summary as a cross-tab of its first two keys and first measure (with row and column totals). */
  crossTab(): CrossTab {
    return crossTabOf(this.def, this.groups)
  }
}
