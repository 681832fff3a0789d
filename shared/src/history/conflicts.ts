import type { Conflict, EditEntry, Removal } from './types.js'

/** What conflict detection reads besides the log: the overlay's winners and the deleted rows. */
export interface ConflictInputs {
  /** The edit id the cell's overlay holds now (the winner), if any. */
  winnerOf(rowId: string, colId: string): string | undefined
  /** Deleted rows with the latest deletion. */
  deletedRows: ReadonlyMap<string, Removal>
}

/** The log's entries grouped per cell (rowId, then colId), in log order. */
function groupByCell(log: readonly EditEntry[]): EditEntry[][] {
  const byRow = new Map<string, Map<string, EditEntry[]>>()
  const out: EditEntry[][] = []
  for (const e of log) {
    let row = byRow.get(e.rowId)
    if (!row) {
      row = new Map()
      byRow.set(e.rowId, row)
    }
    let list = row.get(e.colId)
    if (!list) {
      list = []
      row.set(e.colId, list)
      out.push(list)
    }
    list.push(e)
  }
  return out
}

/**
 * Values that lost without their writer seeing the winner: concurrent writes to the same cell
 * (a sibling of an edit on the current value's prev-edit chain) and edits into rows that a
 * concurrent or later delete hid. Pure: the same log and inputs give the same list everywhere.
 */
export function findConflicts(log: readonly EditEntry[], inputs: ConflictInputs): Conflict[] {
  const out: Conflict[] = []
  for (const list of groupByCell(log)) {
    const first = list[0]!
    const byId = new Map(list.map((e) => [e.editId, e]))
    const winnerId = inputs.winnerOf(first.rowId, first.colId)
    const winner = winnerId ? (byId.get(winnerId) ?? null) : null
    const ancestors = new Set<string>()
    for (
      let e: EditEntry | undefined | null = winner;
      e;
      e = e.prevEditId ? byId.get(e.prevEditId) : undefined
    ) {
      if (ancestors.has(e.editId)) break
      ancestors.add(e.editId)
    }
    // A losing branch starts at a write with a sibling (same prev edit, so they were written
    // without seeing each other); every later write on that branch lost too. The sibling is
    // usually on the winner's chain, but need not be: when the winning write was then undone by
    // its author, Yjs leaves the cell empty (it does not bring back, over the concurrent write,
    // the value both had seen), and the other write is lost all the same; the undone one is
    // listed too, as nothing tells who undid what. A write with no sibling that merely forks off
    // the chain at a chain member itself was undone, not lost.
    const siblings = new Map<string | null, number>()
    for (const e of list) siblings.set(e.prevEditId, (siblings.get(e.prevEditId) ?? 0) + 1)
    const lost = new Map<string, boolean>()
    const isLost = (start: EditEntry): boolean => {
      const path: EditEntry[] = []
      let verdict = false
      for (let e: EditEntry | undefined = start; e; ) {
        const known = lost.get(e.editId)
        if (known !== undefined) {
          verdict = known
          break
        }
        if (ancestors.has(e.editId) || path.length > list.length) break
        path.push(e)
        if (siblings.get(e.prevEditId)! > 1) {
          verdict = true
          break
        }
        e = e.prevEditId ? byId.get(e.prevEditId) : undefined
      }
      for (const p of path) lost.set(p.editId, verdict)
      return verdict
    }
    for (const e of list) {
      if (!ancestors.has(e.editId) && isLost(e)) {
        out.push({
          kind: 'concurrent-edit',
          rowId: first.rowId,
          colId: first.colId,
          winner,
          lost: e,
        })
      }
    }
    const del = inputs.deletedRows.get(first.rowId)
    if (del) {
      for (const e of list) {
        if (e.at >= del.at) {
          out.push({
            kind: 'edit-on-deleted-row',
            rowId: e.rowId,
            colId: e.colId,
            lost: e,
            deletedBy: del.by,
            deletedAt: del.at,
          })
        }
      }
    }
  }
  return out
}
