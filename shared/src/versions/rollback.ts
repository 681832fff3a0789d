import type { Change } from '../access/checkChange.js'
import { RESTORE_EDIT } from '../model/origins.js'
import type { CellEdit, Sheet } from '../model/sheet.js'
import type { Workbook } from '../model/workbook.js'
import type { CellValue, Column } from '../schema/columnTypes.js'
import { changedCells } from './cellDiff.js'
import { asWorkbook, movedIds, type WorkbookSource } from './compare.js'
import { type DefinitionDiff, rollDefinitions } from './definitions.js'

/** What a rollback wrote, for the message after it. */
export interface RollbackResult {
  /** Cells written (in rows both have, and in rows brought back or re-created). */
  cells: number
  rowsRestored: number
  rowsDeleted: number
  /** Rows of the version no longer in the doc at all, inserted again (with new ids). */
  rowsInserted: number
  rowsMoved: number
  columnsChanged: number
  sheetsChanged: number
  /** Report definitions written back (see `ROLLED_BACK_DEFINITIONS`), for the undo of the rollback. */
  definitions: DefinitionDiff[]
  /**
   * Changes left as they are because `allow` refused them: rows in a locked period, rows or
   * columns outside the user's rights. A rollback never unlocks a month to write into it.
   */
  refused: number
}

/** How a rollback asks whether the user may make each change (the server's own checker). */
export interface RollbackOptions {
  /**
   * Whether the user may make this change now (`createAccessChecker(wb).check(who, change, now).ok`:
   * period locks bind everyone, owners too). A refused change is left as it is and counted, so
   * the rollback's one update is never refused by the server as a whole. Default: all allowed.
   */
  allow?: (change: Change) => boolean
}

const ALLOW_ALL = () => true

/** Puts the sheets the version has back in its order (one move per sheet out of place). */
function orderSheets(current: Workbook, want: readonly string[]): number {
  let moves = 0
  const out = movedIds(
    current.listSheets().map((s) => s.id),
    want,
  )
  for (const id of want) {
    if (!out.has(id)) continue
    current.moveSheet(id, want.indexOf(id))
    moves++
  }
  return moves
}

function columnPatch(want: Column, now: Column) {
  const patch: Partial<Pick<Column, 'name' | 'type' | 'constraints' | 'format' | 'width'>> = {}
  if (want.name !== now.name) patch.name = want.name
  if (want.type !== now.type) patch.type = want.type
  if (JSON.stringify(want.constraints) !== JSON.stringify(now.constraints))
    patch.constraints = want.constraints
  if (JSON.stringify(want.format) !== JSON.stringify(now.format)) patch.format = want.format
  if (want.width !== now.width) patch.width = want.width
  return patch
}

/** Whether a sheet's live columns differ from the version's (ids, settings or order). */
function columnsDiffer(vs: Sheet, cs: Sheet): boolean {
  const a = vs.columns()
  const b = cs.columns()
  return (
    a.length !== b.length ||
    a.some((c, i) => c.id !== b[i]!.id || Object.keys(columnPatch(c, b[i]!)).length > 0)
  )
}

/** Brings a sheet's columns to the version's: restore, add, update, delete, then order. */
function rollColumns(vs: Sheet, cs: Sheet, r: RollbackResult, allow: (c: Change) => boolean): void {
  // Columns are structure: one question for the sheet (owners; editors before any rule exists).
  if (!allow({ kind: 'structure', sheetId: cs.id, what: 'column' })) {
    if (columnsDiffer(vs, cs)) r.refused++
    return
  }
  const want = vs.columns()
  const live = new Map(cs.columns().map((c) => [c.id, c]))
  const trashed = new Map(cs.deletedColumns().map((c) => [c.id, c]))
  const wantIds = new Set(want.map((c) => c.id))
  for (const w of want) {
    let now = live.get(w.id)
    if (!now && trashed.has(w.id)) {
      cs.restoreColumn(w.id)
      now = trashed.get(w.id)
    }
    if (!now) {
      cs.addColumn({
        id: w.id,
        name: w.name,
        type: w.type,
        constraints: w.constraints,
        format: w.format,
        width: w.width,
      })
      r.columnsChanged++
      continue
    }
    const patch = columnPatch(w, now)
    if (Object.keys(patch).length > 0 || !live.has(w.id)) {
      if (Object.keys(patch).length > 0) cs.updateColumn(w.id, patch)
      r.columnsChanged++
    }
  }
  for (const id of live.keys())
    if (!wantIds.has(id)) {
      cs.deleteColumn(id)
      r.columnsChanged++
    }
  const wantOrder = want.map((c) => c.id)
  const out = movedIds(
    cs.columns().map((c) => c.id),
    wantOrder,
  )
  for (const id of wantOrder)
    if (out.has(id)) {
      cs.moveColumn(id, wantOrder.indexOf(id))
      r.columnsChanged++
    }
}

/**
 * Brings a sheet's rows and cells to the version's. Rows re-created with new ids are added to
 * `renamed` (version id → new id), for the reference fix-up.
 */
function rollRows(
  vs: Sheet,
  cs: Sheet,
  r: RollbackResult,
  renamed: Map<string, string>,
  allow: (c: Change) => boolean,
): void {
  const sheetId = cs.id
  const cols = vs.columns()
  const versionValues = (rowId: string) => {
    const v: Record<string, CellValue> = {}
    for (const c of cols) v[c.id] = vs.getCell(rowId, c.id)
    return v
  }
  const nowRows = cs.rowIds()
  const nowSet = new Set(nowRows)
  // Rows the version has that stay out (a refused restore or insert: a locked period, say) are
  // dropped from what the rollback aims at, so the order and cells below skip them.
  const left = new Set<string>()
  const toRestore: string[] = []
  for (const id of vs.rowIds()) {
    if (nowSet.has(id)) continue
    if (cs.getAnyRow(id) !== undefined) {
      // A restore is a write to the row's deletion record: the server checks it as one.
      if (allow({ kind: 'row-delete', sheetId, rowId: id })) toRestore.push(id)
      else left.add(id)
    } else if (
      allow !== ALLOW_ALL &&
      !allow({ kind: 'row-insert', sheetId, rowId: id, values: versionValues(id) })
    ) {
      left.add(id)
    }
  }
  r.refused += left.size
  const wantRows = vs.rowIds().filter((id) => !left.has(id))
  const wantSet = new Set(wantRows)
  if (toRestore.length > 0) cs.restoreRows(toRestore)
  r.rowsRestored += toRestore.length
  const toDelete: string[] = []
  for (const id of nowRows) {
    if (wantSet.has(id)) continue
    if (allow({ kind: 'row-delete', sheetId, rowId: id })) toDelete.push(id)
    else r.refused++
  }
  if (toDelete.length > 0) cs.deleteRows(toDelete)
  r.rowsDeleted += toDelete.length
  // Rows of the version that this doc no longer has at all (a doc restored from an older backup):
  // inserted again with their values; their ids are new, so `ids` maps the version's to the doc's.
  const ids = new Map<string, string>()
  const restoredSet = new Set(toRestore)
  const kept = (id: string) => nowSet.has(id) || restoredSet.has(id)
  for (let i = 0; i < wantRows.length; ) {
    const id = wantRows[i]!
    if (kept(id)) {
      ids.set(id, id)
      i++
      continue
    }
    // A run of missing rows goes in with one insert (a copy into an empty workbook: one call).
    let j = i
    while (j < wantRows.length && !kept(wantRows[j]!)) j++
    const run = wantRows.slice(i, j)
    const values = run.map(versionValues)
    const prev = i > 0 ? ids.get(wantRows[i - 1]!) : undefined
    const made = cs.insertRows(values, prev ? { after: prev } : { before: cs.rowIds()[0] ?? null })
    run.forEach((rowId, k) => {
      ids.set(rowId, made[k]!)
      renamed.set(rowId, made[k]!)
    })
    r.rowsInserted += run.length
    i = j
  }
  // Cells of the rows both have (the re-created ones got their values on insert).
  const wantAt = new Map(wantRows.map((id, i) => [id, i]))
  const liveNow = new Set(cs.columns().map((c) => c.id))
  const edits: CellEdit[] = changedCells(
    vs,
    cs,
    (id) => ids.get(id) === id,
    cols.filter((c) => liveNow.has(c.id)).map((c) => c.id),
    (id) => wantAt.get(id) ?? 0,
  )
    .map((c) => ({ row: c.rowId, col: c.colId, value: c.before }))
    .filter((e) => {
      const ok = allow({ kind: 'cell', sheetId, rowId: e.row, colId: e.col, value: e.value })
      if (!ok) r.refused++
      return ok
    })
  cs.setCells(edits)
  r.cells += edits.length
  // Order: rows out of place among the others move, each right after its predecessor in the
  // version (processed in the version's order, so that predecessor already stands right).
  const wantOrder = wantRows.map((id) => ids.get(id)!)
  const out = movedIds(cs.rowIds(), wantOrder)
  for (let i = 0; i < wantOrder.length; i++) {
    const id = wantOrder[i]!
    if (!out.has(id)) continue
    if (!allow({ kind: 'row-move', sheetId, rowId: id })) {
      r.refused++
      continue
    }
    cs.moveRows(
      [id],
      i > 0 ? { after: wantOrder[i - 1]! } : { before: cs.rowIds().find((x) => x !== id) ?? null },
    )
    r.rowsMoved++
  }
}

/** Re-points reference cells that hold a re-created row's old id; returns how many it wrote. */
function repointReferences(
  current: Workbook,
  sheetIds: readonly string[],
  renamed: ReadonlyMap<string, string>,
): number {
  let n = 0
  for (const id of sheetIds) {
    const cs = current.sheet(id)
    const refs = cs.columns().filter((c) => c.type === 'reference')
    if (refs.length === 0) continue
    const edits: CellEdit[] = []
    for (const row of cs.rowIds())
      for (const c of refs) {
        const v = cs.getCell(row, c.id)
        const to = typeof v === 'string' ? renamed.get(v) : undefined
        if (to) edits.push({ row, col: c.id, value: to })
      }
    cs.setCells(edits)
    n += edits.length
  }
  return n
}

/**
 * Rolls the live workbook back to a version: writes, as ONE transaction through the model's
 * normal write path (so: one undo step, an ordinary update every replica receives, every cell
 * write in the edit log with how = restore, every row restore/delete in the row log), the
 * forward changes that make its title, sheets, columns, rows, cells and report definitions
 * (`ROLLED_BACK_DEFINITIONS`) equal the version's. Nothing is erased: deleted rows, columns and
 * sheets go to the trash as usual, and the history of each cell keeps every value it had.
 *
 * Not rolled back: access rules, period locks and lock exceptions (root `access`), `complete`
 * marks and settled conflicts. Each change is `allow`ed first (the server's checker): what the
 * user may not change now (a row of a locked month, a column for a non-owner) is left as it is
 * and counted in `refused`, so a rollback never unlocks a month or goes round a rule.
 *
 * The undo manager covers sheets and meta only: the definitions written are returned
 * (`definitions`) for the caller to put back on undo (web/src/versions/rollbackUndo.ts).
 *
 * @example
 * const res = rollbackTo(versionDoc, session.workbook, { allow: (c) => gate.check(c).ok })
 */
export function rollbackTo(
  versionSrc: WorkbookSource,
  current: Workbook,
  opts: RollbackOptions = {},
): RollbackResult {
  const version = asWorkbook(versionSrc)
  const allow = opts.allow ?? ALLOW_ALL
  const r: RollbackResult = {
    cells: 0,
    rowsRestored: 0,
    rowsDeleted: 0,
    rowsInserted: 0,
    rowsMoved: 0,
    columnsChanged: 0,
    sheetsChanged: 0,
    definitions: [],
    refused: 0,
  }
  // Rows re-created with new ids (a doc that no longer has them, or a copy into a new workbook):
  // reference cells (which hold row ids) pointing at them are re-pointed afterwards.
  const renamed = new Map<string, string>()
  current.transact(() => {
    const title = version.meta().title
    if (current.meta().title !== title) {
      if (allow({ kind: 'structure', what: 'meta' })) current.setTitle(title)
      else r.refused++
    }
    const sheetsOk = allow({ kind: 'structure', what: 'sheet' })
    const want = version.listSheets()
    const wantIds = new Set(want.map((s) => s.id))
    const trashed = new Set(current.deletedSheets().map((s) => s.id))
    for (const s of want) {
      const gone = !current.hasSheet(s.id) || trashed.has(s.id)
      if (gone && !sheetsOk) {
        r.refused++
        continue
      }
      if (!current.hasSheet(s.id)) {
        current.addSheet(s.name, { id: s.id })
        r.sheetsChanged++
      } else if (trashed.has(s.id)) {
        current.restoreSheet(s.id)
        r.sheetsChanged++
      }
      const cs = current.sheet(s.id)
      if (cs.name !== s.name) {
        if (sheetsOk) {
          current.renameSheet(s.id, s.name)
          r.sheetsChanged++
        } else r.refused++
      }
      const vs = version.sheet(s.id)
      rollColumns(vs, cs, r, allow)
      rollRows(vs, cs, r, renamed, allow)
    }
    for (const s of current.listSheets())
      if (!wantIds.has(s.id)) {
        if (sheetsOk) {
          current.deleteSheet(s.id)
          r.sheetsChanged++
        } else r.refused++
      }
    if (sheetsOk)
      r.sheetsChanged += orderSheets(
        current,
        want.map((s) => s.id),
      )
    if (renamed.size > 0)
      r.cells += repointReferences(
        current,
        want.map((s) => s.id),
        renamed,
      )
    const defs = rollDefinitions(version, current, allow)
    r.definitions = defs.written
    r.refused += defs.refused
    // The undo manager sees sheets and meta only: when nothing else changed, the title is written
    // again (same value) so the rollback still makes one undo step for the definitions to ride on.
    const wrote =
      r.cells + r.rowsRestored + r.rowsDeleted + r.rowsInserted + r.rowsMoved + r.columnsChanged
    if (
      defs.written.length > 0 &&
      wrote + r.sheetsChanged === 0 &&
      allow({ kind: 'structure', what: 'meta' })
    )
      current.setTitle(current.meta().title)
  }, RESTORE_EDIT)
  return r
}
