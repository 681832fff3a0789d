import type { EditEntry, Removal } from './types.js'

/** A deleted row or column in the trash, with the edits made to it while it was deleted. */
export interface TrashItem extends Removal {
  id: string
  /** Edits to its cells written at or after its deletion (others' offline edits among them). */
  editsWhileDeleted: EditEntry[]
}

/**
 * The trash of one sheet: deleted rows and columns, newest deletion first (ties by id), each with
 * the edits written into it since it was deleted. Pure: the same inputs on every replica give the
 * same list.
 */
export function buildTrash(
  log: readonly EditEntry[],
  deletedRows: ReadonlyMap<string, Removal>,
  deletedColumns: ReadonlyMap<string, Removal>,
): { rows: TrashItem[]; columns: TrashItem[] } {
  const rows = new Map<string, TrashItem>()
  const columns = new Map<string, TrashItem>()
  for (const [id, r] of deletedRows) rows.set(id, { id, by: r.by, at: r.at, editsWhileDeleted: [] })
  for (const [id, r] of deletedColumns)
    columns.set(id, { id, by: r.by, at: r.at, editsWhileDeleted: [] })
  for (const e of log) {
    if (e.how === 'undo' || e.how === 'redo') continue
    const row = rows.get(e.rowId)
    if (row && e.at >= row.at) row.editsWhileDeleted.push(e)
    const col = columns.get(e.colId)
    if (col && e.at >= col.at) col.editsWhileDeleted.push(e)
  }
  const newestFirst = (a: TrashItem, b: TrashItem) =>
    b.at - a.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  return {
    rows: [...rows.values()].sort(newestFirst),
    columns: [...columns.values()].sort(newestFirst),
  }
}
