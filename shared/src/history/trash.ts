import type { Conflict, EditEntry, Removal } from './types.js'

/** A deleted row or column in the trash, with the edits made to it while it was deleted. */
export interface TrashItem extends Removal {
  id: string
  /** Edits to it its deleter had not seen (others' offline edits among them), in log order. */
  editsWhileDeleted: EditEntry[]
}

/**
 * The trash of one sheet: deleted rows and columns, newest deletion first (ties by id), each with
 * the edits its deletion hid from people who had not seen it coming: the `edit-on-deleted-row` and
 * `fill-of-deleted-column` conflicts (decided causally, not by clock; see conflicts.ts). Pure: the
 * same inputs on every replica give the same list.
 */
export function buildTrash(
  conflicts: readonly Conflict[],
  deletedRows: ReadonlyMap<string, Removal>,
  deletedColumns: ReadonlyMap<string, Removal>,
): { rows: TrashItem[]; columns: TrashItem[] } {
  const rows = new Map<string, TrashItem>()
  const columns = new Map<string, TrashItem>()
  for (const [id, r] of deletedRows) rows.set(id, { id, by: r.by, at: r.at, editsWhileDeleted: [] })
  for (const [id, r] of deletedColumns)
    columns.set(id, { id, by: r.by, at: r.at, editsWhileDeleted: [] })
  for (const c of conflicts) {
    if (c.kind === 'edit-on-deleted-row') rows.get(c.rowId)?.editsWhileDeleted.push(c.lost)
    else if (c.kind === 'fill-of-deleted-column')
      columns.get(c.colId)?.editsWhileDeleted.push(c.lost)
  }
  const newestFirst = (a: TrashItem, b: TrashItem) =>
    b.at - a.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  return {
    rows: [...rows.values()].sort(newestFirst),
    columns: [...columns.values()].sort(newestFirst),
  }
}
