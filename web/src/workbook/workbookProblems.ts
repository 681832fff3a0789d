import type { Problem, Workbook, WorkbookChange } from '@taizhang/shared'
import { type Schedule, SheetProblems } from './sheetProblems'

/** Every live sheet's problems, by sheet id. */
export type ProblemsBySheet = ReadonlyMap<string, readonly Problem[]>

/**
 * Validation of every live sheet, not only the one on screen: one incremental `SheetProblems`
 * per sheet (an edit revalidates only the rows it touched; full passes run in slices), added and
 * dropped as sheets come and go. `onUpdate` gets the whole map whenever a sheet's list changes.
 */
export class WorkbookProblems {
  private readonly validators = new Map<string, SheetProblems>()
  private readonly bySheet = new Map<string, readonly Problem[]>()
  private disposed = false

  constructor(
    private readonly wb: Workbook,
    private readonly onUpdate: (bySheet: ProblemsBySheet) => void,
    private readonly schedule: Schedule = (fn, ms) => setTimeout(fn, ms),
    private readonly now: () => number = () => performance.now(),
  ) {
    this.syncSheets()
  }

  /** One validator per live sheet: new sheets get one, deleted sheets lose theirs. */
  private syncSheets(): void {
    const live = new Set(this.wb.listSheets().map((s) => s.id))
    let dropped = false
    for (const [id, v] of this.validators) {
      if (live.has(id)) continue
      v.dispose()
      this.validators.delete(id)
      dropped = this.bySheet.delete(id) || dropped
    }
    for (const id of live) {
      if (this.validators.has(id)) continue
      const v = new SheetProblems(
        this.wb.sheet(id),
        (sid, rid) => this.wb.hasSheet(sid) && this.wb.sheet(sid).hasRow(rid),
        (problems) => {
          if (this.disposed) return
          this.bySheet.set(id, problems)
          this.onUpdate(new Map(this.bySheet))
        },
        this.schedule,
        this.now,
      )
      this.validators.set(id, v)
    }
    if (dropped) this.onUpdate(new Map(this.bySheet))
  }

  /** One transaction's changes (from `Workbook.onChange`). */
  apply(c: WorkbookChange): void {
    if (this.disposed) return
    if (c.sheetsChanged) this.syncSheets()
    for (const [sid, sc] of c.sheets) {
      this.validators.get(sid)?.apply(sc)
      if (sc.added.size === 0 && sc.removed.size === 0) continue
      // Rows appeared or vanished: references into this sheet from the others may have changed.
      for (const [other, v] of this.validators) if (other !== sid) v.otherSheetRowsChanged()
    }
  }

  dispose(): void {
    this.disposed = true
    for (const v of this.validators.values()) v.dispose()
    this.validators.clear()
  }
}

/** Problems grouped by sheet in tab order, sheets without problems left out. */
export function groupProblems(
  wb: Workbook,
  bySheet: ProblemsBySheet,
): Array<{ sheetId: string; name: string; problems: readonly Problem[] }> {
  return wb
    .listSheets()
    .map((s) => ({ sheetId: s.id, name: s.name, problems: bySheet.get(s.id) ?? [] }))
    .filter((g) => g.problems.length > 0)
}

/** How many problems all sheets have. */
export function countProblems(bySheet: ProblemsBySheet): number {
  // Warnings (outliers, warning-level rules) are listed in the panel but never counted as problems.
  let n = 0
  for (const list of bySheet.values()) for (const p of list) if (p.level !== 'warning') n++
  return n
}
