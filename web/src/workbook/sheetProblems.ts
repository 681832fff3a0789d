import {
  type Column,
  type Problem,
  type ReferenceExists,
  type RowView,
  type Sheet,
  type SheetChange,
  validateSheet,
} from '@taizhang/shared'

/** Rows validated per slice of a full pass: about 30 ms for 12 columns. */
export const VALIDATE_SLICE_ROWS = 5000
/** The first full pass starts this long after the sheet is shown. */
export const VALIDATE_FIRST_PASS_DELAY_MS = 400
/** Edits are validated together after this pause (keystroke-level edits coalesce). */
export const VALIDATE_DEBOUNCE_MS = 150

type Schedule = (fn: () => void, ms: number) => ReturnType<typeof setTimeout>

/**
 * The problems of one sheet, kept incrementally with shared's `validateSheet`:
 * - per-cell rules are checked for the rows an edit touched, not the whole sheet;
 * - unique columns (their messages name other rows by position) are rechecked as a whole, but
 *   only when an edit touches them or rows are added, removed or moved;
 * - a full pass (open, column changes) and a big batch of changed rows (an import, a paste) run
 *   in slices of VALIDATE_SLICE_ROWS rows, never one long task.
 * `onUpdate` receives every problem in row order.
 */
export class SheetProblems {
  private byRow = new Map<string, Problem[]>()
  private uniqueProblems: Problem[] = []
  private plainCols: Column[] = []
  private uniqueCols: Column[] = []
  private hasReferences = false
  private dirtyRows = new Set<string>()
  private uniqueDirty = true
  private fullPending = true
  private fullRun = 0
  private timer: ReturnType<typeof setTimeout> | null = null
  private disposed = false

  constructor(
    private readonly sheet: Sheet,
    private readonly referenceExists: ReferenceExists,
    private readonly onUpdate: (problems: Problem[]) => void,
    private readonly schedule: Schedule = (fn, ms) => setTimeout(fn, ms),
  ) {
    this.readColumns()
    // After the first rows are painted: the open is what the user waits for.
    this.kick(VALIDATE_FIRST_PASS_DELAY_MS)
  }

  private readColumns(): void {
    const cols = this.sheet.columns()
    this.plainCols = cols.filter((c) => !c.constraints?.unique)
    this.uniqueCols = cols.filter((c) => !!c.constraints?.unique)
    this.hasReferences = cols.some((c) => c.type === 'reference')
  }

  /** A change to this sheet. */
  apply(c: SheetChange): void {
    if (this.disposed) return
    if (c.columns) {
      this.readColumns()
      this.fullPending = true
      this.uniqueDirty = true
    }
    for (const id of c.added) this.dirtyRows.add(id)
    for (const id of c.removed) this.dirtyRows.add(id)
    for (const [rowId, cols] of c.cells) {
      this.dirtyRows.add(rowId)
      if (!this.uniqueDirty && this.uniqueCols.some((u) => cols.has(u.id))) this.uniqueDirty = true
    }
    if (c.added.size || c.removed.size || c.moved.size || c.order) this.uniqueDirty = true
    this.kick(VALIDATE_DEBOUNCE_MS)
  }

  /** Rows of another sheet appeared or vanished: references into it may have changed. */
  otherSheetRowsChanged(): void {
    if (!this.hasReferences || this.disposed) return
    this.fullPending = true
    this.uniqueDirty = true
    this.kick(VALIDATE_DEBOUNCE_MS)
  }

  private kick(ms: number): void {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = this.schedule(() => {
      this.timer = null
      this.run()
    }, ms)
  }

  private rowsOf(ids: Iterable<string>): RowView[] {
    const out: RowView[] = []
    for (const id of ids) {
      const r = this.sheet.getRow(id)
      if (r) out.push(r)
    }
    return out
  }

  private validateRows(ids: Iterable<string>): void {
    const rows = this.rowsOf(ids)
    for (const id of ids) this.byRow.delete(id)
    if (!this.plainCols.length) return
    for (const p of validateSheet({
      columns: this.plainCols,
      rows,
      referenceExists: this.referenceExists,
    })) {
      const list = this.byRow.get(p.rowId)
      if (list) list.push(p)
      else this.byRow.set(p.rowId, [p])
    }
  }

  private run(): void {
    if (this.disposed) return
    if (this.fullPending) {
      this.fullPending = false
      const run = ++this.fullRun
      const ids = this.sheet.rowIds()
      this.byRow.clear()
      this.dirtyRows.clear()
      let i = 0
      const slice = () => {
        if (this.disposed || run !== this.fullRun) return
        this.validateRows(ids.slice(i, i + VALIDATE_SLICE_ROWS))
        i += VALIDATE_SLICE_ROWS
        if (i < ids.length) this.timer = this.schedule(slice, 0)
        else {
          this.timer = null
          // Edits made during the pass are in dirtyRows; finish with them.
          this.run()
        }
      }
      slice()
      return
    }
    if (this.dirtyRows.size) {
      // A big paste or import appends tens of thousands of rows: validate them in slices too,
      // and publish the problems once all are done.
      const ids: string[] = []
      for (const id of this.dirtyRows) {
        ids.push(id)
        if (ids.length === VALIDATE_SLICE_ROWS) break
      }
      for (const id of ids) this.dirtyRows.delete(id)
      this.validateRows(ids)
      if (this.dirtyRows.size) {
        this.timer = this.schedule(() => {
          this.timer = null
          this.run()
        }, 0)
        return
      }
    }
    if (this.uniqueDirty) {
      this.uniqueDirty = false
      this.uniqueProblems = this.uniqueCols.length
        ? validateSheet({
            columns: this.uniqueCols,
            rows: this.sheet.rowIds().map((id) => {
              const cells: RowView['cells'] = {}
              for (const c of this.uniqueCols) cells[c.id] = this.sheet.getCell(id, c.id)
              return { id, cells }
            }),
            referenceExists: this.referenceExists,
          })
        : []
    }
    this.emit()
  }

  private emit(): void {
    const out: Problem[] = []
    const unique = new Map<string, Problem[]>()
    for (const p of this.uniqueProblems) {
      const list = unique.get(p.rowId)
      if (list) list.push(p)
      else unique.set(p.rowId, [p])
    }
    if (this.byRow.size || unique.size) {
      const order = new Map(this.sheet.columns().map((c, i) => [c.id, i]))
      for (const id of this.sheet.rowIds()) {
        const a = this.byRow.get(id)
        const b = unique.get(id)
        if (!a && !b) continue
        const both = a && b ? [...a, ...b] : (a ?? b ?? [])
        if (a && b) both.sort((x, y) => (order.get(x.colId) ?? 0) - (order.get(y.colId) ?? 0))
        out.push(...both)
      }
    }
    this.onUpdate(out)
  }

  dispose(): void {
    this.disposed = true
    if (this.timer !== null) clearTimeout(this.timer)
  }
}
