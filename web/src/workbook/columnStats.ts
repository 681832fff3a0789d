import {
  type CellValue,
  type Column,
  formatValue,
  isNumericType,
  type Sheet,
  type SheetChange,
} from '@taizhang/shared'

export interface ColumnAggregate {
  /** Non-empty cells. */
  count: number
  /** Sum and count of the finite numbers among them. */
  sum: number
  numbers: number
}

/** Rows read per slice while building; a slice of 100,000-row sheets stays well under 16 ms. */
export const BUILD_SLICE_ROWS = 10_000

type Contribution = number | true

function contributionOf(v: CellValue): Contribution | null {
  if (v === null || v === '') return null
  return typeof v === 'number' && Number.isFinite(v) ? v : true
}

/**
 * Count / sum / numeric count of one column, kept up to date incrementally: an edit costs the
 * cells it touched, not a pass over the sheet. The first pass over the rows runs in slices off
 * the current task (`ready()` is false until it finishes), so focusing a column in a
 * 100,000-row sheet never blocks the page.
 */
export class ColumnStats {
  private readonly contrib = new Map<string, Contribution>()
  private agg: ColumnAggregate = { count: 0, sum: 0, numbers: 0 }
  private building = true
  private disposed = false
  private pendingWhileBuilding = new Set<string>()
  private timer: ReturnType<typeof setTimeout> | null = null

  constructor(
    private readonly sheet: Sheet,
    readonly colId: string,
    private readonly onUpdate: () => void,
    private readonly schedule: (fn: () => void) => ReturnType<typeof setTimeout> = (fn) =>
      setTimeout(fn, 0),
  ) {
    this.build()
  }

  ready(): boolean {
    return !this.building
  }

  value(): ColumnAggregate {
    return this.agg
  }

  private build(): void {
    const ids = this.sheet.rowIds()
    let i = 0
    const step = () => {
      this.timer = null
      if (this.disposed) return
      const end = Math.min(ids.length, i + BUILD_SLICE_ROWS)
      for (; i < end; i++) this.setRow(ids[i]!)
      if (i < ids.length) {
        this.timer = this.schedule(step)
        return
      }
      // Rows touched while building were read either before or after their change: read again.
      for (const id of this.pendingWhileBuilding) this.refreshRow(id)
      this.pendingWhileBuilding.clear()
      this.building = false
      this.onUpdate()
    }
    step()
  }

  private add(c: Contribution | null, sign: 1 | -1): void {
    if (c === null) return
    this.agg.count += sign
    if (c !== true) {
      this.agg.sum += sign * c
      this.agg.numbers += sign
    }
  }

  private setRow(rowId: string): void {
    this.add(this.contrib.get(rowId) ?? null, -1)
    const c = this.sheet.hasRow(rowId)
      ? contributionOf(this.sheet.getCell(rowId, this.colId))
      : null
    if (c === null) this.contrib.delete(rowId)
    else this.contrib.set(rowId, c)
    this.add(c, 1)
  }

  private refreshRow(rowId: string): void {
    this.setRow(rowId)
  }

  /** Applies one transaction's change to this sheet. */
  apply(c: SheetChange): void {
    if (this.disposed) return
    const touched: string[] = []
    for (const id of c.added) touched.push(id)
    for (const id of c.removed) touched.push(id)
    for (const [rowId, cols] of c.cells) if (cols.has(this.colId)) touched.push(rowId)
    if (!touched.length) return
    if (this.building) {
      for (const id of touched) this.pendingWhileBuilding.add(id)
      return
    }
    for (const id of touched) this.refreshRow(id)
    // Float sums drift by subtraction; snap when every number is gone.
    if (this.agg.numbers === 0) this.agg.sum = 0
    this.onUpdate()
  }

  dispose(): void {
    this.disposed = true
    if (this.timer !== null) clearTimeout(this.timer)
  }
}

// ---- a selection's stats (issue 12, "grid") ------------------------------------------------

/** Count / sum / numeric count over any cells (a selected block, a filtered column). */
export function aggregateValues(
  values: Iterable<CellValue>,
  into: ColumnAggregate = { count: 0, sum: 0, numbers: 0 },
): ColumnAggregate {
  for (const v of values) {
    const c = contributionOf(v)
    if (c === null) continue
    into.count++
    if (c !== true) {
      into.sum += c
      into.numbers++
    }
  }
  return into
}

/** Float noise off a sum (0.1 + 0.2 → 0.3), without rounding real decimals away. */
function clean(n: number): number {
  return Number.parseFloat(n.toPrecision(12))
}

/**
 * A sum and an average as the status bar shows them: in the column's type when every number
 * came from one kind of column (money keeps its unit, 276万元; percent stays a percent), the
 * average with 2 decimals; otherwise plain numbers (`plain`, locale-aware, ≤ 2 decimals).
 */
export function formatAggregate(
  agg: ColumnAggregate,
  col: Pick<Column, 'type' | 'format' | 'constraints'> | null,
  plain: (n: number) => string,
  locale: 'zh-CN' | 'en',
): { sum: string | null; avg: string | null } {
  if (!agg.numbers) return { sum: null, avg: null }
  const sum = clean(agg.sum)
  const avg = clean(agg.sum / agg.numbers)
  if (!col || !isNumericType(col.type)) return { sum: plain(sum), avg: plain(avg) }
  const avgCol = {
    type: col.type === 'integer' ? ('number' as const) : col.type,
    format: { ...col.format, decimals: 2 },
    constraints: col.constraints,
  }
  return {
    sum: formatValue(sum, col, { locale }),
    avg: formatValue(avg, avgCol, { locale }),
  }
}
