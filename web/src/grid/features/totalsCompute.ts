/**
 * The totals row's figures computed in slices (issue 14 totals row; no task > 200 ms on a
 * 100,000-row sheet): one pass over the shown rows accumulates every column's total, and stops
 * whenever the caller's budget is spent, to go on in a later task. A 100,000-row sheet with a
 * dozen numeric columns is about a million cell reads (~1 s measured in one task after every
 * remote batch: bench/web/conflicts.bench.ts); sliced, the page stays responsive and the strip
 * shows the previous figures until the new ones are complete.
 */
import { type AggregateKind, accumulate, emptyState, finish } from '@taizhang/shared'

/** What a column's total is; `none` shows nothing. */
export type TotalKind = Extract<AggregateKind, 'sum' | 'avg' | 'count' | 'min' | 'max'> | 'none'

type State = ReturnType<typeof emptyState>

/** Adds one cell value to a column's running total (blanks skipped; count counts filled cells). */
function add(s: State, kind: TotalKind, v: unknown): void {
  const value = v === undefined ? null : (v as string | number | boolean | null)
  if (kind !== 'count' && typeof value !== 'number') return
  accumulate(s, { value, matched: false }, 1)
}

/** The total of some cell values, in one go (the figure a finished `TotalsRun` gives). */
export function totalOf(values: Iterable<unknown>, kind: TotalKind): number | null {
  if (kind === 'none') return null
  const s = emptyState(kind)
  for (const v of values) add(s, kind, v)
  return finish(s, kind)
}

/** Rows read between two looks at the clock. */
const CHECK_EVERY = 512

/** One computation of the shown rows' totals, resumable: `step` until it returns true. */
export class TotalsRun {
  private next = 0
  private readonly states: { colId: string; kind: TotalKind; state: State }[]

  constructor(
    private readonly rowIds: readonly string[],
    columns: readonly { colId: string; kind: TotalKind }[],
    private readonly read: (rowId: string, colId: string) => unknown,
  ) {
    this.states = columns
      .filter((c) => c.kind !== 'none')
      .map((c) => ({ ...c, state: emptyState(c.kind as AggregateKind) }))
  }

  /** Reads rows until done or `spent()` says the slice is over; true when every row is read. */
  step(spent: () => boolean): boolean {
    const { rowIds, states, read } = this
    while (this.next < rowIds.length) {
      const end = Math.min(rowIds.length, this.next + CHECK_EVERY)
      for (let i = this.next; i < end; i++) {
        const id = rowIds[i]!
        for (const c of states) add(c.state, c.kind, read(id, c.colId))
      }
      this.next = end
      if (this.next < rowIds.length && spent()) return false
    }
    return true
  }

  /** Each column's figure (null: nothing to show); call once `step` returned true. */
  result(): Map<string, number | null> {
    return new Map(this.states.map((c) => [c.colId, finish(c.state, c.kind as AggregateKind)]))
  }
}
