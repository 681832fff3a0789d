/**
 * A summary's table and cross-tab from its groups' states (summary.ts keeps the groups up to date).
 */
import { type AggState, emptyState, finish, mergeState } from './aggregate.js'
import { type CrossTab, compareKeys, type Key, keyText, measureLabel } from './keys.js'
import type { SummaryDef, SummaryRow, SummaryTable } from './summary.js'

/** What the figures read of a group. */
export interface GroupFigures {
  keys: Key[]
  states: AggState[]
  count: number
}

/** `groups` sorted by key. */
export function tableOf(def: SummaryDef, groups: readonly GroupFigures[]): SummaryTable {
  const kinds = def.measures.map((m) => m.kind)
  const values = (states: AggState[]) => states.map((s, i) => finish(s, kinds[i]!))
  const rows: SummaryRow[] = []
  const total = def.measures.map((m) => emptyState(m.kind))
  let totalRows = 0
  let sub: AggState[] | undefined
  let subKey: Key | undefined
  let subRows = 0
  const nested = def.groupBy.length >= 2
  const flush = () => {
    if (nested && sub)
      rows.push({ level: 1, keys: [subKey ?? null], values: values(sub), rows: subRows })
  }
  for (const g of groups) {
    if (nested && (sub === undefined || compareKeys(g.keys[0] ?? null, subKey ?? null) !== 0)) {
      flush()
      sub = def.measures.map((m) => emptyState(m.kind))
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
    keyLabels: [...def.groupBy],
    measureLabels: def.measures.map(measureLabel),
    rows,
  }
}

/** The summary as a cross-tab of its first two keys and first measure (with row and column totals). */
export function crossTabOf(def: SummaryDef, groups: Iterable<GroupFigures>): CrossTab {
  const kind = def.measures[0]?.kind ?? 'count'
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
  for (const g of groups) {
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
    rowLabel: def.groupBy[0] ?? '',
    colLabel: def.groupBy[1] ?? '',
    measureLabel: def.measures[0] ? measureLabel(def.measures[0]) : '',
    rows: rs.map(([, v]) => v),
    columns: cs.map(([, v]) => v),
    cells: rs.map(([rk]) => cs.map(([ck]) => get(cells.get(`${rk}\u0001${ck}`)))),
    rowTotals: rs.map(([rk]) => get(rowTotals.get(rk))),
    columnTotals: cs.map(([ck]) => get(colTotals.get(ck))),
    total: finish(total, kind),
  }
}
