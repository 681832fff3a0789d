import type { LogRecord } from '../model/types.js'
import { findConflicts } from './conflicts.js'
import { isUndoNote, readEditEntry } from './log.js'
import type { ColumnRemoval, Conflict, EditEntry, RowRemoval } from './types.js'

/** Ids never contain U+0001, so a joined cell key is unambiguous. */
const key = (rowId: string, colId: string) => `${rowId}\u0001${colId}`

const KIND_ORDER: Record<Conflict['kind'], number> = {
  'concurrent-edit': 0,
  'edit-on-deleted-row': 1,
  'fill-of-deleted-column': 2,
}

/**
 * The losers of one contested cell outside deleted rows and columns, as `findConflicts` finds
 * them. Fast path for the common race, two writes made on the same value and one of them shown:
 * the other lost (`findConflicts` gives exactly that, at ~40 µs per cell with its maps).
 */
function sameCellLosers(
  list: readonly EditEntry[],
  winnerId: string | undefined,
  inputs: Parameters<typeof findConflicts>[1],
): Conflict[] {
  if (list.length === 2) {
    const [a, b] = list as [EditEntry, EditEntry]
    if (a.prevEditId === b.prevEditId && (winnerId === a.editId || winnerId === b.editId)) {
      const [winner, lost] = winnerId === a.editId ? [a, b] : [b, a]
      return [{ kind: 'concurrent-edit', rowId: a.rowId, colId: a.colId, winner, lost }]
    }
  }
  return findConflicts(list, inputs)
}

/**
 * `findConflicts` kept up to date as the log grows, for a workbook whose log has 100,000 entries
 * and gets a remote edit every second: entries are added once (`add`), grouped by cell, and a
 * query only examines the cells that can hold a loser: those where two writes share a prev edit
 * (siblings), and the cells of deleted rows and columns. The whole-log pass of `findConflicts`
 * took 0.2–1.6 s at that size. The result is sorted by the losing write (time, edit id, kind),
 * so it does not depend on the order entries arrived in: every replica lists the same.
 */
export class ConflictIndex {
  private readonly groups = new Map<string, EditEntry[]>()
  private readonly byRow = new Map<string, string[]>()
  private readonly byCol = new Map<string, string[]>()
  /** Cells where two writes share a prev edit. */
  private readonly contested = new Set<string>()
  /** Edit ids added: an entry offered twice is added once (see `add`). */
  private readonly ids = new Set<string>()
  /**
   * Per contested cell outside deleted rows and columns: the winner its losers were found with,
   * and those losers. A query recomputes a cell only when it gained entries since the last query
   * or its winner changed (an undo changes a winner without a log entry in the same transaction),
   * so a remote batch costs O(its cells), not O(every contested cell so far).
   */
  private readonly cached = new Map<string, { winner: string | undefined; out: Conflict[] }>()
  /** Cells that gained entries since the last query. */
  private readonly dirty = new Set<string>()

  /**
   * Adds log entries (any order; undo notes are ignored). An entry already added is skipped: a
   * reader walking the log's Yjs items can meet a record again when Yjs splits an item it had
   * merged (a concurrent insert whose origin falls inside it).
   */
  add(entries: readonly EditEntry[]): void {
    for (const e of entries) {
      if (isUndoNote(e) || this.ids.has(e.editId)) continue
      this.ids.add(e.editId)
      const k = key(e.rowId, e.colId)
      let list = this.groups.get(k)
      if (!list) {
        list = []
        this.groups.set(k, list)
        const r = this.byRow.get(e.rowId)
        if (r) r.push(k)
        else this.byRow.set(e.rowId, [k])
        const c = this.byCol.get(e.colId)
        if (c) c.push(k)
        else this.byCol.set(e.colId, [k])
      }
      if (!this.contested.has(k) && list.some((x) => x.prevEditId === e.prevEditId))
        this.contested.add(k)
      list.push(e)
      this.dirty.add(k)
    }
  }

  /** Every losing write, as `findConflicts` over all entries added, in a replica-independent order. */
  conflicts(inputs: {
    winnerOf(rowId: string, colId: string): string | undefined
    deletedRows: ReadonlyMap<string, RowRemoval>
    deletedColumns?: ReadonlyMap<string, ColumnRemoval>
    logId?(editId: string): { client: number; clock: number } | undefined
  }): Conflict[] {
    // Cells of deleted rows and columns: examined on every query (their inputs are the deletions).
    const hidden = new Set<string>()
    for (const rowId of inputs.deletedRows.keys())
      for (const k of this.byRow.get(rowId) ?? []) hidden.add(k)
    for (const colId of inputs.deletedColumns?.keys() ?? [])
      for (const k of this.byCol.get(colId) ?? []) hidden.add(k)
    const out: Conflict[] = []
    for (const k of this.contested) {
      if (hidden.has(k)) continue
      const list = this.groups.get(k)!
      const winner = inputs.winnerOf(list[0]!.rowId, list[0]!.colId)
      const known = this.cached.get(k)
      if (known && known.winner === winner && !this.dirty.has(k)) {
        for (const c of known.out) out.push(c)
        continue
      }
      const found = sameCellLosers(list, winner, inputs)
      this.cached.set(k, { winner, out: found })
      for (const c of found) out.push(c)
    }
    const entries: EditEntry[] = []
    for (const k of hidden) {
      // Recomputed while hidden; a restored row or column starts from its entries again.
      this.cached.delete(k)
      for (const e of this.groups.get(k)!) entries.push(e)
    }
    for (const c of findConflicts(entries, inputs)) out.push(c)
    this.dirty.clear()
    out.sort(
      (a, b) =>
        a.lost.at - b.lost.at ||
        (a.lost.editId < b.lost.editId ? -1 : a.lost.editId > b.lost.editId ? 1 : 0) ||
        KIND_ORDER[a.kind] - KIND_ORDER[b.kind],
    )
    return out
  }
}

/**
 * A `ConflictIndex` built from a snapshot of the log a slice at a time, so that a caller on a UI
 * thread can yield between slices: with 100,000 log entries the build took ~0.8 s, one task at
 * open. `shared` has no timers, so the caller decides when the next slice runs. Records the log
 * gains meanwhile may be given to `index.add` at once (its `add` skips an entry seen twice and
 * does not depend on the order entries come in), so the finished index equals one built in a
 * single pass over the whole log.
 *
 * @example
 *   const build = new ConflictIndexBuild(log.toArray())
 *   while (!build.step(5000)) await nextTask()
 *   build.index.conflicts(inputs)
 */
export class ConflictIndexBuild {
  readonly index = new ConflictIndex()
  private next = 0

  constructor(private readonly records: readonly LogRecord[]) {}

  /** Whether every record of the snapshot is in `index`. */
  get done(): boolean {
    return this.next >= this.records.length
  }

  /** Adds up to `max` (at least 1) more records of the snapshot; true once all are in. */
  step(max: number): boolean {
    const end = Math.min(this.records.length, this.next + Math.max(1, max))
    const batch: EditEntry[] = []
    for (let i = this.next; i < end; i++) batch.push(readEditEntry(this.records[i]!))
    this.index.add(batch)
    this.next = end
    return this.done
  }
}
