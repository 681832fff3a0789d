import {
  type Column,
  duplicateProblem,
  type Problem,
  type ReferenceExists,
  type RowView,
  type Sheet,
  type SheetChange,
  uniqueKey,
  validateSheet,
} from '@taizhang/shared'

/** Rows validated per slice of a full pass: about 30 ms for 12 columns. */
export const VALIDATE_SLICE_ROWS = 5000
/** A slice also ends after about this long, whatever its rows (a slow machine, a busy heap). */
export const VALIDATE_SLICE_MS = 25
/** Rows whose unique keys are read per slice (one cell per unique column: cheap). */
const UNIQUE_READ_SLICE_ROWS = 20_000
/** Duplicate problems cost their group's size each: a slice builds at most this much. */
const UNIQUE_SLICE_WORK = 50_000
/** Rows per slice when the problems are put in row order for `onUpdate`. */
const EMIT_SLICE_ROWS = 20_000
/** Rows per `validateSheet` call inside a slice, between looks at the clock. */
const CLOCK_ROWS = 500
/** The first full pass starts this long after the sheet is shown. */
export const VALIDATE_FIRST_PASS_DELAY_MS = 400
/** Edits are validated together after this pause (keystroke-level edits coalesce). */
export const VALIDATE_DEBOUNCE_MS = 150

export type Schedule = (fn: () => void, ms: number) => ReturnType<typeof setTimeout>

/**
 * The problems of one sheet, kept incrementally with shared's `validateSheet`:
 * - per-cell rules are checked for the rows an edit touched, not the whole sheet;
 * - unique columns (their messages name other rows by position) are rechecked as a whole, but
 *   only when an edit touches them or rows are added, removed or moved;
 * - every pass over many rows — a full pass (open, column changes), a big batch of changed rows
 *   (an import, a paste), the unique check and putting the problems in row order — runs in
 *   slices of at most VALIDATE_SLICE_ROWS rows or VALIDATE_SLICE_MS, one task each, never one
 *   long task. Changes arriving during a pass are taken up when it ends (a pass is never
 *   abandoned half-way, so a stream of edits cannot starve it), except a column change during a
 *   full pass, which restarts it.
 * `onUpdate` receives every problem in row order, once per pass.
 */
export class SheetProblems {
  private byRow = new Map<string, Problem[]>()
  private uniqueByRow = new Map<string, Problem[]>()
  private plainCols: Column[] = []
  private uniqueCols: Column[] = []
  private hasReferences = false
  private dirtyRows = new Set<string>()
  private uniqueDirty = true
  private fullPending = true
  /** A sliced pass is under way; it runs the next step itself when it ends. */
  private busy = false
  private timer: ReturnType<typeof setTimeout> | null = null
  private disposed = false

  constructor(
    private readonly sheet: Sheet,
    private readonly referenceExists: ReferenceExists,
    private readonly onUpdate: (problems: Problem[]) => void,
    private readonly schedule: Schedule = (fn, ms) => setTimeout(fn, ms),
    private readonly now: () => number = () => performance.now(),
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
    // A pass under way looks at what changed when it ends.
    if (this.busy) return
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = this.schedule(() => {
      this.timer = null
      this.run()
    }, ms)
  }

  /**
   * Runs `step` once now and then once per task until it returns true, then `done`. `step` gets
   * the time its slice should end by.
   */
  private sliced(step: (deadline: number) => boolean, done: () => void): void {
    this.busy = true
    const tick = () => {
      this.timer = null
      if (this.disposed) return
      if (step(this.now() + VALIDATE_SLICE_MS)) done()
      else this.timer = this.schedule(tick, 0)
    }
    tick()
  }

  private rowsOf(ids: Iterable<string>): RowView[] {
    const out: RowView[] = []
    for (const id of ids) {
      const r = this.sheet.getRow(id)
      if (r) out.push(r)
    }
    return out
  }

  /** Validates rows `ids[from…]` until `to` or the deadline; returns where it stopped. */
  private validateRows(ids: readonly string[], from: number, to: number, deadline: number): number {
    let i = from
    while (i < to) {
      const part = ids.slice(i, Math.min(to, i + CLOCK_ROWS))
      i += part.length
      for (const id of part) this.byRow.delete(id)
      if (this.plainCols.length) {
        for (const p of validateSheet({
          columns: this.plainCols,
          rows: this.rowsOf(part),
          referenceExists: this.referenceExists,
        })) {
          const list = this.byRow.get(p.rowId)
          if (list) list.push(p)
          else this.byRow.set(p.rowId, [p])
        }
      }
      if (this.now() >= deadline) break
    }
    return i
  }

  private run(): void {
    this.busy = false
    if (this.disposed) return
    if (this.fullPending) {
      this.fullPending = false
      const ids = this.sheet.rowIds()
      this.byRow.clear()
      this.dirtyRows.clear()
      let i = 0
      this.sliced(
        (deadline) => {
          // The columns changed under the pass: end it, and `run` starts another.
          if (this.fullPending) return true
          i = this.validateRows(ids, i, Math.min(ids.length, i + VALIDATE_SLICE_ROWS), deadline)
          return i >= ids.length
        },
        // Edits made during the pass are in dirtyRows; the next steps take them.
        () => this.run(),
      )
      return
    }
    if (this.dirtyRows.size) {
      // A big paste or import appends tens of thousands of rows: validate them in slices too,
      // and publish the problems once all are done. Rows changed meanwhile join the set.
      this.sliced(
        (deadline) => {
          const ids: string[] = []
          for (const id of this.dirtyRows) {
            ids.push(id)
            if (ids.length === VALIDATE_SLICE_ROWS) break
          }
          const done = this.validateRows(ids, 0, ids.length, deadline)
          for (let k = 0; k < done; k++) this.dirtyRows.delete(ids[k]!)
          return this.dirtyRows.size === 0
        },
        () => this.run(),
      )
      return
    }
    if (this.uniqueDirty) {
      this.uniqueDirty = false
      this.checkUnique()
      return
    }
    this.emit()
  }

  /**
   * The unique columns' problems, as `validateSheet` reports them, in two sliced passes over a
   * snapshot of the row order: read every row's keys, then build the problems of the rows whose
   * key others share. The result replaces the previous one at the end (never half of it).
   */
  private checkUnique(): void {
    const cols = this.uniqueCols
    if (!cols.length) {
      this.uniqueByRow = new Map()
      this.run()
      return
    }
    const ids = this.sheet.rowIds()
    const n = ids.length
    const keys = cols.map(() => new Array<string | undefined>(n))
    const groups = cols.map(() => new Map<string, number[]>())
    const out = new Map<string, Problem[]>()
    let read = 0
    let built = 0
    this.sliced(
      (deadline) => {
        if (read < n) {
          const end = Math.min(n, read + UNIQUE_READ_SLICE_ROWS)
          for (; read < end; read++) {
            const id = ids[read]!
            for (let ci = 0; ci < cols.length; ci++) {
              const k = uniqueKey(this.sheet.getCell(id, cols[ci]!.id))
              keys[ci]![read] = k
              if (k === undefined) continue
              const g = groups[ci]!.get(k)
              if (g) g.push(read)
              else groups[ci]!.set(k, [read])
            }
            if ((read & 1023) === 1023 && this.now() >= deadline) {
              read++
              break
            }
          }
          return false
        }
        let work = 0
        for (; built < n && work < UNIQUE_SLICE_WORK; built++) {
          const id = ids[built]!
          for (let ci = 0; ci < cols.length; ci++) {
            const k = keys[ci]![built]
            const same = k === undefined ? undefined : groups[ci]!.get(k)
            if (!same || same.length < 2) continue
            work += same.length
            const col = cols[ci]!
            const p = duplicateProblem(
              col,
              id,
              this.sheet.getCell(id, col.id),
              built,
              same,
              (i) => ids[i]!,
            )
            const list = out.get(id)
            if (list) list.push(p)
            else out.set(id, [p])
          }
          if ((built & 255) === 255 && this.now() >= deadline) {
            built++
            break
          }
        }
        return built >= n
      },
      () => {
        this.uniqueByRow = out
        this.run()
      },
    )
  }

  /** Puts every problem in row order (sliced too: a big import has 100,000s) and publishes. */
  private emit(): void {
    const byRow = this.byRow
    const unique = this.uniqueByRow
    if (!byRow.size && !unique.size) {
      this.publish([])
      return
    }
    const order = new Map(this.sheet.columns().map((c, i) => [c.id, i]))
    const ids = this.sheet.rowIds()
    const out: Problem[] = []
    let i = 0
    this.sliced(
      () => {
        const end = Math.min(ids.length, i + EMIT_SLICE_ROWS)
        for (; i < end; i++) {
          const id = ids[i]!
          const a = byRow.get(id)
          const b = unique.get(id)
          if (!a && !b) continue
          if (a && b) {
            const both = [...a, ...b]
            both.sort((x, y) => (order.get(x.colId) ?? 0) - (order.get(y.colId) ?? 0))
            for (const p of both) out.push(p)
          } else for (const p of (a ?? b)!) out.push(p)
        }
        return i >= ids.length
      },
      () => this.publish(out),
    )
  }

  private publish(problems: Problem[]): void {
    this.busy = false
    this.onUpdate(problems)
    // What changed while the pass ran.
    if (this.fullPending || this.dirtyRows.size || this.uniqueDirty) this.kick(VALIDATE_DEBOUNCE_MS)
  }

  dispose(): void {
    this.disposed = true
    if (this.timer !== null) clearTimeout(this.timer)
  }
}
