import type { CellValue, Sheet, SheetChange } from '@taizhang/shared'

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
