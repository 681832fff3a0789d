/**
 * Aggregates with removable state, so a summary can take a row's old contribution out and put its new
 * one in (incremental updates from the change feed) and give exactly what a from-scratch pass gives.
 *
 * Sums are kept as exact decimals scaled by 10^SCALE in a BigInt-free way: every value is rounded to
 * SCALE decimals and held as an integer count of 10^-SCALE, so adding and removing in any order
 * yields the same total (floating-point addition is not associative; integers below 2^53 are).
 */
import type { CellValue } from '../schema/columnTypes.js'

export const AggregateKinds = {
  sum: 'sum',
  avg: 'avg',
  count: 'count',
  distinct: 'distinct',
  min: 'min',
  max: 'max',
  share: 'share',
} as const
export type AggregateKind = (typeof AggregateKinds)[keyof typeof AggregateKinds]
export const AGGREGATE_KINDS: readonly AggregateKind[] = Object.values(AggregateKinds)

/** Decimals kept exactly in sums (1 元 in a 万元 column is 0.0001; 6 leaves room). */
const SCALE = 6
const UNIT = 10 ** SCALE

function scaled(n: number): number {
  return Math.round(n * UNIT)
}

/** The removable state of one aggregate over one group. */
export interface AggState {
  /** Rows in the group (for share's denominator and count of rows). */
  rows: number
  /** Non-blank numeric values and their scaled sum. */
  n: number
  sum: number
  /** Values that are not numbers, blanks excluded (for count and distinct). */
  filled: number
  /** value key → how many rows hold it (distinct, min, max); null when the aggregate needs none. */
  values: Map<string, number> | null
  /** Rows whose condition held (share). */
  matched: number
}

/** Whether an aggregate needs the multiset of values (the others need only counts and sums). */
export function needsValues(kind: AggregateKind): boolean {
  return kind === 'distinct' || kind === 'min' || kind === 'max'
}

export function emptyState(kind?: AggregateKind): AggState {
  return {
    rows: 0,
    n: 0,
    sum: 0,
    filled: 0,
    values: kind === undefined || needsValues(kind) ? new Map() : null,
    matched: 0,
  }
}

function keyOf(v: CellValue): string {
  return typeof v === 'number' ? `n${v}` : `s${String(v)}`
}

/** One row's input to an aggregate: its value and (share) whether its condition held. */
export interface AggInput {
  value: CellValue
  matched: boolean
}

function blank(v: CellValue): boolean {
  return v === null || v === undefined || v === ''
}

/** Add (sign 1) or remove (sign −1) one row's input. */
export function accumulate(s: AggState, input: AggInput, sign: 1 | -1): void {
  accumulateValue(s, input.value, input.matched, sign)
}

/** `accumulate` without an input object (the summary's per-row hot path). */
export function accumulateValue(s: AggState, v: CellValue, matched: boolean, sign: 1 | -1): void {
  s.rows += sign
  if (matched) s.matched += sign
  if (blank(v)) return
  s.filled += sign
  if (typeof v === 'number' && Number.isFinite(v)) {
    s.n += sign
    s.sum += sign * scaled(v)
  }
  const values = s.values
  if (!values) return
  const k = keyOf(v)
  const c = (values.get(k) ?? 0) + sign
  if (c === 0) values.delete(k)
  else values.set(k, c)
}

/** Merge `from` into `into` (subtotals and totals from group states). */
export function mergeState(into: AggState, from: AggState): void {
  into.rows += from.rows
  into.n += from.n
  into.sum += from.sum
  into.filled += from.filled
  into.matched += from.matched
  const values = into.values
  if (!values || !from.values) return
  for (const [k, c] of from.values) values.set(k, (values.get(k) ?? 0) + c)
}

function extreme(s: AggState, max: boolean): number | null {
  let best: number | null = null
  if (!s.values) return null
  for (const k of s.values.keys()) {
    if (k[0] !== 'n') continue
    const v = Number(k.slice(1))
    if (best === null || (max ? v > best : v < best)) best = v
  }
  return best
}

/**
 * The figure of an aggregate. Blanks are skipped (暂无数据 is not zero); an empty group's sum is 0, its
 * average, min and max are blank; share is matched ÷ rows (blank for no rows).
 */
export function finish(s: AggState, kind: AggregateKind): number | null {
  switch (kind) {
    case 'sum':
      return s.sum / UNIT
    case 'avg':
      return s.n === 0 ? null : s.sum / UNIT / s.n
    case 'count':
      return s.filled
    case 'distinct':
      return s.values ? s.values.size : null
    case 'min':
      return extreme(s, false)
    case 'max':
      return extreme(s, true)
    case 'share':
      return s.rows === 0 ? null : s.matched / s.rows
  }
}
