import { isUndoNote } from './log.js'
import type { ColumnRemoval, Conflict, EditEntry, RowRemoval } from './types.js'

/** What conflict detection reads besides the log: the overlay's winners, deleted rows and columns. */
export interface ConflictInputs {
  /** The edit id the cell's overlay holds now (the winner), if any. */
  winnerOf(rowId: string, colId: string): string | undefined
  /** Deleted rows with the latest deletion and what their deleters had seen. */
  deletedRows: ReadonlyMap<string, RowRemoval>
  /** Deleted columns with their deletion (absent: none is deleted). */
  deletedColumns?: ReadonlyMap<string, ColumnRemoval>
  /** The Yjs id (client, clock) of an edit's log record, to test it against a state vector. */
  logId?(editId: string): { client: number; clock: number } | undefined
}

/** The edit ids of `heads` and of every edit before them on their prev-edit chains. */
function chainsOf(heads: ReadonlySet<string>, byId: ReadonlyMap<string, EditEntry>): Set<string> {
  const out = new Set<string>()
  for (const head of heads) {
    for (let id: string | null = head; id !== null && !out.has(id); ) {
      out.add(id)
      id = byId.get(id)?.prevEditId ?? null
    }
  }
  return out
}

/** Whether a column's deleter had seen an edit: its state vector covers the edit's log record. */
function deleterSaw(col: ColumnRemoval, e: EditEntry, inputs: ConflictInputs): boolean {
  const id = col.sv ? inputs.logId?.(e.editId) : undefined
  if (!col.sv || !id) return e.at < col.at
  return (col.sv[String(id.client)] ?? 0) > id.clock
}

/** The log's entries grouped per cell, in log order (one flat map: no map per row). */
function groupByCell(log: readonly EditEntry[]): EditEntry[][] {
  const byCell = new Map<string, EditEntry[]>()
  for (const e of log) {
    // Undo notes record what an undo did, not a value anyone chose: no part in conflicts.
    if (isUndoNote(e)) continue
    // Ids never contain U+0001, so the joined key is unambiguous.
    const k = `${e.rowId}\u0001${e.colId}`
    const list = byCell.get(k)
    if (list) list.push(e)
    else byCell.set(k, [e])
  }
  return [...byCell.values()]
}
/** Whether two writes of a cell share a prev edit (were made without seeing each other). */
function hasSiblings(list: readonly EditEntry[]): boolean {
  if (list.length < 2) return false
  if (list.length === 2) return list[0]!.prevEditId === list[1]!.prevEditId
  const prevs = new Set<string | null>()
  for (const e of list) {
    if (prevs.has(e.prevEditId)) return true
    prevs.add(e.prevEditId)
  }
  return false
}

/**
 * Values that lost without their writer seeing the winner: concurrent writes to the same cell
 * (a sibling of an edit on the current value's prev-edit chain) and edits into rows that a
 * concurrent or later delete hid. Pure: the same log and inputs give the same list everywhere.
 */
export function findConflicts(log: readonly EditEntry[], inputs: ConflictInputs): Conflict[] {
  const deadColumns = inputs.deletedColumns
  const out: Conflict[] = []
  for (const list of groupByCell(log)) {
    const first = list[0]!
    // Most cells were written once, or one write after another: with no two writes sharing a
    // prev edit (siblings), no branch lost, and only a deletion can have hidden a write.
    if (!hasSiblings(list)) {
      const del = inputs.deletedRows.get(first.rowId)
      const deadCol = deadColumns?.get(first.colId)
      if (!del && !deadCol) continue
    }
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
      // What the deleters had seen: the edits their cells held and every edit before those. An
      // edit outside that was made without seeing the delete coming; with no record, clocks decide.
      const seen = del.seen ? chainsOf(del.seen, byId) : null
      for (const e of list) {
        if (seen ? !seen.has(e.editId) : e.at >= del.at) {
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
    const deadCol = deadColumns?.get(first.colId)
    if (deadCol) {
      for (const e of list) {
        if (!deleterSaw(deadCol, e, inputs)) {
          out.push({
            kind: 'fill-of-deleted-column',
            rowId: e.rowId,
            colId: e.colId,
            lost: e,
            deletedBy: deadCol.by,
            deletedAt: deadCol.at,
          })
        }
      }
    }
  }
  return out
}
